//! [`RawJson`]: a list item exactly as Edlink sent it.

use std::fmt;

use crate::{Record, parse_id};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

/// One JSON value exactly as Edlink sent it: the same bytes, key order and
/// number formatting, for tools that print what the API returned.
///
/// A client uses it as a listing's item type (`edlink-client`'s
/// `ListRequest::raw_exact`); paging still reads the `id` of each page's last
/// item for the `$after` fallback. The model uses it for members it keeps as
/// JSON text.
///
/// It may contain secrets Edlink sent (an integration's `access_token`), so
/// its `Debug` shows only the size; the text is given by
/// [`as_str`](Self::as_str) alone.
///
/// ```
/// use edlink_model::{RawJson, Record};
///
/// let raw: RawJson = serde_json::from_str(r#"{"name":"x",  "id":"00000000-0000-0000-0000-000000000007"}"#)?;
/// assert_eq!(raw.as_str(), r#"{"name":"x",  "id":"00000000-0000-0000-0000-000000000007"}"#);
/// assert_eq!(raw.record_id(), Some(uuid::Uuid::from_u128(7)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// The JSON text, byte for byte as received.
    ///
    /// ```
    /// let raw: edlink_model::RawJson = serde_json::from_str("[1, 2]")?;
    /// assert_eq!(raw.as_str(), "[1, 2]");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// Parses the text into a [`serde_json::Value`].
    ///
    /// ```
    /// let raw: edlink_model::RawJson = serde_json::from_str(r#"{"a":1}"#)?;
    /// assert_eq!(raw.to_value()?["a"], 1);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    /// Checks that `text` is one JSON value and keeps it as it is.
    ///
    /// ```
    /// use edlink_model::RawJson;
    ///
    /// assert_eq!(RawJson::from_text(r#"{"a": 1.10}"#.to_owned())?.as_str(), r#"{"a": 1.10}"#);
    /// assert!(RawJson::from_text("{".to_owned()).is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_text(text: String) -> Result<Self, serde_json::Error> {
        RawValue::from_string(text).map(Self)
    }

    /// The compact JSON text of `value`.
    ///
    /// ```
    /// let raw = edlink_model::RawJson::from_value(&serde_json::json!({"a": [1, null]}));
    /// assert_eq!(raw.as_str(), r#"{"a":[1,null]}"#);
    /// ```
    pub fn from_value(value: &serde_json::Value) -> Self {
        // A `Value` always serializes to one valid JSON value, so the round
        // trip cannot fail; the fallback keeps this infallible without a panic.
        serde_json::value::to_raw_value(value)
            .map(Self)
            .unwrap_or_else(|_| Self(RawValue::NULL.to_owned()))
    }
}

impl PartialEq for RawJson {
    /// Byte for byte: two values are equal when Edlink sent the same text.
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for RawJson {}

impl std::hash::Hash for RawJson {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow, default)]
    id: Option<&'a str>,
}

impl Record for RawJson {
    fn record_id(&self) -> Option<Uuid> {
        let id = serde_json::from_str::<IdOnly<'_>>(self.0.get()).ok()?.id?;
        parse_id("id", id).ok()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson({} bytes)", self.0.get().len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_when_present_and_valid() {
        let id = |s: &str| serde_json::from_str::<RawJson>(s).unwrap().record_id();
        assert_eq!(
            id(r#"{"id":"00000000-0000-0000-0000-000000000001"}"#),
            Some(Uuid::from_u128(1))
        );
        assert_eq!(id(r#"{"id":5}"#), None);
        assert_eq!(id(r#"{"name":"x"}"#), None);
        assert_eq!(id(r#"[1]"#), None);
        assert_eq!(id(r#"{"id":"not-a-uuid"}"#), None);
        // An escaped string cannot be borrowed: no id rather than an error.
        assert_eq!(
            id(r#"{"id":"0000000\u0030-0000-0000-0000-000000000001"}"#),
            None
        );
    }

    #[test]
    fn debug_hides_the_content() {
        let raw: RawJson = serde_json::from_str(r#"{"access_token":"s3cr3t"}"#).unwrap();
        assert!(!format!("{raw:?}").contains("s3cr3t"));
    }
}
