//! `$filter`: each operator, several fields and conditions, ids, a nested
//! list; the expected results computed from the mock's objects.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_filter_operator_selects_what_the_documented_semantics_say() {
    let f = fixture().await;
    let (g, d) = (&f.graph, &f.data);
    let everyone = d.json(Collection::People);
    let some = everyone
        .iter()
        .find_map(|p| text(p, "first_name"))
        .unwrap()
        .to_owned();

    // equals: case-sensitive.
    let want = expected(d, Collection::People, |p| {
        text(p, "first_name") == Some(&some)
    });
    assert!(!want.is_empty());
    let got = ids(g
        .people()
        .list()
        .filter(people::first_name().equals(&*some)))
    .await;
    assert_eq!(got, want, "equals");
    let shouted = some.to_uppercase();
    let want_shouted = expected(d, Collection::People, |p| {
        text(p, "first_name") == Some(&shouted)
    });
    let got = ids(g
        .people()
        .list()
        .filter(people::first_name().equals(&*shouted)))
    .await;
    assert_eq!(got, want_shouted, "equals is case-sensitive");

    // starts with, contains: case-insensitive.
    let prefix = some[..2].to_uppercase();
    let want = expected(d, Collection::People, |p| {
        text(p, "first_name").is_some_and(|n| n.to_lowercase().starts_with(&prefix.to_lowercase()))
    });
    assert!(want.len() > 1);
    let got = ids(g
        .people()
        .list()
        .first(4)
        .filter(people::first_name().starts_with(&*prefix)))
    .await;
    assert_eq!(got, want, "starts with");
    let want = expected(d, Collection::People, |p| {
        text(p, "email").is_some_and(|e| e.to_lowercase().contains("@students."))
    });
    assert!(!want.is_empty());
    let got = ids(g
        .people()
        .list()
        .filter(people::email().contains("@STUDENTS.")))
    .await;
    assert_eq!(got, want, "contains");

    // in, not in: one comma-separated value; a null matches neither.
    let role = |e: &Value| text(e, "role").map(str::to_owned);
    let want = expected(d, Collection::Enrollments, |e| {
        matches!(role(e).as_deref(), Some("teacher" | "ta"))
    });
    let filter = enrollments::role()
        .is_in([Role::Teacher, Role::TeachingAssistant])
        .unwrap();
    assert_eq!(ids(g.enrollments().list().filter(filter)).await, want, "in");
    let want = expected(d, Collection::Enrollments, |e| {
        role(e).is_some_and(|r| r != "student")
    });
    let filter = enrollments::role().not_in([Role::Student]).unwrap();
    assert_eq!(
        ids(g.enrollments().list().filter(filter)).await,
        want,
        "not in"
    );

    // is known, is unknown: a null and a missing member are both unknown.
    let known = |p: &Value| p.get("middle_name").is_some_and(|v| !v.is_null());
    let want = expected(d, Collection::People, known);
    // `middle_name` is not documented as filterable: the escape hatch.
    let got = ids(g
        .people()
        .list()
        .filter(Filter::custom("middle_name", "is known", None)))
    .await;
    assert_eq!(got, want, "is known");
    let want = expected(d, Collection::People, |p| !known(p));
    assert!(!want.is_empty());
    let got = ids(g
        .people()
        .list()
        .filter(Filter::custom("middle_name", "is unknown", None)))
    .await;
    assert_eq!(got, want, "is unknown");

    // gt, gte, lt, lte: instants.
    let mut dates: Vec<Timestamp> = everyone
        .iter()
        .map(|p| text(p, "updated_date").unwrap().parse().unwrap())
        .collect();
    dates.sort();
    let pivot = dates[dates.len() / 2];
    let updated = |p: &Value| -> Timestamp { text(p, "updated_date").unwrap().parse().unwrap() };
    for (name, filter, keep) in [
        (
            "gt",
            people::updated_date().gt(pivot),
            (|a, b| a > b) as fn(Timestamp, Timestamp) -> bool,
        ),
        ("gte", people::updated_date().gte(pivot), |a, b| a >= b),
        ("lt", people::updated_date().lt(pivot), |a, b| a < b),
        ("lte", people::updated_date().lte(pivot), |a, b| a <= b),
    ] {
        let want = expected(d, Collection::People, |p| keep(updated(p), pivot));
        assert!(!want.is_empty(), "{name}");
        assert_eq!(
            ids(g.people().list().first(9).filter(filter)).await,
            want,
            "{name}"
        );
    }

    // Several fields and several conditions on one field: all must hold.
    let want = expected(d, Collection::People, |p| {
        updated(p) >= pivot
            && text(p, "email").is_some_and(|e| e.contains('.'))
            && text(p, "last_name").is_some()
    });
    let filter = people::updated_date()
        .gte(pivot)
        .and(people::email().contains("."))
        .and(people::last_name().is_known());
    assert_eq!(ids(g.people().list().filter(filter)).await, want, "and");

    // Ids, and a filter on a nested list.
    let some_ids: Vec<Uuid> = d.ids(Collection::Schools).into_iter().take(2).collect();
    let filter = schools::id().is_in(some_ids.clone()).unwrap();
    assert_eq!(
        ids(g.schools().list().filter(filter)).await,
        some_ids,
        "id in"
    );
    let (class, in_class) = parent_with(d, Collection::Classes, Relation::Enrollments);
    let want: Vec<Uuid> = in_class
        .into_iter()
        .filter(|id| {
            let e = d.object(Collection::Enrollments, *id).unwrap();
            text(&e, "role") == Some("student")
        })
        .collect();
    assert!(!want.is_empty());
    let filter = enrollments::role().equals(Role::Student);
    assert_eq!(
        ids(g.classes().enrollments(class).filter(filter)).await,
        want,
        "nested"
    );
    let _ = <Person as Filterable>::FILTER_FIELDS;
}
