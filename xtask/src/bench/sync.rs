//! `cargo xtask bench --sync`: a full sync of one district from the mock
//! into a fresh SQLite file, through the real client (`GraphSource` over
//! `HyperTransport`), with the mock in a child process of its own.
//!
//! It prints one line:
//!
//! ```text
//! bench-sync: store=sqlite people=… enrollments=… entities=… elapsed_s=… entities_per_s=…
//!     network_s=… decoding_s=… store_s=… finish_s=… cpu_s=… entities_per_cpu_s=…
//! ```
//!
//! - `network_s`: the same pages fetched by a bare hyper client that only
//!   finds `$next` (the transfer and the mock's time, no SDK);
//! - `decoding_s`: the time inside the source's calls less `network_s` (the
//!   client's envelope decoding, its checks, and waiting for a core);
//! - `store_s`: inside the store's calls (SQLite statements and commits), of
//!   which `finish_s` for the sweep and the secondary indexes. The engine
//!   reads the next page while the store writes, so the parts overlap;
//! - `cpu_s`: this process's CPU time (client, engine and SQLite; not the
//!   mock's), so `entities_per_cpu_s` compares runs on a loaded machine.

use std::path::Path;
use std::time::Instant;

use edlink_client::Client;
use edlink_sync::timing::{TimedSource, TimedStore};
use edlink_sync::{DEFAULT_PAGE_SIZE, Engine, GraphSource, ResourceKind, SqliteStore};
use uuid::Uuid;

use super::graph::students_for;
use super::mock::MockProcess;
use super::report::thousands;
use super::{floor, procfs, raw};

/// People in the district of the default run (the issue's target size).
pub(crate) const PEOPLE: usize = 50_000;
/// People in the district of `--quick`.
pub(crate) const QUICK_PEOPLE: usize = 5_000;

/// The full sync of a district of about `people` people, `runs` times
/// (each into a new file); prints a `bench-sync:` line per run.
pub(crate) fn run(exe: &Path, people: usize, runs: usize) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let students = students_for(people);
    let mock = MockProcess::spawn_people(exe, students)?;
    let (n, token) = mock.people().ok_or("the Graph mock has no people")?;
    eprintln!(
        "bench: sync of a district of {} students, {} people, from {} ({:.1} s to generate)",
        thousands(students as u64),
        thousands(n as u64),
        mock.url(),
        mock.generated_s()
    );
    let network_s = runtime.block_on(network_alone(mock.url(), token))?;
    for _ in 0..runs {
        let line = runtime.block_on(sync_once(mock.url(), token, network_s))?;
        println!("{line}");
    }
    mock.stop()
}

/// Seconds a bare hyper client takes to fetch every page the sync reads.
async fn network_alone(base: &str, token: &str) -> Result<f64, String> {
    let http = raw::client();
    let start = Instant::now();
    for kind in ResourceKind::ALL {
        let url = format!("{base}{}?$first={DEFAULT_PAGE_SIZE}", kind.path());
        floor::list_from(&http, url, token).await?;
    }
    Ok(start.elapsed().as_secs_f64())
}

/// One full sync into a new SQLite file; the `bench-sync:` line.
async fn sync_once(base: &str, token: &str, network_s: f64) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("a temporary directory: {e}"))?;
    let store = SqliteStore::open(dir.path().join("bench.sqlite3"))
        .map_err(|e| format!("opening SQLite: {e}"))?;
    let engine = Engine::builder(TimedStore::new(store)).build();
    let client = Client::builder()
        .base_url(base)
        .build()
        .map_err(|e| format!("the client: {e}"))?;
    let source = TimedSource::new(GraphSource::new(client.graph(token.to_owned())));
    let cpu_before = procfs::cpu_seconds(None)?;
    let start = Instant::now();
    let report = engine
        .sync(Uuid::nil(), &source)
        .await
        .map_err(|e| format!("the sync failed: {e}"))?;
    let elapsed = start.elapsed().as_secs_f64();
    let cpu_s = procfs::cpu_seconds(None)? - cpu_before;
    let entities = report.entities();
    let count = |kind| report.objects.get(&kind).copied().unwrap_or(0);
    let source_s = source.time().as_secs_f64();
    Ok(format!(
        "bench-sync: store=sqlite people={} enrollments={} entities={entities} elapsed_s={elapsed:.2} \
         entities_per_s={:.0} network_s={network_s:.2} decoding_s={:.2} store_s={:.2} \
         finish_s={:.2} cpu_s={cpu_s:.2} entities_per_cpu_s={:.0}",
        count(ResourceKind::People),
        count(ResourceKind::Enrollments),
        entities as f64 / elapsed.max(1e-9),
        (source_s - network_s).max(0.0),
        engine.store().time().as_secs_f64(),
        engine.store().finish_time().as_secs_f64(),
        entities as f64 / cpu_s.max(1e-9),
    ))
}
