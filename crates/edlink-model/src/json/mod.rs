//! The fast path of [`crate::decode_response`]: a JSON reader that drives the
//! same serde `Deserialize` impls as `serde_json`, with less work per token.
//!
//! Why it exists: decoding a page of typed items cost about 2.5 times the
//! instructions of merely scanning it (docs/performance.md, "Profile"). Part
//! of that is inherent (every string is copied into its field, dates and ids
//! are parsed), part is `serde_json`'s bookkeeping around each token: error
//! values with positions, a scratch buffer per string, `Result<Option<u8>>`
//! peeks. This reader keeps none of that: its error type carries nothing
//! ([`Bail`]), because it never explains a failure.
//!
//! Its one rule: **it succeeds only where `serde_json` succeeds, with the same
//! calls on the visitor**, so the value built is the same. Anything it does not
//! handle itself it hands to `serde_json` for that one token (a number that is
//! not a plain non-negative integer, a string with escapes, enums, bytes), and
//! on any failure `decode_response` decodes the whole body again with
//! `serde_json` (and `serde_path_to_error`), so every error message, path and
//! `truncated` flag comes from there, as before. `tests/json_fast_path.rs`
//! checks the equivalence on every fixture, on mutations of them, and on
//! generated documents.
//!
//! What it mirrors from `serde_json` (1.0, `StrRead`): the whitespace set, the
//! number grammar, strings (control characters refused, escapes validated as
//! `serde_json` validates them), the recursion limit of 128 nested containers,
//! trailing commas refused, trailing characters after the document refused,
//! and `RawValue` (the exact text of a value, as `serde_json`'s private
//! newtype protocol hands it over).

mod de;

use serde::Deserialize;

/// Why the fast path gave up. It carries nothing: the caller decodes again
/// with `serde_json`, which says what was wrong and where.
#[derive(Debug)]
pub(crate) struct Bail;

impl std::fmt::Display for Bail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the fast JSON path gave up")
    }
}

impl std::error::Error for Bail {}

impl serde::de::Error for Bail {
    // The message is never formatted: `format_args!` in serde's provided
    // methods stays lazy, so a failing visitor costs nothing here.
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Bail
    }
}

/// Decodes `text` as one JSON document into `T`, or `None` when the fast path
/// cannot (invalid JSON, a value that does not fit `T`, or something it leaves
/// to `serde_json`). `Some` is always what `serde_json::from_str` gives.
pub(crate) fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Option<T> {
    let mut parser = Parser::new(text);
    let value = T::deserialize(&mut parser).ok()?;
    parser.end().ok()?;
    Some(value)
}

/// [`from_str`] with a seed.
#[cfg(test)]
pub(crate) fn from_str_with<'de, S: serde::de::DeserializeSeed<'de>>(
    text: &'de str,
    seed: S,
) -> Option<S::Value> {
    let mut parser = Parser::new(text);
    let value = seed.deserialize(&mut parser).ok()?;
    parser.end().ok()?;
    Some(value)
}

/// `serde_json`'s limit: at most 127 containers open at once.
const RECURSION_LIMIT: u8 = 128;

/// A string token: borrowed as is, or (with escapes) the whole token,
/// quotes included, for `serde_json` to unescape.
enum Str<'de> {
    Plain(&'de str),
    Escaped(&'de str),
}

/// The reader: a position in a UTF-8 document.
pub(crate) struct Parser<'de> {
    text: &'de str,
    pos: usize,
    remaining_depth: u8,
}

const ONES: u64 = u64::MAX / 255;
const HIGH_BITS: u64 = ONES << 7;

/// The first byte of `chunk` (little endian) that is `"`, `\` or below
/// 0x20, as a bit index into `chunk` (a multiple of 8), or 64 for none. The
/// lowest set bit of each test is exact (a borrow only moves upwards), so the
/// first match is found exactly; later bytes may be flagged falsely, which
/// does not matter.
#[inline]
fn special_byte(chunk: u64) -> u32 {
    let control = chunk.wrapping_sub(ONES * 0x20) & !chunk;
    let quote = chunk ^ (ONES * u64::from(b'"'));
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = chunk ^ (ONES * u64::from(b'\\'));
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    ((control | quote | backslash) & HIGH_BITS).trailing_zeros()
}

impl<'de> Parser<'de> {
    fn new(text: &'de str) -> Self {
        Self {
            text,
            pos: 0,
            remaining_depth: RECURSION_LIMIT,
        }
    }

    #[inline]
    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    /// Skips whitespace (the four JSON whitespace bytes only) and returns the
    /// next byte without consuming it.
    #[inline]
    fn skip_ws(&mut self) -> Option<u8> {
        let bytes = self.bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Consumes `word` (e.g. `null`) at the current position.
    #[inline]
    fn ident(&mut self, word: &[u8]) -> Result<(), Bail> {
        let end = self.pos + word.len();
        if self.bytes().get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// Only whitespace may follow the document.
    fn end(&mut self) -> Result<(), Bail> {
        match self.skip_ws() {
            None => Ok(()),
            Some(_) => Err(Bail),
        }
    }

    /// Opens a container: `serde_json` refuses the 128th level.
    #[inline]
    fn enter(&mut self) -> Result<(), Bail> {
        self.remaining_depth = self.remaining_depth.saturating_sub(1);
        if self.remaining_depth == 0 {
            return Err(Bail);
        }
        self.pos += 1;
        Ok(())
    }

    #[inline]
    fn leave(&mut self) {
        self.remaining_depth += 1;
    }

    /// Consumes `close` (after whitespace) at the end of a container whose
    /// visitor has returned; anything else (`,` of an entry the visitor left
    /// unread, other bytes, the end) fails, as in `serde_json`.
    #[inline]
    fn close(&mut self, close: u8) -> Result<(), Bail> {
        if self.skip_ws() == Some(close) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// Reads a string whose opening quote is at the current position.
    #[inline(always)]
    fn string(&mut self) -> Result<Str<'de>, Bail> {
        let bytes = self.bytes();
        let start = self.pos + 1;
        let mut end = start;
        // Eight bytes at a time while eight remain (nearly always: a string is
        // followed by at least `}` or `]`), then byte by byte.
        loop {
            let Some(chunk) = bytes.get(end..end + 8) else {
                end = Self::find_special_tail(bytes, end);
                break;
            };
            let Ok(word) = <[u8; 8]>::try_from(chunk) else {
                return Err(Bail);
            };
            let bit = special_byte(u64::from_le_bytes(word));
            if bit < 64 {
                end += (bit / 8) as usize;
                break;
            }
            end += 8;
        }
        if bytes.get(end) == Some(&b'"') {
            self.pos = end + 1;
            // Both ends are ASCII quotes, so both are char boundaries.
            return self.text.get(start..end).map(Str::Plain).ok_or(Bail);
        }
        self.escaped_string(end)
    }

    /// The rest of a string that stopped at `at` on something other than its
    /// closing quote: a backslash (the token goes to `serde_json`), a control
    /// character or the end of the input (both errors).
    #[cold]
    fn escaped_string(&mut self, at: usize) -> Result<Str<'de>, Bail> {
        if self.bytes().get(at) != Some(&b'\\') {
            return Err(Bail);
        }
        let open = self.pos;
        let close = self.escaped_end(at)?;
        self.pos = close + 1;
        self.text.get(open..=close).map(Str::Escaped).ok_or(Bail)
    }

    /// The index of the first `"`, `\` or control byte at or after `from`
    /// (the length of the input when there is none).
    fn find_special(&self, from: usize) -> usize {
        let bytes = self.bytes();
        let mut i = from;
        while let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let bit = special_byte(u64::from_le_bytes(word));
            if bit < 64 {
                return i + (bit / 8) as usize;
            }
            i += 8;
        }
        Self::find_special_tail(bytes, i)
    }

    /// [`find_special`](Self::find_special) for the last (fewer than eight) bytes.
    fn find_special_tail(bytes: &[u8], mut i: usize) -> usize {
        while let Some(&b) = bytes.get(i) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                return i;
            }
            i += 1;
        }
        i
    }

    /// From a backslash at `at`, the index of the closing quote, checking each
    /// escape as `serde_json` does when it skips a string (`\"` `\\` `\/` `\b`
    /// `\f` `\n` `\r` `\t`, or `\u` and four hex digits).
    fn escaped_end(&self, mut at: usize) -> Result<usize, Bail> {
        let bytes = self.bytes();
        loop {
            match bytes.get(at) {
                Some(b'"') => return Ok(at),
                Some(b'\\') => match bytes.get(at + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => at += 2,
                    Some(b'u') => {
                        let hex = bytes.get(at + 2..at + 6).ok_or(Bail)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return Err(Bail);
                        }
                        at += 6;
                    }
                    _ => return Err(Bail),
                },
                Some(_) => at = self.find_special(at),
                None => return Err(Bail),
            }
            if bytes.get(at).is_some_and(|b| *b < 0x20) {
                return Err(Bail);
            }
        }
    }

    /// The bytes of a number token at the current position (consumed): every
    /// byte that may belong to a JSON number. Its grammar is checked by whoever
    /// reads it.
    #[inline]
    fn number_token(&mut self) -> &'de str {
        let bytes = self.bytes();
        let start = self.pos;
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            end += 1;
        }
        self.pos = end;
        // All ASCII: both ends are char boundaries.
        self.text.get(start..end).unwrap_or_default()
    }

    /// An id as Edlink writes it, a quoted 36-byte hyphenated UUID, read by
    /// `uuid`'s own parser (consumed only when it is one). When it parses, its
    /// 36 bytes are hex digits and hyphens, so they are exactly the string's
    /// value (no escape, no quote inside).
    #[inline]
    fn quoted_uuid(&mut self) -> Option<uuid::Uuid> {
        let bytes = self.bytes();
        let at = self.pos;
        if bytes.get(at) != Some(&b'"') || bytes.get(at + 37) != Some(&b'"') {
            return None;
        }
        let id = uuid::Uuid::try_parse_ascii(bytes.get(at + 1..at + 37)?).ok()?;
        self.pos = at + 38;
        Some(id)
    }

    /// Skips one value, checking it as `serde_json` checks a value it ignores,
    /// and returns its text (without surrounding whitespace). Gives up on a
    /// value with `limit` or more containers nested in it.
    fn skip_value(&mut self, limit: u8) -> Result<&'de str, Bail> {
        let first = self.skip_ws().ok_or(Bail)?;
        let start = self.pos;
        self.skip_from(first, 0, u32::from(limit))?;
        self.text.get(start..self.pos).ok_or(Bail)
    }

    fn skip_from(&mut self, first: u8, depth: u32, limit: u32) -> Result<(), Bail> {
        match first {
            b'n' => self.ident(b"null"),
            b't' => self.ident(b"true"),
            b'f' => self.ident(b"false"),
            b'"' => self.string().map(drop),
            b'-' | b'0'..=b'9' => {
                if valid_number(self.number_token()) {
                    Ok(())
                } else {
                    Err(Bail)
                }
            }
            // `serde_json` skips any depth without recursion; past the limit
            // the fast path leaves the document to it.
            b'[' | b'{' if depth + 1 >= limit => Err(Bail),
            b'[' => {
                self.pos += 1;
                if self.skip_ws() == Some(b']') {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    let b = self.skip_ws().ok_or(Bail)?;
                    self.skip_from(b, depth + 1, limit)?;
                    match self.skip_ws() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err(Bail),
                    }
                }
            }
            b'{' => {
                self.pos += 1;
                if self.skip_ws() == Some(b'}') {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    if self.skip_ws() != Some(b'"') {
                        return Err(Bail);
                    }
                    self.string()?;
                    if self.skip_ws() != Some(b':') {
                        return Err(Bail);
                    }
                    self.pos += 1;
                    let b = self.skip_ws().ok_or(Bail)?;
                    self.skip_from(b, depth + 1, limit)?;
                    match self.skip_ws() {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err(Bail),
                    }
                }
            }
            _ => Err(Bail),
        }
    }
}

/// Whether `token` is a JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn valid_number(token: &str) -> bool {
    let mut b = token.as_bytes();
    if let [b'-', rest @ ..] = b {
        b = rest;
    }
    let digits = |b: &[u8]| b.iter().take_while(|c| c.is_ascii_digit()).count();
    let int = digits(b);
    if int == 0 || (int > 1 && b[0] == b'0') {
        return false;
    }
    b = &b[int..];
    if let [b'.', rest @ ..] = b {
        let n = digits(rest);
        if n == 0 {
            return false;
        }
        b = &rest[n..];
    }
    if let [b'e' | b'E', rest @ ..] = b {
        let rest = match rest {
            [b'+' | b'-', rest @ ..] => rest,
            rest => rest,
        };
        let n = digits(rest);
        if n == 0 {
            return false;
        }
        b = &rest[n..];
    }
    b.is_empty()
}

/// A plain non-negative integer that fits a `u64` (`0`, `3600`), the one
/// number form read here; every other form goes to `serde_json`.
#[inline]
fn plain_u64(token: &str) -> Option<u64> {
    let b = token.as_bytes();
    if b.is_empty() || b.len() > 20 || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    let mut n: u64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_json_grammar() {
        for ok in ["0", "-0", "12", "1.5", "-1.5e3", "1E+2", "0.0e-0"] {
            assert!(valid_number(ok), "{ok}");
        }
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "--1", "1-2", "1.2.3",
        ] {
            assert!(!valid_number(bad), "{bad}");
        }
        assert_eq!(plain_u64("0"), Some(0));
        assert_eq!(plain_u64("18446744073709551615"), Some(u64::MAX));
        assert_eq!(plain_u64("18446744073709551616"), None);
        assert_eq!(plain_u64("01"), None);
        assert_eq!(plain_u64("-1"), None);
        assert_eq!(plain_u64("1.0"), None);
    }

    #[test]
    fn the_special_byte_is_the_first_one() {
        let at = |s: &[u8; 8]| special_byte(u64::from_le_bytes(*s)) / 8;
        assert_eq!(at(b"abcdefgh"), 8);
        assert_eq!(at(b"abc\"efgh"), 3);
        assert_eq!(at(b"a\\c\"efgh"), 1);
        assert_eq!(at(b"\x1fbcdefgh"), 0);
        assert_eq!(at(b"\xc3\xa9cdefg\""), 7);
        assert_eq!(at(b"\x7f !#[]~\x20"), 8);
    }

    #[test]
    fn strings_borrow_or_hand_over_their_escapes() {
        let mut p = Parser::new(r#""plain" "a\"b\u00e9" "bad\u00zz""#);
        assert!(matches!(p.string(), Ok(Str::Plain("plain"))));
        p.skip_ws();
        assert!(matches!(p.string(), Ok(Str::Escaped(r#""a\"b\u00e9""#))));
        p.skip_ws();
        assert!(p.string().is_err());
        let mut p = Parser::new("\"ctl\tx\"");
        assert!(p.string().is_err());
    }
}
