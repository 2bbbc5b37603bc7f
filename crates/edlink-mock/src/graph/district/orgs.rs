//! The district, its schools (or the District Office placeholder) and their sessions.

use super::Ctx;
use super::names::{SCHOOL_KINDS, SCHOOL_NAMES};
use crate::collection::Collection;
use crate::json::Obj;

/// A session of a school: its id and dates.
#[derive(Clone, Debug)]
pub(super) struct Session {
    pub(super) id: u128,
    pub(super) start: &'static str,
    pub(super) end: &'static str,
}

/// A class as the later stages need it.
#[derive(Clone, Debug)]
pub(super) struct ClassRef {
    pub(super) id: u128,
    pub(super) teacher: u128,
    pub(super) sections: Vec<u128>,
    /// Index into [`School::sessions`].
    pub(super) session: usize,
}

/// A generated school and what hangs off it.
#[derive(Clone, Debug)]
pub(super) struct School {
    pub(super) id: u128,
    pub(super) grades: &'static [&'static str],
    /// The school year, the fall and the spring semester.
    pub(super) sessions: Vec<Session>,
    pub(super) teachers: Vec<u128>,
    pub(super) classes: Vec<ClassRef>,
}

/// `(name, type, state, start, end)` of a session.
pub(super) type SessionSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The three sessions every school has.
const SESSIONS: [SessionSpec; 3] = [
    (
        "2025-2026",
        "school_year",
        "active",
        "2025-08-15T00:00:00.000Z",
        "2026-06-05T00:00:00.000Z",
    ),
    (
        "Fall 2025",
        "semester",
        "completed",
        "2025-08-15T00:00:00.000Z",
        "2025-12-19T00:00:00.000Z",
    ),
    (
        "Spring 2026",
        "semester",
        "active",
        "2026-01-06T00:00:00.000Z",
        "2026-06-05T00:00:00.000Z",
    ),
];

/// How an organisation's address is written: the live `address`, the git-era `location`
/// (full or the docs' empty `{}`), or an explicit `null`.
fn write_address(ctx: &mut Ctx, o: &mut Obj<'_>, location_share: f64) {
    let roll = ctx.rng.unit();
    let key = if roll < location_share {
        "location"
    } else {
        "address"
    };
    if roll > 0.97 {
        o.null(key);
        return;
    }
    if key == "location" && ctx.rng.chance(0.25) {
        o.raw(key, "{}");
        return;
    }
    let unit = match ctx.rng.below(3) {
        0 => Some(format!("Ste {}", ctx.rng.range(100, 400))),
        _ => None,
    };
    let phone = format!("555-01{:02}", ctx.rng.below(100));
    let lat = 25.0 + ctx.rng.unit() * 20.0;
    let long = -120.0 + ctx.rng.unit() * 45.0;
    let mut a = Obj::new(o.key(key));
    a.str("street", &ctx.street)
        .opt_str("unit", unit.as_deref())
        .str("postal_code", &ctx.zip)
        .str("city", &ctx.city)
        .str("state", &ctx.state)
        .str("country", "US")
        .str("phone", &phone)
        .raw("latitude", &format!("{lat:.6}"))
        .raw("longitude", &format!("{long:.6}"))
        .end();
}

/// Writes the one district.
pub(super) fn district(ctx: &mut Ctx) {
    let (created, updated) = ctx.dates();
    let name = ctx.district_name.clone();
    let tz = ctx.tz;
    let mut json = String::with_capacity(600);
    let mut o = Obj::new(&mut json);
    o.uuid("id", ctx.district)
        .str("created_date", &created)
        .str("updated_date", &updated)
        .str("name", &name)
        .str("locale", "en")
        .str("time_zone", tz);
    write_address(ctx, &mut o, 0.25);
    if ctx.rng.chance(0.5) {
        o.null("picture_url");
    }
    o.raw("properties", "{}");
    if ctx.rng.chance(0.8) {
        let nces = format!("{:07}", ctx.rng.below(10_000_000));
        let mut ids = String::new();
        Obj::new(&mut ids)
            .str("type", "nces_id")
            .str("value", &nces)
            .end();
        o.raw("identifiers", &format!("[{ids}]"));
    }
    o.end();
    let id = ctx.district;
    ctx.push(Collection::Districts, id, json);
}

/// Writes one session of `school`.
pub(super) fn session(ctx: &mut Ctx, school: u128, spec: SessionSpec) -> Session {
    let (name, kind, state, start, end) = spec;
    let id = ctx.id();
    let (created, updated) = ctx.dates();
    let mut json = String::with_capacity(420);
    Obj::new(&mut json)
        .uuid("id", id)
        .str("created_date", &created)
        .str("updated_date", &updated)
        .str("name", name)
        .str("start_date", start)
        .str("end_date", end)
        .str("state", state)
        .str("type", kind)
        .raw("properties", "{}")
        .raw("identifiers", "[]")
        .uuid("school_id", school)
        .uuid("district_id", ctx.district)
        .end();
    ctx.push(Collection::Sessions, id, json);
    Session { id, start, end }
}

fn sessions(ctx: &mut Ctx, school: u128) -> Vec<Session> {
    SESSIONS.map(|spec| session(ctx, school, spec)).to_vec()
}

/// Writes one school and its three sessions.
pub(super) fn school(
    ctx: &mut Ctx,
    name: &str,
    grades: &'static [&'static str],
    placeholder: bool,
) -> School {
    let id = ctx.id();
    let (created, updated) = ctx.dates();
    let tz = ctx.tz;
    let mut json = String::with_capacity(700);
    let mut o = Obj::new(&mut json);
    o.uuid("id", id)
        .str("created_date", &created)
        .str("updated_date", &updated)
        .str("name", name)
        .str_array("grade_levels", grades)
        .str("locale", "en")
        .str("time_zone", tz);
    write_address(ctx, &mut o, 0.1);
    o.raw("properties", "{}");
    if placeholder {
        o.raw("identifiers", "[]");
    } else {
        let code = format!("{:04}", ctx.rng.below(10_000));
        let mut ids = String::new();
        Obj::new(&mut ids)
            .str("type", "school_id")
            .str("value", &code)
            .end();
        o.raw("identifiers", &format!("[{ids}]"));
    }
    o.uuid("district_id", ctx.district);
    if ctx.rng.chance(0.3) {
        o.raw("product_ids", "[]");
    }
    o.end();
    ctx.push(Collection::Schools, id, json);
    School {
        id,
        grades,
        sessions: sessions(ctx, id),
        teachers: Vec::new(),
        classes: Vec::new(),
    }
}

/// Writes `count` schools (elementary, middle, high in turn), or the one placeholder school
/// that Edlink makes for a source without schools.
pub(super) fn schools(ctx: &mut Ctx, placeholder: bool, count: usize) -> Vec<School> {
    if placeholder {
        let name = format!("{} (District Office)", ctx.district_name);
        return vec![school(ctx, &name, &[], true)];
    }
    let offset = ctx.rng.below(SCHOOL_NAMES.len() as u64) as usize;
    (0..count)
        .map(|i| {
            let (kind, grades) = SCHOOL_KINDS[i % SCHOOL_KINDS.len()];
            let base = SCHOOL_NAMES[(offset + i) % SCHOOL_NAMES.len()];
            let name = match i / SCHOOL_NAMES.len() {
                0 => format!("{base} {kind}"),
                n => format!("{base} {kind} {}", n + 1),
            };
            school(ctx, &name, grades, false)
        })
        .collect()
}
