//! Enrollments (teachers and students in classes), agents (guardian → student), licenses.

use super::Ctx;
use super::names::{AGENT_FLAGS, ENROLLMENT_STATES, RELATIONSHIPS};
use super::orgs::{ClassRef, School};
use super::people::Student;
use crate::collection::Collection;
use crate::json::Obj;

/// What an enrollment is: the role, `primary`, the class and its sections (it may name one)
/// and the `(start, end)` of the class's session, which it carries half of the time.
pub(super) struct Enrollment<'a> {
    pub(super) person: u128,
    pub(super) class: u128,
    pub(super) sections: &'a [u128],
    pub(super) role: &'static str,
    pub(super) primary: &'static str,
    pub(super) session: Option<(&'a str, &'a str)>,
}

/// Writes one enrollment; returns its id.
pub(super) fn enroll(ctx: &mut Ctx, e: &Enrollment<'_>) -> u128 {
    let id = ctx.id();
    let (created, updated) = ctx.dates();
    let state = ctx
        .rng
        .weighted(&ENROLLMENT_STATES)
        .copied()
        .unwrap_or("active");
    let dates = e.session.filter(|_| ctx.rng.chance(0.5));
    // With sections: usually one of them. Without: `null` or no key at all.
    let section = match ctx.rng.pick(e.sections).copied() {
        Some(s) if !ctx.rng.chance(0.15) => Some(Some(s)),
        Some(_) => Some(None),
        None if ctx.rng.chance(0.5) => Some(None),
        None => None,
    };
    let mut json = String::with_capacity(520);
    let mut o = Obj::new(&mut json);
    o.uuid("id", id)
        .str("created_date", &created)
        .str("updated_date", &updated)
        .opt_str("start_date", dates.map(|s| s.0))
        .opt_str("end_date", dates.map(|s| s.1))
        .str("role", e.role)
        .raw("primary", e.primary)
        .str("state", state)
        .raw("properties", "{}")
        .raw("identifiers", "[]")
        .uuid("person_id", e.person)
        .uuid("class_id", e.class);
    if let Some(section) = section {
        o.opt_uuid("section_id", section);
    }
    if state == "completed" {
        // Live fields the 2022 model does not have.
        let grade = ctx.rng.range(55, 100);
        let letter = match grade {
            90.. => "A",
            80..=89 => "B",
            70..=79 => "C",
            _ => "D",
        };
        o.str("final_letter_grade", letter)
            .num("final_numeric_grade", grade);
    }
    o.end();
    ctx.push(Collection::Enrollments, id, json);
    id
}

/// The `(start, end)` of a class's session at `school`.
fn session_of<'a>(school: &'a School, class: &ClassRef) -> Option<(&'a str, &'a str)> {
    school.sessions.get(class.session).map(|s| (s.start, s.end))
}

/// `k` distinct indexes below `n` (all of them when `k >= n`).
pub(super) fn distinct(ctx: &mut Ctx, n: usize, k: usize) -> Vec<usize> {
    if k >= n {
        return (0..n).collect();
    }
    let mut picked: Vec<usize> = Vec::with_capacity(k);
    while picked.len() < k {
        let i = ctx.rng.below(n as u64) as usize;
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked
}

/// Each class's teacher (and now and then a second teacher as `ta`), then each student in
/// `per_student` classes of their school.
pub(super) fn enrollments(
    ctx: &mut Ctx,
    schools: &[School],
    students: &[Student],
    per_student: usize,
) {
    for school in schools {
        for class in &school.classes {
            let teacher = Enrollment {
                person: class.teacher,
                class: class.id,
                sections: &class.sections,
                role: "teacher",
                primary: "true",
                session: session_of(school, class),
            };
            enroll(ctx, &teacher);
            // Now and then a second teacher, as a teaching assistant.
            let n = school.teachers.len();
            if n > 1 && ctx.rng.chance(0.15) {
                let at = ctx.rng.below(n as u64) as usize;
                let mut ta = school.teachers[at];
                if ta == class.teacher {
                    ta = school.teachers[(at + 1) % n];
                }
                let e = Enrollment {
                    person: ta,
                    class: class.id,
                    sections: &class.sections,
                    role: "ta",
                    primary: "false",
                    session: session_of(school, class),
                };
                enroll(ctx, &e);
            }
        }
    }
    for student in students {
        let Some(school) = schools.get(student.school) else {
            continue;
        };
        for i in distinct(ctx, school.classes.len(), per_student) {
            if let Some(class) = school.classes.get(i) {
                let e = Enrollment {
                    person: student.id,
                    class: class.id,
                    sections: &class.sections,
                    role: "student",
                    primary: "null",
                    session: session_of(school, class),
                };
                enroll(ctx, &e);
            }
        }
    }
}

/// One agent per `(guardian, student)` pair.
pub(super) fn agents(ctx: &mut Ctx, pairs: &[(u128, u128)]) {
    for (observer, target) in pairs {
        agent(ctx, *observer, *target);
    }
}

/// Writes one agent (`observer` → `target`); returns its id.
pub(super) fn agent(ctx: &mut Ctx, observer: u128, target: u128) -> u128 {
    let id = ctx.id();
    let (created, updated) = ctx.dates();
    let relationship = ctx
        .rng
        .weighted(&RELATIONSHIPS)
        .copied()
        .unwrap_or("parent");
    let mut flags: Vec<&str> = Vec::new();
    for flag in AGENT_FLAGS {
        if ctx.rng.chance(0.3) {
            flags.push(flag);
        }
    }
    // The 2022 samples have no dates; the live ones do.
    let dated = !ctx.rng.chance(0.1);
    let mut json = String::with_capacity(400);
    let mut o = Obj::new(&mut json);
    o.uuid("id", id);
    if dated {
        o.str("created_date", &created)
            .str("updated_date", &updated);
    }
    o.str("relationship", relationship)
        .str_array("flags", &flags)
        .raw("properties", "{}")
        .raw("identifiers", "[]")
        .uuid("observer_id", observer)
        .uuid("target_id", target)
        .end();
    ctx.push(Collection::Agents, id, json);
    id
}

/// One to three licenses of this integration.
pub(super) fn licenses(ctx: &mut Ctx) {
    for _ in 0..ctx.rng.range(1, 3) {
        let id = ctx.id();
        let product = ctx.id();
        let mut json = String::with_capacity(260);
        Obj::new(&mut json)
            .uuid("id", id)
            .uuid("product_id", product)
            .uuid("integration_id", ctx.integration)
            .num("school_count", ctx.rng.below(3))
            .num("class_count", ctx.rng.below(20))
            .num("person_count", ctx.rng.below(60))
            .end();
        ctx.push(Collection::Licenses, id, json);
    }
}
