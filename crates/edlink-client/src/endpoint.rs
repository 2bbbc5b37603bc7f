//! [`Endpoint`]: what a request is for, and the one rule for which credential
//! goes with it.
//!
//! The application key goes only to endpoints that want the key (the v1 meta
//! routes), an integration's access token only to endpoints that want a token
//! (the Graph API): a request never carries the other kind, whatever the
//! caller holds.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use edlink_model::{AccessToken, Auth, Resource};
use http::HeaderValue;

use crate::Error;
use crate::client::Inner;

/// An integration's access token and its `Authorization` value, built once
/// per Graph handle.
pub(crate) struct TokenAuth {
    pub(crate) token: AccessToken,
    /// `Bearer <token>`, marked sensitive.
    pub(crate) header: HeaderValue,
}

impl TokenAuth {
    /// The credential for `token`, or what is wrong with it (never the token
    /// itself).
    pub(crate) fn credential(token: AccessToken) -> Credential {
        let secret = token.expose_secret();
        if secret.trim().is_empty() {
            return Credential::InvalidToken("the access token is empty");
        }
        match HeaderValue::from_str(&format!("Bearer {secret}")) {
            Ok(mut header) => {
                header.set_sensitive(true);
                Credential::Token(Arc::new(Self { token, header }))
            }
            Err(_) => Credential::InvalidToken(
                "the access token contains characters that cannot be sent in an HTTP header",
            ),
        }
    }
}

/// The credential a handle holds for its endpoints.
#[derive(Clone)]
pub(crate) enum Credential {
    /// The client's own: the application key, when it has one.
    Client,
    /// An integration's access token (a Graph handle).
    Token(Arc<TokenAuth>),
    /// A token that cannot be sent, and why: every request fails before
    /// anything is sent.
    InvalidToken(&'static str),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Client => f.write_str("Client"),
            Self::Token(_) => f.write_str("Token([redacted])"),
            Self::InvalidToken(why) => write!(f, "InvalidToken({why:?})"),
        }
    }
}

/// What a request is for: the collection path, the credential it wants and
/// the one the handle holds, and a name for messages.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    /// The collection path, e.g. `/api/v1/integrations` or
    /// `/api/v2/graph/schools/<id>/classes`.
    pub(crate) path: Cow<'static, str>,
    pub(crate) auth: Auth,
    /// The object name, e.g. `integration`.
    pub(crate) name: &'static str,
    pub(crate) credential: Credential,
    /// The events feed: read forward from a checkpoint (`$after`), whose
    /// refusal on the first page means it aged out.
    pub(crate) events_feed: bool,
}

const APPLICATION_KEY: &str =
    "the application secret key (ClientBuilder::application_key or EDLINK_SECRET_KEY)";
const ACCESS_TOKEN: &str =
    "an integration's access token (client.graph(token) or client.graph_for(&integration))";

impl Endpoint {
    /// The collection of `R`, with the credential `credential`.
    pub(crate) fn of<R: Resource>(credential: Credential) -> Self {
        Self {
            path: Cow::Borrowed(R::PATH),
            auth: R::AUTH,
            name: R::NAME,
            credential,
            events_feed: false,
        }
    }

    /// A nested collection of `R` under this one's object `id`
    /// (`/schools/<id>/classes`), with the same credential.
    pub(crate) fn nested<R: Resource>(&self, id: uuid::Uuid, segment: &str) -> Self {
        Self {
            path: Cow::Owned(format!("{}/{}/{segment}", self.path, id.hyphenated())),
            auth: R::AUTH,
            name: R::NAME,
            credential: self.credential.clone(),
            events_feed: false,
        }
    }

    /// The `Authorization` value for this endpoint, or the error to fail with
    /// before anything is sent: the key only where the key is wanted, a token
    /// only where a token is wanted.
    pub(crate) fn authorization(&self, inner: &Inner) -> Result<Option<HeaderValue>, Error> {
        let missing = |credential| Error::MissingCredential {
            resource: self.name,
            credential,
        };
        match (self.auth, &self.credential) {
            (Auth::None, _) => Ok(None),
            (Auth::ApplicationKey, Credential::Client) => inner
                .authorization
                .clone()
                .map(Some)
                .ok_or_else(|| missing(APPLICATION_KEY)),
            (Auth::AccessToken, Credential::Token(token)) => Ok(Some(token.header.clone())),
            (Auth::AccessToken, Credential::InvalidToken(why)) => Err(Error::invalid(*why)),
            (Auth::ApplicationKey, Credential::Token(_) | Credential::InvalidToken(_)) => {
                Err(missing(APPLICATION_KEY))
            }
            (_, _) => Err(missing(ACCESS_TOKEN)),
        }
    }

    /// The token this endpoint's handle holds, to mask it by value in
    /// anything a server sends back.
    pub(crate) fn token(&self) -> Option<&AccessToken> {
        match &self.credential {
            Credential::Token(token) => Some(&token.token),
            Credential::Client | Credential::InvalidToken(_) => None,
        }
    }
}
