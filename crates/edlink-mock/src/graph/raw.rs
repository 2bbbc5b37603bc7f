//! Reading the top level of a serialized JSON object without parsing it: the members in order,
//! each value as its exact bytes. Filters, `$expand`, `$fields` and the nested-list indexes
//! read the pre-serialized items this way, so a request never re-serializes an object.

/// The members of a JSON object, in order: `(key, raw value bytes)`. `None` when `bytes` is
/// not one well-formed object at the top level (values are checked only for balance).
///
/// Keys are returned as written between the quotes (escapes are not decoded: the mock's own
/// keys have none).
pub(crate) fn members(bytes: &[u8]) -> Option<Vec<(&str, &[u8])>> {
    let mut out = Vec::with_capacity(24);
    let mut i = skip_ws(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(bytes, i + 1);
    if bytes.get(i) == Some(&b'}') {
        return (skip_ws(bytes, i + 1) == bytes.len()).then_some(out);
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(bytes, i)?;
        let key = std::str::from_utf8(bytes.get(i + 1..key_end - 1)?).ok()?;
        i = skip_ws(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(bytes, i + 1);
        let end = value_end(bytes, start)?;
        out.push((key, bytes.get(start..end)?));
        i = skip_ws(bytes, end);
        match bytes.get(i) {
            Some(b',') => i = skip_ws(bytes, i + 1),
            Some(b'}') => return (skip_ws(bytes, i + 1) == bytes.len()).then_some(out),
            _ => return None,
        }
    }
}

/// The raw value of one member, if present.
pub(crate) fn member<'a>(bytes: &'a [u8], key: &str) -> Option<&'a [u8]> {
    members(bytes)?
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// A raw value that is a JSON string of an 8-4-4-4-12 UUID, as 128 bits.
pub(crate) fn uuid(raw: &[u8]) -> Option<u128> {
    let inner = raw.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    crate::text::parse_uuid(std::str::from_utf8(inner).ok()?)
}

/// The UUIDs in a raw value that is one UUID string or an array of them (others skipped).
pub(crate) fn uuids(raw: &[u8]) -> Vec<u128> {
    if raw.first() == Some(&b'[') {
        elements(raw)
            .unwrap_or_default()
            .into_iter()
            .filter_map(uuid)
            .collect()
    } else {
        uuid(raw).into_iter().collect()
    }
}

/// The elements of a raw JSON array, each as its exact bytes.
pub(crate) fn elements(raw: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    let mut i = skip_ws(raw, 0);
    if raw.get(i) != Some(&b'[') {
        return None;
    }
    i = skip_ws(raw, i + 1);
    if raw.get(i) == Some(&b']') {
        return Some(out);
    }
    loop {
        let end = value_end(raw, i)?;
        out.push(raw.get(i..end)?);
        i = skip_ws(raw, end);
        match raw.get(i) {
            Some(b',') => i = skip_ws(raw, i + 1),
            Some(b']') => return Some(out),
            _ => return None,
        }
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        i += 1;
    }
    i
}

/// `bytes[start]` is `"`: the index just past the closing quote.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The index just past the value that starts at `start`.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => string_end(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            // A number, true, false or null: up to the next delimiter.
            let mut i = start;
            while let Some(b) = bytes.get(i) {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                    break;
                }
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_objects_in_order_with_exact_values() {
        let text = br#"{"id":"00000000-0000-0000-0000-00000000000a","s":"a\"},]","n":-1.5e3,"a":[1,{"x":"]"}],"o":{"k":[]},"z":null,"t":true}"#;
        let m = members(text).unwrap();
        let keys: Vec<&str> = m.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, ["id", "s", "n", "a", "o", "z", "t"]);
        assert_eq!(m[1].1, br#""a\"},]""#);
        assert_eq!(m[2].1, b"-1.5e3");
        assert_eq!(m[3].1, br#"[1,{"x":"]"}]"#);
        assert_eq!(m[4].1, br#"{"k":[]}"#);
        assert_eq!(m[5].1, b"null");
        assert_eq!(member(text, "id").and_then(uuid), Some(10));
        assert_eq!(member(text, "nope"), None);
        let spaced = b" { \"a\" : [ 1 , 2 ] , \"b\" : { } } ";
        let m = members(spaced).unwrap();
        assert_eq!(m[0], ("a", &b"[ 1 , 2 ]"[..]));
        assert_eq!(elements(m[0].1).unwrap(), vec![&b"1"[..], &b"2"[..]]);
        assert_eq!(members(b"{}").unwrap().len(), 0);
        for bad in [
            &b""[..],
            b"[]",
            b"{",
            b"{\"a\"}",
            b"{\"a\":1,}",
            b"{\"a\":1} x",
            b"{\"a\":[1}",
        ] {
            assert!(members(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn reads_uuid_lists() {
        let raw = br#"["00000000-0000-0000-0000-000000000001", "x", "00000000-0000-0000-0000-000000000002"]"#;
        assert_eq!(uuids(raw), vec![1, 2]);
        assert_eq!(uuids(br#""00000000-0000-0000-0000-000000000003""#), vec![3]);
        assert!(uuids(b"null").is_empty());
        assert_eq!(elements(b"[]").unwrap().len(), 0);
    }
}
