//! The data a mock server serves: three collections of pre-serialized JSON objects.

use std::fmt;

use bytes::Bytes;
use serde_json::Value;
use uuid::Uuid;

use crate::catalog::Catalog;
use crate::collection::Collection;
use crate::generate;
use crate::text::{parse_uuid, uuid_string};

/// The documented v1 sample integration (`GET /api/v1/integrations`, edlink/docs).
const SAMPLE_INTEGRATION: &str = r#"{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","status":"active","scope":"all","created_date":"2020-02-14T19:26:00.188Z","updated_date":"2020-02-14T19:26:00.188Z","permissions":["39a69700-0fe8-43a7-afa7-bd4ecc936412"],"targets":[],"access_token":"HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7","source":{"id":"5d149266-95d2-42cf-8660-8b528b3bfba3","status":"active","name":"Edlink University Canvas","created_date":"2020-02-14T17:20:06.254Z","updated_date":"2020-02-14T17:20:06.254Z","import_interval":3600,"log_retention_time":604800},"provider":{"id":"035d6dd6-1569-47b2-8ed8-63435be58078","name":"Canvas","application":"canvas","allows_data_sync":true},"team":{"id":"d078e26d-9fcc-4f2b-b19f-430891906061","type":"district","name":"Edlink University","alias":"edu","street_address":"1011 San Jacinto Blvd","unit_number":"Ste 303","city":"Austin","state":"TX","zip":"78701","country":"United States"},"entity":null}"#;

/// Invalid fixture data: an item that is not an object, has no UUID `id`, or repeats an id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError(String);

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid mock data: {}", self.0)
    }
}

impl std::error::Error for DataError {}

/// One collection, sorted by id (the paging order); each item serialized once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Items {
    keys: Vec<u128>,
    items: Vec<Bytes>,
}

/// An empty collection, for lookups of a collection a data set does not hold.
pub(crate) static NO_ITEMS: Items = Items {
    keys: Vec::new(),
    items: Vec::new(),
};

impl Items {
    /// Sorts `pairs` by id; `Err` names a duplicate id.
    pub(crate) fn from_pairs(mut pairs: Vec<(u128, Bytes)>, what: &str) -> Result<Self, DataError> {
        pairs.sort_by_key(|(k, _)| *k);
        if let Some(w) = pairs.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(DataError(format!(
                "{what}: duplicate id {}",
                uuid_string(w[0].0)
            )));
        }
        let (keys, items) = pairs.into_iter().unzip();
        Ok(Self { keys, items })
    }

    fn from_values(values: Vec<Value>, what: &str) -> Result<Self, DataError> {
        let mut pairs = Vec::with_capacity(values.len());
        for (i, value) in values.into_iter().enumerate() {
            let id = value
                .as_object()
                .ok_or_else(|| DataError(format!("{what}[{i}] is not a JSON object")))?
                .get("id")
                .and_then(Value::as_str)
                .and_then(parse_uuid)
                .ok_or_else(|| DataError(format!("{what}[{i}] has no 8-4-4-4-12 UUID `id`")))?;
            let bytes =
                serde_json::to_vec(&value).map_err(|e| DataError(format!("{what}[{i}]: {e}")))?;
            pairs.push((id, Bytes::from(bytes)));
        }
        Self::from_pairs(pairs, what)
    }

    pub(crate) fn keys(&self) -> &[u128] {
        &self.keys
    }

    pub(crate) fn items(&self) -> &[Bytes] {
        &self.items
    }

    pub(crate) fn get(&self, id: u128) -> Option<&Bytes> {
        self.keys
            .binary_search(&id)
            .ok()
            .and_then(|i| self.items.get(i))
    }

    /// These items with `changes` applied, in one merge: `(id, Some(bytes))` inserts or
    /// replaces, `(id, None)` removes. `changes` must ascend by id. The items whose id is
    /// below `floor` are left out. Unchanged items share their bytes (a copy of a handle).
    pub(crate) fn merged(&self, changes: &[(u128, Option<Bytes>)], floor: u128) -> Self {
        let start = self.keys.partition_point(|k| *k < floor);
        let capacity = self.keys.len() - start + changes.len();
        let (mut keys, mut items) = (Vec::with_capacity(capacity), Vec::with_capacity(capacity));
        let mut old = self.keys[start..]
            .iter()
            .zip(&self.items[start..])
            .peekable();
        let mut new = changes.iter().filter(|(k, _)| *k >= floor).peekable();
        loop {
            let take_old = match (old.peek(), new.peek()) {
                (None, None) => break,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some((k, _)), Some((c, _))) => *k < c,
            };
            if take_old {
                if let Some((k, item)) = old.next() {
                    keys.push(*k);
                    items.push(item.clone());
                }
                continue;
            }
            if let Some((k, change)) = new.next() {
                // The change replaces the old item of the same id, if any.
                if old.peek().is_some_and(|(o, _)| *o == k) {
                    old.next();
                }
                if let Some(bytes) = change {
                    keys.push(*k);
                    items.push(bytes.clone());
                }
            }
        }
        Self { keys, items }
    }
}

/// The objects a [`MockServer`](crate::MockServer) serves, each serialized once up front.
///
/// Items are kept sorted by id, ascending: that is the paging order.
///
/// ```
/// use edlink_mock::{MockData, Collection};
/// let data = MockData::generated(50, 7);
/// assert_eq!(data.len(Collection::Integrations), 50);
/// let ids = data.ids(Collection::Integrations);
/// assert!(ids.windows(2).all(|w| w[0] < w[1]));
/// assert_eq!(MockData::generated(50, 7).bytes(Collection::Integrations),
///            data.bytes(Collection::Integrations));
/// ```
#[derive(Clone, Debug)]
pub struct MockData {
    collections: [Items; 3],
}

impl Default for MockData {
    /// 100 generated integrations from seed 1, plus the fixed providers and permissions.
    fn default() -> Self {
        Self::generated(100, 1)
    }
}

impl MockData {
    /// `count` realistic integrations generated from `seed` (same seed, same bytes), plus the
    /// fixed catalogue of 10 providers and 12 permissions that they refer to.
    pub fn generated(count: usize, seed: u64) -> Self {
        let catalog = Catalog::new();
        let pairs = generate::integrations(count, seed, &catalog)
            .into_iter()
            .map(|(id, bytes)| (id, Bytes::from(bytes)))
            .collect();
        let integrations = Items::from_pairs(pairs, "integrations").unwrap_or_default();
        let providers =
            Items::from_values(catalog.provider_objects(), "providers").unwrap_or_default();
        let permissions =
            Items::from_values(catalog.permission_objects(), "permissions").unwrap_or_default();
        Self {
            collections: [integrations, providers, permissions],
        }
    }

    /// Only the documented sample integration (id `77a69705-41a7-49cb-0fe8-ffd425f9716f`), plus
    /// the fixed providers and permissions.
    pub fn sample() -> Self {
        let mut data = Self::generated(0, 0);
        let sample: Vec<Value> = serde_json::from_str(SAMPLE_INTEGRATION)
            .map(|v| vec![v])
            .unwrap_or_default();
        if let Ok(c) = Items::from_values(sample, "integrations") {
            data.collections[0] = c;
        }
        data
    }

    /// Your own objects. Each must be a JSON object with a string `id` in 8-4-4-4-12 hex
    /// form, unique within its array; everything else is served exactly as given (unknown
    /// fields included). The arrays are sorted by id.
    ///
    /// ```
    /// use edlink_mock::{MockData, Collection};
    /// use serde_json::json;
    /// let data = MockData::from_json_arrays(
    ///     vec![json!({"id": "00000000-0000-0000-0000-000000000002", "status": "active"}),
    ///          json!({"id": "00000000-0000-0000-0000-000000000001", "status": "weird"})],
    ///     vec![],
    ///     vec![],
    /// ).unwrap();
    /// assert_eq!(data.ids(Collection::Integrations)[0].to_string(), "00000000-0000-0000-0000-000000000001");
    /// assert!(MockData::from_json_arrays(vec![json!(1)], vec![], vec![]).is_err());
    /// ```
    pub fn from_json_arrays(
        integrations: Vec<Value>,
        providers: Vec<Value>,
        permissions: Vec<Value>,
    ) -> Result<Self, DataError> {
        Ok(Self {
            collections: [
                Items::from_values(integrations, "integrations")?,
                Items::from_values(providers, "providers")?,
                Items::from_values(permissions, "permissions")?,
            ],
        })
    }

    /// Replaces one collection with your own objects (same rules as
    /// [`from_json_arrays`](Self::from_json_arrays)).
    pub fn with(mut self, collection: Collection, items: Vec<Value>) -> Result<Self, DataError> {
        let what = collection.path();
        let slot = self
            .collections
            .get_mut(collection.index())
            .ok_or_else(|| {
                DataError(format!(
                    "{what} is a Graph collection; MockData holds only the v1 ones"
                ))
            })?;
        *slot = Items::from_values(items, what)?;
        Ok(self)
    }

    /// How many items a collection holds.
    pub fn len(&self, collection: Collection) -> usize {
        self.items_of(collection).keys.len()
    }

    /// Whether a collection is empty.
    pub fn is_empty(&self, collection: Collection) -> bool {
        self.len(collection) == 0
    }

    /// The ids of a collection, ascending (the order `$first`/`$after` paging returns them).
    pub fn ids(&self, collection: Collection) -> Vec<Uuid> {
        self.items_of(collection)
            .keys
            .iter()
            .map(|k| Uuid::from_u128(*k))
            .collect()
    }

    /// The serialized items, ascending by id: exactly the bytes the server puts in `$data`.
    pub fn bytes(&self, collection: Collection) -> &[Bytes] {
        self.items_of(collection).items()
    }

    /// The items parsed back into JSON values, ascending by id (parsed on each call).
    pub fn json(&self, collection: Collection) -> Vec<Value> {
        self.bytes(collection)
            .iter()
            .filter_map(|b| serde_json::from_slice(b).ok())
            .collect()
    }

    /// The items of a v1 collection (a Graph collection has none here: Graph data lives
    /// per integration).
    pub(crate) fn items_of(&self, collection: Collection) -> &Items {
        self.collections
            .get(collection.index())
            .unwrap_or(&NO_ITEMS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_is_deterministic_and_sorted() {
        let a = MockData::generated(300, 42);
        let b = MockData::generated(300, 42);
        let c = MockData::generated(300, 43);
        assert_eq!(
            a.bytes(Collection::Integrations),
            b.bytes(Collection::Integrations)
        );
        assert_ne!(
            a.bytes(Collection::Integrations),
            c.bytes(Collection::Integrations)
        );
        assert_eq!(a.len(Collection::Integrations), 300);
        assert_eq!(a.len(Collection::Providers), 10);
        assert_eq!(a.len(Collection::Permissions), 12);
        let keys = a.items_of(Collection::Integrations).keys();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn generated_is_varied() {
        let data = MockData::generated(2000, 9);
        let items = data.json(Collection::Integrations);
        let has = |f: &dyn Fn(&Value) -> bool| items.iter().any(f);
        for status in [
            "active",
            "inactive",
            "disabled",
            "requested",
            "paused_by_district",
        ] {
            assert!(has(&|v| v["status"] == status), "{status}");
        }
        assert!(has(&|v| v["scope"] == "all"));
        assert!(has(&|v| v["scope"] == "selected"));
        assert!(has(&|v| v.get("scope").is_none()));
        assert!(has(&|v| v.get("district_sharing").is_some()));
        assert!(has(&|v| v["start_date"].is_string()));
        assert!(has(&|v| v.get("start_date").is_some_and(Value::is_null)));
        assert!(has(&|v| v["team"]["unit_number"].is_null()));
        assert!(has(&|v| v.get("region_id").is_some()));
        assert!(has(&|v| v["team"]["zip"]
            .as_str()
            .is_some_and(|z| z.starts_with('0'))));
        for v in &items {
            let token = v["access_token"].as_str().unwrap_or("");
            assert_eq!(token.len(), 32);
            assert!(token.chars().all(|c| c.is_ascii_alphanumeric()));
            let date = v["created_date"].as_str().unwrap_or("");
            assert_eq!(date.len(), 24, "{date}");
            assert!(date.ends_with('Z'));
        }
    }

    #[test]
    fn merges_changes_in_order() {
        let b = |t: &str| Bytes::from(t.to_owned());
        let items = Items::from_pairs(vec![(10, b("a")), (20, b("b")), (30, b("c"))], "t").unwrap();
        let merged = items.merged(
            &[
                (5, Some(b("new"))),
                (20, None),
                (30, Some(b("C"))),
                (40, Some(b("d"))),
            ],
            0,
        );
        assert_eq!(merged.keys(), [5, 10, 30, 40]);
        let texts: Vec<&[u8]> = merged.items().iter().map(|b| &b[..]).collect();
        assert_eq!(texts, [&b"new"[..], b"a", b"C", b"d"]);
        // Removing an id that is not there changes nothing; the floor drops old ids.
        let merged = items.merged(&[(15, None), (35, Some(b("e")))], 20);
        assert_eq!(merged.keys(), [20, 30, 35]);
        assert_eq!(items.merged(&[], 0).keys(), items.keys());
    }

    #[test]
    fn fixtures_are_checked() {
        let ok = serde_json::json!({"id": "77a69705-41a7-49cb-0fe8-ffd425f9716f"});
        assert!(MockData::from_json_arrays(vec![ok.clone(), ok], vec![], vec![]).is_err());
        let no_id = serde_json::json!({"name": "x"});
        assert!(MockData::from_json_arrays(vec![], vec![no_id], vec![]).is_err());
        let sample = MockData::sample();
        assert_eq!(
            sample.ids(Collection::Integrations),
            vec![Uuid::from_u128(0x77a69705_41a7_49cb_0fe8_ffd425f9716f)]
        );
    }
}
