//! Helpers of the sign-in tests: the mock answering in process (so tests run on
//! tokio's paused clock), a clock for the client driven by tokio's time, and a
//! signed-in person.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use edlink_client::model::{LoginState, Timestamp, TokenSet};
use edlink_client::{Client, Sso, User};
use edlink_mock::{LoggedRequest, MockServer, MockServerBuilder, Route};
use edlink_transport::{BoxFuture, Transport, TransportError, TransportErrorKind};
use uuid::Uuid;

/// Where the test application's sign-ins come back to.
pub const REDIRECT: &str = "https://app.example/callback";

/// The mock, answering each request in this process (`MockServer::call`).
#[derive(Clone)]
pub struct InProcess(pub Arc<MockServer>);

impl Transport for InProcess {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            self.0
                .call(request)
                .await
                .map_err(|e| TransportError::new(TransportErrorKind::Io, e.to_string()))
        })
    }
}

/// A clock for the client that tokio's (paused) time drives: 2026-03-01T08:00Z
/// when made, then as far as tokio's clock has moved.
pub fn tokio_clock() -> impl Fn() -> Timestamp + Send + Sync + 'static {
    let base: Timestamp = "2026-03-01T08:00:00.000Z".parse().unwrap();
    let start = tokio::time::Instant::now();
    move || Timestamp::from(base.as_offset_date_time() + start.elapsed())
}

/// A mock, a client on it (in process), the SSO application, and a person to
/// sign in (the first teacher of the first active integration).
pub struct Rig {
    pub server: Arc<MockServer>,
    pub client: Client,
    pub sso: Sso,
    pub integration: Uuid,
    pub person: Uuid,
}

impl Rig {
    /// Starts `builder` and points a client at it, in process.
    pub async fn new(builder: MockServerBuilder) -> Self {
        let server = Arc::new(builder.start().await.unwrap());
        let client = Client::builder()
            .base_url(server.base_url())
            .transport(InProcess(Arc::clone(&server)))
            .build()
            .unwrap();
        Self::with_client(server, client)
    }

    /// The same, with a client of the caller's.
    pub fn with_client(server: Arc<MockServer>, client: Client) -> Self {
        let sso = client
            .sso(server.sso_client_id(), server.sso_client_secret())
            .clock(tokio_clock());
        let integration = server.integrations_with_status("active")[0];
        let person = server.person_with_role(integration, "teacher").unwrap();
        Self {
            server,
            client,
            sso,
            integration,
            person,
        }
    }

    /// The person signs in (the mock plays the login page) and the code is
    /// exchanged: their first token set.
    pub async fn sign_in(&self) -> TokenSet {
        let state = LoginState::generate().unwrap();
        let back = self
            .server
            .sign_in(
                self.integration,
                self.person,
                REDIRECT,
                state.expose_secret(),
            )
            .unwrap();
        let query = back.split_once('?').unwrap().1;
        let code = state.check_redirect(query).unwrap();
        self.sso.exchange_code(code, REDIRECT).await.unwrap()
    }

    /// A signed-in session whose new token sets are collected.
    pub async fn user(&self) -> (User, Collected) {
        let tokens = self.sign_in().await;
        let collected = Collected::default();
        let sink = collected.clone();
        let user = self
            .sso
            .user(tokens)
            .on_refresh(move |t| sink.0.lock().unwrap().push(t.clone()))
            .build();
        (user, collected)
    }

    /// The requests the token endpoint received.
    pub fn token_requests(&self) -> Vec<LoggedRequest> {
        self.server
            .requests()
            .into_iter()
            .filter(|r| r.route == Route::Token)
            .collect()
    }

    /// The User API requests, in order.
    pub fn my_requests(&self) -> Vec<LoggedRequest> {
        self.server
            .requests()
            .into_iter()
            .filter(|r| r.route.is_my())
            .collect()
    }
}

/// The token sets a session's callback received, in order.
#[derive(Clone, Default)]
pub struct Collected(pub Arc<Mutex<Vec<TokenSet>>>);

impl Collected {
    pub fn sets(&self) -> Vec<TokenSet> {
        self.0.lock().unwrap().clone()
    }
}

/// The serial number of the person token a logged request carried.
pub fn serial(r: &LoggedRequest) -> Option<u64> {
    r.credential.person_token()
}
