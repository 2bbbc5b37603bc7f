//! The Graph nested lists (`/schools/:id/teachers`, `/people/:id/agents`, …): each holds
//! exactly what the objects' own members say, for every parent of a district.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::{client, get, graph_url};
use edlink_mock::{Collection, GraphSize, MockServer, Relation};
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

/// What a nested list must hold, computed from the objects themselves.
fn oracle(
    graph: &edlink_mock::GraphData,
    parent: Collection,
    p: &Value,
    relation: Relation,
) -> Vec<Uuid> {
    let all = |c: Collection| graph.json(c);
    let id = p["id"].clone();
    let has = |v: &Value, field: &str| -> bool {
        match &v[field] {
            Value::Array(a) => a.contains(&id),
            other => *other == id,
        }
    };
    let roles = |v: &Value| -> Vec<String> {
        v["roles"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let role_ok = |v: &Value, relation: Relation| -> bool {
        let r = roles(v);
        let has_role = |x: &str| r.iter().any(|y| y == x);
        match relation {
            Relation::Students => has_role("student"),
            Relation::Teachers => has_role("teacher"),
            Relation::Administrators => {
                has_role("administrator") || has_role("district-administrator")
            }
            _ => true,
        }
    };
    let mut out: BTreeSet<Uuid> = BTreeSet::new();
    use Collection as C;
    match (parent, relation) {
        (C::Districts, _)
        | (
            C::Schools,
            Relation::People | Relation::Students | Relation::Teachers | Relation::Administrators,
        ) => {
            for person in all(C::People) {
                let inside = parent == C::Districts && has(&person, "district_id")
                    || parent == C::Schools && has(&person, "school_ids");
                if inside && role_ok(&person, relation) {
                    out.insert(uuid_of(&person["id"]));
                }
            }
        }
        (C::Schools | C::Courses | C::Classes, _)
            if relation.lists() != C::People && relation != Relation::Enrollments =>
        {
            let field = match parent {
                C::Schools => "school_id",
                C::Courses => "course_id",
                _ => "class_id",
            };
            for v in all(relation.lists()) {
                if has(&v, field) {
                    out.insert(uuid_of(&v["id"]));
                }
            }
        }
        (C::Classes | C::Sections, _) => {
            let field = if parent == C::Classes {
                "class_id"
            } else {
                "section_id"
            };
            for e in all(C::Enrollments).iter().filter(|e| has(e, field)) {
                let person = uuid_of(&e["person_id"]);
                match relation {
                    Relation::Enrollments => out.insert(uuid_of(&e["id"])),
                    Relation::People => out.insert(person),
                    Relation::Teachers if e["role"] == "teacher" => out.insert(person),
                    Relation::Students if e["role"] == "student" => out.insert(person),
                    _ => false,
                };
            }
        }
        (C::People, Relation::Districts) => {
            out.insert(uuid_of(&p["district_id"]));
        }
        (C::People, Relation::Schools) => {
            out.extend(p["school_ids"].as_array().unwrap().iter().map(uuid_of));
        }
        (C::People, Relation::Agents) => {
            for a in all(C::Agents) {
                if a["observer_id"] == id || a["target_id"] == id {
                    out.insert(uuid_of(&a["id"]));
                }
            }
        }
        (C::People, _) => {
            for e in all(C::Enrollments).iter().filter(|e| e["person_id"] == id) {
                match relation {
                    Relation::Enrollments => out.insert(uuid_of(&e["id"])),
                    Relation::Classes => out.insert(uuid_of(&e["class_id"])),
                    Relation::Sections if e["section_id"].is_string() => {
                        out.insert(uuid_of(&e["section_id"]))
                    }
                    _ => false,
                };
            }
        }
        other => panic!("no oracle for {other:?}"),
    }
    out.into_iter().collect()
}

#[tokio::test]
async fn nested_lists_hold_what_the_objects_say() {
    let server = MockServer::builder()
        .generated(20, 1)
        .graph_size(GraphSize::default().students(24).schools(2))
        .start()
        .await
        .unwrap();
    let c = client();
    let (id, token) = server
        .integrations_with_status("active")
        .into_iter()
        .map(|id| (id, server.access_token(id).unwrap()))
        .find(|(id, _)| server.graph(*id).unwrap().len(Collection::Schools) == 2)
        .unwrap();
    let graph = server.graph(id).unwrap();
    let mut checked = 0;
    let mut non_empty = BTreeSet::new();
    for parent in Collection::GRAPH {
        for &relation in Relation::of_parent(parent) {
            for p in graph.json(parent) {
                let pid = uuid_of(&p["id"]);
                let expected = oracle(&graph, parent, &p, relation);
                let path = format!(
                    "/{}/{pid}/{}?$first=10000",
                    parent.name(),
                    relation.segment()
                );
                let got = ids(&data(
                    &get(&c, &graph_url(&server, &path), Some(&token)).await,
                ));
                assert_eq!(got, expected, "{path}");
                assert_eq!(
                    graph.nested_ids(parent, pid, relation),
                    Some(expected.clone())
                );
                if !expected.is_empty() {
                    non_empty.insert((parent, relation));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
    // Every nested list of the route table held something somewhere.
    assert_eq!(non_empty.len(), 24, "{non_empty:?}");
    let r = get(
        &c,
        &graph_url(&server, &format!("/schools/{}/people", Uuid::nil())),
        Some(&token),
    )
    .await;
    assert_eq!((r.status, r.code().as_str()), (400, "NOT_FOUND"));
    assert_eq!(
        graph.nested_ids(
            Collection::Courses,
            graph.ids(Collection::Courses)[0],
            Relation::People
        ),
        None
    );
}
