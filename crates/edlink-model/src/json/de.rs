//! The serde side of the fast path: `Deserializer`, `SeqAccess` and
//! `MapAccess` for [`Parser`], each calling the visitor exactly as
//! `serde_json`'s own (`serde_json/src/de.rs`) does for the same input.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};
use serde::forward_to_deserialize_any;

use super::{Bail, Parser, Str, plain_u64};

type Result<T> = std::result::Result<T, Bail>;

/// `serde_json`'s name for the newtype through which `RawValue` asks for the
/// text of a value (private to `serde_json`, `src/raw.rs`; stable since 1.0.
/// 2019). If it ever changes, `RawJson` stops decoding here and every body
/// with one falls back to `serde_json`: slower, still right, and the test
/// `raw_values_take_the_fast_path` fails.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// One token or value, decoded by `serde_json` (with nothing after it).
fn delegate<'de, V>(
    text: &'de str,
    decode: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    ) -> serde_json::Result<V>,
) -> Result<V> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = decode(&mut de).map_err(|_| Bail)?;
    de.end().map_err(|_| Bail)?;
    Ok(value)
}

impl<'de> Parser<'de> {
    /// The string at the current position (its opening quote).
    #[inline]
    fn visit_str<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            Str::Plain(s) => visitor.visit_borrowed_str(s),
            Str::Escaped(token) => {
                delegate(token, |de| de::Deserializer::deserialize_str(de, visitor))
            }
        }
    }

    #[inline]
    fn visit_array<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        self.enter()?;
        let value = visitor.visit_seq(SeqAccess {
            parser: self,
            first: true,
        })?;
        self.leave();
        self.close(b']')?;
        Ok(value)
    }

    #[inline]
    fn visit_object<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        self.enter()?;
        let value = visitor.visit_map(MapAccess {
            parser: self,
            first: true,
        })?;
        self.leave();
        self.close(b'}')?;
        Ok(value)
    }

    /// The whole value at the current position, for `serde_json` to decode
    /// (as deep as the document still allows, so its recursion limit holds).
    fn delegate_value<V>(
        &mut self,
        decode: impl FnOnce(
            &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
        ) -> serde_json::Result<V>,
    ) -> Result<V> {
        let text = self.skip_value(self.remaining_depth)?;
        delegate(text, decode)
    }
}

/// The integer methods: a plain non-negative integer is visited here (as
/// `visit_u64`, like `serde_json`), any other number goes to `serde_json`.
macro_rules! integer_methods {
    ($($method:ident)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.skip_ws() {
                Some(b'-' | b'0'..=b'9') => {
                    let token = self.number_token();
                    match plain_u64(token) {
                        Some(n) => visitor.visit_u64(n),
                        None => delegate(token, |de| de::Deserializer::$method(de, visitor)),
                    }
                }
                _ => Err(Bail),
            }
        }
    )*};
}

/// Methods left to `serde_json` whole (rare in Edlink bodies).
macro_rules! delegated_methods {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.delegate_value(|de| de::Deserializer::$method(de, visitor))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Parser<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.skip_ws().ok_or(Bail)? {
            b'n' => {
                self.ident(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.ident(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.ident(b"false")?;
                visitor.visit_bool(false)
            }
            b'-' | b'0'..=b'9' => {
                let token = self.number_token();
                match plain_u64(token) {
                    Some(n) => visitor.visit_u64(n),
                    None => delegate(token, |de| de::Deserializer::deserialize_any(de, visitor)),
                }
            }
            b'"' => self.visit_str(visitor),
            b'[' => self.visit_array(visitor),
            b'{' => self.visit_object(visitor),
            _ => Err(Bail),
        }
    }

    #[inline]
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.skip_ws() {
            Some(b't') => {
                self.ident(b"true")?;
                visitor.visit_bool(true)
            }
            Some(b'f') => {
                self.ident(b"false")?;
                visitor.visit_bool(false)
            }
            _ => Err(Bail),
        }
    }

    integer_methods! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }

    delegated_methods! {
        deserialize_i128 deserialize_u128 deserialize_f32 deserialize_f64
        deserialize_bytes deserialize_byte_buf
    }

    #[inline]
    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    #[inline]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.skip_ws() {
            Some(b'"') => self.visit_str(visitor),
            _ => Err(Bail),
        }
    }

    #[inline]
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.skip_ws() {
            Some(b'n') => {
                self.ident(b"null")?;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.skip_ws() {
            Some(b'n') => {
                self.ident(b"null")?;
                visitor.visit_unit()
            }
            _ => Err(Bail),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name == crate::field::UUID_NEWTYPE {
            // An id (see `crate::field`): read here when it is a quoted
            // hyphenated UUID, else by `Uuid`'s own `Deserialize`.
            self.skip_ws();
            return match self.quoted_uuid() {
                Some(id) => visitor.visit_u128(id.as_u128()),
                None => visitor.visit_newtype_struct(self),
            };
        }
        if name == crate::field::UUIDS_NEWTYPE {
            return match self.skip_ws() {
                Some(b'[') => self.visit_array(visitor),
                _ => visitor.visit_newtype_struct(self),
            };
        }
        if name == RAW_VALUE_TOKEN {
            // As `serde_json` hands a `RawValue` its text: a map of one entry,
            // the token as key and the text (no surrounding whitespace) as
            // the value. Like `serde_json`, no depth limit applies here
            // beyond the skipper's own.
            let text = self.skip_value(super::RECURSION_LIMIT)?;
            return visitor.visit_map(RawValueAccess(Some(text)));
        }
        visitor.visit_newtype_struct(self)
    }

    #[inline]
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.skip_ws() {
            Some(b'[') => self.visit_array(visitor),
            _ => Err(Bail),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    #[inline]
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.skip_ws() {
            Some(b'{') => self.visit_object(visitor),
            _ => Err(Bail),
        }
    }

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.skip_ws() {
            Some(b'{') => self.visit_object(visitor),
            Some(b'[') => self.visit_array(visitor),
            _ => Err(Bail),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.delegate_value(|de| de::Deserializer::deserialize_enum(de, name, variants, visitor))
    }

    #[inline]
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    #[inline]
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_value(super::RECURSION_LIMIT)?;
        visitor.visit_unit()
    }
}

struct SeqAccess<'a, 'de> {
    parser: &'a mut Parser<'de>,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, 'de> {
    type Error = Bail;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let parser = &mut *self.parser;
        match parser.skip_ws() {
            Some(b']') => return Ok(None),
            Some(_) if self.first => self.first = false,
            Some(b',') => {
                parser.pos += 1;
                // `[1,]` is refused.
                if matches!(parser.skip_ws(), Some(b']') | None) {
                    return Err(Bail);
                }
            }
            _ => return Err(Bail),
        }
        seed.deserialize(parser).map(Some)
    }
}

struct MapAccess<'a, 'de> {
    parser: &'a mut Parser<'de>,
    first: bool,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, 'de> {
    type Error = Bail;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let parser = &mut *self.parser;
        match parser.skip_ws() {
            Some(b'}') => return Ok(None),
            Some(b'"') if self.first => self.first = false,
            Some(b',') if !self.first => {
                parser.pos += 1;
                // `{"a":1,}` is refused; a key is a string.
                if parser.skip_ws() != Some(b'"') {
                    return Err(Bail);
                }
            }
            _ => return Err(Bail),
        }
        seed.deserialize(Key(parser)).map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let parser = &mut *self.parser;
        if parser.skip_ws() != Some(b':') {
            return Err(Bail);
        }
        parser.pos += 1;
        seed.deserialize(parser)
    }
}

/// An object key, at its opening quote. Keys read as strings; a key type
/// that wants anything else (a number, a bool) is left to `serde_json`.
struct Key<'a, 'de>(&'a mut Parser<'de>);

/// Key methods that the fast path does not handle.
macro_rules! refused_methods {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
            Err(Bail)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = Bail;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.0.visit_str(visitor)
    }

    forward_to_deserialize_any! {
        char str string identifier ignored_any
    }

    refused_methods! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_bytes
        deserialize_byte_buf deserialize_option deserialize_unit deserialize_seq
        deserialize_map
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }
}

/// The one-entry map through which a `RawValue` receives its text.
struct RawValueAccess<'de>(Option<&'de str>);

impl<'de> de::MapAccess<'de> for RawValueAccess<'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.0 {
            Some(_) => seed.deserialize(RawValueKey).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let text = self.0.take().ok_or(Bail)?;
        seed.deserialize(BorrowedStrDeserializer::new(text))
    }
}

/// The key of [`RawValueAccess`]: the token itself.
struct RawValueKey;

impl<'de> de::Deserializer<'de> for RawValueKey {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(RAW_VALUE_TOKEN)
    }

    forward_to_deserialize_any! {
        bool u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 char str string seq
        bytes byte_buf map struct option unit newtype_struct ignored_any
        unit_struct tuple_struct tuple enum identifier
    }
}

#[cfg(test)]
mod tests {
    use crate::RawJson;

    #[test]
    fn raw_values_take_the_fast_path() {
        let text = r#"{"a" : [1, 2.50, {"b": null}] }"#;
        let raw: Option<RawJson> = super::super::from_str(text);
        assert_eq!(raw.as_ref().map(RawJson::as_str), Some(text));
        let inner: Option<Vec<RawJson>> = super::super::from_str(r#"[ "x" , 1e3 ]"#);
        let inner: Vec<&str> = inner.iter().flatten().map(RawJson::as_str).collect();
        assert_eq!(inner, [r#""x""#, "1e3"]);
    }
}
