//! What each Graph collection's objects may hold: the field names `$filter` and `$fields`
//! accept, and the `$expand` names.
//!
//! The fields are the documented ones (edlink-graph.md §1–2, both the git and the live forms:
//! `location` and `address`) plus the undocumented ones the generator emits on purpose
//! (`legacy_id`, `sis_sync_hash`), which the live API would know as its own.

use crate::collection::Collection;

/// An `$expand` name: the object(s) an `_id`/`_ids` field points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Expansion {
    /// The name in `$expand` and the key written into the object, e.g. `schools`.
    pub(crate) name: &'static str,
    /// The member holding the id(s), e.g. `school_ids`.
    pub(crate) source: &'static str,
    /// Where the ids point.
    pub(crate) target: Collection,
    /// `_ids` (an array of objects) rather than `_id` (one object or `null`).
    pub(crate) many: bool,
}

const fn one(name: &'static str, source: &'static str, target: Collection) -> Expansion {
    Expansion {
        name,
        source,
        target,
        many: false,
    }
}

const fn many(name: &'static str, source: &'static str, target: Collection) -> Expansion {
    Expansion {
        name,
        source,
        target,
        many: true,
    }
}

const COMMON: [&str; 5] = [
    "id",
    "created_date",
    "updated_date",
    "properties",
    "identifiers",
];

/// The fields of a Graph collection besides [`COMMON`] (none for a v1 collection).
fn own_fields(collection: Collection) -> &'static [&'static str] {
    match collection {
        Collection::Districts => &[
            "name",
            "locale",
            "time_zone",
            "address",
            "location",
            "picture_url",
        ],
        Collection::Schools => &[
            "name",
            "grade_levels",
            "locale",
            "time_zone",
            "address",
            "location",
            "picture_url",
            "district_id",
            "product_ids",
        ],
        Collection::Sessions => &[
            "name",
            "start_date",
            "end_date",
            "state",
            "type",
            "school_id",
            "district_id",
        ],
        Collection::Courses => &[
            "name",
            "code",
            "grade_levels",
            "subjects",
            "session_id",
            "school_id",
            "district_id",
        ],
        Collection::Classes => &[
            "name",
            "description",
            "picture_url",
            "subjects",
            "grade_levels",
            "periods",
            "state",
            "locale",
            "time_zone",
            "session_ids",
            "course_id",
            "school_id",
            "product_ids",
            "sis_sync_hash",
        ],
        Collection::Sections => &[
            "name",
            "description",
            "picture_url",
            "state",
            "locale",
            "time_zone",
            "periods",
            "class_id",
        ],
        Collection::People => &[
            "first_name",
            "middle_name",
            "last_name",
            "display_name",
            "picture_url",
            "roles",
            "email",
            "phone",
            "locale",
            "time_zone",
            "graduation_year",
            "grade_levels",
            "demographics",
            "district_id",
            "school_ids",
            "gpa",
            "letter_grade",
            "address",
            "department_ids",
            "route_ids",
            "product_ids",
            "legacy_id",
        ],
        Collection::Enrollments => &[
            "start_date",
            "end_date",
            "role",
            "primary",
            "state",
            "person_id",
            "class_id",
            "section_id",
            "final_letter_grade",
            "final_numeric_grade",
        ],
        Collection::Agents => &["relationship", "flags", "observer_id", "target_id"],
        Collection::Licenses => &[
            "product_id",
            "integration_id",
            "school_count",
            "class_count",
            "person_count",
        ],
        Collection::Events => &[
            "date",
            "type",
            "target",
            "target_id",
            "integration_id",
            "materialization_id",
            "data",
        ],
        _ => &[],
    }
}

/// Whether objects of `collection` may have the member `field`.
pub(crate) fn has_field(collection: Collection, field: &str) -> bool {
    if !collection.is_graph() {
        return false;
    }
    // Licenses have no dates, properties or identifiers in the docs, but an `id`.
    let common = if collection == Collection::Licenses {
        &COMMON[..1]
    } else {
        &COMMON[..]
    };
    common.contains(&field) || own_fields(collection).contains(&field)
}

/// The `$expand` names of a collection.
pub(crate) fn expansions(collection: Collection) -> &'static [Expansion] {
    use Collection as C;
    const SCHOOLS: [Expansion; 1] = [one("district", "district_id", C::Districts)];
    const SESSIONS: [Expansion; 2] = [
        one("school", "school_id", C::Schools),
        one("district", "district_id", C::Districts),
    ];
    const COURSES: [Expansion; 3] = [
        one("session", "session_id", C::Sessions),
        one("school", "school_id", C::Schools),
        one("district", "district_id", C::Districts),
    ];
    const CLASSES: [Expansion; 3] = [
        many("sessions", "session_ids", C::Sessions),
        one("course", "course_id", C::Courses),
        one("school", "school_id", C::Schools),
    ];
    const SECTIONS: [Expansion; 1] = [one("class", "class_id", C::Classes)];
    const PEOPLE: [Expansion; 2] = [
        one("district", "district_id", C::Districts),
        many("schools", "school_ids", C::Schools),
    ];
    const ENROLLMENTS: [Expansion; 3] = [
        one("person", "person_id", C::People),
        one("class", "class_id", C::Classes),
        one("section", "section_id", C::Sections),
    ];
    const AGENTS: [Expansion; 2] = [
        one("observer", "observer_id", C::People),
        one("target", "target_id", C::People),
    ];
    match collection {
        C::Schools => &SCHOOLS,
        C::Sessions => &SESSIONS,
        C::Courses => &COURSES,
        C::Classes => &CLASSES,
        C::Sections => &SECTIONS,
        C::People => &PEOPLE,
        C::Enrollments => &ENROLLMENTS,
        C::Agents => &AGENTS,
        _ => &[],
    }
}

/// The expansion called `name` on `collection`.
pub(crate) fn expansion(collection: Collection, name: &str) -> Option<&'static Expansion> {
    expansions(collection).iter().find(|e| e.name == name)
}

/// What one object of a collection is called in messages, e.g. `Person`.
pub(crate) fn singular(collection: Collection) -> &'static str {
    match collection {
        Collection::Districts => "District",
        Collection::Schools => "School",
        Collection::Sessions => "Session",
        Collection::Courses => "Course",
        Collection::Classes => "Class",
        Collection::Sections => "Section",
        Collection::People => "Person",
        Collection::Enrollments => "Enrollment",
        Collection::Agents => "Agent",
        Collection::Licenses => "License",
        Collection::Events => "Event",
        Collection::Integrations => "Integration",
        Collection::Providers => "Provider",
        Collection::Permissions => "Permission",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_expansion_reads_a_field_of_its_collection() {
        for c in Collection::GRAPH {
            for e in expansions(c) {
                assert!(has_field(c, e.source), "{c:?}.{}", e.source);
                assert!(!has_field(c, e.name), "{c:?}.{} shadows a field", e.name);
                assert!(e.target.is_graph());
                assert_eq!(e.many, e.source.ends_with("_ids"));
            }
        }
        assert!(has_field(Collection::People, "school_ids"));
        assert!(!has_field(Collection::People, "nope"));
        assert!(!has_field(Collection::Licenses, "created_date"));
        assert!(!has_field(Collection::Integrations, "id"));
        assert_eq!(
            expansion(Collection::Agents, "observer").map(|e| e.target),
            Some(Collection::People)
        );
    }
}
