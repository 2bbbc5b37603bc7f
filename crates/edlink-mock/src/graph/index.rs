//! The nested lists (`/schools/:id/teachers`, `/people/:id/agents`, …), derived from the
//! served objects' own `_id`/`_ids` members, so a nested list always agrees with the JSON.
//! After a mutation only the parts whose inputs changed are derived again.

use std::collections::HashMap;
use std::sync::Arc;

use crate::collection::Collection;
use crate::data::Items;
use crate::graph::raw;
use crate::graph::relation::Relation;

/// For each parent (by index), the indexes of its children, ascending (compressed rows).
#[derive(Clone, Debug, Default)]
pub(crate) struct Lists {
    offsets: Vec<u32>,
    flat: Vec<u32>,
}

impl Lists {
    /// From `(parent, child)` pairs (any order, duplicates allowed).
    fn build(parents: usize, mut pairs: Vec<(u32, u32)>) -> Self {
        pairs.sort_unstable();
        pairs.dedup();
        let mut offsets = Vec::with_capacity(parents + 1);
        let mut flat = Vec::with_capacity(pairs.len());
        let mut at = 0;
        for parent in 0..parents {
            offsets.push(flat.len() as u32);
            while let Some((p, c)) = pairs.get(at) {
                if *p as usize != parent {
                    break;
                }
                flat.push(*c);
                at += 1;
            }
        }
        offsets.push(flat.len() as u32);
        Self { offsets, flat }
    }

    /// The children of `parent`, ascending (empty for an unknown parent).
    pub(crate) fn get(&self, parent: usize) -> &[u32] {
        match (self.offsets.get(parent), self.offsets.get(parent + 1)) {
            (Some(a), Some(b)) => self.flat.get(*a as usize..*b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// The nested lists one part of the index derives.
type PartLists = HashMap<(Collection, Relation), Lists>;

/// Children that name their parent directly: `(child, member, parent, relation)`.
const DIRECT: [(Collection, &str, Collection, Relation); 5] = [
    (
        Collection::Classes,
        "school_id",
        Collection::Schools,
        Relation::Classes,
    ),
    (
        Collection::Courses,
        "school_id",
        Collection::Schools,
        Relation::Courses,
    ),
    (
        Collection::Sessions,
        "school_id",
        Collection::Schools,
        Relation::Sessions,
    ),
    (
        Collection::Classes,
        "course_id",
        Collection::Courses,
        Relation::Classes,
    ),
    (
        Collection::Sections,
        "class_id",
        Collection::Classes,
        Relation::Sections,
    ),
];

/// A part of the index: derived from the objects of `child` (only their `members`) and the
/// ids of `parents`. It is rebuilt only when one of those changed.
struct Part {
    child: Collection,
    members: &'static [&'static str],
    parents: &'static [Collection],
}

/// The parts of the index: first the five of [`DIRECT`], in its order.
const PARTS: [Part; 8] = [
    Part {
        child: Collection::Classes,
        members: &["school_id"],
        parents: &[Collection::Schools],
    },
    Part {
        child: Collection::Courses,
        members: &["school_id"],
        parents: &[Collection::Schools],
    },
    Part {
        child: Collection::Sessions,
        members: &["school_id"],
        parents: &[Collection::Schools],
    },
    Part {
        child: Collection::Classes,
        members: &["course_id"],
        parents: &[Collection::Courses],
    },
    Part {
        child: Collection::Sections,
        members: &["class_id"],
        parents: &[Collection::Classes],
    },
    Part {
        child: Collection::People,
        members: &["roles", "school_ids", "district_id"],
        parents: &[Collection::Schools, Collection::Districts],
    },
    Part {
        child: Collection::Enrollments,
        members: &["person_id", "class_id", "section_id", "role"],
        parents: &[
            Collection::People,
            Collection::Classes,
            Collection::Sections,
        ],
    },
    Part {
        child: Collection::Agents,
        members: &["observer_id", "target_id"],
        parents: &[Collection::People],
    },
];

/// Every nested list of one district, in parts that share their lists between snapshots.
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    parts: Vec<Arc<PartLists>>,
}

impl Index {
    /// The children of `parent` (an index into `collection`) under `relation`.
    pub(crate) fn get(&self, collection: Collection, relation: Relation, parent: usize) -> &[u32] {
        self.parts
            .iter()
            .find_map(|p| p.get(&(collection, relation)))
            .map_or(&[], |l| l.get(parent))
    }
}

/// Pairs gathered per nested list.
#[derive(Default)]
struct Pairs(HashMap<(Collection, Relation), Vec<(u32, u32)>>);

impl Pairs {
    fn add(&mut self, parent: Collection, relation: Relation, p: usize, c: usize) {
        self.0
            .entry((parent, relation))
            .or_default()
            .push((p as u32, c as u32));
    }
}

/// Builds every nested list from the objects `items` gives for each Graph collection.
pub(crate) fn build<'a>(items: impl Fn(Collection) -> &'a Items) -> Index {
    Index {
        parts: (0..PARTS.len())
            .map(|part| Arc::new(build_part(part, &items)))
            .collect(),
    }
}

/// What changed between two snapshots, as the index needs to know it.
pub(crate) trait Changed {
    /// Whether objects of `collection` were created or deleted (positions moved).
    fn ids(&self, collection: Collection) -> bool;
    /// Whether an updated object of `collection` has another value in one of `members`.
    fn members(&self, collection: Collection, members: &[&str]) -> bool;
}

/// The index of new `items`: the parts whose inputs changed are rebuilt, the others are
/// shared with `old`.
pub(crate) fn rebuild<'a>(
    old: &Index,
    items: impl Fn(Collection) -> &'a Items,
    changed: &impl Changed,
) -> Index {
    Index {
        parts: PARTS
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let stale = changed.ids(part.child)
                    || part.parents.iter().any(|c| changed.ids(*c))
                    || changed.members(part.child, part.members);
                match old.parts.get(i) {
                    Some(lists) if !stale => Arc::clone(lists),
                    _ => Arc::new(build_part(i, &items)),
                }
            })
            .collect(),
    }
}

/// One part of the index (see [`PARTS`]).
fn build_part<'a>(part: usize, items: &impl Fn(Collection) -> &'a Items) -> PartLists {
    use Collection as C;
    use Relation as R;
    // The positions of the objects of `c` that a raw `_id`/`_ids` value names.
    let position = |c: Collection, raw: Option<&[u8]>| -> Vec<usize> {
        let keys = items(c).keys();
        let mut out = Vec::new();
        if let Some(raw) = raw {
            raw::each_uuid(raw, |id| out.extend(keys.binary_search(&id).ok()));
        }
        out
    };
    let mut pairs = Pairs::default();
    match part {
        5 => {
            for (c, item) in items(C::People).items().iter().enumerate() {
                let Some(members) = raw::members(item) else {
                    continue;
                };
                let get = |k: &str| members.get(k);
                let roles = raw::strings(get("roles"));
                let has = |r: &str| roles.iter().any(|x| x == r);
                let admin = has("administrator") || has("district-administrator");
                for s in position(C::Schools, get("school_ids")) {
                    pairs.add(C::Schools, R::People, s, c);
                    pairs.add(C::People, R::Schools, c, s);
                    for (flag, relation) in [
                        (has("student"), R::Students),
                        (has("teacher"), R::Teachers),
                        (admin, R::Administrators),
                    ] {
                        if flag {
                            pairs.add(C::Schools, relation, s, c);
                        }
                    }
                }
                for d in position(C::Districts, get("district_id")) {
                    pairs.add(C::People, R::Districts, c, d);
                    if admin {
                        pairs.add(C::Districts, R::Administrators, d, c);
                    }
                }
            }
        }
        6 => {
            for (e, item) in items(C::Enrollments).items().iter().enumerate() {
                let Some(members) = raw::members(item) else {
                    continue;
                };
                let get = |k: &str| members.get(k);
                let role = raw::string(get("role")).unwrap_or_default();
                let people = position(C::People, get("person_id"));
                for (parent, field, back) in [
                    (C::Classes, "class_id", R::Classes),
                    (C::Sections, "section_id", R::Sections),
                ] {
                    for g in position(parent, get(field)) {
                        pairs.add(parent, R::Enrollments, g, e);
                        for &p in &people {
                            pairs.add(parent, R::People, g, p);
                            pairs.add(C::People, back, p, g);
                            match role.as_str() {
                                "teacher" => pairs.add(parent, R::Teachers, g, p),
                                "student" => pairs.add(parent, R::Students, g, p),
                                _ => {}
                            }
                        }
                    }
                }
                for &p in &people {
                    pairs.add(C::People, R::Enrollments, p, e);
                }
            }
        }
        7 => {
            for (a, item) in items(C::Agents).items().iter().enumerate() {
                for field in ["observer_id", "target_id"] {
                    for p in position(C::People, raw::member(item, field)) {
                        pairs.add(C::People, R::Agents, p, a);
                    }
                }
            }
        }
        direct => {
            if let Some((child, field, parent, relation)) = DIRECT.get(direct) {
                for (c, item) in items(*child).items().iter().enumerate() {
                    for p in position(*parent, raw::member(item, field)) {
                        pairs.add(*parent, *relation, p, c);
                    }
                }
            }
        }
    }
    pairs
        .0
        .into_iter()
        .map(|(key, pairs)| (key, Lists::build(items(key.0).keys().len(), pairs)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_rows() {
        let lists = Lists::build(4, vec![(2, 5), (0, 1), (2, 3), (2, 5), (0, 0)]);
        assert_eq!(lists.get(0), &[0, 1]);
        assert_eq!(lists.get(1), &[] as &[u32]);
        assert_eq!(lists.get(2), &[3, 5]);
        assert_eq!(lists.get(3), &[] as &[u32]);
        assert_eq!(lists.get(9), &[] as &[u32]);
    }
}
