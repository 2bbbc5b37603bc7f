//! The Graph routes: access-token auth, every list, fetch and nested list, paging, events,
//! lazy generation, faults.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{client, get, graph_url, integration, send, walk_objects};
use edlink_mock::{Collection, Credential, Fault, FaultTarget, MockServer, Relation, Route};
use http::Method;
use serde_json::Value;
use uuid::Uuid;

fn uuid_of(v: &Value) -> Uuid {
    v.as_str().unwrap().parse().unwrap()
}

fn ids(values: &[Value]) -> Vec<Uuid> {
    values.iter().map(|v| uuid_of(&v["id"])).collect()
}

fn data(r: &common::Resp) -> Vec<Value> {
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()["$data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn access_tokens_open_their_own_district_only() {
    let server = MockServer::builder()
        .secret_key("s3cret")
        .start()
        .await
        .unwrap();
    let c = client();
    let (active, active_token) = integration(&server, "active");
    let (paused, paused_token) = integration(&server, "paused");
    let (_, inactive_token) = integration(&server, "inactive");
    let (_, odd_token) = integration(&server, "paused_by_district");
    let people = graph_url(&server, "/people");

    let r = get(&c, &people, Some(&active_token)).await;
    let expected = server.graph(active).unwrap().ids(Collection::People);
    assert_eq!(ids(&data(&r)), expected[..expected.len().min(100)]);
    assert_eq!(get(&c, &people, Some(&paused_token)).await.status, 200);
    // Only `active` and `paused` open the Graph API.
    for token in [&inactive_token, &odd_token] {
        let r = get(&c, &people, Some(token)).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (403, "INVALID_INTEGRATION_STATE")
        );
    }
    // The application key, no header, an unknown token: INVALID_TOKEN like v1.
    for key in [Some("s3cret"), None, Some("nope")] {
        let r = get(&c, &people, key).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (401, "INVALID_TOKEN"),
            "{key:?}"
        );
        assert_eq!(r.header("www-authenticate").as_deref(), Some("Bearer"));
    }
    // An access token does not open the meta API.
    let r = get(&c, &server.url("/api/v1/integrations"), Some(&active_token)).await;
    assert_eq!((r.status, r.code().as_str()), (401, "INVALID_TOKEN"));
    // Another integration's objects are not found with this token.
    let theirs = server.graph(paused).unwrap().ids(Collection::People)[0];
    let r = get(
        &c,
        &graph_url(&server, &format!("/people/{theirs}")),
        Some(&active_token),
    )
    .await;
    assert_eq!((r.status, r.code().as_str()), (400, "NOT_FOUND"));
    let ok = get(
        &c,
        &graph_url(&server, &format!("/people/{theirs}")),
        Some(&paused_token),
    )
    .await;
    assert_eq!(ok.json()["$data"]["id"], theirs.to_string());

    // The log says which credential each request carried, and never holds one.
    let log = server.requests();
    let creds: Vec<Credential> = log.iter().map(|r| r.credential).collect();
    assert_eq!(creds[0], Credential::AccessToken(active));
    assert_eq!(creds[1], Credential::AccessToken(paused));
    assert_eq!(creds[4], Credential::ApplicationKey);
    assert_eq!(creds[5], Credential::None);
    assert_eq!(creds[6], Credential::Unknown);
    assert_eq!(log[0].route, Route::List(Collection::People));
    // `authorization_valid` keeps its v1 meaning: the header was the application key.
    assert!(log[4].authorization_valid && !log[0].authorization_valid);
    let text = format!("{log:?}");
    for secret in ["s3cret", &active_token, &paused_token, &inactive_token] {
        assert!(!text.contains(secret));
    }
}

#[tokio::test]
async fn auth_status_and_no_auth_apply_as_documented() {
    let server = MockServer::builder()
        .auth_error_status(400)
        .no_auth()
        .start()
        .await
        .unwrap();
    let c = client();
    // no_auth opens the meta API, not the Graph API: a Graph request needs a token to pick
    // its integration.
    let r = get(&c, &graph_url(&server, "/schools"), None).await;
    assert_eq!((r.status, r.code().as_str()), (400, "INVALID_TOKEN"));
    let (_, token) = integration(&server, "active");
    assert_eq!(
        get(&c, &graph_url(&server, "/schools"), Some(&token))
            .await
            .status,
        200
    );
    assert!(server.requests()[1].credential.integration().is_some());
}

#[tokio::test]
async fn every_collection_lists_and_fetches() {
    let server = MockServer::builder()
        .generated(10, 1)
        .start()
        .await
        .unwrap();
    let c = client();
    let (id, token) = integration(&server, "active");
    let graph = server.graph(id).unwrap();
    for collection in Collection::GRAPH {
        let name = collection.name();
        let expected = graph.json(collection);
        let r = get(
            &c,
            &graph_url(&server, &format!("/{name}?$first=10000")),
            Some(&token),
        )
        .await;
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(data(&r), expected, "{name}");
        assert!(r.json().get("$next").is_none());
        let first = uuid_of(&expected[0]["id"]);
        let one = get(
            &c,
            &graph_url(&server, &format!("/{name}/{first}")),
            Some(&token),
        )
        .await;
        if collection == Collection::Licenses {
            // Licenses are list-only.
            assert_eq!((one.status, one.code().as_str()), (404, "NOT_FOUND"));
            continue;
        }
        assert_eq!(one.json()["$data"], expected[0], "{name}");
        let upper = first.to_string().to_uppercase();
        let one = get(
            &c,
            &graph_url(&server, &format!("/{name}/{upper}")),
            Some(&token),
        )
        .await;
        assert_eq!(one.json()["$data"], expected[0]);
        let r = get(
            &c,
            &graph_url(&server, &format!("/{name}/{}", Uuid::nil())),
            Some(&token),
        )
        .await;
        assert_eq!((r.status, r.code().as_str()), (400, "NOT_FOUND"));
        let message = r.json()["$errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.ends_with("not found for this integration."),
            "{message}"
        );
        let r = get(
            &c,
            &graph_url(&server, &format!("/{name}/nope")),
            Some(&token),
        )
        .await;
        assert_eq!((r.status, r.code().as_str()), (400, "INVALID_UUID"));
    }
    let r = send(
        &c,
        Method::POST,
        &graph_url(&server, "/people"),
        Some(&token),
    )
    .await
    .unwrap();
    assert_eq!(
        (r.status, r.code().as_str()),
        (405, "UNSUPPORTED_OPERATION")
    );
    for path in ["/people/x/teachers", "/teams", "/courses/x/people"] {
        let r = get(&c, &graph_url(&server, path), Some(&token)).await;
        assert_eq!((r.status, r.code().as_str()), (404, "NOT_FOUND"), "{path}");
    }
}

#[tokio::test]
async fn paging_walks_and_events_go_forward_only() {
    let server = MockServer::builder()
        .generated(10, 1)
        .students(60)
        .start()
        .await
        .unwrap();
    let c = client();
    let (id, token) = integration(&server, "active");
    let graph = server.graph(id).unwrap();
    let people = graph.ids(Collection::People);
    let walked = walk_objects(&c, &graph_url(&server, "/people?$first=7"), Some(&token)).await;
    assert_eq!(ids(&walked), people);
    let back = walk_objects(&c, &graph_url(&server, "/people?$last=9"), Some(&token)).await;
    let mut reversed = people.clone();
    reversed.reverse();
    assert_eq!(ids(&back), reversed);
    // $next carries only $cursor, on the canonical path.
    let v = get(&c, &graph_url(&server, "/people/?$first=7"), Some(&token))
        .await
        .json();
    let next = v["$next"].as_str().unwrap().to_owned();
    assert!(
        next.starts_with(&graph_url(&server, "/people?$cursor=")),
        "{next}"
    );
    // Paging parameters beside a cursor: ignored, with PAGING_IGNORED.
    let v = get(&c, &format!("{next}&$first=2"), Some(&token))
        .await
        .json();
    assert_eq!(v["$data"].as_array().unwrap().len(), 7);
    assert_eq!(v["$warnings"][0]["code"], "PAGING_IGNORED");
    // Events: forward only, chronological.
    let events = walk_objects(&c, &graph_url(&server, "/events?$first=4"), Some(&token)).await;
    assert_eq!(ids(&events), graph.ids(Collection::Events));
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] < w[1]));
    let after = uuid_of(&events[3]["id"]);
    let v = data(
        &get(
            &c,
            &graph_url(&server, &format!("/events?$first=2&$after={after}")),
            Some(&token),
        )
        .await,
    );
    assert_eq!(ids(&v), graph.ids(Collection::Events)[4..6]);
    // `$last=1` gives the newest event (what a sync learns before a full
    // read), as Edlink allows.
    let v = data(&get(&c, &graph_url(&server, "/events?$last=1"), Some(&token)).await);
    assert_eq!(
        ids(&v),
        graph.ids(Collection::Events)[graph.ids(Collection::Events).len() - 1..]
    );
    // Nested lists page too, and their $next stays on the nested path.
    let school = graph.ids(Collection::Schools)[0];
    let first = graph_url(&server, &format!("/schools/{school}/students?$first=5"));
    let students = walk_objects(&c, &first, Some(&token)).await;
    assert_eq!(
        Some(ids(&students)),
        graph.nested_ids(Collection::Schools, school, Relation::Students)
    );
    let v = get(&c, &first, Some(&token)).await.json();
    assert!(v["$next"].as_str().unwrap().starts_with(&graph_url(
        &server,
        &format!("/schools/{school}/students?$cursor=")
    )));
}

#[tokio::test]
async fn districts_are_generated_on_first_use_only() {
    // Building 250 districts of 3,000,000 students at start would take hours.
    let start = MockServer::builder()
        .generated(250, 1)
        .students(3_000_000)
        .start();
    let server = tokio::time::timeout(Duration::from_secs(30), start)
        .await
        .expect("the server starts without building districts")
        .unwrap();
    let r = get(
        &client(),
        &server.url("/api/v1/integrations?$first=250"),
        Some("test-key"),
    )
    .await;
    assert_eq!(r.json()["$data"].as_array().unwrap().len(), 250);
    // The access facts come from the v1 data, with no district built.
    assert!(server.integrations_with_status("active").len() > 100);
}

#[tokio::test]
async fn faults_reach_graph_routes() {
    let server = MockServer::builder()
        .generated(10, 1)
        .start()
        .await
        .unwrap();
    let c = client();
    let (id, token) = integration(&server, "active");
    let school = server.graph(id).unwrap().ids(Collection::Schools)[0];
    let teachers = graph_url(&server, &format!("/schools/{school}/teachers"));
    server.faults().push(FaultTarget::Graph, Fault::Status(503));
    assert_eq!(
        get(&c, &server.url("/api/v1/providers"), None).await.status,
        200
    );
    assert_eq!(get(&c, &teachers, Some(&token)).await.status, 503);
    server.faults().push(
        Route::Nested(Collection::Schools, Relation::Teachers),
        Fault::ProxyPage(502),
    );
    assert_eq!(
        get(&c, &graph_url(&server, "/schools"), Some(&token))
            .await
            .status,
        200
    );
    assert_eq!(get(&c, &teachers, Some(&token)).await.status, 502);
    // A collection target covers its nested lists.
    server
        .faults()
        .push(Collection::Schools, Fault::RateLimited(None));
    let r = get(&c, &teachers, Some(&token)).await;
    assert_eq!((r.status, r.code().as_str()), (429, "RATE_LIMITED"));
    // Envelope faults: an empty page whose $next serves the real page.
    server.faults().push(FaultTarget::Graph, Fault::EmptyPage);
    let v = get(&c, &graph_url(&server, "/people?$first=3"), Some(&token))
        .await
        .json();
    assert!(v["$data"].as_array().unwrap().is_empty());
    let real = data(&get(&c, v["$next"].as_str().unwrap(), Some(&token)).await);
    assert_eq!(
        ids(&real),
        server.graph(id).unwrap().ids(Collection::People)[..3]
    );
    server.faults().push(
        FaultTarget::Graph,
        Fault::ForeignNext("https://evil.example".into()),
    );
    let v = get(&c, &format!("{teachers}?$first=1"), Some(&token))
        .await
        .json();
    let next = v["$next"].as_str().unwrap();
    assert!(
        next.starts_with(&format!(
            "https://evil.example/api/v2/graph/schools/{school}/teachers?$cursor="
        )),
        "{next}"
    );
    assert_eq!(server.faults_injected(), 5);
}

#[tokio::test]
async fn same_seed_same_graph_bytes() {
    let mut bodies = Vec::new();
    for seed in [4, 4, 5] {
        let server = MockServer::builder()
            .generated(5, 1)
            .seed(seed)
            .start()
            .await
            .unwrap();
        let (_, token) = integration(&server, "active");
        let r = get(
            &client(),
            &graph_url(&server, "/enrollments?$first=20"),
            Some(&token),
        )
        .await;
        bodies.push(
            String::from_utf8(r.body.to_vec())
                .unwrap()
                .replace(&server.base_url(), "ORIGIN"),
        );
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_ne!(bodies[0], bodies[2]);
}
