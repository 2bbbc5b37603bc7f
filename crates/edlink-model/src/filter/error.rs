//! [`FilterError`]: why a filter was refused before any request.

use std::fmt;

/// Why a filter was refused, before any request. Every message names the
/// field (and the resource for unknown fields) and says what is accepted.
///
/// ```
/// use edlink_model::{Filter, Person};
///
/// let err = Filter::<Person>::parse("shoe_size equals 9").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "the person filter has no field `shoe_size`; documented fields: id, updated_date, \
///      first_name, last_name, display_name, email (Filter::custom sends any other)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterError {
    /// The field is not filterable according to the docs.
    UnknownField {
        /// The resource's singular name, e.g. `person`.
        resource: &'static str,
        /// The field given.
        field: String,
        /// The documented filterable fields of the resource.
        accepted: Vec<&'static str>,
    },
    /// The field does not take this operator according to the docs.
    UnsupportedOperator {
        /// The field.
        field: String,
        /// The operator given.
        operator: String,
        /// The operators the field takes.
        accepted: Vec<&'static str>,
    },
    /// The operator needs a value and none was given.
    MissingValue {
        /// The field.
        field: String,
        /// The operator.
        operator: String,
    },
    /// `is known` / `is unknown` take no value, and one was given.
    UnexpectedValue {
        /// The field.
        field: String,
        /// The operator.
        operator: String,
    },
    /// The value is not of the field's kind (a UUID, a date-time).
    InvalidValue {
        /// The field.
        field: String,
        /// The value given (at most 64 characters of it).
        value: String,
        /// What was wrong.
        reason: String,
    },
    /// A value of `in` / `not in` contains a comma: Edlink reads those
    /// values as one comma-separated string, so it cannot be expressed.
    CommaInValue {
        /// The field.
        field: String,
        /// The operator.
        operator: String,
        /// The value given (at most 64 characters of it).
        value: String,
    },
    /// `in` / `not in` with no values, or with an empty one.
    EmptyList {
        /// The field.
        field: String,
        /// The operator.
        operator: String,
    },
    /// A text filter (`FIELD OPERATOR [VALUE]`) that could not be read.
    Syntax {
        /// The text given (at most 64 characters of it).
        input: String,
        /// What was wrong.
        reason: String,
    },
    /// A JSON filter that is not JSON, or not of the `$filter` shape.
    Json {
        /// Where (`$`, `$.email`, `$.email[1].value`), cut to 200
        /// characters and `…`.
        path: String,
        /// What was wrong (serde's messages carry the line and column), cut
        /// to 200 characters and `…`: serde repeats unknown member names.
        reason: String,
    },
}

pub(crate) fn clip(value: &str) -> String {
    value.chars().take(64).collect()
}

/// Longest JSON path or reason a [`FilterError::Json`] repeats.
const JSON_PART_CHARS: usize = 200;

/// `value`, cut to [`JSON_PART_CHARS`] with `…` when longer: a path or a
/// serde message repeats member names of the input (`unknown field
/// `<name>`, expected …`), which may be any length.
pub(crate) fn clip_json_part(value: String) -> String {
    match value.char_indices().nth(JSON_PART_CHARS) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value,
    }
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownField {
                resource,
                field,
                accepted,
            } if accepted.is_empty() => write!(
                f,
                "the {resource} filter has no field `{field}`: the docs list no filterable \
                 field for it (Filter::custom sends any)"
            ),
            Self::UnknownField {
                resource,
                field,
                accepted,
            } => write!(
                f,
                "the {resource} filter has no field `{field}`; documented fields: {} \
                 (Filter::custom sends any other)",
                accepted.join(", ")
            ),
            Self::UnsupportedOperator {
                field,
                operator,
                accepted,
            } => write!(
                f,
                "`{field}` does not take the operator `{operator}`; it takes: {}",
                accepted.join(", ")
            ),
            Self::MissingValue { field, operator } => {
                write!(f, "`{field} {operator}` needs a value")
            }
            Self::UnexpectedValue { field, operator } => {
                write!(f, "`{field} {operator}` takes no value")
            }
            Self::InvalidValue {
                field,
                value,
                reason,
            } => write!(f, "`{field}`: {value:?} is {reason}"),
            Self::CommaInValue {
                field,
                operator,
                value,
            } => write!(
                f,
                "`{field} {operator}`: the value {value:?} contains a comma, which `{operator}` \
                 cannot express (Edlink reads its values as one comma-separated string)"
            ),
            Self::EmptyList { field, operator } => write!(
                f,
                "`{field} {operator}` needs at least one value, and no empty one"
            ),
            Self::Syntax { input, reason } => write!(
                f,
                "cannot read the filter {input:?}: {reason}; expected FIELD OPERATOR [VALUE], \
                 e.g. first_name starts with \"So\""
            ),
            Self::Json { path, reason } => write!(f, "invalid $filter JSON at {path}: {reason}"),
        }
    }
}

impl std::error::Error for FilterError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_parts_are_cut_to_a_bound_with_a_mark() {
        assert_eq!(clip_json_part("short".to_owned()), "short");
        let long = format!("unknown field `{}`, expected `operator`", "é".repeat(5_000));
        let cut = clip_json_part(long);
        assert_eq!(cut.chars().count(), JSON_PART_CHARS + 1);
        assert!(
            cut.starts_with("unknown field `éé") && cut.ends_with('…'),
            "{cut}"
        );
    }

    #[test]
    fn a_bad_quoted_value_is_echoed_clipped() {
        let long = format!("role equals \"{}\"x", "s".repeat(5_000));
        let err = crate::Filter::<crate::Enrollment>::parse(&long).unwrap_err();
        assert!(matches!(err, FilterError::Syntax { .. }), "{err:?}");
        assert!(err.to_string().chars().count() < 400, "{err}");
        let long = format!("role equals '{}", "s".repeat(5_000));
        let err = crate::Filter::<crate::Enrollment>::parse(&long).unwrap_err();
        assert!(err.to_string().chars().count() < 400, "{err}");
    }
}
