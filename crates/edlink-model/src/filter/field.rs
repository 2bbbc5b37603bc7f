//! [`Field`]: a typed filterable field, and [`FieldSpec`]: its run-time
//! description.

use std::fmt;
use std::marker::PhantomData;

use super::ops::{
    SupportsContains, SupportsEquals, SupportsIn, SupportsKnown, SupportsRange, SupportsStartsWith,
};
use super::{Condition, Filter, FilterError, FilterValue, Operator, ValueKind};

/// A filterable field of resource `R`, taking values of type `V`, with the
/// operators of set `O` (see [`ops`](super::ops)). It has a method for each
/// operator of its set and no other: `updated_date().contains(…)` does not
/// compile. Get one from the field functions of [`people`](super::people),
/// [`classes`](super::classes)…
///
/// ```
/// use edlink_model::filter::people;
///
/// let f = people::first_name().starts_with("So");
/// assert_eq!(f.to_json(), r#"{"first_name":[{"operator":"starts with","value":"So"}]}"#);
/// ```
///
/// A date field has no `contains` (the value is a valid date, only the
/// operator is refused):
///
/// ```compile_fail
/// use edlink_model::filter::people;
/// use edlink_model::Timestamp;
///
/// let t: Timestamp = "2021-07-13T17:45:40.486Z".parse().unwrap();
/// let f = people::updated_date().contains(t);
/// ```
///
/// while `gt` on it, and `contains` on a text field, compile:
///
/// ```
/// use edlink_model::filter::people;
/// use edlink_model::Timestamp;
///
/// let t: Timestamp = "2021-07-13T17:45:40.486Z".parse().unwrap();
/// let f = people::updated_date().gt(t);
/// let g = people::display_name().contains("2021");
/// ```
///
/// A field the docs do not list as filterable has no function (a course's
/// `name`):
///
/// ```compile_fail
/// let f = edlink_model::filter::courses::name();
/// ```
///
/// and filters of two resources do not mix:
///
/// ```compile_fail
/// use edlink_model::filter::{classes, people};
///
/// let f = people::first_name().equals("x").and(classes::name().equals("y"));
/// ```
pub struct Field<R, V, O> {
    name: &'static str,
    types: PhantomData<Markers<R, V, O>>,
}

/// Variance and auto traits of a function: a `Field` is `Send + Sync + Copy`
/// whatever `R`, `V` and `O` are.
type Markers<R, V, O> = fn() -> (R, V, O);

impl<R, V, O> Field<R, V, O> {
    pub(crate) const fn new(name: &'static str) -> Self {
        Self {
            name,
            types: PhantomData,
        }
    }

    /// The field's JSON name.
    ///
    /// ```
    /// assert_eq!(edlink_model::filter::enrollments::class_id().name(), "class_id");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.name
    }

    fn condition(self, operator: Operator, value: Option<String>) -> Filter<R> {
        Filter::single(self.name, Condition::new(operator, value))
    }
}

impl<R, V: FilterValue, O> Field<R, V, O> {
    fn list(
        self,
        operator: Operator,
        values: impl IntoIterator<Item = impl Into<V>>,
    ) -> Result<Filter<R>, FilterError> {
        let values: Vec<String> = values
            .into_iter()
            .map(|v| v.into().to_filter_string())
            .collect();
        let joined = join_list(self.name, &operator, &values)?;
        Ok(self.condition(operator, Some(joined)))
    }
}

/// The one comma-separated string of `in` / `not in`, refusing what it
/// cannot express: no value, an empty value, a value with a comma.
pub(crate) fn join_list(
    field: &str,
    operator: &Operator,
    values: &[String],
) -> Result<String, FilterError> {
    if values.is_empty() || values.iter().any(String::is_empty) {
        return Err(FilterError::EmptyList {
            field: field.to_owned(),
            operator: operator.to_string(),
        });
    }
    if let Some(bad) = values.iter().find(|v| v.contains(',')) {
        return Err(FilterError::CommaInValue {
            field: field.to_owned(),
            operator: operator.to_string(),
            value: super::error::clip(bad),
        });
    }
    Ok(values.join(","))
}

impl<R, V: FilterValue, O: SupportsEquals> Field<R, V, O> {
    /// `equals`: exact, case sensitive.
    ///
    /// ```
    /// use edlink_model::filter::classes;
    /// use edlink_model::ClassState;
    ///
    /// assert_eq!(classes::state().equals(ClassState::Active).to_json(), r#"{"state":[{"operator":"equals","value":"active"}]}"#);
    /// ```
    pub fn equals(self, value: impl Into<V>) -> Filter<R> {
        let value = value.into().to_filter_string();
        self.condition(Operator::Equals, Some(value))
    }
}

impl<R, V: FilterValue, O: SupportsStartsWith> Field<R, V, O> {
    /// `starts with`: case insensitive.
    ///
    /// ```
    /// use edlink_model::filter::schools;
    /// assert_eq!(schools::name().starts_with("Spring").to_json(), r#"{"name":[{"operator":"starts with","value":"Spring"}]}"#);
    /// ```
    pub fn starts_with(self, value: impl Into<V>) -> Filter<R> {
        let value = value.into().to_filter_string();
        self.condition(Operator::StartsWith, Some(value))
    }
}

impl<R, V: FilterValue, O: SupportsContains> Field<R, V, O> {
    /// `contains`: case insensitive.
    ///
    /// ```
    /// use edlink_model::filter::people;
    /// assert_eq!(people::email().contains("@example.com").to_json(), r#"{"email":[{"operator":"contains","value":"@example.com"}]}"#);
    /// ```
    pub fn contains(self, value: impl Into<V>) -> Filter<R> {
        let value = value.into().to_filter_string();
        self.condition(Operator::Contains, Some(value))
    }
}

impl<R, V: FilterValue, O: SupportsIn> Field<R, V, O> {
    /// `in`: equals one of `values` (sent as one comma-separated string).
    /// Refused when `values` is empty, or a value is empty or contains a comma.
    ///
    /// ```
    /// use edlink_model::filter::{people, FilterError};
    /// use uuid::Uuid;
    ///
    /// let f = people::id().is_in([Uuid::from_u128(1), Uuid::from_u128(2)])?;
    /// assert_eq!(f.to_json(), r#"{"id":[{"operator":"in","value":"00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002"}]}"#);
    /// assert!(matches!(people::last_name().is_in(["Smith, Jr."]), Err(FilterError::CommaInValue { .. })));
    /// # Ok::<(), FilterError>(())
    /// ```
    pub fn is_in(
        self,
        values: impl IntoIterator<Item = impl Into<V>>,
    ) -> Result<Filter<R>, FilterError> {
        self.list(Operator::In, values)
    }

    /// `not in`: equals none of `values`; refused as [`Field::is_in`] is.
    ///
    /// ```
    /// use edlink_model::filter::enrollments;
    /// use edlink_model::Role;
    ///
    /// let f = enrollments::role().not_in([Role::Student, Role::Observer])?;
    /// assert_eq!(f.to_json(), r#"{"role":[{"operator":"not in","value":"student,observer"}]}"#);
    /// # Ok::<(), edlink_model::filter::FilterError>(())
    /// ```
    pub fn not_in(
        self,
        values: impl IntoIterator<Item = impl Into<V>>,
    ) -> Result<Filter<R>, FilterError> {
        self.list(Operator::NotIn, values)
    }
}

impl<R, V, O: SupportsKnown> Field<R, V, O> {
    /// `is known`: not null.
    ///
    /// ```
    /// use edlink_model::filter::courses;
    /// assert_eq!(courses::code().is_known().to_json(), r#"{"code":[{"operator":"is known"}]}"#);
    /// ```
    pub fn is_known(self) -> Filter<R> {
        self.condition(Operator::IsKnown, None)
    }

    /// `is unknown`: null.
    ///
    /// ```
    /// use edlink_model::filter::courses;
    /// assert_eq!(courses::code().is_unknown().to_json(), r#"{"code":[{"operator":"is unknown"}]}"#);
    /// ```
    pub fn is_unknown(self) -> Filter<R> {
        self.condition(Operator::IsUnknown, None)
    }
}

impl<R, V: FilterValue, O: SupportsRange> Field<R, V, O> {
    /// `gt`: after (greater than).
    ///
    /// ```
    /// use edlink_model::filter::people;
    /// let since: edlink_model::Timestamp = "2021-07-13T17:45:40.486Z".parse()?;
    /// assert_eq!(people::updated_date().gt(since).to_json(), r#"{"updated_date":[{"operator":"gt","value":"2021-07-13T17:45:40.486Z"}]}"#);
    /// # Ok::<(), edlink_model::TimestampError>(())
    /// ```
    pub fn gt(self, value: impl Into<V>) -> Filter<R> {
        let value = value.into().to_filter_string();
        self.condition(Operator::Gt, Some(value))
    }

    /// `gte`: at or after.
    ///
    /// ```
    /// use edlink_model::filter::sessions;
    /// let t: edlink_model::Timestamp = "2021-07-01T00:00:00+00:00".parse()?;
    /// assert_eq!(sessions::start_date().gte(t).to_json(), r#"{"start_date":[{"operator":"gte","value":"2021-07-01T00:00:00.000Z"}]}"#);
    /// # Ok::<(), edlink_model::TimestampError>(())
    /// ```
    pub fn gte(self, value: impl Into<V>) -> Filter<R> {
        let value = value.into().to_filter_string();
        self.condition(Operator::Gte, Some(value))
    }

    /// `lt`: before.
    ///
    /// ```
    /// use edlink_model::filter::sessions;
    /// let t: edlink_model::Timestamp = "2022-01-01T00:00:00.000Z".parse()?;
    /// assert_eq!(sessions::end_date().lt(t).to_json(), r#"{"end_date":[{"operator":"lt","value":"2022-01-01T00:00:00.000Z"}]}"#);
    /// # Ok::<(), edlink_model::TimestampError>(())
    /// ```
    pub fn lt(self, value: impl Into<V>) -> Filter<R> {
        let value = value.into().to_filter_string();
        self.condition(Operator::Lt, Some(value))
    }

    /// `lte`: at or before.
    ///
    /// ```
    /// use edlink_model::filter::classes;
    /// let t: edlink_model::Timestamp = "2022-01-01T00:00:00.000Z".parse()?;
    /// assert_eq!(classes::updated_date().lte(t).to_json(), r#"{"updated_date":[{"operator":"lte","value":"2022-01-01T00:00:00.000Z"}]}"#);
    /// # Ok::<(), edlink_model::TimestampError>(())
    /// ```
    pub fn lte(self, value: impl Into<V>) -> Filter<R> {
        let value = value.into().to_filter_string();
        self.condition(Operator::Lte, Some(value))
    }
}

impl<R, V, O> Clone for Field<R, V, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, V, O> Copy for Field<R, V, O> {}

impl<R, V, O> fmt::Debug for Field<R, V, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Field({})", self.name)
    }
}

/// The run-time description of a filterable field: its name, the kind of
/// value it takes and its operators, in the docs' order.
///
/// ```
/// use edlink_model::filter::{Filterable, Operator, ValueKind};
/// use edlink_model::Enrollment;
///
/// let role = Enrollment::FILTER_FIELDS.iter().find(|f| f.name == "role").unwrap();
/// assert_eq!(role.value, ValueKind::Enum("Role"));
/// assert!(role.accepts(&Operator::IsUnknown));
/// assert!(!role.accepts(&Operator::Contains));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldSpec {
    /// The field's JSON name.
    pub name: &'static str,
    /// The kind of value it takes.
    pub value: ValueKind,
    /// The operators it takes.
    pub operators: &'static [Operator],
}

impl FieldSpec {
    pub(crate) const fn new(
        name: &'static str,
        value: ValueKind,
        operators: &'static [Operator],
    ) -> Self {
        Self {
            name,
            value,
            operators,
        }
    }

    /// Whether the field takes `operator`.
    ///
    /// ```
    /// use edlink_model::filter::{Filterable, Operator};
    /// use edlink_model::Person;
    ///
    /// assert!(Person::FILTER_FIELDS[0].accepts(&Operator::In));
    /// ```
    pub fn accepts(&self, operator: &Operator) -> bool {
        self.operators.contains(operator)
    }

    /// The names of the operators it takes.
    ///
    /// ```
    /// use edlink_model::filter::Filterable;
    /// use edlink_model::Person;
    ///
    /// assert_eq!(Person::FILTER_FIELDS[0].operator_names(), ["equals", "in", "not in"]);
    /// ```
    pub fn operator_names(&self) -> Vec<&'static str> {
        self.operators.iter().map(Operator::as_str).collect()
    }
}
