//! A page's `$next`, read from the body's edges without decoding the page.
//!
//! Edlink's pages are chained: the next request needs the `$next` of the page before it. A
//! client that waits for the whole page to decode before it asks for the next one adds the
//! decoding time to every page's wait. `$next` is a short member beside `$data`, so it can be
//! read in a few hundred bytes at either end of the body, and the next request sent while the
//! page decodes. That read is a hint, never a decision: the decoded page's `$next` still goes
//! through [`Paginator::advance`](crate::Paginator::advance), and a client that sent early
//! must drop what it sent when the two differ.

/// How a key is written when it is `$next`: byte for byte, quotes included. A key written
/// with escapes (`"\u0024next"`) is not recognised; the hint is then absent, which costs only
/// the early start.
const NEXT_KEY: &[u8] = b"\"$next\"";

/// The `$next` member of a response envelope, found by reading only the top-level members
/// before the first nested value and after the last one (`$data` is nested), so the cost
/// does not grow with the page.
///
/// `None` when no string `$next` sits among those members (absent, `null`, not an object,
/// or between two nested members). The body is not validated: on a body that is not JSON
/// the answer means nothing, and the page's decoding reports the error.
///
/// ```
/// use edlink_model::peek_next;
///
/// let body = br#"{"$data":[{"id":"x","name":"\"$next\":\"https://evil.example\""}],"$next":"https:\/\/ed.link\/api\/v1\/integrations?$cursor=b"}"#;
/// assert_eq!(peek_next(body).as_deref(), Some("https://ed.link/api/v1/integrations?$cursor=b"));
/// assert_eq!(peek_next(br#"{"$next":null,"$data":[]}"#), None);
/// assert_eq!(peek_next(br#"{"$data":[{"$next":"inside an item"}]}"#), None);
/// ```
pub fn peek_next(body: &[u8]) -> Option<String> {
    let token = match leading(body) {
        Some(found) => found,
        None => trailing(body)?,
    }?;
    serde_json::from_slice(token).ok()
}

/// What a scan of scalar members found: `Some(Some(token))` for a string `$next` (the JSON
/// string token, quotes included), `Some(None)` for a `$next` of another kind, `None` when
/// the scan reached a nested value or the end without meeting `$next`.
type Found<'a> = Option<Option<&'a [u8]>>;

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The members from the opening brace forward, until the first nested value.
fn leading(b: &[u8]) -> Found<'_> {
    let mut i = skip_ws(b, 0);
    if *b.get(i)? != b'{' {
        return None;
    }
    i += 1;
    loop {
        i = skip_ws(b, i);
        let key_end = string_end(b, i)?;
        let key = b.get(i..key_end)?;
        i = skip_ws(b, key_end);
        if *b.get(i)? != b':' {
            return None;
        }
        i = skip_ws(b, i + 1);
        let value_end = match *b.get(i)? {
            b'{' | b'[' => return None,
            b'"' => string_end(b, i)?,
            _ => scalar_end(b, i),
        };
        if key == NEXT_KEY {
            return Some(b.get(i..value_end).filter(|v| v.first() == Some(&b'"')));
        }
        i = skip_ws(b, value_end);
        if *b.get(i)? != b',' {
            return None;
        }
        i += 1;
    }
}

/// The members from the closing brace backward, until the last nested value.
fn trailing(b: &[u8]) -> Found<'_> {
    let mut end = skip_ws_back(b, b.len());
    if *b.get(end.checked_sub(1)?)? != b'}' {
        return None;
    }
    end -= 1;
    loop {
        end = skip_ws_back(b, end);
        let last = end.checked_sub(1)?;
        let value_start = match *b.get(last)? {
            b'}' | b']' => return None,
            b'"' => string_start(b, last)?,
            _ => scalar_start(b, end),
        };
        let mut i = skip_ws_back(b, value_start);
        if *b.get(i.checked_sub(1)?)? != b':' {
            return None;
        }
        i = skip_ws_back(b, i - 1);
        let key_start = string_start(b, i.checked_sub(1)?)?;
        if b.get(key_start..i)? == NEXT_KEY {
            return Some(b.get(value_start..end).filter(|v| v.first() == Some(&b'"')));
        }
        end = skip_ws_back(b, key_start);
        if *b.get(end.checked_sub(1)?)? != b',' {
            return None;
        }
        end -= 1;
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| is_ws(c)) {
        i += 1;
    }
    i
}

/// The index just past the whitespace-free end at or before `end`.
fn skip_ws_back(b: &[u8], mut end: usize) -> usize {
    while end > 0 && b.get(end - 1).is_some_and(|&c| is_ws(c)) {
        end -= 1;
    }
    end
}

/// The index just past the string token that opens at `open`.
fn string_end(b: &[u8], open: usize) -> Option<usize> {
    if *b.get(open)? != b'"' {
        return None;
    }
    let mut i = open + 1;
    loop {
        match *b.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The index of the quote that opens the string token closing at `close`. Inside a string
/// a quote is always escaped, by an odd run of backslashes (pairs are escaped backslashes),
/// so the opening quote is the nearest one before `close` preceded by an even run.
fn string_start(b: &[u8], close: usize) -> Option<usize> {
    let unescaped_quote = |i: usize| {
        let before = b.get(..i).unwrap_or_default();
        b.get(i) == Some(&b'"') && before.iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 0
    };
    if !unescaped_quote(close) {
        return None; // A body cut inside a string.
    }
    let mut i = close;
    loop {
        i = b.get(..i)?.iter().rposition(|&c| c == b'"')?;
        if unescaped_quote(i) {
            return Some(i);
        }
    }
}

fn is_scalar_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.')
}

/// The end of a number, `true`, `false` or `null` starting at `start`.
fn scalar_end(b: &[u8], mut i: usize) -> usize {
    while b.get(i).copied().is_some_and(is_scalar_byte) {
        i += 1;
    }
    i
}

/// The start of a number, `true`, `false` or `null` ending just before `end`.
fn scalar_start(b: &[u8], mut end: usize) -> usize {
    while end > 0 && b.get(end - 1).copied().is_some_and(is_scalar_byte) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests;
