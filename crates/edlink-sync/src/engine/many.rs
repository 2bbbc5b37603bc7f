//! Many integrations at once, with bounded concurrency.

use futures_util::StreamExt;
use futures_util::stream;
use uuid::Uuid;

use super::{Engine, SyncError, SyncSummary};
use crate::{SourceError, SourceFactory, Store};

impl<S: Store> Engine<S> {
    /// Syncs each integration (duplicates once), at most
    /// [`concurrency`](super::EngineBuilder::concurrency) at a time, each
    /// with a source from `factory`. An integration that cannot be used or
    /// is locked by another worker is skipped; one that fails does not stop
    /// the others. Outcomes come in the order given.
    ///
    /// ```
    /// use edlink_sync::fake::{FakeFactory, FakeWorld, WorldSize};
    /// use edlink_sync::{Engine, SqliteStore};
    /// use uuid::Uuid;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let factory = FakeFactory::new();
    /// factory.insert(Uuid::from_u128(1), FakeWorld::seeded(1, WorldSize::tiny()));
    /// factory.insert(Uuid::from_u128(2), FakeWorld::seeded(2, WorldSize::tiny()));
    /// factory.revoke(Uuid::from_u128(2));
    ///
    /// let engine = Engine::builder(SqliteStore::open_in_memory()?).concurrency(2).build();
    /// let summary = engine.sync_all(&factory, [Uuid::from_u128(1), Uuid::from_u128(2)]).await;
    /// assert_eq!((summary.synced(), summary.skipped(), summary.failed()), (1, 1, 0));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn sync_all<F: SourceFactory>(
        &self,
        factory: &F,
        integrations: impl IntoIterator<Item = Uuid>,
    ) -> SyncSummary {
        let mut ids: Vec<Uuid> = Vec::new();
        for id in integrations {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut outcomes: Vec<(usize, Uuid, Result<_, SyncError>)> =
            stream::iter(ids.into_iter().enumerate())
                .map(|(at, integration)| async move {
                    let outcome = match factory.open(integration).await {
                        Ok(source) => self.sync(integration, &source).await,
                        Err(e) => {
                            let error = match e {
                                SourceError::Unusable(_) => SyncError::Unusable(e),
                                other => SyncError::Source {
                                    doing: "opening the integration".to_owned(),
                                    source: other,
                                },
                            };
                            self.report_outcome(integration, &error);
                            Err(error)
                        }
                    };
                    (at, integration, outcome)
                })
                .buffer_unordered(self.concurrency)
                .collect()
                .await;
        outcomes.sort_by_key(|(at, _, _)| *at);
        SyncSummary {
            outcomes: outcomes
                .into_iter()
                .map(|(_, id, outcome)| (id, outcome))
                .collect(),
        }
    }

    pub(super) fn report_outcome(&self, integration: Uuid, error: &SyncError) {
        let text = crate::progress::chain(error);
        if error.is_skip() {
            tracing::warn!(%integration, reason = %text, "integration skipped");
            self.report(crate::Progress::Skipped {
                integration,
                reason: text,
            });
        } else {
            tracing::error!(%integration, error = %text, "sync failed");
            self.report(crate::Progress::Failed {
                integration,
                error: text,
            });
        }
    }
}
