//! [`Store`]: where the mirror lives. Every write is one transaction that
//! carries the checkpoint describing it, which is what makes a crash at any
//! point harmless.

mod any;
mod error;
mod export;
#[cfg(feature = "postgres")]
mod postgres;
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;

use std::collections::HashSet;
use std::future::Future;
use std::io::Write;
use std::sync::Mutex;

use uuid::Uuid;

use crate::{Checkpoint, ResourceKind, StoredCheckpoint, StoredObject};

pub use any::AnyStore;
pub use error::StoreError;
pub use export::{ExportOptions, export_line};
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

/// The schema version this code writes and reads. A database with a newer
/// version is refused ([`StoreError::TooNew`]).
///
/// ```
/// assert_eq!(edlink_sync::SCHEMA_VERSION, 2);
/// ```
pub const SCHEMA_VERSION: i64 = 2;

/// One effect of an event on the mirror.
///
/// ```
/// use edlink_sync::{Change, ResourceKind};
///
/// let gone = Change::Delete { kind: ResourceKind::People, id: uuid::Uuid::from_u128(1) };
/// assert_eq!(gone.kind(), ResourceKind::People);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// Insert or replace the object (`created`, `updated`).
    Upsert(StoredObject),
    /// Remove the object and its links (`deleted`); nothing when absent.
    Delete {
        /// The collection.
        kind: ResourceKind,
        /// The object's id.
        id: Uuid,
    },
}

impl Change {
    /// The collection the change is about.
    ///
    /// ```
    /// use edlink_sync::{Change, ResourceKind, StoredObject};
    ///
    /// let o = StoredObject::from_json(ResourceKind::Schools, r#"{"id":"00000000-0000-0000-0000-000000000001"}"#.into())?;
    /// assert_eq!(Change::Upsert(o).kind(), ResourceKind::Schools);
    /// # Ok::<(), edlink_sync::InvalidObject>(())
    /// ```
    pub fn kind(&self) -> ResourceKind {
        match self {
            Self::Upsert(o) => o.kind(),
            Self::Delete { kind, .. } => *kind,
        }
    }

    /// The object's id.
    ///
    /// ```
    /// use edlink_sync::{Change, ResourceKind};
    ///
    /// let c = Change::Delete { kind: ResourceKind::Agents, id: uuid::Uuid::from_u128(5) };
    /// assert_eq!(c.id(), uuid::Uuid::from_u128(5));
    /// ```
    pub fn id(&self) -> Uuid {
        match self {
            Self::Upsert(o) => o.id(),
            Self::Delete { id, .. } => *id,
        }
    }
}

/// What a store must do for the engine. Each write method is **one
/// transaction** that also saves the given checkpoint: either all of it is
/// stored or none of it.
///
/// Implemented by [`SqliteStore`] (feature `sqlite`, the default) and
/// `PostgresStore` (feature `postgres`). The futures are `Send`.
///
/// ```
/// use edlink_sync::{Checkpoint, Phase, ResourceKind, SqliteStore, Store};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let store = SqliteStore::open_in_memory()?;
/// let integration = uuid::Uuid::from_u128(1);
/// let start = Checkpoint::new(1, Phase::Full { resource: ResourceKind::Districts, after: None, start_event: None });
/// store.begin_full(integration, start).await?;
/// assert_eq!(store.checkpoint(integration).await?.map(|c| c.checkpoint), Some(start));
/// # Ok(())
/// # }
/// ```
pub trait Store: Send + Sync + 'static {
    /// The integration's checkpoint, `None` before its first sync.
    fn checkpoint(
        &self,
        integration: Uuid,
    ) -> impl Future<Output = Result<Option<StoredCheckpoint>, StoreError>> + Send;

    /// Starts a full sync: saves `checkpoint` (phase full, a new generation)
    /// and records its start time.
    fn begin_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Upserts a page of objects (tagged with `checkpoint.generation`) and
    /// saves `checkpoint`, in one transaction. Links are replaced.
    fn apply_objects(
        &self,
        integration: Uuid,
        objects: Vec<StoredObject>,
        checkpoint: Checkpoint,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Applies a page of event changes **in order** (upserts tagged with
    /// `checkpoint.generation`; a delete removes the object and its links)
    /// and saves `checkpoint`, in one transaction.
    fn apply_events(
        &self,
        integration: Uuid,
        changes: Vec<Change>,
        checkpoint: Checkpoint,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Ends a full sync: removes every row of the integration written by an
    /// older generation than `checkpoint.generation` (objects deleted before
    /// this sync saw them) and saves `checkpoint` (phase incremental), in one
    /// transaction. Returns how many objects were removed.
    fn finish_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Writes every stored object as a JSON line,
    /// `{"integration_id":…,"type":"people","id":…,"data":{…}}`, sorted by
    /// integration, type and id (see [`export_line`]). Returns the writer and
    /// the number of lines.
    fn export<W: Write + Send + 'static>(
        &self,
        options: ExportOptions,
        out: W,
    ) -> impl Future<Output = Result<(W, u64), StoreError>> + Send;

    /// Tries to become the one worker syncing `integration`; `false` when
    /// another holds it. Postgres: a session advisory lock, released by the
    /// server if this process dies. SQLite: within this process only (one
    /// writer process per file).
    fn try_lock(&self, integration: Uuid) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Releases [`try_lock`](Self::try_lock).
    fn unlock(&self, integration: Uuid) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// The integrations this process is syncing: the in-process half of
/// [`Store::try_lock`] (a Postgres advisory lock is re-entrant within one
/// session, so two tasks sharing a connection need this too).
#[derive(Debug, Default)]
pub(crate) struct LocalLocks(Mutex<HashSet<Uuid>>);

impl LocalLocks {
    pub(crate) fn try_take(&self, integration: Uuid) -> bool {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(integration)
    }

    pub(crate) fn release(&self, integration: Uuid) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&integration);
    }
}

/// Whether a full sync of `generation` may find rows of an older generation
/// to remove when it finishes. Generations count from 1 and every row is
/// written with its checkpoint's generation, so the first full sync of an
/// integration has nothing older to sweep, and scanning every row it just
/// wrote to learn that costs about a tenth of a large first sync.
pub(crate) fn older_rows_possible(generation: i64) -> bool {
    generation > 1
}

/// The changes of one page reduced to the last change per object: each
/// change replaces or removes the whole object, so the last one decides the
/// object's final state and the order between different objects does not
/// matter. Lets a store write a page with set-based statements.
#[cfg(any(test, feature = "postgres"))]
pub(crate) fn last_change_per_object(changes: Vec<Change>) -> Vec<Change> {
    let mut seen = HashSet::with_capacity(changes.len());
    let mut kept: Vec<Change> = changes
        .into_iter()
        .rev()
        .filter(|c| seen.insert((c.kind(), c.id())))
        .collect();
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn person(n: u128, name: &str) -> Change {
        Change::Upsert(
            StoredObject::from_json(
                ResourceKind::People,
                format!(r#"{{"id":"{}","name":"{name}"}}"#, Uuid::from_u128(n)),
            )
            .unwrap(),
        )
    }

    #[test]
    fn the_last_change_of_each_object_is_kept_in_order() {
        let changes = vec![
            person(1, "a"),
            person(2, "b"),
            Change::Delete {
                kind: ResourceKind::People,
                id: Uuid::from_u128(1),
            },
            person(2, "c"),
            Change::Delete {
                kind: ResourceKind::Classes,
                id: Uuid::from_u128(2),
            },
        ];
        let kept = last_change_per_object(changes);
        assert_eq!(kept.len(), 3);
        assert!(matches!(kept[0], Change::Delete { id, .. } if id == Uuid::from_u128(1)));
        assert!(matches!(&kept[1], Change::Upsert(o) if o.json().contains("\"c\"")));
        assert_eq!(kept[2].kind(), ResourceKind::Classes);
    }

    #[test]
    fn local_locks_are_exclusive_until_released() {
        let locks = LocalLocks::default();
        let id = Uuid::from_u128(1);
        assert!(locks.try_take(id));
        assert!(!locks.try_take(id));
        assert!(locks.try_take(Uuid::from_u128(2)));
        locks.release(id);
        assert!(locks.try_take(id));
    }
}
