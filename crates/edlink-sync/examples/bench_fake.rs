//! Full-sync throughput from the in-memory fake into a SQLite file (or a
//! Postgres URL with `--features postgres`).
//!
//! ```text
//! cargo run --release -p edlink-sync --example bench_fake -- [--people 50000] [--db PATH_OR_URL] [--page-size 1000]
//! ```
//!
//! Prints the objects stored, the wall time, entities per second, and the
//! share of time spent inside the source (the fake: copying and checking
//! the JSON text, as a client's decoding would) versus the rest (key
//! extraction, transactions, SQLite).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
use edlink_sync::{
    Engine, EventPage, ObjectPage, ResourceKind, Source, SourceError, SqliteStore, Store,
};
use uuid::Uuid;

/// A source that times the calls of another.
struct Timed<S> {
    inner: S,
    nanos: AtomicU64,
}

impl<S: Source> Timed<S> {
    async fn time<T>(&self, f: impl std::future::Future<Output = T>) -> T {
        let start = Instant::now();
        let out = f.await;
        let spent = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.nanos.fetch_add(spent, Ordering::Relaxed);
        out
    }
}

impl<S: Source> Source for Timed<S> {
    async fn list(
        &self,
        resource: ResourceKind,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<ObjectPage, SourceError> {
        self.time(self.inner.list(resource, after, limit)).await
    }
    async fn newest_event(&self) -> Result<Option<Uuid>, SourceError> {
        self.time(self.inner.newest_event()).await
    }
    async fn events(&self, after: Option<Uuid>, limit: u32) -> Result<EventPage, SourceError> {
        self.time(self.inner.events(after, limit)).await
    }
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
    let page_size: u32 = arg(&args, "--page-size").map_or(Ok(1000), |v| v.parse())?;
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
    #[cfg(feature = "postgres")]
    if db.starts_with("postgres") {
        let store = edlink_sync::PostgresStore::connect(&db).await?;
        return run(store, world, page_size, "postgres").await;
    }
    run(SqliteStore::open(&db)?, world, page_size, "sqlite").await
}

async fn run<S: Store>(
    store: S,
    world: FakeWorld,
    page_size: u32,
    name: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::builder(store).page_size(page_size).build();
    let source = Timed {
        inner: FakeSource::new(world),
        nanos: AtomicU64::new(0),
    };
    let t = Instant::now();
    let report = engine.sync(Uuid::from_u128(1), &source).await?;
    let elapsed = t.elapsed();
    let in_source = Duration::from_nanos(source.nanos.load(Ordering::Relaxed));
    let entities = report.entities();
    let people = report
        .objects
        .get(&ResourceKind::People)
        .copied()
        .unwrap_or(0);
    let enrollments = report
        .objects
        .get(&ResourceKind::Enrollments)
        .copied()
        .unwrap_or(0);
    println!(
        "sync-bench: store={name} entities={entities} people={people} enrollments={enrollments} page_size={page_size} elapsed_s={:.2} entities_per_s={:.0} source_s={:.2} engine_and_store_s={:.2}",
        elapsed.as_secs_f64(),
        entities as f64 / elapsed.as_secs_f64(),
        in_source.as_secs_f64(),
        (elapsed - in_source.min(elapsed)).as_secs_f64(),
    );
    Ok(())
}
