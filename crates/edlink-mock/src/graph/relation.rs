//! [`Relation`]: the nested lists of the Graph API, e.g. `/schools/:id/teachers`.

use crate::collection::Collection;

/// The last segment of a nested Graph list, `GET /api/v2/graph/{parent}/:id/{relation}`.
///
/// [`Relation::of`] says which parents have which relations (edlink-api.md §7):
/// districts: administrators; schools: classes, courses, sessions, people, administrators,
/// teachers, students; courses: classes; classes: sections, enrollments, people, teachers,
/// students; sections: enrollments, people, teachers, students; people: enrollments,
/// districts, schools, classes, sections, agents.
///
/// ```
/// use edlink_mock::{Collection, Relation};
/// assert_eq!(Relation::of(Collection::Schools, "teachers"), Some(Relation::Teachers));
/// assert_eq!(Relation::Teachers.lists(), Collection::People);
/// assert_eq!(Relation::of(Collection::Courses, "teachers"), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Relation {
    /// `administrators`: people with the role `administrator` or `district-administrator`.
    Administrators,
    /// `teachers`: people with the role `teacher` (in a class or section: a `teacher`
    /// enrollment).
    Teachers,
    /// `students`: people with the role `student` (in a class or section: a `student`
    /// enrollment).
    Students,
    /// `people`.
    People,
    /// `classes`.
    Classes,
    /// `courses`.
    Courses,
    /// `sessions`.
    Sessions,
    /// `sections`.
    Sections,
    /// `enrollments`.
    Enrollments,
    /// `districts`.
    Districts,
    /// `schools`.
    Schools,
    /// `agents` (of a person: where the person is the observer or the target).
    Agents,
}

const ALL: [Relation; 12] = [
    Relation::Administrators,
    Relation::Teachers,
    Relation::Students,
    Relation::People,
    Relation::Classes,
    Relation::Courses,
    Relation::Sessions,
    Relation::Sections,
    Relation::Enrollments,
    Relation::Districts,
    Relation::Schools,
    Relation::Agents,
];

impl Relation {
    /// The path segment, e.g. `teachers`.
    pub fn segment(self) -> &'static str {
        match self {
            Relation::Administrators => "administrators",
            Relation::Teachers => "teachers",
            Relation::Students => "students",
            Relation::People => "people",
            Relation::Classes => "classes",
            Relation::Courses => "courses",
            Relation::Sessions => "sessions",
            Relation::Sections => "sections",
            Relation::Enrollments => "enrollments",
            Relation::Districts => "districts",
            Relation::Schools => "schools",
            Relation::Agents => "agents",
        }
    }

    /// The collection whose objects the nested list holds (people for `teachers`).
    pub fn lists(self) -> Collection {
        match self {
            Relation::Administrators
            | Relation::Teachers
            | Relation::Students
            | Relation::People => Collection::People,
            Relation::Classes => Collection::Classes,
            Relation::Courses => Collection::Courses,
            Relation::Sessions => Collection::Sessions,
            Relation::Sections => Collection::Sections,
            Relation::Enrollments => Collection::Enrollments,
            Relation::Districts => Collection::Districts,
            Relation::Schools => Collection::Schools,
            Relation::Agents => Collection::Agents,
        }
    }

    /// The relations a parent collection has (empty for the others).
    pub fn of_parent(parent: Collection) -> &'static [Relation] {
        use Relation::*;
        match parent {
            Collection::Districts => &[Administrators],
            Collection::Schools => &[
                Classes,
                Courses,
                Sessions,
                People,
                Administrators,
                Teachers,
                Students,
            ],
            Collection::Courses => &[Classes],
            Collection::Classes => &[Sections, Enrollments, People, Teachers, Students],
            Collection::Sections => &[Enrollments, People, Teachers, Students],
            Collection::People => &[Enrollments, Districts, Schools, Classes, Sections, Agents],
            _ => &[],
        }
    }

    /// The relation named `segment` under `parent`, if that nested list exists.
    pub fn of(parent: Collection, segment: &str) -> Option<Relation> {
        Self::of_parent(parent)
            .iter()
            .copied()
            .find(|r| r.segment() == segment)
    }

    /// Its stable number (cursors carry it).
    pub(crate) fn index(self) -> u8 {
        ALL.iter().position(|r| *r == self).unwrap_or(0) as u8
    }

    /// The inverse of [`index`](Self::index).
    pub(crate) fn from_index(index: u8) -> Option<Self> {
        ALL.get(usize::from(index)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_table_of_the_docs() {
        let count: usize = Collection::GRAPH
            .iter()
            .map(|c| Relation::of_parent(*c).len())
            .sum();
        assert_eq!(count, 1 + 7 + 1 + 5 + 4 + 6);
        for r in ALL {
            assert_eq!(Relation::from_index(r.index()), Some(r));
        }
        assert_eq!(
            Relation::of(Collection::People, "agents"),
            Some(Relation::Agents)
        );
        assert_eq!(Relation::of(Collection::Licenses, "people"), None);
        assert_eq!(Relation::of(Collection::Schools, "nope"), None);
    }
}
