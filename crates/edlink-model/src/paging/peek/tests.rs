#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use serde_json::{Value, json};

use super::peek_next;

#[test]
fn finds_next_after_data_as_the_mock_and_the_docs_order_it() {
    let body = br#"{"$data":[{"id":"a"}],"$next":"https://ed.link/api/v2/graph/people?$cursor=c","$request":"r"}"#;
    assert_eq!(
        peek_next(body).as_deref(),
        Some("https://ed.link/api/v2/graph/people?$cursor=c")
    );
}

#[test]
fn finds_next_before_data() {
    let body = b" {\n \"$request\" : \"r\" , \"$next\" : \"?$cursor=c\" , \"$data\" : [] }\n";
    assert_eq!(peek_next(body).as_deref(), Some("?$cursor=c"));
}

#[test]
fn unescapes_the_value() {
    let body = br#"{"$data":[],"$next":"https:\/\/ed.link\/x?a=1\u0026$cursor=\"q\""}"#;
    assert_eq!(
        peek_next(body).as_deref(),
        Some(r#"https://ed.link/x?a=1&$cursor="q""#)
    );
}

#[test]
fn a_next_inside_an_item_or_between_nested_members_is_not_read() {
    for body in [
        &br#"{"$data":[{"$next":"https://evil.example/a"}]}"#[..],
        br#"{"$data":[{"name":"x\",\"$next\":\"https://evil.example/b"}]}"#,
        br#"{"$data":[],"$next":"https://ed.link/c","$warnings":[]}"#,
        br#"{"$data":[{"s":"\\"}],"z":"\\\",\"$next\":\"https://evil.example/d"}"#,
    ] {
        let found = peek_next(body);
        assert!(
            found.as_deref().is_none_or(|n| !n.contains("evil")),
            "{}: {found:?}",
            String::from_utf8_lossy(body)
        );
    }
    // Between `$data` and `$warnings`: neither edge reaches it.
    assert_eq!(
        peek_next(br#"{"$data":[],"$next":"https://ed.link/c","$warnings":[]}"#),
        None
    );
}

#[test]
fn null_or_other_kinds_are_no_next() {
    for body in [
        &br#"{"$data":[],"$next":null}"#[..],
        br#"{"$next":null,"$data":[]}"#,
        br#"{"$data":[],"$next":42}"#,
        br#"{"$data":[],"$next":{"url":"x"}}"#,
        br#"{"$data":[]}"#,
        br#"[1,2]"#,
        b"",
        b"}",
        b"{",
        b"\"",
        b"{\"$next\"",
        b"{\"$next\":\"unterminated",
        br#"{"$data":[],"$next":"\"}"#,
    ] {
        assert_eq!(peek_next(body), None, "{}", String::from_utf8_lossy(body));
    }
}

/// A string that tries to look like a `$next` member from inside a value.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,8}",
        Just(r#"","$next":"https://evil.example/x"#.to_owned()),
        Just(r#"\"#.to_owned()),
        Just(r#"\\","$next":"https://evil.example/y"#.to_owned()),
        Just("}],\"$next\":\"https://evil.example/z\"}".to_owned()),
        "[\"\\\\$next:{}\\[\\],]{0,12}",
    ]
}

fn item() -> impl Strategy<Value = Value> {
    (tricky_string(), tricky_string(), any::<bool>()).prop_map(|(a, b, nested)| {
        if nested {
            json!({"id": a, "inner": {"$next": b, "list": [a]}})
        } else {
            json!({"id": a, "$next": b})
        }
    })
}

/// An envelope with `$data`, maybe `$next` (a string or null), maybe
/// `$request`, maybe `$warnings`, in any order, pretty or compact.
fn envelope() -> impl Strategy<Value = (String, Option<String>, bool)> {
    (
        prop::collection::vec(item(), 0..4),
        prop::option::of(prop::option::of(tricky_string())),
        prop::option::of(tricky_string()),
        any::<bool>(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(
            |(items, next, request, warnings, at_next, at_warn, pretty)| {
                let mut members: Vec<(String, Value)> = vec![("$data".into(), Value::Array(items))];
                if let Some(request) = request {
                    members.push(("$request".into(), Value::String(request)));
                }
                if warnings {
                    let at = at_warn.index(members.len() + 1);
                    members.insert(at, ("$warnings".into(), json!([{"code": "X"}])));
                }
                let mut nested_around = false;
                if let Some(next) = &next {
                    let at = at_next.index(members.len() + 1);
                    let value = next.clone().map_or(Value::Null, Value::String);
                    members.insert(at, ("$next".into(), value));
                    // Reachable from an edge unless a nested member is on each side.
                    let nested = |m: &(String, Value)| m.1.is_array();
                    nested_around =
                        members[..at].iter().any(nested) && members[at + 1..].iter().any(nested);
                }
                // By hand: serde_json's map would sort the members.
                let (open, sep, colon, close) = if pretty {
                    ("{\n  ", ",\n  ", " : ", "\n}\n")
                } else {
                    ("{", ",", ":", "}")
                };
                let members: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{}{colon}{v}", Value::String(k.clone())))
                    .collect();
                let text = format!("{open}{}{close}", members.join(sep));
                let expected = next.flatten();
                let reachable = !nested_around;
                (text, expected, reachable)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The hint is never a value from inside the page, and it is the envelope's own `$next`
    /// whenever that member sits before or after every nested member.
    #[test]
    fn the_hint_is_the_envelopes_next_or_nothing((text, expected, reachable) in envelope()) {
        let found = peek_next(text.as_bytes());
        if reachable {
            prop_assert_eq!(found, expected, "{}", text);
        } else {
            prop_assert_eq!(found, None, "{}", text);
        }
    }

    /// Any bytes: no panic, and any answer is a string that the bytes contain.
    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = peek_next(&body);
    }

    /// Cut anywhere (not JSON any more), a body never makes it panic, and any hint is one
    /// of the body's own string values, never text made up from pieces.
    #[test]
    fn a_truncated_body_gives_one_of_its_strings_or_nothing((text, _, _) in envelope(), cut in any::<prop::sample::Index>()) {
        let cut = text.get(..cut.index(text.len() + 1)).unwrap_or(&text);
        if let Some(found) = peek_next(cut.as_bytes()) {
            let token = Value::String(found.clone()).to_string();
            prop_assert!(cut.contains(&token), "{:?} from {}", found, cut);
        }
    }
}
