//! The full read asks for the next page while the store writes the last
//! one, and the result is the same as reading one page at a time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
use edlink_sync::{
    Change, Checkpoint, EventPage, ExportOptions, ObjectPage, ResourceKind, Source, SourceError,
    SqliteStore, Store, StoreError, StoredCheckpoint, StoredObject,
};
use tokio::sync::watch;
use uuid::Uuid;

/// A source that counts its `list` calls.
struct Counting {
    inner: FakeSource,
    lists: watch::Sender<u64>,
}

impl Source for Counting {
    async fn list(
        &self,
        resource: ResourceKind,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<ObjectPage, SourceError> {
        self.lists.send_modify(|n| *n += 1);
        self.inner.list(resource, after, limit).await
    }
    async fn newest_event(&self) -> Result<Option<Uuid>, SourceError> {
        self.inner.newest_event().await
    }
    async fn events(&self, after: Option<Uuid>, limit: u32) -> Result<EventPage, SourceError> {
        self.inner.events(after, limit).await
    }
}

/// A store whose page writes wait (up to a while) for the source to be
/// asked for another page, and count the writes during which it was.
struct Waiting {
    inner: SqliteStore,
    lists: watch::Receiver<u64>,
    writes: AtomicU64,
    overlapped: AtomicU64,
}

impl Store for Waiting {
    async fn checkpoint(&self, integration: Uuid) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.inner.checkpoint(integration).await
    }
    async fn begin_full(&self, integration: Uuid, cp: Checkpoint) -> Result<(), StoreError> {
        self.inner.begin_full(integration, cp).await
    }
    async fn apply_objects(
        &self,
        integration: Uuid,
        objects: Vec<StoredObject>,
        cp: Checkpoint,
    ) -> Result<(), StoreError> {
        self.writes.fetch_add(1, Ordering::SeqCst);
        let mut lists = self.lists.clone();
        let before = *lists.borrow_and_update();
        // Without reading ahead nobody calls the source while this waits,
        // and every write times out.
        let wait = lists.wait_for(|n| *n > before);
        if tokio::time::timeout(Duration::from_secs(2), wait)
            .await
            .is_ok()
        {
            self.overlapped.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.apply_objects(integration, objects, cp).await
    }
    async fn apply_events(
        &self,
        integration: Uuid,
        changes: Vec<Change>,
        cp: Checkpoint,
    ) -> Result<(), StoreError> {
        self.inner.apply_events(integration, changes, cp).await
    }
    async fn finish_full(&self, integration: Uuid, cp: Checkpoint) -> Result<u64, StoreError> {
        self.inner.finish_full(integration, cp).await
    }
    async fn export<W: Write + Send + 'static>(
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

#[tokio::test]
async fn the_next_page_is_read_while_the_last_one_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("mirror.sqlite3")).unwrap();
    let world = FakeWorld::seeded(50, WorldSize::tiny());
    let (tx, rx) = watch::channel(0);
    let store = Waiting {
        inner: sqlite.clone(),
        lists: rx,
        writes: AtomicU64::new(0),
        overlapped: AtomicU64::new(0),
    };
    let engine = Arc::new(common::engine(store).page_size(4).build());
    let source = Counting {
        inner: FakeSource::new(world.clone()),
        lists: tx,
    };
    engine.sync(common::INTEGRATION, &source).await.unwrap();
    let writes = engine.store().writes.load(Ordering::SeqCst);
    assert!(writes > 10, "{writes}");
    // Every page but the last had the next one asked for while it was
    // being written.
    assert_eq!(engine.store().overlapped.load(Ordering::SeqCst), writes - 1);
    assert_eq!(
        common::export(&sqlite, common::INTEGRATION).await,
        world.dump(common::INTEGRATION)
    );
}
