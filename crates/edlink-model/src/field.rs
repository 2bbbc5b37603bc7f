//! How a lossless object reads each field's value: through the type's own
//! `Deserialize`, or, for ids, through a newtype that lets the fast JSON path
//! (`crate::json`) read them directly.
//!
//! Ids are the most frequent value of every Edlink object (seven per
//! integration, more in the Graph models), and through serde each one costs a
//! generic string scan, then `uuid`'s parser behind its serde visitor: about
//! 300 instructions. Here an id asks for itself as a newtype named
//! [`UUID_NEWTYPE`] (the pattern `serde_json`'s `RawValue` uses): the fast
//! path, seeing the name, checks for a quoted 36-byte string and hands it to
//! `uuid`'s own parser (`Uuid::try_parse_ascii`), about 110 instructions; any
//! other deserializer (`serde_json`, `serde_json::Value`, serde's buffered
//! content) treats an unknown newtype as its inner value and calls
//! `visit_newtype_struct`, where `Uuid::deserialize` runs exactly as before,
//! errors included. Lists of ids do the same with [`UUIDS_NEWTYPE`].
//!
//! The choice per field type is made in `lossless_struct!` by autoref
//! specialization: `(&Field::<T>::NEW).seed()` finds [`ViaOwnSeed`] for
//! `Field<Uuid>` and `Field<Vec<Uuid>>`, and [`ViaSerde`] (one autoref
//! further) for every other type.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use uuid::Uuid;

/// The newtype name under which an id asks to be read.
pub(crate) const UUID_NEWTYPE: &str = "$edlink_model::private::Uuid";
/// The newtype name under which a list of ids asks to be read.
pub(crate) const UUIDS_NEWTYPE: &str = "$edlink_model::private::Uuids";

/// A field type, for choosing how its value is read.
pub(crate) struct Field<T>(PhantomData<T>);

impl<T> Field<T> {
    pub(crate) const NEW: Self = Field(PhantomData);
}

/// Picked for the types with a reader of their own.
pub(crate) trait ViaOwnSeed {
    type Seed;
    fn seed(&self) -> Self::Seed;
}

impl ViaOwnSeed for Field<Uuid> {
    type Seed = UuidSeed;
    fn seed(&self) -> UuidSeed {
        UuidSeed
    }
}

impl ViaOwnSeed for Field<Vec<Uuid>> {
    type Seed = UuidsSeed;
    fn seed(&self) -> UuidsSeed {
        UuidsSeed
    }
}

/// Picked for every other type: its own `Deserialize`.
pub(crate) trait ViaSerde {
    type Seed;
    fn seed(&self) -> Self::Seed;
}

impl<T> ViaSerde for &Field<T> {
    type Seed = PhantomData<T>;
    fn seed(&self) -> PhantomData<T> {
        PhantomData
    }
}

/// An optional field: `null` is `None`, anything else is read by `S`. The
/// same visitor calls as serde's own `Option<T>`.
pub(crate) struct OptionSeed<S>(pub(crate) S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for OptionSeed<S> {
    type Value = Option<S::Value>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(OptionVisitor(self.0))
    }
}

struct OptionVisitor<S>(S);

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for OptionVisitor<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    #[inline]
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    #[inline]
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(deserializer).map(Some)
    }
}

/// Reads one id (see the module documentation).
pub(crate) struct UuidSeed;

impl<'de> DeserializeSeed<'de> for UuidSeed {
    type Value = Uuid;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Uuid, D::Error> {
        deserializer.deserialize_newtype_struct(UUID_NEWTYPE, UuidVisitor)
    }
}

struct UuidVisitor;

impl<'de> Visitor<'de> for UuidVisitor {
    type Value = Uuid;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a formatted UUID string")
    }

    /// The fast path's answer: the id, already parsed.
    #[inline]
    fn visit_u128<E: serde::de::Error>(self, id: u128) -> Result<Uuid, E> {
        Ok(Uuid::from_u128(id))
    }

    /// Every other deserializer: `uuid`'s own impl, as before.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Uuid, D::Error> {
        Uuid::deserialize(deserializer)
    }
}

/// Reads a list of ids (see the module documentation).
pub(crate) struct UuidsSeed;

impl<'de> DeserializeSeed<'de> for UuidsSeed {
    type Value = Vec<Uuid>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Uuid>, D::Error> {
        deserializer.deserialize_newtype_struct(UUIDS_NEWTYPE, UuidsVisitor)
    }
}

struct UuidsVisitor;

/// Ids read before the list is allocated: most lists are this short, so they
/// get one allocation of the right size instead of growing 4, 8, ….
const INLINE_IDS: usize = 8;

impl<'de> Visitor<'de> for UuidsVisitor {
    type Value = Vec<Uuid>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    /// The fast path's answer: the array itself, each id read as above.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Uuid>, A::Error> {
        let mut first = [Uuid::nil(); INLINE_IDS];
        let mut n = 0;
        while n < INLINE_IDS {
            match seq.next_element_seed(UuidSeed)? {
                Some(id) => first[n] = id,
                None => return Ok(first[..n].to_vec()),
            }
            n += 1;
        }
        let mut ids = first.to_vec();
        while let Some(id) = seq.next_element_seed(UuidSeed)? {
            ids.push(id);
        }
        Ok(ids)
    }

    /// Every other deserializer: `Vec<Uuid>`'s own impl, as before.
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Vec<Uuid>, D::Error> {
        Vec::<Uuid>::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn other_deserializers_read_ids_as_before() {
        let id = "77a69705-41a7-49cb-0fe8-ffd425f9716f";
        let json = format!("\"{id}\"");
        let mut de = serde_json::Deserializer::from_str(&json);
        assert_eq!(UuidSeed.deserialize(&mut de).unwrap().to_string(), id);
        let value = serde_json::json!([id, id.to_uppercase()]);
        assert_eq!(UuidsSeed.deserialize(value).unwrap().len(), 2);
        // Errors are uuid's and serde's own, word for word.
        for bad in ["5", "\"x\"", "{}", "[1]", "null"] {
            let ours = UuidSeed
                .deserialize(&mut serde_json::Deserializer::from_str(bad))
                .unwrap_err();
            let theirs = serde_json::from_str::<Uuid>(bad).unwrap_err();
            assert_eq!(ours.to_string(), theirs.to_string(), "{bad}");
            let ours = UuidsSeed
                .deserialize(&mut serde_json::Deserializer::from_str(bad))
                .unwrap_err();
            let theirs = serde_json::from_str::<Vec<Uuid>>(bad).unwrap_err();
            assert_eq!(ours.to_string(), theirs.to_string(), "{bad}");
        }
    }

    #[test]
    fn lists_of_any_length_keep_their_order() {
        for n in [0, 1, INLINE_IDS - 1, INLINE_IDS, INLINE_IDS + 1, 50] {
            let ids: Vec<Uuid> = (0..n as u128).map(Uuid::from_u128).collect();
            let json = serde_json::to_string(&ids).unwrap();
            let read: Vec<Uuid> = crate::json::from_str_with(&json, UuidsSeed).unwrap();
            assert_eq!(read, ids);
            let read = UuidsSeed
                .deserialize(&mut serde_json::Deserializer::from_str(&json))
                .unwrap();
            assert_eq!(read, ids);
        }
    }
}
