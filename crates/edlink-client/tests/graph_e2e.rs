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

// The scenarios by subject; each file uses the fixture and helpers above.
#[path = "graph_e2e/credentials.rs"]
mod credentials;
#[path = "graph_e2e/filters.rs"]
mod filters;
#[path = "graph_e2e/paging.rs"]
mod paging;

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
    // One pool: connections are reused across integrations. A connection
    // goes back to hyper's pool a moment after its body ends, so a worker
    // that starts in that moment may open one more; allow twice the
    // workers, which is still fewer than one connection per integration.
    let opened = f.server.connections_accepted() - before;
    let bound = 2 * (concurrency + 1);
    assert!(
        active.len() > bound,
        "the bound must be below one per integration"
    );
    assert!(opened as usize <= bound, "{opened} connections");
    assert!(opened > 1, "{opened} connection: nothing ran concurrently");
    for line in reports.iter().map(graph_schools::Report::line) {
        assert!(line.contains("school"), "{line}");
    }
}
