//! The Graph API end to end: the real `HyperTransport` against `edlink-mock`
//! on `http://127.0.0.1`, checked against the data the mock says it serves
//! (`MockServer::graph`). Every expected result is computed here from the
//! mock's objects, never by the code under test. No test touches the
//! internet. (Over the test transport: `graph.rs`.)
#![cfg(feature = "hyper")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "../examples/graph_schools.rs"]
mod graph_schools;

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use edlink_client::model::filter::{Filterable, enrollments, people, schools};
use edlink_client::model::{Filter, Person, Record, Resource, Role, School, Timestamp};
use edlink_client::{Client, ErrorCode, ErrorKind, Graph, ListRequest, Resources, RetryPolicy};
use edlink_mock::{Collection, Credential, Fault, FaultTarget, GraphData, MockServer, Relation};
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

const KEY: &str = "graph-e2e-secret-key";

/// A mock with 30 integrations of 60-student districts, a client with the
/// key, and the first active integration's Graph and data.
struct Fixture {
    server: MockServer,
    client: Client,
    integration: Uuid,
    graph: Graph,
    data: GraphData,
}

async fn fixture() -> Fixture {
    let server = MockServer::builder()
        .secret_key(KEY)
        .generated(30, 7)
        .seed(7)
        .students(60)
        .start()
        .await
        .unwrap();
    let client = client(&server);
    let integration = server.integrations_with_status("active")[0];
    let graph = client.graph(server.access_token(integration).unwrap());
    let data = server.graph(integration).unwrap();
    Fixture {
        server,
        client,
        integration,
        graph,
        data,
    }
}

/// A client on the mock: the default `HyperTransport`, short retry waits.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .application_key(KEY)
        .base_url(server.base_url())
        .request_timeout(Duration::from_secs(10))
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

async fn ids<R>(request: ListRequest<R>) -> Vec<Uuid>
where
    R: Record + DeserializeOwned + Send + 'static,
{
    let items = request.collect_all().await.unwrap();
    items.iter().map(|i| i.record_id().unwrap()).collect()
}

/// The ids of the mock's objects of `collection` for which `keep` holds, in
/// id order (the order of every list).
fn expected(data: &GraphData, collection: Collection, keep: impl Fn(&Value) -> bool) -> Vec<Uuid> {
    data.json(collection)
        .iter()
        .filter(|o| keep(o))
        .map(|o| o["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// A string member of an object (`None` when missing, null or not a string).
fn text<'a>(object: &'a Value, member: &str) -> Option<&'a str> {
    object.get(member).and_then(Value::as_str)
}

/// One collection: listed over several pages (typed: every id, in order;
/// `raw_exact`: byte for byte what the mock holds), and, when it has the
/// route, its first and last objects fetched.
async fn check_collection<R>(resources: Resources<R>, data: &GraphData, collection: Collection)
where
    R: Resource + Record + DeserializeOwned + Send + 'static,
{
    let want = data.ids(collection);
    assert!(!want.is_empty(), "{collection:?} is empty");
    assert_eq!(ids(resources.list().first(7)).await, want, "{collection:?}");
    let raw = resources
        .list()
        .first(7)
        .raw_exact()
        .collect_all()
        .await
        .unwrap();
    let sent: Vec<&[u8]> = data.bytes(collection).iter().map(|b| &b[..]).collect();
    let got: Vec<&[u8]> = raw.iter().map(|r| r.as_str().as_bytes()).collect();
    assert_eq!(got, sent, "{collection:?} items are not byte for byte");
    // Licenses are list-only (Edlink documents no `/licenses/:id`).
    if collection == Collection::Licenses {
        return;
    }
    for id in [want[0], want[want.len() - 1]] {
        let one = resources.get(id).await.unwrap();
        assert_eq!(one.record_id(), Some(id), "{collection:?}");
        let raw = resources.get(id).raw().await.unwrap();
        assert_eq!(Some(raw), data.object(collection, id), "{collection:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_resource_is_listed_and_fetched() {
    let f = fixture().await;
    let (g, d) = (&f.graph, &f.data);
    check_collection(g.districts(), d, Collection::Districts).await;
    check_collection(g.schools(), d, Collection::Schools).await;
    check_collection(g.sessions(), d, Collection::Sessions).await;
    check_collection(g.courses(), d, Collection::Courses).await;
    check_collection(g.classes(), d, Collection::Classes).await;
    check_collection(g.sections(), d, Collection::Sections).await;
    check_collection(g.people(), d, Collection::People).await;
    check_collection(g.enrollments(), d, Collection::Enrollments).await;
    check_collection(g.agents(), d, Collection::Agents).await;
    check_collection(g.licenses(), d, Collection::Licenses).await;
    check_collection(g.events(), d, Collection::Events).await;
    assert_eq!(d.ids(Collection::Districts), [d.district_id()]);
}

/// The first parent whose nested list is not empty (so the check means
/// something), and that list's ids.
fn parent_with(data: &GraphData, parent: Collection, relation: Relation) -> (Uuid, Vec<Uuid>) {
    data.ids(parent)
        .into_iter()
        .find_map(|id| {
            let nested = data.nested_ids(parent, id, relation)?;
            (!nested.is_empty()).then_some((id, nested))
        })
        .unwrap_or_else(|| panic!("no {parent:?} has {relation:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_nested_list_holds_what_the_mock_serves() {
    let f = fixture().await;
    let (g, d) = (&f.graph, &f.data);
    let mut checked = HashSet::new();
    macro_rules! nested {
        ($($accessor:ident . $method:ident => $parent:ident / $relation:ident,)+) => {$(
            let (id, want) = parent_with(d, Collection::$parent, Relation::$relation);
            let got = ids(g.$accessor().$method(id).first(3)).await;
            assert_eq!(got, want, "{}/{id}/{}", stringify!($accessor), stringify!($method));
            checked.insert((Collection::$parent, Relation::$relation));
        )+};
    }
    nested! {
        districts.administrators => Districts / Administrators,
        schools.classes => Schools / Classes,
        schools.courses => Schools / Courses,
        schools.sessions => Schools / Sessions,
        schools.people => Schools / People,
        schools.administrators => Schools / Administrators,
        schools.teachers => Schools / Teachers,
        schools.students => Schools / Students,
        courses.classes => Courses / Classes,
        classes.sections => Classes / Sections,
        classes.enrollments => Classes / Enrollments,
        classes.people => Classes / People,
        classes.teachers => Classes / Teachers,
        classes.students => Classes / Students,
        sections.enrollments => Sections / Enrollments,
        sections.people => Sections / People,
        sections.teachers => Sections / Teachers,
        sections.students => Sections / Students,
        people.enrollments => People / Enrollments,
        people.districts => People / Districts,
        people.schools => People / Schools,
        people.classes => People / Classes,
        people.sections => People / Sections,
        people.agents => People / Agents,
    }
    // Every nested list the mock serves was checked.
    let served: HashSet<(Collection, Relation)> = [
        Collection::Districts,
        Collection::Schools,
        Collection::Courses,
        Collection::Classes,
        Collection::Sections,
        Collection::People,
    ]
    .into_iter()
    .flat_map(|p| Relation::of_parent(p).iter().map(move |r| (p, *r)))
    .collect();
    assert_eq!(checked, served);
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expansions_decode_into_typed_values() {
    let f = fixture().await;
    let (g, d) = (&f.graph, &f.data);
    let everyone = g
        .people()
        .list()
        .first(25)
        .expand(["schools", "district"])
        .collect_all()
        .await
        .unwrap();
    assert_eq!(everyone.len(), d.len(Collection::People));
    for person in &everyone {
        let district = person.district.as_ref().expect("district expanded");
        assert_eq!(Some(district.id), person.district_id);
        assert_eq!(district.id, d.district_id());
        let schools: Vec<Uuid> = person
            .schools
            .as_ref()
            .expect("schools expanded")
            .iter()
            .map(|s: &School| s.id)
            .collect();
        assert_eq!(Some(&schools), person.school_ids.as_ref(), "{}", person.id);
        for school in person.schools.iter().flatten() {
            let stored = d.object(Collection::Schools, school.id).unwrap();
            assert_eq!(school.name.as_deref(), text(&stored, "name"));
        }
    }
    let agents = g
        .agents()
        .list()
        .expand(["observer", "target"])
        .collect_all()
        .await
        .unwrap();
    assert_eq!(agents.len(), d.len(Collection::Agents));
    for agent in &agents {
        let observer = agent.observer.as_ref().expect("observer expanded");
        assert_eq!(Some(observer.id), agent.observer_id);
        assert_eq!(agent.target.as_ref().map(|t| t.id), agent.target_id);
    }
    // Without `$expand`, nothing is expanded.
    let plain = g.people().get(everyone[0].id).await.unwrap();
    assert!(plain.schools.is_none() && plain.district.is_none());
    let fetched = g
        .people()
        .get(everyone[0].id)
        .expand(["schools"])
        .await
        .unwrap();
    assert!(fetched.schools.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fields_make_partial_items_whose_missing_fields_are_absent_not_null() {
    let f = fixture().await;
    let (g, d) = (&f.graph, &f.data);
    let raw = g
        .people()
        .list()
        .first(10)
        .fields(["middle_name", "email"])
        .raw_exact()
        .collect_all()
        .await
        .unwrap();
    let typed = g
        .people()
        .list()
        .first(10)
        .fields(["middle_name", "email"])
        .collect_all()
        .await
        .unwrap();
    let stored = d.json(Collection::People);
    assert_eq!(raw.len(), stored.len());
    let (mut nulls, mut absents) = (0, 0);
    for ((raw, person), full) in raw.iter().zip(&typed).zip(&stored) {
        let partial: Value = serde_json::from_str(raw.as_str()).unwrap();
        let keys: BTreeSet<&str> = partial
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let want: BTreeSet<&str> = ["id", "middle_name", "email"]
            .into_iter()
            .filter(|k| full.get(*k).is_some())
            .collect();
        assert_eq!(keys, want, "only the fields asked for, and id");
        // Left out: absent in the typed model, neither null nor a default.
        assert!(person.first_name.is_none() && !person.is_null("first_name"));
        assert!(person.roles.is_none() && !person.is_null("roles"));
        // Asked for: as stored, a null kept apart from a missing member.
        match full.get("middle_name") {
            Some(Value::Null) => {
                assert!(person.is_null("middle_name") && person.middle_name.is_none());
                nulls += 1;
            }
            None => {
                assert!(!person.is_null("middle_name") && person.middle_name.is_none());
                absents += 1;
            }
            Some(v) => assert_eq!(person.middle_name.as_deref(), v.as_str()),
        }
    }
    assert!(nulls > 0 && absents > 0, "the data has both forms");
    let one = g
        .people()
        .get(typed[0].id)
        .fields(["email"])
        .raw()
        .await
        .unwrap();
    let keys: BTreeSet<&str> = one
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(keys.is_subset(&BTreeSet::from(["id", "email"])) && keys.contains("id"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_cursor_mid_listing_loses_nothing_and_keeps_the_filter() {
    let f = fixture().await;
    let (g, d) = (&f.graph, &f.data);
    let filter = people::last_name()
        .is_known()
        .and(people::email().contains("."));
    let want = expected(d, Collection::People, |p| {
        text(p, "last_name").is_some() && text(p, "email").is_some_and(|e| e.contains('.'))
    });
    assert!(want.len() > 10, "several pages");
    f.server.clear_requests();
    // The listing's second request is its first with a `$cursor`: expired.
    f.server
        .expire_cursor_on_request(f.server.request_count() + 2);
    let got = ids(g.people().list().first(5).filter(filter.clone())).await;
    assert_eq!(got, want, "nothing lost, nothing repeated");

    let log = f.server.requests();
    assert_eq!(log[1].status, Some(400), "the expired cursor");
    assert!(log[1].param("$cursor").is_some());
    let resumed = &log[2];
    let last_before = want[4];
    assert_eq!(resumed.param("$after"), Some(last_before.to_string()));
    assert_eq!(
        resumed.param("$filter"),
        Some(filter.to_json()),
        "the filter kept"
    );
    assert_eq!(resumed.param("$first").as_deref(), Some("5"));
    assert_eq!(resumed.param("$cursor"), None);
    for later in &log[3..] {
        assert!(
            later.param("$cursor").is_some(),
            "{}",
            later.path_and_query()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_is_followed_as_sent_and_never_appended_to() {
    let f = fixture().await;
    let g = &f.graph;
    f.server.clear_requests();
    let mut pages = g
        .people()
        .list()
        .first(4)
        .filter(people::first_name().is_known())
        .expand(["schools"])
        .fields(["first_name"])
        .pages();
    let mut count = 0;
    while let Some(page) = futures_util::TryStreamExt::try_next(&mut pages)
        .await
        .unwrap()
    {
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
        count += 1;
    }
    let log = f.server.requests();
    assert_eq!(log.len(), count);
    assert!(count > 3);
    let first = &log[0];
    for name in ["$filter", "$expand", "$fields", "$first"] {
        assert!(first.param(name).is_some(), "{name} on the first request");
    }
    for later in &log[1..] {
        let shown = later.path_and_query();
        if later.param("$cursor").is_some() {
            // A `$next`, as sent: nothing appended.
            for name in ["$filter", "$expand", "$fields", "$first", "$after"] {
                assert_eq!(later.param(name), None, "{name} beside $cursor: {shown}");
            }
        } else {
            // A full last page without `$next`: the `$after` fallback is a
            // URL the client builds, with every option of the first.
            assert!(later.param("$after").is_some(), "{shown}");
            for name in ["$filter", "$expand", "$fields", "$first"] {
                assert_eq!(later.param(name), first.param(name), "{name}: {shown}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_never_cross_between_meta_and_graph_routes() {
    let f = fixture().await;
    let active = f.server.integrations_with_status("active");
    let other = active[1];
    f.server.clear_requests();
    let integrations = f
        .client
        .integrations()
        .list()
        .first(10)
        .collect_all()
        .await
        .unwrap();
    f.graph.schools().list().collect_all().await.unwrap();
    let from_listing = integrations.iter().find(|i| i.id == other).unwrap();
    let graph = f.client.graph_for(from_listing).unwrap();
    graph.people().list().first(50).collect_all().await.unwrap();
    f.client.providers().list().collect_all().await.unwrap();

    let log = f.server.requests();
    assert!(log.len() >= 6);
    for request in &log {
        let shown = request.path_and_query();
        if request.path.starts_with("/api/v2/graph/") {
            let integration = if request.path.ends_with("/schools") {
                f.integration
            } else {
                other
            };
            assert_eq!(
                request.credential,
                Credential::AccessToken(integration),
                "{shown}"
            );
        } else if request.path.starts_with("/api/v1/integrations") {
            assert_eq!(request.credential, Credential::ApplicationKey, "{shown}");
        } else {
            // Public meta routes: never a token.
            assert!(
                !matches!(request.credential, Credential::AccessToken(_)),
                "{shown}"
            );
        }
    }
    assert!(
        log.iter()
            .any(|r| r.credential == Credential::AccessToken(other))
    );
    // A token opens its own district only.
    let foreign = f.data.ids(Collection::People)[0];
    let err = graph.people().get(foreign).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inactive_integration_is_unavailable_and_a_wrong_token_is_refused() {
    let f = fixture().await;
    let inactive = ["inactive", "disabled", "requested", "scheduled"]
        .iter()
        .flat_map(|s| f.server.integrations_with_status(s))
        .next()
        .expect("the generated data has an unusable integration");
    let graph = f.client.graph(f.server.access_token(inactive).unwrap());
    let err = graph.schools().list().collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IntegrationUnavailable, "{err}");
    assert!(err.has_code(ErrorCode::InvalidIntegrationState));
    assert!(err.is_unusable_integration() && !err.is_retryable());
    let err = graph.people().get(Uuid::nil()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IntegrationUnavailable, "{err}");

    if let Some(paused) = f.server.integrations_with_status("paused").first() {
        let graph = f.client.graph(f.server.access_token(*paused).unwrap());
        assert!(
            !ids(graph.schools().list()).await.is_empty(),
            "paused is readable"
        );
    }

    let wrong = f.client.graph("not-a-token-of-anyone-0123456789");
    let err = wrong.people().list().collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    assert!(err.has_code(ErrorCode::InvalidToken));
    // The application key is no Graph token either (and never sent as one).
    let err = f
        .client
        .graph(KEY)
        .districts()
        .list()
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    assert!(!err.to_string().contains(KEY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_lists_every_active_integrations_schools_concurrently() {
    let f = fixture().await;
    // Each Graph answer waits, so concurrent listings overlap.
    for _ in 0..40 {
        f.server
            .faults()
            .push(FaultTarget::Graph, Fault::Delay(Duration::from_millis(60)));
    }
    let before = f.server.connections_accepted();
    let concurrency = 3;
    let reports = graph_schools::active_schools(&f.client, concurrency)
        .await
        .unwrap();

    let active = f.server.integrations_with_status("active");
    assert!(active.len() > concurrency, "more integrations than workers");
    let got: Vec<Uuid> = reports.iter().map(|r| r.integration).collect();
    assert_eq!(
        got, active,
        "one report per active integration, in id order"
    );
    for report in &reports {
        let want = f
            .server
            .graph(report.integration)
            .unwrap()
            .ids(Collection::Schools);
        let schools = report.schools.as_ref().unwrap();
        assert_eq!(schools.iter().map(|s| s.id).collect::<Vec<_>>(), want);
    }
    // One pool: at most one connection per worker (the listing's is reused),
    // and more than one, so the workers did run at the same time.
    let opened = f.server.connections_accepted() - before;
    assert!(opened as usize <= concurrency + 1, "{opened} connections");
    assert!(opened > 1, "{opened} connection: nothing ran concurrently");
    for line in reports.iter().map(graph_schools::Report::line) {
        assert!(line.contains("school"), "{line}");
    }
}
