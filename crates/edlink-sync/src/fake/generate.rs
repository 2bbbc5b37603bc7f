//! The fake district's objects, written as JSON text by hand so that the
//! exact spelling (key order, `3.50`, escapes, non-ASCII) is under test.

use uuid::Uuid;

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same district on every machine and every run.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`0` when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// A version-4 UUID.
    pub(crate) fn uuid(&mut self) -> Uuid {
        let hi = u128::from(self.next_u64());
        let lo = u128::from(self.next_u64());
        uuid::Builder::from_random_bytes(((hi << 64) | lo).to_be_bytes()).into_uuid()
    }

    pub(crate) fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

const FIRST: [&str; 12] = [
    "Mabel", "Dipper", "Wendy", "Soos", "Ana", "José", "Zoë", "Chloé", "Mateo", "Aiko", "Nadia",
    "Oğuz",
];
const LAST: [&str; 10] = [
    "Pines", "Corduroy", "Ramirez", "Núñez", "O'Brien", "Nakamura", "Schäfer", "Kowalski", "Ng",
    "Smith",
];
const SUBJECTS: [&str; 6] = ["Math", "Science", "History", "Art", "English", "Música"];

/// A date for logical time `t` (seconds after 2024-08-01).
pub(crate) fn date(t: u64) -> String {
    let day = 1 + (t / 86_400) % 28;
    let secs = t % 86_400;
    format!(
        "2024-08-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60,
        t % 1000
    )
}

fn q(id: Uuid) -> String {
    format!("\"{id}\"")
}

fn list(ids: &[Uuid]) -> String {
    let inner: Vec<String> = ids.iter().map(|id| q(*id)).collect();
    format!("[{}]", inner.join(","))
}

fn opt(id: Option<Uuid>) -> String {
    id.map_or_else(|| "null".to_owned(), q)
}

/// JSON string literal of `s` (serde_json's escaping).
fn s(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

pub(crate) fn district(id: Uuid, t: u64, rev: u64) -> String {
    format!(
        r#"{{"id":{},"created_date":"{c}","updated_date":"{u}","name":"Gravity Falls Unified (rev {rev})","locale":"en-US","time_zone":"America/Los_Angeles","location":{{"city":"Gravity Falls","state":"OR","country":"US","latitude":45.50,"longitude":-122.6750}},"properties":{{}},"identifiers":[{{"type":"nces_id","value":"4100000"}}]}}"#,
        q(id),
        c = date(0),
        u = date(t),
    )
}

pub(crate) fn school(id: Uuid, district: Uuid, n: usize, t: u64, rev: u64) -> String {
    format!(
        r#"{{"id":{},"created_date":"{c}","updated_date":"{u}","name":{name},"grade_levels":["09","10","11","12"],"locale":"en-US","time_zone":"America/Los_Angeles","properties":{{"rev":{rev}}},"identifiers":[],"district_id":{d}}}"#,
        q(id),
        c = date(0),
        u = date(t),
        name = s(&format!("School Nº{n}")),
        d = q(district),
    )
}

pub(crate) fn session(id: Uuid, school: Uuid, district: Uuid, n: usize, t: u64) -> String {
    format!(
        r#"{{"id":{},"created_date":"{c}","updated_date":"{u}","name":"Term {n}","start_date":"2024-08-15T00:00:00.000Z","end_date":"2025-01-15T00:00:00+00:00","state":"active","type":"term","school_id":{sc},"district_id":{d}}}"#,
        q(id),
        c = date(0),
        u = date(t),
        sc = q(school),
        d = q(district),
    )
}

pub(crate) fn course(
    rng: &mut Rng,
    id: Uuid,
    session: Uuid,
    school: Uuid,
    district: Uuid,
    t: u64,
) -> String {
    let subject = rng.pick(&SUBJECTS);
    format!(
        r#"{{"id":{},"created_date":"{c}","updated_date":"{u}","name":{name},"code":"C-{code}","grade_levels":"10","subjects":["CEDS.02"],"session_id":{se},"school_id":{sc},"district_id":{d}}}"#,
        q(id),
        c = date(0),
        u = date(t),
        name = s(subject),
        code = rng.below(1000),
        se = q(session),
        sc = q(school),
        d = q(district),
    )
}

pub(crate) fn person(
    rng: &mut Rng,
    id: Uuid,
    role: &str,
    district: Uuid,
    schools: &[Uuid],
    t: u64,
) -> String {
    let first = rng.pick(&FIRST);
    let last = rng.pick(&LAST);
    let gpa = format!("{}.{}0", 2 + rng.below(2), rng.below(10));
    format!(
        r#"{{"id":{},"created_date":"{c}","updated_date":"{u}","first_name":{f},"middle_name":null,"last_name":{l},"display_name":{dn},"roles":["{role}"],"email":{e},"graduation_year":{gy},"grade_levels":["{g:02}"],"demographics":{{"birthday":"2010-0{m}-1{m}","races":[],"english_language_learner":false}},"gpa":{gpa},"properties":{{"nickname":"\"{f2}\" \u00e9","score":1.10}},"identifiers":[{{"type":"sis_id","value":"{sis}"}}],"district_id":{d},"school_ids":{sc},"x_unknown_member":{{"kept":[1,2.0,"three"]}}}}"#,
        q(id),
        c = date(0),
        u = date(t),
        f = s(first),
        l = s(last),
        dn = s(&format!("{first} {last}")),
        e = s(&format!(
            "{}.{}{}@example.edu",
            first.to_lowercase(),
            last.to_lowercase(),
            rng.below(100_000)
        )),
        gy = 2026 + rng.below(6),
        g = 1 + rng.below(12),
        m = 1 + rng.below(9),
        f2 = first.to_ascii_lowercase(),
        sis = rng.below(1_000_000),
        d = q(district),
        sc = list(schools),
    )
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn class(
    rng: &mut Rng,
    id: Uuid,
    course: Uuid,
    school: Uuid,
    sessions: &[Uuid],
    t: u64,
    rev: u64,
) -> String {
    let subject = rng.pick(&SUBJECTS);
    format!(
        r#"{{"id":{},"created_date":"{c}","updated_date":"{u}","name":{name},"description":null,"periods":["{p}"],"state":"active","locale":"en-US","properties":{{"rev":{rev}}},"identifiers":[],"session_ids":{se},"course_id":{co},"school_id":{sc}}}"#,
        q(id),
        c = date(0),
        u = date(t),
        name = s(&format!("{subject} {}", 100 + rng.below(400))),
        p = 1 + rng.below(8),
        se = list(sessions),
        co = q(course),
        sc = q(school),
    )
}

pub(crate) fn section(id: Uuid, class: Uuid, t: u64) -> String {
    format!(
        r#"{{"id":{},"created_date":"{c}","updated_date":"{u}","name":"Section A","state":"active","periods":[],"class_id":{cl}}}"#,
        q(id),
        c = date(0),
        u = date(t),
        cl = q(class),
    )
}

pub(crate) fn enrollment(
    id: Uuid,
    person: Uuid,
    class: Uuid,
    section: Option<Uuid>,
    role: &str,
    t: u64,
) -> String {
    format!(
        r#"{{"id":{},"created_date":"{c}","updated_date":"{u}","start_date":null,"end_date":null,"role":"{role}","primary":{p},"state":"active","person_id":{pe},"class_id":{cl},"section_id":{se}}}"#,
        q(id),
        c = date(0),
        u = date(t),
        p = role == "teacher",
        pe = q(person),
        cl = q(class),
        se = opt(section),
    )
}

pub(crate) fn agent(rng: &mut Rng, id: Uuid, observer: Uuid, target: Uuid, t: u64) -> String {
    let relationship = rng.pick(&["mother", "father", "guardian", "aide"]);
    format!(
        r#"{{"id":{},"created_date":"{c}","updated_date":"{u}","relationship":"{relationship}","flags":["emergency_contact"],"properties":{{"portal_access_token":"pat_{tok:016x}"}},"observer_id":{o},"target_id":{ta}}}"#,
        q(id),
        c = date(0),
        u = date(t),
        tok = rng.next_u64(),
        o = q(observer),
        ta = q(target),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_builder_writes_valid_json() {
        let mut rng = Rng::new(1);
        let a = rng.uuid();
        let b = rng.uuid();
        for text in [
            district(a, 5, 1),
            school(a, b, 1, 5, 1),
            session(a, b, b, 1, 5),
            course(&mut rng, a, b, b, b, 5),
            person(&mut rng, a, "student", b, &[b, a], 5),
            class(&mut rng, a, b, b, &[b], 5, 2),
            section(a, b, 5),
            enrollment(a, b, b, None, "student", 5),
            agent(&mut rng, a, b, b, 5),
        ] {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["id"], a.to_string(), "{text}");
        }
    }

    #[test]
    fn the_generator_is_deterministic() {
        let mut x = Rng::new(42);
        let mut y = Rng::new(42);
        for _ in 0..100 {
            assert_eq!(x.uuid(), y.uuid());
        }
        assert_ne!(Rng::new(1).uuid(), Rng::new(2).uuid());
        assert_eq!(date(0), "2024-08-01T00:00:00.000Z");
    }
}
