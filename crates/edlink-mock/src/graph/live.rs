//! A live district: the snapshot the server serves, the writer that changes it step by step,
//! and the district's calendar (event dates and their retention).
//!
//! Requests take the current snapshot (an `Arc` clone under a read lock) and answer from it
//! alone, so a page is always consistent; a mutation builds the next snapshot aside, under
//! the writer lock, and swaps it in.

use std::sync::{Mutex, MutexGuard, RwLock};
use std::time::Duration;

use crate::collection::Collection;
use crate::graph::data::{Changes, GraphData};
use crate::graph::district::mutate::{self, StepOutput};
use crate::graph::district::{CALENDAR_START, Ctx, event_date, event_id};

/// What a call to [`MockServer::mutate`](crate::MockServer::mutate) did to a district.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let server = edlink_mock::MockServer::builder().start().await?;
/// let integration = server.integrations_with_status("active")[0];
/// let report = server.mutate(integration, 10).expect("a listed integration");
/// assert_eq!(report.steps, 10);
/// assert_eq!(report.events, report.created + report.updated + report.deleted);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MutationReport {
    /// Steps run by this call.
    pub steps: u64,
    /// Steps the district has run since it was generated (the next step's number).
    pub total_steps: u64,
    /// Objects created.
    pub created: usize,
    /// Objects updated (a cascade counts: a deleted section updates its enrollments).
    pub updated: usize,
    /// Objects deleted (a cascade counts: a deleted class takes its enrollments along).
    pub deleted: usize,
    /// Events appended: one per change.
    pub events: usize,
}

impl MutationReport {
    fn add(&mut self, step: &StepOutput) {
        self.steps += 1;
        self.created += step.created;
        self.updated += step.updated;
        self.deleted += step.deleted;
        self.events += step.created + step.updated + step.deleted;
    }
}

#[derive(Debug)]
struct Writer {
    /// The generator's context: the district's facts and writers.
    template: Ctx,
    steps: u64,
    /// The date of the newest event written (ms since the epoch).
    last_event_ms: u64,
}

/// One district that can change.
#[derive(Debug)]
pub(crate) struct Live {
    current: RwLock<GraphData>,
    writer: Mutex<Writer>,
    /// The district's calendar reads `origin_ms` (ms since the epoch) when the server's clock
    /// reads `born_ms`, and runs with it.
    origin_ms: u64,
    born_ms: u64,
}

impl Live {
    /// A freshly generated district, born at `now_ms` on the server's clock: its calendar
    /// starts a second after its newest event.
    pub(crate) fn new(data: GraphData, template: Ctx, now_ms: u64) -> Self {
        let newest = data
            .items(Collection::Events)
            .keys()
            .last()
            .map_or(CALENDAR_START, |id| event_date(*id));
        Self {
            current: RwLock::new(data),
            writer: Mutex::new(Writer {
                template,
                steps: 0,
                last_event_ms: newest,
            }),
            origin_ms: newest + 1_000,
            born_ms: now_ms,
        }
    }

    /// The district's date (ms since the epoch) when the server's clock reads `now_ms`.
    fn calendar_ms(&self, now_ms: u64) -> u64 {
        self.origin_ms + now_ms.saturating_sub(self.born_ms)
    }

    /// The lowest event id still kept at `now_ms`.
    fn floor(&self, now_ms: u64, retention: Duration) -> u128 {
        let retention = u64::try_from(retention.as_millis()).unwrap_or(u64::MAX);
        event_id(self.calendar_ms(now_ms).saturating_sub(retention), 0)
    }

    fn read(&self) -> GraphData {
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn publish(&self, data: GraphData) {
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = data;
    }

    fn lock(&self) -> MutexGuard<'_, Writer> {
        self.writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current snapshot, without the events that aged out by `now_ms` (dropping them
    /// publishes a new snapshot).
    pub(crate) fn snapshot(&self, now_ms: u64, retention: Duration) -> GraphData {
        let current = self.read();
        let floor = self.floor(now_ms, retention);
        let oldest = current.items(Collection::Events).keys().first().copied();
        if oldest.is_none_or(|id| id >= floor) {
            return current;
        }
        let _writer = self.lock();
        let trimmed = self.read().apply(&Changes::new(), floor);
        self.publish(trimmed.clone());
        trimmed
    }

    /// Runs `steps` mutation steps (deterministic in `seed` and the step numbers), dating
    /// their events on the district's calendar, then publishes the result.
    pub(crate) fn mutate(
        &self,
        steps: u64,
        seed: u64,
        now_ms: u64,
        retention: Duration,
    ) -> MutationReport {
        let mut writer = self.lock();
        let mut data = self.read();
        let floor = self.floor(now_ms, retention);
        let mut report = MutationReport::default();
        for _ in 0..steps {
            // Dates grow strictly, even when steps come faster than the clock ticks.
            let date = self.calendar_ms(now_ms).max(writer.last_event_ms + 1);
            let out = mutate::step(&data, &writer.template, seed, writer.steps, date);
            writer.steps += 1;
            writer.last_event_ms = writer.last_event_ms.max(out.last_date);
            data = data.apply(&out.changes, floor);
            report.add(&out);
        }
        report.total_steps = writer.steps;
        self.publish(data);
        report
    }

    /// Purges every event written so far ("age out everything before now"); returns how
    /// many there were. Events written later are kept as usual.
    pub(crate) fn age_out(&self) -> usize {
        let writer = self.lock();
        let data = self.read();
        let count = data.len(Collection::Events);
        let floor = event_id(writer.last_event_ms + 1, 0);
        self.publish(data.apply(&Changes::new(), floor));
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::district::Origin;
    use crate::graph::index;
    use crate::graph::relation::Relation;
    use crate::graph::size::GraphSize;
    use crate::graph::store::DEFAULT_EVENT_RETENTION;

    fn live(id: u128, seed: u64) -> Live {
        let origin = Origin {
            id,
            ..Origin::default()
        };
        let (data, template) = GraphData::generate(&origin, seed, &GraphSize::default());
        Live::new(data, template, 0)
    }

    #[test]
    fn index_parts_rebuilt_after_steps_equal_a_full_build() {
        let district = live(42, 7);
        for round in 0..40u64 {
            district.mutate(5, 7, round * 1_000, DEFAULT_EVENT_RETENTION);
            let snap = district.read();
            let fresh = index::build(|c| snap.items(c));
            for parent in Collection::GRAPH {
                for relation in Relation::of_parent(parent) {
                    for at in 0..snap.len(parent) {
                        assert_eq!(
                            snap.nested(parent, *relation, at),
                            fresh.get(parent, *relation, at),
                            "round {round}: {parent:?}/{relation:?} of #{at}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn steps_are_numbered_so_batches_do_not_matter() {
        let (a, b) = (live(9, 3), live(9, 3));
        let report = a.mutate(60, 3, 5_000, DEFAULT_EVENT_RETENTION);
        assert_eq!((report.steps, report.total_steps), (60, 60));
        for _ in 0..3 {
            b.mutate(20, 3, 5_000, DEFAULT_EVENT_RETENTION);
        }
        assert_eq!(a.read().dump(), b.read().dump());
        assert_eq!(
            a.read().bytes(Collection::Events),
            b.read().bytes(Collection::Events)
        );
        let c = live(9, 4);
        c.mutate(60, 4, 5_000, DEFAULT_EVENT_RETENTION);
        assert_ne!(a.read().dump(), c.read().dump());
    }

    #[test]
    fn events_age_out_on_the_calendar_and_on_demand() {
        let district = live(5, 1);
        let history = district.read().len(Collection::Events);
        assert!(history > 5);
        let day = 86_400_000;
        let month = Duration::from_secs(30 * 86_400);
        // 29 days on: the history is kept; a step is dated on the calendar.
        assert_eq!(
            district.snapshot(29 * day, month).len(Collection::Events),
            history
        );
        let report = district.mutate(3, 1, 29 * day, month);
        let snap = district.snapshot(29 * day, month);
        assert_eq!(snap.len(Collection::Events), history + report.events);
        let newest = snap.ids(Collection::Events).last().map(|id| id.as_u128());
        assert_eq!(
            newest.map(event_date),
            Some(district.origin_ms + 29 * day + report.events as u64 - 1)
        );
        // 31 days on: the history has aged out, the new events stay.
        let snap = district.snapshot(31 * day, month);
        assert_eq!(snap.len(Collection::Events), report.events);
        // On demand: everything so far.
        assert_eq!(district.age_out(), report.events);
        assert!(
            district
                .snapshot(31 * day, month)
                .is_empty(Collection::Events)
        );
        let report = district.mutate(1, 1, 31 * day, month);
        assert_eq!(
            district.snapshot(31 * day, month).len(Collection::Events),
            report.events
        );
    }
}
