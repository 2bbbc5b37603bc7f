//! [`Extra`]: the members of an object that this version of the SDK does not
//! know, kept as the exact JSON text Edlink sent, in the order it sent them.

use std::fmt;

use crate::RawJson;
use crate::redact::{REDACTED, Redactor, is_secret_name};

/// Above this many members, duplicates are found with a hash set instead of
/// pairwise comparison (a hostile object with a million keys must not make
/// decoding quadratic).
const PAIRWISE_LIMIT: usize = 16;

/// The unknown members of an Edlink object: each key with its value as the
/// exact JSON text sent (`123456789012345678901234567890` and `1.10` stay
/// digit for digit), in the order sent. Serializing the object writes them
/// back after its known fields.
///
/// Equality is member by member, in order, on the exact text.
/// `Debug` shows compact values with secrets masked (every value under a
/// secret-named key, and secrets inside values, by [`crate::redact`]).
///
/// ```
/// use edlink_model::{decode_response, Integration};
///
/// let body = br#"{"$data":{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","zeta":1.10,"big":123456789012345678901234567890}}"#;
/// let i = decode_response::<Integration>(200, None, body)?.data;
/// assert_eq!(i.extra.keys().collect::<Vec<_>>(), ["zeta", "big"]);
/// assert_eq!(i.extra.get("big").map(|v| v.as_str()), Some("123456789012345678901234567890"));
/// assert_eq!(i.extra.value("zeta"), Some(serde_json::json!(1.1)));
/// assert!(serde_json::to_string(&i)?.ends_with(r#""zeta":1.10,"big":123456789012345678901234567890}"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Extra {
    members: Vec<(String, RawJson)>,
}

impl Extra {
    /// No members.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The value of `key`, as sent.
    pub fn get(&self, key: &str) -> Option<&RawJson> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of `key`, parsed into a [`serde_json::Value`] (numbers as
    /// `serde_json` reads them: use [`get`](Self::get) for the exact text).
    pub fn value(&self, key: &str) -> Option<serde_json::Value> {
        self.get(key).and_then(|raw| raw.to_value().ok())
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key`: a present key keeps its place and takes the new value (the
    /// old one is returned); a new key goes last.
    ///
    /// ```
    /// use edlink_model::{Extra, RawJson};
    ///
    /// let mut extra = Extra::new();
    /// extra.insert("a", RawJson::from_value(&serde_json::json!(1)));
    /// extra.insert("b", RawJson::from_value(&serde_json::json!(2)));
    /// extra.insert("a", RawJson::from_value(&serde_json::json!(3)));
    /// assert_eq!(extra.keys().collect::<Vec<_>>(), ["a", "b"]);
    /// assert_eq!(extra.get("a").map(|v| v.as_str()), Some("3"));
    /// ```
    pub fn insert(&mut self, key: impl Into<String>, value: RawJson) -> Option<RawJson> {
        let key = key.into();
        match self.members.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.members.push((key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<RawJson> {
        let at = self.members.iter().position(|(k, _)| k == key)?;
        Some(self.members.remove(at).1)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(k, _)| k.as_str())
    }

    /// The members, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawJson)> {
        self.members.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Appends a member while decoding (duplicates are resolved once, by
    /// [`finish_decoding`](Self::finish_decoding)).
    pub(crate) fn push_decoded(&mut self, key: String, value: RawJson) {
        self.members.push((key, value));
    }

    /// Resolves duplicate keys as `serde_json::Value` and JavaScript do: the
    /// last value wins, at the place of the first occurrence.
    pub(crate) fn finish_decoding(&mut self) {
        let n = self.members.len();
        let has_duplicates = if n <= PAIRWISE_LIMIT {
            (1..n).any(|i| {
                self.members[..i]
                    .iter()
                    .any(|(k, _)| *k == self.members[i].0)
            })
        } else {
            let mut seen = std::collections::HashSet::with_capacity(n);
            !self.members.iter().all(|(k, _)| seen.insert(k.as_str()))
        };
        if has_duplicates {
            let members = std::mem::take(&mut self.members);
            for (k, v) in members {
                self.insert(k, v);
            }
        }
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a str, &'a RawJson);
    type IntoIter = Box<dyn Iterator<Item = (&'a str, &'a RawJson)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.members
                    .iter()
                    .map(|(k, v)| (k, DebugJson::member(k, v.as_str()))),
            )
            .finish()
    }
}

/// How `Debug` shows JSON kept as text: compact, with secrets masked, and a
/// non-null value under a secret-named key masked whole.
pub(crate) struct DebugJson<'a> {
    text: &'a str,
    secret: bool,
}

impl<'a> DebugJson<'a> {
    pub(crate) fn member(key: &str, text: &'a str) -> Self {
        Self {
            text,
            secret: is_secret_name(key),
        }
    }

    pub(crate) fn value(text: &'a str) -> Self {
        Self {
            text,
            secret: false,
        }
    }
}

impl fmt::Debug for DebugJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text.trim();
        if self.secret && text != "null" {
            return write!(f, "\"{REDACTED}\"");
        }
        f.write_str(&compact(&Redactor::new().redact(text)))
    }
}

/// JSON text without the whitespace between tokens (strings kept as they are).
fn compact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> RawJson {
        RawJson::from_text(text.to_owned()).unwrap_or_else(|_| RawJson::from_value(&().into()))
    }

    #[test]
    fn duplicates_resolve_to_the_last_value_at_the_first_place() {
        for n in [3, 40] {
            let mut extra = Extra::new();
            for i in 0..n {
                extra.push_decoded(format!("k{i}"), raw(&i.to_string()));
            }
            extra.push_decoded("k1".into(), raw("\"last\""));
            extra.finish_decoding();
            assert_eq!(extra.len(), n);
            assert_eq!(extra.keys().nth(1), Some("k1"));
            assert_eq!(extra.get("k1").map(RawJson::as_str), Some("\"last\""));
        }
    }

    #[test]
    fn debug_is_compact_and_masks_secrets() {
        let mut extra = Extra::new();
        extra.insert("lti_shared_secret", raw("\"s3cr3t\""));
        extra.insert("gone_secret", raw("null"));
        extra.insert(
            "nested",
            raw("{ \"password\" : \"hunter22\", \"n\" : [1, 2.50] }"),
        );
        extra.insert("text", raw("\"a  b\""));
        let shown = format!("{extra:?}");
        assert_eq!(
            shown,
            r#"{"lti_shared_secret": "[redacted]", "gone_secret": null, "nested": {"password":"[redacted]","n":[1,2.50]}, "text": "a  b"}"#
        );
    }
}
