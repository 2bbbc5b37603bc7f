//! The request log: what each request looked like (never the `Authorization` value).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};

use uuid::Uuid;

use crate::routes::Route;

/// Which credential a request carried, as the server recognised it (never its value).
///
/// ```
/// use edlink_mock::Credential;
/// let seen = Credential::AccessToken(uuid::Uuid::nil());
/// assert_eq!(seen.integration(), Some(uuid::Uuid::nil()));
/// assert_eq!(Credential::ApplicationKey.integration(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Credential {
    /// No `Authorization` header.
    None,
    /// `Bearer <the application secret key>`.
    ApplicationKey,
    /// `Bearer <the access token of this integration>`.
    AccessToken(Uuid),
    /// `Bearer <a person's access token>` (the User API), valid or not: whose it is, and
    /// its serial number (1 for the first person token the server issued, 2 for the next…),
    /// which tells a refreshed token from the one it replaced.
    PersonToken {
        /// The integration the person signed in through.
        integration: Uuid,
        /// The person.
        person: Uuid,
        /// The token's serial number.
        serial: u64,
    },
    /// Anything else: another scheme, a token the server does not know, a malformed header.
    Unknown,
}

impl Credential {
    /// The integration whose access token it was, or through which the person whose
    /// token it was signed in.
    pub fn integration(self) -> Option<Uuid> {
        match self {
            Credential::AccessToken(id)
            | Credential::PersonToken {
                integration: id, ..
            } => Some(id),
            _ => None,
        }
    }

    /// The serial number of a person's token (`None` for other credentials).
    ///
    /// ```
    /// use edlink_mock::Credential;
    /// let nil = uuid::Uuid::nil();
    /// assert_eq!(Credential::PersonToken { integration: nil, person: nil, serial: 2 }.person_token(), Some(2));
    /// assert_eq!(Credential::None.person_token(), None);
    /// ```
    pub fn person_token(self) -> Option<u64> {
        match self {
            Credential::PersonToken { serial, .. } => Some(serial),
            _ => None,
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRequest {
    /// 1-based number of the request, over the server's lifetime.
    pub seq: u64,
    /// 1-based number of the TCP connection it came on.
    pub connection: u64,
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, e.g. `/api/v1/integrations`.
    pub path: String,
    /// The raw query string (still percent-encoded), if any.
    pub query: Option<String>,
    /// The route it matched.
    pub route: Route,
    /// Whether an `Authorization` header was present.
    pub authorization_present: bool,
    /// Whether it was exactly `Bearer <secret key>` (an access token is not: see
    /// [`credential`](Self::credential)).
    pub authorization_valid: bool,
    /// Which credential it carried: none, the application key, an integration's access
    /// token, or something unknown.
    pub credential: Credential,
    /// The status sent, or `None` when the connection was dropped without an answer.
    pub status: Option<u16>,
    /// The name of the injected fault ([`Fault::name`](crate::Fault::name)), if any.
    pub fault: Option<String>,
}

impl LoggedRequest {
    /// The decoded value of a query parameter, e.g. `param("$first")`.
    pub fn param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        crate::text::query_pairs(query)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// `path?query`, as the client sent it.
    pub fn path_and_query(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }
}

/// A bounded log (the oldest entries go first once `capacity` is reached).
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: Mutex<VecDeque<LoggedRequest>>,
    capacity: usize,
}

impl RequestLog {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(VecDeque::new()),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<LoggedRequest>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn push(&self, entry: LoggedRequest) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.lock();
        while entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    pub(crate) fn snapshot(&self) -> Vec<LoggedRequest> {
        let mut v: Vec<LoggedRequest> = self.lock().iter().cloned().collect();
        v.sort_by_key(|e| e.seq);
        v
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}
