//! Enrollments: students join classes, change state, and drop out.

use super::super::links::{self, Enrollment};
use super::super::names::ENROLLMENT_STATES;
use super::Step;
use crate::collection::Collection as C;
use crate::graph::relation::Relation as R;
use crate::text::{json_string, parse_uuid};

/// Writes an enrollment of `person` in `class` (in one of its sections, sometimes, and with
/// the dates of its session, sometimes), as the generator does.
pub(super) fn enroll(
    step: &mut Step<'_>,
    person: u128,
    class: u128,
    role: &'static str,
    primary: &'static str,
) {
    let sections = step.nested(C::Classes, class, R::Sections);
    let session = step
        .strings(C::Classes, class, "session_ids")
        .first()
        .and_then(|s| parse_uuid(s));
    enroll_in(step, person, (class, &sections), session, role, primary);
}

/// [`enroll`] in a class that may be new: `(class, its sections)`, and its session.
pub(super) fn enroll_in(
    step: &mut Step<'_>,
    person: u128,
    (class, sections): (u128, &[u128]),
    session: Option<u128>,
    role: &'static str,
    primary: &'static str,
) {
    let dates = session.and_then(|s| {
        Some((
            step.string(C::Sessions, s, "start_date")?,
            step.string(C::Sessions, s, "end_date")?,
        ))
    });
    let e = Enrollment {
        person,
        class,
        sections,
        role,
        primary,
        session: dates.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
    };
    links::enroll(&mut step.ctx, &e);
}

/// A student joins another class of their school.
pub(super) fn create_enrollment(step: &mut Step<'_>) -> bool {
    let Some(school) = step.pick(C::Schools) else {
        return false;
    };
    let students = step.nested(C::Schools, school, R::Students);
    let Some(student) = step.pick_from(&students) else {
        return false;
    };
    let taken = step.nested(C::People, student, R::Classes);
    let open: Vec<u128> = step
        .nested(C::Schools, school, R::Classes)
        .into_iter()
        .filter(|c| !taken.contains(c))
        .collect();
    let Some(class) = step.pick_from(&open) else {
        return false;
    };
    enroll(step, student, class, "student", "null");
    step.created();
    true
}

/// An enrollment changes state (a student drops, completes, …).
pub(super) fn update_enrollment(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Enrollments) else {
        return false;
    };
    let state = step
        .rng()
        .weighted(&ENROLLMENT_STATES)
        .copied()
        .unwrap_or("dropped");
    step.update(C::Enrollments, id, &[("state", json_string(state))])
}

/// A student leaves a class.
pub(super) fn delete_enrollment(step: &mut Step<'_>) -> bool {
    match step.pick(C::Enrollments) {
        Some(id) => step.delete(C::Enrollments, id),
        None => false,
    }
}
