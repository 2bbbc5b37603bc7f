//! The rules that change the fake district: one random change at a time
//! (a person renamed, an enrollment dropped, a class added …), each written
//! with the event Edlink would emit for it.

use edlink_model::Event;
use uuid::Uuid;

use super::{World, slot};
use crate::ResourceKind;
use crate::fake::generate as g;

impl World {
    fn emit(&mut self, event_type: &str, target: &str, target_id: Uuid, data: Option<&str>) {
        let id = self.rng.uuid();
        let text = format!(
            r#"{{"id":"{id}","date":"{}","type":"{event_type}","target":"{target}","target_id":"{target_id}","materialization_id":null,"data":{}}}"#,
            g::date(self.clock),
            data.unwrap_or("null")
        );
        // The text is built from valid pieces; a failure here would be a bug
        // in the fake, so it is skipped rather than brought down.
        if let Ok(event) = serde_json::from_str::<Event>(&text) {
            let seq = self.first_seq + self.events.len() as u64;
            self.seq_of.insert(id, seq);
            self.events.push_back((self.step, event));
        }
    }

    /// Creates or replaces `id` and emits the matching event.
    fn write(&mut self, kind: ResourceKind, id: Uuid, json: String) {
        let exists = self.table(kind).by_id.contains_key(&id);
        let target = kind.event_target();
        self.emit(
            if exists { "updated" } else { "created" },
            target.as_str(),
            id,
            Some(&json),
        );
        self.put(kind, id, json);
    }

    fn delete(&mut self, kind: ResourceKind, id: Uuid) {
        if self.tables[slot(kind)].remove(id) {
            let target = kind.event_target();
            self.emit("deleted", target.as_str(), id, None);
        }
    }

    fn pick(&mut self, kind: ResourceKind) -> Option<Uuid> {
        let t = &self.tables[slot(kind)];
        t.pick(&mut self.rng)
    }

    /// One random change, with its events.
    pub(crate) fn mutate_one(&mut self) {
        self.clock += 1 + self.rng.below(90) as u64;
        let t = self.clock;
        let d = self.district;
        let rev = self.rng.next_u64() % 1000;
        match self.rng.below(14) {
            0 | 1 => {
                if let Some(p) = self.pick(ResourceKind::People) {
                    let schools: Vec<Uuid> = (0..self.rng.below(3))
                        .filter_map(|_| self.pick(ResourceKind::Schools))
                        .collect();
                    let json = g::person(&mut self.rng, p, "student", d, &schools, t);
                    self.write(ResourceKind::People, p, json);
                }
            }
            2 => {
                let p = self.rng.uuid();
                let schools: Vec<Uuid> = self.pick(ResourceKind::Schools).into_iter().collect();
                let json = g::person(&mut self.rng, p, "student", d, &schools, t);
                self.write(ResourceKind::People, p, json);
                if let Some(class) = self.pick(ResourceKind::Classes) {
                    let e = self.rng.uuid();
                    self.write(
                        ResourceKind::Enrollments,
                        e,
                        g::enrollment(e, p, class, None, "student", t),
                    );
                }
            }
            3 => {
                if let Some(p) = self.pick(ResourceKind::People) {
                    self.delete(ResourceKind::People, p);
                }
            }
            4 | 5 => {
                if let (Some(p), Some(c)) = (
                    self.pick(ResourceKind::People),
                    self.pick(ResourceKind::Classes),
                ) {
                    let e = self
                        .pick(ResourceKind::Enrollments)
                        .filter(|_| self.rng.below(2) == 0)
                        .unwrap_or_else(|| self.rng.uuid());
                    self.write(
                        ResourceKind::Enrollments,
                        e,
                        g::enrollment(e, p, c, None, "student", t),
                    );
                }
            }
            6 => {
                if let Some(e) = self.pick(ResourceKind::Enrollments) {
                    self.delete(ResourceKind::Enrollments, e);
                }
            }
            7 => {
                if let (Some(c), Some(course), Some(school)) = (
                    self.pick(ResourceKind::Classes),
                    self.pick(ResourceKind::Courses),
                    self.pick(ResourceKind::Schools),
                ) {
                    let sessions: Vec<Uuid> = (0..1 + self.rng.below(2))
                        .filter_map(|_| self.pick(ResourceKind::Sessions))
                        .collect();
                    let json = g::class(&mut self.rng, c, course, school, &sessions, t, rev);
                    self.write(ResourceKind::Classes, c, json);
                }
            }
            8 => {
                if self.rng.below(3) == 0 {
                    if let Some(c) = self.pick(ResourceKind::Classes) {
                        self.delete(ResourceKind::Classes, c);
                    }
                } else if let Some(c) = self.pick(ResourceKind::Classes) {
                    let s = self.rng.uuid();
                    self.write(ResourceKind::Sections, s, g::section(s, c, t));
                }
            }
            9 => {
                if let (Some(o), Some(target)) = (
                    self.pick(ResourceKind::People),
                    self.pick(ResourceKind::People),
                ) {
                    let a = self.rng.uuid();
                    let json = g::agent(&mut self.rng, a, o, target, t);
                    self.write(ResourceKind::Agents, a, json);
                }
            }
            10 => {
                if let Some(a) = self.pick(ResourceKind::Agents) {
                    self.delete(ResourceKind::Agents, a);
                }
            }
            11 => {
                if let Some(s) = self.pick(ResourceKind::Schools) {
                    let n = self.rng.below(100);
                    self.write(ResourceKind::Schools, s, g::school(s, d, n, t, rev));
                }
                if self.rng.below(4) == 0 {
                    self.write(ResourceKind::Districts, d, g::district(d, t, rev));
                }
            }
            12 => {
                // An event for a target the mirror does not keep: skipped.
                let id = self.rng.uuid();
                self.emit(
                    "created",
                    "period",
                    id,
                    Some(&format!(r#"{{"id":"{id}"}}"#)),
                );
            }
            _ => {
                if let Some(s) = self.pick(ResourceKind::Sections) {
                    self.delete(ResourceKind::Sections, s);
                } else if let Some(c) = self.pick(ResourceKind::Courses) {
                    let (se, sc) = (
                        self.pick(ResourceKind::Sessions).unwrap_or(d),
                        self.pick(ResourceKind::Schools).unwrap_or(d),
                    );
                    let json = g::course(&mut self.rng, c, se, sc, d, t);
                    self.write(ResourceKind::Courses, c, json);
                }
            }
        }
    }

    /// `n` random changes as one step, then retention.
    pub(crate) fn mutate(&mut self, n: usize) {
        self.step += 1;
        for _ in 0..n {
            self.mutate_one();
        }
        self.apply_retention();
    }
}
