//! The run: mock, mutation, the workers and their kills, the comparison.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use edlink_mock::{Collection, FaultRate, MockData, MockServer};
use edlink_sync::{AnyStore, ExportOptions, Store};
use uuid::Uuid;

use super::Options;
use super::child::{Tally, Worker};
use super::compare::compare;
use super::kills::{KillAt, Kills, plan};

const KEY: &str = "sync-soak-key";
/// Incremental passes the last worker runs while the districts change.
const AFTER_PASSES: usize = 3;
/// Events per page.
const EVENT_PAGE: u32 = 5;

/// Generated integrations until exactly `readable` are `active` or `paused`.
fn data(readable: usize, seed: u64) -> Result<MockData, String> {
    for count in readable..readable * 10 + 20 {
        let data = MockData::generated(count, seed);
        let n = data
            .json(Collection::Integrations)
            .iter()
            .filter(|i| matches!(i["status"].as_str(), Some("active" | "paused")))
            .count();
        if n == readable {
            return Ok(data);
        }
    }
    Err(format!(
        "no generated data with {readable} readable integrations"
    ))
}

/// One mutation step per district every period, on a thread, until stopped.
/// Steps run back to back when a step takes longer than the period (a
/// debug build on a big district).
struct Mutator {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<(u64, Duration)>,
}

impl Mutator {
    fn start(server: Arc<MockServer>, ids: Vec<Uuid>, every: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let (mut steps, mut busy) = (0, Duration::ZERO);
            while !flag.load(Ordering::SeqCst) {
                let started = Instant::now();
                for id in &ids {
                    steps += server.mutate(*id, 1).map_or(0, |r| r.steps);
                }
                busy += started.elapsed();
                std::thread::sleep(every);
            }
            (steps, busy)
        });
        Self { stop, thread }
    }

    /// Stops mutating; the steps taken and the time they took. No step
    /// runs after this returns.
    fn stop(self) -> Result<(u64, Duration), String> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .join()
            .map_err(|_| "the mutator panicked".to_owned())
    }
}

fn export(db: &Path) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let store = AnyStore::open(&db.display().to_string())
            .await
            .map_err(|e| format!("opening the mirror: {e}"))?;
        let (bytes, _) = store
            .export(ExportOptions::new(), Vec::new())
            .await
            .map_err(|e| format!("exporting the mirror: {e}"))?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    })
}

pub(super) fn run(o: &Options) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("xtask-sync-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = soak(o, &dir.join("mirror.sqlite3"));
    match &result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Err(_) => eprintln!("sync-soak: the mirror is kept in {}", dir.display()),
    }
    result
}

fn soak(o: &Options, db: &Path) -> Result<(), String> {
    let started = Instant::now();
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let server = MockServer::builder()
        .secret_key(KEY)
        .data(data(o.integrations, o.seed)?)
        .seed(o.seed)
        .students(o.students)
        .log_capacity(0)
        .fault_rate(FaultRate::new(o.fault_rate, o.seed))
        .start_background()
        .map_err(|e| format!("starting the mock: {e}"))?;
    let server = Arc::new(server);
    let mut ids = server.integrations_with_status("active");
    ids.extend(server.integrations_with_status("paused"));
    ids.sort();
    // Generate the districts now (and learn their sizes).
    let sizes: Vec<usize> = ids
        .iter()
        .map(|id| server.dump(*id).map_or(0, |d| d.lines().count()))
        .collect();
    let total: usize = sizes.iter().sum();
    println!(
        "sync-soak: integrations={} students={} objects={total} fault_rate={} seed={} kills={} mirror={}",
        ids.len(),
        o.students,
        o.fault_rate,
        o.seed,
        o.kills,
        db.display()
    );
    let mutator = Mutator::start(
        Arc::clone(&server),
        ids.clone(),
        Duration::from_millis(o.mutate_ms),
    );
    let args: Vec<String> = [
        "--url",
        &server.base_url(),
        "--key",
        KEY,
        "--db",
        &db.display().to_string(),
        "--page-size",
        &o.page_size.to_string(),
        "--event-page-size",
        &EVENT_PAGE.to_string(),
        "--pause-ms",
        "300",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let limit = Duration::from_secs(o.limit_s);
    let mut ctx = Kills {
        server: &server,
        ids: &ids,
        sizes: &sizes,
        db,
        page_size: o.page_size,
        limit,
        tally: Tally::default(),
        burst_steps: 0,
    };
    let mut kills = 0;
    let mut aged = false;
    let aged_id = ids[0];
    let age_out = |what: &str| -> Result<(), String> {
        let purged = server.age_out_events(aged_id).unwrap_or(0);
        if purged == 0 {
            return Err(format!("{what}: no event of {aged_id} to age out"));
        }
        println!("sync-soak: aged out {purged} events of {aged_id}");
        Ok(())
    };

    for (k, at) in plan(o.kills).into_iter().enumerate() {
        let run = k + 1;
        if at == KillAt::FallbackFull {
            age_out("before the fallback kill")?;
            aged = true;
        }
        let worker = Worker::spawn(&exe, run, &args)?;
        match at {
            KillAt::Full => ctx.kill_full(worker)?,
            KillAt::Incremental => ctx.kill_incremental(worker)?,
            KillAt::FallbackFull => ctx.kill_fallback(worker, aged_id)?,
        }
        kills += 1;
    }

    // The last worker: the fallback (forced now if no kill did), then
    // incremental passes while the districts change, then a quiet last pass.
    if !aged {
        age_out("before the last run")?;
    }
    let Kills {
        mut tally,
        burst_steps,
        ..
    } = ctx;
    let run = o.kills + 1;
    let mut worker = Worker::spawn(&exe, run, &args)?;
    let want_full = ids.len() as u64 + 1;
    while tally.full_syncs < want_full || tally.fallbacks == 0 {
        worker.wait_for("every full sync finished", limit, &mut tally, |l| {
            l.starts_with("pass ")
        })?;
    }
    // A few more passes under mutation, then quiet.
    for _ in 0..AFTER_PASSES {
        worker.wait_for("an incremental pass", limit, &mut tally, |l| {
            l.starts_with("pass ")
        })?;
    }
    let (steps, busy) = mutator.stop()?;
    worker.finish(&mut tally)?;

    let mirror = export(db)?;
    let dump: String = ids
        .iter()
        .map(|id| server.dump(*id).ok_or(format!("no dump of {id}")))
        .collect::<Result<_, _>>()?;
    let faults = server.faults_injected();
    let c = compare(&mirror, &dump);
    println!(
        "sync-soak: mutation_steps={} (bursts {burst_steps}) ms_per_step={:.1} events_applied={} fallbacks={} passes={} workers={run}",
        steps + burst_steps,
        busy.as_secs_f64() * 1e3 / steps.max(1) as f64,
        tally.events,
        tally.fallbacks,
        tally.passes
    );
    for difference in &c.first {
        println!("sync-soak: differs: {difference}");
    }
    println!(
        "sync-soak: entities={} matched={} mismatched={} kills={kills} faults={faults} full_syncs={} elapsed_s={:.1}",
        c.entities,
        c.matched,
        c.mismatched,
        tally.full_syncs,
        started.elapsed().as_secs_f64()
    );
    if c.mismatched > 0 || mirror != dump {
        return Err(format!(
            "the mirror's export differs from the mock's dump: {} of {} objects",
            c.mismatched, c.entities
        ));
    }
    if c.entities == 0 || faults == 0 || steps == 0 {
        return Err(format!(
            "nothing was tested: {} objects, {faults} faults, {steps} mutation steps",
            c.entities
        ));
    }
    if kills < o.kills {
        return Err(format!("{kills} kills of {} planned", o.kills));
    }
    Ok(())
}
