//! The district, its schools, sessions and courses change; empty schools close; sessions and
//! courses end.

use super::super::classes::write_course;
use super::super::names::{ALL_GRADES, SCHOOL_KINDS, SCHOOL_NAMES};
use super::super::orgs::{SessionSpec, school, session};
use super::Step;
use super::classes::honors;
use super::people::locale;
use crate::collection::Collection as C;
use crate::graph::raw;
use crate::graph::relation::Relation as R;
use crate::text::json_string;

/// The session a school adds.
const SUMMER: SessionSpec = (
    "Summer 2026",
    "term",
    "upcoming",
    "2026-06-15T00:00:00.000Z",
    "2026-08-07T00:00:00.000Z",
);

/// The district changes locale (the fallback of every step: there is always a district).
pub(super) fn update_district(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Districts) else {
        return false;
    };
    let edit = ("locale", locale(step, C::Districts, id));
    step.update(C::Districts, id, &[edit])
}

/// A new school, with its three sessions (and no one in it yet).
pub(super) fn create_school(step: &mut Step<'_>) -> bool {
    let (kind, grades) = step
        .rng()
        .pick(&SCHOOL_KINDS)
        .copied()
        .unwrap_or(SCHOOL_KINDS[0]);
    let base = step.rng().pick(&SCHOOL_NAMES).copied().unwrap_or("Lincoln");
    let name = format!("{base} {kind} Annex");
    school(&mut step.ctx, &name, grades, false);
    step.created();
    true
}

/// A school changes locale or name.
pub(super) fn update_school(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Schools) else {
        return false;
    };
    let edit = if step.rng().chance(0.5) {
        ("locale", locale(step, C::Schools, id))
    } else {
        ("name", json_string(&honors(step, C::Schools, id)))
    };
    step.update(C::Schools, id, &[edit])
}

/// A school no one is in closes, with its sessions (which nothing else names: classes and
/// courses name their own school's sessions).
pub(super) fn delete_school(step: &mut Step<'_>) -> bool {
    let empty: Vec<u128> = step
        .ids(C::Schools)
        .iter()
        .copied()
        .filter(|s| {
            [R::People, R::Classes, R::Courses]
                .iter()
                .all(|r| step.nested(C::Schools, *s, *r).is_empty())
        })
        .collect();
    let Some(id) = step.pick_from(&empty) else {
        return false;
    };
    for s in step.nested(C::Schools, id, R::Sessions) {
        step.delete(C::Sessions, s);
    }
    step.delete(C::Schools, id)
}

/// A school adds a summer term.
pub(super) fn create_session(step: &mut Step<'_>) -> bool {
    let Some(school) = step.pick(C::Schools) else {
        return false;
    };
    session(&mut step.ctx, school, SUMMER);
    step.created();
    true
}

/// A session changes state.
pub(super) fn update_session(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Sessions) else {
        return false;
    };
    let states = ["active", "upcoming", "completed"];
    let state = step.rng().pick(&states).copied().unwrap_or("active");
    step.update(C::Sessions, id, &[("state", json_string(state))])
}

/// A session that no class or course of its school names ends.
pub(super) fn delete_session(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Sessions) else {
        return false;
    };
    let Some(school) = step
        .object(C::Sessions, id)
        .and_then(|o| raw::member(o, "school_id"))
        .and_then(raw::uuid)
    else {
        return step.delete(C::Sessions, id);
    };
    let names = |collection: C, relation: R, key: &str| {
        step.nested(C::Schools, school, relation).iter().any(|o| {
            step.object(collection, *o)
                .and_then(|o| raw::member(o, key))
                .is_some_and(|v| raw::uuids(v).contains(&id))
        })
    };
    if names(C::Classes, R::Classes, "session_ids") || names(C::Courses, R::Courses, "session_id") {
        return false;
    }
    step.delete(C::Sessions, id)
}

/// A school adds a course (of one of its grades).
pub(super) fn create_course(step: &mut Step<'_>) -> bool {
    let Some(school) = step.pick(C::Schools) else {
        return false;
    };
    let mut grades = step.strings(C::Schools, school, "grade_levels");
    if grades.is_empty() {
        grades = ALL_GRADES.iter().map(|g| (*g).to_owned()).collect();
    }
    let year = step
        .nested(C::Schools, school, R::Sessions)
        .into_iter()
        .find(|s| step.string(C::Sessions, *s, "type").as_deref() == Some("school_year"));
    let k = step.rng().below(100) as usize;
    write_course(&mut step.ctx, school, &grades, year, k);
    step.created();
    true
}

/// A course gets a new code, or an honors name (or loses it).
pub(super) fn update_course(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Courses) else {
        return false;
    };
    let edit = if step.rng().chance(0.5) {
        let code = format!("C-{:04}", step.rng().below(10_000));
        ("code", json_string(&code))
    } else {
        ("name", json_string(&honors(step, C::Courses, id)))
    };
    step.update(C::Courses, id, &[edit])
}

/// A course ends: its classes stay, with `course_id: null` (a class may have no course).
pub(super) fn delete_course(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Courses) else {
        return false;
    };
    for class in step.nested(C::Courses, id, R::Classes) {
        step.update(C::Classes, class, &[("course_id", "null".to_owned())]);
    }
    step.delete(C::Courses, id)
}
