//! Where a sync's time goes: a [`Source`] and a [`Store`] that add up the
//! wall time spent inside the calls of the one they wrap.
//!
//! The engine reads the next page while the store writes the last one, so
//! the two totals overlap and need not add up to the sync's elapsed time.
//! The benchmarks (`cargo xtask bench --sync`, the `bench_fake` example) use
//! these, and so can an application that wants to know whether its network
//! or its database is the slower side.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::{
    Change, Checkpoint, EventPage, ExportOptions, ObjectPage, ResourceKind, Source, SourceError,
    Store, StoreError, StoredCheckpoint, StoredObject,
};

/// A running total of wall time.
#[derive(Debug, Default)]
struct Total(AtomicU64);

impl Total {
    /// Runs `f`, adding the time it took.
    async fn time<T>(&self, f: impl Future<Output = T>) -> T {
        let start = Instant::now();
        let out = f.await;
        let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0.fetch_add(nanos, Ordering::Relaxed);
        out
    }

    fn get(&self) -> Duration {
        Duration::from_nanos(self.0.load(Ordering::Relaxed))
    }
}

/// A [`Source`] that adds up the time spent in the calls of `S`
/// (for Edlink: the network and decoding each page).
///
/// ```
/// use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
/// use edlink_sync::timing::TimedSource;
/// use edlink_sync::{Engine, SqliteStore};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let engine = Engine::builder(SqliteStore::open(dir.path().join("db.sqlite3"))?).build();
/// let source = TimedSource::new(FakeSource::new(FakeWorld::seeded(1, WorldSize::tiny())));
/// engine.sync(uuid::Uuid::from_u128(1), &source).await?;
/// assert!(source.time() > std::time::Duration::ZERO);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct TimedSource<S> {
    inner: S,
    total: Total,
}

impl<S> TimedSource<S> {
    /// Wraps `inner`, with a total of zero.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            total: Total::default(),
        }
    }

    /// The wrapped source.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The time spent in the wrapped source's calls so far.
    pub fn time(&self) -> Duration {
        self.total.get()
    }
}

impl<S: Source> Source for TimedSource<S> {
    async fn list(
        &self,
        resource: ResourceKind,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<ObjectPage, SourceError> {
        self.total
            .time(self.inner.list(resource, after, limit))
            .await
    }

    async fn newest_event(&self) -> Result<Option<Uuid>, SourceError> {
        self.total.time(self.inner.newest_event()).await
    }

    async fn events(&self, after: Option<Uuid>, limit: u32) -> Result<EventPage, SourceError> {
        self.total.time(self.inner.events(after, limit)).await
    }
}

/// A [`Store`] that adds up the time spent in the calls of `S`, and the
/// time of [`finish_full`](Store::finish_full) (the sweep and the indexes)
/// on its own too.
///
/// ```
/// use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
/// use edlink_sync::timing::TimedStore;
/// use edlink_sync::{Engine, SqliteStore};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let store = TimedStore::new(SqliteStore::open(dir.path().join("db.sqlite3"))?);
/// let engine = Engine::builder(store).build();
/// let world = FakeWorld::seeded(1, WorldSize::tiny());
/// engine.sync(uuid::Uuid::from_u128(1), &FakeSource::new(world)).await?;
/// let store = engine.store();
/// assert!(store.time() >= store.finish_time());
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct TimedStore<S> {
    inner: S,
    total: Total,
    finish: Total,
}

impl<S> TimedStore<S> {
    /// Wraps `inner`, with totals of zero.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            total: Total::default(),
            finish: Total::default(),
        }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The time spent in the wrapped store's calls so far.
    pub fn time(&self) -> Duration {
        self.total.get()
    }

    /// The part of [`time`](Self::time) spent finishing full syncs.
    pub fn finish_time(&self) -> Duration {
        self.finish.get()
    }
}

impl<S: Store> Store for TimedStore<S> {
    async fn checkpoint(&self, integration: Uuid) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.total.time(self.inner.checkpoint(integration)).await
    }

    async fn begin_full(&self, integration: Uuid, cp: Checkpoint) -> Result<(), StoreError> {
        self.total
            .time(self.inner.begin_full(integration, cp))
            .await
    }

    async fn apply_objects(
        &self,
        integration: Uuid,
        objects: Vec<StoredObject>,
        cp: Checkpoint,
    ) -> Result<(), StoreError> {
        self.total
            .time(self.inner.apply_objects(integration, objects, cp))
            .await
    }

    async fn apply_events(
        &self,
        integration: Uuid,
        changes: Vec<Change>,
        cp: Checkpoint,
    ) -> Result<(), StoreError> {
        self.total
            .time(self.inner.apply_events(integration, changes, cp))
            .await
    }

    async fn finish_full(&self, integration: Uuid, cp: Checkpoint) -> Result<u64, StoreError> {
        let finish = self.finish.time(self.inner.finish_full(integration, cp));
        self.total.time(finish).await
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
