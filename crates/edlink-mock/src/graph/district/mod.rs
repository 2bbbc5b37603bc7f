//! Deterministic generation of the district behind one integration: the same seed, sizes and
//! integration give the same bytes.
//!
//! The stages run in dependency order: the district and its schools with their sessions,
//! then people, courses, classes and sections, then enrollments, agents and licenses, and
//! last a short event history about objects that exist by then.

mod classes;
mod events;
mod links;
pub(crate) mod mutate;
mod names;
mod orgs;
mod people;

use bytes::Bytes;

use crate::collection::Collection;
use crate::graph::raw;
use crate::graph::size::GraphSize;
use crate::prng::SplitMix64;
use crate::text::edlink_date;

pub(crate) use events::{event_date, event_id};

/// 2025-06-01: the first creation date of the generated objects.
const CREATED_FROM: u64 = 1_748_736_000_000;
/// 2025-08-01: the last creation date.
const CREATED_TO: u64 = 1_754_006_400_000;
/// 2026-01-15: no object date is later; the event history starts here.
const UPDATED_MAX: u64 = 1_768_435_200_000;
const DAY: u64 = 86_400_000;
/// Where the calendar of a district without events starts.
pub(crate) const CALENDAR_START: u64 = UPDATED_MAX;

/// What the generator takes from the integration's v1 object (its team is the district).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) id: u128,
    pub(crate) team_name: Option<String>,
    pub(crate) street: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) zip: Option<String>,
}

impl Origin {
    /// Reads the team of a v1 integration object (a developer team is no district name).
    pub(crate) fn from_integration(id: u128, item: &[u8]) -> Self {
        let team = raw::member(item, "team").unwrap_or(b"{}");
        let get = |key: &str| raw::string(raw::member(team, key));
        let is_district = get("type").is_none_or(|t| t == "district");
        Self {
            id,
            team_name: get("name").filter(|_| is_district),
            street: get("street_address"),
            city: get("city"),
            state: get("state"),
            zip: get("zip"),
        }
    }
}

/// The objects of one collection, serialized one after the other into one buffer (one
/// allocation, no per-object slack), in generation order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Collected {
    text: String,
    /// `(id, start, end)` of each object in `text`.
    spans: Vec<(u128, usize, usize)>,
}

impl Collected {
    /// The objects as `(id, bytes)`, each a slice of the one shared buffer.
    pub(crate) fn into_pairs(self) -> Vec<(u128, Bytes)> {
        let buf = Bytes::from(self.text.into_bytes());
        self.spans
            .into_iter()
            .map(|(id, a, b)| (id, buf.slice(a..b)))
            .collect()
    }
}

/// The generated objects of one district, per Graph collection (in [`Collection::GRAPH`]
/// order), not yet sorted.
pub(crate) type Generated = Vec<Collected>;

/// State shared by the stages. After generation it stays with the district (its objects
/// drained), so that mutation steps write new objects with the same writers.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    rng: SplitMix64,
    integration: u128,
    district: u128,
    district_name: String,
    domain: String,
    city: String,
    state: String,
    zip: String,
    street: String,
    tz: &'static str,
    out: Generated,
}

impl Ctx {
    fn new(origin: &Origin, seed: u64) -> Self {
        let mut rng = SplitMix64::new(
            seed ^ 0x6A09_E667_F3BC_C908 ^ (origin.id as u64) ^ ((origin.id >> 64) as u64),
        );
        let city = origin
            .city
            .clone()
            .unwrap_or_else(|| "Springfield".to_owned());
        let state = origin.state.clone().unwrap_or_else(|| "IL".to_owned());
        let district_name = origin
            .team_name
            .clone()
            .unwrap_or_else(|| format!("{city} Public Schools"));
        let domain: String = district_name
            .split_whitespace()
            .take(2)
            .flat_map(|w| w.chars())
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Self {
            district: rng.uuid(),
            integration: origin.id,
            tz: names::time_zone(&state),
            domain: format!("{domain}.k12.example"),
            zip: origin.zip.clone().unwrap_or_else(|| "62701".to_owned()),
            street: origin
                .street
                .clone()
                .unwrap_or_else(|| format!("{} Main St", rng.range(1, 999))),
            district_name,
            city,
            state,
            rng,
            out: vec![Collected::default(); Collection::GRAPH.len()],
        }
    }

    /// A new object id.
    pub(super) fn id(&mut self) -> u128 {
        self.rng.uuid()
    }

    /// `(created_date, updated_date)` of a new object.
    pub(super) fn dates(&mut self) -> (String, String) {
        let created = self.rng.range(CREATED_FROM, CREATED_TO);
        let updated = (created + self.rng.below(160 * DAY)).min(UPDATED_MAX);
        (edlink_date(created as i64), edlink_date(updated as i64))
    }

    /// Gives the stage functions a new random stream (a mutation step's).
    pub(crate) fn reseed(&mut self, seed: u64) {
        self.rng = SplitMix64::new(seed);
    }

    /// The objects written since the last call, in [`Collection::GRAPH`] order (parents
    /// first), each collection in writing order.
    pub(crate) fn take_objects(&mut self) -> Vec<(Collection, u128, String)> {
        let mut out = Vec::new();
        for (collection, c) in Collection::GRAPH.iter().zip(self.out.iter_mut()) {
            let c = std::mem::take(c);
            for (id, a, b) in c.spans {
                if let Some(text) = c.text.get(a..b) {
                    out.push((*collection, id, text.to_owned()));
                }
            }
        }
        out
    }

    /// Stores a serialized object.
    pub(super) fn push(&mut self, collection: Collection, id: u128, json: String) {
        if let Some(i) = Collection::GRAPH.iter().position(|c| *c == collection) {
            if let Some(c) = self.out.get_mut(i) {
                let start = c.text.len();
                c.text.push_str(&json);
                c.spans.push((id, start, c.text.len()));
            }
        }
    }

    /// The serialized object `id` of `collection` generated so far.
    pub(super) fn find(&self, collection: Collection, id: u128) -> Option<&[u8]> {
        let i = Collection::GRAPH.iter().position(|c| *c == collection)?;
        let c = self.out.get(i)?;
        let (_, a, b) = c.spans.iter().find(|(k, _, _)| *k == id)?;
        c.text.as_bytes().get(*a..*b)
    }
}

/// The district behind `origin`, sized by `size`, and the context that wrote it (its objects
/// taken out: the district's facts and writers, for mutation steps).
pub(crate) fn generate(origin: &Origin, seed: u64, size: &GraphSize) -> (Generated, Ctx) {
    let mut ctx = Ctx::new(origin, seed);
    // About one source in eight has no schools: Edlink then makes a placeholder school.
    let placeholder = ctx.rng.chance(0.125);
    orgs::district(&mut ctx);
    let mut schools = orgs::schools(&mut ctx, placeholder, size.school_count());
    let staff = people::staff(&mut ctx, &mut schools, size);
    classes::courses_and_classes(&mut ctx, &mut schools, size);
    let students = people::students(&mut ctx, &schools, size.students);
    let guardians = people::guardians(&mut ctx, &students);
    links::enrollments(&mut ctx, &schools, &students, size.classes_per_student);
    links::agents(&mut ctx, &guardians);
    links::licenses(&mut ctx);
    events::history(&mut ctx, &schools, &students, &staff);
    let fresh = vec![Collected::default(); Collection::GRAPH.len()];
    let out = std::mem::replace(&mut ctx.out, fresh);
    (out, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_reads_the_team() {
        let item = br#"{"id":"x","team":{"id":"t","type":"district","name":"Lake Austin ISD","street_address":"1 Main St","city":"Austin","state":"TX","zip":"78701"}}"#;
        let o = Origin::from_integration(7, item);
        assert_eq!(o.team_name.as_deref(), Some("Lake Austin ISD"));
        assert_eq!(o.zip.as_deref(), Some("78701"));
        let dev = br#"{"team":{"type":"developer","name":"Labs","city":"Provo"}}"#;
        let o = Origin::from_integration(7, dev);
        assert_eq!((o.team_name, o.city.as_deref()), (None, Some("Provo")));
        assert_eq!(Origin::from_integration(1, b"{}").team_name, None);
    }

    #[test]
    fn same_inputs_same_bytes() {
        let origin = Origin {
            id: 42,
            ..Origin::default()
        };
        let size = GraphSize::default();
        let a = generate(&origin, 1, &size).0;
        assert_eq!(a, generate(&origin, 1, &size).0);
        assert_ne!(a, generate(&origin, 2, &size).0);
        let other = Origin {
            id: 43,
            ..Origin::default()
        };
        assert_ne!(a, generate(&other, 1, &size).0);
    }
}
