//! The dump (the JSONL form of `edlink sync export`) and the `/__mock/…` routes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{client, get, graph_url, integration, send};
use edlink_mock::{Collection, FaultRate, MockServer, Route};
use http::Method;
use serde_json::Value;
use uuid::Uuid;

/// The nine collections a sync mirrors, by table name.
const TYPES: [(&str, Collection); 9] = [
    ("districts", Collection::Districts),
    ("schools", Collection::Schools),
    ("sessions", Collection::Sessions),
    ("courses", Collection::Courses),
    ("people", Collection::People),
    ("classes", Collection::Classes),
    ("sections", Collection::Sections),
    ("enrollments", Collection::Enrollments),
    ("agents", Collection::Agents),
];

/// Mutates until a person carries a portal token in `properties`; returns it and its owner.
fn with_a_secret(server: &MockServer, id: Uuid) -> (Uuid, String) {
    for _ in 0..50 {
        server.mutate(id, 10).unwrap();
        let graph = server.graph(id).unwrap();
        let found = graph.json(Collection::People).into_iter().find_map(|p| {
            let token = p["properties"]["portal_access_token"].as_str()?.to_owned();
            Some((p["id"].as_str()?.parse().ok()?, token))
        });
        if let Some(found) = found {
            return found;
        }
    }
    panic!("no portal token in 500 steps");
}

#[tokio::test]
async fn the_dump_is_every_object_sorted_with_secrets_masked() {
    let server = MockServer::builder()
        .generated(12, 3)
        .start()
        .await
        .unwrap();
    let (id, _) = integration(&server, "active");
    let (owner, token) = with_a_secret(&server, id);
    let graph = server.graph(id).unwrap();
    let dump = server.dump(id).unwrap();
    assert_eq!(dump, graph.dump());
    assert!(dump.ends_with('\n'));
    assert_eq!(server.dump(Uuid::from_u128(9)), None);

    // Unmasked, each line is built from the served bytes exactly; sorted by type and id.
    let mut expected: Vec<(String, String)> = Vec::new();
    for (name, collection) in TYPES {
        for (oid, bytes) in graph.ids(collection).iter().zip(graph.bytes(collection)) {
            let line = format!(
                "{{\"integration_id\":\"{id}\",\"type\":\"{name}\",\"id\":\"{oid}\",\"data\":{}}}",
                String::from_utf8_lossy(bytes)
            );
            expected.push((format!("{name} {oid}"), line));
        }
    }
    expected.sort();
    let clear = graph.dump_unmasked();
    let unmasked: Vec<&str> = clear.lines().collect();
    let lines: Vec<&str> = expected.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(unmasked, lines);
    assert!(clear.contains(&token));

    // Masked: the token shows its first 4 characters; every other line is the same.
    assert!(!dump.contains(&token));
    let masked: Vec<&str> = dump.lines().collect();
    assert_eq!(masked.len(), lines.len());
    let mut differ = 0;
    for (m, u) in masked.iter().zip(&lines) {
        if m == u {
            continue;
        }
        differ += 1;
        let (m, u): (Value, Value) = (
            serde_json::from_str(m).unwrap(),
            serde_json::from_str(u).unwrap(),
        );
        assert_eq!(m["type"], "people", "{m}");
        let shown = m["data"]["properties"]["portal_access_token"]
            .as_str()
            .unwrap();
        let real = u["data"]["properties"]["portal_access_token"]
            .as_str()
            .unwrap();
        assert_eq!(shown, format!("{}…", &real[..4]));
        let mut m = m;
        m["data"]["properties"]["portal_access_token"] = Value::from(real);
        assert_eq!(m, u);
    }
    assert!(differ >= 1);
    assert!(dump.contains(&format!("\"id\":\"{owner}\"")));
    // Nothing but the nine collections.
    assert!(!dump.contains("\"type\":\"events\"") && !dump.contains("\"type\":\"licenses\""));
}

#[tokio::test]
async fn the_mock_routes_dump_mutate_and_age_out_with_the_key() {
    let server = MockServer::builder()
        .generated(12, 3)
        .secret_key("k")
        .start()
        .await
        .unwrap();
    let (id, token) = integration(&server, "active");
    let c = client();
    let url = |path: &str| server.url(&format!("/__mock/{path}"));

    let r = get(&c, &url(&format!("dump/{id}")), Some("k")).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/x-ndjson; charset=utf-8")
    );
    assert_eq!(r.body, server.dump(id).unwrap().as_bytes());
    for key in [None, Some(token.as_str()), Some("nope")] {
        let r = get(&c, &url(&format!("dump/{id}")), key).await;
        assert_eq!((r.status, r.code()), (401, "INVALID_TOKEN".to_owned()));
    }

    let events = server.graph(id).unwrap().len(Collection::Events);
    let r = send(
        &c,
        Method::POST,
        &url(&format!("mutate/{id}?steps=3")),
        Some("k"),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let report = r.json();
    assert_eq!(
        (report["steps"].as_u64(), report["total_steps"].as_u64()),
        (Some(3), Some(3))
    );
    let written = report["events"].as_u64().unwrap() as usize;
    assert_eq!(
        written as u64,
        ["created", "updated", "deleted"]
            .iter()
            .map(|k| report[k].as_u64().unwrap())
            .sum::<u64>()
    );
    assert_eq!(
        server.graph(id).unwrap().len(Collection::Events),
        events + written
    );
    let r = send(&c, Method::POST, &url(&format!("mutate/{id}")), Some("k"))
        .await
        .unwrap();
    assert_eq!(r.json()["total_steps"], 4);
    for bad in ["0", "10001", "x"] {
        let r = send(
            &c,
            Method::POST,
            &url(&format!("mutate/{id}?steps={bad}")),
            Some("k"),
        )
        .await
        .unwrap();
        assert_eq!(
            (r.status, r.code()),
            (400, "INVALID_STEPS".to_owned()),
            "{bad}"
        );
    }

    let before = server.graph(id).unwrap().len(Collection::Events);
    let r = send(&c, Method::POST, &url(&format!("age-out/{id}")), Some("k"))
        .await
        .unwrap();
    assert_eq!(r.json(), serde_json::json!({ "purged": before }));
    assert!(server.graph(id).unwrap().is_empty(Collection::Events));

    // Wrong method, wrong ids, wrong paths.
    let r = get(&c, &url(&format!("mutate/{id}")), Some("k")).await;
    assert_eq!(
        (r.status, r.header("allow").as_deref()),
        (405, Some("POST"))
    );
    let r = send(&c, Method::POST, &url(&format!("dump/{id}")), Some("k"))
        .await
        .unwrap();
    assert_eq!((r.status, r.header("allow").as_deref()), (405, Some("GET")));
    let r = get(&c, &url("dump/nope"), Some("k")).await;
    assert_eq!((r.status, r.code()), (400, "INVALID_UUID".to_owned()));
    let r = get(&c, &url(&format!("dump/{}", Uuid::from_u128(5))), Some("k")).await;
    assert_eq!((r.status, r.code()), (400, "NOT_FOUND".to_owned()));
    for path in ["nope/x", "dump", "dump/a/b"] {
        let r = get(&c, &url(path), Some("k")).await;
        assert_eq!(
            (r.status, r.code()),
            (404, "NOT_FOUND".to_owned()),
            "{path}"
        );
    }

    // Faults never touch them, whatever the rate.
    server.faults().set_rate(Some(FaultRate::new(1.0, 1)));
    let injected = server.faults_injected();
    for _ in 0..5 {
        let r = get(&c, &url(&format!("dump/{id}")), Some("k")).await;
        assert_eq!(r.status, 200);
    }
    assert_eq!(server.faults_injected(), injected);
    // (The same rate does fault a Graph request.)
    let _ = send(
        &c,
        Method::GET,
        &graph_url(&server, "/people"),
        Some(&token),
    )
    .await;
    assert_eq!(server.faults_injected(), injected + 1);
    let logged = server.requests();
    assert!(
        logged
            .iter()
            .any(|r| r.route == Route::Admin && r.fault.is_none())
    );
}
