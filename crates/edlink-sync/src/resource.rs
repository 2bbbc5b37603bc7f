//! [`ResourceKind`]: the nine Graph collections a mirror holds, in Edlink's
//! sync order.

use std::fmt;

use edlink_model::{
    Agent, Class, Course, District, Enrollment, EventTarget, Person, Resource, School, Section,
    Session,
};

/// One of the nine rostering collections of the Graph API. The order of
/// [`ResourceKind::ALL`] is the order a full sync reads them in (Edlink's
/// recommended order: every object's parents come before it).
///
/// ```
/// use edlink_sync::ResourceKind;
///
/// assert_eq!(ResourceKind::ALL[0], ResourceKind::Districts);
/// assert_eq!(ResourceKind::People.table(), "people");
/// assert_eq!(ResourceKind::People.path(), "/api/v2/graph/people");
/// assert_eq!("classes".parse::<ResourceKind>(), Ok(ResourceKind::Classes));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ResourceKind {
    /// `/districts` (table `districts`).
    Districts,
    /// `/schools` (table `schools`).
    Schools,
    /// `/sessions` (table `sessions`).
    Sessions,
    /// `/courses` (table `courses`).
    Courses,
    /// `/people` (table `people`).
    People,
    /// `/classes` (table `classes`).
    Classes,
    /// `/sections` (table `sections`).
    Sections,
    /// `/enrollments` (table `enrollments`).
    Enrollments,
    /// `/agents` (table `agents`).
    Agents,
}

impl ResourceKind {
    /// Every collection, in full-sync order: districts → schools → sessions →
    /// courses → people → classes → sections → enrollments → agents.
    ///
    /// ```
    /// use edlink_sync::ResourceKind;
    ///
    /// let names: Vec<_> = ResourceKind::ALL.iter().map(|r| r.table()).collect();
    /// assert_eq!(names.join(","), "districts,schools,sessions,courses,people,classes,sections,enrollments,agents");
    /// ```
    pub const ALL: [Self; 9] = [
        Self::Districts,
        Self::Schools,
        Self::Sessions,
        Self::Courses,
        Self::People,
        Self::Classes,
        Self::Sections,
        Self::Enrollments,
        Self::Agents,
    ];

    /// The table name, which is also the `type` of an export line and the
    /// last segment of the Graph path.
    ///
    /// ```
    /// assert_eq!(edlink_sync::ResourceKind::Enrollments.table(), "enrollments");
    /// ```
    pub fn table(self) -> &'static str {
        match self {
            Self::Districts => "districts",
            Self::Schools => "schools",
            Self::Sessions => "sessions",
            Self::Courses => "courses",
            Self::People => "people",
            Self::Classes => "classes",
            Self::Sections => "sections",
            Self::Enrollments => "enrollments",
            Self::Agents => "agents",
        }
    }

    /// The collection's path from the API root, taken from the model's
    /// [`Resource::PATH`] (so an adapter over `edlink-client` lists the right
    /// endpoint).
    ///
    /// ```
    /// assert_eq!(edlink_sync::ResourceKind::Agents.path(), "/api/v2/graph/agents");
    /// ```
    pub fn path(self) -> &'static str {
        match self {
            Self::Districts => District::PATH,
            Self::Schools => School::PATH,
            Self::Sessions => Session::PATH,
            Self::Courses => Course::PATH,
            Self::People => Person::PATH,
            Self::Classes => Class::PATH,
            Self::Sections => Section::PATH,
            Self::Enrollments => Enrollment::PATH,
            Self::Agents => Agent::PATH,
        }
    }

    /// The collection an event's `target` names; `None` for a target this
    /// version does not mirror.
    ///
    /// ```
    /// use edlink_model::EventTarget;
    /// use edlink_sync::ResourceKind;
    ///
    /// assert_eq!(ResourceKind::from_event_target(&EventTarget::Person), Some(ResourceKind::People));
    /// assert_eq!(ResourceKind::from_event_target(&EventTarget::from("period")), None);
    /// ```
    pub fn from_event_target(target: &EventTarget) -> Option<Self> {
        Some(match target {
            EventTarget::District => Self::Districts,
            EventTarget::School => Self::Schools,
            EventTarget::Session => Self::Sessions,
            EventTarget::Course => Self::Courses,
            EventTarget::Person => Self::People,
            EventTarget::Class => Self::Classes,
            EventTarget::Section => Self::Sections,
            EventTarget::Enrollment => Self::Enrollments,
            EventTarget::Agent => Self::Agents,
            _ => return None,
        })
    }

    /// The event `target` that names this collection.
    ///
    /// ```
    /// use edlink_model::EventTarget;
    ///
    /// assert_eq!(edlink_sync::ResourceKind::Classes.event_target(), EventTarget::Class);
    /// ```
    pub fn event_target(self) -> EventTarget {
        match self {
            Self::Districts => EventTarget::District,
            Self::Schools => EventTarget::School,
            Self::Sessions => EventTarget::Session,
            Self::Courses => EventTarget::Course,
            Self::People => EventTarget::Person,
            Self::Classes => EventTarget::Class,
            Self::Sections => EventTarget::Section,
            Self::Enrollments => EventTarget::Enrollment,
            Self::Agents => EventTarget::Agent,
        }
    }

    /// The collection that follows in full-sync order, `None` after agents.
    ///
    /// ```
    /// use edlink_sync::ResourceKind;
    ///
    /// assert_eq!(ResourceKind::Districts.next(), Some(ResourceKind::Schools));
    /// assert_eq!(ResourceKind::Agents.next(), None);
    /// ```
    pub fn next(self) -> Option<Self> {
        let at = Self::ALL.iter().position(|r| *r == self)?;
        Self::ALL.get(at + 1).copied()
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.table())
    }
}

/// A name that is not one of the nine table names.
///
/// ```
/// let err = "periods".parse::<edlink_sync::ResourceKind>().unwrap_err();
/// assert_eq!(err.to_string(), r#"unknown resource "periods": expected one of districts, schools, sessions, courses, people, classes, sections, enrollments, agents"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown resource {0:?}: expected one of districts, schools, sessions, courses, people, classes, sections, enrollments, agents"
)]
pub struct UnknownResource(pub String);

impl std::str::FromStr for ResourceKind {
    type Err = UnknownResource;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.table() == s)
            .ok_or_else(|| UnknownResource(s.chars().take(64).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_targets_match() {
        for r in ResourceKind::ALL {
            assert_eq!(r.table().parse::<ResourceKind>(), Ok(r));
            assert_eq!(ResourceKind::from_event_target(&r.event_target()), Some(r));
            assert!(r.path().ends_with(r.table()), "{}", r.path());
        }
    }

    #[test]
    fn next_walks_the_sync_order() {
        let mut walked = vec![ResourceKind::Districts];
        while let Some(n) = walked.last().and_then(|r| r.next()) {
            walked.push(n);
        }
        assert_eq!(walked, ResourceKind::ALL);
    }
}
