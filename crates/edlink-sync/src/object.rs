//! [`StoredObject`]: one Graph object ready for a store: its exact JSON text
//! and the keys its table indexes, read from that text.
//!
//! Only `id`, the foreign keys and the id arrays of the table are read (not
//! the whole typed model): a mirror keeps what Edlink sent, so an odd value
//! in a field the mirror does not index (a birthday in a new format) must not
//! stop a sync. The keys themselves must be well-formed, or the object is
//! refused with an error that names the member.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use uuid::Uuid;

use crate::ResourceKind;
use crate::schema::{self, KEY_FIELDS};

/// A Graph object as a store writes it: the collection, the id, the indexed
/// keys and the exact JSON text.
///
/// ```
/// use edlink_sync::{ResourceKind, StoredObject};
///
/// let text = r#"{"id":"00000000-0000-0000-0000-000000000001","first_name":"Mabel","district_id":"00000000-0000-0000-0000-00000000000d","school_ids":["00000000-0000-0000-0000-00000000000a"]}"#;
/// let person = StoredObject::from_json(ResourceKind::People, text.to_owned())?;
/// assert_eq!(person.id(), uuid::Uuid::from_u128(1));
/// assert_eq!(person.key("district_id"), Some(uuid::Uuid::from_u128(0xd)));
/// assert_eq!(person.links("school_ids"), [uuid::Uuid::from_u128(0xa)]);
/// assert_eq!(person.json(), text);
/// # Ok::<(), edlink_sync::InvalidObject>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct StoredObject {
    kind: ResourceKind,
    id: Uuid,
    /// Aligned with `schema::table(kind).columns`.
    keys: Vec<Option<Uuid>>,
    /// Aligned with `schema::table(kind).links`; sorted, without duplicates.
    links: Vec<Vec<Uuid>>,
    json: String,
}

impl fmt::Debug for StoredObject {
    // The JSON may hold anything Edlink sent (tokens in `properties`): Debug
    // shows the keys and the size only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredObject")
            .field("kind", &self.kind)
            .field("id", &self.id)
            .field("keys", &self.keys)
            .field("links", &self.links)
            .field("json_bytes", &self.json.len())
            .finish()
    }
}

/// Why an object cannot be stored: its `id` or one of the keys its table
/// indexes is missing or malformed. Names the collection, the object (when
/// its id could be read) and the member.
///
/// ```
/// use edlink_sync::{ResourceKind, StoredObject};
///
/// let err = StoredObject::from_json(ResourceKind::Enrollments, r#"{"id":"00000000-0000-0000-0000-000000000001","class_id":42}"#.into()).unwrap_err();
/// assert_eq!(err.to_string(), "enrollments object 00000000-0000-0000-0000-000000000001: class_id: expected a UUID string or null, found 42");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} object {object}: {member}: {problem}")]
pub struct InvalidObject {
    kind: ResourceKind,
    object: String,
    member: String,
    problem: String,
}

impl InvalidObject {
    /// The collection the object came from.
    ///
    /// ```
    /// use edlink_sync::{ResourceKind, StoredObject};
    ///
    /// let err = StoredObject::from_json(ResourceKind::Schools, "{}".into()).unwrap_err();
    /// assert_eq!(err.kind(), ResourceKind::Schools);
    /// assert_eq!(err.member(), "id");
    /// ```
    pub fn kind(&self) -> ResourceKind {
        self.kind
    }

    /// The member that was wrong: `id`, `school_id`, `school_ids[2]`, or
    /// `(object)` when the text is not a JSON object.
    ///
    /// ```
    /// use edlink_sync::{ResourceKind, StoredObject};
    ///
    /// let err = StoredObject::from_json(ResourceKind::People, r#"{"id":"00000000-0000-0000-0000-000000000001","school_ids":["x"]}"#.into()).unwrap_err();
    /// assert_eq!(err.member(), "school_ids[0]");
    /// ```
    pub fn member(&self) -> &str {
        &self.member
    }
}

impl StoredObject {
    /// Reads the keys of `json`, an object of collection `kind`, and keeps
    /// the text as it is.
    ///
    /// Accepts any UUID form the `uuid` crate reads (hyphenated, simple,
    /// braced, URN; any case) and stores it hyphenated in lower case. `null`
    /// or a missing member is no key; an id array may be `null`; duplicate
    /// ids in an array are kept once.
    ///
    /// ```
    /// use edlink_sync::{ResourceKind, StoredObject};
    ///
    /// let class = StoredObject::from_json(ResourceKind::Classes, r#"{"id":"00000000-0000-0000-0000-000000000001","course_id":null,"session_ids":null}"#.into())?;
    /// assert_eq!(class.key("course_id"), None);
    /// assert!(class.links("session_ids").is_empty());
    /// # Ok::<(), edlink_sync::InvalidObject>(())
    /// ```
    pub fn from_json(kind: ResourceKind, json: String) -> Result<Self, InvalidObject> {
        let mut de = serde_json::Deserializer::from_str(&json);
        let scanned = match de.deserialize_map(ScanVisitor) {
            Ok(s) => s,
            Err(e) => {
                return Err(InvalidObject {
                    kind,
                    object: "(unknown id)".to_owned(),
                    member: "(object)".to_owned(),
                    problem: format!("not a JSON object: {e}"),
                });
            }
        };
        let invalid = |member: String, problem: String| InvalidObject {
            kind,
            object: match &scanned.id {
                Some(Scalar::Text(t)) => t.chars().take(64).collect(),
                _ => "(unknown id)".to_owned(),
            },
            member,
            problem,
        };
        let id = match scalar_id(scanned.id.as_ref()) {
            Ok(Some(id)) => id,
            Ok(None) => return Err(invalid("id".into(), "missing".into())),
            Err(problem) => return Err(invalid("id".into(), problem)),
        };
        let spec = schema::table(kind);
        let mut keys = Vec::with_capacity(spec.columns.len());
        for column in spec.columns {
            let at = KEY_FIELDS.iter().position(|f| f == column);
            let value = at.and_then(|i| scanned.keys[i].as_ref());
            keys.push(scalar_id(value).map_err(|p| invalid((*column).to_owned(), p))?);
        }
        let mut links = Vec::with_capacity(spec.links.len());
        for link in spec.links {
            let list = match link.field {
                "school_ids" => &scanned.school_ids,
                _ => &scanned.session_ids,
            };
            let mut ids = Vec::new();
            match list {
                None | Some(List::Null) => {}
                Some(List::Mistyped(found)) => {
                    return Err(invalid(
                        link.field.to_owned(),
                        format!("expected an array of UUID strings or null, found {found}"),
                    ));
                }
                Some(List::Items(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        match scalar_id(Some(item)) {
                            Ok(Some(id)) => ids.push(id),
                            Ok(None) => {
                                return Err(invalid(
                                    format!("{}[{i}]", link.field),
                                    "null in an id array".into(),
                                ));
                            }
                            Err(p) => return Err(invalid(format!("{}[{i}]", link.field), p)),
                        }
                    }
                }
            }
            ids.sort_unstable();
            ids.dedup();
            links.push(ids);
        }
        // The scan borrows from the text; done with it before moving it.
        drop(scanned);
        Ok(Self {
            kind,
            id,
            keys,
            links,
            json,
        })
    }

    /// The collection.
    ///
    /// ```
    /// # use edlink_sync::{ResourceKind, StoredObject};
    /// let o = StoredObject::from_json(ResourceKind::Districts, r#"{"id":"00000000-0000-0000-0000-000000000001"}"#.into())?;
    /// assert_eq!(o.kind(), ResourceKind::Districts);
    /// # Ok::<(), edlink_sync::InvalidObject>(())
    /// ```
    pub fn kind(&self) -> ResourceKind {
        self.kind
    }

    /// The object's id.
    ///
    /// ```
    /// # use edlink_sync::{ResourceKind, StoredObject};
    /// let o = StoredObject::from_json(ResourceKind::Districts, r#"{"id":"{00000000-0000-0000-0000-000000000001}"}"#.into())?;
    /// assert_eq!(o.id().to_string(), "00000000-0000-0000-0000-000000000001");
    /// # Ok::<(), edlink_sync::InvalidObject>(())
    /// ```
    pub fn id(&self) -> Uuid {
        self.id
    }

    /// The value of an indexed key column of this object's table
    /// (`school_id`…); `None` when absent, `null`, or not a column of it.
    ///
    /// ```
    /// # use edlink_sync::{ResourceKind, StoredObject};
    /// let o = StoredObject::from_json(ResourceKind::Sections, r#"{"id":"00000000-0000-0000-0000-000000000001","class_id":"00000000-0000-0000-0000-000000000002"}"#.into())?;
    /// assert_eq!(o.key("class_id"), Some(uuid::Uuid::from_u128(2)));
    /// assert_eq!(o.key("school_id"), None);
    /// # Ok::<(), edlink_sync::InvalidObject>(())
    /// ```
    pub fn key(&self, column: &str) -> Option<Uuid> {
        let at = schema::table(self.kind)
            .columns
            .iter()
            .position(|c| *c == column)?;
        self.keys.get(at).copied().flatten()
    }

    /// The ids of an id array mirrored as a link table (`school_ids` of
    /// people, `session_ids` of classes), sorted, each once; empty for any
    /// other name.
    ///
    /// ```
    /// # use edlink_sync::{ResourceKind, StoredObject};
    /// let o = StoredObject::from_json(ResourceKind::Classes, r#"{"id":"00000000-0000-0000-0000-000000000001","session_ids":["00000000-0000-0000-0000-000000000003","00000000-0000-0000-0000-000000000002","00000000-0000-0000-0000-000000000003"]}"#.into())?;
    /// assert_eq!(o.links("session_ids"), [uuid::Uuid::from_u128(2), uuid::Uuid::from_u128(3)]);
    /// # Ok::<(), edlink_sync::InvalidObject>(())
    /// ```
    pub fn links(&self, field: &str) -> &[Uuid] {
        schema::table(self.kind)
            .links
            .iter()
            .position(|l| l.field == field)
            .and_then(|at| self.links.get(at))
            .map_or(&[], Vec::as_slice)
    }

    /// The JSON text, exactly as received.
    ///
    /// ```
    /// # use edlink_sync::{ResourceKind, StoredObject};
    /// let text = r#"{ "id" : "00000000-0000-0000-0000-000000000001", "gpa": 3.50 }"#;
    /// assert_eq!(StoredObject::from_json(ResourceKind::People, text.into())?.json(), text);
    /// # Ok::<(), edlink_sync::InvalidObject>(())
    /// ```
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The key columns with their values, in the table's column order.
    pub(crate) fn key_columns(&self) -> impl Iterator<Item = (&'static str, Option<Uuid>)> + '_ {
        schema::table(self.kind)
            .columns
            .iter()
            .copied()
            .zip(self.keys.iter().copied())
    }

    /// The link tables' rows, per link of the table.
    pub(crate) fn link_lists(&self) -> impl Iterator<Item = (crate::schema::LinkSpec, &[Uuid])> {
        schema::table(self.kind)
            .links
            .iter()
            .copied()
            .zip(self.links.iter().map(Vec::as_slice))
    }
}

fn scalar_id(value: Option<&Scalar<'_>>) -> Result<Option<Uuid>, String> {
    match value {
        None | Some(Scalar::Null) => Ok(None),
        Some(Scalar::Text(t)) => Uuid::try_parse(t)
            .map(Some)
            .map_err(|_| format!("not a UUID: {:?}", t.chars().take(64).collect::<String>())),
        Some(Scalar::Other(found)) => Err(format!("expected a UUID string or null, found {found}")),
    }
}

/// A key member's value as read: text (borrowed from the object's JSON
/// text unless it held escapes), null, or something else (described).
enum Scalar<'de> {
    Null,
    Text(Cow<'de, str>),
    Other(String),
}

enum List<'de> {
    Null,
    Items(Vec<Scalar<'de>>),
    Mistyped(String),
}

/// The members a store indexes, read in one pass over the object.
struct Scanned<'de> {
    id: Option<Scalar<'de>>,
    keys: [Option<Scalar<'de>>; 9],
    school_ids: Option<List<'de>>,
    session_ids: Option<List<'de>>,
}

struct ScanVisitor;

impl<'de> Visitor<'de> for ScanVisitor {
    type Value = Scanned<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scanned<'de>, A::Error> {
        let mut out = Scanned {
            id: None,
            keys: Default::default(),
            school_ids: None,
            session_ids: None,
        };
        // Duplicate members: the last one wins, as everywhere in the model.
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "id" => out.id = Some(map.next_value::<ScalarSeed<'de>>()?.0),
                "school_ids" => out.school_ids = Some(map.next_value::<ListSeed<'de>>()?.0),
                "session_ids" => out.session_ids = Some(map.next_value::<ListSeed<'de>>()?.0),
                other => match KEY_FIELDS.iter().position(|f| *f == other) {
                    Some(i) => out.keys[i] = Some(map.next_value::<ScalarSeed<'de>>()?.0),
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                },
            }
        }
        Ok(out)
    }
}

/// Reads any JSON value as a [`Scalar`], never failing on its type.
struct ScalarSeed<'de>(Scalar<'de>);

impl<'de> de::Deserialize<'de> for ScalarSeed<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor).map(ScalarSeed)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other(v.to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an array".into()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("an object".into()))
    }
}

/// Reads any JSON value as a [`List`], never failing on its type.
struct ListSeed<'de>(List<'de>);

impl<'de> de::Deserialize<'de> for ListSeed<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ListVisitor).map(ListSeed)
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = List<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<List<'de>, E> {
        Ok(List::Null)
    }
    fn visit_none<E>(self) -> Result<List<'de>, E> {
        Ok(List::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<ScalarSeed<'de>>()? {
            items.push(item.0);
        }
        Ok(List::Items(items))
    }
    fn visit_str<E>(self, v: &str) -> Result<List<'de>, E> {
        Ok(List::Mistyped(format!(
            "{:?}",
            v.chars().take(64).collect::<String>()
        )))
    }
    fn visit_bool<E>(self, v: bool) -> Result<List<'de>, E> {
        Ok(List::Mistyped(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<List<'de>, E> {
        Ok(List::Mistyped(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<List<'de>, E> {
        Ok(List::Mistyped(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<List<'de>, E> {
        Ok(List::Mistyped(v.to_string()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<List<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(List::Mistyped("an object".into()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn obj(kind: ResourceKind, text: &str) -> Result<StoredObject, InvalidObject> {
        StoredObject::from_json(kind, text.to_owned())
    }

    #[test]
    fn reads_every_column_of_every_table() {
        let u = |n: u128| Uuid::from_u128(n).to_string();
        let text = format!(
            r#"{{"id":"{}","district_id":"{}","school_id":"{}","session_id":"{}","course_id":"{}","class_id":"{}","section_id":"{}","person_id":"{}","observer_id":"{}","target_id":"{}","school_ids":["{}"],"session_ids":["{}"],"extra":{{"nested":[1,2]}}}}"#,
            u(1),
            u(10),
            u(11),
            u(12),
            u(13),
            u(14),
            u(15),
            u(16),
            u(17),
            u(18),
            u(19),
            u(20)
        );
        for kind in ResourceKind::ALL {
            let o = obj(kind, &text).unwrap();
            assert_eq!(o.id(), Uuid::from_u128(1));
            for (column, value) in o.key_columns() {
                let at = KEY_FIELDS.iter().position(|f| *f == column).unwrap() as u128;
                assert_eq!(value, Some(Uuid::from_u128(10 + at)), "{kind} {column}");
            }
            for (link, ids) in o.link_lists() {
                let want = if link.field == "school_ids" { 19 } else { 20 };
                assert_eq!(ids, [Uuid::from_u128(want)], "{kind}");
            }
        }
    }

    #[test]
    fn malformed_keys_name_the_member() {
        let id = r#""id":"00000000-0000-0000-0000-000000000001""#;
        let cases = [
            (ResourceKind::People, "[]".to_owned(), "(object)"),
            (ResourceKind::People, r#"{"id":5}"#.to_owned(), "id"),
            (ResourceKind::People, r#"{"id":"nope"}"#.to_owned(), "id"),
            (
                ResourceKind::People,
                format!(r#"{{{id},"district_id":true}}"#),
                "district_id",
            ),
            (
                ResourceKind::People,
                format!(r#"{{{id},"school_ids":"a"}}"#),
                "school_ids",
            ),
            (
                ResourceKind::People,
                format!(r#"{{{id},"school_ids":[null]}}"#),
                "school_ids[0]",
            ),
            (
                ResourceKind::Classes,
                format!(r#"{{{id},"session_ids":[{{}}]}}"#),
                "session_ids[0]",
            ),
            (
                ResourceKind::Agents,
                format!(r#"{{{id},"target_id":""}}"#),
                "target_id",
            ),
        ];
        for (kind, text, member) in cases {
            let err = obj(kind, &text).unwrap_err();
            assert_eq!(err.member(), member, "{text}: {err}");
        }
    }

    #[test]
    fn members_a_table_does_not_index_are_not_checked() {
        // A person has no class_id column: a bad value there is just data.
        let o = obj(
            ResourceKind::People,
            r#"{"id":"00000000-0000-0000-0000-000000000001","class_id":5,"session_ids":"x"}"#,
        )
        .unwrap();
        assert_eq!(o.key("class_id"), None);
    }

    #[test]
    fn the_last_duplicate_wins_and_escaped_keys_are_read() {
        let o = obj(
            ResourceKind::Sections,
            r#"{"id":"00000000-0000-0000-0000-000000000001","class_id":"00000000-0000-0000-0000-000000000002","class\u005fid":"00000000-0000-0000-0000-000000000003"}"#,
        )
        .unwrap();
        assert_eq!(o.key("class_id"), Some(Uuid::from_u128(3)));
    }

    #[test]
    fn debug_hides_the_json() {
        let o = obj(
            ResourceKind::Agents,
            r#"{"id":"00000000-0000-0000-0000-000000000001","properties":{"access_token":"s3cr3t"}}"#,
        )
        .unwrap();
        assert!(!format!("{o:?}").contains("s3cr3t"));
    }
}
