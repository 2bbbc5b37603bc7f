//! The full read: every collection, page by page, each page stored with the
//! checkpoint that says where the read stands.

use futures_util::future;
use uuid::Uuid;

use super::{Engine, IntegrationReport, SyncError};
use crate::{Checkpoint, Phase, Progress, ResourceKind, Source, Store, StoredObject};

/// A page read and scanned, ready to store.
struct Page {
    objects: Vec<StoredObject>,
    has_more: bool,
}

impl<S: Store> Engine<S> {
    /// Runs (or resumes) the full read described by `checkpoint` (phase
    /// full), then finishes it. Returns the incremental checkpoint.
    ///
    /// While a page is being stored, the next one is read and scanned: the
    /// store (SQLite on a blocking thread, or a server) and the source and
    /// key scan (this task) work at the same time. The writes themselves
    /// stay one after the other, each with its checkpoint, so reading ahead
    /// changes nothing a crash could observe: the next run reads again from
    /// the last stored checkpoint.
    pub(super) async fn full_sync<Src: Source>(
        &self,
        integration: Uuid,
        source: &Src,
        checkpoint: Checkpoint,
        report: &mut IntegrationReport,
    ) -> Result<Checkpoint, SyncError> {
        let generation = checkpoint.generation;
        let Phase::Full {
            mut resource,
            mut after,
            start_event,
        } = checkpoint.phase
        else {
            return Ok(checkpoint);
        };
        let mut page = self.read_page(integration, source, resource, after).await?;
        loop {
            let Page { objects, has_more } = page;
            let count = objects.len() as u64;
            let last = objects.last().map(StoredObject::id);
            // An empty page ends the collection even if `$next` was sent:
            // asking again after the same id would return the same page.
            let collection_done = !has_more || objects.is_empty();
            let (next, all_done) = match (collection_done, resource.next()) {
                (false, _) => ((resource, last.or(after)), false),
                (true, Some(following)) => ((following, None), false),
                (true, None) => ((resource, last.or(after)), true),
            };
            let next_checkpoint = Checkpoint::new(
                generation,
                Phase::Full {
                    resource: next.0,
                    after: next.1,
                    start_event,
                },
            );
            let write = self
                .store
                .apply_objects(integration, objects, next_checkpoint);
            let read_ahead =
                (!all_done).then(|| self.read_page(integration, source, next.0, next.1));
            let (written, read) = match read_ahead {
                Some(read) => {
                    let (w, r) = future::join(write, read).await;
                    (w, Some(r))
                }
                None => (write.await, None),
            };
            // A failed write wins over the page read meanwhile: it was
            // first, and nothing after it counts.
            written?;
            let stored = report.objects.entry(resource).or_insert(0);
            *stored += count;
            if count > 0 {
                self.report(Progress::Objects {
                    integration,
                    resource,
                    stored: *stored,
                });
            }
            tracing::debug!(%integration, %resource, count, "page stored");
            let Some(read) = read else {
                break;
            };
            page = read?;
            (resource, after) = next;
        }
        let incremental = Checkpoint::new(
            generation,
            Phase::Incremental {
                after_event: start_event,
            },
        );
        let removed = self.store.finish_full(integration, incremental).await?;
        report.removed += removed;
        report.full_syncs += 1;
        tracing::info!(%integration, generation, removed, "full sync finished");
        self.report(Progress::FullSyncFinished {
            integration,
            generation,
            removed,
        });
        Ok(incremental)
    }

    /// Reads the page of `resource` after `after` (with retries) and reads
    /// each object's keys.
    async fn read_page<Src: Source>(
        &self,
        integration: Uuid,
        source: &Src,
        resource: ResourceKind,
        after: Option<Uuid>,
    ) -> Result<Page, SyncError> {
        let doing = match after {
            Some(a) => format!("reading {resource} after {a}"),
            None => format!("reading {resource}"),
        };
        let page = self
            .retry(integration, &doing, || {
                source.list(resource, after, self.page_size)
            })
            .await?;
        let objects = page
            .items
            .iter()
            .map(|raw| StoredObject::from_json(resource, raw.as_str().to_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|source| SyncError::InvalidObject {
                resource,
                after,
                source,
            })?;
        Ok(Page {
            objects,
            has_more: page.has_more,
        })
    }
}
