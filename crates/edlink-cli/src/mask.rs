//! Masking `access_token` values in JSON text, without re-ordering anything.

use std::borrow::Cow;

/// What replaces the hidden part of a token.
pub const ELLIPSIS: &str = "…";

/// The member name whose string values are masked.
const TOKEN_KEY: &str = "access_token";

/// Tokens of at most this many characters are hidden whole (showing 4 of them
/// would give most of the token away).
const SHORT_TOKEN: usize = 8;

/// A token as shown: its first 4 characters then `…`; a token of 8 characters
/// or fewer becomes `…` alone, an empty one stays empty.
///
/// ```text
/// HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7  ->  HZ4M…
/// ```
pub fn mask_token(token: &str) -> String {
    let chars = token.chars().count();
    if chars == 0 {
        String::new()
    } else if chars <= SHORT_TOKEN {
        ELLIPSIS.to_owned()
    } else {
        let head: String = token.chars().take(4).collect();
        format!("{head}{ELLIPSIS}")
    }
}

/// Masks every `"access_token": "<string>"` member, at any depth, of `json`
/// (valid JSON text, as [`edlink_client::RawJson`] guarantees). Every other
/// byte is kept as it is: key order, spacing, number formatting, unknown
/// fields. Keys written with escapes (`"access\u005ftoken"`) are recognised.
pub fn mask_access_tokens(json: &str) -> Cow<'_, str> {
    // Fast path: no such key can be spelled without one of these.
    if !json.contains(TOKEN_KEY) && !json.contains('\\') {
        return Cow::Borrowed(json);
    }
    let bytes = json.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let end = string_end(bytes, i);
        let after = skip_whitespace(bytes, end);
        if bytes.get(after) == Some(&b':') && json.get(i..end).is_some_and(is_token_key) {
            let value = skip_whitespace(bytes, after + 1);
            if bytes.get(value) == Some(&b'"') {
                let value_end = string_end(bytes, value);
                if let (Some(kept), Some(raw)) =
                    (json.get(copied..value), json.get(value..value_end))
                {
                    out.push_str(kept);
                    out.push_str(&mask_json_string(raw));
                    copied = value_end;
                }
                i = value_end;
                continue;
            }
        }
        i = end;
    }
    if copied == 0 {
        return Cow::Borrowed(json);
    }
    out.push_str(json.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// The index just past the closing quote of the string starting at `start`
/// (an opening quote), or the end of the text.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut k = start + 1;
    while let Some(&b) = bytes.get(k) {
        match b {
            b'\\' => k += 2,
            b'"' => return k + 1,
            _ => k += 1,
        }
    }
    bytes.len()
}

fn skip_whitespace(bytes: &[u8], mut k: usize) -> usize {
    while bytes
        .get(k)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        k += 1;
    }
    k
}

/// Whether a quoted JSON string (quotes included) is the `access_token` key.
fn is_token_key(quoted: &str) -> bool {
    if quoted.contains('\\') {
        serde_json::from_str::<String>(quoted).is_ok_and(|key| key == TOKEN_KEY)
    } else {
        quoted.len() == TOKEN_KEY.len() + 2 && quoted.get(1..quoted.len() - 1) == Some(TOKEN_KEY)
    }
}

/// A quoted JSON string value, masked and quoted again.
fn mask_json_string(quoted: &str) -> String {
    let masked = match serde_json::from_str::<String>(quoted) {
        Ok(token) => mask_token(&token),
        Err(_) => ELLIPSIS.to_owned(),
    };
    serde_json::to_string(&masked).unwrap_or_else(|_| format!("\"{ELLIPSIS}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(mask_token("HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7"), "HZ4M…");
        assert_eq!(mask_token("12345678"), "…");
        assert_eq!(mask_token(""), "");
        assert_eq!(mask_token("ééééééééé"), "éééé…");
    }

    #[test]
    fn only_token_values_change() {
        let text = r#"{"z":1.50, "access_token" : "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7","b":"access_token","n":{"access_token":"abcdefghijk"}}"#;
        assert_eq!(
            mask_access_tokens(text),
            r#"{"z":1.50, "access_token" : "HZ4M…","b":"access_token","n":{"access_token":"abcd…"}}"#
        );
    }

    #[test]
    fn escapes_and_odd_values() {
        let escaped = r#"{"access\u005ftoken":"sec\"ret-token-value","x":"a\\"}"#;
        assert_eq!(
            mask_access_tokens(escaped),
            r#"{"access\u005ftoken":"sec\"…","x":"a\\"}"#
        );
        let null = r#"{"access_token":null,"access_token_2":"keep-this-one"}"#;
        assert_eq!(mask_access_tokens(null), null);
        let in_array = r#"[{"access_token":"0123456789"},"access_token"]"#;
        assert_eq!(
            mask_access_tokens(in_array),
            r#"[{"access_token":"0123…"},"access_token"]"#
        );
        assert!(matches!(mask_access_tokens(r#"{"a":1}"#), Cow::Borrowed(_)));
    }
}
