//! A short event history in the v2 form: `{id, date, type, target, target_id,
//! integration_id, materialization_id, data}` with `data` = the object's value.
//!
//! Event ids grow with their dates (the top bits are the date), so the `$after` order is the
//! chronological order, as Edlink's events guide requires.

use super::orgs::School;
use super::people::Student;
use super::{Ctx, UPDATED_MAX};
use crate::collection::Collection;
use crate::json::Obj;
use crate::text::edlink_date;

/// The first event: right after the last date of the generated objects, so that the events
/// (and the mutations that follow them) are later than every object they describe.
const FIRST_EVENT: u64 = UPDATED_MAX;

/// An event id whose order is the order of `date_ms` (ties broken at random).
pub(crate) fn event_id(date_ms: u64, random: u128) -> u128 {
    (u128::from(date_ms) << 80) | (random & ((1u128 << 80) - 1))
}

/// The date (ms since the epoch) an id of [`event_id`] was made for.
pub(crate) fn event_date(id: u128) -> u64 {
    (id >> 80) as u64
}

/// The event `target` of a Graph collection (`person`, `class`, …): edlink-graph.md §3.
pub(crate) fn target(collection: Collection) -> &'static str {
    match collection {
        Collection::Districts => "district",
        Collection::Schools => "school",
        Collection::Sessions => "session",
        Collection::Courses => "course",
        Collection::Classes => "class",
        Collection::Sections => "section",
        Collection::Enrollments => "enrollment",
        Collection::Agents => "agent",
        _ => "person",
    }
}

/// What one event says.
pub(crate) struct EventSpec<'a> {
    pub(crate) id: u128,
    pub(crate) date_ms: u64,
    /// `created`, `updated` or `deleted`.
    pub(crate) kind: &'a str,
    pub(crate) target: Collection,
    pub(crate) target_id: u128,
    pub(crate) integration: u128,
    pub(crate) materialization: u128,
    /// The object's serialized value: new for `created`/`updated`, last for `deleted`.
    pub(crate) data: &'a str,
}

/// One event in the v2 form.
pub(crate) fn write(e: &EventSpec<'_>) -> String {
    let mut json = String::with_capacity(e.data.len() + 300);
    Obj::new(&mut json)
        .uuid("id", e.id)
        .str("date", &edlink_date(e.date_ms as i64))
        .str("type", e.kind)
        .str("target", target(e.target))
        .uuid("target_id", e.target_id)
        .uuid("integration_id", e.integration)
        .uuid("materialization_id", e.materialization)
        .raw("data", e.data)
        .end();
    json
}

/// The events: the district and its schools created, a few people created and updated, a
/// class updated, and a person who no longer exists deleted.
pub(super) fn history(ctx: &mut Ctx, schools: &[School], students: &[Student], staff: &[u128]) {
    let mut plan: Vec<(&'static str, Collection, u128)> = Vec::new();
    plan.push(("created", Collection::Districts, ctx.district));
    plan.extend(
        schools
            .iter()
            .map(|s| ("created", Collection::Schools, s.id)),
    );
    plan.extend(
        staff
            .iter()
            .take(4)
            .map(|id| ("created", Collection::People, *id)),
    );
    plan.extend(
        students
            .iter()
            .take(6)
            .map(|s| ("created", Collection::People, s.id)),
    );
    plan.extend(
        students
            .iter()
            .take(3)
            .map(|s| ("updated", Collection::People, s.id)),
    );
    if let Some(class) = schools.iter().flat_map(|s| s.classes.first()).next() {
        plan.push(("updated", Collection::Classes, class.id));
    }
    let ghost = ctx.id();
    plan.push(("deleted", Collection::People, ghost));
    let ghost_json = {
        let (created, updated) = ctx.dates();
        let mut json = String::new();
        Obj::new(&mut json)
            .uuid("id", ghost)
            .str("created_date", &created)
            .str("updated_date", &updated)
            .str("first_name", "Former")
            .str("last_name", "Student")
            .str("display_name", "Former Student")
            .str_array("roles", &["student"])
            .uuid("district_id", ctx.district)
            .uuids(
                "school_ids",
                &schools.iter().take(1).map(|s| s.id).collect::<Vec<_>>(),
            )
            .end();
        json
    };
    let materializations = [ctx.id(), ctx.id()];
    let mut date = FIRST_EVENT;
    let half = plan.len() / 2;
    for (i, (kind, target, target_id)) in plan.into_iter().enumerate() {
        date += ctx.rng.range(1_000, 30 * 60_000);
        let data = match kind {
            "deleted" => Some(ghost_json.clone()),
            _ => ctx
                .find(target, target_id)
                .map(|b| String::from_utf8_lossy(b).into_owned()),
        };
        let Some(data) = data else {
            continue;
        };
        let random = ctx.id();
        let id = event_id(date, random);
        let json = write(&EventSpec {
            id,
            date_ms: date,
            kind,
            target,
            target_id,
            integration: ctx.integration,
            materialization: materializations[usize::from(i >= half)],
            data: &data,
        });
        ctx.push(Collection::Events, id, json);
    }
}

#[cfg(test)]
mod tests {
    use super::{event_date, event_id};

    #[test]
    fn event_ids_follow_dates() {
        assert!(event_id(2, 0) > event_id(1, u128::MAX));
        assert_eq!(event_id(1, 5) & 0xff, 5);
        assert_eq!(
            event_date(event_id(1_768_435_200_123, u128::MAX)),
            1_768_435_200_123
        );
    }
}
