//! The export format: one JSON line per stored object, the same for every
//! store, so a mirror can be compared with its source byte for byte.

use std::borrow::Cow;

use edlink_model::redact::{Mask, Redactor};
use uuid::Uuid;

use crate::ResourceKind;

/// What [`Store::export`](crate::Store::export) writes.
///
/// ```
/// use edlink_sync::ExportOptions;
///
/// let all = ExportOptions::new();
/// let one = ExportOptions::new().integration(uuid::Uuid::from_u128(1)).unmasked();
/// assert!(all.masked() && !one.masked());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportOptions {
    integration: Option<Uuid>,
    unmasked: bool,
}

impl ExportOptions {
    /// Every integration, tokens masked.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only this integration.
    pub fn integration(mut self, integration: Uuid) -> Self {
        self.integration = Some(integration);
        self
    }

    /// Write values under secret-named members (`access_token`…) as stored
    /// instead of masking them (`"HZ4M…"`).
    pub fn unmasked(mut self) -> Self {
        self.unmasked = true;
        self
    }

    /// The integration filter.
    ///
    /// ```
    /// assert_eq!(edlink_sync::ExportOptions::new().only_integration(), None);
    /// ```
    pub fn only_integration(&self) -> Option<Uuid> {
        self.integration
    }

    /// Whether secrets are masked (the default).
    pub fn masked(&self) -> bool {
        !self.unmasked
    }
}

/// One export line (with its `\n`):
/// `{"integration_id":"…","type":"people","id":"…","data":{…}}`.
///
/// `data` is the stored JSON text with the whitespace between tokens
/// removed (so an object is one line; key order, number spelling and string
/// escapes are kept as stored) and, when `masked`, every secret masked by
/// [`edlink_model::redact`] with [`Mask::Prefix`] (the CLI's style). Lines
/// are sorted by integration id, then type (the table name), then id, each
/// compared as lower-case hyphenated text.
///
/// ```
/// use edlink_sync::{export_line, ResourceKind};
/// use uuid::Uuid;
///
/// let line = export_line(Uuid::from_u128(1), ResourceKind::Agents, Uuid::from_u128(2),
///     r#"{ "id": "00000000-0000-0000-0000-000000000002", "properties": {"access_token": "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7"} }"#, true);
/// assert_eq!(line, concat!(
///     r#"{"integration_id":"00000000-0000-0000-0000-000000000001","type":"agents","id":"00000000-0000-0000-0000-000000000002","#,
///     r#""data":{"id":"00000000-0000-0000-0000-000000000002","properties":{"access_token":"HZ4M…"}}}"#, "\n"));
/// ```
pub fn export_line(
    integration: Uuid,
    kind: ResourceKind,
    id: Uuid,
    data: &str,
    masked: bool,
) -> String {
    let compact = compact_json(data);
    let data: Cow<'_, str> = if masked {
        match Redactor::new().mask(Mask::Prefix).redact(&compact) {
            Cow::Borrowed(_) => compact,
            Cow::Owned(s) => Cow::Owned(s),
        }
    } else {
        compact
    };
    let mut line = String::with_capacity(data.len() + 120);
    line.push_str("{\"integration_id\":\"");
    line.push_str(&integration.hyphenated().to_string());
    line.push_str("\",\"type\":\"");
    line.push_str(kind.table());
    line.push_str("\",\"id\":\"");
    line.push_str(&id.hyphenated().to_string());
    line.push_str("\",\"data\":");
    line.push_str(&data);
    line.push_str("}\n");
    line
}

/// `text` without the whitespace between JSON tokens (strings untouched);
/// borrowed when there was none.
fn compact_json(text: &str) -> Cow<'_, str> {
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut in_string = false;
    let mut escaped = false;
    let mut needs_work = false;
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if is_ws(b) {
            needs_work = true;
            break;
        }
    }
    if !needs_work {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    in_string = false;
    escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !(c.is_ascii() && is_ws(c as u8)) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_goes_but_strings_keep_theirs() {
        assert_eq!(
            compact_json("{ \"a b\" : [1, 2.50 ,\n\t\"x\\\" y\"] }"),
            "{\"a b\":[1,2.50,\"x\\\" y\"]}"
        );
        assert!(matches!(compact_json(r#"{"a":"b c"}"#), Cow::Borrowed(_)));
        assert_eq!(compact_json(r#"{"a":"\\" , "b":1}"#), r#"{"a":"\\","b":1}"#);
    }

    #[test]
    fn lines_mask_only_when_asked() {
        let data = r#"{"id":"x","client_secret":"abcdefghijkl"}"#;
        let id = Uuid::from_u128(3);
        let masked = export_line(id, ResourceKind::People, id, data, true);
        assert!(masked.contains(r#""client_secret":"abcd…""#), "{masked}");
        let clear = export_line(id, ResourceKind::People, id, data, false);
        assert!(clear.contains("abcdefghijkl"));
        assert!(clear.ends_with("}}\n"));
        let parsed: serde_json::Value = serde_json::from_str(clear.trim_end()).unwrap_or_default();
        assert_eq!(parsed["type"], "people");
        assert_eq!(parsed["data"]["client_secret"], "abcdefghijkl");
    }
}
