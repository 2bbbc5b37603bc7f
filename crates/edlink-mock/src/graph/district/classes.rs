//! Courses, classes (each taught by a teacher of its school) and sections.

use super::Ctx;
use super::names::{ALL_GRADES, CLASS_STATES, SECTION_STATES, SUBJECTS};
use super::orgs::{ClassRef, School};
use crate::collection::Collection;
use crate::graph::size::GraphSize;
use crate::json::Obj;

/// A course: what its classes copy.
pub(super) struct Course {
    pub(super) id: u128,
    pub(super) name: String,
    pub(super) grade: String,
    pub(super) subject: String,
}

fn course(ctx: &mut Ctx, school: &School, k: usize) -> Course {
    let grades = if school.grades.is_empty() {
        &ALL_GRADES[..]
    } else {
        school.grades
    };
    let year = school.sessions.first().map(|s| s.id);
    write_course(ctx, school.id, grades, year, k)
}

/// Writes the `k`-th course of a school with these grades (its subject and grade follow
/// from `k`), in the school year `year`.
pub(super) fn write_course<G: AsRef<str>>(
    ctx: &mut Ctx,
    school: u128,
    grades: &[G],
    year: Option<u128>,
    k: usize,
) -> Course {
    let (subject, code, ceds) = SUBJECTS[k % SUBJECTS.len()];
    let grade = grades
        .get((k / SUBJECTS.len()) % grades.len().max(1))
        .map_or("05", AsRef::as_ref);
    let name = format!("{subject} {grade}");
    let id = ctx.id();
    let (created, updated) = ctx.dates();
    let code = format!("{code}-{grade}");
    let mut json = String::with_capacity(520);
    Obj::new(&mut json)
        .uuid("id", id)
        .str("created_date", &created)
        .str("updated_date", &updated)
        .str("name", &name)
        .opt_str(
            "code",
            Some(code.as_str()).filter(|_| !ctx.rng.chance(0.05)),
        )
        .str_array("grade_levels", &[grade])
        .str_array("subjects", &[ceds])
        .raw("properties", "{}")
        .raw("identifiers", "[]")
        .opt_uuid("session_id", year)
        .uuid("school_id", school)
        .uuid("district_id", ctx.district)
        .end();
    ctx.push(Collection::Courses, id, json);
    Course {
        id,
        name,
        grade: grade.to_owned(),
        subject: ceds.to_owned(),
    }
}

/// Writes section `number` of `class`, in `period`.
pub(super) fn section(ctx: &mut Ctx, class: u128, number: usize, period: &str) -> u128 {
    let id = ctx.id();
    let (created, updated) = ctx.dates();
    let state = ctx
        .rng
        .weighted(&SECTION_STATES)
        .copied()
        .unwrap_or("active");
    let tz = ctx.tz;
    let mut json = String::with_capacity(420);
    Obj::new(&mut json)
        .uuid("id", id)
        .str("created_date", &created)
        .str("updated_date", &updated)
        .str("name", &format!("Section {number}"))
        .null("description")
        .null("picture_url")
        .str("state", state)
        .str("locale", "en")
        .str("time_zone", tz)
        .str_array("periods", &[period])
        .raw("properties", "{}")
        .raw("identifiers", "[]")
        .uuid("class_id", class)
        .end();
    ctx.push(Collection::Sections, id, json);
    id
}

/// Writes one class of `course` taught by `teacher` (with a session of `sessions`: the
/// school year, the fall or the spring semester), and its sections.
pub(super) fn class(
    ctx: &mut Ctx,
    school: u128,
    sessions: &[u128],
    course: &Course,
    teacher: u128,
    slot: usize,
) -> ClassRef {
    let id = ctx.id();
    let (created, updated) = ctx.dates();
    let period = ((slot % 8) + 1).to_string();
    // Most classes run in a semester, some all year.
    let session = match ctx.rng.below(10) {
        0..=2 => 0,
        3..=4 => 1,
        _ => 2,
    };
    let session_ids: Vec<u128> = sessions.get(session).copied().into_iter().collect();
    let state = ctx.rng.weighted(&CLASS_STATES).copied().unwrap_or("active");
    let zoned = ctx.rng.chance(0.5);
    let tz = ctx.tz;
    let mut json = String::with_capacity(800);
    let mut o = Obj::new(&mut json);
    o.uuid("id", id)
        .str("created_date", &created)
        .str("updated_date", &updated)
        .str("name", &format!("{} - Period {period}", course.name))
        .null("description")
        .null("picture_url")
        .str_array("subjects", &[&course.subject])
        .str_array("grade_levels", &[&course.grade])
        .str_array("periods", &[period.as_str()])
        .str("state", state)
        .opt_str("locale", Some("en").filter(|_| zoned))
        .opt_str("time_zone", Some(tz).filter(|_| zoned))
        .raw("properties", "{}")
        .raw("identifiers", "[]")
        .uuids("session_ids", &session_ids)
        // A few classes belong to no course (`course_id` is nullable).
        .opt_uuid(
            "course_id",
            Some(course.id).filter(|_| !ctx.rng.chance(0.03)),
        )
        .uuid("school_id", school);
    if ctx.rng.chance(0.03) {
        o.str("sis_sync_hash", &format!("{:016x}", ctx.rng.next_u64()));
    }
    o.end();
    ctx.push(Collection::Classes, id, json);
    // About a third of the classes have sections.
    let sections = match ctx.rng.below(10) {
        0..=1 => 1,
        2..=3 => 2,
        _ => 0,
    };
    let sections = (1..=sections)
        .map(|n| section(ctx, id, n, &period))
        .collect();
    ClassRef {
        id,
        teacher,
        sections,
        session,
    }
}

/// Writes each school's courses, then each teacher's classes and their sections.
pub(super) fn courses_and_classes(ctx: &mut Ctx, schools: &mut [School], size: &GraphSize) {
    for school in schools.iter_mut() {
        let classes = school.teachers.len() * size.classes_per_teacher;
        if classes == 0 {
            continue;
        }
        let grades = school.grades.len().max(1);
        let count = classes.div_ceil(2).clamp(1, SUBJECTS.len() * grades);
        let courses: Vec<Course> = (0..count).map(|k| course(ctx, school, k)).collect();
        let teachers = school.teachers.clone();
        let sessions: Vec<u128> = school.sessions.iter().map(|s| s.id).collect();
        for (t, teacher) in teachers.iter().enumerate() {
            for c in 0..size.classes_per_teacher {
                let slot = t * size.classes_per_teacher + c;
                let course = &courses[slot % courses.len()];
                let made = class(ctx, school.id, &sessions, course, *teacher, c);
                school.classes.push(made);
            }
        }
    }
}
