//! Malformed documents are `ResponseError::Malformed` naming the JSON path,
//! never a panic.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use edlink_model::{Integration, ResponseError, decode_response};
use serde_json::{Value, json};

fn seed_page(n: usize) -> Value {
    let seed: Value =
        serde_json::from_str(include_str!("../../../fixtures/integrations/list.json")).unwrap();
    let one = seed["$data"][0].clone();
    json!({ "$data": vec![one; n] })
}

/// Puts `value` at `pointer` in a 5-item page and returns the decode error.
fn break_at(pointer: &str, value: Value) -> ResponseError {
    let mut doc = seed_page(5);
    *doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = value;
    let body = serde_json::to_vec(&doc).unwrap();
    decode_response::<Vec<Integration>>(200, Some("application/json"), &body).unwrap_err()
}

fn malformed(err: &ResponseError) -> (&str, &str) {
    match err {
        ResponseError::Malformed { path, message, .. } => (path, message),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn each_kind_of_breakage_names_its_path() {
    let cases = [
        (
            "/$data/3/source/created_date",
            json!("2020-13-01T00:00:00Z"),
            "$data[3].source.created_date",
            "2020-13-01",
        ),
        (
            "/$data/3/source/created_date",
            json!(12),
            "$data[3].source.created_date",
            "RFC 3339",
        ),
        ("/$data/1/id", json!("not-a-uuid"), "$data[1].id", ""),
        (
            "/$data/0/permissions/0",
            json!("39a69700-0fe8-43a7"),
            "$data[0].permissions[0]",
            "",
        ),
        (
            "/$data/2/team",
            json!("Edlink University"),
            "$data[2].team",
            "team object",
        ),
        (
            "/$data/4/source",
            json!([1, 2]),
            "$data[4].source",
            "integration source object",
        ),
        (
            "/$data/4/provider/allows_data_sync",
            json!("yes"),
            "$data[4].provider.allows_data_sync",
            "bool",
        ),
        (
            "/$data/0/source/import_interval",
            json!(3.5),
            "$data[0].source.import_interval",
            "u64",
        ),
        (
            "/$data/0/source/log_retention_time",
            json!(-1),
            "$data[0].source.log_retention_time",
            "",
        ),
        (
            "/$data/0/status",
            json!(1),
            "$data[0].status",
            "IntegrationStatus",
        ),
        (
            "/$data/0/access_token",
            json!({"a": 1}),
            "$data[0].access_token",
            "",
        ),
        (
            "/$data/3",
            json!("an integration"),
            "$data[3]",
            "integration object",
        ),
        ("/$data/3/id", Value::Null, "$data[3].id", ""),
        ("/$data", json!({"not": "a list"}), "$data", ""),
    ];
    for (pointer, value, path, hint) in cases {
        let err = break_at(pointer, value.clone());
        let (got, message) = malformed(&err);
        assert_eq!(got, path, "{pointer} = {value}: {err}");
        assert!(message.contains(hint), "{pointer} = {value}: {message}");
        assert!(err.to_string().contains(path), "{err}");
    }
}

#[test]
fn a_missing_id_is_reported() {
    let mut doc = seed_page(2);
    doc["$data"][1].as_object_mut().unwrap().remove("id");
    let err = decode_response::<Vec<Integration>>(200, None, &serde_json::to_vec(&doc).unwrap())
        .unwrap_err();
    let (path, message) = malformed(&err);
    assert!(path.starts_with("$data[1]"), "{path}");
    assert!(message.contains("missing field `id`"), "{message}");
}

#[test]
fn truncated_and_non_json_bodies_are_errors() {
    let body = serde_json::to_vec(&seed_page(3)).unwrap();
    for cut in [1, 10, body.len() / 2, body.len() - 1] {
        let err = decode_response::<Vec<Integration>>(200, Some("application/json"), &body[..cut])
            .unwrap_err();
        assert!(
            matches!(err, ResponseError::Malformed { .. }),
            "cut at {cut}: {err:?}"
        );
    }
    let err = decode_response::<Vec<Integration>>(200, Some("text/html"), b"<html>502</html>")
        .unwrap_err();
    assert!(matches!(err, ResponseError::NotJson { .. }), "{err:?}");
    let err = decode_response::<Vec<Integration>>(200, None, b"").unwrap_err();
    assert!(matches!(err, ResponseError::NotJson { .. }), "{err:?}");
    let err =
        decode_response::<Vec<Integration>>(200, None, br#"{"$data":[]} trailing"#).unwrap_err();
    assert!(matches!(err, ResponseError::Malformed { .. }), "{err:?}");
}

#[test]
fn duplicate_keys_last_one_wins() {
    let body = br#"{"$data":{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","status":"active","status":null,"x":1,"x":2,"scope":null,"scope":"all"}}"#;
    let i = decode_response::<Integration>(200, None, body)
        .unwrap()
        .data;
    assert!(i.status.is_none() && i.is_null("status"));
    assert_eq!(i.scope.as_ref().map(|s| s.as_str()), Some("all"));
    assert!(!i.is_null("scope"));
    assert_eq!(i.extra.value("x"), Some(serde_json::json!(2)));
    assert_eq!(i.extra.len(), 1);
}

#[test]
fn escaped_keys_still_match_known_fields() {
    let body = br#"{"$data":{"\u0069d":"77a69705-41a7-49cb-0fe8-ffd425f9716f","st\u0061tus":"paused","caf\u00e9":1}}"#;
    let i = decode_response::<Integration>(200, None, body)
        .unwrap()
        .data;
    assert_eq!(i.status.as_ref().map(|s| s.as_str()), Some("paused"));
    assert_eq!(i.extra.value("café"), Some(serde_json::json!(1)));
}

#[test]
fn a_body_that_is_not_utf8_is_an_error_never_silently_accepted() {
    // Found by the `decode_error_body` fuzz target: serde_json skips unknown
    // members without checking their UTF-8, so the body is checked up front.
    let json_like = b"{\"$data\":1,\"x\":\"\x96\"}";
    let err = decode_response::<u32>(200, Some("application/json"), json_like).unwrap_err();
    match &err {
        ResponseError::Malformed { path, message, .. } => {
            assert_eq!(path, "$");
            assert!(message.contains("invalid UTF-8 at byte 16"), "{message}");
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
    let latin1_page = b"<html>Caf\xe9 closed</html>";
    let err = decode_response::<u32>(502, Some("text/html; charset=iso-8859-1"), latin1_page)
        .unwrap_err();
    assert!(
        matches!(err, ResponseError::NotJson { status: 502, .. }),
        "{err:?}"
    );
}
