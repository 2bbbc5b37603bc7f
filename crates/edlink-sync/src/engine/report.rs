//! [`IntegrationReport`] and [`SyncSummary`]: what a run did.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::{ResourceKind, SyncError};

/// What one run did for one integration.
///
/// ```
/// let r = edlink_sync::IntegrationReport::new(uuid::Uuid::nil());
/// assert_eq!((r.entities(), r.events_applied, r.full_syncs), (0, 0, 0));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IntegrationReport {
    /// The integration.
    pub integration: Uuid,
    /// Full syncs finished in this run (0 for a purely incremental run).
    pub full_syncs: u32,
    /// Whether the run continued a full sync interrupted earlier.
    pub resumed: bool,
    /// Whether the event checkpoint aged out and a full sync followed.
    pub fell_back: bool,
    /// Objects stored by full reads, per collection.
    pub objects: BTreeMap<ResourceKind, u64>,
    /// Objects removed at the end of full syncs (not seen by their
    /// generation).
    pub removed: u64,
    /// Events applied.
    pub events_applied: u64,
    /// Events skipped: an unknown `type` or `target`, or a `created`/`updated`
    /// without `data`, or a `deleted` without an id (each logged with
    /// `tracing`).
    pub events_skipped: u64,
    /// The generation the store holds now.
    pub generation: u64,
}

impl IntegrationReport {
    /// An empty report.
    pub fn new(integration: Uuid) -> Self {
        Self {
            integration,
            full_syncs: 0,
            resumed: false,
            fell_back: false,
            objects: BTreeMap::new(),
            removed: 0,
            events_applied: 0,
            events_skipped: 0,
            generation: 0,
        }
    }

    /// Objects stored by full reads, all collections.
    ///
    /// ```
    /// let mut r = edlink_sync::IntegrationReport::new(uuid::Uuid::nil());
    /// r.objects.insert(edlink_sync::ResourceKind::People, 5);
    /// assert_eq!(r.entities(), 5);
    /// ```
    pub fn entities(&self) -> u64 {
        self.objects.values().sum()
    }
}

/// What [`Engine::sync_all`](crate::Engine::sync_all) did: one outcome per
/// integration, in the order given.
///
/// ```
/// let s = edlink_sync::SyncSummary::default();
/// assert_eq!((s.synced(), s.skipped(), s.failed()), (0, 0, 0));
/// ```
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct SyncSummary {
    /// Each integration with its report or error.
    pub outcomes: Vec<(Uuid, Result<IntegrationReport, SyncError>)>,
}

impl SyncSummary {
    fn reports(&self) -> impl Iterator<Item = &IntegrationReport> {
        self.outcomes.iter().filter_map(|(_, r)| r.as_ref().ok())
    }

    /// Integrations brought up to date.
    pub fn synced(&self) -> usize {
        self.reports().count()
    }

    /// Integrations skipped: unusable, or locked by another worker.
    pub fn skipped(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|(_, r)| r.as_ref().is_err_and(SyncError::is_skip))
            .count()
    }

    /// Integrations whose sync stopped with an error.
    pub fn failed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|(_, r)| r.as_ref().is_err_and(|e| !e.is_skip()))
            .count()
    }

    /// Objects stored by full reads, all integrations.
    pub fn entities(&self) -> u64 {
        self.reports().map(IntegrationReport::entities).sum()
    }

    /// Events applied, all integrations.
    pub fn events(&self) -> u64 {
        self.reports().map(|r| r.events_applied).sum()
    }

    /// Full syncs finished, all integrations.
    pub fn full_syncs(&self) -> u64 {
        self.reports().map(|r| u64::from(r.full_syncs)).sum()
    }
}
