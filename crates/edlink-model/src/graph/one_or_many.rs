//! [`OneOrMany`]: a list that older Edlink schemas wrote as a single value.

use std::fmt;
use std::ops::Deref;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer,
    MapAccessDeserializer, StrDeserializer, StringDeserializer, U64Deserializer,
};
use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};

/// A list field that Edlink documents as an array but that older schemas (the
/// OpenAPI schema's `grade_levels` and `races`, the TypeScript SDK's `races`)
/// describe as a single value. Both forms decode; the form that came is
/// written back (`"05"` stays a string, `["05"]` stays an array).
///
/// It derefs to a slice, so code reads every form the same way; an
/// `Option<OneOrMany<T>>` field (missing or `null`) becomes a slice with
/// `as_deref().unwrap_or_default()`.
///
/// ```
/// use edlink_model::{GradeLevel, OneOrMany, Race};
///
/// let one: OneOrMany<GradeLevel> = serde_json::from_str(r#""05""#)?;
/// let many: OneOrMany<GradeLevel> = serde_json::from_str(r#"["05","06"]"#)?;
/// assert_eq!(one.as_slice(), &[GradeLevel::Grade05]);
/// assert_eq!(many.len(), 2);
/// assert_eq!(serde_json::to_string(&one)?, r#""05""#);
/// assert_eq!(serde_json::to_string(&many)?, r#"["05","06"]"#);
///
/// let races: Option<OneOrMany<Race>> = serde_json::from_str("null")?;
/// assert!(races.as_deref().unwrap_or_default().is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum OneOrMany<T> {
    /// A single value where a list was expected (older schemas).
    One(T),
    /// A JSON array, as documented.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values, one or many, as a slice.
    ///
    /// ```
    /// use edlink_model::OneOrMany;
    ///
    /// assert_eq!(OneOrMany::One(3).as_slice(), &[3]);
    /// assert_eq!(OneOrMany::Many(vec![1, 2]).as_slice(), &[1, 2]);
    /// ```
    pub fn as_slice(&self) -> &[T] {
        match self {
            Self::One(value) => std::slice::from_ref(value),
            Self::Many(values) => values,
        }
    }

    /// Whether the value came as a single value rather than an array.
    ///
    /// ```
    /// use edlink_model::OneOrMany;
    ///
    /// assert!(OneOrMany::One("x").is_scalar());
    /// assert!(!OneOrMany::Many(vec!["x"]).is_scalar());
    /// ```
    pub fn is_scalar(&self) -> bool {
        matches!(self, Self::One(_))
    }

    /// The values as a `Vec`, whatever form they came in.
    ///
    /// ```
    /// use edlink_model::OneOrMany;
    ///
    /// assert_eq!(OneOrMany::One(7).into_vec(), vec![7]);
    /// ```
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(value) => vec![value],
            Self::Many(values) => values,
        }
    }
}

impl<T> Deref for OneOrMany<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    /// An array, the documented form.
    fn from(values: Vec<T>) -> Self {
        Self::Many(values)
    }
}

impl<T: fmt::Debug> fmt::Debug for OneOrMany<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::One(value) => f.debug_tuple("One").field(value).finish(),
            Self::Many(values) => f.debug_tuple("Many").field(values).finish(),
        }
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::One(value) => value.serialize(serializer),
            Self::Many(values) => values.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    /// Looks at the JSON value once: an array decodes item by item, anything
    /// else is handed to `T` as it is, with no intermediate buffer.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
            type Value = OneOrMany<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array or a single value")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                // Cap the reservation: the hint comes from the input.
                let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(value) = seq.next_element()? {
                    values.push(value);
                }
                Ok(OneOrMany::Many(values))
            }

            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
                T::deserialize(BorrowedStrDeserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(StrDeserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
                T::deserialize(StringDeserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_bool<E: Error>(self, v: bool) -> Result<Self::Value, E> {
                T::deserialize(BoolDeserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
                T::deserialize(I64Deserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
                T::deserialize(U64Deserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
                T::deserialize(F64Deserializer::new(v)).map(OneOrMany::One)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }
        }

        deserializer.deserialize_any(OneOrManyVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::GradeLevel;

    #[test]
    fn scalars_and_arrays_round_trip_in_their_own_form() {
        for text in [r#""KG""#, r#"["KG","01"]"#, "[]", r#""AL""#] {
            let v: OneOrMany<GradeLevel> = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&v).unwrap(), text);
        }
    }

    #[test]
    fn a_wrong_item_type_is_an_error_not_a_panic() {
        let err = serde_json::from_str::<OneOrMany<GradeLevel>>("[1]").unwrap_err();
        assert!(err.to_string().contains("a string (GradeLevel)"), "{err}");
        let err = serde_json::from_str::<OneOrMany<GradeLevel>>("{}").unwrap_err();
        assert!(err.to_string().contains("a string (GradeLevel)"), "{err}");
        assert!(serde_json::from_str::<OneOrMany<u8>>("7").is_ok());
        assert!(serde_json::from_str::<OneOrMany<u8>>("null").is_err());
    }
}
