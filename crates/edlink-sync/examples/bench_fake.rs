//! Full-sync throughput from the in-memory fake into a SQLite file (or a
//! Postgres URL with `--features postgres`).
//!
//! ```text
//! cargo run --release -p edlink-sync --example bench_fake -- [--people 50000] [--db PATH_OR_URL] [--page-size 1000]
//! ```
//!
//! Prints the objects stored, the wall time, entities per second, and where
//! the time went:
//!
//! - `source_s`: inside the source (the fake: copying and checking the JSON
//!   text, as a client's decoding would);
//! - `store_s`: inside the store's calls (SQLite or Postgres: statements,
//!   transactions, commits);
//! - `engine_s`: the rest, which is the engine reading each object's keys
//!   from its JSON text (`StoredObject::from_json`) and handing pages on;
//! - `cpu_s`: the process's CPU time (user + system) during the sync, from
//!   `/proc/self/stat` (Linux; 0 elsewhere). On a loaded machine the wall
//!   time includes waiting for a core and `cpu_s` does not, so
//!   `entities_per_cpu_s` is the figure to compare between runs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
use edlink_sync::{
    Change, Checkpoint, Engine, EventPage, ExportOptions, ObjectPage, ResourceKind, Source,
    SourceError, SqliteStore, Store, StoreError, StoredCheckpoint, StoredObject,
};
use uuid::Uuid;

/// Adds the time spent in `f` to `total`.
async fn timed<T>(total: &AtomicU64, f: impl std::future::Future<Output = T>) -> T {
    let start = Instant::now();
    let out = f.await;
    let spent = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    total.fetch_add(spent, Ordering::Relaxed);
    out
}

/// A source that times the calls of another.
struct TimedSource<S> {
    inner: S,
    nanos: AtomicU64,
}

impl<S: Source> Source for TimedSource<S> {
    async fn list(
        &self,
        resource: ResourceKind,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<ObjectPage, SourceError> {
        timed(&self.nanos, self.inner.list(resource, after, limit)).await
    }
    async fn newest_event(&self) -> Result<Option<Uuid>, SourceError> {
        timed(&self.nanos, self.inner.newest_event()).await
    }
    async fn events(&self, after: Option<Uuid>, limit: u32) -> Result<EventPage, SourceError> {
        timed(&self.nanos, self.inner.events(after, limit)).await
    }
}

/// A store that times the writes of another.
struct TimedStore<S> {
    inner: S,
    nanos: AtomicU64,
}

impl<S: Store> Store for TimedStore<S> {
    async fn checkpoint(&self, integration: Uuid) -> Result<Option<StoredCheckpoint>, StoreError> {
        timed(&self.nanos, self.inner.checkpoint(integration)).await
    }
    async fn begin_full(&self, integration: Uuid, cp: Checkpoint) -> Result<(), StoreError> {
        timed(&self.nanos, self.inner.begin_full(integration, cp)).await
    }
    async fn apply_objects(
        &self,
        integration: Uuid,
        objects: Vec<StoredObject>,
        cp: Checkpoint,
    ) -> Result<(), StoreError> {
        timed(
            &self.nanos,
            self.inner.apply_objects(integration, objects, cp),
        )
        .await
    }
    async fn apply_events(
        &self,
        integration: Uuid,
        changes: Vec<Change>,
        cp: Checkpoint,
    ) -> Result<(), StoreError> {
        timed(
            &self.nanos,
            self.inner.apply_events(integration, changes, cp),
        )
        .await
    }
    async fn finish_full(&self, integration: Uuid, cp: Checkpoint) -> Result<u64, StoreError> {
        timed(&self.nanos, self.inner.finish_full(integration, cp)).await
    }
    async fn export<W: std::io::Write + Send + 'static>(
        &self,
        options: ExportOptions,
        out: W,
    ) -> Result<(W, u64), StoreError> {
        self.inner.export(options, out).await
    }
    async fn try_lock(&self, integration: Uuid) -> Result<bool, StoreError> {
        self.inner.try_lock(integration).await
    }
    async fn unlock(&self, integration: Uuid) -> Result<(), StoreError> {
        self.inner.unlock(integration).await
    }
}

/// The process's CPU time (user + system), from `/proc/self/stat` in clock
/// ticks of 10 ms (Linux's `USER_HZ`); zero where there is no `/proc`.
fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name (which may hold spaces) start at field 3.
    let Some((_, rest)) = stat.rsplit_once(") ") else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime is field 14 and stime field 15 (1-based): 11 and 12 here.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
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
    page_size: Option<u32>,
    name: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let store = TimedStore {
        inner: store,
        nanos: AtomicU64::new(0),
    };
    let mut builder = Engine::builder(store);
    if let Some(n) = page_size {
        builder = builder.page_size(n);
    }
    let engine = builder.build();
    let source = TimedSource {
        inner: FakeSource::new(world),
        nanos: AtomicU64::new(0),
    };
    let (t, cpu) = (Instant::now(), cpu_time());
    let report = engine.sync(Uuid::from_u128(1), &source).await?;
    let (elapsed, cpu) = (t.elapsed(), cpu_time().saturating_sub(cpu));
    let in_source = Duration::from_nanos(source.nanos.load(Ordering::Relaxed));
    let in_store = Duration::from_nanos(engine.store().nanos.load(Ordering::Relaxed));
    let entities = report.entities();
    let count = |kind| report.objects.get(&kind).copied().unwrap_or(0);
    println!(
        "sync-bench: store={name} entities={entities} people={} enrollments={} page_size={} elapsed_s={:.2} entities_per_s={:.0} source_s={:.2} engine_s={:.2} store_s={:.2} cpu_s={:.2} entities_per_cpu_s={:.0}",
        count(ResourceKind::People),
        count(ResourceKind::Enrollments),
        page_size.map_or_else(|| "default".to_owned(), |n| n.to_string()),
        elapsed.as_secs_f64(),
        entities as f64 / elapsed.as_secs_f64(),
        in_source.as_secs_f64(),
        elapsed
            .saturating_sub(in_source)
            .saturating_sub(in_store)
            .as_secs_f64(),
        in_store.as_secs_f64(),
        cpu.as_secs_f64(),
        entities as f64 / cpu.as_secs_f64().max(1e-9),
    );
    Ok(())
}
