//! The value types of filterable fields, and how each is written in a filter.

use uuid::Uuid;

use crate::{ClassState, Role, SectionState, Timestamp, parse_id};

/// What kind of value a filterable field takes: how [`Filter::parse`] and
/// [`Filter::from_json`] check a value before any request.
///
/// [`Filter::parse`]: crate::Filter::parse
/// [`Filter::from_json`]: crate::Filter::from_json
///
/// ```
/// use edlink_model::filter::ValueKind;
///
/// assert_eq!(ValueKind::Id.to_string(), "a UUID");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueKind {
    /// An Edlink id (8-4-4-4-12 hex), written lowercase with hyphens.
    Id,
    /// A date-time, written in Edlink's form (`2021-07-13T17:45:40.486Z`).
    Date,
    /// Free text.
    Text,
    /// A value of the named open enum (any string is accepted).
    Enum(&'static str),
}

impl std::fmt::Display for ValueKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id => f.write_str("a UUID"),
            Self::Date => f.write_str("an RFC 3339 date-time"),
            Self::Text => f.write_str("text"),
            Self::Enum(name) => write!(f, "a {name} value"),
        }
    }
}

impl ValueKind {
    /// Checks `text` and returns it as Edlink should receive it, or why not.
    pub(crate) fn normalize(self, text: &str) -> Result<String, String> {
        match self {
            Self::Id => parse_id("value", text)
                .map(|id| id.hyphenated().to_string())
                .map_err(|_| "not a UUID like 77a69705-41a7-49cb-0fe8-ffd425f9716f".to_owned()),
            Self::Date => text
                .parse::<Timestamp>()
                .map(|t| t.to_string())
                .map_err(|e| {
                    format!(
                        "not a date-time ({}); expected e.g. 2021-07-13T17:45:40.486Z",
                        e.reason()
                    )
                }),
            Self::Text | Self::Enum(_) => Ok(text.to_owned()),
        }
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A type a typed filter field takes: how it is written in the filter.
/// Sealed: implemented for `Uuid`, [`Timestamp`], `String` and the enums of
/// filterable fields.
///
/// ```
/// use edlink_model::filter::FilterValue;
/// use edlink_model::Timestamp;
///
/// let t: Timestamp = "2021-07-13T17:45:40.486Z".parse()?;
/// assert_eq!(t.to_filter_string(), "2021-07-13T17:45:40.486Z");
/// # Ok::<(), edlink_model::TimestampError>(())
/// ```
pub trait FilterValue: sealed::Sealed {
    /// The kind of value, for the runtime field tables.
    const KIND: ValueKind;

    /// The value as written in the filter's `value` string.
    fn to_filter_string(&self) -> String;
}

impl sealed::Sealed for Uuid {}
impl FilterValue for Uuid {
    const KIND: ValueKind = ValueKind::Id;

    fn to_filter_string(&self) -> String {
        self.hyphenated().to_string()
    }
}

impl sealed::Sealed for Timestamp {}
impl FilterValue for Timestamp {
    const KIND: ValueKind = ValueKind::Date;

    /// Edlink's form: UTC, `Z`, milliseconds (more digits only when the
    /// instant has sub-millisecond precision, which rounding would change).
    fn to_filter_string(&self) -> String {
        self.to_string()
    }
}

impl sealed::Sealed for String {}
impl FilterValue for String {
    const KIND: ValueKind = ValueKind::Text;

    fn to_filter_string(&self) -> String {
        self.clone()
    }
}

macro_rules! enum_value {
    ($($ty:ident),+) => {$(
        impl sealed::Sealed for $ty {}
        impl FilterValue for $ty {
            const KIND: ValueKind = ValueKind::Enum(stringify!($ty));

            fn to_filter_string(&self) -> String {
                self.as_str().to_owned()
            }
        }
    )+};
}

enum_value!(ClassState, SectionState, Role);
