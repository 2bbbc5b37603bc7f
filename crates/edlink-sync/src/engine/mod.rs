//! [`Engine`]: full sync, incremental sync, many integrations.

mod error;
mod full;
mod incremental;
mod many;
mod report;
mod retry;

use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

use crate::progress::{ProgressFn, chain};
use crate::{Phase, Progress, Source, SourceError, Store};

pub use error::SyncError;
pub use report::{IntegrationReport, SyncSummary};

/// Objects per page by default (`$first`); each page is one transaction.
///
/// 5,000 rather than Edlink's usual 1,000: a full sync is bound by the
/// store, and fewer, larger transactions write a 50,000-person district
/// about a quarter faster (`cargo xtask bench --sync`: 62–69k objects/s
/// against 51–55k), with a fifth of the requests. Two pages are held at
/// once (one read ahead), a few MB; a crash loses at most one page's work.
pub const DEFAULT_PAGE_SIZE: u32 = 5000;

/// How many full syncs one run may start because the event checkpoint aged
/// out, before it gives up ([`SyncError::KeepsAgingOut`]).
const MAX_FALLBACKS_PER_RUN: u32 = 2;

/// The sync engine: mirrors integrations into a [`Store`].
///
/// - **Full sync** (first run, or after the event checkpoint aged out):
///   learn the newest event id, then read every collection in Edlink's order
///   (districts → schools → sessions → courses → people → classes → sections
///   → enrollments → agents), each page stored in one transaction with the
///   checkpoint (collection, last id); then remove rows the new generation
///   did not see, and switch to incremental from the event id learned first.
/// - **Incremental sync**: events after the checkpoint, in order, each page
///   in one transaction with the new checkpoint.
///
/// A crash at any point, then a rerun, leaves the store as an uninterrupted
/// run would have. See `docs/sync.md`.
///
/// ```
/// use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
/// use edlink_sync::{Engine, ExportOptions, SqliteStore, Store};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let world = FakeWorld::seeded(1, WorldSize::tiny());
/// let store = SqliteStore::open_in_memory()?;
/// let engine = Engine::builder(store.clone()).build();
/// let integration = uuid::Uuid::from_u128(1);
///
/// let report = engine.sync(integration, &FakeSource::new(world.clone())).await?;
/// assert_eq!(report.full_syncs, 1);
///
/// let (export, _) = store.export(ExportOptions::new().integration(integration), Vec::new()).await?;
/// assert_eq!(String::from_utf8(export)?, world.dump(integration));
/// # Ok(())
/// # }
/// ```
pub struct Engine<S: Store> {
    store: Arc<S>,
    page_size: u32,
    event_page_size: u32,
    concurrency: usize,
    retry: retry::RetryPolicy,
    progress: Option<ProgressFn>,
}

impl<S: Store> std::fmt::Debug for Engine<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("page_size", &self.page_size)
            .field("event_page_size", &self.event_page_size)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Builds an [`Engine`].
///
/// ```
/// use std::time::Duration;
/// use edlink_sync::{Engine, SqliteStore};
///
/// let engine = Engine::builder(SqliteStore::open_in_memory()?)
///     .page_size(500)
///     .event_page_size(2000)
///     .concurrency(8)
///     .retries(5, Duration::from_millis(200))
///     .on_progress(|p| eprintln!("{p:?}"))
///     .build();
/// # let _ = engine;
/// # Ok::<(), edlink_sync::StoreError>(())
/// ```
#[must_use]
pub struct EngineBuilder<S: Store> {
    engine: Engine<S>,
}

impl<S: Store> std::fmt::Debug for EngineBuilder<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("EngineBuilder").field(&self.engine).finish()
    }
}

impl<S: Store> EngineBuilder<S> {
    /// Objects per page (`$first`, 1–10,000; default
    /// [`DEFAULT_PAGE_SIZE`]). Values outside the range are clamped.
    pub fn page_size(mut self, n: u32) -> Self {
        self.engine.page_size = n.clamp(1, edlink_model::MAX_PAGE_SIZE);
        self
    }

    /// Events per page (1–10,000; default [`DEFAULT_PAGE_SIZE`]).
    pub fn event_page_size(mut self, n: u32) -> Self {
        self.engine.event_page_size = n.clamp(1, edlink_model::MAX_PAGE_SIZE);
        self
    }

    /// How many integrations [`Engine::sync_all`] syncs at once (default 4,
    /// at least 1).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.engine.concurrency = n.max(1);
        self
    }

    /// Attempts per source call on a transient error (default 4, at least
    /// 1), and the first pause (default 500 ms; doubled each time, at most
    /// 30 s).
    pub fn retries(mut self, attempts: u32, first_pause: Duration) -> Self {
        self.engine.retry = retry::RetryPolicy::new(attempts, first_pause);
        self
    }

    /// Calls `f` with every [`Progress`] step (from any task: keep it quick).
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.engine.progress = Some(Arc::new(f));
        self
    }

    /// The engine.
    pub fn build(self) -> Engine<S> {
        self.engine
    }
}

impl<S: Store> Engine<S> {
    /// A builder with the defaults.
    pub fn builder(store: S) -> EngineBuilder<S> {
        EngineBuilder {
            engine: Engine {
                store: Arc::new(store),
                page_size: DEFAULT_PAGE_SIZE,
                event_page_size: DEFAULT_PAGE_SIZE,
                concurrency: 4,
                retry: retry::RetryPolicy::default(),
                progress: None,
            },
        }
    }

    /// The store.
    ///
    /// ```
    /// # use edlink_sync::{Engine, SqliteStore};
    /// let engine = Engine::builder(SqliteStore::open_in_memory()?).build();
    /// let _store: &SqliteStore = engine.store();
    /// # Ok::<(), edlink_sync::StoreError>(())
    /// ```
    pub fn store(&self) -> &S {
        &self.store
    }

    pub(crate) fn report(&self, p: Progress) {
        if let Some(f) = &self.progress {
            f(&p);
        }
    }

    /// Brings one integration up to date: resumes or starts a full sync when
    /// needed, then applies every event. Holds the integration's lock
    /// ([`Store::try_lock`]) throughout; [`SyncError::Locked`] when another
    /// worker has it.
    ///
    /// ```
    /// use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
    /// use edlink_sync::{Engine, SqliteStore};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let world = FakeWorld::seeded(3, WorldSize::tiny());
    /// let engine = Engine::builder(SqliteStore::open_in_memory()?).build();
    /// let id = uuid::Uuid::from_u128(1);
    /// engine.sync(id, &FakeSource::new(world.clone())).await?;
    ///
    /// world.mutate(5);
    /// let second = engine.sync(id, &FakeSource::new(world.clone())).await?;
    /// assert_eq!(second.full_syncs, 0);
    /// assert!(second.events_applied > 0);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn sync<Src: Source>(
        &self,
        integration: Uuid,
        source: &Src,
    ) -> Result<IntegrationReport, SyncError> {
        let result = self.sync_with_lock(integration, source).await;
        match &result {
            Ok(r) => {
                tracing::info!(%integration, entities = r.entities(), events = r.events_applied, full_syncs = r.full_syncs, "sync finished");
                self.report(Progress::Finished {
                    integration,
                    entities: r.entities(),
                    events: r.events_applied,
                });
            }
            Err(e) => self.report_outcome(integration, e),
        }
        result
    }

    async fn sync_with_lock<Src: Source>(
        &self,
        integration: Uuid,
        source: &Src,
    ) -> Result<IntegrationReport, SyncError> {
        if !self.store.try_lock(integration).await? {
            return Err(SyncError::Locked);
        }
        let guard = LockGuard {
            store: Some(Arc::clone(&self.store)),
            integration,
        };
        let result = self.sync_locked(integration, source).await;
        guard.release().await;
        result
    }

    async fn sync_locked<Src: Source>(
        &self,
        integration: Uuid,
        source: &Src,
    ) -> Result<IntegrationReport, SyncError> {
        let mut report = IntegrationReport::new(integration);
        let mut checkpoint = match self.store.checkpoint(integration).await? {
            Some(stored) => {
                if matches!(stored.checkpoint.phase, Phase::Full { .. }) {
                    report.resumed = true;
                    self.report(Progress::FullSyncStarted {
                        integration,
                        generation: stored.checkpoint.generation,
                        resumed: true,
                    });
                    tracing::info!(%integration, generation = stored.checkpoint.generation, "resuming a full sync");
                }
                stored.checkpoint
            }
            None => self.begin_full(integration, source, 1).await?,
        };
        let mut fallbacks = 0;
        loop {
            report.generation = checkpoint.generation;
            match checkpoint.phase {
                Phase::Full { .. } => {
                    checkpoint = self
                        .full_sync(integration, source, checkpoint, &mut report)
                        .await?;
                }
                Phase::Incremental { .. } => {
                    match self
                        .incremental(integration, source, checkpoint, &mut report)
                        .await
                    {
                        Ok(()) => return Ok(report),
                        Err(SyncError::Source {
                            source: SourceError::EventsAgedOut { after, .. },
                            ..
                        }) => {
                            fallbacks += 1;
                            if fallbacks > MAX_FALLBACKS_PER_RUN {
                                return Err(SyncError::KeepsAgingOut {
                                    times: MAX_FALLBACKS_PER_RUN,
                                });
                            }
                            tracing::warn!(%integration, %after, "event checkpoint aged out of Edlink's retention: falling back to a full sync");
                            self.report(Progress::FellBackToFull {
                                integration,
                                after_event: after,
                            });
                            report.fell_back = true;
                            checkpoint = self
                                .begin_full(integration, source, checkpoint.generation + 1)
                                .await?;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }

    /// Learns the newest event, then saves the first checkpoint of a new
    /// generation.
    async fn begin_full<Src: Source>(
        &self,
        integration: Uuid,
        source: &Src,
        generation: u64,
    ) -> Result<crate::Checkpoint, SyncError> {
        let start_event = self
            .retry(integration, "reading the newest event", || {
                source.newest_event()
            })
            .await?;
        let checkpoint = crate::Checkpoint::new(
            generation,
            Phase::Full {
                resource: crate::ResourceKind::ALL[0],
                after: None,
                start_event,
            },
        );
        self.store.begin_full(integration, checkpoint).await?;
        tracing::info!(%integration, generation, start_event = ?start_event, "full sync started");
        self.report(Progress::FullSyncStarted {
            integration,
            generation,
            resumed: false,
        });
        Ok(checkpoint)
    }
}

/// Releases an integration's lock; if the sync's future is dropped before
/// [`LockGuard::release`], releases it from a spawned task.
struct LockGuard<S: Store> {
    store: Option<Arc<S>>,
    integration: Uuid,
}

impl<S: Store> LockGuard<S> {
    async fn release(mut self) {
        if let Some(store) = self.store.take() {
            if let Err(e) = store.unlock(self.integration).await {
                // The lock dies with the connection at worst; say so.
                tracing::warn!(integration = %self.integration, error = %chain(&e), "could not release the integration's lock");
            }
        }
    }
}

impl<S: Store> Drop for LockGuard<S> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            let integration = self.integration;
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                handle.spawn(async move {
                    let _ = store.unlock(integration).await;
                });
            }
        }
    }
}
