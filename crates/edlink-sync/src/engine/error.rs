//! [`SyncError`]: why one integration's sync stopped.

use uuid::Uuid;

use crate::{InvalidObject, SourceError, StoreError};

/// Why an integration's sync stopped. Everything stored before the error
/// stays, with its checkpoint: the next run resumes there.
///
/// `Display` says what was being done; the cause is the
/// [`source`](std::error::Error::source).
///
/// ```
/// use edlink_sync::SyncError;
///
/// assert_eq!(SyncError::Locked.to_string(), "another worker is syncing this integration");
/// assert!(SyncError::Locked.is_skip());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The integration cannot be used (token revoked, not active or paused):
    /// it is skipped, and the source's error says why.
    #[error("skipped")]
    Unusable(#[source] SourceError),
    /// Another worker holds the integration's lock.
    #[error("another worker is syncing this integration")]
    Locked,
    /// Reading from Edlink failed (after the retries, for a transient error).
    #[error("{doing} failed")]
    Source {
        /// What was being read, e.g. `reading people after 7f0c…`.
        doing: String,
        /// The source's error.
        #[source]
        source: SourceError,
    },
    /// The store failed.
    #[error("the store failed")]
    Store(#[source] StoreError),
    /// An object from a listing cannot be stored.
    #[error("a {resource} page after {after} holds an object that cannot be stored", after = after.map_or_else(|| "the start".to_owned(), |a| a.to_string()))]
    InvalidObject {
        /// The collection listed.
        resource: crate::ResourceKind,
        /// The `$after` of the page.
        after: Option<Uuid>,
        /// What was wrong.
        #[source]
        source: InvalidObject,
    },
    /// An event's `data` cannot be stored.
    #[error("event {event}'s data cannot be stored")]
    InvalidEvent {
        /// The event's id.
        event: Uuid,
        /// What was wrong.
        #[source]
        source: InvalidObject,
    },
    /// The event checkpoint kept aging out, even right after a full sync.
    #[error("the event checkpoint aged out {times} times in a row; giving up for this run")]
    KeepsAgingOut {
        /// How many full syncs were run.
        times: u32,
    },
}

impl SyncError {
    /// Whether this is a reason to skip the integration (unusable, locked)
    /// rather than a failure.
    ///
    /// ```
    /// use edlink_sync::{SourceError, SyncError};
    ///
    /// assert!(SyncError::Unusable(SourceError::unusable("revoked")).is_skip());
    /// ```
    pub fn is_skip(&self) -> bool {
        matches!(self, Self::Unusable(_) | Self::Locked)
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}
