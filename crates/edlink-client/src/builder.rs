//! [`ClientBuilder`]: every setting of a [`Client`], checked once in `build`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use edlink_model::ApplicationKey;
use edlink_transport::Transport;
use http::HeaderValue;

use crate::client::{DEFAULT_BASE_URL, DEFAULT_CALL_TIMEOUT, Inner, SECRET_KEY_ENV};
use crate::default_transport::DefaultTransport;
use crate::{Client, Error, RetryPolicy};

/// The `User-Agent` every request carries: `edlink-rs/<version>`.
///
/// ```
/// assert!(edlink_client::USER_AGENT.starts_with("edlink-rs/"));
/// ```
pub const USER_AGENT: &str = concat!("edlink-rs/", env!("CARGO_PKG_VERSION"));

/// Where the application key comes from.
enum KeySource {
    None,
    Given(ApplicationKey),
    /// `application_key_from_env` found no usable value.
    EnvMissing,
}

/// Builds a [`Client`]. Setters never fail; [`build`](Self::build) checks
/// everything and says what is wrong.
///
/// ```
/// use std::time::Duration;
/// use edlink_client::{Client, RetryPolicy, TestTransport};
///
/// let client = Client::builder()
///     .application_key("my-secret-key")
///     .base_url("https://ed.link")
///     .transport(TestTransport::new())
///     .call_timeout(Duration::from_secs(120))
///     .retry_policy(RetryPolicy::default().max_attempts(5))
///     .user_agent_suffix("my-app/1.2")
///     .build()?;
/// # let _ = client;
/// # Ok::<(), edlink_client::Error>(())
/// ```
pub struct ClientBuilder {
    key: KeySource,
    base_url: String,
    transport: Option<Arc<dyn Transport>>,
    default_transport: DefaultTransport,
    call_timeout: Duration,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
    allow_plain_http: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// The defaults (see [`Client::builder`]).
    ///
    /// ```
    /// let builder = edlink_client::ClientBuilder::new();
    /// # let _ = builder;
    /// ```
    pub fn new() -> Self {
        Self {
            key: KeySource::None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            transport: None,
            default_transport: DefaultTransport::default(),
            call_timeout: DEFAULT_CALL_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
            allow_plain_http: false,
        }
    }

    /// The application secret key, sent as `Authorization: Bearer …` to the
    /// endpoints that need it (integrations). Public endpoints (providers,
    /// permissions) work without one.
    ///
    /// ```
    /// use edlink_model::ApplicationKey;
    ///
    /// let builder = edlink_client::Client::builder().application_key(ApplicationKey::new("my-secret-key"));
    /// # let _ = builder;
    /// ```
    pub fn application_key(mut self, key: impl Into<ApplicationKey>) -> Self {
        self.key = KeySource::Given(key.into());
        self
    }

    /// Reads the application secret key from `EDLINK_SECRET_KEY`. If it is
    /// unset or empty, [`build`](Self::build) fails.
    ///
    /// ```no_run
    /// let client = edlink_client::Client::builder().application_key_from_env().build()?;
    /// # let _ = client;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn application_key_from_env(mut self) -> Self {
        self.key = match std::env::var(SECRET_KEY_ENV) {
            Ok(key) if !key.trim().is_empty() => KeySource::Given(ApplicationKey::new(key)),
            _ => KeySource::EnvMissing,
        };
        self
    }

    /// The API's base URL (default `https://ed.link`). It must be `https`
    /// (plain `http` only for loopback hosts: `127.0.0.0/8`, `::1`,
    /// `localhost`), with no user info and no query. The key is sent to this
    /// origin only.
    ///
    /// ```
    /// let builder = edlink_client::Client::builder().base_url("http://127.0.0.1:8080");
    /// # let _ = builder;
    /// ```
    pub fn base_url(mut self, base_url: impl AsRef<str>) -> Self {
        self.base_url = base_url.as_ref().to_owned();
        self
    }

    /// **Danger**: allows a plain `http://` base URL on any host, not only on
    /// loopback: the key and every token then cross the network in clear.
    /// For a fake server on a trusted network only (`edlink-mock` in a
    /// docker-compose network, `http://mock:8080`). Off by default. With the
    /// default transport it also lifts the transport's own loopback rule; a
    /// custom transport decides for itself.
    ///
    /// ```
    /// let client = edlink_client::Client::builder()
    ///     .base_url("http://mock:8080")
    ///     .danger_allow_plain_http(true)
    ///     .transport(edlink_client::TestTransport::new())
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://mock:8080/");
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn danger_allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// The HTTP transport. Without one, the default `HyperTransport` is used
    /// (feature `hyper`); without that feature, `build` fails.
    ///
    /// ```
    /// let builder = edlink_client::Client::builder().transport(edlink_client::TestTransport::new());
    /// # let _ = builder;
    /// ```
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// A transport already shared as `Arc<dyn Transport>`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use edlink_client::{TestTransport, Transport};
    ///
    /// let shared: Arc<dyn Transport> = Arc::new(TestTransport::new());
    /// let builder = edlink_client::Client::builder().shared_transport(shared);
    /// # let _ = builder;
    /// ```
    pub fn shared_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The connect timeout of the default transport (default 10 s). Setting
    /// it together with [`transport`](Self::transport) is an error: configure
    /// your own transport directly.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = edlink_client::Client::builder().connect_timeout(Duration::from_secs(5));
    /// # let _ = builder;
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.default_transport.connect_timeout = Some(timeout);
        self
    }

    /// The timeout of one attempt (response headers and body) of the default
    /// transport (default 60 s). Same rule as
    /// [`connect_timeout`](Self::connect_timeout).
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = edlink_client::Client::builder().request_timeout(Duration::from_secs(30));
    /// # let _ = builder;
    /// ```
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.default_transport.request_timeout = Some(timeout);
        self
    }

    /// An HTTP proxy for the default transport (`http://[user:pass@]host:port`),
    /// reached through a CONNECT tunnel so TLS runs end to end. Without it the
    /// default transport follows `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and
    /// `NO_PROXY`. Same rule as [`connect_timeout`](Self::connect_timeout).
    ///
    /// ```
    /// let builder = edlink_client::Client::builder().proxy("http://proxy.school.example:3128");
    /// # let _ = builder;
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.default_transport.proxy = Some(url.into());
        self
    }

    /// Hosts the default transport reaches directly, never through a proxy
    /// (curl's `NO_PROXY` form: `ed.link,.internal.example,10.0.0.0/8`). Same
    /// rule as [`connect_timeout`](Self::connect_timeout).
    ///
    /// ```
    /// let builder = edlink_client::Client::builder().no_proxy("localhost,127.0.0.1");
    /// # let _ = builder;
    /// ```
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.default_transport.no_proxy = Some(hosts.into());
        self
    }

    /// Whether the default transport asks for gzip (default: yes; the body
    /// cap applies to the decoded size). Same rule as
    /// [`connect_timeout`](Self::connect_timeout).
    ///
    /// ```
    /// let builder = edlink_client::Client::builder().gzip(false);
    /// # let _ = builder;
    /// ```
    pub fn gzip(mut self, enabled: bool) -> Self {
        self.default_transport.gzip = Some(enabled);
        self
    }

    /// The timeout of one whole call: every attempt and every wait between
    /// them (default 300 s). For listings it applies to each page.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = edlink_client::Client::builder().call_timeout(Duration::from_secs(60));
    /// # let _ = builder;
    /// ```
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = timeout;
        self
    }

    /// The retry policy (default: 3 attempts, full-jitter backoff from
    /// 500 ms, capped at 20 s).
    ///
    /// ```
    /// let builder = edlink_client::Client::builder().retry_policy(edlink_client::RetryPolicy::disabled());
    /// # let _ = builder;
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Shorthand for a retry policy with `attempts` attempts in all.
    ///
    /// ```
    /// let builder = edlink_client::Client::builder().max_attempts(5);
    /// # let _ = builder;
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry = self.retry.max_attempts(attempts);
        self
    }

    /// Text appended to the `User-Agent` (`edlink-rs/0.1.0 my-app/1.2`).
    ///
    /// ```
    /// let builder = edlink_client::Client::builder().user_agent_suffix("my-app/1.2");
    /// # let _ = builder;
    /// ```
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::InvalidArgument`] for a base URL that is not
    /// `https` (or loopback `http`), has user info or a query; a key that is
    /// empty or cannot go in a header; a missing `EDLINK_SECRET_KEY` after
    /// [`application_key_from_env`](Self::application_key_from_env); timeouts
    /// together with a custom transport; or no transport without feature
    /// `hyper`.
    ///
    /// ```
    /// let err = edlink_client::Client::builder().base_url("http://ed.link").build().unwrap_err();
    /// assert!(err.to_string().contains("loopback"));
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let origin = crate::origin::for_base_url(&self.base_url, self.allow_plain_http)?;
        let (authorization, key) = match self.key {
            KeySource::None => (None, None),
            KeySource::EnvMissing => {
                return Err(Error::invalid(format!(
                    "{SECRET_KEY_ENV} is not set (or empty): it must hold the application secret key"
                )));
            }
            KeySource::Given(key) => (Some(authorization(&key)?), Some(key)),
        };
        let user_agent = user_agent(self.user_agent_suffix.as_deref())?;
        if self.call_timeout.is_zero() {
            return Err(Error::invalid("the call timeout must be more than zero"));
        }
        let transport = match self.transport {
            Some(transport) => {
                let given = self.default_transport.given();
                if !given.is_empty() {
                    return Err(Error::invalid(format!(
                        "{} configure the default transport; set them on your own transport instead",
                        given.join(", ")
                    )));
                }
                transport
            }
            None => self.default_transport.build(self.allow_plain_http)?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                origin,
                authorization,
                key,
                user_agent,
                retry: self.retry,
                call_timeout: self.call_timeout,
            }),
        })
    }
}

/// `Bearer <key>`, marked sensitive so it never shows in `Debug` and stays out
/// of HTTP/2 header compression tables.
fn authorization(key: &ApplicationKey) -> Result<HeaderValue, Error> {
    let secret = key.expose_secret();
    if secret.trim().is_empty() {
        return Err(Error::invalid("the application key is empty"));
    }
    // The key itself never goes into the error: only what is wrong with it.
    let mut value = HeaderValue::from_str(&format!("Bearer {secret}")).map_err(|_| {
        Error::invalid(
            "the application key contains characters that cannot be sent in an HTTP header",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

fn user_agent(suffix: Option<&str>) -> Result<HeaderValue, Error> {
    let text = match suffix.map(str::trim).filter(|s| !s.is_empty()) {
        Some(suffix) => format!("{USER_AGENT} {suffix}"),
        None => USER_AGENT.to_owned(),
    };
    HeaderValue::from_str(&text).map_err(|e| {
        Error::invalid_because(
            format!("invalid user agent suffix {suffix:?}: only visible ASCII is allowed"),
            e,
        )
    })
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match self.key {
            KeySource::None => None,
            KeySource::Given(_) => Some("[redacted]"),
            KeySource::EnvMissing => Some("(EDLINK_SECRET_KEY missing)"),
        };
        f.debug_struct("ClientBuilder")
            .field("application_key", &key)
            .field("base_url", &self.base_url)
            .field("custom_transport", &self.transport.is_some())
            .field("default_transport", &self.default_transport)
            .field("call_timeout", &self.call_timeout)
            .field("retry", &self.retry)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("danger_allow_plain_http", &self.allow_plain_http)
            .finish()
    }
}
