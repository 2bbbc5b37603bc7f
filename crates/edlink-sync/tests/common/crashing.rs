//! A store wrapper that "crashes" at a chosen write: the write fails either
//! before it reaches the database (the process died before commit) or after
//! it committed (the process died before it learned of the commit).

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use edlink_sync::{
    Change, Checkpoint, ExportOptions, Store, StoreError, StoredCheckpoint, StoredObject,
};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashMode {
    BeforeCommit,
    AfterCommit,
}

pub struct CrashingStore<S> {
    pub inner: S,
    writes: Arc<AtomicU64>,
    crash_at: u64,
    mode: CrashMode,
}

impl<S: Store> CrashingStore<S> {
    /// Crashes at write number `crash_at` (1-based).
    pub fn new(inner: S, crash_at: u64, mode: CrashMode) -> Self {
        Self {
            inner,
            writes: Arc::new(AtomicU64::new(0)),
            crash_at,
            mode,
        }
    }

    fn crash() -> StoreError {
        StoreError::Corrupt("simulated crash".into())
    }

    async fn write<T>(
        &self,
        op: impl std::future::Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let n = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        if n != self.crash_at {
            return op.await;
        }
        match self.mode {
            CrashMode::BeforeCommit => Err(Self::crash()),
            CrashMode::AfterCommit => {
                op.await?;
                Err(Self::crash())
            }
        }
    }
}

impl<S: Store> Store for CrashingStore<S> {
    async fn checkpoint(&self, integration: Uuid) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.inner.checkpoint(integration).await
    }

    async fn begin_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        self.write(self.inner.begin_full(integration, checkpoint))
            .await
    }

    async fn apply_objects(
        &self,
        integration: Uuid,
        objects: Vec<StoredObject>,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        self.write(self.inner.apply_objects(integration, objects, checkpoint))
            .await
    }

    async fn apply_events(
        &self,
        integration: Uuid,
        changes: Vec<Change>,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        self.write(self.inner.apply_events(integration, changes, checkpoint))
            .await
    }

    async fn finish_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> Result<u64, StoreError> {
        self.write(self.inner.finish_full(integration, checkpoint))
            .await
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
