//! Helpers shared by the edlink-rs fuzz targets.
//!
//! - [`split_response`] turns fuzz input into a response: the first byte picks
//!   the HTTP status, the second the `Content-Type`, the rest is the body.
//!   `seed-corpus.sh` prefixes fixture bodies with `\x00\x01` (200,
//!   `application/json`) so they start out as well-formed responses.
//! - [`distinctive_access_tokens`] and [`assert_no_token_leak`] check the
//!   promise that secrets never reach an error message (reliability item 13).

use std::fmt::Debug;

use serde_json::Value;

/// Statuses the first input byte chooses from (index = byte % len).
pub const STATUSES: &[u16] = &[
    200,
    400,
    500,
    502,
    201,
    204,
    206,
    299,
    300,
    301,
    304,
    401,
    403,
    404,
    408,
    409,
    422,
    429,
    501,
    503,
    504,
    0,
    99,
    100,
    199,
    600,
    999,
    u16::MAX,
];

/// `Content-Type` values the second input byte chooses from (index = byte % len).
pub const CONTENT_TYPES: &[Option<&str>] = &[
    Some("text/html"),
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    None,
    Some("text/html; charset=utf-8"),
    Some("text/plain"),
    Some(""),
    Some("APPLICATION/JSON"),
    Some("application/problem+json"),
    Some("application/octet-stream"),
];

/// One response, as the decoders see it.
#[derive(Debug, Clone, Copy)]
pub struct FuzzResponse<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: &'a [u8],
}

/// Splits fuzz input into status, content type and body (see the crate docs).
pub fn split_response(data: &[u8]) -> FuzzResponse<'_> {
    let status = data
        .first()
        .map_or(200, |b| STATUSES[usize::from(*b) % STATUSES.len()]);
    let content_type = data
        .get(1)
        .and_then(|b| CONTENT_TYPES[usize::from(*b) % CONTENT_TYPES.len()]);
    FuzzResponse {
        status,
        content_type,
        body: data.get(2..).unwrap_or(&[]),
    }
}

/// The `access_token` values of `body` (a JSON document) that are distinctive
/// enough to search an error message for without false alarms.
///
/// A token is searched for only when
/// - it is the string value of a key spelled exactly `access_token` (at any
///   depth),
/// - it is at least 12 ASCII letters or digits (real tokens are 32), so it
///   cannot be a word of the fixed message text such as `redacted`,
/// - the rest of the document (every key, every other value, with the
///   tokens blanked) does not contain it: `$errors` messages, `$request` and
///   JSON paths are copied into messages on purpose, and
/// - the raw body does not contain it outside its own `"…"` literals (e.g.
///   inside a longer string or a number).
///
/// Then the only way it can reach an error message is through the excerpt
/// of the body, which must have redacted it. Returns nothing when `body` is
/// not JSON.
pub fn distinctive_access_tokens(body: &[u8]) -> Vec<String> {
    let Ok(mut doc) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let mut tokens = Vec::new();
    take_access_tokens(&mut doc, &mut tokens);
    if tokens.is_empty() {
        return tokens;
    }
    // `doc` now has every access_token value blanked.
    let rest = doc.to_string();
    let raw = String::from_utf8_lossy(body);
    tokens.sort();
    tokens.dedup();
    tokens.retain(|t| {
        t.len() >= 12
            && t.bytes().all(|b| b.is_ascii_alphanumeric())
            && !rest.contains(t.as_str())
            && !raw
                .replace(&format!("\"{t}\""), "\"\"")
                .contains(t.as_str())
    });
    tokens
}

fn take_access_tokens(v: &mut Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "access_token" {
                    if let Value::String(s) = v {
                        out.push(std::mem::take(s));
                        continue;
                    }
                }
                take_access_tokens(v, out);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| take_access_tokens(v, out)),
        _ => {}
    }
}

/// Panics when `err`'s `Display` or `Debug` contains one of `tokens`.
pub fn assert_no_token_leak<E: std::fmt::Display + Debug>(err: &E, tokens: &[String]) {
    if tokens.is_empty() {
        return;
    }
    let display = err.to_string();
    let debug = format!("{err:?}");
    for t in tokens {
        assert!(
            !display.contains(t.as_str()),
            "access_token {t:?} leaked into the error message: {display}"
        );
        assert!(
            !debug.contains(t.as_str()),
            "access_token {t:?} leaked into the error's Debug: {debug}"
        );
    }
}

/// Panics when `value`'s `Debug` contains one of `tokens`.
pub fn assert_debug_hides_tokens<T: Debug>(value: &T, tokens: &[String]) {
    if tokens.is_empty() {
        return;
    }
    let debug = format!("{value:?}");
    for t in tokens {
        assert!(
            !debug.contains(t.as_str()),
            "access_token {t:?} shown by Debug: {debug}"
        );
    }
}

/// Serializes `value`, decodes the JSON again and asserts the result is equal
/// (`PartialEq`) and serializes to the same bytes.
pub fn assert_round_trip<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_vec(value).expect("serializing a decoded value");
    let back: T = match serde_json::from_slice(&json) {
        Ok(back) => back,
        Err(e) => panic!(
            "the serialized form does not decode: {e}\n{}",
            String::from_utf8_lossy(&json)
        ),
    };
    assert_eq!(&back, value, "the round trip changed the value");
    let again = serde_json::to_vec(&back).expect("serializing the decoded copy");
    assert_eq!(
        String::from_utf8_lossy(&again),
        String::from_utf8_lossy(&json),
        "the second serialization differs from the first"
    );
}
