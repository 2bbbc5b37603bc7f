//! [`Endpoint`]: what a request is for, and the one rule for which credential
//! goes with it.
//!
//! The application key goes only to endpoints that want the key (the v1 meta
//! routes), an integration's access token only to endpoints that want a token
//! (the Graph API), a person's token only to the User API: a request never
//! carries another kind, whatever the caller holds. A person's token is taken
//! from their session at each request (refreshed first when it is about to
//! expire).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use edlink_model::{AccessToken, Auth, PagingRules, Resource};
use http::HeaderValue;

use crate::Error;
use crate::client::Inner;
use crate::session::Session;

/// An integration's access token and its `Authorization` value, built once
/// per Graph handle.
pub(crate) struct TokenAuth {
    pub(crate) token: AccessToken,
    /// `Bearer <token>`, marked sensitive.
    pub(crate) header: HeaderValue,
}

impl TokenAuth {
    /// `token` with its header, or what is wrong with it (never the token
    /// itself).
    pub(crate) fn new(token: AccessToken) -> Result<Arc<Self>, &'static str> {
        let secret = token.expose_secret();
        if secret.trim().is_empty() {
            return Err("the access token is empty");
        }
        match HeaderValue::from_str(&format!("Bearer {secret}")) {
            Ok(mut header) => {
                header.set_sensitive(true);
                Ok(Arc::new(Self { token, header }))
            }
            Err(_) => {
                Err("the access token contains characters that cannot be sent in an HTTP header")
            }
        }
    }

    /// The credential for an integration's `token`.
    pub(crate) fn credential(token: AccessToken) -> Credential {
        match Self::new(token) {
            Ok(auth) => Credential::Token(auth),
            Err(why) => Credential::InvalidToken(why),
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
    /// A signed-in person's session (the User API): its token changes as it
    /// is refreshed.
    User(Arc<Session>),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Client => f.write_str("Client"),
            Self::Token(_) => f.write_str("Token([redacted])"),
            Self::InvalidToken(why) => write!(f, "InvalidToken({why:?})"),
            Self::User(_) => f.write_str("User([redacted])"),
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
    /// How its listings page: the User API's differ.
    pub(crate) paging: PagingRules,
}

/// The credential one request carries, decided by [`Endpoint::authorize`].
pub(crate) struct Authorized {
    /// The `Authorization` value, if any.
    pub(crate) header: Option<HeaderValue>,
    /// The token sent, to mask it by value in anything a server sends back.
    pub(crate) token: Option<Arc<TokenAuth>>,
    /// The person's session and the generation of the token sent: a refusal
    /// refreshes that token (once) and the request goes again.
    pub(crate) session: Option<(Arc<Session>, u64)>,
}

const APPLICATION_KEY: &str =
    "the application secret key (ClientBuilder::application_key or EDLINK_SECRET_KEY)";
const ACCESS_TOKEN: &str =
    "an integration's access token (client.graph(token) or client.graph_for(&integration))";
const USER_TOKEN: &str =
    "a signed-in person's token set (client.sso(client_id, client_secret).user(tokens))";

impl Endpoint {
    /// The collection of `R`, with the credential `credential`.
    pub(crate) fn of<R: Resource>(credential: Credential) -> Self {
        Self {
            path: Cow::Borrowed(R::PATH),
            auth: R::AUTH,
            name: R::NAME,
            credential,
            events_feed: false,
            paging: PagingRules::Full,
        }
    }

    /// The token endpoint (`POST /api/authentication/token`): no
    /// `Authorization` header, the credentials go in the body.
    pub(crate) fn token() -> Self {
        Self {
            path: Cow::Borrowed(edlink_model::auth::TOKEN_PATH),
            auth: Auth::None,
            name: "token",
            credential: Credential::Client,
            events_feed: false,
            paging: PagingRules::Full,
        }
    }

    /// A nested collection of `R` under this one's object `id`
    /// (`/schools/<id>/classes`), with the same credential.
    pub(crate) fn nested<R: Resource>(&self, id: uuid::Uuid, segment: &str) -> Self {
        Self {
            path: Cow::Owned(format!("{}/{}/{segment}", self.path, id.hyphenated())),
            auth: self.auth,
            name: R::NAME,
            credential: self.credential.clone(),
            events_feed: false,
            paging: self.paging,
        }
    }

    /// The credential for one request of this endpoint, or the error to fail
    /// with before anything is sent: the key only where the key is wanted, an
    /// integration's token only where a token is wanted, a person's token
    /// (refreshed first when it is about to expire) only on the User API.
    pub(crate) async fn authorize(&self, inner: &Inner) -> Result<Authorized, Error> {
        let missing = |credential| Error::MissingCredential {
            resource: self.name,
            credential,
        };
        let header = |header| Authorized {
            header,
            token: None,
            session: None,
        };
        match (self.auth, &self.credential) {
            (Auth::None, _) => Ok(header(None)),
            (Auth::ApplicationKey, Credential::Client) => inner
                .authorization
                .clone()
                .map(|h| header(Some(h)))
                .ok_or_else(|| missing(APPLICATION_KEY)),
            (Auth::AccessToken, Credential::Token(token)) => Ok(Authorized {
                header: Some(token.header.clone()),
                token: Some(Arc::clone(token)),
                session: None,
            }),
            (Auth::AccessToken, Credential::InvalidToken(why)) => Err(Error::invalid(*why)),
            (Auth::UserToken, Credential::User(session)) => {
                let lease = session.lease().await?;
                Ok(Authorized {
                    header: Some(lease.auth.header.clone()),
                    token: Some(lease.auth),
                    session: Some((Arc::clone(session), lease.generation)),
                })
            }
            (Auth::ApplicationKey, _) => Err(missing(APPLICATION_KEY)),
            (Auth::UserToken, _) => Err(missing(USER_TOKEN)),
            (_, _) => Err(missing(ACCESS_TOKEN)),
        }
    }
}
