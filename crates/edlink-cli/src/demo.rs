//! `--demo`: a built-in fake Edlink server on a loopback port.

#[cfg(feature = "demo")]
use std::collections::hash_map::RandomState;
#[cfg(feature = "demo")]
use std::hash::BuildHasher;
#[cfg(feature = "demo")]
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use edlink_client::{AccessToken, ApplicationKey, ClientSecret};
#[cfg(feature = "demo")]
use edlink_mock::MockServer;
use uuid::Uuid;

/// How many integrations the demo server generates.
#[cfg(feature = "demo")]
pub const DEMO_INTEGRATIONS: usize = 250;
/// The seed of the demo data (same seed, same integrations).
#[cfg(feature = "demo")]
pub const DEMO_SEED: u64 = 42;

/// A running demo server and the key it wants (made up for this run).
#[derive(Debug)]
pub struct Demo {
    #[cfg(feature = "demo")]
    server: MockServer,
    key: ApplicationKey,
}

#[cfg(not(feature = "demo"))]
impl Demo {
    /// Built without the `demo` feature: there is no server to start.
    pub async fn start() -> std::io::Result<Self> {
        Err(std::io::Error::other(
            "this edlink was built without the `demo` feature (cargo install edlink-cli --features demo)",
        ))
    }

    /// Never reached: [`Demo::start`] always fails without the feature.
    pub fn base_url(&self) -> String {
        String::new()
    }

    /// Never reached: [`Demo::start`] always fails without the feature.
    pub fn key(&self) -> &ApplicationKey {
        &self.key
    }

    /// Never reached: [`Demo::start`] always fails without the feature.
    pub fn first_active(&self) -> Option<(Uuid, AccessToken)> {
        None
    }

    /// Never reached: [`Demo::start`] always fails without the feature.
    pub fn sso_client(&self) -> (String, ClientSecret) {
        (String::new(), ClientSecret::new(""))
    }
}

#[cfg(feature = "demo")]
impl Demo {
    /// Starts `edlink-mock` on `127.0.0.1` (a free port) with 250 generated
    /// integrations (seed 42) and a random secret key; it runs on the current
    /// tokio runtime until dropped.
    pub async fn start() -> std::io::Result<Self> {
        let key = random_key();
        let server = MockServer::builder()
            .generated(DEMO_INTEGRATIONS, DEMO_SEED)
            .seed(DEMO_SEED)
            .secret_key(key.expose_secret())
            .shutdown_grace(Duration::from_millis(100))
            .start()
            .await?;
        Ok(Self { server, key })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The key the demo server wants.
    pub fn key(&self) -> &ApplicationKey {
        &self.key
    }

    /// The first `active` integration (in id order, as listed) and its
    /// access token: what the Graph commands read when no credential is
    /// given.
    pub fn first_active(&self) -> Option<(Uuid, AccessToken)> {
        self.server
            .integrations_with_status("active")
            .into_iter()
            .find_map(|id| Some((id, AccessToken::new(self.server.access_token(id)?))))
    }

    /// The demo server's SSO application (its client id and secret): what
    /// `--demo login` and `--demo my` sign in to.
    pub fn sso_client(&self) -> (String, ClientSecret) {
        (
            self.server.sso_client_id().to_owned(),
            ClientSecret::new(self.server.sso_client_secret()),
        )
    }
}

/// 128 random bits from the standard library's randomly seeded hasher.
#[cfg(feature = "demo")]
fn random_key() -> ApplicationKey {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let a = RandomState::new().hash_one(now);
    let b = RandomState::new().hash_one(a);
    ApplicationKey::new(format!("demo-{a:016x}{b:016x}"))
}
