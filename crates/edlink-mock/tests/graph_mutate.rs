//! Districts that change: mutation steps are deterministic, keep every reference valid, write
//! one event per change (replaying them over the first state gives the current state), and
//! every route serves the new state.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::{client, enc, get, graph_url, ids, integration, walk_objects};
use edlink_mock::{Collection, GraphData, MockServer, Relation};
use serde_json::Value;
use uuid::Uuid;

/// The collections a sync mirrors (and events name).
const SYNCED: [Collection; 9] = [
    Collection::Districts,
    Collection::Schools,
    Collection::Sessions,
    Collection::Courses,
    Collection::Classes,
    Collection::Sections,
    Collection::People,
    Collection::Enrollments,
    Collection::Agents,
];

/// The collection an event `target` names (edlink-graph.md §3).
fn collection_of(target: &str) -> Collection {
    match target {
        "district" => Collection::Districts,
        "school" => Collection::Schools,
        "session" => Collection::Sessions,
        "course" => Collection::Courses,
        "class" => Collection::Classes,
        "section" => Collection::Sections,
        "person" => Collection::People,
        "enrollment" => Collection::Enrollments,
        "agent" => Collection::Agents,
        other => panic!("an event target no document lists: {other}"),
    }
}

type Objects = BTreeMap<(Collection, Uuid), Value>;

fn objects(graph: &GraphData) -> Objects {
    let mut out = BTreeMap::new();
    for c in SYNCED {
        for v in graph.json(c) {
            out.insert((c, v["id"].as_str().unwrap().parse().unwrap()), v);
        }
    }
    out
}

fn uuid(v: &Value) -> Option<Uuid> {
    v.as_str().map(|s| s.parse().unwrap())
}

async fn server(seed: u64) -> MockServer {
    MockServer::builder()
        .generated(12, 3)
        .seed(seed)
        .start()
        .await
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn the_same_seed_makes_the_same_changes_and_another_seed_others() {
    let (a, b, c) = (server(8).await, server(8).await, server(9).await);
    let (id, _) = integration(&a, "active");
    // Generated at the same (paused) instant, so even the dates repeat.
    for s in [&a, &b, &c] {
        s.graph(id).unwrap();
    }
    let report = a.mutate(id, 150).unwrap();
    assert_eq!((report.steps, report.total_steps), (150, 150));
    assert_eq!(
        report.events,
        report.created + report.updated + report.deleted
    );
    assert!(report.created > 0 && report.updated > 0 && report.deleted > 0);
    // Other batches, same step numbers: the same district.
    for _ in 0..3 {
        b.mutate(id, 50).unwrap();
    }
    c.mutate(id, 150).unwrap();
    let (ga, gb, gc) = (
        a.graph(id).unwrap(),
        b.graph(id).unwrap(),
        c.graph(id).unwrap(),
    );
    assert_eq!(ga.dump(), gb.dump());
    assert_eq!(ga.bytes(Collection::Events), gb.bytes(Collection::Events));
    assert_ne!(ga.dump(), gc.dump());
    // Another integration of the same server changes in its own way.
    let other = a.integrations_with_status("active")[1];
    let before = a.graph(other).unwrap().dump();
    assert!(a.mutate(other, 5).unwrap().events > 0);
    assert_ne!(a.graph(other).unwrap().dump(), before);
    assert_eq!(a.graph(id).unwrap().dump(), ga.dump(), "untouched");
    assert_eq!(a.mutate(Uuid::from_u128(7), 1), None);
}

/// Every `_id`/`_ids` member names an object that exists (sections of the enrollment's
/// class, sessions of the class's school).
fn assert_consistent(graph: &GraphData) {
    let all = objects(graph);
    // Nobody is enrolled twice in a class, nor watches a student twice.
    for (collection, a, b) in [
        (Collection::Enrollments, "person_id", "class_id"),
        (Collection::Agents, "observer_id", "target_id"),
    ] {
        let pairs: Vec<(String, String)> = graph
            .json(collection)
            .iter()
            .map(|v| (v[a].to_string(), v[b].to_string()))
            .collect();
        let unique: BTreeSet<&(String, String)> = pairs.iter().collect();
        assert_eq!(unique.len(), pairs.len(), "{collection:?}: a pair twice");
    }
    let has = |c: Collection, id: Option<Uuid>| id.is_some_and(|id| all.contains_key(&(c, id)));
    let district = graph.district_id();
    assert_eq!(graph.len(Collection::Districts), 1);
    for ((c, id), v) in &all {
        let at = |key: &str| uuid(&v[key]);
        let what = format!("{c:?} {id}: {v}");
        match c {
            Collection::Schools => assert_eq!(at("district_id"), Some(district), "{what}"),
            Collection::Sessions => assert!(has(Collection::Schools, at("school_id")), "{what}"),
            Collection::Courses => {
                assert!(has(Collection::Schools, at("school_id")), "{what}");
                if !v["session_id"].is_null() {
                    assert!(has(Collection::Sessions, at("session_id")), "{what}");
                }
            }
            Collection::Classes => {
                assert!(has(Collection::Schools, at("school_id")), "{what}");
                if !v["course_id"].is_null() {
                    assert!(has(Collection::Courses, at("course_id")), "{what}");
                }
                for s in v["session_ids"].as_array().unwrap() {
                    let session = &all[&(Collection::Sessions, uuid(s).unwrap())];
                    assert_eq!(session["school_id"], v["school_id"], "{what}");
                }
            }
            Collection::Sections => assert!(has(Collection::Classes, at("class_id")), "{what}"),
            Collection::People => {
                assert_eq!(at("district_id"), Some(district), "{what}");
                for s in v["school_ids"].as_array().unwrap() {
                    assert!(has(Collection::Schools, uuid(s)), "{what}");
                }
            }
            Collection::Enrollments => {
                assert!(has(Collection::People, at("person_id")), "{what}");
                assert!(has(Collection::Classes, at("class_id")), "{what}");
                if let Some(section) = at("section_id") {
                    let section = &all[&(Collection::Sections, section)];
                    assert_eq!(section["class_id"], v["class_id"], "{what}");
                }
            }
            Collection::Agents => {
                assert!(has(Collection::People, at("observer_id")), "{what}");
                assert!(has(Collection::People, at("target_id")), "{what}");
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn many_steps_keep_the_district_consistent_and_touch_every_kind() {
    let server = server(21).await;
    let (id, _) = integration(&server, "active");
    let first = server.graph(id).unwrap();
    assert_consistent(&first);
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for _ in 0..8 {
        server.mutate(id, 100).unwrap();
        let graph = server.graph(id).unwrap();
        assert_consistent(&graph);
        for e in graph.json(Collection::Events) {
            seen.insert((
                e["target"].as_str().unwrap().to_owned(),
                e["type"].as_str().unwrap().to_owned(),
            ));
        }
    }
    // The district is only ever updated; everything else comes and goes.
    for target in [
        "school",
        "session",
        "course",
        "class",
        "section",
        "person",
        "enrollment",
        "agent",
    ] {
        for kind in ["created", "updated", "deleted"] {
            assert!(
                seen.contains(&(target.to_owned(), kind.to_owned())),
                "no {target} {kind} in 800 steps: {seen:?}"
            );
        }
    }
    assert!(seen.contains(&("district".to_owned(), "updated".to_owned())));
}

#[tokio::test]
async fn replaying_the_events_over_the_first_state_gives_the_current_state() {
    let server = server(4).await;
    let (id, _) = integration(&server, "active");
    let first = server.graph(id).unwrap();
    let newest = *first.ids(Collection::Events).last().unwrap();
    let report = server.mutate(id, 300).unwrap();
    let now = server.graph(id).unwrap();
    // The snapshot taken before is untouched.
    assert_eq!(first.ids(Collection::Events).last(), Some(&newest));

    let events: Vec<Value> = now
        .json(Collection::Events)
        .into_iter()
        .filter(|e| uuid(&e["id"]).unwrap() > newest)
        .collect();
    assert_eq!(events.len(), report.events);
    let mut replayed = objects(&first);
    let mut last: Option<(Uuid, String)> = None;
    let materializations: BTreeSet<&str> = events
        .iter()
        .map(|e| e["materialization_id"].as_str().unwrap())
        .collect();
    assert!(materializations.len() > 1 && materializations.len() <= 300);
    for e in &events {
        let (event_id, date) = (uuid(&e["id"]).unwrap(), e["date"].as_str().unwrap());
        // The id order is the chronological order.
        if let Some((id, d)) = &last {
            assert!(event_id > *id && date > d.as_str(), "{e}");
        }
        last = Some((event_id, date.to_owned()));
        assert_eq!(uuid(&e["integration_id"]), Some(id));
        let target = uuid(&e["target_id"]).unwrap();
        assert_eq!(uuid(&e["data"]["id"]), Some(target), "{e}");
        let key = (collection_of(e["target"].as_str().unwrap()), target);
        match e["type"].as_str().unwrap() {
            "created" => {
                assert!(!replayed.contains_key(&key), "created twice: {e}");
                assert_eq!(e["data"]["created_date"].as_str().unwrap_or(date), date);
                replayed.insert(key, e["data"].clone());
            }
            "updated" => {
                assert!(replayed.contains_key(&key), "update of nothing: {e}");
                assert_eq!(e["data"]["updated_date"].as_str().unwrap_or(date), date);
                replayed.insert(key, e["data"].clone());
            }
            "deleted" => {
                // The last value goes with a deletion.
                assert_eq!(replayed.remove(&key).as_ref(), Some(&e["data"]), "{e}");
            }
            other => panic!("type {other}"),
        }
    }
    assert!(
        replayed == objects(&now),
        "the replay differs from the state"
    );
    // The bytes too: the last event of each living object carries exactly its served bytes.
    let mut last_data: BTreeMap<(Collection, Uuid), String> = BTreeMap::new();
    for e in now.bytes(Collection::Events) {
        let text = String::from_utf8(e.to_vec()).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let key = (
            collection_of(v["target"].as_str().unwrap()),
            uuid(&v["target_id"]).unwrap(),
        );
        // `data` is the last member.
        let data = &text[text.find(",\"data\":").unwrap() + 8..text.len() - 1];
        last_data.insert(key, data.to_owned());
    }
    let mut compared = 0;
    for ((c, id), data) in &last_data {
        let at = now.ids(*c).binary_search(id);
        if let Ok(at) = at {
            assert_eq!(data.as_bytes(), &now.bytes(*c)[at][..], "{c:?} {id}");
            compared += 1;
        }
    }
    assert!(compared > 50, "{compared}");
}

#[tokio::test]
async fn every_route_serves_the_new_state() {
    let server = server(6).await;
    let (id, token) = integration(&server, "active");
    let c = client();
    let first = server.graph(id).unwrap();
    // A listing begun before the change ends on the new state, in order, each page whole.
    let url = graph_url(&server, "/people?$first=10");
    let page = get(&c, &url, Some(&token)).await.json();
    let mut seen = ids(page["$data"].as_array().unwrap());
    let mut next = page["$next"].as_str().map(str::to_owned);
    let report = server.mutate(id, 200).unwrap();
    assert!(report.created > 0 && report.deleted > 0);
    let now = server.graph(id).unwrap();
    while let Some(url) = next {
        let v = get(&c, &url, Some(&token)).await.json();
        for item in v["$data"].as_array().unwrap() {
            let pid: Uuid = uuid(&item["id"]).unwrap();
            assert!(pid > *seen.last().unwrap());
            assert_eq!(Some(item), now.object(Collection::People, pid).as_ref());
            seen.push(pid);
        }
        next = v["$next"].as_str().map(str::to_owned);
    }
    let later: Vec<Uuid> = now
        .ids(Collection::People)
        .into_iter()
        .filter(|p| p > &seen[9])
        .collect();
    assert_eq!(&seen[10..], later.as_slice());

    // Fresh listings, every collection: the current objects, byte for byte.
    for collection in SYNCED {
        let path = format!("/{}?$first=7", collection.name());
        let listed = walk_objects(&c, &graph_url(&server, &path), Some(&token)).await;
        assert_eq!(ids(&listed), now.ids(collection), "{collection:?}");
        assert_eq!(listed, now.json(collection), "{collection:?}");
    }
    // A deleted object is gone from fetches; a new one is there.
    let gone: Vec<Uuid> = first
        .ids(Collection::Enrollments)
        .into_iter()
        .filter(|e| now.object(Collection::Enrollments, *e).is_none())
        .collect();
    assert!(!gone.is_empty());
    let r = get(
        &c,
        &graph_url(&server, &format!("/enrollments/{}", gone[0])),
        Some(&token),
    )
    .await;
    assert_eq!((r.status, r.code()), (400, "NOT_FOUND".to_owned()));
    let born = now
        .ids(Collection::People)
        .into_iter()
        .find(|p| first.object(Collection::People, *p).is_none())
        .expect("a new person");
    let r = get(
        &c,
        &graph_url(&server, &format!("/people/{born}?$expand=schools")),
        Some(&token),
    )
    .await;
    let v = r.json();
    assert_eq!(v["$data"]["id"], born.to_string());
    for (i, school) in v["$data"]["schools"].as_array().unwrap().iter().enumerate() {
        let sid = uuid(&v["$data"]["school_ids"][i]).unwrap();
        assert_eq!(Some(school), now.object(Collection::Schools, sid).as_ref());
    }
    // Nested lists follow the objects' members.
    for school in now.ids(Collection::Schools) {
        for relation in [Relation::Students, Relation::Classes, Relation::People] {
            let path = format!("/schools/{school}/{}?$first=9", relation.segment());
            let listed = walk_objects(&c, &graph_url(&server, &path), Some(&token)).await;
            let expected = now
                .nested_ids(Collection::Schools, school, relation)
                .unwrap();
            assert_eq!(ids(&listed), expected);
            let by_json: Vec<Uuid> = match relation {
                Relation::Classes => now
                    .json(Collection::Classes)
                    .iter()
                    .filter(|k| uuid(&k["school_id"]) == Some(school))
                    .map(|k| uuid(&k["id"]).unwrap())
                    .collect(),
                _ => now
                    .json(Collection::People)
                    .iter()
                    .filter(|p| {
                        p["school_ids"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|s| uuid(s) == Some(school))
                    })
                    .filter(|p| {
                        relation == Relation::People
                            || p["roles"]
                                .as_array()
                                .is_some_and(|r| r.iter().any(|x| x == "student"))
                    })
                    .map(|p| uuid(&p["id"]).unwrap())
                    .collect(),
            };
            assert_eq!(expected, by_json, "{school}/{relation:?}");
        }
    }
    for class in now.ids(Collection::Classes) {
        let expected: Vec<Uuid> = now
            .json(Collection::Enrollments)
            .iter()
            .filter(|e| uuid(&e["class_id"]) == Some(class))
            .map(|e| uuid(&e["id"]).unwrap())
            .collect();
        let path = format!("/classes/{class}/enrollments?$first=50");
        let listed = walk_objects(&c, &graph_url(&server, &path), Some(&token)).await;
        assert_eq!(ids(&listed), expected, "{class}");
    }
    // $filter reads the new values: exactly the people changed since the first state.
    let since = first.json(Collection::Events).last().unwrap()["date"]
        .as_str()
        .unwrap()
        .to_owned();
    let filter = serde_json::json!({"updated_date": [{"operator": "gt", "value": since}]});
    let path = format!("/people?$first=5&$filter={}", enc(&filter.to_string()));
    let changed = walk_objects(&c, &graph_url(&server, &path), Some(&token)).await;
    let expected: Vec<Uuid> = now
        .ids(Collection::People)
        .into_iter()
        .filter(|p| first.object(Collection::People, *p) != now.object(Collection::People, *p))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids(&changed), expected);
}

#[tokio::test]
async fn mutate_every_changes_the_generated_districts_on_a_timer() {
    let server = MockServer::builder()
        .generated(12, 3)
        .mutate_every(Duration::from_millis(10))
        .start()
        .await
        .unwrap();
    let (id, _) = integration(&server, "active");
    let start = server.graph(id).unwrap().len(Collection::Events);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let now = server.graph(id).unwrap().len(Collection::Events);
        if now >= start + 5 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no steps: {start} → {now}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_consistent(&server.graph(id).unwrap());
    server.shutdown().await;
}
