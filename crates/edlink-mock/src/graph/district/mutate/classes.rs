//! Classes and sections open, change and close.

use super::super::classes::{Course, class, section};
use super::super::names::{CLASS_STATES, SECTION_STATES};
use super::Step;
use super::links::enroll_in;
use crate::collection::Collection as C;
use crate::graph::relation::Relation as R;
use crate::text::json_string;

/// A teacher of a school opens a class of one of its courses (with sections, sometimes),
/// and is enrolled in it as its teacher.
pub(super) fn create_class(step: &mut Step<'_>) -> bool {
    let Some(school) = step.pick(C::Schools) else {
        return false;
    };
    let teachers = step.nested(C::Schools, school, R::Teachers);
    let courses = step.nested(C::Schools, school, R::Courses);
    let (Some(teacher), Some(course)) = (step.pick_from(&teachers), step.pick_from(&courses))
    else {
        return false;
    };
    let first = |key: &str| {
        step.strings(C::Courses, course, key)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    let course = Course {
        id: course,
        name: step.string(C::Courses, course, "name").unwrap_or_default(),
        grade: first("grade_levels"),
        subject: first("subjects"),
    };
    let sessions = step.nested(C::Schools, school, R::Sessions);
    let slot = step.rng().below(8) as usize;
    let made = class(&mut step.ctx, school, &sessions, &course, teacher, slot);
    let session = sessions.get(made.session).copied();
    enroll_in(
        step,
        teacher,
        (made.id, &made.sections),
        session,
        "teacher",
        "true",
    );
    step.created();
    true
}

/// A class changes state, or gets an honors name (or loses it), or moves to a period.
pub(super) fn update_class(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Classes) else {
        return false;
    };
    let edit = match step.rng().below(3) {
        0 => {
            let state = step
                .rng()
                .weighted(&CLASS_STATES)
                .copied()
                .unwrap_or("active");
            ("state", json_string(state))
        }
        1 => ("name", json_string(&honors(step, C::Classes, id))),
        _ => {
            let period = step.rng().range(1, 8).to_string();
            ("periods", format!("[{}]", json_string(&period)))
        }
    };
    step.update(C::Classes, id, &[edit])
}

/// The object's name with ` (Honors)` added, or taken away.
pub(super) fn honors(step: &Step<'_>, collection: C, id: u128) -> String {
    let name = step.string(collection, id, "name").unwrap_or_default();
    match name.strip_suffix(" (Honors)") {
        Some(base) => base.to_owned(),
        None => format!("{name} (Honors)"),
    }
}

/// A class closes: its enrollments and sections go first.
pub(super) fn delete_class(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Classes) else {
        return false;
    };
    for enrollment in step.nested(C::Classes, id, R::Enrollments) {
        step.delete(C::Enrollments, enrollment);
    }
    for s in step.nested(C::Classes, id, R::Sections) {
        step.delete(C::Sections, s);
    }
    step.delete(C::Classes, id)
}

/// A class gets one more section (in the class's period).
pub(super) fn create_section(step: &mut Step<'_>) -> bool {
    let Some(class) = step.pick(C::Classes) else {
        return false;
    };
    let number = step.nested(C::Classes, class, R::Sections).len() + 1;
    let period = step
        .strings(C::Classes, class, "periods")
        .into_iter()
        .next()
        .unwrap_or_else(|| "1".to_owned());
    section(&mut step.ctx, class, number, &period);
    step.created();
    true
}

/// A section changes state or name.
pub(super) fn update_section(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Sections) else {
        return false;
    };
    let edit = if step.rng().chance(0.5) {
        let state = step
            .rng()
            .weighted(&SECTION_STATES)
            .copied()
            .unwrap_or("active");
        ("state", json_string(state))
    } else {
        ("name", json_string(&honors(step, C::Sections, id)))
    };
    step.update(C::Sections, id, &[edit])
}

/// A section closes: its enrollments stay in the class, with `section_id: null`.
pub(super) fn delete_section(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Sections) else {
        return false;
    };
    for enrollment in step.nested(C::Sections, id, R::Enrollments) {
        step.update(
            C::Enrollments,
            enrollment,
            &[("section_id", "null".to_owned())],
        );
    }
    step.delete(C::Sections, id)
}
