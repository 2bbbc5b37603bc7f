//! The Graph API over the test transport: routes, credentials, query
//! options, paging rules and errors. (End to end against the fake server:
//! `graph_e2e.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use edlink_client::{Client, Error, ErrorKind, TestTransport};
use edlink_model::filter::{classes, people};
use edlink_model::{ClassState, Filter, Person, Timestamp};

const TOKEN: &str = "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7";
const PEOPLE: &str = "https://ed.link/api/v2/graph/people";

fn person_page(ids: impl IntoIterator<Item = u128>, next: Option<&str>) -> String {
    let data: Vec<_> = ids
        .into_iter()
        .map(|n| serde_json::json!({"id": id(n).to_string(), "first_name": format!("P{n}")}))
        .collect();
    let mut body = serde_json::json!({"$data": data, "$request": "req-g"});
    if let Some(next) = next {
        body["$next"] = serde_json::json!(next);
    }
    body.to_string()
}

fn authorization(t: &TestTransport, n: usize) -> String {
    let request = &t.requests()[n];
    String::from_utf8_lossy(request.headers["authorization"].as_bytes()).into_owned()
}

#[tokio::test]
async fn graph_routes_carry_the_token_and_meta_routes_the_key() {
    let t = TestTransport::new();
    t.push_json(200, &person_page([1], None));
    t.push_json(200, &page([1], None));
    let client = client(&t);
    let graph = client.graph(TOKEN);
    graph.people().list().collect_all().await.unwrap();
    client.integrations().list().collect_all().await.unwrap();
    assert_eq!(authorization(&t, 0), format!("Bearer {TOKEN}"));
    assert_eq!(authorization(&t, 1), format!("Bearer {KEY}"));
    assert!(t.requests()[0].headers["authorization"].is_sensitive());
    // A client without a key can still read the Graph; it cannot read the
    // meta routes, and a Graph route without a token sends nothing.
    let no_key = Client::builder().transport(t.clone()).build().unwrap();
    t.push_json(200, &person_page([1], None));
    no_key
        .graph(TOKEN)
        .people()
        .list()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(authorization(&t, 2), format!("Bearer {TOKEN}"));
    let before = t.request_count();
    let err = no_key
        .resource::<Person>()
        .list()
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::MissingCredential { .. }), "{err:?}");
    assert!(err.to_string().contains("client.graph"), "{err}");
    let err = client.resource::<Person>().get(id(1)).await.unwrap_err();
    assert!(
        matches!(err, Error::MissingCredential { .. }),
        "the key never goes to Graph: {err:?}"
    );
    assert_eq!(t.request_count(), before, "nothing was sent");
}

#[tokio::test]
async fn every_collection_and_nested_list_has_its_route() {
    let t = TestTransport::new();
    let graph = client(&t).graph(TOKEN);
    let one = id(7);
    macro_rules! lists {
        ($($request:expr => $path:literal,)+) => {{
            let mut n = 0;
            $(
                t.push_json(200, r#"{"$data":[]}"#);
                $request.first(10).collect_all().await.unwrap();
                let path = t.requests()[n].uri.path().to_owned();
                assert_eq!(path, $path.replace("{one}", &one.to_string()), "{}", stringify!($request));
                n += 1;
            )+
            n
        }};
    }
    let count = lists! {
        graph.districts().list() => "/api/v2/graph/districts",
        graph.schools().list() => "/api/v2/graph/schools",
        graph.sessions().list() => "/api/v2/graph/sessions",
        graph.courses().list() => "/api/v2/graph/courses",
        graph.classes().list() => "/api/v2/graph/classes",
        graph.sections().list() => "/api/v2/graph/sections",
        graph.people().list() => "/api/v2/graph/people",
        graph.enrollments().list() => "/api/v2/graph/enrollments",
        graph.agents().list() => "/api/v2/graph/agents",
        graph.licenses().list() => "/api/v2/graph/licenses",
        graph.events().list() => "/api/v2/graph/events",
        graph.districts().administrators(one) => "/api/v2/graph/districts/{one}/administrators",
        graph.schools().classes(one) => "/api/v2/graph/schools/{one}/classes",
        graph.schools().courses(one) => "/api/v2/graph/schools/{one}/courses",
        graph.schools().sessions(one) => "/api/v2/graph/schools/{one}/sessions",
        graph.schools().people(one) => "/api/v2/graph/schools/{one}/people",
        graph.schools().administrators(one) => "/api/v2/graph/schools/{one}/administrators",
        graph.schools().teachers(one) => "/api/v2/graph/schools/{one}/teachers",
        graph.schools().students(one) => "/api/v2/graph/schools/{one}/students",
        graph.courses().classes(one) => "/api/v2/graph/courses/{one}/classes",
        graph.classes().sections(one) => "/api/v2/graph/classes/{one}/sections",
        graph.classes().enrollments(one) => "/api/v2/graph/classes/{one}/enrollments",
        graph.classes().people(one) => "/api/v2/graph/classes/{one}/people",
        graph.classes().teachers(one) => "/api/v2/graph/classes/{one}/teachers",
        graph.classes().students(one) => "/api/v2/graph/classes/{one}/students",
        graph.sections().enrollments(one) => "/api/v2/graph/sections/{one}/enrollments",
        graph.sections().people(one) => "/api/v2/graph/sections/{one}/people",
        graph.sections().teachers(one) => "/api/v2/graph/sections/{one}/teachers",
        graph.sections().students(one) => "/api/v2/graph/sections/{one}/students",
        graph.people().enrollments(one) => "/api/v2/graph/people/{one}/enrollments",
        graph.people().districts(one) => "/api/v2/graph/people/{one}/districts",
        graph.people().schools(one) => "/api/v2/graph/people/{one}/schools",
        graph.people().classes(one) => "/api/v2/graph/people/{one}/classes",
        graph.people().sections(one) => "/api/v2/graph/people/{one}/sections",
        graph.people().agents(one) => "/api/v2/graph/people/{one}/agents",
    };
    assert_eq!(count, 35);
    for n in 0..count {
        assert_eq!(authorization(&t, n), format!("Bearer {TOKEN}"));
    }
}

#[tokio::test]
async fn query_options_go_on_built_urls_and_never_on_next() {
    let t = TestTransport::new();
    let next = format!("{PEOPLE}?$cursor=c1");
    t.push_json(200, &person_page([1, 2], Some(&next)));
    t.push_json(200, &person_page([3], None));
    let since: Timestamp = "2021-07-13T17:45:40.486Z".parse().unwrap();
    let filter = people::first_name()
        .starts_with("So")
        .and(people::updated_date().gte(since));
    let items = client(&t)
        .graph(TOKEN)
        .people()
        .list()
        .first(2)
        .filter(filter.clone())
        .expand(["schools"])
        .fields(["first_name"])
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);
    let first = t.requests()[0].uri.to_string();
    assert_eq!(
        first,
        format!(
            "{PEOPLE}?$first=2&{}&$expand=schools&$fields=id%2Cfirst_name%2Cschools",
            filter.to_query()
        )
    );
    // `$next` verbatim: the cursor carries the filter and the page size.
    assert_eq!(t.requests()[1].uri.to_string(), next);
}

#[tokio::test]
async fn an_expired_cursor_resumes_with_the_original_filter() {
    let t = TestTransport::new();
    t.push_json(
        200,
        &person_page([1, 2], Some(&format!("{PEOPLE}?$cursor=c1"))),
    );
    t.push_json(
        400,
        &error_body("INVALID_CURSOR", "The cursor has expired."),
    );
    t.push_json(200, &person_page([3], None));
    let filter = people::last_name().contains("ar");
    let items = client(&t)
        .graph(TOKEN)
        .people()
        .list()
        .first(2)
        .filter(filter.clone())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(numbers(&items), [1, 2, 3], "nothing lost, nothing repeated");
    assert_eq!(
        t.requests()[2].uri.to_string(),
        format!("{PEOPLE}?$first=2&$after={}&{}", id(2), filter.to_query())
    );
}

#[tokio::test]
async fn fetches_take_expand_and_fields() {
    let t = TestTransport::new();
    t.push_json(
        200,
        &serde_json::json!({"$data": {"id": id(4).to_string(), "state": "active"}}).to_string(),
    );
    let class = client(&t)
        .graph(TOKEN)
        .classes()
        .get(id(4))
        .expand(["course", "school"])
        .fields(["state"])
        .await
        .unwrap();
    assert_eq!(class.state, Some(ClassState::Active));
    assert!(
        class.name.is_none() && !class.is_null("name"),
        "absent, not null"
    );
    assert_eq!(
        t.requests()[0].uri.to_string(),
        format!(
            "https://ed.link/api/v2/graph/classes/{}?$expand=course%2Cschool&$fields=id%2Cstate%2Ccourse%2Cschool",
            id(4)
        )
    );
    let _ = classes::state();
}

#[tokio::test]
async fn token_errors_are_typed_and_say_what_to_do() {
    for (code, kind) in [
        ("INVALID_TOKEN", ErrorKind::Authentication),
        ("UNSHARED_TOKEN", ErrorKind::Authentication),
        (
            "INVALID_INTEGRATION_STATE",
            ErrorKind::IntegrationUnavailable,
        ),
    ] {
        let t = TestTransport::new();
        t.push_json(400, &error_body(code, "Refused."));
        let err = client(&t)
            .graph(TOKEN)
            .schools()
            .list()
            .collect_all()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{code}");
        assert!(err.is_unusable_integration(), "{code}");
        assert!(!err.is_retryable(), "{code}");
        let hint = err.hint().unwrap();
        assert!(err.to_string().ends_with(hint), "{err}");
    }
}

#[tokio::test]
async fn the_token_never_shows_in_errors_debug_or_logs() {
    let t = TestTransport::new();
    t.push_json(
        400,
        &error_body("INVALID_TOKEN", &format!("Token {TOKEN} is not valid.")),
    );
    let graph = client(&t).graph(TOKEN);
    let err = graph.people().get(id(1)).await.unwrap_err();
    for shown in [
        format!("{err}"),
        format!("{err:?}"),
        err.chain(),
        format!("{graph:?}"),
        format!("{:?}", graph.people()),
        format!("{:?}", graph.people().list().filter(Filter::new())),
        format!("{:?}", graph.people().get(id(1))),
    ] {
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(!shown.contains(&TOKEN[..8]), "{shown}");
    }
    // A token that cannot go in a header fails every request, sending nothing.
    let err = client(&t)
        .graph("bad\ntoken")
        .people()
        .list()
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(!err.to_string().contains("bad"), "{err}");
    assert_eq!(t.request_count(), 1);
}

fn event_page(ids: impl IntoIterator<Item = u128>, next: Option<&str>) -> String {
    let data: Vec<_> = ids
        .into_iter()
        .map(|n| {
            serde_json::json!({"id": id(n).to_string(), "date": "2021-07-26T06:15:47.179Z",
                "type": "updated", "target": "person", "target_id": id(100 + n).to_string(),
                "data": {"id": id(100 + n).to_string(), "first_name": "X"}})
        })
        .collect();
    let mut body = serde_json::json!({"$data": data});
    if let Some(next) = next {
        body["$next"] = serde_json::json!(next);
    }
    body.to_string()
}

#[tokio::test]
async fn the_events_feed_reads_forward_from_a_checkpoint() {
    let t = TestTransport::new();
    let next = "https://ed.link/api/v2/graph/events?$cursor=e1";
    t.push_json(200, &event_page([11, 12], Some(next)));
    t.push_json(200, &event_page([13], None));
    let graph = client(&t).graph(TOKEN);
    let events = graph
        .events()
        .feed(Some(id(10)))
        .first(2)
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<_> = events.iter().map(|e| e.id).collect();
    assert_eq!(ids, [id(11), id(12), id(13)]);
    assert_eq!(
        t.requests()[0].uri.to_string(),
        format!(
            "https://ed.link/api/v2/graph/events?$first=2&$after={}",
            id(10)
        )
    );
    assert_eq!(t.requests()[1].uri.to_string(), next);
    // Backward is refused before any request.
    let err = graph
        .events()
        .feed(None)
        .last(5)
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(t.request_count(), 2);
}

#[tokio::test]
async fn an_aged_out_checkpoint_is_a_typed_error() {
    for code in ["INVALID_CURSOR", "NOT_FOUND"] {
        let t = TestTransport::new();
        t.push_json(400, &error_body(code, "That event is gone."));
        let err = client(&t)
            .graph(TOKEN)
            .events()
            .feed(Some(id(10)))
            .collect_all()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::EventsAgedOut, "{code}: {err:?}");
        assert!(matches!(err, Error::EventsAgedOut { after, .. } if after == id(10)));
        assert!(err.to_string().contains("full sync"), "{err}");
        assert_eq!(err.status(), Some(400));
        assert!(std::error::Error::source(&err).is_some());
    }
    // Other refusals, and the same codes on a later page (a cursor that
    // expired: resumed as in any listing), are not.
    let t = TestTransport::new();
    t.push_json(400, &error_body("INVALID_TOKEN", "no"));
    let err = client(&t)
        .graph(TOKEN)
        .events()
        .feed(Some(id(10)))
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    let t = TestTransport::new();
    t.push_json(
        200,
        &event_page([11], Some("https://ed.link/api/v2/graph/events?$cursor=e1")),
    );
    t.push_json(400, &error_body("INVALID_CURSOR", "expired"));
    t.push_json(200, &event_page([12], None));
    let events = client(&t)
        .graph(TOKEN)
        .events()
        .feed(Some(id(10)))
        .first(2)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        t.requests()[2].uri.to_string(),
        format!(
            "https://ed.link/api/v2/graph/events?$first=2&$after={}",
            id(11)
        )
    );
}
