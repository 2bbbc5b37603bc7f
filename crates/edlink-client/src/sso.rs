//! [`Sso`]: sign-in with Edlink for one SSO application (client id and
//! secret): the login URL, the code exchange, refreshes, and person sessions.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use edlink_model::auth::{LoginUrl, TOKEN_PATH, TokenRequest, TokenResponse};
use edlink_model::{AccessToken, AuthorizationCode, ClientSecret, LoginState, Timestamp, TokenSet};
use http::{HeaderValue, Method};
use url::Url;

use crate::endpoint::Endpoint;
use crate::execute::{self, Body, Outgoing};
use crate::retry::Replay;
use crate::{Client, Error, UserBuilder};

/// Where a session reads the time: the wall clock, or one a test injects.
#[derive(Clone)]
pub(crate) struct Clock(Arc<dyn Fn() -> Timestamp + Send + Sync>);

impl Clock {
    pub(crate) fn now(&self) -> Timestamp {
        (self.0)()
    }
}

/// An SSO application's credentials and clock, shared by its sessions.
pub(crate) struct SsoApp {
    pub(crate) client_id: String,
    pub(crate) client_secret: ClientSecret,
    pub(crate) clock: Clock,
}

/// Sign-in with Edlink for one SSO application: build the login URL, exchange
/// the code Edlink sends back for a [`TokenSet`], refresh it, and read the
/// person's data through a [`User`](crate::User) session that refreshes on
/// its own. Get one from [`Client::sso`].
///
/// Requests go to the client's base URL (`https://ed.link`), with the client's
/// transport, timeouts and retry policy, except that a token request is sent
/// again only when it cannot have reached the server (a connection that was
/// never made): exchanging a code twice, or refreshing twice, is not safe.
///
/// The client secret, the codes and the tokens never appear in `Debug`,
/// `Display`, an error or a log line.
///
/// ```no_run
/// use edlink_client::{Client, model::LoginState};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder().build()?;
/// let sso = client.sso("my-client-id", std::env::var("EDLINK_CLIENT_SECRET")?);
///
/// // 1. Send the person to Edlink, with a state kept in their session cookie.
/// let state = LoginState::generate()?;
/// let url = sso.login_url("https://app.example/callback", &state)?;
/// # let query = "";
/// // 2. Edlink redirects back to /callback?code=…&state=…
/// let code = state.check_redirect(query)?;
/// // 3. The code buys a token set; keep it (it is a secret).
/// let tokens = sso.exchange_code(code, "https://app.example/callback").await?;
/// // 4. Read their data; the session refreshes the token when needed.
/// let user = sso.user(tokens).on_refresh(|new| { /* store `new` */ }).build();
/// println!("{:?}", user.profile().await?.display_name);
/// # let _ = url;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Sso {
    client: Client,
    app: Arc<SsoApp>,
}

impl fmt::Debug for Sso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sso")
            .field("base_url", &self.client.base_url())
            .field("client_id", &self.app.client_id)
            .field("client_secret", &self.app.client_secret)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Sign-in with Edlink for the SSO application with this client id and
    /// secret (Edlink dashboard); see [`Sso`].
    ///
    /// ```
    /// let client = edlink_client::Client::builder()
    ///     .transport(edlink_client::TestTransport::new())
    ///     .build()?;
    /// let sso = client.sso("client-1", "cs_live_123");
    /// assert!(!format!("{sso:?}").contains("cs_live_123"));
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn sso(&self, client_id: impl Into<String>, client_secret: impl Into<ClientSecret>) -> Sso {
        Sso {
            client: self.clone(),
            app: Arc::new(SsoApp {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                clock: Clock(Arc::new(Timestamp::now)),
            }),
        }
    }
}

/// Sends a token request and decodes its `$data`: the one place the token
/// endpoint is called. A POST that is not idempotent: sent again only when no
/// connection was made. Its secrets, and `also_secret` (the access token a
/// refresh replaces), are masked by value in any error.
pub(crate) async fn token_request(
    client: &Client,
    request: &TokenRequest,
    also_secret: Option<&AccessToken>,
) -> Result<TokenResponse, Error> {
    let inner = &client.inner;
    let url = inner.origin.check(&inner.origin.join(TOKEN_PATH))?;
    let body = Body {
        bytes: Bytes::from(request.to_json()),
        content_type: HeaderValue::from_static("application/json"),
    };
    let mut secrets = request.secrets();
    secrets.extend(also_secret.map(AccessToken::expose_secret));
    let outgoing = Outgoing {
        method: Method::POST,
        url: &url,
        body: Some(body),
        replay: Replay::UnsentOnly,
        secrets: &secrets,
        peek: None,
        decode_turn: None,
    };
    Ok(execute::send(inner, &Endpoint::token(), outgoing)
        .await?
        .data)
}

impl Sso {
    /// The same application, reading the time from `clock` instead of the
    /// wall clock: token expiries are computed and checked with it. For tests
    /// (e.g. a clock driven by tokio's paused time).
    ///
    /// ```
    /// use edlink_client::model::Timestamp;
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let fixed: Timestamp = "2026-01-01T10:00:00.000Z".parse().unwrap();
    /// let sso = client.sso("client-1", "secret").clock(move || fixed);
    /// # let _ = sso;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn clock(self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        Self {
            client: self.client,
            app: Arc::new(SsoApp {
                client_id: self.app.client_id.clone(),
                client_secret: self.app.client_secret.clone(),
                clock: Clock(Arc::new(clock)),
            }),
        }
    }

    /// The application's client id.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// assert_eq!(client.sso("client-1", "secret").client_id(), "client-1");
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn client_id(&self) -> &str {
        &self.app.client_id
    }

    /// The client this application sends with.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The URL of Edlink's login page (`/sso/login` under the client's base
    /// URL) for this application, coming back to `redirect_uri` with `state`.
    /// Make a fresh [`LoginState`] for each sign-in and keep it until the
    /// redirect comes back.
    ///
    /// ```
    /// use edlink_client::model::LoginState;
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let sso = client.sso("client-1", "secret");
    /// let url = sso.login_url("https://app.example/callback", &LoginState::new("s-1"))?;
    /// assert_eq!(
    ///     url.as_str(),
    ///     "https://ed.link/sso/login?client_id=client-1&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&state=s-1&response_type=code"
    /// );
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn login_url(&self, redirect_uri: &str, state: &LoginState) -> Result<Url, Error> {
        LoginUrl::new(self.app.client_id.clone(), redirect_uri, state)
            .base_url(self.client.base_url())
            .build()
            .map_err(|e| Error::invalid_because("cannot build the login URL", e))
    }

    /// Exchanges the code of Edlink's redirect for the person's token set
    /// (`POST /api/authentication/token`, `grant_type=authorization_code`).
    /// `redirect_uri` must be exactly the one of the login URL. A code works
    /// once: the request is never sent twice once it may have reached Edlink.
    ///
    /// ```no_run
    /// # async fn run(sso: edlink_client::Sso, code: edlink_client::model::AuthorizationCode) -> Result<(), edlink_client::Error> {
    /// let tokens = sso.exchange_code(code, "https://app.example/callback").await?;
    /// println!("expires at {:?}", tokens.expires_at());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn exchange_code(
        &self,
        code: impl Into<AuthorizationCode>,
        redirect_uri: &str,
    ) -> Result<TokenSet, Error> {
        let request = TokenRequest::authorization_code(
            self.app.client_id.clone(),
            self.app.client_secret.clone(),
            code.into(),
            redirect_uri,
        );
        let now = self.app.clock.now();
        let response = token_request(&self.client, &request, None).await?;
        Ok(TokenSet::from_response(response, now))
    }

    /// Refreshes a token set outside a session (`grant_type=refresh_token`):
    /// the new access token and expiry, and the new refresh token if Edlink
    /// sent one, else the old one. A refused refresh token (or a set without
    /// one) is [`Error::SignInRequired`]. A [`User`](crate::User) session does
    /// this on its own.
    ///
    /// ```no_run
    /// # async fn run(sso: edlink_client::Sso, stored: edlink_client::model::TokenSet) -> Result<(), edlink_client::Error> {
    /// let fresh = sso.refresh(&stored).await?;
    /// # let _ = fresh;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn refresh(&self, tokens: &TokenSet) -> Result<TokenSet, Error> {
        let Some(refresh_token) = tokens.refresh_token() else {
            return Err(Error::SignInRequired {
                reason: "the token set has no refresh token",
                source: None,
            });
        };
        let request = TokenRequest::refresh(
            self.app.client_id.clone(),
            self.app.client_secret.clone(),
            refresh_token.clone(),
        );
        let now = self.app.clock.now();
        match token_request(&self.client, &request, Some(tokens.access_token())).await {
            Ok(response) => Ok(tokens.refreshed(response, now)),
            Err(err) if crate::session::is_refusal(&err) => Err(Error::SignInRequired {
                reason: "Edlink refused the refresh token",
                source: Some(Box::new(err)),
            }),
            Err(err) => Err(err),
        }
    }

    /// A session for the person whose token set this is: configure it, then
    /// [`build`](UserBuilder::build) it.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// use edlink_client::model::TokenSet;
    /// let sso = client.sso("client-1", "secret");
    /// let user = sso.user(TokenSet::new("a").with_refresh_token("r")).build();
    /// assert!(!format!("{user:?}").contains("\"a\""));
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn user(&self, tokens: TokenSet) -> UserBuilder {
        UserBuilder::new(self.client.clone(), Arc::clone(&self.app), tokens)
    }
}
