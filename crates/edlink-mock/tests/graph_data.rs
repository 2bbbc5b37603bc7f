//! The generated districts: one per integration, internally consistent, deterministic,
//! sized by the options, with a deliberate share of drift.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{HashMap, HashSet};

use edlink_mock::{Collection, GraphData, GraphSize, MockServer};
use serde_json::Value;
use uuid::Uuid;

fn id_of(v: &Value) -> Uuid {
    v["id"].as_str().unwrap().parse().unwrap()
}

fn ids_in(v: &Value) -> Vec<Uuid> {
    match v {
        Value::String(s) => vec![s.parse().unwrap()],
        Value::Array(a) => a.iter().flat_map(ids_in).collect(),
        _ => Vec::new(),
    }
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Every object of a district, by collection and id.
struct District {
    objects: HashMap<Collection, Vec<Value>>,
    ids: HashMap<Collection, HashSet<Uuid>>,
}

impl District {
    fn of(graph: &GraphData) -> Self {
        let mut objects = HashMap::new();
        let mut ids = HashMap::new();
        for c in Collection::GRAPH {
            let values = graph.json(c);
            assert_eq!(values.len(), graph.len(c), "{c:?}: every object is JSON");
            ids.insert(c, values.iter().map(id_of).collect());
            objects.insert(c, values);
        }
        Self { objects, ids }
    }

    fn all(&self, c: Collection) -> &[Value] {
        &self.objects[&c]
    }

    /// Every id in `field` of every object of `c` is an object of `target`.
    fn references(&self, c: Collection, field: &str, target: Collection) -> usize {
        let mut n = 0;
        for v in self.all(c) {
            for id in ids_in(&v[field]) {
                assert!(
                    self.ids[&target].contains(&id),
                    "{c:?}.{field} = {id} is no {target:?}"
                );
                n += 1;
            }
        }
        n
    }
}

async fn server(integrations: usize, seed: u64, size: GraphSize) -> MockServer {
    MockServer::builder()
        .generated(integrations, 3)
        .seed(seed)
        .graph_size(size)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_district_is_consistent() {
    let server = server(12, 7, GraphSize::default()).await;
    for integration in server.integration_ids() {
        let graph = server.graph(integration).unwrap();
        assert_eq!(graph.integration_id(), integration);
        let d = District::of(&graph);
        use Collection as C;
        assert_eq!(d.all(C::Districts).len(), 1, "exactly one district");
        assert_eq!(id_of(&d.all(C::Districts)[0]), graph.district_id());
        assert!(!d.all(C::Schools).is_empty(), "at least one school");
        for c in Collection::GRAPH {
            // Sorted by id: the `$after` order.
            let ids = graph.ids(c);
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{c:?}");
        }
        d.references(C::Schools, "district_id", C::Districts);
        d.references(C::Sessions, "school_id", C::Schools);
        d.references(C::Courses, "school_id", C::Schools);
        d.references(C::Courses, "session_id", C::Sessions);
        assert!(d.references(C::Classes, "session_ids", C::Sessions) >= d.all(C::Classes).len());
        d.references(C::Classes, "course_id", C::Courses);
        assert_eq!(
            d.references(C::Classes, "school_id", C::Schools),
            d.all(C::Classes).len()
        );
        d.references(C::Sections, "class_id", C::Classes);
        d.references(C::People, "school_ids", C::Schools);
        d.references(C::People, "district_id", C::Districts);
        assert_eq!(
            d.references(C::Enrollments, "person_id", C::People),
            d.all(C::Enrollments).len()
        );
        d.references(C::Enrollments, "class_id", C::Classes);
        d.references(C::Enrollments, "section_id", C::Sections);
        d.references(C::Agents, "observer_id", C::People);
        d.references(C::Agents, "target_id", C::People);
        // A class's sessions belong to its school.
        let session_school: HashMap<Uuid, Value> = d
            .all(C::Sessions)
            .iter()
            .map(|s| (id_of(s), s["school_id"].clone()))
            .collect();
        for class in d.all(C::Classes) {
            for s in ids_in(&class["session_ids"]) {
                assert_eq!(session_school[&s], class["school_id"]);
            }
        }
        // An enrollment's section belongs to its class.
        let section_class: HashMap<Uuid, Value> = d
            .all(C::Sections)
            .iter()
            .map(|s| (id_of(s), s["class_id"].clone()))
            .collect();
        for e in d.all(C::Enrollments) {
            if let Some(s) = e["section_id"].as_str() {
                assert_eq!(section_class[&s.parse().unwrap()], e["class_id"]);
            }
        }
        // Agents link a guardian or parent to a student.
        let people: HashMap<Uuid, &Value> =
            d.all(C::People).iter().map(|p| (id_of(p), p)).collect();
        for a in d.all(C::Agents) {
            let target = people[&a["target_id"].as_str().unwrap().parse().unwrap()];
            assert!(strings(&target["roles"]).contains(&"student"));
            let observer = people[&a["observer_id"].as_str().unwrap().parse().unwrap()];
            let roles = strings(&observer["roles"]);
            assert!(
                roles.is_empty() || roles.contains(&"guardian") || roles.contains(&"parent"),
                "{roles:?}"
            );
        }
        for l in d.all(C::Licenses) {
            assert_eq!(l["integration_id"], integration.to_string());
        }
        assert!((1..=3).contains(&d.all(C::Licenses).len()));
        // Events: chronological in id order, `data` is the object's value (a deleted
        // object is gone from its collection).
        let events = d.all(C::Events);
        assert!(!events.is_empty());
        let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] < w[1]), "{dates:?}");
        for e in events {
            assert_eq!(e["integration_id"], integration.to_string());
            assert_eq!(e["data"]["id"], e["target_id"]);
            let target: Uuid = e["target_id"].as_str().unwrap().parse().unwrap();
            let collection = match e["target"].as_str().unwrap() {
                "district" => C::Districts,
                "school" => C::Schools,
                "class" => C::Classes,
                "person" => C::People,
                other => panic!("{other}"),
            };
            match e["type"].as_str().unwrap() {
                "deleted" => assert!(graph.object(collection, target).is_none()),
                _ => assert_eq!(graph.object(collection, target).as_ref(), Some(&e["data"])),
            }
        }
    }
}

#[tokio::test]
async fn roles_enrollments_and_sizes() {
    let size = GraphSize::default()
        .students(90)
        .schools(3)
        .teachers(6)
        .classes_per_teacher(2)
        .classes_per_student(3);
    let server = server(8, 1, size).await;
    // A district with real schools (not the District Office placeholder).
    let graph = server
        .integration_ids()
        .into_iter()
        .map(|id| server.graph(id).unwrap())
        .find(|g| g.len(Collection::Schools) == 3)
        .unwrap();
    let d = District::of(&graph);
    let with_role = |role: &str| {
        d.all(Collection::People)
            .iter()
            .filter(|p| strings(&p["roles"]).contains(&role))
            .count()
    };
    assert_eq!(with_role("student"), 90);
    // Teachers: the 6, plus administrators who also teach.
    assert!(with_role("teacher") >= 6);
    assert!(with_role("administrator") >= 3);
    assert_eq!(with_role("district-administrator"), 1);
    assert!(with_role("guardian") + with_role("parent") > 0);
    assert_eq!(d.all(Collection::Classes).len(), 12);
    for p in d.all(Collection::People) {
        if strings(&p["roles"]) == ["student"] {
            assert!(p["graduation_year"].is_u64());
            assert!(
                p["demographics"]["gender"].is_string() || p["demographics"]["gender"].is_null()
            );
            assert_eq!(p["school_ids"].as_array().unwrap().len(), 1);
        }
    }
    let enrollments = d.all(Collection::Enrollments);
    let students = enrollments
        .iter()
        .filter(|e| e["role"] == "student")
        .count();
    assert_eq!(students, 90 * 3, "each student in 3 classes");
    let teachers = enrollments
        .iter()
        .filter(|e| e["role"] == "teacher")
        .count();
    assert_eq!(teachers, 12, "one teacher per class");
    assert!(enrollments.iter().any(|e| e["section_id"].is_string()));
    assert!(enrollments.iter().any(|e| e["primary"] == true));
    assert!(enrollments.iter().any(|e| e["state"] == "active"));
    // Some classes have no sections.
    let with_sections: HashSet<&Value> = d
        .all(Collection::Sections)
        .iter()
        .map(|s| &s["class_id"])
        .collect();
    assert!(with_sections.len() < d.all(Collection::Classes).len());
    // Sessions: a school year and semesters per school.
    for school in d.all(Collection::Schools) {
        let types: HashSet<&str> = d
            .all(Collection::Sessions)
            .iter()
            .filter(|s| s["school_id"] == school["id"])
            .map(|s| s["type"].as_str().unwrap())
            .collect();
        assert_eq!(types, HashSet::from(["school_year", "semester"]));
    }
}

#[tokio::test]
async fn placeholder_schools_and_drift_across_integrations() {
    let server = server(60, 2, GraphSize::default().students(30)).await;
    let mut seen: HashSet<&str> = HashSet::new();
    let mut placeholders = 0;
    for id in server.integration_ids() {
        let graph = server.graph(id).unwrap();
        let d = District::of(&graph);
        let district = &d.all(Collection::Districts)[0];
        let schools = d.all(Collection::Schools);
        let office = format!("{} (District Office)", district["name"].as_str().unwrap());
        if schools.len() == 1 && schools[0]["name"] == office.as_str() {
            placeholders += 1;
        }
        if district.get("location").is_some() {
            seen.insert("district location");
        }
        if district.get("address").is_some_and(Value::is_object) {
            seen.insert("district address");
        }
        if schools.iter().any(|s| s.get("location").is_some()) {
            seen.insert("school location");
        }
        for p in d.all(Collection::People) {
            if strings(&p["roles"]).contains(&"staff") {
                seen.insert("role staff");
            }
            if strings(&p["grade_levels"]).contains(&"AL") {
                seen.insert("grade AL");
            }
            match p.get("middle_name") {
                None => seen.insert("middle_name missing"),
                Some(Value::Null) => seen.insert("middle_name null"),
                Some(_) => seen.insert("middle_name set"),
            };
            if p.get("legacy_id").is_some() {
                seen.insert("unknown field");
            }
            if p["demographics"]["races"].is_array() {
                seen.insert("races array");
            }
        }
        for a in d.all(Collection::Agents) {
            if a["relationship"] == "mother" {
                seen.insert("relationship mother");
            }
        }
        for c in d.all(Collection::Classes) {
            if c["state"] == "archived" {
                seen.insert("class archived");
            }
        }
        for e in d.all(Collection::Enrollments) {
            match e.get("section_id") {
                None => seen.insert("section_id missing"),
                Some(Value::Null) => seen.insert("section_id null"),
                Some(_) => seen.insert("section_id set"),
            };
        }
    }
    assert!((2..=20).contains(&placeholders), "{placeholders} of 60");
    for kind in [
        "district location",
        "district address",
        "school location",
        "role staff",
        "grade AL",
        "middle_name missing",
        "middle_name null",
        "middle_name set",
        "unknown field",
        "races array",
        "relationship mother",
        "class archived",
        "section_id missing",
        "section_id null",
        "section_id set",
    ] {
        assert!(seen.contains(kind), "no {kind}");
    }
}

#[tokio::test]
async fn same_seed_same_bytes_and_the_district_follows_its_integration() {
    let a = server(5, 11, GraphSize::default()).await;
    let b = server(5, 11, GraphSize::default()).await;
    let other = server(5, 12, GraphSize::default()).await;
    let id = a.integration_ids()[2];
    let (ga, gb, go) = (
        a.graph(id).unwrap(),
        b.graph(id).unwrap(),
        other.graph(id).unwrap(),
    );
    for c in Collection::GRAPH {
        assert_eq!(ga.bytes(c), gb.bytes(c), "{c:?}");
    }
    assert_ne!(ga.bytes(Collection::People), go.bytes(Collection::People));
    // The district is the integration's team.
    let team = a
        .integrations_json()
        .into_iter()
        .find(|v| v["id"] == id.to_string())
        .unwrap()["team"]
        .clone();
    let district = &ga.json(Collection::Districts)[0];
    if team["type"] == "district" {
        assert_eq!(district["name"], team["name"]);
    }
    // Another integration has another district.
    let second = a.graph(a.integration_ids()[3]).unwrap();
    assert_ne!(second.district_id(), ga.district_id());
    assert!(a.graph(Uuid::nil()).is_none());
}
