//! The fake district's state: its objects, its events feed and the rules
//! that change them (`mutate`), all deterministic from a seed.

mod mutate;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use edlink_model::Event;
use uuid::Uuid;

use super::generate::{self as g, Rng};
use crate::ResourceKind;

/// How big a seeded district is.
///
/// ```
/// use edlink_sync::fake::WorldSize;
///
/// let size = WorldSize::with_people(50_000);
/// assert!(size.schools >= 1);
/// assert_eq!(WorldSize::tiny().schools, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorldSize {
    /// Schools (each with two sessions and its courses).
    pub schools: usize,
    /// Students per school.
    pub students_per_school: usize,
    /// Teachers per school.
    pub teachers_per_school: usize,
    /// Classes per school (one teacher and `students_per_class` students each).
    pub classes_per_school: usize,
    /// Students enrolled in each class.
    pub students_per_class: usize,
}

impl WorldSize {
    /// One school, 12 students, 2 teachers, 3 classes: for doc tests.
    pub fn tiny() -> Self {
        Self {
            schools: 1,
            students_per_school: 12,
            teachers_per_school: 2,
            classes_per_school: 3,
            students_per_class: 5,
        }
    }

    /// Three schools, about 200 people: for engine tests.
    pub fn small() -> Self {
        Self {
            schools: 3,
            students_per_school: 60,
            teachers_per_school: 5,
            classes_per_school: 12,
            students_per_class: 15,
        }
    }

    /// About `people` people (students, teachers and one guardian per four
    /// students), in schools of 1,000, each student in about five classes.
    pub fn with_people(people: usize) -> Self {
        // Per school: 800 students, 50 teachers, 200 guardians = 1,050.
        let schools = (people / 1_050).max(1);
        Self {
            schools,
            students_per_school: 800,
            teachers_per_school: 50,
            classes_per_school: 160,
            students_per_class: 25,
        }
    }
}

/// One collection's objects: exact JSON text by id, plus an index for
/// picking one at random in O(1).
#[derive(Debug, Default, Clone)]
struct Table {
    by_id: BTreeMap<Uuid, String>,
    ids: Vec<Uuid>,
    at: HashMap<Uuid, usize>,
}

impl Table {
    fn put(&mut self, id: Uuid, json: String) {
        if self.by_id.insert(id, json).is_none() {
            self.at.insert(id, self.ids.len());
            self.ids.push(id);
        }
    }

    fn remove(&mut self, id: Uuid) -> bool {
        if self.by_id.remove(&id).is_none() {
            return false;
        }
        if let Some(i) = self.at.remove(&id) {
            self.ids.swap_remove(i);
            if let Some(moved) = self.ids.get(i) {
                self.at.insert(*moved, i);
            }
        }
        true
    }

    fn pick(&self, rng: &mut Rng) -> Option<Uuid> {
        self.ids.get(rng.below(self.ids.len())).copied()
    }
}

/// The whole state behind a [`FakeWorld`](super::FakeWorld).
#[derive(Debug)]
pub(crate) struct World {
    rng: Rng,
    tables: [Table; 9],
    district: Uuid,
    /// Logical time in seconds; every change advances it.
    clock: u64,
    /// Mutation batches so far.
    pub(crate) step: u64,
    events: VecDeque<(u64, Event)>,
    /// Sequence number of `events[0]`.
    first_seq: u64,
    seq_of: HashMap<Uuid, u64>,
    purged: HashSet<Uuid>,
    /// Keep the events of the last this-many steps (None: all).
    pub(crate) retention_steps: Option<u64>,
    pub(crate) faults: Faults,
}

/// What the fake does wrong, on purpose.
#[derive(Debug, Default, Clone)]
pub(crate) struct Faults {
    pub calls: u64,
    pub fail_every: Option<u64>,
    pub revoked: bool,
    pub delay: Option<std::time::Duration>,
    /// Apply this many mutations every `.0` calls.
    pub mutate_every: Option<(u64, usize)>,
}

fn slot(kind: ResourceKind) -> usize {
    ResourceKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

impl World {
    pub(crate) fn seeded(seed: u64, size: WorldSize) -> Self {
        let mut rng = Rng::new(seed);
        let district = rng.uuid();
        let mut w = Self {
            rng,
            tables: Default::default(),
            district,
            clock: 0,
            step: 0,
            events: VecDeque::new(),
            first_seq: 0,
            seq_of: HashMap::new(),
            purged: HashSet::new(),
            retention_steps: None,
            faults: Faults::default(),
        };
        w.put(
            ResourceKind::Districts,
            district,
            g::district(district, 0, 0),
        );
        for n in 0..size.schools {
            w.seed_school(n, size);
        }
        // A few events older than any sync: the feed is never empty.
        for _ in 0..3 {
            w.mutate_one();
        }
        w
    }

    fn put(&mut self, kind: ResourceKind, id: Uuid, json: String) {
        self.tables[slot(kind)].put(id, json);
    }

    fn table(&self, kind: ResourceKind) -> &Table {
        &self.tables[slot(kind)]
    }

    fn seed_school(&mut self, n: usize, size: WorldSize) {
        let d = self.district;
        let school = self.rng.uuid();
        self.put(ResourceKind::Schools, school, g::school(school, d, n, 0, 0));
        let sessions = [self.rng.uuid(), self.rng.uuid()];
        for (i, s) in sessions.iter().enumerate() {
            self.put(
                ResourceKind::Sessions,
                *s,
                g::session(*s, school, d, i + 1, 0),
            );
        }
        let mut courses = Vec::new();
        for _ in 0..(size.classes_per_school / 4).max(1) {
            let c = self.rng.uuid();
            let json = g::course(&mut self.rng, c, sessions[0], school, d, 0);
            self.put(ResourceKind::Courses, c, json);
            courses.push(c);
        }
        let mut students = Vec::new();
        for _ in 0..size.students_per_school {
            let p = self.rng.uuid();
            let json = g::person(&mut self.rng, p, "student", d, &[school], 0);
            self.put(ResourceKind::People, p, json);
            students.push(p);
        }
        let mut teachers = Vec::new();
        for _ in 0..size.teachers_per_school {
            let p = self.rng.uuid();
            let json = g::person(&mut self.rng, p, "teacher", d, &[school], 0);
            self.put(ResourceKind::People, p, json);
            teachers.push(p);
        }
        for chunk in students.chunks(4) {
            let guardian = self.rng.uuid();
            let json = g::person(&mut self.rng, guardian, "guardian", d, &[], 0);
            self.put(ResourceKind::People, guardian, json);
            for s in chunk.iter().take(2) {
                let a = self.rng.uuid();
                let json = g::agent(&mut self.rng, a, guardian, *s, 0);
                self.put(ResourceKind::Agents, a, json);
            }
        }
        for k in 0..size.classes_per_school {
            let class = self.rng.uuid();
            let course = courses[k % courses.len()];
            let session_ids: &[Uuid] = if k % 3 == 0 {
                &sessions
            } else {
                &sessions[..1]
            };
            let json = g::class(&mut self.rng, class, course, school, session_ids, 0, 0);
            self.put(ResourceKind::Classes, class, json);
            let section = (k % 5 == 0).then(|| self.rng.uuid());
            if let Some(s) = section {
                self.put(ResourceKind::Sections, s, g::section(s, class, 0));
            }
            if let Some(t) = teachers.get(k % teachers.len().max(1)) {
                let e = self.rng.uuid();
                self.put(
                    ResourceKind::Enrollments,
                    e,
                    g::enrollment(e, *t, class, section, "teacher", 0),
                );
            }
            for _ in 0..size.students_per_class {
                let Some(student) = students.get(self.rng.below(students.len())).copied() else {
                    break;
                };
                let e = self.rng.uuid();
                self.put(
                    ResourceKind::Enrollments,
                    e,
                    g::enrollment(e, student, class, section, "student", 0),
                );
            }
        }
    }

    pub(crate) fn apply_retention(&mut self) {
        let Some(keep) = self.retention_steps else {
            return;
        };
        let oldest_kept = self.step.saturating_sub(keep);
        while self.events.front().is_some_and(|(s, _)| *s < oldest_kept) {
            self.purge_front();
        }
    }

    pub(crate) fn expire_all_events(&mut self) {
        while !self.events.is_empty() {
            self.purge_front();
        }
    }

    fn purge_front(&mut self) {
        if let Some((_, e)) = self.events.pop_front() {
            self.seq_of.remove(&e.id);
            self.purged.insert(e.id);
            self.first_seq += 1;
        }
    }

    pub(crate) fn list(
        &self,
        kind: ResourceKind,
        after: Option<Uuid>,
        limit: usize,
    ) -> (Vec<String>, bool) {
        let table = self.table(kind);
        let mut range: Box<dyn Iterator<Item = (&Uuid, &String)>> = match after {
            Some(a) => Box::new(
                table
                    .by_id
                    .range((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded)),
            ),
            None => Box::new(table.by_id.iter()),
        };
        let items: Vec<String> = range.by_ref().take(limit).map(|(_, j)| j.clone()).collect();
        let more = range.next().is_some();
        (items, more)
    }

    pub(crate) fn newest_event(&self) -> Option<Uuid> {
        self.events.back().map(|(_, e)| e.id)
    }

    /// Events after `after`: `Err(true)` when it aged out, `Err(false)`
    /// when it was never an event of this feed.
    pub(crate) fn events_after(
        &self,
        after: Option<Uuid>,
        limit: usize,
    ) -> Result<(Vec<Event>, bool), bool> {
        let start = match after {
            None => 0,
            Some(id) => match self.seq_of.get(&id) {
                Some(seq) => usize::try_from(seq - self.first_seq + 1).unwrap_or(usize::MAX),
                None => return Err(self.purged.contains(&id)),
            },
        };
        let events: Vec<Event> = self
            .events
            .iter()
            .skip(start)
            .take(limit)
            .map(|(_, e)| e.clone())
            .collect();
        let more = start + events.len() < self.events.len();
        Ok((events, more))
    }

    pub(crate) fn dump(&self, integration: Uuid) -> String {
        let mut out = String::new();
        for kind in crate::schema::export_order() {
            for (id, json) in &self.table(kind).by_id {
                out.push_str(&crate::export_line(integration, kind, *id, json, true));
            }
        }
        out
    }

    pub(crate) fn object_count(&self) -> usize {
        self.tables.iter().map(|t| t.by_id.len()).sum()
    }

    pub(crate) fn event_count(&self) -> usize {
        self.events.len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_same_seed_and_steps_give_the_same_world() {
        let mut a = World::seeded(9, WorldSize::small());
        let mut b = World::seeded(9, WorldSize::small());
        a.mutate(50);
        b.mutate(50);
        let id = Uuid::from_u128(1);
        assert_eq!(a.dump(id), b.dump(id));
        assert_eq!(a.newest_event(), b.newest_event());
        let mut c = World::seeded(10, WorldSize::small());
        c.mutate(50);
        assert_ne!(a.dump(id), c.dump(id));
    }

    #[test]
    fn listing_pages_in_id_order_after_an_id() {
        let w = World::seeded(1, WorldSize::small());
        let (first, more) = w.list(ResourceKind::People, None, 10);
        assert!(more);
        let ids: Vec<Uuid> = first
            .iter()
            .map(|j| {
                serde_json::from_str::<serde_json::Value>(j).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap()
            })
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let (next, _) = w.list(ResourceKind::People, ids.last().copied(), 1);
        assert!(!first.contains(&next[0]));
    }

    #[test]
    fn retention_purges_old_events_and_reports_them_aged_out() {
        let mut w = World::seeded(1, WorldSize::tiny());
        w.retention_steps = Some(1);
        w.mutate(5);
        let old = w.events_after(None, 1).unwrap().0[0].id;
        w.mutate(5);
        w.mutate(5);
        assert_eq!(w.events_after(Some(old), 10).map(|_| ()), Err(true));
        assert_eq!(
            w.events_after(Some(Uuid::from_u128(77)), 10).map(|_| ()),
            Err(false)
        );
        let newest = w.newest_event().unwrap();
        assert_eq!(w.events_after(Some(newest), 10).unwrap().0.len(), 0);
    }

    #[test]
    fn table_removal_keeps_the_pick_index_consistent() {
        let mut t = Table::default();
        for n in 0..10 {
            t.put(Uuid::from_u128(n), String::new());
        }
        for n in [3, 9, 0, 5] {
            assert!(t.remove(Uuid::from_u128(n)));
        }
        assert!(!t.remove(Uuid::from_u128(3)));
        assert_eq!(t.ids.len(), 6);
        for (i, id) in t.ids.iter().enumerate() {
            assert_eq!(t.at[id], i);
        }
    }
}
