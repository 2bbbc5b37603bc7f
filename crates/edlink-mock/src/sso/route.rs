//! [`MyRoute`]: the User API's routes (`/api/v2/my/…`).

use crate::collection::Collection;
use crate::graph::relation::Relation;

/// A route of the User API, `GET /api/v2/my/…`, answered for the person whose token the
/// request carries.
///
/// ```
/// use edlink_mock::{Collection, MyRoute, Relation, Route};
/// assert_eq!(Route::parse("/api/v2/my/profile").0, Route::My(MyRoute::Profile));
/// assert_eq!(Route::parse("/api/v2/my/classes/x/students"),
///            (Route::My(MyRoute::Nested(Collection::Classes, Relation::Students)), Some("x")));
/// assert_eq!(Route::parse("/api/v2/my/courses").0, Route::Unknown);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MyRoute {
    /// `/my/profile`: the person.
    Profile,
    /// `/my/integration`: the integration they signed in through.
    Integration,
    /// `/my/source`: its data source.
    Source,
    /// `/my/{districts,schools,classes,sections,agents,enrollments}`: their own.
    List(Collection),
    /// `/my/{…}/:id`: one of their own.
    Fetch(Collection),
    /// `/my/classes/:id/{people,teachers,students,enrollments,sections}` and
    /// `/my/sections/:id/{people,teachers,students,enrollments}`.
    Nested(Collection, Relation),
}

/// The prefix of every User API route.
const MY: &str = "/api/v2/my/";

/// The User API's collections, each the relation of a person that lists them.
pub(crate) const MY_COLLECTIONS: [(Collection, Relation); 6] = [
    (Collection::Districts, Relation::Districts),
    (Collection::Schools, Relation::Schools),
    (Collection::Classes, Relation::Classes),
    (Collection::Sections, Relation::Sections),
    (Collection::Agents, Relation::Agents),
    (Collection::Enrollments, Relation::Enrollments),
];

/// The relation of a person that lists their `collection` (`None`: not a User API
/// collection).
pub(crate) fn relation_of(collection: Collection) -> Option<Relation> {
    MY_COLLECTIONS
        .iter()
        .find(|(c, _)| *c == collection)
        .map(|(_, r)| *r)
}

/// Matches a path (no trailing `/`) under `/api/v2/my/`; `None` when it is not one.
pub(crate) fn parse(path: &str) -> Option<(MyRoute, Option<&str>)> {
    let rest = path.strip_prefix(MY)?;
    let mut parts = rest.split('/');
    let name = parts.next().unwrap_or("");
    let single = match name {
        "profile" => Some(MyRoute::Profile),
        "integration" => Some(MyRoute::Integration),
        "source" => Some(MyRoute::Source),
        _ => None,
    };
    if let Some(route) = single {
        return parts.next().is_none().then_some((route, None));
    }
    let collection = MY_COLLECTIONS
        .iter()
        .map(|(c, _)| *c)
        .find(|c| c.name() == name)?;
    match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => Some((MyRoute::List(collection), None)),
        (Some(id), None, _) if !id.is_empty() => Some((MyRoute::Fetch(collection), Some(id))),
        (Some(id), Some(segment), None)
            if !id.is_empty()
                && matches!(collection, Collection::Classes | Collection::Sections) =>
        {
            Relation::of(collection, segment).map(|r| (MyRoute::Nested(collection, r), Some(id)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_api_routes() {
        use Collection as C;
        assert_eq!(parse("/api/v2/my/source"), Some((MyRoute::Source, None)));
        assert_eq!(
            parse("/api/v2/my/agents"),
            Some((MyRoute::List(C::Agents), None))
        );
        assert_eq!(
            parse("/api/v2/my/sections/s/enrollments"),
            Some((
                MyRoute::Nested(C::Sections, Relation::Enrollments),
                Some("s")
            ))
        );
        assert_eq!(
            parse("/api/v2/my/enrollments/e"),
            Some((MyRoute::Fetch(C::Enrollments), Some("e")))
        );
        for unknown in [
            "/api/v2/my/",
            "/api/v2/my/profile/x",
            "/api/v2/my/people",
            "/api/v2/my/classes//students",
            "/api/v2/my/schools/s/teachers",
            "/api/v2/my/sections/s/sections",
            "/api/v2/my/classes/c/students/x",
            "/api/v2/graph/classes",
        ] {
            assert_eq!(parse(unknown), None, "{unknown}");
        }
        assert_eq!(relation_of(C::People), None);
    }
}
