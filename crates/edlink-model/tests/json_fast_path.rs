//! `decode_response` decodes 2xx bodies with its own fast JSON reader and
//! falls back to `serde_json` when that reader gives up. The promise: the
//! result is always what `serde_json::from_str` alone gives (for a UTF-8
//! body; any other is refused). These tests compare the two
//! on every fixture (as its model and as `serde_json::Value`), on mutations of
//! the fixtures, on generated documents (valid and not, with escapes, numbers
//! of every form, whitespace, deep nesting) and on a table of edge cases.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::collections::BTreeMap;
use std::fmt::Debug;

use common::{Kind, all_fixtures, kind_of};
use edlink_model::auth::TokenResponse;
use edlink_model::{
    Envelope, Integration, Permission, Person, Provider, RawJson, ResponseError, Source,
    decode_response,
};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `None` when `decode_response::<T>` (status 200) and
/// `serde_json::from_slice::<Envelope<T>>` agree, else what differed.
fn disagreement<T: DeserializeOwned + PartialEq + Debug>(body: &[u8]) -> Option<String> {
    let ours = decode_response::<T>(200, Some("application/json"), body);
    // A body that is not UTF-8 is refused before any decoding (by design:
    // `serde_json::from_slice` would skip unknown members unchecked).
    let Ok(text) = std::str::from_utf8(body) else {
        return ours
            .is_ok()
            .then(|| format!("decoded {ours:?} from a body that is not UTF-8"));
    };
    let theirs = serde_json::from_str::<Envelope<T>>(text);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            let same = theirs.errors.is_empty()
                && theirs.data.as_ref() == Some(&ours.data)
                && theirs.next == ours.next
                && theirs.request_id == ours.request_id
                && theirs.warnings == ours.warnings;
            (!same).then(|| format!("decoded {ours:?}, serde_json {theirs:?}"))
        }
        // `$errors` and a missing `$data` are errors of `decode_response`.
        (Err(ResponseError::Api { .. }), Ok(theirs)) if !theirs.errors.is_empty() => None,
        (Err(ResponseError::Malformed { path, .. }), Ok(theirs))
            if theirs.data.is_none() && path == "$data" =>
        {
            None
        }
        (Err(_), Err(_)) => None,
        (ours, theirs) => Some(format!("decoded {ours:?}, serde_json {theirs:?}")),
    }
}

fn check<T: DeserializeOwned + PartialEq + Debug>(what: &str, body: &[u8]) {
    if let Some(d) = disagreement::<T>(body) {
        panic!(
            "{what} ({}): {d}\nbody: {}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(body)
        );
    }
}

/// The model of a fixture (by its path), plus `Value` for every body.
fn check_fixture(rel: &str, body: &[u8]) {
    check::<Value>(rel, body);
    check::<RawJson>(rel, body);
    let Ok(input) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let list = input.get("$data").is_some_and(Value::is_array);
    macro_rules! model {
        ($t:ty) => {
            if list {
                check::<Vec<$t>>(rel, body)
            } else {
                check::<$t>(rel, body)
            }
        };
    }
    fn graph<T: DeserializeOwned + PartialEq + Debug>(rel: &str, body: &[u8], list: bool) {
        if list {
            check::<Vec<T>>(rel, body)
        } else {
            check::<T>(rel, body)
        }
    }
    match kind_of(rel, &input) {
        Kind::Integrations => model!(Integration),
        Kind::Providers => model!(Provider),
        Kind::Permissions => model!(Permission),
        Kind::Graph(g) => with_graph_model!(g, graph(rel, body, list)),
        Kind::Token => model!(TokenResponse),
        Kind::Source => model!(Source),
        Kind::Errors | Kind::Filter(_) => {}
    }
}

#[test]
fn every_fixture_decodes_as_serde_json_decodes_it() {
    for (rel, body) in all_fixtures() {
        check_fixture(&rel, &body);
    }
}

#[test]
fn edge_cases_decode_as_serde_json_decodes_them() {
    let values = [
        // Numbers: every form, the u64 edge, floats and their extremes.
        "0",
        "-0",
        "7",
        "-7",
        "01",
        "1.",
        ".5",
        "-",
        "1e",
        "1e5",
        "1E+2",
        "2.50",
        "1.10",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "1e400",
        "-1e400",
        "4.9e-324",
        "123456789012345678901234567890",
        // Literals, cut or followed by garbage.
        "null",
        "nul",
        "nulll",
        "true",
        "tru",
        "false",
        "falsey",
        "NaN",
        "Infinity",
        // Strings: escapes valid and not, surrogates paired and lone, control bytes.
        r#""""#,
        r#""a""#,
        r#""a\"b""#,
        r#""\\""#,
        r#""\/\b\f\n\r\t""#,
        r#""\u00e9""#,
        r#""\u00E9x""#,
        r#""\ud83d\ude00""#,
        r#""\ud800""#,
        r#""\udc00x""#,
        r#""\u12""#,
        r#""\uzzzz""#,
        r#""\x""#,
        "\"a\u{1}b\"",
        "\"tab\there\"",
        "\"\\",
        "\"open",
        "\"é😀\"",
        // Containers: empty, trailing commas, missing separators, whitespace.
        "[]",
        "[ ]",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[1,,2]",
        " [ 1 , 2 ] ",
        "\t\n\r[1]\r\n",
        "{}",
        "{ }",
        r#"{"a":1,}"#,
        r#"{,"a":1}"#,
        r#"{"a" 1}"#,
        r#"{"a":}"#,
        r#"{1:2}"#,
        r#"{"a":1 "b":2}"#,
        r#"{"a":1,"a":2}"#,
        r#"{"\u0061":1}"#,
        r#"{"a\"b":{"c":[]}}"#,
        "[",
        "{",
        "]",
        "}",
        "",
        " ",
        "[1]x",
        "[1] 2",
    ];
    for v in values {
        let body = format!(r#"{{"$data":{v}}}"#);
        check::<Value>(v, body.as_bytes());
        check::<RawJson>(v, body.as_bytes());
        check::<Option<RawJson>>(v, body.as_bytes());
        check::<Vec<RawJson>>(v, body.as_bytes());
        check::<u64>(v, body.as_bytes());
        check::<i64>(v, body.as_bytes());
        check::<u8>(v, body.as_bytes());
        check::<f64>(v, body.as_bytes());
        check::<String>(v, body.as_bytes());
        check::<bool>(v, body.as_bytes());
        check::<Option<()>>(v, body.as_bytes());
        check::<Vec<u8>>(v, body.as_bytes());
        check::<BTreeMap<String, Value>>(v, body.as_bytes());
        check::<BTreeMap<u8, Value>>(v, body.as_bytes());
        check::<(u8, String)>(v, body.as_bytes());
    }
    // Whole documents: the envelope's own edge cases.
    for body in [
        "",
        "{}",
        "[]",
        "null",
        r#"{"$data":1} x"#,
        r#"{"$data":1,}"#,
        r#"{"$data":1,"$data":2}"#,
        r#"{"$data":[1],"$next":null,"$request":"r","$warnings":null}"#,
        r#"{"$data":[1],"$warnings":[{"code":"PAGING_IGNORED"}],"extra":{"deep":[[[]]]}}"#,
        r#"{"$errors":[{"code":"NOT_FOUND","message":"gone"}]}"#,
        "\u{feff}{\"$data\":1}",
    ] {
        check::<Vec<u8>>(body, body.as_bytes());
        check::<Value>(body, body.as_bytes());
    }
}

#[test]
fn the_recursion_limit_is_serde_jsons() {
    for depth in [1, 126, 127, 128, 129, 300] {
        let body = format!(r#"{{"$data":{}{}}}"#, "[".repeat(depth), "]".repeat(depth));
        check::<Value>(&format!("depth {depth}"), body.as_bytes());
        check::<RawJson>(&format!("depth {depth}"), body.as_bytes());
        check::<Option<Vec<RawJson>>>(&format!("depth {depth}"), body.as_bytes());
        let body = format!(
            r#"{{"x":{}{},"$data":1}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        check::<u8>(&format!("ignored depth {depth}"), body.as_bytes());
    }
}

/// A JSON string token: literal characters and every kind of escape, now and
/// then an invalid one.
fn string_token() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => "[a-zA-Z0-9 _:/.-]{0,6}",
        2 => "[éß中😀]",
        1 => prop::sample::select(vec![
            r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\n", r"\r", r"\t", r"\u0041", r"\u00e9",
            r"\ud83d\ude00",
        ])
        .prop_map(str::to_owned),
        1 => prop::sample::select(vec![r"\ud800", r"\x", r"\u12", "\u{1}", "\t", "\""])
            .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..5).prop_map(|p| format!("\"{}\"", p.concat()))
}

fn number_token() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,21})(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,3})?",
        "[-+.eE0-9]{1,6}",
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
    ]
}

fn ws() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just(String::new()),
        2 => "[ \t\r\n]{1,3}",
        1 => "[ \u{b}\u{c}x]",
    ]
}

/// A JSON document as text, valid most of the time.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        number_token(),
        string_token(),
        prop::sample::select(vec!["nul", "tru", "01", "[1,]", "{,}", "x"]).prop_map(str::to_owned),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec((ws(), inner.clone(), ws()), 0..5).prop_map(|items| {
                let items: Vec<String> = items.into_iter().map(|(a, v, b)| a + &v + &b).collect();
                format!("[{}]", items.join(","))
            }),
            prop::collection::vec((string_token(), ws(), inner), 0..5).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, w, v)| format!("{k}{w}:{w}{v}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn generated_documents_decode_as_serde_json_decodes_them(v in json_text(), w in ws()) {
        let body = format!(r#"{{"$data":{w}{v}{w},"$request":"r"}}"#);
        prop_assert_eq!(disagreement::<Value>(body.as_bytes()), None);
        prop_assert_eq!(disagreement::<RawJson>(body.as_bytes()), None);
        prop_assert_eq!(disagreement::<Vec<Option<RawJson>>>(body.as_bytes()), None);
        prop_assert_eq!(disagreement::<BTreeMap<String, RawJson>>(body.as_bytes()), None);
        prop_assert_eq!(disagreement::<Vec<i64>>(body.as_bytes()), None);
        prop_assert_eq!(disagreement::<Vec<String>>(body.as_bytes()), None);
    }
}

/// Fixture bytes with a few bytes changed, inserted or removed.
fn mutated_fixture() -> impl Strategy<Value = (String, Vec<u8>)> {
    let fixtures = all_fixtures();
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"{}[]\",:0-9.eE+- \\nulltrue".to_vec())
    ];
    (
        prop::sample::select(fixtures),
        prop::collection::vec((any::<prop::sample::Index>(), byte, 0u8..3), 1..4),
    )
        .prop_map(|((rel, mut body), edits)| {
            for (at, b, op) in edits {
                if body.is_empty() {
                    break;
                }
                let i = at.index(body.len());
                match op {
                    0 => body[i] = b,
                    1 => body.insert(i, b),
                    _ => {
                        body.remove(i);
                    }
                }
            }
            (rel, body)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_500))]

    #[test]
    fn mutated_fixtures_decode_as_serde_json_decodes_them((rel, body) in mutated_fixture()) {
        check_fixture(&rel, &body);
        // The typed models on any fixture's bytes, whatever the path says.
        prop_assert_eq!(disagreement::<Vec<Integration>>(&body), None);
        prop_assert_eq!(disagreement::<Vec<Person>>(&body), None);
    }
}
