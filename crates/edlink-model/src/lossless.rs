//! The one macro behind every object of the model: typed fields, explicit
//! `null` kept apart from a missing key, and unknown members kept in `extra`
//! as the exact JSON text sent, so an object decoded and written back is the
//! JSON that came in (see the crate documentation for exactly what is kept).
//!
//! It does not use `#[serde(flatten)]`: flatten buffers every field of the
//! object into an intermediate `Content` tree, which makes a typed decode
//! slower than decoding into `serde_json::Value`. The hand-written map visitor
//! here reads each key once (borrowed from the input when it has no escapes),
//! matches it against the known names with a `match` on `&str`, and decodes
//! the value straight into its field.
//!
//! Duplicate keys: the last one wins, for known and unknown keys alike (as in
//! `serde_json::Value` and in JavaScript's `JSON.parse`).

use std::fmt;

use serde::de::{Deserialize, Deserializer, Visitor};

use crate::RawJson;
use crate::extra::DebugJson;

/// An object key as read from the input: borrowed when it had no escapes.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(s) => s,
            Self::Owned(s) => s,
        }
    }

    pub(crate) fn into_string(self) -> String {
        match self {
            Self::Borrowed(s) => s.to_owned(),
            Self::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }

            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }

            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Debugs as `null`: a field that arrived as an explicit JSON `null`.
pub(crate) struct Null;

impl fmt::Debug for Null {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null")
    }
}

/// How `Debug` shows one field: as its own `Debug`, or, for a [`RawJson`]
/// field (JSON kept as text), as compact JSON with secrets masked (like
/// `extra`). Chosen per field type by [`ViaJson`]/[`ViaDebug`] (autoref
/// specialization: the macro calls `(&FieldRef(&value)).field_debug()`).
pub(crate) enum FieldDebug<'a> {
    Plain(&'a dyn fmt::Debug),
    Json(&'a RawJson),
}

impl fmt::Debug for FieldDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Plain(value) => value.fmt(f),
            Self::Json(value) => DebugJson::value(value.as_str()).fmt(f),
        }
    }
}

/// A field's value, for [`ViaJson`]/[`ViaDebug`].
pub(crate) struct FieldRef<'a, T>(pub(crate) &'a T);

/// Picked for [`RawJson`] fields (no autoref needed).
pub(crate) trait ViaJson<'a> {
    fn field_debug(&self) -> FieldDebug<'a>;
}

impl<'a> ViaJson<'a> for FieldRef<'a, RawJson> {
    fn field_debug(&self) -> FieldDebug<'a> {
        FieldDebug::Json(self.0)
    }
}

/// Picked for every other field type.
pub(crate) trait ViaDebug<'a> {
    fn field_debug(&self) -> FieldDebug<'a>;
}

impl<'a, T: fmt::Debug> ViaDebug<'a> for &FieldRef<'a, T> {
    fn field_debug(&self) -> FieldDebug<'a> {
        FieldDebug::Plain(self.0)
    }
}

/// Declares a lossless Edlink object; see the module documentation.
///
/// ```text
/// lossless_struct! {
///     /// Docs.
///     pub struct Name("what `expecting` says, e.g. an integration object") {
///         required {            // optional section: fields that must be present
///             /// Docs.
///             id: Uuid = "id",
///         }
///         optional {            // `Option<T>` fields, in output order
///             /// Docs.
///             team_type: TeamType = "type",
///         }
///     }
/// }
/// ```
///
/// Generates the `#[non_exhaustive]` struct (`pub` fields, `pub extra`, a
/// private bitset of explicit nulls), `new(required…)` (and `Default` when
/// nothing is required), `FIELDS`, `is_null`, `set_null`, `Clone`,
/// `PartialEq`/`Eq` (as on the wire: `null` differs from missing),
/// `Deserialize`, `Serialize` and a `Debug` that shows present fields, `null`
/// for explicit nulls, omits missing ones and redacts secret-named keys of
/// `extra` and of JSON fields.
macro_rules! lossless_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($expecting:literal) {
            optional { $($optional:tt)* }
        }
    ) => {
        $crate::lossless::lossless_struct! {
            $(#[$meta])*
            pub struct $name($expecting) {
                required {}
                optional { $($optional)* }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident($expecting:literal) {
            required {
                $( $(#[$rmeta:meta])* $rfield:ident : $rty:ty = $rwire:literal, )*
            }
            optional {
                $( $(#[$ometa:meta])* $ofield:ident : $oty:ty = $owire:literal, )+
            }
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$rmeta])* pub $rfield: $rty, )*
            $( $(#[$ometa])* pub $ofield: Option<$oty>, )+
            /// Members this version of the SDK does not know, with their values
            /// as the exact JSON text sent, in the order sent; written back
            /// after the known fields. A key here that names a known field is
            /// skipped on output.
            pub extra: $crate::Extra,
            /// Bit `i` set: optional field `i` arrived as an explicit `null`.
            nulls: u64,
        }

        const _: () = {
            use ::serde::ser::SerializeMap as _;

            /// The bit of each optional field in `nulls`.
            #[allow(non_camel_case_types)]
            #[derive(Clone, Copy)]
            enum Bit { $( $ofield, )+ }

            assert!([$( $owire, )+].len() <= 64, "at most 64 optional fields");

            const fn bit(field: Bit) -> u64 {
                1u64 << (field as u32)
            }

            fn bit_of(key: &str) -> Option<u64> {
                match key {
                    $( $owire => Some(bit(Bit::$ofield)), )+
                    _ => None,
                }
            }

            fn is_known(key: &str) -> bool {
                matches!(key, $( $rwire | )* $( $owire )|+)
            }

            impl $name {
                /// The JSON keys of the known fields, in output order.
                pub const FIELDS: &'static [&'static str] = &[$( $rwire, )* $( $owire, )+];

                /// A value with the given required fields, every optional field
                /// missing and no extra keys.
                #[allow(clippy::new_without_default)]
                pub fn new($( $rfield: $rty ),*) -> Self {
                    Self {
                        $( $rfield, )*
                        $( $ofield: None, )+
                        extra: $crate::Extra::new(),
                        nulls: 0,
                    }
                }

                /// Whether the optional field with JSON key `key` arrived as an
                /// explicit `null` (and has not been set since). `false` for a
                /// missing field, a present one, or a key that is not an optional
                /// field.
                pub fn is_null(&self, key: &str) -> bool {
                    bit_of(key).is_some_and(|b| self.effective_nulls() & b != 0)
                }

                /// Clears the optional field with JSON key `key` and marks it as an
                /// explicit `null`, so it is written as `null`. Returns `false`
                /// (and changes nothing) when `key` is not an optional field.
                pub fn set_null(&mut self, key: &str) -> bool {
                    let Some(b) = bit_of(key) else { return false };
                    $( if b == bit(Bit::$ofield) { self.$ofield = None; } )+
                    self.nulls |= b;
                    true
                }

                /// The null bits of the fields that are still `None` (a field
                /// set after arriving as `null` is no longer null).
                fn effective_nulls(&self) -> u64 {
                    let mut nulls = self.nulls;
                    $( if self.$ofield.is_some() { nulls &= !bit(Bit::$ofield); } )+
                    nulls
                }
            }

            impl PartialEq for $name {
                /// Field by field, `extra` included; an explicit `null` differs
                /// from a missing field, as on the wire.
                fn eq(&self, other: &Self) -> bool {
                    $( self.$rfield == other.$rfield && )*
                    $( self.$ofield == other.$ofield && )+
                    self.extra == other.extra
                        && self.effective_nulls() == other.effective_nulls()
                }
            }

            impl Eq for $name {}

            impl<'de> ::serde::Deserialize<'de> for $name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct ObjectVisitor;

                    impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                        type Value = $name;

                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str($expecting)
                        }

                        fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                            #[allow(unused_imports)]
                            use $crate::field::{Field, OptionSeed, ViaOwnSeed as _, ViaSerde as _};
                            $( let mut $rfield: Option<$rty> = None; )*
                            $( let mut $ofield: Option<$oty> = None; )+
                            let mut nulls = 0u64;
                            let mut extra = $crate::Extra::new();
                            while let Some(key) = map.next_key::<$crate::lossless::Key<'de>>()? {
                                match key.as_str() {
                                    $( $rwire => {
                                        $rfield = Some(map.next_value_seed((&Field::<$rty>::NEW).seed())?);
                                    } )*
                                    $( $owire => {
                                        $ofield = map.next_value_seed(OptionSeed((&Field::<$oty>::NEW).seed()))?;
                                        if $ofield.is_some() {
                                            nulls &= !bit(Bit::$ofield);
                                        } else {
                                            nulls |= bit(Bit::$ofield);
                                        }
                                    } )+
                                    _ => {
                                        let value: $crate::RawJson = map.next_value()?;
                                        extra.push_decoded(key.into_string(), value);
                                    }
                                }
                            }
                            extra.finish_decoding();
                            Ok($name {
                                $( $rfield: $rfield.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field($rwire))?, )*
                                $( $ofield, )+
                                extra,
                                nulls,
                            })
                        }
                    }

                    deserializer.deserialize_map(ObjectVisitor)
                }
            }

            impl ::serde::Serialize for $name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    let mut map = serializer.serialize_map(None)?;
                    $( map.serialize_entry($rwire, &self.$rfield)?; )*
                    $( match &self.$ofield {
                        Some(value) => map.serialize_entry($owire, value)?,
                        None if self.nulls & bit(Bit::$ofield) != 0 => map.serialize_entry($owire, &())?,
                        None => {}
                    } )+
                    for (key, value) in self.extra.iter() {
                        if !is_known(key) {
                            map.serialize_entry(key, value)?;
                        }
                    }
                    map.end()
                }
            }

            impl ::std::fmt::Debug for $name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #[allow(unused_imports)]
                    use $crate::lossless::{FieldRef, ViaDebug as _, ViaJson as _};
                    let mut s = f.debug_struct(stringify!($name));
                    $( s.field(stringify!($rfield), &self.$rfield); )*
                    $( match &self.$ofield {
                        Some(value) => {
                            s.field(stringify!($ofield), &(&FieldRef(value)).field_debug());
                        }
                        None if self.nulls & bit(Bit::$ofield) != 0 => {
                            s.field(stringify!($ofield), &$crate::lossless::Null);
                        }
                        None => {}
                    } )+
                    if !self.extra.is_empty() {
                        s.field("extra", &self.extra);
                    }
                    s.finish()
                }
            }
        };
    };
}

pub(crate) use lossless_struct;
