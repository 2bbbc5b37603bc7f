//! The dump of a district: the JSONL form of `edlink sync export`, so that a mirror can be
//! compared with the mock byte for byte.
//!
//! The mock does not depend on the SDK, so the few rules of that form are written again here
//! (see `edlink_sync::export_line` and `edlink_model::redact`): lines sorted by type (the
//! table name) and id, `data` without whitespace between tokens, and the values of members
//! whose name says "secret" masked to their first 4 characters and `…`. The redaction routine
//! also masks secrets written in prose inside strings (`token=…`, `Bearer …`); the mock's
//! strings hold none, so member names are all this reads. The `mock_dump` test of
//! `edlink-sync` checks the two forms agree on mutated districts.

use crate::collection::Collection;
use crate::graph::data::GraphData;
use crate::text::push_uuid;

/// The collections a sync mirrors, in the order of their table names.
const TYPES: [Collection; 9] = [
    Collection::Agents,
    Collection::Classes,
    Collection::Courses,
    Collection::Districts,
    Collection::Enrollments,
    Collection::People,
    Collection::Schools,
    Collection::Sections,
    Collection::Sessions,
];

/// Every object of `data` as one export line.
pub(crate) fn dump(data: &GraphData, masked: bool) -> String {
    let integration = data.integration_id().as_u128();
    let mut out = String::new();
    for collection in TYPES {
        let items = data.items(collection);
        for (id, bytes) in items.keys().iter().zip(items.items()) {
            out.push_str("{\"integration_id\":\"");
            push_uuid(&mut out, integration);
            out.push_str("\",\"type\":\"");
            out.push_str(collection.name());
            out.push_str("\",\"id\":\"");
            push_uuid(&mut out, *id);
            out.push_str("\",\"data\":");
            compact(&String::from_utf8_lossy(bytes), masked, &mut out);
            out.push_str("}\n");
        }
    }
    out
}

/// Words that make a member name secret, in any case, anywhere in it (`edlink_model::redact`).
const SECRET_WORDS: [&str; 9] = [
    "token",
    "secret",
    "password",
    "passwd",
    "authorization",
    "api_key",
    "apikey",
    "api-key",
    "private_key",
];

/// Names with a secret word that hold no secret.
const NOT_SECRET: [&str; 2] = ["token_type", "tokens_used"];

fn is_secret_name(name: &str) -> bool {
    let has = |word: &str| {
        name.as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    SECRET_WORDS.iter().any(|w| has(w)) && !NOT_SECRET.iter().any(|n| name.eq_ignore_ascii_case(n))
}

/// A secret value as the CLI shows it: its first 4 characters and `…`, or `…` alone when it
/// has 8 characters or fewer or an escape among the first 4. `raw` is the text between the
/// quotes, escapes not decoded.
fn prefix_mask(raw: &str, out: &mut String) {
    if raw.chars().count() <= 8 || raw.chars().take(4).any(|c| c == '\\') {
        out.push('…');
    } else {
        out.extend(raw.chars().take(4));
        out.push('…');
    }
}

/// Appends `json` without the whitespace between tokens, masking the string and number
/// values of secret-named members when `masked` (a number becomes a masked string).
fn compact(json: &str, masked: bool, out: &mut String) {
    let bytes = json.as_bytes();
    // Whether the next value belongs to a secret-named member.
    let mut secret = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'"' => {
                let end = string_end(bytes, i);
                let text = json.get(i + 1..end.saturating_sub(1)).unwrap_or("");
                let mut k = end;
                while matches!(bytes.get(k), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                    k += 1;
                }
                let is_key = bytes.get(k) == Some(&b':');
                if !is_key && secret {
                    out.push('"');
                    prefix_mask(text, out);
                    out.push('"');
                } else {
                    out.push_str(json.get(i..end).unwrap_or(""));
                }
                secret = is_key && masked && is_secret_name(text);
                i = end;
            }
            b'-' | b'0'..=b'9' if secret => {
                let end = bytes[i..]
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .map_or(bytes.len(), |p| i + p);
                out.push('"');
                prefix_mask(json.get(i..end).unwrap_or(""), out);
                out.push('"');
                secret = false;
                i = end;
            }
            // `:` keeps the pending secret for the value after it; anything else ends it
            // (an object or array value is not masked whole: its members are read in turn).
            b':' => {
                out.push(':');
                i += 1;
            }
            _ => {
                let start = i;
                i += 1;
                // Copy the run of bytes up to the next token that needs a look (UTF-8 safe:
                // every boundary here is an ASCII byte).
                while let Some(&c) = bytes.get(i) {
                    if matches!(c, b'"' | b':' | b' ' | b'\t' | b'\n' | b'\r' | b',' | b'{')
                        || matches!(c, b'[' | b'}' | b']')
                    {
                        break;
                    }
                    i += 1;
                }
                out.push_str(json.get(start..i).unwrap_or(""));
                secret = false;
            }
        }
    }
}

/// `bytes[start]` is `"`: the index just past the closing quote (or the end).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(json: &str, masked: bool) -> String {
        let mut out = String::new();
        compact(json, masked, &mut out);
        out
    }

    #[test]
    fn whitespace_between_tokens_goes() {
        assert_eq!(
            run(
                "{ \"a b\" : [1, 2.50 ,\n\t\"x\\\" y\"], \"n\": null }",
                true
            ),
            "{\"a b\":[1,2.50,\"x\\\" y\"],\"n\":null}"
        );
    }

    #[test]
    fn secret_members_are_masked_at_any_depth() {
        let text = r#"{"id":"x","properties":{"portal_access_token":"HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7"},"pin_secret": 123456,"API_KEY":"abcdefgh","password":null,"client_secret":{"a":"abcdefghijkl"},"tokens":["abcdefghijkl"],"token_type":"Bearer","code":"MATH-05","name":"token"}"#;
        assert_eq!(
            run(text, true),
            r#"{"id":"x","properties":{"portal_access_token":"HZ4M…"},"pin_secret":"…","API_KEY":"…","password":null,"client_secret":{"a":"abcdefghijkl"},"tokens":["abcdefghijkl"],"token_type":"Bearer","code":"MATH-05","name":"token"}"#
        );
        // Unmasked: only the whitespace goes.
        assert_eq!(run(text, false), text.replace(": 1", ":1"));
        // An escape among the first 4 characters shows no prefix.
        assert_eq!(
            run(r#"{"secret":"\u00e9abcdefghij"}"#, true),
            r#"{"secret":"…"}"#
        );
        assert_eq!(
            run(r#"{"secret":"ab\"cdefghij"}"#, true),
            r#"{"secret":"…"}"#
        );
        assert_eq!(
            run(r#"{"secret":"abcd\"efghij"}"#, true),
            r#"{"secret":"abcd…"}"#
        );
    }

    #[test]
    fn secret_names() {
        for name in ["access_token", "LTI_SHARED_SECRET", "x-api-key", "Password"] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["token_type", "TOKENS_USED", "code", "display_name"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
