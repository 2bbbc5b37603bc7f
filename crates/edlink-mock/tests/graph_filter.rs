//! Graph `$filter`: every operator against an oracle computed by the test, AND across
//! conditions and fields, arrays, dates as instants, persistence through the cursor, and
//! `400 INVALID_FILTER` for every kind of malformed filter.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{GraphFixture as Fixture, enc, get, graph_url, ids, walk_objects};
use edlink_mock::Collection;
use serde_json::{Value, json};
use uuid::Uuid;

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
