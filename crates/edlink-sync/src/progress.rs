//! [`Progress`]: what the engine reports while it works, to a callback (a
//! progress bar, a log) and to `tracing`.

use std::sync::Arc;

use uuid::Uuid;

use crate::ResourceKind;

/// One step of a sync, handed to the callback set with
/// [`EngineBuilder::on_progress`](crate::EngineBuilder::on_progress).
///
/// ```
/// use edlink_sync::Progress;
///
/// fn show(p: &Progress) -> Option<String> {
///     match p {
///         Progress::Objects { resource, stored, .. } => Some(format!("{resource}: {stored}")),
///         Progress::FellBackToFull { .. } => Some("event cursor aged out: full sync".into()),
///         _ => None,
///     }
/// }
/// # let _ = show;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// A full sync began (or resumed after a crash, within its collection).
    FullSyncStarted {
        /// The integration.
        integration: Uuid,
        /// Its generation number.
        generation: u64,
        /// `true` when continuing an interrupted full sync.
        resumed: bool,
    },
    /// A page of objects was stored.
    Objects {
        /// The integration.
        integration: Uuid,
        /// The collection.
        resource: ResourceKind,
        /// Objects of this collection stored so far by this run.
        stored: u64,
    },
    /// The full sync finished: older rows were removed and incremental sync
    /// begins.
    FullSyncFinished {
        /// The integration.
        integration: Uuid,
        /// Its generation number.
        generation: u64,
        /// Objects removed because this generation did not see them.
        removed: u64,
    },
    /// A page of events was applied.
    Events {
        /// The integration.
        integration: Uuid,
        /// Events applied so far by this run.
        applied: u64,
    },
    /// The event checkpoint aged out of Edlink's retention: a full sync
    /// follows.
    FellBackToFull {
        /// The integration.
        integration: Uuid,
        /// The event id that was refused.
        after_event: Uuid,
    },
    /// A transient failure; the call is tried again after a pause.
    Retrying {
        /// The integration.
        integration: Uuid,
        /// The attempt that failed (1 for the first).
        attempt: u32,
        /// What failed, with its causes.
        error: String,
    },
    /// The integration is up to date.
    Finished {
        /// The integration.
        integration: Uuid,
        /// Objects stored by the full read in this run.
        entities: u64,
        /// Events applied in this run.
        events: u64,
    },
    /// The integration was not synced: it cannot be used (token revoked,
    /// not active or paused) or another worker holds it.
    Skipped {
        /// The integration.
        integration: Uuid,
        /// Why, with its causes.
        reason: String,
    },
    /// The integration's sync stopped with an error (the next run resumes
    /// from its checkpoint).
    Failed {
        /// The integration.
        integration: Uuid,
        /// The error, with its causes.
        error: String,
    },
}

impl Progress {
    /// The integration this step is about.
    ///
    /// ```
    /// let p = edlink_sync::Progress::Events { integration: uuid::Uuid::nil(), applied: 3 };
    /// assert_eq!(p.integration(), uuid::Uuid::nil());
    /// ```
    pub fn integration(&self) -> Uuid {
        match self {
            Self::FullSyncStarted { integration, .. }
            | Self::Objects { integration, .. }
            | Self::FullSyncFinished { integration, .. }
            | Self::Events { integration, .. }
            | Self::FellBackToFull { integration, .. }
            | Self::Retrying { integration, .. }
            | Self::Finished { integration, .. }
            | Self::Skipped { integration, .. }
            | Self::Failed { integration, .. } => *integration,
        }
    }
}

/// The progress callback.
pub(crate) type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// An error and its causes on one line: `a: b: c`.
pub(crate) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        out.push_str(": ");
        out.push_str(&e.to_string());
        next = e.source();
    }
    out
}
