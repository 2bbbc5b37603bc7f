//! Crash safety proven by killing the process: this test binary re-executes
//! itself as a child that syncs a seeded fake district into a store, kills
//! it with SIGKILL at several points (during the full read, during
//! incremental sync, during a fallback full sync), reruns it to completion,
//! and compares the export with an uninterrupted run's, byte for byte.
//!
//! `harness = false`: `main` is either the parent (no environment variable)
//! or the child (`EDLINK_SYNC_CRASH_CHILD=1`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
use edlink_sync::{Engine, Progress, SqliteStore, Store};

const CHILD: &str = "EDLINK_SYNC_CRASH_CHILD";
const SEED: u64 = 2024;
const PER_STEP: usize = 120;
/// Events are kept for this many steps: a checkpoint older than that ages out.
const RETENTION: u64 = 2;

fn size() -> WorldSize {
    WorldSize::small()
}

fn main() -> ExitCode {
    if std::env::var_os(CHILD).is_some() {
        return child();
    }
    let started = Instant::now();
    let mut passed = 0;
    let mut failed = 0;
    let mut run = |name: &str, f: &dyn Fn() -> Result<String, String>| match f() {
        Ok(note) => {
            println!("test {name} ... ok ({note})");
            passed += 1;
        }
        Err(e) => {
            println!("test {name} ... FAILED\n{e}");
            failed += 1;
        }
    };
    run("sqlite_survives_sigkill_at_any_point", &|| {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let crashed = dir.path().join("crashed.sqlite3").display().to_string();
        let reference = dir.path().join("reference.sqlite3").display().to_string();
        scenario(&crashed, &reference)
    });
    #[cfg(feature = "postgres")]
    run("postgres_survives_sigkill_at_any_point", &|| {
        let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
        let crashed = rt.block_on(common::pg::fresh_url("crash_crashed"));
        let reference = rt.block_on(common::pg::fresh_url("crash_reference"));
        scenario(&crashed, &reference)
    });
    println!(
        "\ntest result: {}. {passed} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out; finished in {:.2}s\n",
        if failed == 0 { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// When to kill a child: after `lines` progress lines starting with
/// `prefix`, then after `extra_ms` more.
#[derive(Debug, Clone, Copy)]
struct Kill {
    prefix: &'static str,
    lines: usize,
    extra_ms: u64,
}

/// The rounds: (world step, kill or run to completion).
fn rounds() -> Vec<(u64, Option<Kill>)> {
    let kill = |prefix, lines, extra_ms| {
        Some(Kill {
            prefix,
            lines,
            extra_ms,
        })
    };
    vec![
        // The first full read, killed twice, then finished a step later.
        (0, kill("objects", 3, 0)),
        (0, kill("objects", 5, 2)),
        (1, kill("objects", 2, 1)),
        (1, None),
        // Incremental sync, killed twice mid-feed.
        (2, kill("events", 2, 0)),
        (2, kill("events", 3, 1)),
        (2, None),
        // Four steps later the checkpoint has aged out: the fallback full
        // sync is killed too.
        (6, kill("objects", 4, 0)),
        (6, kill("objects", 2, 3)),
        (7, None),
    ]
}

fn scenario(crashed: &str, reference: &str) -> Result<String, String> {
    let mut kills = 0;
    let mut fallbacks = 0;
    for (step, kill) in rounds() {
        let outcome = run_child(crashed, step, kill)?;
        if kill.is_some() {
            if outcome.killed {
                kills += 1;
            } else {
                return Err(format!(
                    "step {step}: the child finished before it could be killed ({kill:?}); output:\n{}",
                    outcome.lines.join("\n")
                ));
            }
        }
        fallbacks += outcome
            .lines
            .iter()
            .filter(|l| l.starts_with("fell-back"))
            .count();
    }
    if fallbacks == 0 {
        return Err("the aged-out checkpoint never fell back to a full sync".into());
    }
    // The uninterrupted run sees the same worlds.
    for step in [0, 2, 7] {
        let outcome = run_child(reference, step, None)?;
        if outcome.killed {
            return Err("the reference run was killed".into());
        }
    }
    let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let (crashed_export, reference_export) =
        rt.block_on(async { (export_of(crashed).await, export_of(reference).await) });
    let truth =
        FakeWorld::at_step(SEED, size(), 7, PER_STEP, Some(RETENTION)).dump(common::INTEGRATION);
    if reference_export != truth {
        return Err("the uninterrupted run's export differs from the fake's state".into());
    }
    if crashed_export != reference_export {
        let diff = crashed_export
            .lines()
            .zip(reference_export.lines())
            .find(|(a, b)| a != b);
        return Err(format!(
            "the crashed run's export differs from the uninterrupted run's ({} vs {} lines); first difference: {diff:?}",
            crashed_export.lines().count(),
            reference_export.lines().count()
        ));
    }
    Ok(format!(
        "{kills} kills, {fallbacks} fallback(s), {} objects equal byte for byte",
        truth.lines().count()
    ))
}

struct Outcome {
    killed: bool,
    lines: Vec<String>,
}

fn run_child(db: &str, step: u64, kill: Option<Kill>) -> Result<Outcome, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .env(CHILD, "1")
        .env("EDLINK_SYNC_CRASH_DB", db)
        .env("EDLINK_SYNC_CRASH_STEP", step.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the child: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = Vec::new();
    let mut seen = 0;
    let mut killed_by_us = false;
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        if let Some(k) = kill {
            if !killed_by_us && line.starts_with(k.prefix) {
                seen += 1;
                if seen == k.lines {
                    std::thread::sleep(Duration::from_millis(k.extra_ms));
                    // SIGKILL on Unix: no destructor, no rollback, no flush.
                    child.kill().map_err(|e| format!("kill: {e}"))?;
                    killed_by_us = true;
                }
            }
        }
        lines.push(line);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let killed = status.signal() == Some(9);
    if !killed && !status.success() {
        return Err(format!(
            "the child failed ({status}) at step {step}; output:\n{}",
            lines.join("\n")
        ));
    }
    if !killed && !lines.iter().any(|l| l == "done") {
        return Err(format!(
            "the child exited without finishing: {}",
            lines.join("\n")
        ));
    }
    Ok(Outcome { killed, lines })
}

async fn export_of(db: &str) -> String {
    #[cfg(feature = "postgres")]
    if db.starts_with("postgres") {
        let store = edlink_sync::PostgresStore::connect(db).await.unwrap();
        return common::export(&store, common::INTEGRATION).await;
    }
    let store = SqliteStore::open(db).unwrap();
    common::export(&store, common::INTEGRATION).await
}

/// The child: sync the world of `EDLINK_SYNC_CRASH_STEP` into
/// `EDLINK_SYNC_CRASH_DB`, one progress line per step, then `done`.
fn child() -> ExitCode {
    let db = std::env::var("EDLINK_SYNC_CRASH_DB").unwrap();
    let step: u64 = std::env::var("EDLINK_SYNC_CRASH_STEP")
        .unwrap()
        .parse()
        .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let result = rt.block_on(async {
        #[cfg(feature = "postgres")]
        if db.starts_with("postgres") {
            let store = edlink_sync::PostgresStore::connect(&db).await.unwrap();
            return child_sync(store, step).await;
        }
        child_sync(SqliteStore::open(&db).unwrap(), step).await
    });
    match result {
        Ok(()) => {
            println!("done");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("child: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn child_sync<S: Store>(store: S, step: u64) -> Result<(), String> {
    let world = FakeWorld::at_step(SEED, size(), step, PER_STEP, Some(RETENTION));
    // A short wait per call keeps the child alive long enough to be killed
    // mid-run, while most kills still land in or near a commit.
    world.set_delay(Some(Duration::from_millis(2)));
    let engine = Engine::builder(store)
        .page_size(20)
        .event_page_size(10)
        .on_progress(|p| match p {
            Progress::Objects {
                resource, stored, ..
            } => println!("objects {resource} {stored}"),
            Progress::Events { applied, .. } => println!("events {applied}"),
            Progress::FellBackToFull { .. } => println!("fell-back"),
            Progress::FullSyncStarted { resumed, .. } => println!("full resumed={resumed}"),
            _ => {}
        })
        .build();
    let source = FakeSource::new(world);
    // Postgres: the killed child's server session may still hold the
    // integration's lock for a moment after the kill; a worker tries again.
    for _ in 0..100 {
        match engine.sync(common::INTEGRATION, &source).await {
            Err(edlink_sync::SyncError::Locked) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => return other.map(drop).map_err(|e| e.to_string()),
        }
    }
    Err("the integration stayed locked for 5 s".into())
}
