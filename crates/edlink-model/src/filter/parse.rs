//! Building a [`Filter`] at run time, from a CLI's text
//! (`first_name starts with "So"`) or from `$filter` JSON, checked against the
//! resource's documented fields ([`Filterable::FILTER_FIELDS`]).

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use super::error::{clip, clip_json_part};
use super::field::join_list;
use super::{Condition, FieldSpec, Filter, FilterError, Filterable, Operator};
use crate::OneOrMany;

/// A condition's value as given, before it is checked.
enum Given {
    None,
    /// One string; for `in`/`not in`, the comma-separated list.
    One(String),
    /// Already split (an unquoted CLI list, or a JSON array).
    List(Vec<String>),
}

fn spec_of<R: Filterable>(field: &str) -> Result<&'static FieldSpec, FilterError> {
    R::FILTER_FIELDS
        .iter()
        .find(|spec| spec.name == field)
        .ok_or_else(|| FilterError::UnknownField {
            resource: R::NAME,
            field: clip(field),
            accepted: R::FILTER_FIELDS.iter().map(|spec| spec.name).collect(),
        })
}

fn operator_of(spec: &FieldSpec, text: &str) -> Result<Operator, FilterError> {
    let operator = Operator::from(text);
    if spec.accepts(&operator) {
        Ok(operator)
    } else {
        Err(FilterError::UnsupportedOperator {
            field: spec.name.to_owned(),
            operator: clip(text),
            accepted: spec.operator_names(),
        })
    }
}

/// Checks the value against the operator and the field's kind, and writes it
/// as Edlink should receive it.
fn condition(spec: &FieldSpec, operator: Operator, given: Given) -> Result<Condition, FilterError> {
    let field = spec.name.to_owned();
    let normalize = |text: &str| {
        spec.value
            .normalize(text)
            .map_err(|reason| FilterError::InvalidValue {
                field: field.clone(),
                value: clip(text),
                reason,
            })
    };
    if !operator.takes_value() {
        return match given {
            Given::None => Ok(Condition::new(operator, None)),
            _ => Err(FilterError::UnexpectedValue {
                field,
                operator: operator.to_string(),
            }),
        };
    }
    let value = match (given, operator.takes_list()) {
        (Given::None, _) => {
            return Err(FilterError::MissingValue {
                field,
                operator: operator.to_string(),
            });
        }
        (Given::One(text), false) => normalize(&text)?,
        (Given::List(items), false) => {
            return Err(FilterError::InvalidValue {
                field,
                value: clip(&items.join(",")),
                reason: format!(
                    "a list, which only `in` and `not in` take; `{operator}` takes one value"
                ),
            });
        }
        (given, true) => {
            let items: Vec<String> = match given {
                Given::One(text) => text.split(',').map(str::to_owned).collect(),
                Given::List(items) => items,
                Given::None => Vec::new(),
            };
            // Empty items and commas are refused by `join_list`; check them
            // first so its message, not a kind mismatch, explains them.
            join_list(spec.name, &operator, &items)?;
            let items = items
                .iter()
                .map(|item| normalize(item))
                .collect::<Result<Vec<_>, _>>()?;
            join_list(spec.name, &operator, &items)?
        }
    };
    Ok(Condition::new(operator, Some(value)))
}

/// The first whitespace-separated word of `text` and the rest after it.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(end) => (&text[..end], &text[end..]),
        None => (text, ""),
    }
}

/// The value part of a text filter: `"…"` (a JSON string, with escapes),
/// `'…'` (literal) or bare text. Returns the text and whether it was quoted.
fn unquote(text: &str, input: &str) -> Result<(String, bool), FilterError> {
    let syntax = |reason: String| FilterError::Syntax {
        input: clip(input),
        reason,
    };
    if text.starts_with('"') {
        serde_json::from_str::<String>(text)
            .map(|s| (s, true))
            .map_err(|e| {
                syntax(format!(
                    "the value {} is not one double-quoted string ({e})",
                    clip(text)
                ))
            })
    } else if let Some(rest) = text.strip_prefix('\'') {
        match rest.strip_suffix('\'') {
            Some(inner) if !inner.contains('\'') => Ok((inner.to_owned(), true)),
            _ => Err(syntax(format!(
                "the value {} is not one single-quoted string",
                clip(text)
            ))),
        }
    } else {
        Ok((text.to_owned(), false))
    }
}

impl<R: Filterable> Filter<R> {
    /// Reads one condition written `FIELD OPERATOR [VALUE]`, as a CLI's
    /// `--filter` takes it, and checks it against the resource's documented
    /// fields, operators and value kinds.
    ///
    /// - The operator is one of Edlink's, any case: `equals`, `starts with`,
    ///   `contains`, `in`, `not in`, `is known`, `is unknown`, `gt`, `gte`,
    ///   `lt`, `lte`.
    /// - The value is bare text (to the end, trimmed), `"double-quoted"`
    ///   (JSON escapes) or `'single-quoted'` (literal); `is known` and
    ///   `is unknown` take none.
    /// - For `in` / `not in` the value is a comma-separated list; bare items
    ///   are trimmed, quoted ones are not.
    /// - Ids must be UUIDs and dates RFC 3339; both are written in Edlink's
    ///   form.
    ///
    /// Combine several with [`Filter::and`].
    ///
    /// ```
    /// use edlink_model::{Enrollment, Filter, Person};
    ///
    /// let f = Filter::<Person>::parse(r#"first_name starts with "So""#)?;
    /// assert_eq!(f.to_json(), r#"{"first_name":[{"operator":"starts with","value":"So"}]}"#);
    ///
    /// let g = Filter::<Enrollment>::parse("role in student, teacher")?;
    /// assert_eq!(g.to_json(), r#"{"role":[{"operator":"in","value":"student,teacher"}]}"#);
    ///
    /// let err = Filter::<Person>::parse("updated_date contains 2021").unwrap_err();
    /// assert_eq!(err.to_string(), "`updated_date` does not take the operator `contains`; it takes: equals, gt, lt, gte, lte");
    /// # Ok::<(), edlink_model::filter::FilterError>(())
    /// ```
    pub fn parse(expr: &str) -> Result<Self, FilterError> {
        let syntax = |reason: &str| FilterError::Syntax {
            input: clip(expr),
            reason: reason.to_owned(),
        };
        let (field, rest) = split_word(expr);
        if field.is_empty() {
            return Err(syntax("it is empty"));
        }
        let spec = spec_of::<R>(field)?;
        let (first, mut rest) = split_word(rest);
        if first.is_empty() {
            return Err(syntax(&format!("no operator after `{field}`")));
        }
        let mut operator_text = first.to_ascii_lowercase();
        if matches!(operator_text.as_str(), "starts" | "not" | "is") {
            let (second, after) = split_word(rest);
            let joined = format!("{operator_text} {}", second.to_ascii_lowercase());
            if Operator::ALL.iter().any(|op| op.as_str() == joined) {
                operator_text = joined;
                rest = after;
            }
        }
        let operator = operator_of(spec, &operator_text)?;
        let value_text = rest.trim();
        let given = if value_text.is_empty() {
            Given::None
        } else {
            let (text, quoted) = unquote(value_text, expr)?;
            if operator.takes_list() && !quoted {
                Given::List(text.split(',').map(|s| s.trim().to_owned()).collect())
            } else {
                Given::One(text)
            }
        };
        Ok(Self::single(spec.name, condition(spec, operator, given)?))
    }

    /// Reads a `$filter` JSON object (pretty-printed or not), as a CLI's
    /// `--filter-json` takes it, and checks every condition as
    /// [`Filter::parse`] does. Field and condition order is kept; a field
    /// given twice gets its lists joined. `in`/`not in` also accept a JSON
    /// array of strings, sent as the documented comma-separated string.
    ///
    /// ```
    /// use edlink_model::{Filter, Person};
    ///
    /// let f = Filter::<Person>::from_json(r#"{ "first_name": [ { "operator": "starts with", "value": "z" } ] }"#)?;
    /// assert_eq!(f.to_json(), r#"{"first_name":[{"operator":"starts with","value":"z"}]}"#);
    ///
    /// let err = Filter::<Person>::from_json(r#"{"first_name":[{"operator":"starts with","value":3}]}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("invalid $filter JSON at $.first_name[0].value: invalid type: integer `3`"), "{err}");
    /// # Ok::<(), edlink_model::filter::FilterError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, FilterError> {
        let mut de = serde_json::Deserializer::from_str(json);
        let raw: RawFilter = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            FilterError::Json {
                path: clip_json_part(if path == "." {
                    "$".to_owned()
                } else {
                    format!("$.{path}")
                }),
                reason: clip_json_part(e.into_inner().to_string()),
            }
        })?;
        de.end().map_err(|e| FilterError::Json {
            path: "$".to_owned(),
            reason: clip_json_part(e.to_string()),
        })?;
        let mut filter = Self::new();
        for (field, conditions) in raw.0 {
            let spec = spec_of::<R>(&field)?;
            for raw in conditions {
                let operator = operator_of(spec, &raw.operator)?;
                let given = match raw.value {
                    None => Given::None,
                    Some(OneOrMany::One(text)) => Given::One(text),
                    Some(OneOrMany::Many(items)) => Given::List(items),
                };
                filter.push(spec.name, condition(spec, operator, given)?);
            }
        }
        Ok(filter)
    }
}

/// A `$filter` object as written, fields in order.
struct RawFilter(Vec<(String, Vec<RawCondition>)>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    operator: String,
    /// Missing and `null` both mean no value.
    #[serde(default)]
    value: Option<OneOrMany<String>>,
}

impl<'de> Deserialize<'de> for RawFilter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawFilterVisitor;

        impl<'de> Visitor<'de> for RawFilterVisitor {
            type Value = RawFilter;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a $filter object such as {"first_name":[{"operator":"equals","value":"Sofia"}]}"#)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFilter, A::Error> {
                let mut fields = Vec::new();
                while let Some(field) = map.next_key::<String>()? {
                    let conditions: Vec<RawCondition> = map.next_value()?;
                    fields.push((field, conditions));
                }
                Ok(RawFilter(fields))
            }
        }

        deserializer.deserialize_map(RawFilterVisitor)
    }
}
