//! Graph query parameters besides `$filter`: `$expand`, `$fields`, and cursors that carry
//! them, stay on their route and integration, and expire.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{GraphFixture as Fixture, client, get, graph_url, ids, integration, walk_objects};
use edlink_mock::{Collection, MockServer};
use serde_json::{Value, json};
use uuid::Uuid;

#[tokio::test]
async fn expand_adds_objects_beside_their_ids() {
    let f = Fixture::new().await;
    use Collection as C;
    let g = &f.graph;
    let obj = |c: Collection, v: &Value| -> Value {
        match v.as_str() {
            Some(id) => g.object(c, id.parse().unwrap()).unwrap(),
            None => Value::Null,
        }
    };
    let r = f.get("/people?$first=10000&$expand=schools,district").await;
    let text = String::from_utf8(r.body.to_vec()).unwrap();
    let v = r.json();
    for p in v["$data"].as_array().unwrap() {
        let schools: Vec<Value> = p["school_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| obj(C::Schools, id))
            .collect();
        assert_eq!(p["schools"], Value::Array(schools));
        assert_eq!(p["district"], obj(C::Districts, &p["district_id"]));
        // Beside the id member: right after it, in the bytes.
        let ids = format!("\"school_ids\":{},\"schools\":", p["school_ids"]);
        assert!(text.contains(&ids), "{ids}");
        let id = format!("\"district_id\":{},\"district\":", p["district_id"]);
        assert!(text.contains(&id), "{id}");
    }
    for (path, pairs) in [
        (
            "/agents",
            vec![
                ("observer", "observer_id", C::People),
                ("target", "target_id", C::People),
            ],
        ),
        (
            "/enrollments",
            vec![
                ("person", "person_id", C::People),
                ("class", "class_id", C::Classes),
                ("section", "section_id", C::Sections),
            ],
        ),
        (
            "/classes",
            vec![
                ("course", "course_id", C::Courses),
                ("school", "school_id", C::Schools),
            ],
        ),
        ("/sections", vec![("class", "class_id", C::Classes)]),
        (
            "/courses",
            vec![
                ("session", "session_id", C::Sessions),
                ("school", "school_id", C::Schools),
            ],
        ),
    ] {
        let names: Vec<&str> = pairs.iter().map(|p| p.0).collect();
        let v = f
            .get(&format!("{path}?$first=10000&$expand={}", names.join(",")))
            .await
            .json();
        assert!(v.get("$warnings").is_none());
        for item in v["$data"].as_array().unwrap() {
            for (name, field, target) in &pairs {
                assert_eq!(item[*name], obj(*target, &item[*field]), "{path} {name}");
            }
        }
    }
    let v = f.get("/classes?$first=5&$expand=sessions").await.json();
    for class in v["$data"].as_array().unwrap() {
        let n = class["session_ids"].as_array().unwrap().len();
        assert_eq!(class["sessions"].as_array().unwrap().len(), n);
    }
    // Unknown names: a warning, not an error.
    let v = f.get("/people?$first=2&$expand=schools,pets").await.json();
    assert_eq!(v["$data"].as_array().unwrap().len(), 2);
    assert_eq!(v["$warnings"][0]["code"], "INVALID_EXPANSION");
    assert!(
        v["$warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("pets")
    );
    // On a fetch too.
    let agent = g.json(C::Agents)[0].clone();
    let v = f
        .get(&format!(
            "/agents/{}?$expand=observer",
            agent["id"].as_str().unwrap()
        ))
        .await
        .json();
    assert_eq!(
        v["$data"]["observer"],
        obj(C::People, &agent["observer_id"])
    );
}

#[tokio::test]
async fn fields_limit_the_output_and_ride_the_cursor() {
    let f = Fixture::new().await;
    let first = "/people?$first=6&$fields=id,first_name,schools,bogus&$expand=schools";
    let r = f.get(first).await;
    let v = r.json();
    assert_eq!(v["$warnings"][0]["code"], "INVALID_FIELD_REQUESTED");
    assert!(
        v["$warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("bogus")
    );
    let walked = walk_objects(&f.client, &graph_url(&f.server, first), Some(&f.token)).await;
    assert_eq!(ids(&walked), f.graph.ids(Collection::People));
    for p in &walked {
        let mut keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["first_name", "id", "schools"], "{p}");
    }
    // The pages after the first come from the cursor alone, with the same warnings.
    let next = v["$next"].as_str().unwrap();
    let v = get(&f.client, next, Some(&f.token)).await.json();
    assert_eq!(v["$warnings"][0]["code"], "INVALID_FIELD_REQUESTED");
    // Without $expand, an expansion name in $fields adds nothing.
    let v = f.get("/people?$first=1&$fields=id,schools").await.json();
    assert_eq!(v["$data"][0].as_object().unwrap().len(), 1);
    // A fetch.
    let id = f.graph.ids(Collection::Schools)[0];
    let v = f.get(&format!("/schools/{id}?$fields=name")).await.json();
    assert_eq!(
        v["$data"],
        json!({"name": f.graph.object(Collection::Schools, id).unwrap()["name"]})
    );
}

#[tokio::test]
async fn cursors_stay_on_their_route_and_integration() {
    let server = MockServer::builder()
        .generated(30, 1)
        .start()
        .await
        .unwrap();
    let c = client();
    let (a, token_a) = integration(&server, "active");
    let (_, token_b) = server
        .integrations_with_status("active")
        .into_iter()
        .skip(1)
        .map(|id| (id, server.access_token(id).unwrap()))
        .next()
        .unwrap();
    let graph = server.graph(a).unwrap();
    let v = get(&c, &graph_url(&server, "/people?$first=2"), Some(&token_a))
        .await
        .json();
    let cursor = v["$next"]
        .as_str()
        .unwrap()
        .split("$cursor=")
        .nth(1)
        .unwrap()
        .to_owned();
    let schools = graph.ids(Collection::Schools);
    let nested = |s: Uuid| graph_url(&server, &format!("/schools/{s}/people?$first=2"));
    let v = get(&c, &nested(schools[0]), Some(&token_a)).await.json();
    let nested_cursor = v["$next"]
        .as_str()
        .unwrap()
        .split("$cursor=")
        .nth(1)
        .unwrap()
        .to_owned();
    let v1 = get(
        &c,
        &server.url("/api/v1/integrations?$first=2"),
        Some("test-key"),
    )
    .await
    .json();
    let v1_cursor = v1["$next"]
        .as_str()
        .unwrap()
        .split("$cursor=")
        .nth(1)
        .unwrap()
        .to_owned();
    let cases = [
        (
            graph_url(&server, &format!("/people?$cursor={cursor}")),
            &token_b,
        ),
        (
            graph_url(&server, &format!("/schools?$cursor={cursor}")),
            &token_a,
        ),
        (
            graph_url(
                &server,
                &format!("/schools/{}/people?$cursor={cursor}", schools[0]),
            ),
            &token_a,
        ),
        (
            graph_url(&server, &format!("/people?$cursor={nested_cursor}")),
            &token_a,
        ),
        (
            graph_url(&server, &format!("/people?$cursor={v1_cursor}")),
            &token_a,
        ),
        (
            server.url(&format!("/api/v1/integrations?$cursor={cursor}")),
            &"test-key".to_owned(),
        ),
    ];
    for (url, token) in &cases {
        let r = get(&c, url, Some(token)).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "INVALID_CURSOR"),
            "{url}"
        );
    }
    if schools.len() > 1 {
        let other = graph_url(
            &server,
            &format!("/schools/{}/people?$cursor={nested_cursor}", schools[1]),
        );
        assert_eq!(
            get(&c, &other, Some(&token_a)).await.code(),
            "INVALID_CURSOR"
        );
    }
    // The right route and token still work.
    let ok = graph_url(&server, &format!("/people?$cursor={cursor}"));
    assert_eq!(get(&c, &ok, Some(&token_a)).await.status, 200);
    // Every expiry switch applies.
    server.expire_all_cursors();
    assert_eq!(get(&c, &ok, Some(&token_a)).await.code(), "INVALID_CURSOR");
}

#[tokio::test(start_paused = true)]
async fn graph_cursors_age_on_tokio_time() {
    let server = MockServer::builder()
        .generated(10, 1)
        .cursor_ttl(Duration::from_secs(7_200))
        .start()
        .await
        .unwrap();
    let c = client();
    let (_, token) = integration(&server, "active");
    let v = get(&c, &graph_url(&server, "/people?$first=2"), Some(&token))
        .await
        .json();
    let next = v["$next"].as_str().unwrap().to_owned();
    tokio::time::advance(Duration::from_secs(7_199)).await;
    assert_eq!(get(&c, &next, Some(&token)).await.status, 200);
    tokio::time::advance(Duration::from_secs(2)).await;
    let r = get(&c, &next, Some(&token)).await;
    assert_eq!((r.status, r.code().as_str()), (400, "INVALID_CURSOR"));
}
