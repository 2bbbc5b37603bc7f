//! Graph query parameters: `$filter` (every operator against an oracle), `$expand`,
//! `$fields`, and cursors that carry them, stay on their route and expire.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{TestClient, client, get, graph_url, integration, walk_objects};
use edlink_mock::{Collection, GraphData, MockServer};
use serde_json::{Value, json};
use uuid::Uuid;

/// Percent-encodes a query value (spaces as `%20`, so `+` is never ambiguous).
fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn ids(values: &[Value]) -> Vec<Uuid> {
    values
        .iter()
        .map(|v| v["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

struct Fixture {
    server: MockServer,
    client: TestClient,
    token: String,
    graph: GraphData,
}

impl Fixture {
    async fn new() -> Self {
        let server = MockServer::builder()
            .generated(20, 1)
            .students(80)
            .start()
            .await
            .unwrap();
        let (id, token) = integration(&server, "active");
        let graph = server.graph(id).unwrap();
        Self {
            client: client(),
            server,
            token,
            graph,
        }
    }

    /// Every object a filtered walk of `collection` returns, pages of 4.
    async fn filtered(&self, collection: Collection, filter: &Value) -> Vec<Value> {
        let path = format!(
            "/{}?$first=4&$filter={}",
            collection.name(),
            enc(&filter.to_string())
        );
        walk_objects(
            &self.client,
            &graph_url(&self.server, &path),
            Some(&self.token),
        )
        .await
    }

    /// The objects of `collection` that `keep` accepts, in id order.
    fn expected(&self, collection: Collection, keep: impl Fn(&Value) -> bool) -> Vec<Uuid> {
        ids(&self
            .graph
            .json(collection)
            .into_iter()
            .filter(|v| keep(v))
            .collect::<Vec<_>>())
    }

    async fn get(&self, path: &str) -> common::Resp {
        get(
            &self.client,
            &graph_url(&self.server, path),
            Some(&self.token),
        )
        .await
    }
}

/// Whether an object should pass a filter, computed by the test.
type Oracle<'a> = Box<dyn Fn(&Value) -> bool + 'a>;

fn cond(op: &str, value: &str) -> Value {
    json!({"operator": op, "value": value})
}

fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().flat_map(texts).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Bool(b) => vec![b.to_string()],
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn every_operator_against_an_oracle() {
    let f = Fixture::new().await;
    use Collection as C;
    let people = f.graph.json(C::People);
    let name = people[3]["first_name"].as_str().unwrap().to_owned();
    let lower = name.to_lowercase();
    let prefix: String = lower.chars().take(2).collect::<String>().to_uppercase();
    let school = f.graph.ids(C::Schools)[0].to_string();
    let some_date = people[people.len() / 2]["updated_date"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases: Vec<(Collection, Value, Oracle<'_>)> = vec![
        (
            C::People,
            json!({"first_name": [cond("equals", &name)]}),
            Box::new(|v| v["first_name"] == name.as_str()),
        ),
        (
            C::People,
            json!({"first_name": [cond("equals", &lower)]}),
            Box::new(|v| v["first_name"] == lower.as_str()),
        ),
        (
            C::People,
            json!({"first_name": [cond("starts with", &prefix)]}),
            Box::new(|v| {
                v["first_name"]
                    .as_str()
                    .is_some_and(|n| n.to_lowercase().starts_with(&prefix.to_lowercase()))
            }),
        ),
        (
            C::People,
            json!({"email": [cond("contains", "STUDENTS.")]}),
            Box::new(|v| v["email"].as_str().is_some_and(|e| e.contains("students."))),
        ),
        // Arrays: any element matches.
        (
            C::People,
            json!({"roles": [cond("equals", "student")]}),
            Box::new(|v| texts(&v["roles"]).contains(&"student".to_owned())),
        ),
        (
            C::People,
            json!({"school_ids": [cond("in", &format!("{school},{}", Uuid::nil()))]}),
            Box::new(|v| texts(&v["school_ids"]).contains(&school)),
        ),
        // `not in`: no element in the set; null and missing never match.
        (
            C::People,
            json!({"roles": [cond("not in", "student,guardian,parent")]}),
            Box::new(|v| {
                v["roles"].is_array()
                    && !texts(&v["roles"])
                        .iter()
                        .any(|r| ["student", "guardian", "parent"].contains(&r.as_str()))
            }),
        ),
        (
            C::People,
            json!({"middle_name": [{"operator": "is unknown"}]}),
            Box::new(|v| v.get("middle_name").is_none_or(Value::is_null)),
        ),
        (
            C::People,
            json!({"middle_name": [{"operator": "is known"}]}),
            Box::new(|v| v.get("middle_name").is_some_and(|m| !m.is_null())),
        ),
        // Dates compare as instants (the data's dates share one format, so text order is
        // time order here); an offset form of the same instant is the same bound.
        (
            C::People,
            json!({"updated_date": [cond("gt", &some_date)]}),
            Box::new(|v| v["updated_date"].as_str().unwrap() > some_date.as_str()),
        ),
        (
            C::People,
            json!({"updated_date": [cond("lte", &some_date.replace('Z', "+00:00"))]}),
            Box::new(|v| v["updated_date"].as_str().unwrap() <= some_date.as_str()),
        ),
        // Several conditions on a field, several fields: all must hold.
        (
            C::People,
            json!({
                "roles": [cond("in", "student,teacher")],
                "updated_date": [cond("gte", "2025-06-01"), cond("lt", &some_date)],
            }),
            Box::new(|v| {
                let r = texts(&v["roles"]);
                (r.contains(&"student".to_owned()) || r.contains(&"teacher".to_owned()))
                    && v["updated_date"].as_str().unwrap() < some_date.as_str()
            }),
        ),
        // Numbers and booleans by their text.
        (
            C::People,
            json!({"graduation_year": [cond("equals", "2030")]}),
            Box::new(|v| v["graduation_year"] == 2030),
        ),
        (
            C::Enrollments,
            json!({"primary": [cond("equals", "true")], "role": [cond("in", "teacher,ta")]}),
            Box::new(|v| v["primary"] == true),
        ),
        (
            C::Classes,
            json!({"state": [cond("not in", "active")]}),
            Box::new(|v| v["state"] != "active"),
        ),
    ];
    let mut non_trivial = 0;
    for (collection, filter, keep) in cases {
        let expected = f.expected(collection, keep);
        let got = ids(&f.filtered(collection, &filter).await);
        assert_eq!(got, expected, "{filter}");
        if !expected.is_empty() && expected.len() < f.graph.len(collection) {
            non_trivial += 1;
        }
    }
    assert!(
        non_trivial >= 12,
        "{non_trivial}: most filters select a proper subset"
    );
}

#[tokio::test]
async fn filters_persist_across_pages_through_the_cursor() {
    let f = Fixture::new().await;
    let filter = json!({"roles": [cond("equals", "student")]});
    let first = format!("/people?$first=3&$filter={}", enc(&filter.to_string()));
    let v = f.get(&first).await.json();
    let next = v["$next"].as_str().unwrap().to_owned();
    assert!(!next.contains("filter"), "{next}");
    let walked = walk_objects(&f.client, &graph_url(&f.server, &first), Some(&f.token)).await;
    assert_eq!(walked.len(), 80);
    for r in f
        .server
        .requests()
        .iter()
        .filter(|r| r.param("$cursor").is_some())
    {
        assert_eq!(r.query.as_deref().map(|q| q.matches('&').count()), Some(0));
    }
    // A new $filter beside a cursor is ignored (the cursor's wins), with PAGING_IGNORED.
    let other = json!({"roles": [cond("equals", "teacher")]});
    let r = get(
        &f.client,
        &format!("{next}&$filter={}", enc(&other.to_string())),
        Some(&f.token),
    )
    .await;
    let body = r.json();
    assert_eq!(body["$warnings"][0]["code"], "PAGING_IGNORED");
    for p in body["$data"].as_array().unwrap() {
        assert!(texts(&p["roles"]).contains(&"student".to_owned()));
    }
}

#[tokio::test]
async fn bad_filters_are_400_invalid_filter() {
    let f = Fixture::new().await;
    for (filter, why) in [
        ("not json", "not JSON"),
        ("[]", "JSON object"),
        (
            r#"{"first_name":{"operator":"equals","value":"x"}}"#,
            "must be an array",
        ),
        (
            r#"{"first_name":[{"operator":"eq","value":"x"}]}"#,
            "unknown operator `eq`",
        ),
        (
            r#"{"nope":[{"operator":"equals","value":"x"}]}"#,
            "people have no field `nope`",
        ),
        (
            r#"{"roles":[{"operator":"in","value":["a","b"]}]}"#,
            "needs a string `value`",
        ),
        (
            r#"{"updated_date":[{"operator":"gt","value":"yesterday"}]}"#,
            "needs a date",
        ),
    ] {
        let r = f.get(&format!("/people?$filter={}", enc(filter))).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "INVALID_FILTER"),
            "{filter}"
        );
        let message = r.json()["$errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.starts_with("The provided value for $filter is invalid"),
            "{message}"
        );
        assert!(message.contains(why), "{filter}: {message}");
        assert!(r.json().get("$next").is_none());
    }
    // A field of another collection is unknown here.
    let r = f
        .get(&format!("/schools?$filter={}", enc(r#"{"first_name":[]}"#)))
        .await;
    assert_eq!(r.code(), "INVALID_FILTER");
}

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
