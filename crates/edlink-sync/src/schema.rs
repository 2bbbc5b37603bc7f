//! The mirror's tables, described once: both stores build their SQL from
//! this, and [`crate::StoredObject`] extracts exactly these keys.

use crate::ResourceKind;

/// An id array of an object, mirrored as a link table so that "the schools
/// of this person" is a join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LinkSpec {
    /// The link table, e.g. `people_schools`.
    pub table: &'static str,
    /// The JSON member holding the ids, e.g. `school_ids`.
    pub field: &'static str,
    /// The column holding the owner's id, e.g. `person_id`.
    pub owner: &'static str,
    /// The column holding each listed id, e.g. `school_id`.
    pub other: &'static str,
}

/// One resource's table: its foreign-key columns (named as the JSON members
/// they come from) and its link tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TableSpec {
    pub columns: &'static [&'static str],
    pub links: &'static [LinkSpec],
}

const PEOPLE_SCHOOLS: LinkSpec = LinkSpec {
    table: "people_schools",
    field: "school_ids",
    owner: "person_id",
    other: "school_id",
};

const CLASSES_SESSIONS: LinkSpec = LinkSpec {
    table: "classes_sessions",
    field: "session_ids",
    owner: "class_id",
    other: "session_id",
};

/// Every link table, in a fixed order.
pub(crate) const LINKS: [LinkSpec; 2] = [PEOPLE_SCHOOLS, CLASSES_SESSIONS];

/// Every key member any table indexes: the only members
/// [`crate::StoredObject`] reads besides `id`.
pub(crate) const KEY_FIELDS: [&str; 9] = [
    "district_id",
    "school_id",
    "session_id",
    "course_id",
    "class_id",
    "section_id",
    "person_id",
    "observer_id",
    "target_id",
];

/// The table of `kind`.
pub(crate) fn table(kind: ResourceKind) -> TableSpec {
    match kind {
        ResourceKind::Districts => TableSpec {
            columns: &[],
            links: &[],
        },
        ResourceKind::Schools => TableSpec {
            columns: &["district_id"],
            links: &[],
        },
        ResourceKind::Sessions => TableSpec {
            columns: &["school_id", "district_id"],
            links: &[],
        },
        ResourceKind::Courses => TableSpec {
            columns: &["session_id", "school_id", "district_id"],
            links: &[],
        },
        ResourceKind::People => TableSpec {
            columns: &["district_id"],
            links: &[PEOPLE_SCHOOLS],
        },
        ResourceKind::Classes => TableSpec {
            columns: &["course_id", "school_id"],
            links: &[CLASSES_SESSIONS],
        },
        ResourceKind::Sections => TableSpec {
            columns: &["class_id"],
            links: &[],
        },
        ResourceKind::Enrollments => TableSpec {
            columns: &["person_id", "class_id", "section_id"],
            links: &[],
        },
        ResourceKind::Agents => TableSpec {
            columns: &["observer_id", "target_id"],
            links: &[],
        },
    }
}

/// The tables in export order (by name), with their kinds.
pub(crate) fn export_order() -> [ResourceKind; 9] {
    let mut all = ResourceKind::ALL;
    all.sort_by_key(|k| k.table());
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_a_key_field_and_links_belong_to_one_table() {
        for kind in ResourceKind::ALL {
            for c in table(kind).columns {
                assert!(KEY_FIELDS.contains(c), "{kind}: {c}");
            }
        }
        for link in LINKS {
            let owners: Vec<_> = ResourceKind::ALL
                .into_iter()
                .filter(|k| table(*k).links.contains(&link))
                .collect();
            assert_eq!(owners.len(), 1, "{}", link.table);
        }
    }

    #[test]
    fn export_order_is_alphabetical() {
        let names: Vec<_> = export_order().iter().map(|k| k.table()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert_eq!(names[0], "agents");
    }
}
