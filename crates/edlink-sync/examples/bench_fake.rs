//! Full-sync throughput from the in-memory fake into a SQLite file (or a
//! Postgres URL with `--features postgres`).
//!
//! ```text
//! cargo run --release -p edlink-sync --example bench_fake -- [--people 50000] [--db PATH_OR_URL] [--page-size 1000]
//! ```
//!
//! Prints the objects stored, the wall time, entities per second, and where
//! the time went. The engine reads (and scans) the next page while the
//! store writes the last one, so the wall times below overlap and do not
//! add up to `elapsed_s`:
//!
//! - `source_s`: inside the source's calls (the fake: copying and checking
//!   the JSON text, as a client's decoding would);
//! - `store_s`: inside the store's calls (SQLite or Postgres: statements,
//!   transactions, commits), of which `finish_s` in the last one (building
//!   the secondary indexes);
//! - `scan_alone_s`: the engine reading each object's keys from its JSON
//!   text (`StoredObject::from_json`), timed alone over every object after
//!   the sync;
//! - `cpu_s`: the process's CPU time (user + system) during the sync, from
//!   `/proc/self/task/*/stat` (Linux; 0 elsewhere), and `cpu_by_thread`
//!   its split between the main thread (engine and source) and tokio's
//!   blocking pool (SQLite). On a loaded machine the wall time includes
//!   waiting for a core and `cpu_s` does not, so `entities_per_cpu_s` is
//!   the figure to compare between runs.

use std::time::{Duration, Instant};

use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
use edlink_sync::timing::{TimedSource, TimedStore};
use edlink_sync::{AnyStore, Engine, ResourceKind, Source, SourceError, StoredObject};
use uuid::Uuid;

/// CPU time (user + system) of this process's threads so far, by thread
/// name (`bench_fake`: the main thread, running the engine and the source;
/// `tokio-runtime-w`: the blocking pool, running SQLite), from
/// `/proc/self/task/*/stat` in clock ticks of 10 ms (Linux's `USER_HZ`).
/// Empty where there is no `/proc`. Threads that ended are not counted:
/// tokio keeps its blocking threads for 10 s, longer than a pause between
/// two pages.
fn cpu_by_thread() -> std::collections::BTreeMap<String, Duration> {
    let mut out = std::collections::BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return out;
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        // `pid (name) state ...`: the name may hold spaces.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat[open + 1..close].to_owned();
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        // utime and stime are fields 14 and 15 (1-based), 11 and 12 here.
        let ticks: u64 = [11, 12]
            .iter()
            .filter_map(|i| fields.get(*i).and_then(|f| f.parse::<u64>().ok()))
            .sum();
        *out.entry(name).or_insert(Duration::ZERO) += Duration::from_millis(ticks * 10);
    }
    out
}

/// The CPU time each thread name gained between two readings.
fn cpu_spent(
    before: &std::collections::BTreeMap<String, Duration>,
    after: &std::collections::BTreeMap<String, Duration>,
) -> Vec<(String, Duration)> {
    after
        .iter()
        .map(|(name, t)| {
            let was = before.get(name).copied().unwrap_or(Duration::ZERO);
            (name.clone(), t.saturating_sub(was))
        })
        .filter(|(_, t)| !t.is_zero())
        .collect()
}

/// The time `StoredObject::from_json` takes over every object of the
/// source, alone (the JSON scanning share of `engine_s`, measured apart).
async fn scan_time<S: Source>(source: &S) -> Result<Duration, SourceError> {
    let mut pages = Vec::new();
    for kind in ResourceKind::ALL {
        let mut after = None;
        loop {
            let page = source.list(kind, after, 1000).await?;
            let done = !page.has_more || page.items.is_empty();
            after = page.items.last().and_then(|raw| {
                StoredObject::from_json(kind, raw.as_str().to_owned())
                    .ok()
                    .map(|o| o.id())
            });
            pages.push((kind, page.items));
            if done {
                break;
            }
        }
    }
    let start = Instant::now();
    let mut keys = 0usize;
    for (kind, items) in &pages {
        for raw in items {
            let object = StoredObject::from_json(*kind, raw.as_str().to_owned())
                .map_err(SourceError::failed)?;
            keys += object.json().len();
        }
    }
    let spent = start.elapsed();
    std::hint::black_box(keys);
    Ok(spent)
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let people: usize = arg(&args, "--people").map_or(Ok(50_000), |v| v.parse())?;
    let page_size: Option<u32> = arg(&args, "--page-size").map(|v| v.parse()).transpose()?;
    let dir = tempfile::tempdir()?;
    let db = arg(&args, "--db").unwrap_or_else(|| {
        dir.path()
            .join("bench.sqlite3")
            .to_string_lossy()
            .into_owned()
    });

    let t = Instant::now();
    let world = FakeWorld::seeded(1, WorldSize::with_people(people));
    eprintln!(
        "generated {} objects in {:.2}s",
        world.object_count(),
        t.elapsed().as_secs_f64()
    );
    let store = AnyStore::open(&db).await?;
    let name = store.backend();
    let store = TimedStore::new(store);
    let mut builder = Engine::builder(store);
    if let Some(n) = page_size {
        builder = builder.page_size(n);
    }
    let engine = builder.build();
    let source = TimedSource::new(FakeSource::new(world));
    let (t, cpu_before) = (Instant::now(), cpu_by_thread());
    let report = engine.sync(Uuid::from_u128(1), &source).await?;
    let (elapsed, by_thread) = (t.elapsed(), cpu_spent(&cpu_before, &cpu_by_thread()));
    let cpu: Duration = by_thread.iter().map(|(_, t)| *t).sum();
    let threads: Vec<String> = by_thread
        .iter()
        .map(|(name, t)| format!("{name}:{:.2}", t.as_secs_f64()))
        .collect();
    let in_source = source.time();
    let in_store = engine.store().time();
    let scan = scan_time(source.inner()).await?;
    let entities = report.entities();
    let count = |kind| report.objects.get(&kind).copied().unwrap_or(0);
    println!(
        "sync-bench: store={name} entities={entities} people={} enrollments={} page_size={} elapsed_s={:.2} entities_per_s={:.0} source_s={:.2} store_s={:.2} finish_s={:.2} scan_alone_s={:.2} cpu_s={:.2} entities_per_cpu_s={:.0} cpu_by_thread={}",
        count(ResourceKind::People),
        count(ResourceKind::Enrollments),
        page_size.map_or_else(|| "default".to_owned(), |n| n.to_string()),
        elapsed.as_secs_f64(),
        entities as f64 / elapsed.as_secs_f64(),
        in_source.as_secs_f64(),
        in_store.as_secs_f64(),
        engine.store().finish_time().as_secs_f64(),
        scan.as_secs_f64(),
        cpu.as_secs_f64(),
        entities as f64 / cpu.as_secs_f64().max(1e-9),
        threads.join(","),
    );
    Ok(())
}
