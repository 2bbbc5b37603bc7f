//! A tiny JSON object writer: the generator writes its items by hand, because serde's
//! derived serializers are slow in debug builds, where tests generate tens of thousands of
//! items (about 10x faster here).

use crate::text::push_uuid;

/// Appends `text` as a JSON string literal.
pub(crate) fn push_str(out: &mut String, text: &str) {
    out.push('"');
    // Fast path: the generator's strings (ids, dates, tokens, table entries) never need
    // escaping, and checking bytes is much cheaper than pushing chars one by one.
    if !text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(text);
        out.push('"');
        return;
    }
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes one JSON object, key by key, in the order given.
pub(crate) struct Obj<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Obj<'a> {
    /// Opens `{`.
    pub(crate) fn new(out: &'a mut String) -> Self {
        out.push('{');
        Self { out, empty: true }
    }

    /// Writes `"key":` (with the comma before it when needed) and returns the buffer.
    pub(crate) fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        push_str(self.out, key);
        self.out.push(':');
        self.out
    }

    pub(crate) fn str(&mut self, key: &str, value: &str) -> &mut Self {
        push_str(self.key(key), value);
        self
    }

    pub(crate) fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.str(key, v),
            None => self.raw(key, "null"),
        }
    }

    pub(crate) fn num(&mut self, key: &str, value: u64) -> &mut Self {
        self.raw(key, &value.to_string())
    }

    pub(crate) fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.raw(key, if value { "true" } else { "false" })
    }

    /// Writes already-encoded JSON.
    pub(crate) fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key).push_str(json);
        self
    }

    pub(crate) fn str_array<S: AsRef<str>>(&mut self, key: &str, values: &[S]) -> &mut Self {
        let out = self.key(key);
        out.push('[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_str(out, v.as_ref());
        }
        out.push(']');
        self
    }

    /// `"key":null`.
    pub(crate) fn null(&mut self, key: &str) -> &mut Self {
        self.raw(key, "null")
    }

    /// A UUID string.
    pub(crate) fn uuid(&mut self, key: &str, id: u128) -> &mut Self {
        let out = self.key(key);
        out.push('"');
        push_uuid(out, id);
        out.push('"');
        self
    }

    /// A UUID string or `null`.
    pub(crate) fn opt_uuid(&mut self, key: &str, id: Option<u128>) -> &mut Self {
        match id {
            Some(id) => self.uuid(key, id),
            None => self.null(key),
        }
    }

    /// An array of UUID strings.
    pub(crate) fn uuids(&mut self, key: &str, ids: &[u128]) -> &mut Self {
        let out = self.key(key);
        out.push('[');
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('"');
            push_uuid(out, *id);
            out.push('"');
        }
        out.push(']');
        self
    }

    /// Closes `}`.
    pub(crate) fn end(&mut self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_valid_json() {
        let mut s = String::new();
        Obj::new(&mut s)
            .str("a", "q\"\\\n")
            .opt_str("b", None)
            .num("c", 7)
            .bool("d", true)
            .str_array("e", &["x", "y"])
            .str_array::<&str>("f", &[])
            .end();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(v["a"], "q\"\\\n");
        assert!(v["b"].is_null());
        assert_eq!(v["e"][1], "y");
        assert_eq!(
            s,
            r#"{"a":"q\"\\\n","b":null,"c":7,"d":true,"e":["x","y"],"f":[]}"#
                .replace("\\n", "\\u000a")
        );
    }
}
