//! [`Collection`]: the kinds of object the mock serves, v1 meta and v2 Graph.

/// A kind of object the mock serves: the three v1 meta collections and the v2 Graph ones.
///
/// It names routes ([`Route::List`](crate::Route::List)), fault targets
/// ([`FaultTarget::Collection`](crate::FaultTarget::Collection)) and data accessors
/// ([`MockData::ids`](crate::MockData::ids)).
///
/// ```
/// use edlink_mock::Collection;
/// assert_eq!(Collection::Integrations.path(), "/api/v1/integrations");
/// assert_eq!(Collection::People.path(), "/api/v2/graph/people");
/// assert!(Collection::People.is_graph() && !Collection::Providers.is_graph());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Collection {
    /// `/api/v1/integrations` (needs the application secret key).
    Integrations,
    /// `/api/v1/providers` (public).
    Providers,
    /// `/api/v1/permissions` (public).
    Permissions,
    /// `/api/v2/graph/districts` (exactly one per integration).
    Districts,
    /// `/api/v2/graph/schools`.
    Schools,
    /// `/api/v2/graph/sessions`.
    Sessions,
    /// `/api/v2/graph/courses`.
    Courses,
    /// `/api/v2/graph/classes`.
    Classes,
    /// `/api/v2/graph/sections`.
    Sections,
    /// `/api/v2/graph/people`.
    People,
    /// `/api/v2/graph/enrollments`.
    Enrollments,
    /// `/api/v2/graph/agents`.
    Agents,
    /// `/api/v2/graph/licenses` (list only).
    Licenses,
    /// `/api/v2/graph/events` (applied forward; `$last=1` gives the newest).
    Events,
}

impl Collection {
    /// The v1 meta collections, in their index order.
    pub const V1: [Collection; 3] = [
        Collection::Integrations,
        Collection::Providers,
        Collection::Permissions,
    ];

    /// The v2 Graph collections, in their index order.
    pub const GRAPH: [Collection; 11] = [
        Collection::Districts,
        Collection::Schools,
        Collection::Sessions,
        Collection::Courses,
        Collection::Classes,
        Collection::Sections,
        Collection::People,
        Collection::Enrollments,
        Collection::Agents,
        Collection::Licenses,
        Collection::Events,
    ];

    /// The path of the list route, e.g. `/api/v1/integrations` or `/api/v2/graph/people`.
    pub fn path(self) -> &'static str {
        match self {
            Collection::Integrations => "/api/v1/integrations",
            Collection::Providers => "/api/v1/providers",
            Collection::Permissions => "/api/v1/permissions",
            Collection::Districts => "/api/v2/graph/districts",
            Collection::Schools => "/api/v2/graph/schools",
            Collection::Sessions => "/api/v2/graph/sessions",
            Collection::Courses => "/api/v2/graph/courses",
            Collection::Classes => "/api/v2/graph/classes",
            Collection::Sections => "/api/v2/graph/sections",
            Collection::People => "/api/v2/graph/people",
            Collection::Enrollments => "/api/v2/graph/enrollments",
            Collection::Agents => "/api/v2/graph/agents",
            Collection::Licenses => "/api/v2/graph/licenses",
            Collection::Events => "/api/v2/graph/events",
        }
    }

    /// The last segment of [`path`](Self::path), e.g. `people`.
    pub fn name(self) -> &'static str {
        let path = self.path();
        path.rsplit('/').next().unwrap_or(path)
    }

    /// Whether it is a v2 Graph collection (opened by an integration's access token).
    pub fn is_graph(self) -> bool {
        self.index() >= Self::V1.len()
    }

    /// Its position in [`V1`](Self::V1) followed by [`GRAPH`](Self::GRAPH) (stable: cursors
    /// carry it).
    pub(crate) fn index(self) -> usize {
        match self {
            Collection::Integrations => 0,
            Collection::Providers => 1,
            Collection::Permissions => 2,
            Collection::Districts => 3,
            Collection::Schools => 4,
            Collection::Sessions => 5,
            Collection::Courses => 6,
            Collection::Classes => 7,
            Collection::Sections => 8,
            Collection::People => 9,
            Collection::Enrollments => 10,
            Collection::Agents => 11,
            Collection::Licenses => 12,
            Collection::Events => 13,
        }
    }

    /// The inverse of [`index`](Self::index).
    pub(crate) fn from_index(index: u8) -> Option<Self> {
        Self::V1
            .iter()
            .chain(Self::GRAPH.iter())
            .copied()
            .find(|c| c.index() == usize::from(index))
    }
}

#[cfg(test)]
mod tests {
    use super::Collection;

    #[test]
    fn indexes_round_trip_and_paths_are_distinct() {
        let all: Vec<Collection> = Collection::V1
            .iter()
            .chain(Collection::GRAPH.iter())
            .copied()
            .collect();
        for (i, c) in all.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Collection::from_index(i as u8), Some(*c));
            assert!(c.path().ends_with(c.name()));
        }
        assert_eq!(Collection::from_index(14), None);
        let mut paths: Vec<&str> = all.iter().map(|c| c.path()).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), 14);
    }
}
