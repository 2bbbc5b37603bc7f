//! [`Checkpoint`]: where an integration's sync stands, saved in the same
//! transaction as the data it describes.

use edlink_model::Timestamp;
use uuid::Uuid;

use crate::ResourceKind;

/// The phase of an integration's sync.
///
/// ```
/// use edlink_sync::{Phase, ResourceKind};
///
/// let p = Phase::Full { resource: ResourceKind::People, after: None, start_event: None };
/// assert_eq!(p.name(), "full");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// Reading every collection. The next page is `resource` after the object
    /// `after` (from its start when `None`).
    Full {
        /// The collection being read.
        resource: ResourceKind,
        /// The last object of `resource` stored, when any.
        after: Option<Uuid>,
        /// The newest event when this full sync began (learned before any
        /// read): incremental sync continues after it. `None` when there was
        /// no event at all.
        start_event: Option<Uuid>,
    },
    /// Following the events feed after `after_event` (from the oldest event
    /// kept when `None`: there was no event when the full sync began).
    Incremental {
        /// The last event applied.
        after_event: Option<Uuid>,
    },
}

impl Phase {
    /// `full` or `incremental`, as stored in the `phase` column.
    ///
    /// ```
    /// assert_eq!(edlink_sync::Phase::Incremental { after_event: None }.name(), "incremental");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Self::Full { .. } => "full",
            Self::Incremental { .. } => "incremental",
        }
    }
}

/// Where an integration's sync stands: the generation (one per full sync)
/// and the phase. A store saves it in the same transaction as the page it
/// follows, so after a crash it always describes what the store holds.
///
/// ```
/// use edlink_sync::{Checkpoint, Phase, ResourceKind};
///
/// let cp = Checkpoint::new(1, Phase::Full { resource: ResourceKind::Districts, after: None, start_event: None });
/// assert_eq!(cp.generation, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Checkpoint {
    /// The full sync this data belongs to, counting from 1. Rows written by
    /// older generations are removed when a full sync finishes.
    pub generation: u64,
    /// The phase.
    pub phase: Phase,
}

impl Checkpoint {
    /// A checkpoint.
    ///
    /// ```
    /// use edlink_sync::{Checkpoint, Phase};
    ///
    /// let cp = Checkpoint::new(3, Phase::Incremental { after_event: None });
    /// assert_eq!(cp.phase.name(), "incremental");
    /// ```
    pub fn new(generation: u64, phase: Phase) -> Self {
        Self { generation, phase }
    }
}

/// A [`Checkpoint`] as read back from a store, with the times the store
/// recorded (UTC, from the database's clock).
///
/// ```
/// use edlink_sync::{Checkpoint, Phase, StoredCheckpoint};
///
/// let stored = StoredCheckpoint::new(Checkpoint::new(1, Phase::Incremental { after_event: None }));
/// assert!(stored.updated_at.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredCheckpoint {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// When the current generation's full sync began.
    pub full_started_at: Option<Timestamp>,
    /// When it finished (`None` while it runs).
    pub full_finished_at: Option<Timestamp>,
    /// When the checkpoint was last written.
    pub updated_at: Option<Timestamp>,
}

impl StoredCheckpoint {
    /// A stored checkpoint without times.
    ///
    /// ```
    /// # use edlink_sync::{Checkpoint, Phase, StoredCheckpoint};
    /// let s = StoredCheckpoint::new(Checkpoint::new(2, Phase::Incremental { after_event: None }));
    /// assert_eq!(s.checkpoint.generation, 2);
    /// ```
    pub fn new(checkpoint: Checkpoint) -> Self {
        Self {
            checkpoint,
            full_started_at: None,
            full_finished_at: None,
            updated_at: None,
        }
    }
}

/// The columns of a checkpoint row, shared by both stores.
pub(crate) struct CheckpointColumns {
    pub phase: &'static str,
    pub resource: Option<&'static str>,
    pub last_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    pub generation: i64,
}

impl CheckpointColumns {
    pub(crate) fn from_checkpoint(cp: &Checkpoint) -> Self {
        let generation = i64::try_from(cp.generation).unwrap_or(i64::MAX);
        match cp.phase {
            Phase::Full {
                resource,
                after,
                start_event,
            } => Self {
                phase: "full",
                resource: Some(resource.table()),
                last_id: after,
                event_id: start_event,
                generation,
            },
            Phase::Incremental { after_event } => Self {
                phase: "incremental",
                resource: None,
                last_id: None,
                event_id: after_event,
                generation,
            },
        }
    }

    /// Reads the columns back; `Err` names what is inconsistent.
    pub(crate) fn to_checkpoint(
        phase: &str,
        resource: Option<&str>,
        last_id: Option<Uuid>,
        event_id: Option<Uuid>,
        generation: i64,
    ) -> Result<Checkpoint, String> {
        let generation =
            u64::try_from(generation).map_err(|_| format!("negative generation {generation}"))?;
        let phase = match phase {
            "full" => {
                let resource = resource
                    .ok_or("phase full without a resource")?
                    .parse::<ResourceKind>()
                    .map_err(|e| e.to_string())?;
                Phase::Full {
                    resource,
                    after: last_id,
                    start_event: event_id,
                }
            }
            "incremental" => Phase::Incremental {
                after_event: event_id,
            },
            other => return Err(format!("unknown phase {other:?}")),
        };
        Ok(Checkpoint::new(generation, phase))
    }
}

pub(crate) fn parse_time(text: Option<String>) -> Option<Timestamp> {
    text.and_then(|t| t.parse().ok())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn columns_round_trip() {
        let cases = [
            Checkpoint::new(
                4,
                Phase::Full {
                    resource: ResourceKind::Sections,
                    after: Some(Uuid::from_u128(9)),
                    start_event: Some(Uuid::from_u128(8)),
                },
            ),
            Checkpoint::new(
                1,
                Phase::Full {
                    resource: ResourceKind::Districts,
                    after: None,
                    start_event: None,
                },
            ),
            Checkpoint::new(
                7,
                Phase::Incremental {
                    after_event: Some(Uuid::from_u128(3)),
                },
            ),
            Checkpoint::new(7, Phase::Incremental { after_event: None }),
        ];
        for cp in cases {
            let c = CheckpointColumns::from_checkpoint(&cp);
            let back = CheckpointColumns::to_checkpoint(
                c.phase,
                c.resource,
                c.last_id,
                c.event_id,
                c.generation,
            )
            .unwrap();
            assert_eq!(back, cp);
        }
    }

    #[test]
    fn inconsistent_rows_are_errors() {
        assert!(CheckpointColumns::to_checkpoint("full", None, None, None, 1).is_err());
        assert!(CheckpointColumns::to_checkpoint("full", Some("periods"), None, None, 1).is_err());
        assert!(CheckpointColumns::to_checkpoint("paused", None, None, None, 1).is_err());
        assert!(CheckpointColumns::to_checkpoint("incremental", None, None, None, -1).is_err());
    }
}
