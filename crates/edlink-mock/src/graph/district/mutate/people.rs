//! People arrive, change and leave; guardians are linked to students and unlinked.

use super::super::links::{agent, distinct};
use super::super::names::{AGENT_FLAGS, ALL_GRADES, FIRST_NAMES, LAST_NAMES, RELATIONSHIPS};
use super::super::people::{Kind, person};
use super::Step;
use super::links::enroll;
use crate::collection::Collection as C;
use crate::graph::raw;
use crate::graph::relation::Relation as R;
use crate::text::json_string;

/// A grade of the generator's table (`05` for one it does not know).
fn grade(text: &str) -> &'static str {
    ALL_GRADES
        .iter()
        .find(|g| **g == text)
        .copied()
        .unwrap_or("05")
}

/// 32 letters and digits, like an access token.
fn token(step: &mut Step<'_>) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..32)
        .map(|_| {
            let at = step.rng().below(ALPHABET.len() as u64) as usize;
            char::from(ALPHABET.get(at).copied().unwrap_or(b'x'))
        })
        .collect()
}

/// A new first or last name, or a locale, a phone, a grade, or a portal token in
/// `properties` (a secret some sources keep there: the dump masks it).
pub(super) fn update_person(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::People) else {
        return false;
    };
    let first = step.string(C::People, id, "first_name").unwrap_or_default();
    let last = step.string(C::People, id, "last_name").unwrap_or_default();
    let edits = match step.rng().below(6) {
        0 => {
            let first = step.rng().pick(&FIRST_NAMES).copied().unwrap_or("Ana");
            vec![
                ("first_name", json_string(first)),
                ("display_name", json_string(&format!("{first} {last}"))),
            ]
        }
        1 => {
            let last = step.rng().pick(&LAST_NAMES).copied().unwrap_or("Smith");
            vec![
                ("last_name", json_string(last)),
                ("display_name", json_string(&format!("{first} {last}"))),
            ]
        }
        2 => {
            let phone = format!("555-{:04}", step.rng().below(10_000));
            vec![("phone", json_string(&phone))]
        }
        3 => {
            // A student moves up a grade; anyone else changes locale.
            let grades = step.strings(C::People, id, "grade_levels");
            let next = grades
                .first()
                .and_then(|g| ALL_GRADES.iter().position(|x| x == g))
                .and_then(|at| ALL_GRADES.get(at + 1));
            match next {
                Some(next) => vec![("grade_levels", format!("[{}]", json_string(next)))],
                None => vec![("locale", locale(step, C::People, id))],
            }
        }
        4 => vec![("locale", locale(step, C::People, id))],
        _ => {
            let token = token(step);
            let properties = format!("{{\"portal_access_token\":{}}}", json_string(&token));
            vec![("properties", properties)]
        }
    };
    step.update(C::People, id, &edits)
}

/// The other locale than the object's (`en` ↔ `es`), as JSON.
pub(super) fn locale(step: &Step<'_>, collection: C, id: u128) -> String {
    let now = step.string(collection, id, "locale");
    json_string(if now.as_deref() == Some("en") {
        "es"
    } else {
        "en"
    })
}

/// A student joins a school, in a few of its classes, often with a guardian.
pub(super) fn create_student(step: &mut Step<'_>) -> bool {
    let Some(school) = step.pick(C::Schools) else {
        return false;
    };
    let grades = step.strings(C::Schools, school, "grade_levels");
    let grade = match step.rng().pick(&grades) {
        Some(g) => grade(g),
        None => step.rng().pick(&ALL_GRADES).copied().unwrap_or("05"),
    };
    let n = step.unique();
    let student = person(&mut step.ctx, Kind::Student(grade), &[school], n);
    let classes = step.nested(C::Schools, school, R::Classes);
    let count = step.rng().range(1, 3) as usize;
    for at in distinct(&mut step.ctx, classes.len(), count) {
        if let Some(class) = classes.get(at) {
            enroll(step, student, *class, "student", "null");
        }
    }
    if step.rng().chance(0.5) {
        let guardian = person(&mut step.ctx, Kind::Guardian, &[], n);
        agent(&mut step.ctx, guardian, student);
    }
    step.created();
    true
}

/// A person leaves: their enrollments and agents go first.
pub(super) fn delete_person(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::People) else {
        return false;
    };
    for enrollment in step.nested(C::People, id, R::Enrollments) {
        step.delete(C::Enrollments, enrollment);
    }
    for agent in step.nested(C::People, id, R::Agents) {
        step.delete(C::Agents, agent);
    }
    step.delete(C::People, id)
}

/// A student gets a guardian: a new person, or one who already watches another student.
pub(super) fn create_agent(step: &mut Step<'_>) -> bool {
    let Some(school) = step.pick(C::Schools) else {
        return false;
    };
    let students = step.nested(C::Schools, school, R::Students);
    let Some(student) = step.pick_from(&students) else {
        return false;
    };
    let existing = match step.pick(C::Agents) {
        Some(agent) if step.rng().chance(0.5) => step
            .object(C::Agents, agent)
            .and_then(|o| raw::member(o, "observer_id"))
            .and_then(raw::uuid),
        _ => None,
    };
    // Not twice the same pair.
    let linked = |observer: u128| {
        step.nested(C::People, observer, R::Agents).iter().any(|a| {
            step.object(C::Agents, *a)
                .and_then(|o| raw::member(o, "target_id"))
                .and_then(raw::uuid)
                == Some(student)
        })
    };
    let observer = match existing {
        Some(observer) if observer != student && !linked(observer) => observer,
        _ => {
            let n = step.unique();
            person(&mut step.ctx, Kind::Guardian, &[], n)
        }
    };
    agent(&mut step.ctx, observer, student);
    step.created();
    true
}

/// A new relationship or new flags.
pub(super) fn update_agent(step: &mut Step<'_>) -> bool {
    let Some(id) = step.pick(C::Agents) else {
        return false;
    };
    let edit = if step.rng().chance(0.5) {
        let relationship = step
            .rng()
            .weighted(&RELATIONSHIPS)
            .copied()
            .unwrap_or("guardian");
        ("relationship", json_string(relationship))
    } else {
        let flags: Vec<String> = AGENT_FLAGS
            .iter()
            .filter(|_| step.rng().chance(0.4))
            .map(|f| json_string(f))
            .collect();
        ("flags", format!("[{}]", flags.join(",")))
    };
    step.update(C::Agents, id, &[edit])
}

/// A guardian is unlinked from a student (both people stay).
pub(super) fn delete_agent(step: &mut Step<'_>) -> bool {
    match step.pick(C::Agents) {
        Some(id) => step.delete(C::Agents, id),
        None => false,
    }
}
