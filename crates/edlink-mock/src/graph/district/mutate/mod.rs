//! Mutation steps: each step changes a district the way a roster changes (people arrive and
//! leave, classes open and close, enrollments move), deterministically from the seed and the
//! step number, keeps every reference valid, and writes one v2 event per change.
//!
//! A step picks one action from a weighted table. An action that finds nothing to act on
//! (no empty school to delete, …) gives way to an update of the district. New objects come
//! from the generator's own writers, so they have the generated shapes; their dates, and the
//! `updated_date` of changed objects, are the dates of their events.
//!
//! | File | Actions |
//! |---|---|
//! | `people.rs` | people and agents |
//! | `links.rs` | enrollments |
//! | `classes.rs` | classes and sections |
//! | `orgs.rs` | the district, schools, sessions and courses |

mod classes;
mod links;
mod orgs;
mod people;

use super::Ctx;
use super::events::{self, EventSpec, event_id};
use crate::collection::Collection;
use crate::graph::data::{Changes, GraphData};
use crate::graph::raw;
use crate::graph::relation::Relation;
use crate::prng::SplitMix64;
use crate::text::{edlink_date, json_string};
use bytes::Bytes;

/// What one step did.
#[derive(Debug, Default)]
pub(crate) struct StepOutput {
    /// The objects changed and the events written (under [`Collection::Events`]).
    pub(crate) changes: Changes,
    pub(crate) created: usize,
    pub(crate) updated: usize,
    pub(crate) deleted: usize,
    /// The date of the last event written (0 when none was).
    pub(crate) last_date: u64,
}

/// An action: `false` when it found nothing to act on (and changed nothing).
type Action = fn(&mut Step<'_>) -> bool;

/// The actions and their weights.
const ACTIONS: [(Action, u32); 25] = [
    (people::update_person, 20),
    (people::create_student, 10),
    (people::delete_person, 5),
    (people::create_agent, 3),
    (people::update_agent, 3),
    (people::delete_agent, 2),
    (links::create_enrollment, 8),
    (links::update_enrollment, 8),
    (links::delete_enrollment, 6),
    (classes::create_class, 4),
    (classes::update_class, 6),
    (classes::delete_class, 2),
    (classes::create_section, 3),
    (classes::update_section, 3),
    (classes::delete_section, 2),
    (orgs::create_course, 2),
    (orgs::update_course, 3),
    (orgs::delete_course, 1),
    (orgs::create_session, 2),
    (orgs::update_session, 2),
    (orgs::delete_session, 2),
    (orgs::create_school, 1),
    (orgs::update_school, 2),
    (orgs::delete_school, 2),
    (orgs::update_district, 1),
];

/// Step `number` of the district `data` (whose generator context is `template`): its
/// changes and events, the first event dated `date` (ms since the epoch), the next ones a
/// millisecond apart.
pub(crate) fn step(
    data: &GraphData,
    template: &Ctx,
    seed: u64,
    number: u64,
    date: u64,
) -> StepOutput {
    let mut ctx = template.clone();
    // A stream per district, then per step: step n never depends on how many draws the
    // steps before it made.
    let integration = ctx.integration;
    let mut mix = SplitMix64::new(
        seed ^ 0x3C6E_F372_FE94_F82B ^ (integration as u64) ^ ((integration >> 64) as u64),
    );
    let base = mix.next_u64();
    ctx.reseed(base ^ number.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut step = Step {
        ctx,
        data,
        number,
        date,
        log: Vec::new(),
    };
    let action = step
        .rng()
        .weighted(&ACTIONS)
        .copied()
        .unwrap_or(orgs::update_district);
    if !action(&mut step) {
        orgs::update_district(&mut step);
    }
    step.finish()
}

/// What happened to an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Created,
    Updated,
    Deleted,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Created => "created",
            Kind::Updated => "updated",
            Kind::Deleted => "deleted",
        }
    }
}

/// One change of a step, in order.
struct Entry {
    kind: Kind,
    collection: Collection,
    id: u128,
    /// The new value (the last one for a deletion).
    json: String,
    date: u64,
}

/// A step in progress: the district as it was, and the changes so far.
pub(super) struct Step<'a> {
    /// The generator's context, with this step's random stream.
    ctx: Ctx,
    data: &'a GraphData,
    number: u64,
    /// The date of the next change.
    date: u64,
    log: Vec<Entry>,
}

impl Step<'_> {
    fn rng(&mut self) -> &mut SplitMix64 {
        &mut self.ctx.rng
    }

    /// A number unique to this step, for emails and SIS ids of new people.
    fn unique(&self) -> usize {
        usize::try_from(self.number).unwrap_or(usize::MAX / 2) + 1_000_000
    }

    /// The ids of a collection, ascending, as the step began.
    fn ids(&self, collection: Collection) -> &[u128] {
        self.data.items(collection).keys()
    }

    /// One of `ids`, at random.
    fn pick_from(&mut self, ids: &[u128]) -> Option<u128> {
        self.ctx.rng.pick(ids).copied()
    }

    /// One object of `collection`, at random.
    fn pick(&mut self, collection: Collection) -> Option<u128> {
        let n = self.ids(collection).len() as u64;
        let at = self.ctx.rng.below(n) as usize;
        self.ids(collection).get(at).copied()
    }

    /// The ids a nested list served as the step began (e.g. the students of a school).
    fn nested(&self, parent: Collection, id: u128, relation: Relation) -> Vec<u128> {
        self.data
            .nested_keys(parent, id, relation)
            .unwrap_or_default()
    }

    /// The current bytes of an object (with this step's changes).
    fn object(&self, collection: Collection, id: u128) -> Option<&[u8]> {
        match self
            .log
            .iter()
            .rev()
            .find(|e| e.collection == collection && e.id == id)
        {
            Some(e) if e.kind == Kind::Deleted => None,
            Some(e) => Some(e.json.as_bytes()),
            None => self.data.lookup(collection, id).map(|b| &b[..]),
        }
    }

    /// A string member of an object.
    fn string(&self, collection: Collection, id: u128, key: &str) -> Option<String> {
        raw::string(raw::member(self.object(collection, id)?, key))
    }

    /// A string-array member of an object.
    fn strings(&self, collection: Collection, id: u128, key: &str) -> Vec<String> {
        raw::strings(
            self.object(collection, id)
                .and_then(|o| raw::member(o, key)),
        )
    }

    fn next_date(&mut self) -> u64 {
        let date = self.date;
        self.date += 1;
        date
    }

    /// Records what the generator's writers wrote since the last call as created, dated by
    /// their events.
    fn created(&mut self) {
        for (collection, id, json) in self.ctx.take_objects() {
            let date = self.next_date();
            let stamp = json_string(&edlink_date(date as i64));
            let dates = [
                ("created_date", stamp.as_str()),
                ("updated_date", stamp.as_str()),
            ];
            let json = raw::edit(json.as_bytes(), &dates, false).unwrap_or(json);
            self.log.push(Entry {
                kind: Kind::Created,
                collection,
                id,
                json,
                date,
            });
        }
    }

    /// Sets members of an object (`(key, raw JSON)`; a missing one is added) and its
    /// `updated_date`. `false` when the object does not exist.
    fn update(&mut self, collection: Collection, id: u128, edits: &[(&str, String)]) -> bool {
        let Some(old) = self.object(collection, id) else {
            return false;
        };
        let edits: Vec<(&str, &str)> = edits.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let Some(json) = raw::edit(old, &edits, true) else {
            return false;
        };
        let date = self.next_date();
        let stamp = json_string(&edlink_date(date as i64));
        let json = raw::edit(json.as_bytes(), &[("updated_date", &stamp)], false).unwrap_or(json);
        self.log.push(Entry {
            kind: Kind::Updated,
            collection,
            id,
            json,
            date,
        });
        true
    }

    /// Deletes an object; its event carries its last value. `false` when it does not exist.
    fn delete(&mut self, collection: Collection, id: u128) -> bool {
        let Some(old) = self.object(collection, id) else {
            return false;
        };
        let json = String::from_utf8_lossy(old).into_owned();
        let date = self.next_date();
        self.log.push(Entry {
            kind: Kind::Deleted,
            collection,
            id,
            json,
            date,
        });
        true
    }

    /// The changes and their events.
    fn finish(mut self) -> StepOutput {
        let mut out = StepOutput::default();
        let materialization = self.ctx.id();
        let log = std::mem::take(&mut self.log);
        for entry in log {
            let id = event_id(entry.date, self.ctx.id());
            let event = events::write(&EventSpec {
                id,
                date_ms: entry.date,
                kind: entry.kind.name(),
                target: entry.collection,
                target_id: entry.id,
                integration: self.ctx.integration,
                materialization,
                data: &entry.json,
            });
            let value = match entry.kind {
                Kind::Created => {
                    out.created += 1;
                    Some(Bytes::from(entry.json))
                }
                Kind::Updated => {
                    out.updated += 1;
                    Some(Bytes::from(entry.json))
                }
                Kind::Deleted => {
                    out.deleted += 1;
                    None
                }
            };
            out.changes
                .entry(entry.collection)
                .or_default()
                .insert(entry.id, value);
            out.changes
                .entry(Collection::Events)
                .or_default()
                .insert(id, Some(Bytes::from(event)));
            out.last_date = entry.date;
        }
        out
    }
}
