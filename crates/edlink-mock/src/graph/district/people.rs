//! People: teachers, administrators, staff, students with demographics, and guardians.

use super::Ctx;
use super::names::{
    ALL_GRADES, DISABILITIES, FIRST_NAMES, FOOD_SERVICE, GENDERS, LAST_NAMES, RACES,
};
use super::orgs::School;
use crate::collection::Collection;
use crate::graph::size::GraphSize;
use crate::json::Obj;

/// A student and where the enrollments should put them.
#[derive(Clone, Copy, Debug)]
pub(super) struct Student {
    pub(super) id: u128,
    pub(super) school: usize,
}

/// What a person is: it sets the roles, the email and the student fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Student(&'static str),
    Teacher,
    Administrator,
    DistrictAdministrator,
    Staff,
    Guardian,
}

/// Lowercase ASCII for an email address (`Chloé` → `chloe`, `O'Brien` → `obrien`).
fn mail_part(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ê' => Some('e'),
            'ü' | 'ú' => Some('u'),
            'ö' | 'ó' => Some('o'),
            'á' | 'à' => Some('a'),
            'í' => Some('i'),
            'ñ' => Some('n'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

fn roles(ctx: &mut Ctx, kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Student(_) => &["student"],
        // `staff` is a role no document lists for v2 people (the SDK has it).
        Kind::Teacher if ctx.rng.chance(0.03) => &["teacher", "staff"],
        Kind::Teacher => &["teacher"],
        Kind::Administrator if ctx.rng.chance(0.1) => &["administrator", "teacher"],
        Kind::Administrator => &["administrator"],
        Kind::DistrictAdministrator => &["district-administrator"],
        Kind::Staff => &["staff"],
        // Not every source has roles.
        Kind::Guardian => match ctx.rng.below(20) {
            0 => &[],
            1..=10 => &["guardian"],
            _ => &["parent"],
        },
    }
}

/// The graduation year of a grade in the 2025-2026 school year.
fn graduation_year(grade: &str) -> u64 {
    let years_left = match grade {
        "PK" => 14,
        "KG" => 13,
        g => 13u64.saturating_sub(g.parse::<u64>().unwrap_or(12)),
    };
    2025 + years_left
}

fn demographics(ctx: &mut Ctx, o: &mut Obj<'_>, grade: &str) {
    let birth_year = graduation_year(grade) - 18;
    let birthday = format!(
        "{birth_year}-{:02}-{:02}",
        ctx.rng.range(1, 12),
        ctx.rng.range(1, 28)
    );
    let gender = ctx.rng.weighted(&GENDERS).copied().unwrap_or("other");
    let mut races: Vec<&str> = Vec::new();
    for _ in 0..ctx.rng.range(0, 2) {
        if let Some(r) = ctx.rng.pick(&RACES) {
            if !races.contains(r) {
                races.push(r);
            }
        }
    }
    let (state, city) = (ctx.state.clone(), ctx.city.clone());
    let b = |ctx: &mut Ctx, p: f64| if ctx.rng.chance(p) { "true" } else { "false" };
    let ell = b(ctx, 0.1);
    let hispanic = match ctx.rng.below(10) {
        0 => "null",
        1..=2 => "true",
        _ => "false",
    };
    let disability = if ctx.rng.chance(0.1) {
        ctx.rng.pick(&DISABILITIES).copied()
    } else {
        None
    };
    let food = if ctx.rng.chance(0.2) {
        None
    } else {
        ctx.rng.pick(&FOOD_SERVICE).copied()
    };
    let (gifted, poor, assistance, rural, iep) = (
        b(ctx, 0.08),
        b(ctx, 0.3),
        b(ctx, 0.1),
        b(ctx, 0.15),
        b(ctx, 0.12),
    );
    let races_null = ctx.rng.chance(0.03);
    let mut d = Obj::new(o.key("demographics"));
    d.str("birthday", &birthday)
        .str("gender", gender)
        .null("residence_status")
        .raw("english_language_learner", ell)
        .str("country_of_birth", "US")
        .str("state_of_birth", &state)
        .str("city_of_birth", &city)
        .raw("hispanic_or_latino_ethnicity", hispanic);
    // Before 2022-05-20 `races` could be null; it defaults to [] since.
    if races_null {
        d.null("races");
    } else {
        d.str_array("races", &races);
    }
    d.raw("homeless", "false")
        .opt_str("disability", disability)
        .raw("gifted_talented", gifted)
        .opt_str("food_service_program_eligibility", food)
        .raw("economically_disadvantaged", poor)
        .raw("migrant", "false")
        .raw("public_assistance", assistance)
        .raw("rural_residency", rural)
        .raw("individualized_education_plan", iep)
        .end();
}

/// Writes one person (`n` makes the email and SIS id unique); returns its id.
pub(super) fn person(ctx: &mut Ctx, kind: Kind, school_ids: &[u128], n: usize) -> u128 {
    let id = ctx.id();
    let (created, updated) = ctx.dates();
    let first = ctx.rng.pick(&FIRST_NAMES).copied().unwrap_or("Ana");
    let last = ctx.rng.pick(&LAST_NAMES).copied().unwrap_or("Smith");
    let middle = ctx.rng.pick(&FIRST_NAMES).copied().unwrap_or("Lee");
    let roles = roles(ctx, kind);
    let email = match kind {
        Kind::Student(_) => Some(format!(
            "{}.{}.{n}@students.{}",
            mail_part(first),
            mail_part(last),
            ctx.domain
        )),
        Kind::Guardian if ctx.rng.chance(0.3) => None,
        Kind::Guardian => Some(format!(
            "{}.{}{n}@mail.example",
            mail_part(first),
            mail_part(last)
        )),
        _ => Some(format!(
            "{}.{}.{n}@{}",
            mail_part(first),
            mail_part(last),
            ctx.domain
        )),
    };
    let phone = match kind {
        Kind::Student(_) => None,
        _ if ctx.rng.chance(0.2) => None,
        _ => Some(format!("555-{:04}", ctx.rng.below(10_000))),
    };
    let tz = ctx.tz;
    let locale = if ctx.rng.chance(0.1) { "es" } else { "en" };
    let mut json = String::with_capacity(1_100);
    let mut o = Obj::new(&mut json);
    o.uuid("id", id)
        .str("created_date", &created)
        .str("updated_date", &updated)
        .str("first_name", first);
    // Three forms of "no middle name": a value, an explicit null, a missing key.
    match ctx.rng.below(10) {
        0..=3 => {
            o.str("middle_name", middle);
        }
        4..=6 => {
            o.null("middle_name");
        }
        _ => {}
    }
    o.str("last_name", last)
        .str("display_name", &format!("{first} {last}"));
    match ctx.rng.below(10) {
        0 => {
            o.str(
                "picture_url",
                &format!("https://cdn.example/photos/{n}.jpg"),
            );
        }
        1..=4 => {
            o.null("picture_url");
        }
        _ => {}
    }
    o.str_array("roles", roles)
        .opt_str("email", email.as_deref())
        .opt_str("phone", phone.as_deref())
        .str("locale", locale)
        .str("time_zone", tz);
    match kind {
        Kind::Student(grade) => {
            o.num("graduation_year", graduation_year(grade));
            match ctx.rng.below(100) {
                // A live value no model lists: AL (adult learning).
                0 => o.str_array("grade_levels", &["AL"]),
                // The User API sample's `null`.
                1 | 2 => o.null("grade_levels"),
                _ => o.str_array("grade_levels", &[grade]),
            };
            demographics(ctx, &mut o, grade);
        }
        _ => {
            o.null("graduation_year")
                .raw("grade_levels", "[]")
                .raw("demographics", "{}");
        }
    }
    let sis = format!(
        "{}{n:06}",
        if matches!(kind, Kind::Student(_)) {
            "S"
        } else {
            "P"
        }
    );
    let mut ids = String::new();
    Obj::new(&mut ids)
        .str("type", "sis_id")
        .str("value", &sis)
        .end();
    o.raw("properties", "{}")
        .raw("identifiers", &format!("[{ids}]"))
        .uuid("district_id", ctx.district)
        .uuids("school_ids", school_ids);
    // Fields no Graph model of the 2022 docs has: the live `gpa`, and an unknown one.
    if matches!(kind, Kind::Student(_)) && ctx.rng.chance(0.1) {
        o.raw("gpa", &format!("{:.2}", 1.5 + ctx.rng.unit() * 2.5));
    }
    if ctx.rng.chance(0.02) {
        o.str("legacy_id", &format!("L-{:08x}", ctx.rng.next_u64() as u32));
    }
    o.end();
    ctx.push(Collection::People, id, json);
    id
}

/// Teachers (spread over the schools), one administrator and one staff member per school,
/// and one district administrator. Returns every staff id.
pub(super) fn staff(ctx: &mut Ctx, schools: &mut [School], size: &GraphSize) -> Vec<u128> {
    let mut ids = Vec::new();
    let count = schools.len().max(1);
    for j in 0..size.teacher_count() {
        if let Some(school) = schools.get_mut(j % count) {
            let id = person(ctx, Kind::Teacher, &[school.id], j);
            school.teachers.push(id);
            ids.push(id);
        }
    }
    for (i, school) in schools.iter().enumerate() {
        let n = size.teacher_count() + 2 * i;
        ids.push(person(ctx, Kind::Administrator, &[school.id], n));
        ids.push(person(ctx, Kind::Staff, &[school.id], n + 1));
    }
    let n = size.teacher_count() + 2 * schools.len();
    ids.push(person(ctx, Kind::DistrictAdministrator, &[], n));
    ids
}

/// `count` students spread over the schools, each in a grade of their school.
pub(super) fn students(ctx: &mut Ctx, schools: &[School], count: usize) -> Vec<Student> {
    let mut out = Vec::with_capacity(count);
    for n in 0..count {
        let school = n % schools.len().max(1);
        let Some(s) = schools.get(school) else {
            break;
        };
        let grades = if s.grades.is_empty() {
            &ALL_GRADES[..]
        } else {
            s.grades
        };
        let grade = ctx.rng.pick(grades).copied().unwrap_or("05");
        let id = person(ctx, Kind::Student(grade), &[s.id], n);
        out.push(Student { id, school });
    }
    out
}

/// Guardians: most students have one, some two. Returns `(guardian, student)` pairs.
pub(super) fn guardians(ctx: &mut Ctx, students: &[Student]) -> Vec<(u128, u128)> {
    let mut pairs = Vec::new();
    for (n, student) in students.iter().enumerate() {
        let count = match ctx.rng.below(20) {
            0..=5 => 0,
            6..=16 => 1,
            _ => 2,
        };
        for k in 0..count {
            let id = person(ctx, Kind::Guardian, &[], 2 * n + k);
            pairs.push((id, student.id));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_helpers() {
        assert_eq!(mail_part("Chloé O'Brien-Müller"), "chloeobrienmuller");
        assert_eq!(graduation_year("12"), 2026);
        assert_eq!(graduation_year("01"), 2037);
        assert_eq!(graduation_year("KG"), 2038);
        assert_eq!(graduation_year("PK"), 2039);
    }
}
