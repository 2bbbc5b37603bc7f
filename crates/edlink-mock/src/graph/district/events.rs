//! A short event history in the v2 form: `{id, date, type, target, target_id,
//! integration_id, materialization_id, data}` with `data` = the object's value.
//!
//! Event ids grow with their dates (the top bits are the date), so the `$after` order is the
//! chronological order, as Edlink's events guide requires.

use super::Ctx;
use super::orgs::School;
use super::people::Student;
use crate::collection::Collection;
use crate::json::Obj;
use crate::text::edlink_date;

/// 2025-12-01: the first event.
const FIRST_EVENT: u64 = 1_764_547_200_000;

/// An event id whose order is the order of `date_ms` (ties broken at random).
pub(crate) fn event_id(date_ms: u64, random: u128) -> u128 {
    (u128::from(date_ms) << 80) | (random & ((1u128 << 80) - 1))
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
        let target_name = match target {
            Collection::Districts => "district",
            Collection::Schools => "school",
            Collection::Classes => "class",
            _ => "person",
        };
        let mut json = String::with_capacity(data.len() + 300);
        Obj::new(&mut json)
            .uuid("id", id)
            .str("date", &edlink_date(date as i64))
            .str("type", kind)
            .str("target", target_name)
            .uuid("target_id", target_id)
            .uuid("integration_id", ctx.integration)
            .uuid(
                "materialization_id",
                materializations[usize::from(i >= half)],
            )
            .raw("data", &data)
            .end();
        ctx.push(Collection::Events, id, json);
    }
}

#[cfg(test)]
mod tests {
    use super::event_id;

    #[test]
    fn event_ids_follow_dates() {
        assert!(event_id(2, 0) > event_id(1, u128::MAX));
        assert_eq!(event_id(1, 5) & 0xff, 5);
    }
}
