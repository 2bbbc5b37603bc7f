//! Every `*.json` under `fixtures/` (found at run time, so files added later
//! are covered too) decodes, and writes back as the JSON that came in.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::exact::exact_difference;
use common::{Kind, all_fixtures, first_difference, kind_of, minify};
use edlink_model::auth::TokenResponse;
use edlink_model::filter::Filterable;
use edlink_model::{
    Envelope, Filter, Integration, Permission, Provider, ResponseError, Source, decode_response,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `body` as an envelope of `T` (one object) or `Vec<T>` (a list),
/// writes it back and compares, and checks `decode_response` accepts it.
fn round_trip<T: DeserializeOwned + Serialize>(
    rel: &str,
    body: &[u8],
    input: &Value,
) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("fixtures/{rel}: {e}");
    let is_list = input.get("$data").is_some_and(Value::is_array);
    let text = if is_list {
        decode_response::<Vec<T>>(200, Some("application/json"), body).map_err(|e| fail(&e))?;
        let env: Envelope<Vec<T>> = serde_json::from_slice(body).map_err(|e| fail(&e))?;
        serde_json::to_string(&env)
    } else {
        decode_response::<T>(200, Some("application/json"), body).map_err(|e| fail(&e))?;
        let env: Envelope<T> = serde_json::from_slice(body).map_err(|e| fail(&e))?;
        serde_json::to_string(&env)
    }
    .map_err(|e| fail(&e))?;
    let input_text = std::str::from_utf8(body).map_err(|e| fail(&e))?;
    match exact_difference(input_text, &text) {
        None => Ok(()),
        Some(d) => Err(format!(
            "fixtures/{rel}: the round trip broke a promise at {d}"
        )),
    }
}

/// A v2 fixture: an envelope, or a bare object (the docs' `$expand` guide
/// shows one without its envelope).
fn graph_round_trip<T: DeserializeOwned + Serialize>(
    rel: &str,
    body: &[u8],
    input: &Value,
) -> Result<(), String> {
    if input.get("$data").is_some() {
        return round_trip::<T>(rel, body, input);
    }
    let fail = |e: &dyn std::fmt::Display| format!("fixtures/{rel}: {e}");
    let value: T = serde_json::from_slice(body).map_err(|e| fail(&e))?;
    let output = serde_json::to_value(&value).map_err(|e| fail(&e))?;
    match first_difference(input, &output) {
        None => Ok(()),
        Some(d) => Err(format!(
            "fixtures/{rel}: the round trip changed the document at {d}"
        )),
    }
}

/// A `$filter` fixture: `Filter::from_json` accepts it and writes it back
/// minified, with fields and conditions in the same order.
fn filter_round_trip<T: Filterable>(rel: &str, body: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("fixtures/{rel}: {e}"))?;
    let filter = Filter::<T>::from_json(text).map_err(|e| format!("fixtures/{rel}: {e}"))?;
    let expected = minify(text);
    if filter.to_json() != expected {
        return Err(format!(
            "fixtures/{rel}: written back as {}, expected {expected}",
            filter.to_json()
        ));
    }
    Ok(())
}

fn check_error(rel: &str, body: &[u8], input: &Value) -> Result<(), String> {
    let codes: Vec<&str> = input["$errors"]
        .as_array()
        .ok_or_else(|| format!("fixtures/{rel}: an error fixture must have a $errors list"))?
        .iter()
        .map(|e| e["code"].as_str().unwrap_or_default())
        .collect();
    // `$errors` is an error whatever the status.
    for status in [400, 200] {
        match decode_response::<Value>(status, Some("application/json"), body) {
            Err(ResponseError::Api {
                errors,
                warnings,
                request_id,
                ..
            }) => {
                let got: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
                if got != codes {
                    return Err(format!("fixtures/{rel}: codes {got:?}, expected {codes:?}"));
                }
                let n = input
                    .get("$warnings")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                if warnings.len() != n {
                    return Err(format!(
                        "fixtures/{rel}: {} warnings, expected {n}",
                        warnings.len()
                    ));
                }
                if request_id.as_deref() != input.get("$request").and_then(Value::as_str) {
                    return Err(format!("fixtures/{rel}: request id {request_id:?} lost"));
                }
            }
            other => {
                return Err(format!(
                    "fixtures/{rel} (HTTP {status}): expected ResponseError::Api, got {other:?}"
                ));
            }
        }
    }
    let env: Envelope<Value> =
        serde_json::from_slice(body).map_err(|e| format!("fixtures/{rel}: {e}"))?;
    let output = serde_json::to_value(&env).map_err(|e| format!("fixtures/{rel}: {e}"))?;
    match first_difference(input, &output) {
        None => Ok(()),
        Some(d) => Err(format!(
            "fixtures/{rel}: the round trip changed the document at {d}"
        )),
    }
}

#[test]
fn every_fixture_round_trips() {
    let mut failures = Vec::new();
    let fixtures = all_fixtures();
    for (rel, body) in &fixtures {
        let input: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("fixtures/{rel}: not valid JSON: {e}"));
                continue;
            }
        };
        let result = match kind_of(rel, &input) {
            Kind::Errors => check_error(rel, body, &input),
            Kind::Integrations => round_trip::<Integration>(rel, body, &input),
            Kind::Providers => round_trip::<Provider>(rel, body, &input),
            Kind::Permissions => round_trip::<Permission>(rel, body, &input),
            Kind::Graph(graph) => with_graph_model!(graph, graph_round_trip(rel, body, &input)),
            Kind::Filter(graph) => with_graph_model!(graph, filter_round_trip(rel, body)),
            Kind::Token => round_trip::<TokenResponse>(rel, body, &input),
            Kind::Source => round_trip::<Source>(rel, body, &input),
        };
        if let Err(e) = result {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_strict_comparison_catches_what_the_readme_promises() {
    let input = r#"{"$data":{"id":"77A69705-41A7-49CB-0FE8-FFD425F9716F","zeta":1.10,"alpha":{"b":2,"a":1},"created_date":"2020-06-30T00:00:00+00:00","name":"\u00e9"}}"#;
    let ok = r#"{"$data":{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","created_date":"2020-06-30T00:00:00.000Z","name":"é","zeta":1.10,"alpha":{"b":2,"a":1}}}"#;
    assert_eq!(exact_difference(input, ok), None);
    for (broken, at) in [
        // A digit changed in an unknown member.
        (ok.replace("1.10", "1.1"), "$data.zeta"),
        // Unknown members re-ordered (at the top and inside one).
        (
            ok.replace(
                r#""zeta":1.10,"alpha":{"b":2,"a":1}"#,
                r#""alpha":{"b":2,"a":1},"zeta":1.10"#,
            ),
            "$data:",
        ),
        (
            ok.replace(r#"{"b":2,"a":1}"#, r#"{"a":1,"b":2}"#),
            "$data.alpha",
        ),
        // A date moved by a second, a member lost, null for missing.
        (ok.replace("00:00.000Z", "00:01.000Z"), "$data.created_date"),
        (ok.replace(r#""name":"é","#, ""), "$data.name"),
        (ok.replace(r#""name":"é""#, r#""name":null"#), "$data.name"),
    ] {
        let d = exact_difference(input, &broken).unwrap_or_default();
        assert!(d.starts_with(at), "{broken}: {d}");
    }
}

#[test]
fn the_comparison_tells_null_from_missing_and_names_the_path() {
    let input = serde_json::json!({"$data": [{"a": null}, {"b": {"c": [1, 2]}}]});
    let missing = serde_json::json!({"$data": [{}, {"b": {"c": [1, 2]}}]});
    let changed = serde_json::json!({"$data": [{"a": null}, {"b": {"c": [1, 3]}}]});
    assert!(first_difference(&input, &input).is_none());
    assert!(
        first_difference(&input, &missing)
            .unwrap()
            .starts_with("$data[0].a: missing")
    );
    assert!(
        first_difference(&input, &changed)
            .unwrap()
            .starts_with("$data[1].b.c[1]:")
    );
    let offset = serde_json::json!({"d": "2020-06-30T00:00:00+00:00"});
    let utc = serde_json::json!({"d": "2020-06-30T00:00:00.000Z"});
    let other = serde_json::json!({"d": "2020-06-30T00:00:01.000Z"});
    assert!(first_difference(&offset, &utc).is_none());
    assert!(first_difference(&offset, &other).is_some());
}
