//! `$expand` and `$fields`: rewriting a serialized object from its members, without
//! re-serializing them.

use bytes::{BufMut, Bytes, BytesMut};

use crate::collection::Collection;
use crate::graph::raw;
use crate::graph::schema::{self, Expansion};
use crate::reply::Warning;

/// What to add to and keep of each object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    expand: Vec<&'static Expansion>,
    /// `None`: every member.
    fields: Option<Vec<String>>,
}

fn names(list: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
    }
    out
}

impl Shape {
    /// Reads `$expand` and `$fields` (comma lists) for `collection`. Unknown names are
    /// dropped with the warnings `INVALID_EXPANSION` and `INVALID_FIELD_REQUESTED`.
    pub(crate) fn parse(
        collection: Collection,
        expand: Option<&str>,
        fields: Option<&str>,
        warnings: &mut Vec<Warning>,
    ) -> Self {
        let mut shape = Shape::default();
        for name in names(expand.unwrap_or("")) {
            match schema::expansion(collection, &name) {
                Some(e) => shape.expand.push(e),
                None => warnings.push((
                    "INVALID_EXPANSION".to_owned(),
                    format!("`{name}` cannot be expanded on {}.", collection.name()),
                )),
            }
        }
        if let Some(list) = fields {
            let mut keep = Vec::new();
            for name in names(list) {
                if schema::has_field(collection, &name)
                    || schema::expansion(collection, &name).is_some()
                {
                    keep.push(name);
                } else {
                    warnings.push((
                        "INVALID_FIELD_REQUESTED".to_owned(),
                        format!("`{name}` is not a field of {}.", collection.name()),
                    ));
                }
            }
            shape.fields = Some(keep);
        }
        shape
    }

    /// Whether objects go out exactly as stored.
    pub(crate) fn is_plain(&self) -> bool {
        self.expand.is_empty() && self.fields.is_none()
    }

    fn keeps(&self, key: &[u8]) -> bool {
        self.fields
            .as_ref()
            .is_none_or(|f| f.iter().any(|k| k.as_bytes() == key))
    }

    /// `item` with the expansions added beside their `_id`/`_ids` member and only the
    /// requested fields kept. `lookup` finds an object by collection and id.
    pub(crate) fn apply<'a>(
        &self,
        item: &Bytes,
        lookup: impl Fn(Collection, u128) -> Option<&'a Bytes>,
    ) -> Bytes {
        if self.is_plain() {
            return item.clone();
        }
        let Some(members) = raw::members(item) else {
            return item.clone();
        };
        let mut out = BytesMut::with_capacity(item.len() * 2);
        out.put_u8(b'{');
        let mut first = true;
        let mut put = |out: &mut BytesMut, key: &[u8], value: &[u8]| {
            if !first {
                out.put_u8(b',');
            }
            first = false;
            out.put_u8(b'"');
            out.put_slice(key);
            out.put_slice(b"\":");
            out.put_slice(value);
        };
        let expanded = |e: &Expansion, raw_ids: Option<&[u8]>| -> Vec<u8> {
            let ids = raw_ids.map(raw::uuids).unwrap_or_default();
            if e.many {
                let mut v = vec![b'['];
                for (i, item) in ids
                    .iter()
                    .filter_map(|id| lookup(e.target, *id))
                    .enumerate()
                {
                    if i > 0 {
                        v.push(b',');
                    }
                    v.extend_from_slice(item);
                }
                v.push(b']');
                v
            } else {
                match ids.first().and_then(|id| lookup(e.target, *id)) {
                    Some(item) => item.to_vec(),
                    None => b"null".to_vec(),
                }
            }
        };
        for (key, value) in members.iter() {
            if self.keeps(key) {
                put(&mut out, key, value);
            }
            for e in self.expand.iter().filter(|e| e.source.as_bytes() == key) {
                if self.keeps(e.name.as_bytes()) {
                    put(&mut out, e.name.as_bytes(), &expanded(e, Some(value)));
                }
            }
        }
        // An object without the `_id` member (drift) still gets the key, at the end.
        for e in &self.expand {
            if self.keeps(e.name.as_bytes()) && members.get(e.source).is_none() {
                put(&mut out, e.name.as_bytes(), &expanded(e, None));
            }
        }
        out.put_u8(b'}');
        out.freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHOOL_A: &[u8] = br#"{"id":"00000000-0000-0000-0000-00000000000a","name":"A"}"#;

    fn lookup(c: Collection, id: u128) -> Option<&'static Bytes> {
        static A: Bytes = Bytes::from_static(SCHOOL_A);
        (c == Collection::Schools && id == 10).then_some(&A)
    }

    #[test]
    fn expands_beside_the_id_and_limits_fields() {
        let person = Bytes::from_static(
            br#"{"id":"00000000-0000-0000-0000-000000000001","first_name":"Ana","school_ids":["00000000-0000-0000-0000-00000000000a","00000000-0000-0000-0000-0000000000ff"],"district_id":null}"#,
        );
        let mut w = Vec::new();
        let shape = Shape::parse(
            Collection::People,
            Some("schools, district,nope,schools"),
            None,
            &mut w,
        );
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].0, "INVALID_EXPANSION");
        let out = shape.apply(&person, lookup);
        let text = std::str::from_utf8(&out).unwrap_or("");
        assert_eq!(
            text,
            r#"{"id":"00000000-0000-0000-0000-000000000001","first_name":"Ana","school_ids":["00000000-0000-0000-0000-00000000000a","00000000-0000-0000-0000-0000000000ff"],"schools":[{"id":"00000000-0000-0000-0000-00000000000a","name":"A"}],"district_id":null,"district":null}"#
        );

        let mut w = Vec::new();
        let shape = Shape::parse(
            Collection::People,
            Some("schools"),
            Some("id,schools,bogus"),
            &mut w,
        );
        assert_eq!(
            w,
            vec![(
                "INVALID_FIELD_REQUESTED".to_owned(),
                "`bogus` is not a field of people.".to_owned()
            )]
        );
        let out = shape.apply(&person, lookup);
        assert_eq!(
            &out[..],
            br#"{"id":"00000000-0000-0000-0000-000000000001","schools":[{"id":"00000000-0000-0000-0000-00000000000a","name":"A"}]}"#
        );
        // `$fields` without the expansion's name: the expansion is not shown.
        let shape = Shape::parse(Collection::People, Some("schools"), Some("id"), &mut w);
        assert_eq!(
            &shape.apply(&person, lookup)[..],
            br#"{"id":"00000000-0000-0000-0000-000000000001"}"#
        );
        assert!(Shape::parse(Collection::People, None, None, &mut w).is_plain());
        // A missing `_id` member: the expansion is added at the end.
        let shape = Shape::parse(Collection::People, Some("district"), None, &mut w);
        let out = shape.apply(&Bytes::from_static(SCHOOL_A), lookup);
        assert!(out.ends_with(br#","district":null}"#));
    }
}
