//! The one redaction routine of the SDK: every text that may carry a secret
//! (an error body, a server's message, a value kept as JSON, a line the CLI
//! prints) passes here before anyone sees it.
//!
//! It does not parse: error bodies are often not JSON (an HTML page, a
//! proxy's text, a JSON document cut short), and secrets hide in every
//! notation. It scans for a *name* that says "secret" followed by a value,
//! whatever the notation:
//!
//! - JSON members, `"access_token": "…"`, at any depth, with escaped key
//!   names (`"access_\u0074oken"`);
//! - JSON inside JSON strings, `\"access_token\":\"…\"` (any level of escaping);
//! - `key=value` (query strings, form bodies, log lines) and `key: value`
//!   (headers, YAML-ish text);
//! - credentials after an HTTP auth scheme anywhere: `Bearer …`, `Basic …`;
//! - and any secret the caller knows by value ([`Redactor::known_secret`]).
//!
//! A value that is cut short (an unterminated string) is masked to the end.
//! Masking keeps quotes and structure, so JSON stays JSON.

use std::borrow::Cow;

/// What a masked value becomes (with [`Mask::Full`]).
pub const REDACTED: &str = "[redacted]";

/// How a masked value is shown.
///
/// ```
/// use edlink_model::redact::{Mask, Redactor};
///
/// let text = r#"{"access_token":"HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7"}"#;
/// assert_eq!(Redactor::new().redact(text), r#"{"access_token":"[redacted]"}"#);
/// assert_eq!(Redactor::new().mask(Mask::Prefix).redact(text), r#"{"access_token":"HZ4M…"}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Mask {
    /// The whole value becomes `[redacted]` (errors, logs, `Debug`).
    #[default]
    Full,
    /// The first 4 characters then `…`, so a person can tell two tokens apart
    /// (CLI output); a value of 8 characters or fewer becomes `…` alone.
    Prefix,
}

/// Words that make a name secret, matched case-insensitively anywhere in it
/// (`access_token`, `LTI_SHARED_SECRET`, `x-api-key`, `proxy-authorization`).
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

/// Names that contain a secret word but hold no secret.
const NOT_SECRET: [&str; 2] = ["token_type", "tokens_used"];

/// HTTP authentication schemes whose credential follows them.
const AUTH_SCHEMES: [&str; 2] = ["bearer", "basic"];

/// Whether a member or parameter called `name` holds a secret: it contains
/// `token`, `secret`, `password`, `authorization`, `api_key`… (any case).
///
/// ```
/// use edlink_model::redact::is_secret_name;
///
/// assert!(is_secret_name("access_token"));
/// assert!(is_secret_name("LTI_SHARED_SECRET"));
/// assert!(!is_secret_name("token_type"));
/// assert!(!is_secret_name("name"));
/// ```
pub fn is_secret_name(name: &str) -> bool {
    SECRET_WORDS.iter().any(|w| contains_ignore_case(name, w))
        && !NOT_SECRET.iter().any(|n| name.eq_ignore_ascii_case(n))
        && !is_error_code(name)
}

/// Whether `name` is one of Edlink's error codes: `INVALID_TOKEN: The bearer
/// token …` is a code and its message, not a credential.
fn is_error_code(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        && !crate::ErrorCode::from(name).is_unknown()
}

/// Whether `haystack` contains the lowercase ASCII `needle`, in any case,
/// without allocating (this runs on every name of every scanned text).
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Masks every secret in `text` with `[redacted]` (see the module docs).
///
/// ```
/// use edlink_model::redact::redact;
///
/// assert_eq!(redact("Internal error; access_token=abc123def"), "Internal error; access_token=[redacted]");
/// assert_eq!(redact("Authorization: Bearer abc.def"), "Authorization: Bearer [redacted]");
/// assert_eq!(
///     redact(r#"{"message":"{\"access_token\":\"abc\"}"}"#),
///     r#"{"message":"{\"access_token\":\"[redacted]\"}"}"#
/// );
/// assert_eq!(redact("nothing to hide"), "nothing to hide");
/// ```
pub fn redact(text: &str) -> Cow<'_, str> {
    Redactor::new().redact(text)
}

/// The redaction routine with options: the mask style, and secrets known by
/// value (an application key, an access token) that are masked wherever they
/// appear, whatever surrounds them.
///
/// ```
/// use edlink_model::redact::Redactor;
///
/// let r = Redactor::new().known_secret("sk_live_123");
/// assert_eq!(r.redact("bad key sk_live_123 given"), "bad key [redacted] given");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Redactor<'s> {
    known: Vec<&'s str>,
    mask: Mask,
}

impl<'s> Redactor<'s> {
    /// Full masking, no known secrets.
    pub fn new() -> Self {
        Self::default()
    }

    /// How values are masked (default [`Mask::Full`]).
    pub fn mask(mut self, mask: Mask) -> Self {
        self.mask = mask;
        self
    }

    /// Masks this value wherever it appears (as is, or JSON-escaped). Empty
    /// values are ignored.
    pub fn known_secret(mut self, secret: &'s str) -> Self {
        if !secret.is_empty() {
            self.known.push(secret);
        }
        self
    }

    /// `text` with every secret masked; borrowed when nothing was.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let scanned = Scanner::new(text, self.mask).run();
        if self.known.is_empty() {
            return scanned;
        }
        let mut out = scanned;
        for secret in &self.known {
            out = replace_known(out, secret);
            let escaped = serde_json::to_string(secret).unwrap_or_default();
            let escaped = escaped.trim_matches('"');
            if escaped != *secret && !escaped.is_empty() {
                out = replace_known(out, escaped);
            }
        }
        out
    }
}

fn replace_known<'t>(text: Cow<'t, str>, secret: &str) -> Cow<'t, str> {
    if text.contains(secret) {
        Cow::Owned(text.replace(secret, REDACTED))
    } else {
        text
    }
}

/// `value` as [`Mask`] shows it (without quotes).
fn masked(value: &str, mask: Mask) -> Cow<'static, str> {
    match mask {
        Mask::Full => Cow::Borrowed(REDACTED),
        Mask::Prefix => {
            // Escapes are not shown half: a value with one shows no prefix.
            if value.chars().count() <= 8 || value.chars().take(4).any(|c| c == '\\') {
                Cow::Borrowed("…")
            } else {
                Cow::Owned(format!("{}…", value.chars().take(4).collect::<String>()))
            }
        }
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Where an unquoted value ends.
fn is_delimiter(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'&' | b';' | b',' | b'"' | b'\'' | b'<' | b'>' | b')' | b']' | b'}' | b'\\'
        )
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    mask: Mask,
    out: String,
    /// Bytes of `text` before this index are in `out` already.
    copied: usize,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str, mask: Mask) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            mask,
            out: String::new(),
            copied: 0,
        }
    }

    fn run(mut self) -> Cow<'t, str> {
        let mut i = 0;
        while i < self.bytes.len() {
            let b = self.bytes[i];
            let starts_name = (is_name_byte(b)
                || b == b'\\' && self.escaped_name_char(i).is_some())
                && (i == 0 || !is_name_byte(self.bytes[i - 1]));
            i = if starts_name { self.at_name(i) } else { i + 1 };
        }
        if self.copied == 0 {
            return Cow::Borrowed(self.text);
        }
        self.out.push_str(&self.text[self.copied..]);
        Cow::Owned(self.out)
    }

    /// Replaces `start..end` (inside `text`) with the masked value.
    fn mask_range(&mut self, start: usize, end: usize) {
        let value = &self.text[start..end];
        self.out.push_str(&self.text[self.copied..start]);
        self.out.push_str(&masked(value, self.mask));
        self.copied = end;
    }

    /// Reads the name starting at `start` (with `\uXXXX` escapes decoded);
    /// masks what follows it if it names a secret. Returns where to go on.
    fn at_name(&mut self, start: usize) -> usize {
        let (name, end) = self.read_name(start);
        if AUTH_SCHEMES.iter().any(|s| name.eq_ignore_ascii_case(s)) {
            if let Some(after) = self.scheme_credential(end) {
                return after;
            }
        }
        let secret = is_secret_name(&name);
        let code = name.eq_ignore_ascii_case("code");
        if !secret && !code {
            return end;
        }
        // Closing quotes of a quoted name (`"`, `\"`, `'`), then the separator.
        let mut k = end;
        while k < self.bytes.len() && matches!(self.bytes[k], b'"' | b'\\' | b'\'') {
            k += 1;
        }
        k = self.skip_blanks(k);
        let separator = self.bytes.get(k).copied();
        match separator {
            Some(b':') if secret => {}
            // An OAuth `code` is a secret in a query string; `"code":` in
            // `$errors` is an error code.
            Some(b'=') => {}
            _ => return end,
        }
        let value = self.skip_blanks(k + 1);
        self.at_value(value, separator == Some(b':')).unwrap_or(end)
    }

    /// The credential after an auth scheme word (`Bearer abc`): masked. A
    /// short word of letters is prose, not a credential ("the provided bearer
    /// token is not valid").
    fn scheme_credential(&mut self, end: usize) -> Option<usize> {
        let k = self.skip_blanks(end);
        if k == end || k >= self.bytes.len() || is_delimiter(self.bytes[k]) {
            return None;
        }
        let token_end = self.token_end(k);
        let token = &self.bytes[k..token_end];
        if token.len() < 8 && token.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        self.mask_range(k, token_end);
        Some(token_end)
    }

    /// Masks the value starting at `k`; returns where it ends, or `None` when
    /// there is nothing to mask there (`null`, an object, end of text).
    /// `colon`: the value follows `:`, so it may be a JSON number, which
    /// becomes a masked *string* to keep the JSON valid.
    fn at_value(&mut self, k: usize, colon: bool) -> Option<usize> {
        let first = *self.bytes.get(k)?;
        match first {
            b'"' | b'\\' => {
                let quote_len = self.bytes[k..].iter().take_while(|b| **b == b'\\').count();
                if self.bytes.get(k + quote_len) != Some(&b'"') {
                    return None;
                }
                let content = k + quote_len + 1;
                let close = self.closing_quote(content, quote_len);
                // A value that starts with an auth scheme is masked whole.
                self.mask_range(content, close);
                Some(close)
            }
            b'\'' => {
                let close = self.bytes[k + 1..]
                    .iter()
                    .position(|b| *b == b'\'')
                    .map_or(self.bytes.len(), |p| k + 1 + p);
                self.mask_range(k + 1, close);
                Some(close)
            }
            b'{' | b'[' => None,
            _ => {
                let token_end = self.token_end(k);
                let token = &self.text[k..token_end];
                if token.is_empty() || matches!(token, "null" | "true" | "false") {
                    return None;
                }
                if AUTH_SCHEMES.iter().any(|s| token.eq_ignore_ascii_case(s)) {
                    if let Some(after) = self.scheme_credential(token_end) {
                        return Some(after);
                    }
                }
                if colon && serde_json::from_str::<serde_json::Number>(token).is_ok() {
                    self.out.push_str(&self.text[self.copied..k]);
                    self.out.push('"');
                    self.out.push_str(&masked(token, self.mask));
                    self.out.push('"');
                    self.copied = token_end;
                } else {
                    self.mask_range(k, token_end);
                }
                Some(token_end)
            }
        }
    }

    /// The index of the quote that closes a string opened by `level`
    /// backslashes and a quote, its content starting at `from` (or the end of
    /// the text). At escaping level `n` (0 for JSON, 1 for JSON in a JSON
    /// string, 3, 7…) the closing quote follows `r` backslashes with
    /// `r mod (2n + 2) == n`; other counts escape the quote at a deeper level.
    fn closing_quote(&self, from: usize, level: usize) -> usize {
        let mut i = from;
        while i < self.bytes.len() {
            if self.bytes[i] == b'"' {
                let run = self.bytes[from..i]
                    .iter()
                    .rev()
                    .take_while(|b| **b == b'\\')
                    .count();
                if run % (2 * level + 2) == level {
                    return i - level;
                }
            }
            i += 1;
        }
        self.bytes.len()
    }

    fn token_end(&self, k: usize) -> usize {
        self.bytes[k..]
            .iter()
            .position(|b| is_delimiter(*b))
            .map_or(self.bytes.len(), |p| k + p)
    }

    fn skip_blanks(&self, mut k: usize) -> usize {
        while k < self.bytes.len() && matches!(self.bytes[k], b' ' | b'\t') {
            k += 1;
        }
        k
    }

    /// A name from `start`: name bytes and `\uXXXX` escapes (at any escaping
    /// level) of name characters. Returns the name (borrowed when it has no
    /// escape) and its end.
    fn read_name(&self, start: usize) -> (Cow<'t, str>, usize) {
        let plain_end = self.bytes[start..]
            .iter()
            .position(|b| !is_name_byte(*b))
            .map_or(self.bytes.len(), |p| start + p);
        if self.escaped_name_char(plain_end).is_none() {
            return (Cow::Borrowed(&self.text[start..plain_end]), plain_end);
        }
        let mut name = String::from(&self.text[start..plain_end]);
        let mut i = plain_end;
        loop {
            match self.bytes.get(i) {
                Some(&b) if is_name_byte(b) => {
                    name.push(char::from(b));
                    i += 1;
                }
                _ => match self.escaped_name_char(i) {
                    Some((c, next)) => {
                        name.push(char::from(c));
                        i = next;
                    }
                    None => break,
                },
            }
        }
        (Cow::Owned(name), i)
    }

    /// A `\u0074` escape (after any number of backslashes) at `i` that
    /// stands for a name character: the character and the index after it.
    fn escaped_name_char(&self, i: usize) -> Option<(u8, usize)> {
        let slashes = self
            .bytes
            .get(i..)?
            .iter()
            .take_while(|b| **b == b'\\')
            .count();
        if slashes == 0 {
            return None;
        }
        let u = i + slashes;
        if self.bytes.get(u) != Some(&b'u') {
            return None;
        }
        let hex = self.text.get(u + 1..u + 5)?;
        let code = u8::try_from(u32::from_str_radix(hex, 16).ok()?).ok()?;
        is_name_byte(code).then_some((code, u + 5))
    }
}

#[cfg(test)]
mod tests;
