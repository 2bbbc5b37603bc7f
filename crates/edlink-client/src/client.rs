//! [`Client`]: the entry point, cheap to clone and shareable across tasks.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use edlink_model::{ApplicationKey, Integration, Origin, Permission, Provider, Resource};
use edlink_transport::Transport;
use http::HeaderValue;

use crate::{ClientBuilder, Error, Resources, RetryPolicy};

/// The default base URL.
///
/// ```
/// assert_eq!(edlink_client::DEFAULT_BASE_URL, "https://ed.link");
/// ```
pub const DEFAULT_BASE_URL: &str = "https://ed.link";

/// The default timeout of one whole call (all attempts and waits): Edlink
/// closes connections after 300 s.
///
/// ```
/// assert_eq!(edlink_client::DEFAULT_CALL_TIMEOUT.as_secs(), 300);
/// ```
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(300);

/// The environment variable [`Client::from_env`] reads the application secret
/// key from.
///
/// ```
/// assert_eq!(edlink_client::SECRET_KEY_ENV, "EDLINK_SECRET_KEY");
/// ```
pub const SECRET_KEY_ENV: &str = "EDLINK_SECRET_KEY";

/// What every clone of a [`Client`] shares.
pub(crate) struct Inner {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) origin: Origin,
    /// `Bearer <key>`, marked sensitive; `None` without a key.
    pub(crate) authorization: Option<HeaderValue>,
    /// The key itself, only to scrub it from what a server echoes back.
    pub(crate) key: Option<ApplicationKey>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) retry: RetryPolicy,
    pub(crate) call_timeout: Duration,
}

/// A client of the Edlink API.
///
/// Build it once with [`Client::builder`] (or [`Client::from_env`]) and clone
/// it freely: clones share one connection pool and configuration (an `Arc`
/// inside). It is `Send + Sync`; the futures and streams it returns are
/// `Send + 'static`, so they can be spawned or moved to any tokio task. Calls must run inside a tokio
/// runtime with the time driver enabled (as `#[tokio::main]` gives): waits
/// and the call deadline use `tokio::time`.
///
/// ```no_run
/// use futures_util::TryStreamExt;
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), edlink_client::Error> {
/// let client = edlink_client::Client::from_env()?;
/// let mut integrations = client.integrations().list().items();
/// while let Some(integration) = integrations.try_next().await? {
///     println!("{} {:?}", integration.id, integration.status);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl Client {
    /// A builder with the defaults: base URL `https://ed.link`, no key, the
    /// default transport, 3 attempts, a 300 s call timeout.
    ///
    /// ```
    /// use edlink_client::{Client, TestTransport};
    ///
    /// let client = Client::builder()
    ///     .application_key("my-secret-key")
    ///     .transport(TestTransport::new())
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client with the default settings and this application secret key:
    /// the first line most programs need.
    ///
    /// ```
    /// let client = edlink_client::Client::new("sk_live_123")?;
    /// assert!(client.has_application_key());
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn new(application_key: impl Into<ApplicationKey>) -> Result<Self, Error> {
        Self::builder().application_key(application_key).build()
    }

    /// A client with the default settings and the application secret key read
    /// from `EDLINK_SECRET_KEY`; fails if it is not set. The environment is
    /// read only when asked, never implicitly by [`Client::builder`].
    ///
    /// ```no_run
    /// let client = edlink_client::Client::from_env()?;
    /// # let _ = client;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().application_key_from_env().build()
    }

    /// The endpoints of any [`Resource`]: the one generic path that
    /// [`integrations`](Self::integrations), [`providers`](Self::providers) and
    /// [`permissions`](Self::permissions) use.
    ///
    /// ```
    /// use edlink_client::{Client, TestTransport};
    /// use edlink_model::Provider;
    ///
    /// let client = Client::builder().transport(TestTransport::new()).build()?;
    /// let providers = client.resource::<Provider>();
    /// # let _ = providers;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn resource<R: Resource>(&self) -> Resources<R> {
        Resources::new(self.clone())
    }

    /// `/api/v1/integrations`: your application's integrations (needs the
    /// application secret key).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client) -> Result<(), edlink_client::Error> {
    /// let all = client.integrations().list().collect_all().await?;
    /// println!("{} integrations", all.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn integrations(&self) -> Resources<Integration> {
        self.resource()
    }

    /// `/api/v1/providers`: the data source providers (public: no key needed).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client) -> Result<(), edlink_client::Error> {
    /// let page = client.providers().list().first(50).page().await?;
    /// for provider in &page.items {
    ///     println!("{:?}", provider.name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn providers(&self) -> Resources<Provider> {
        self.resource()
    }

    /// `/api/v1/permissions`: the permissions an application may ask for
    /// (public: no key needed).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client) -> Result<(), edlink_client::Error> {
    /// let permissions = client.permissions().list().collect_all().await?;
    /// # let _ = permissions;
    /// # Ok(())
    /// # }
    /// ```
    pub fn permissions(&self) -> Resources<Permission> {
        self.resource()
    }

    /// The base URL requests go to (normalized, e.g. `https://ed.link/`).
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// assert_eq!(client.base_url(), "https://ed.link/");
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        self.inner.origin.base_url()
    }

    /// Whether the client was built with an application secret key.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// assert!(!client.has_application_key());
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn has_application_key(&self) -> bool {
        self.inner.authorization.is_some()
    }

    /// The retry policy in force.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// assert_eq!(client.retry_policy().get_max_attempts(), 3);
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The timeout of one call, all attempts and waits included.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// assert_eq!(client.call_timeout().as_secs(), 300);
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn call_timeout(&self) -> Duration {
        self.inner.call_timeout
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field(
                "application_key",
                &self.has_application_key().then_some("[redacted]"),
            )
            .field("user_agent", &self.inner.user_agent)
            .field("retry", &self.inner.retry)
            .field("call_timeout", &self.inner.call_timeout)
            .finish_non_exhaustive()
    }
}
