//! What a timed listing lists: the integrations (with the application key) or
//! the Graph people of one integration's district (with its access token).
//! Every variant takes one, so integrations and people are timed alike.

use super::mock::KEY;

/// The collection listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `GET /api/v1/integrations`, application key.
    Integrations,
    /// `GET /api/v2/graph/people`, an integration's access token.
    People,
}

/// A collection and the credential that lists it.
#[derive(Clone, Debug)]
pub(crate) struct Listing {
    pub(crate) kind: Kind,
    /// Sent as `Authorization: Bearer …`.
    pub(crate) credential: String,
}

impl Listing {
    /// The integrations of the benchmark's mock.
    pub(crate) fn integrations() -> Self {
        Self {
            kind: Kind::Integrations,
            credential: KEY.to_owned(),
        }
    }

    /// The people of the district behind `token`'s integration.
    pub(crate) fn people(token: &str) -> Self {
        Self {
            kind: Kind::People,
            credential: token.to_owned(),
        }
    }

    /// The route listed.
    pub(crate) fn path(&self) -> &'static str {
        match self.kind {
            Kind::Integrations => "/api/v1/integrations",
            Kind::People => "/api/v2/graph/people",
        }
    }

    /// The first page's URL.
    pub(crate) fn first_url(&self, base: &str, page: usize) -> String {
        format!("{base}{}?$first={page}", self.path())
    }

    /// What the tables call the items.
    pub(crate) fn noun(&self) -> &'static str {
        match self.kind {
            Kind::Integrations => "integrations",
            Kind::People => "Graph people",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_credentials() {
        let i = Listing::integrations();
        assert_eq!(
            i.first_url("http://h", 10),
            "http://h/api/v1/integrations?$first=10"
        );
        assert_eq!(i.credential, KEY);
        let p = Listing::people("t");
        assert_eq!(
            p.first_url("http://h", 1_000),
            "http://h/api/v2/graph/people?$first=1000"
        );
        assert_eq!((p.kind, p.credential.as_str()), (Kind::People, "t"));
    }
}
