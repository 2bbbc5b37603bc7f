//! [`GraphData`]: the district behind one integration, sorted by id and pre-serialized.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;
use uuid::Uuid;

use crate::collection::Collection;
use crate::data::{Items, NO_ITEMS};
use crate::graph::district::{self, Ctx, Origin};
use crate::graph::dump;
use crate::graph::index::{self, Index};
use crate::graph::raw;
use crate::graph::relation::Relation;
use crate::graph::size::GraphSize;

struct Inner {
    integration: u128,
    /// One per Graph collection, in [`Collection::GRAPH`] order (shared between snapshots
    /// when a mutation leaves a collection alone).
    items: Vec<Arc<Items>>,
    index: Index,
}

/// Changes to a district, per collection, by id: `Some(bytes)` is the new value, `None` a
/// deletion.
pub(crate) type Changes = BTreeMap<Collection, BTreeMap<u128, Option<Bytes>>>;

/// A snapshot and the changes applied to it, as the index asks about them.
struct Diff<'a> {
    old: &'a GraphData,
    changes: &'a Changes,
}

impl index::Changed for Diff<'_> {
    fn ids(&self, collection: Collection) -> bool {
        let old = self.old.items(collection);
        self.changes.get(&collection).is_some_and(|c| {
            c.iter()
                .any(|(id, new)| old.get(*id).is_some() != new.is_some())
        })
    }

    fn members(&self, collection: Collection, members: &[&str]) -> bool {
        let old = self.old.items(collection);
        self.changes.get(&collection).is_some_and(|c| {
            c.iter().any(|(id, new)| match (old.get(*id), new) {
                (Some(before), Some(after)) => {
                    let (before, after) = (raw::members(before), raw::members(after));
                    // Unreadable objects: assume the worst.
                    let (Some(before), Some(after)) = (before, after) else {
                        return true;
                    };
                    members.iter().any(|m| before.get(m) != after.get(m))
                }
                _ => false,
            })
        })
    }
}

/// The Graph data of one integration: exactly one district, its schools, sessions, courses,
/// classes, sections, people, enrollments, agents, licenses and events, each collection
/// sorted by id (the `$after` order) and serialized once. Cheap to clone.
///
/// It is a snapshot: a mutation ([`MockServer::mutate`](crate::MockServer::mutate)) makes
/// a new one, which the server serves from then on, and leaves this one as it was.
///
/// Get it from a running server with [`MockServer::graph`](crate::MockServer::graph).
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use edlink_mock::{Collection, MockServer, Relation};
/// let server = MockServer::builder().start().await?;
/// let integration = server.integrations_with_status("active")[0];
/// let graph = server.graph(integration).expect("a listed integration");
/// let school = graph.ids(Collection::Schools)[0];
/// let teachers = graph.nested_ids(Collection::Schools, school, Relation::Teachers);
/// println!("{} teaches at {school}", teachers.unwrap_or_default().len());
/// println!("{:?}", graph.object(Collection::Schools, school));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct GraphData(Arc<Inner>);

impl fmt::Debug for GraphData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("GraphData");
        d.field("integration", &self.integration_id());
        for c in Collection::GRAPH {
            d.field(c.name(), &self.len(c));
        }
        d.finish()
    }
}

impl GraphData {
    /// Generates the district of `origin` (deterministic in `seed`, `size` and the origin),
    /// and returns it with the generator's context (for mutation steps).
    pub(crate) fn generate(origin: &Origin, seed: u64, size: &GraphSize) -> (Self, Ctx) {
        let (generated, ctx) = district::generate(origin, seed, size);
        let items: Vec<Arc<Items>> = generated
            .into_iter()
            .map(|objects| {
                let pairs = objects.into_pairs();
                // Ids are 128 random bits: a duplicate is as likely as a meteor strike, and
                // would only drop the collection (never panic).
                Arc::new(Items::from_pairs(pairs, "graph").unwrap_or_default())
            })
            .collect();
        let index = index::build(|c| Self::slot(&items, c));
        let data = Self(Arc::new(Inner {
            integration: origin.id,
            items,
            index,
        }));
        (data, ctx)
    }

    /// A new snapshot: this one with `changes` applied and the events below `events_floor`
    /// left out. Untouched collections and index parts are shared, changed collections are
    /// merged (their unchanged objects keep their bytes).
    pub(crate) fn apply(&self, changes: &Changes, events_floor: u128) -> Self {
        let items: Vec<Arc<Items>> = Collection::GRAPH
            .iter()
            .zip(&self.0.items)
            .map(|(collection, old)| {
                let floor = if *collection == Collection::Events {
                    events_floor
                } else {
                    0
                };
                let first = old.keys().first().copied().unwrap_or(u128::MAX);
                match changes.get(collection) {
                    None if first >= floor => Arc::clone(old),
                    change => {
                        let change: Vec<(u128, Option<Bytes>)> = change
                            .into_iter()
                            .flatten()
                            .map(|(k, v)| (*k, v.clone()))
                            .collect();
                        Arc::new(old.merged(&change, floor))
                    }
                }
            })
            .collect();
        let changed = Diff { old: self, changes };
        let index = index::rebuild(&self.0.index, |c| Self::slot(&items, c), &changed);
        Self(Arc::new(Inner {
            integration: self.0.integration,
            items,
            index,
        }))
    }

    fn slot(items: &[Arc<Items>], collection: Collection) -> &Items {
        Collection::GRAPH
            .iter()
            .position(|c| *c == collection)
            .and_then(|i| items.get(i))
            .map_or(&NO_ITEMS, |items| items)
    }

    /// The items of a collection (none for a v1 collection).
    pub(crate) fn items(&self, collection: Collection) -> &Items {
        Self::slot(&self.0.items, collection)
    }

    /// The index of object `id` in its collection.
    pub(crate) fn position(&self, collection: Collection, id: u128) -> Option<usize> {
        self.items(collection).keys().binary_search(&id).ok()
    }

    /// The serialized object `id`.
    pub(crate) fn lookup(&self, collection: Collection, id: u128) -> Option<&Bytes> {
        self.items(collection).get(id)
    }

    /// The child indexes (into `relation.lists()`) of the parent at `parent` in `collection`.
    pub(crate) fn nested(
        &self,
        collection: Collection,
        relation: Relation,
        parent: usize,
    ) -> &[u32] {
        self.0.index.get(collection, relation, parent)
    }

    /// The integration whose district this is.
    pub fn integration_id(&self) -> Uuid {
        Uuid::from_u128(self.0.integration)
    }

    /// The id of the one district.
    pub fn district_id(&self) -> Uuid {
        Uuid::from_u128(
            self.items(Collection::Districts)
                .keys()
                .first()
                .copied()
                .unwrap_or(0),
        )
    }

    /// How many objects a collection holds (0 for a v1 collection).
    pub fn len(&self, collection: Collection) -> usize {
        self.items(collection).keys().len()
    }

    /// Whether a collection is empty.
    pub fn is_empty(&self, collection: Collection) -> bool {
        self.len(collection) == 0
    }

    /// The ids of a collection, ascending: the order `$first`/`$after` paging returns them.
    pub fn ids(&self, collection: Collection) -> Vec<Uuid> {
        self.items(collection)
            .keys()
            .iter()
            .map(|k| Uuid::from_u128(*k))
            .collect()
    }

    /// The serialized objects, ascending by id: exactly the bytes a plain listing sends.
    pub fn bytes(&self, collection: Collection) -> &[Bytes] {
        self.items(collection).items()
    }

    /// The objects parsed into JSON values, ascending by id (parsed on each call).
    pub fn json(&self, collection: Collection) -> Vec<Value> {
        self.bytes(collection)
            .iter()
            .filter_map(|b| serde_json::from_slice(b).ok())
            .collect()
    }

    /// One object as JSON, or `None` when the collection has no such id.
    pub fn object(&self, collection: Collection, id: Uuid) -> Option<Value> {
        self.lookup(collection, id.as_u128())
            .and_then(|b| serde_json::from_slice(b).ok())
    }

    /// The district's current objects in the JSONL form of `edlink sync export` (and of
    /// `edlink_sync::export_line`): one line per object of the nine synced collections,
    /// `{"integration_id":"…","type":"people","id":"…","data":{…}}`, sorted by type and id,
    /// with the values of secret-named members (`…_token`, `…secret`, `password`…) masked to
    /// their first 4 characters and `…`, as the CLI masks them. Licenses and events are not
    /// objects a sync mirrors, so they are not in it.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let server = edlink_mock::MockServer::builder().start().await?;
    /// let integration = server.integrations_with_status("active")[0];
    /// let graph = server.graph(integration).expect("a listed integration");
    /// for line in graph.dump().lines().take(3) {
    ///     println!("{line}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn dump(&self) -> String {
        dump::dump(self, true)
    }

    /// [`dump`](Self::dump) with secret values as they are (`edlink sync export` with
    /// `ExportOptions::unmasked`).
    pub fn dump_unmasked(&self) -> String {
        dump::dump(self, false)
    }

    /// The ids a nested list serves, ascending, e.g. the teachers of a school; `None` when
    /// the parent does not exist or the nested list is not one of the API's.
    pub fn nested_ids(
        &self,
        parent: Collection,
        id: Uuid,
        relation: Relation,
    ) -> Option<Vec<Uuid>> {
        self.nested_keys(parent, id.as_u128(), relation)
            .map(|keys| keys.into_iter().map(Uuid::from_u128).collect())
    }

    /// [`nested_ids`](Self::nested_ids) as 128-bit keys.
    pub(crate) fn nested_keys(
        &self,
        parent: Collection,
        id: u128,
        relation: Relation,
    ) -> Option<Vec<u128>> {
        if !Relation::of_parent(parent).contains(&relation) {
            return None;
        }
        let at = self.position(parent, id)?;
        let keys = self.items(relation.lists()).keys();
        Some(
            self.nested(parent, relation, at)
                .iter()
                .filter_map(|i| keys.get(*i as usize).copied())
                .collect(),
        )
    }
}
