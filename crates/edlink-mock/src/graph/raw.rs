//! Reading the top level of a serialized JSON object without parsing it: the members in order,
//! each value as its exact bytes. Filters, `$expand`, `$fields` and the nested-list indexes
//! read the pre-serialized items this way, so a request never re-serializes an object.

/// The top-level members of one serialized object, in order: `(key, raw value)`. Keys are
/// the bytes between the quotes (escapes are not decoded: the mock's own keys have none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Members<'a>(Vec<(&'a [u8], &'a [u8])>);

impl<'a> Members<'a> {
    /// The raw value of member `key`, if present.
    pub(crate) fn get(&self, key: &str) -> Option<&'a [u8]> {
        self.0
            .iter()
            .find(|(k, _)| *k == key.as_bytes())
            .map(|(_, v)| *v)
    }

    /// Every member, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + '_ {
        self.0.iter().copied()
    }
}

/// The members of a JSON object. `None` when `bytes` is not one well-formed object at the
/// top level (values are checked only for balance).
pub(crate) fn members(bytes: &[u8]) -> Option<Members<'_>> {
    let mut out = Vec::with_capacity(24);
    let mut i = skip_ws(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(bytes, i + 1);
    if bytes.get(i) == Some(&b'}') {
        return (skip_ws(bytes, i + 1) == bytes.len()).then_some(Members(out));
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(bytes, i)?;
        let key = bytes.get(i + 1..key_end - 1)?;
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
            Some(b'}') => return (skip_ws(bytes, i + 1) == bytes.len()).then_some(Members(out)),
            _ => return None,
        }
    }
}

/// The raw value of one member, if present.
pub(crate) fn member<'a>(bytes: &'a [u8], key: &str) -> Option<&'a [u8]> {
    members(bytes)?.get(key)
}

/// One serialized object with `edits` (`(key, raw JSON value)`) applied: a member it has
/// keeps its place and takes the new value; a missing one is added at the end when
/// `add_missing`, else left out. The other members keep their exact bytes. `None` when `bytes`
/// is not one object.
pub(crate) fn edit(bytes: &[u8], edits: &[(&str, &str)], add_missing: bool) -> Option<String> {
    let members = members(bytes)?;
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() + 64);
    let mut put = |key: &[u8], value: &[u8]| {
        out.push(if out.is_empty() { b'{' } else { b',' });
        out.push(b'"');
        out.extend_from_slice(key);
        out.extend_from_slice(b"\":");
        out.extend_from_slice(value);
    };
    for (key, value) in members.iter() {
        let new = edits.iter().find(|(k, _)| k.as_bytes() == key);
        put(key, new.map_or(value, |(_, v)| v.as_bytes()));
    }
    if add_missing {
        for (key, value) in edits {
            if members.get(key).is_none() {
                put(key.as_bytes(), value.as_bytes());
            }
        }
    }
    if out.is_empty() {
        out.push(b'{');
    }
    out.push(b'}');
    String::from_utf8(out).ok()
}

/// A raw value that is a JSON string, decoded (`None` for `null`, other types, or no value).
pub(crate) fn string(raw: Option<&[u8]>) -> Option<String> {
    raw.and_then(|r| serde_json::from_slice::<String>(r).ok())
}

/// A raw value that is an array of strings, decoded (empty for anything else).
pub(crate) fn strings(raw: Option<&[u8]>) -> Vec<String> {
    raw.and_then(|r| serde_json::from_slice::<Vec<String>>(r).ok())
        .unwrap_or_default()
}

/// A raw value that is a JSON string of an 8-4-4-4-12 UUID, as 128 bits.
pub(crate) fn uuid(raw: &[u8]) -> Option<u128> {
    let inner = raw.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    crate::text::parse_uuid_bytes(inner)
}

/// Calls `f` with each UUID in a raw value that is one UUID string or an array of them
/// (other values and elements are skipped).
pub(crate) fn each_uuid(raw: &[u8], mut f: impl FnMut(u128)) {
    if raw.first() == Some(&b'[') {
        for element in elements(raw).unwrap_or_default() {
            if let Some(id) = uuid(element) {
                f(id);
            }
        }
    } else if let Some(id) = uuid(raw) {
        f(id);
    }
}

/// The UUIDs of [`each_uuid`], collected.
pub(crate) fn uuids(raw: &[u8]) -> Vec<u128> {
    let mut out = Vec::new();
    each_uuid(raw, |id| out.push(id));
    out
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
        // Jump to the next quote or backslash (much faster than matching byte by byte).
        let j = bytes
            .get(i..)?
            .iter()
            .position(|b| matches!(b, b'"' | b'\\'))?;
        match bytes.get(i + j)? {
            b'"' => return Some(i + j + 1),
            _ => i += j + 2,
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
        let keys: Vec<&[u8]> = m.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, [&b"id"[..], b"s", b"n", b"a", b"o", b"z", b"t"]);
        assert_eq!(m.get("s").unwrap(), br#""a\"},]""#);
        assert_eq!(m.get("n").unwrap(), b"-1.5e3");
        assert_eq!(m.get("a").unwrap(), br#"[1,{"x":"]"}]"#);
        assert_eq!(m.get("o").unwrap(), br#"{"k":[]}"#);
        assert_eq!(m.get("z").unwrap(), b"null");
        assert_eq!(member(text, "id").and_then(uuid), Some(10));
        assert_eq!(member(text, "nope"), None);
        let spaced = b" { \"a\" : [ 1 , 2 ] , \"b\" : { } } ";
        let m = members(spaced).unwrap();
        assert_eq!(m.get("a").unwrap(), b"[ 1 , 2 ]");
        assert_eq!(
            elements(m.get("a").unwrap()).unwrap(),
            vec![&b"1"[..], &b"2"[..]]
        );
        assert_eq!(members(b"{}").unwrap().iter().count(), 0);
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
    fn edits_keep_order_and_bytes() {
        let text = br#"{"id":"x","a":[1, 2],"n":null,"s":"v"}"#;
        let e = edit(text, &[("n", "\"now\""), ("z", "true")], false).unwrap();
        assert_eq!(e, r#"{"id":"x","a":[1, 2],"n":"now","s":"v"}"#);
        let e = edit(text, &[("s", "1"), ("z", "true")], true).unwrap();
        assert_eq!(e, r#"{"id":"x","a":[1, 2],"n":null,"s":1,"z":true}"#);
        assert_eq!(edit(b"{}", &[("k", "2")], true).unwrap(), r#"{"k":2}"#);
        assert_eq!(edit(b"{}", &[("k", "2")], false).unwrap(), "{}");
        assert_eq!(edit(b"[1]", &[], true), None);
        assert_eq!(string(Some(br#""a\"b""#)).as_deref(), Some("a\"b"));
        assert_eq!(string(Some(b"null")), None);
        assert_eq!(strings(Some(br#"["a","b"]"#)), ["a", "b"]);
        assert!(strings(None).is_empty());
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
