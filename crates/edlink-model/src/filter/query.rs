//! [`Filter`]: a `$filter` for one kind of resource, its [`Condition`]s, and
//! its encoding (minified JSON, percent-encoded for the query string).

use std::fmt;
use std::marker::PhantomData;

use super::{FieldSpec, Operator};
use crate::Resource;

/// One `{"operator": …, "value": …}` entry of a field's list.
///
/// ```
/// use edlink_model::filter::{people, Operator};
///
/// let f = people::first_name().starts_with("So");
/// let (field, conditions) = f.fields().next().unwrap();
/// assert_eq!(field, "first_name");
/// assert_eq!(conditions[0].operator(), &Operator::StartsWith);
/// assert_eq!(conditions[0].value(), Some("So"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Condition {
    operator: Operator,
    /// `None` writes no `value` key (`is known`, `is unknown`).
    value: Option<String>,
}

impl Condition {
    pub(crate) fn new(operator: Operator, value: Option<String>) -> Self {
        Self { operator, value }
    }

    /// The operator.
    ///
    /// ```
    /// use edlink_model::filter::{people, Operator};
    ///
    /// let f = people::email().contains("@x");
    /// assert_eq!(f.fields().next().unwrap().1[0].operator(), &Operator::Contains);
    /// ```
    pub fn operator(&self) -> &Operator {
        &self.operator
    }

    /// The `value` string, `None` when the condition has no `value` key.
    ///
    /// ```
    /// use edlink_model::filter::people;
    ///
    /// let f = people::email().contains("@x").and(people::first_name().is_known());
    /// let values: Vec<Option<&str>> = f.fields().map(|(_, c)| c[0].value()).collect();
    /// assert_eq!(values, [Some("@x"), None]);
    /// ```
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

/// A resource whose listing takes a `$filter`: the documented filterable
/// fields and their operators, for [`Filter::parse`] and
/// [`Filter::from_json`] (and a CLI's help).
///
/// ```
/// use edlink_model::filter::{Filterable, Operator};
/// use edlink_model::Person;
///
/// let email = Person::FILTER_FIELDS.iter().find(|f| f.name == "email").unwrap();
/// assert_eq!(email.operators, &[Operator::Equals, Operator::StartsWith, Operator::Contains]);
/// ```
pub trait Filterable: Resource {
    /// The documented filterable fields, in the docs' order.
    const FILTER_FIELDS: &'static [FieldSpec];
}

/// A `$filter` for listings of `R`: for each field, a list of conditions,
/// all of which must hold (Edlink's docs only show AND).
///
/// Built three ways:
/// - typed, from the field functions of [`people`](super::people),
///   [`classes`](super::classes)…, which offer only the documented operators
///   and value types;
/// - at run time, from text or JSON, with [`Filter::parse`] and
///   [`Filter::from_json`], checked against the same tables;
/// - for a field or operator the docs do not list yet, with
///   [`Filter::custom`].
///
/// [`Filter::and`] combines filters; the same field twice appends to that
/// field's list. Encoding keeps the order fields and conditions were added in.
///
/// ```
/// use edlink_model::{Filter, Person};
/// use edlink_model::filter::people;
///
/// let f = people::first_name().equals("Sofia")
///     .and(people::email().starts_with("sofia."))
///     .and(people::email().contains("@example.com"));
/// assert_eq!(
///     f.to_json(),
///     r#"{"first_name":[{"operator":"equals","value":"Sofia"}],"email":[{"operator":"starts with","value":"sofia."},{"operator":"contains","value":"@example.com"}]}"#
/// );
/// assert_eq!(f, Filter::<Person>::parse(r#"first_name equals "Sofia""#)?
///     .and(Filter::parse("email starts with sofia.")?)
///     .and(Filter::parse("email contains @example.com")?));
/// # Ok::<(), edlink_model::filter::FilterError>(())
/// ```
pub struct Filter<R> {
    fields: Vec<(String, Vec<Condition>)>,
    resource: PhantomData<fn() -> R>,
}

impl<R> Filter<R> {
    /// A filter with no condition (encodes as `{}`; a client sends no
    /// `$filter` for it).
    ///
    /// ```
    /// assert!(edlink_model::Filter::<edlink_model::Person>::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self {
            fields: Vec::new(),
            resource: PhantomData,
        }
    }

    pub(crate) fn single(field: &str, condition: Condition) -> Self {
        Self {
            fields: vec![(field.to_owned(), vec![condition])],
            resource: PhantomData,
        }
    }

    pub(crate) fn push(&mut self, field: &str, condition: Condition) {
        match self.fields.iter_mut().find(|(name, _)| name == field) {
            Some((_, conditions)) => conditions.push(condition),
            None => self.fields.push((field.to_owned(), vec![condition])),
        }
    }

    /// The escape hatch: a condition on a field or with an operator the docs
    /// do not list yet, written exactly as given, with no check. `value:
    /// None` writes no `value` key; for `in`/`not in` give the one
    /// comma-separated string Edlink expects.
    ///
    /// ```
    /// use edlink_model::{Filter, Person};
    ///
    /// let f = Filter::<Person>::custom("school_ids", "equals", Some("00000000-0000-0000-0000-000000000001"));
    /// assert_eq!(f.to_json(), r#"{"school_ids":[{"operator":"equals","value":"00000000-0000-0000-0000-000000000001"}]}"#);
    /// let g = Filter::<Person>::custom("graduation_year", "is known", None);
    /// assert_eq!(g.to_json(), r#"{"graduation_year":[{"operator":"is known"}]}"#);
    /// ```
    pub fn custom(
        field: impl Into<String>,
        operator: impl Into<Operator>,
        value: Option<&str>,
    ) -> Self {
        let field = field.into();
        Self::single(
            &field,
            Condition::new(operator.into(), value.map(str::to_owned)),
        )
    }

    /// Both filters: `other`'s fields are added after this one's, and a field
    /// both have gets `other`'s conditions appended to its list.
    ///
    /// ```
    /// use edlink_model::filter::people;
    ///
    /// let f = people::last_name().starts_with("Pi").and(people::last_name().is_known());
    /// assert_eq!(f.to_json(), r#"{"last_name":[{"operator":"starts with","value":"Pi"},{"operator":"is known"}]}"#);
    /// ```
    #[must_use]
    pub fn and(mut self, other: Filter<R>) -> Self {
        for (field, conditions) in other.fields {
            for condition in conditions {
                self.push(&field, condition);
            }
        }
        self
    }

    /// Whether the filter has no condition.
    ///
    /// ```
    /// use edlink_model::filter::people;
    /// assert!(!people::id().equals(uuid::Uuid::nil()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The fields and their conditions, in encoding order.
    ///
    /// ```
    /// use edlink_model::filter::people;
    ///
    /// let f = people::display_name().contains("a").and(people::first_name().is_unknown());
    /// let names: Vec<&str> = f.fields().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["display_name", "first_name"]);
    /// ```
    pub fn fields(&self) -> impl Iterator<Item = (&str, &[Condition])> {
        self.fields
            .iter()
            .map(|(name, conditions)| (name.as_str(), conditions.as_slice()))
    }

    /// The `$filter` value as minified JSON, before URL encoding.
    ///
    /// ```
    /// use edlink_model::filter::people;
    /// assert_eq!(people::first_name().starts_with("z").to_json(), r#"{"first_name":[{"operator":"starts with","value":"z"}]}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64);
        out.push('{');
        for (i, (field, conditions)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_string(&mut out, field);
            out.push_str(":[");
            for (j, condition) in conditions.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str("{\"operator\":");
                push_json_string(&mut out, condition.operator.as_str());
                if let Some(value) = &condition.value {
                    out.push_str(",\"value\":");
                    push_json_string(&mut out, value);
                }
                out.push('}');
            }
            out.push(']');
        }
        out.push('}');
        out
    }

    /// The `$filter` value percent-encoded for a query string (every byte
    /// but RFC 3986's unreserved `A-Z a-z 0-9 - . _ ~` is escaped).
    ///
    /// ```
    /// use edlink_model::filter::people;
    /// assert_eq!(
    ///     people::first_name().starts_with("z").to_query_value(),
    ///     "%7B%22first_name%22%3A%5B%7B%22operator%22%3A%22starts%20with%22%2C%22value%22%3A%22z%22%7D%5D%7D"
    /// );
    /// ```
    pub fn to_query_value(&self) -> String {
        crate::encode_component(&self.to_json())
    }

    /// The query parameter, `$filter=<encoded JSON>`.
    ///
    /// ```
    /// use edlink_model::filter::people;
    /// assert!(people::last_name().is_known().to_query().starts_with("$filter=%7B%22last_name%22"));
    /// ```
    pub fn to_query(&self) -> String {
        format!("$filter={}", self.to_query_value())
    }
}

/// `value` as a JSON string literal. `Value`'s `Display` cannot fail, unlike
/// `serde_json::to_string`.
fn push_json_string(out: &mut String, value: &str) {
    use fmt::Write as _;
    // Writing to a `String` cannot fail.
    let _ = write!(out, "{}", serde_json::Value::String(value.to_owned()));
}

impl<R> Default for Filter<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R> Clone for Filter<R> {
    fn clone(&self) -> Self {
        Self {
            fields: self.fields.clone(),
            resource: PhantomData,
        }
    }
}

impl<R> PartialEq for Filter<R> {
    /// Same fields, conditions and order: the same encoding.
    fn eq(&self, other: &Self) -> bool {
        self.fields == other.fields
    }
}

impl<R> Eq for Filter<R> {}

impl<R> fmt::Debug for Filter<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Filter({})", self.to_json())
    }
}

impl<R> fmt::Display for Filter<R> {
    /// The minified JSON, as [`Filter::to_json`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Person;

    #[test]
    fn json_special_characters_are_escaped() {
        let f = Filter::<Person>::custom("first_name", "equals", Some("a\"b\\c\nd\u{1}é"));
        let json = f.to_json();
        assert_eq!(
            json,
            r#"{"first_name":[{"operator":"equals","value":"a\"b\\c\nd\u0001é"}]}"#
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back["first_name"][0]["value"], "a\"b\\c\nd\u{1}é");
    }

    fn assert_traits<T: Clone + fmt::Debug + Send + Sync + PartialEq + 'static>() {}

    #[test]
    fn filters_are_clone_debug_send_sync_partial_eq_whatever_the_resource() {
        assert_traits::<Filter<Person>>();
        // A resource type that is neither Send nor Sync nor Clone.
        assert_traits::<Filter<std::rc::Rc<std::cell::Cell<u8>>>>();
        assert_traits::<Condition>();
    }
}
