//! The SSO settings of a server, and the builder methods that set them.

use std::time::Duration;

use http::StatusCode;

use crate::MockServerBuilder;

/// The client id of the mock's one SSO application, unless set with
/// [`MockServerBuilder::sso_client`].
///
/// ```
/// assert_eq!(edlink_mock::DEFAULT_SSO_CLIENT_ID, "test-client");
/// ```
pub const DEFAULT_SSO_CLIENT_ID: &str = "test-client";

/// The client secret of the mock's SSO application, unless set with
/// [`MockServerBuilder::sso_client`].
///
/// ```
/// assert_eq!(edlink_mock::DEFAULT_SSO_CLIENT_SECRET, "test-client-secret");
/// ```
pub const DEFAULT_SSO_CLIENT_SECRET: &str = "test-client-secret";

/// How long a person's access token lives, unless set with
/// [`MockServerBuilder::person_token_ttl`]: Edlink's documented `expires_in`, 3600 s.
///
/// ```
/// assert_eq!(edlink_mock::DEFAULT_PERSON_TOKEN_TTL.as_secs(), 3600);
/// ```
pub const DEFAULT_PERSON_TOKEN_TTL: Duration = Duration::from_secs(3600);

/// How long an authorization code can be exchanged after the login page issued it.
///
/// ```
/// assert_eq!(edlink_mock::CODE_TTL.as_secs(), 600);
/// ```
pub const CODE_TTL: Duration = Duration::from_secs(600);

/// What a refresh answers about the refresh token.
///
/// ```
/// use edlink_mock::{MockServer, RefreshTokens};
/// let builder = MockServer::builder().refresh_tokens(RefreshTokens::Rotate);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RefreshTokens {
    /// The same refresh token comes back (Edlink's guide: it "always stays the same").
    #[default]
    Same,
    /// A new refresh token comes back and the old one stops working.
    Rotate,
    /// No `refresh_token` in the answer; the old one keeps working.
    Omit,
}

/// The SSO side of a server's settings.
#[derive(Clone, Debug)]
pub(crate) struct SsoConfig {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) token_ttl: Duration,
    /// The status of `EXPIRED_TOKEN` answers on the User API.
    pub(crate) expired_status: StatusCode,
    pub(crate) refresh_tokens: RefreshTokens,
}

impl Default for SsoConfig {
    fn default() -> Self {
        Self {
            client_id: DEFAULT_SSO_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_SSO_CLIENT_SECRET.to_owned(),
            token_ttl: DEFAULT_PERSON_TOKEN_TTL,
            expired_status: StatusCode::UNAUTHORIZED,
            refresh_tokens: RefreshTokens::Same,
        }
    }
}

impl MockServerBuilder {
    /// The client id and secret of the one SSO application the token endpoint and the
    /// login page accept (default `test-client` / `test-client-secret`).
    ///
    /// ```
    /// let builder = edlink_mock::MockServer::builder().sso_client("my-app", "my-secret");
    /// ```
    pub fn sso_client(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.config.sso.client_id = client_id.into();
        self.config.sso.client_secret = client_secret.into();
        self
    }

    /// How long a person's access token lives, on the server's tokio clock (default
    /// 3600 s; the answer's `expires_in` says the same, in whole seconds).
    ///
    /// ```
    /// let builder = edlink_mock::MockServer::builder().person_token_ttl(std::time::Duration::from_secs(60));
    /// ```
    pub fn person_token_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.config.sso.token_ttl = ttl;
        self
    }

    /// Status of the User API's `EXPIRED_TOKEN` answers (default 401, as Edlink's
    /// authorization guide says; its error table says 400).
    ///
    /// ```
    /// let builder = edlink_mock::MockServer::builder().expired_token_status(400);
    /// ```
    pub fn expired_token_status(mut self, status: u16) -> Self {
        self.config.sso.expired_status =
            StatusCode::from_u16(status).unwrap_or(StatusCode::UNAUTHORIZED);
        self
    }

    /// What refreshes answer about the refresh token (default [`RefreshTokens::Same`]).
    pub fn refresh_tokens(mut self, policy: RefreshTokens) -> Self {
        self.config.sso.refresh_tokens = policy;
        self
    }
}
