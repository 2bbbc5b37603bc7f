//! The one macro behind every forward-compatible string enum of the model.
//!
//! Edlink grows its enums without notice (see the fact sheet: "every enum has
//! grown over time"), so each enum keeps a value it does not know in an
//! `Unknown` variant and writes it back unchanged.
//!
//! The unknown value is opaque ([`UnknownValue`], as smithy-rs does): a user
//! cannot build `Unknown("INVALID_CURSOR")`, which would serialize like
//! `InvalidCursor` but compare unequal to it. Every way in (`From<&str>`,
//! `FromStr`, serde) maps a known value to its variant.

use std::fmt;

/// A value of an open enum that this version of the SDK does not know, kept as
/// sent. Read it with [`as_str`](Self::as_str); it cannot be built from
/// outside the crate, so an `Unknown` never holds a known value.
///
/// ```
/// use edlink_model::ErrorCode;
///
/// let code = ErrorCode::from("SOMETHING_NEW");
/// match &code {
///     ErrorCode::Unknown(value) => assert_eq!(value.as_str(), "SOMETHING_NEW"),
///     _ => unreachable!(),
/// }
/// // A known value always becomes its variant.
/// assert_eq!(ErrorCode::from("INVALID_CURSOR"), ErrorCode::InvalidCursor);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(pub(crate) String);

impl UnknownValue {
    /// The value as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Declares a `#[non_exhaustive]` string enum with an opaque `Unknown` fallback,
/// `as_str`, `Display`, `FromStr` (infallible), `Serialize` and `Deserialize`.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown($crate::UnknownValue),
        }

        impl $name {
            /// The value as Edlink writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(other) => other.as_str(),
                }
            }

            /// Whether the value is one this version of the SDK does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            fn from_wire(value: &str) -> Option<Self> {
                match value {
                    $( $wire => Some(Self::$variant), )+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $( Self::$variant => f.write_str(stringify!($variant)), )+
                    Self::Unknown(other) => f.debug_tuple("Unknown").field(other).finish(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
                    .unwrap_or_else(|| Self::Unknown($crate::UnknownValue(value.to_owned())))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::from_wire(&value).unwrap_or(Self::Unknown($crate::UnknownValue(value)))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a string (", stringify!($name), ")"))
                    }

                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> Result<$name, E> {
                        Ok($name::from(value))
                    }

                    fn visit_string<E: ::serde::de::Error>(self, value: String) -> Result<$name, E> {
                        Ok($name::from(value))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

pub(crate) use string_enum;
