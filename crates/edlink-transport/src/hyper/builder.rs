//! [`HyperTransportBuilder`]: the settings of a [`HyperTransport`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::{DEFAULT_MAX_BODY_BYTES, DEFAULT_REQUEST_TIMEOUT, TransportError, TransportErrorKind};

use super::proxy::{EnvProxies, Proxies, ProxyOptions};
#[cfg(feature = "rustls")]
use super::tls::{self, RootCertificate};
use super::{HyperTransport, Settings, connect};

/// Default time to set up a connection (DNS, TCP and TLS): 10 seconds.
///
/// ```
/// assert_eq!(edlink_transport::DEFAULT_CONNECT_TIMEOUT.as_secs(), 10);
/// ```
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time an idle pooled connection is kept: 90 seconds.
///
/// ```
/// assert_eq!(edlink_transport::DEFAULT_POOL_IDLE_TIMEOUT.as_secs(), 90);
/// ```
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// Settings for a [`HyperTransport`]; made by [`HyperTransport::builder`].
///
/// ```
/// use std::time::Duration;
/// use edlink_transport::HyperTransport;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let transport = HyperTransport::builder()
///     .connect_timeout(Duration::from_secs(5))
///     .request_timeout(Duration::from_secs(30))
///     .max_body_bytes(16 * 1024 * 1024)
///     .build()?;
/// # let _ = transport;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct HyperTransportBuilder {
    settings: Settings,
    pool_idle_timeout: Duration,
    proxy: ProxyOptions,
    #[cfg(feature = "rustls")]
    roots: Vec<RootCertificate>,
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            settings: Settings {
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                request_timeout: DEFAULT_REQUEST_TIMEOUT,
                max_body_bytes: DEFAULT_MAX_BODY_BYTES,
                gzip: true,
                allow_plain_http: false,
                extra_roots: 0,
            },
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            proxy: ProxyOptions::default(),
            #[cfg(feature = "rustls")]
            roots: Vec::new(),
        }
    }
}

impl HyperTransportBuilder {
    /// The time allowed to set up a new connection: DNS lookup, TCP connect
    /// and TLS handshake together. Default 10 s. Passing it is a
    /// [`Connect`](TransportErrorKind::Connect) error.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = edlink_transport::HyperTransport::builder()
    ///     .connect_timeout(Duration::from_secs(3));
    /// # let _ = builder;
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// The time allowed for one request, from sending it to the last byte of
    /// the response body (a connection set up for it included). Default 60 s.
    /// Passing it is a [`Timeout`](TransportErrorKind::Timeout) error, also when
    /// the body stalls halfway.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = edlink_transport::HyperTransport::builder()
    ///     .request_timeout(Duration::from_secs(20));
    /// # let _ = builder;
    /// ```
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.settings.request_timeout = timeout;
        self
    }

    /// The largest response body accepted, in bytes, after decompression.
    /// Default 64 MiB. A larger body is a
    /// [`BodyTooLarge`](TransportErrorKind::BodyTooLarge) error, known from
    /// `Content-Length` before reading (for a body that is not compressed) or
    /// as soon as the streamed, decoded body passes the cap; the rest is never
    /// read, so a small compressed "bomb" is never inflated in full.
    ///
    /// ```
    /// let builder = edlink_transport::HyperTransport::builder()
    ///     .max_body_bytes(8 * 1024 * 1024);
    /// # let _ = builder;
    /// ```
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.settings.max_body_bytes = max;
        self
    }

    /// Whether to ask for gzip-compressed responses (`Accept-Encoding: gzip`)
    /// and decode them as they stream. Default on. Off, no `Accept-Encoding`
    /// is sent at all (any the request carried is removed), and a response
    /// that is compressed anyway is refused as one that was not asked for.
    ///
    /// ```
    /// let builder = edlink_transport::HyperTransport::builder().gzip(false);
    /// # let _ = builder;
    /// ```
    pub fn gzip(mut self, enabled: bool) -> Self {
        self.settings.gzip = enabled;
        self
    }

    /// **Danger**: sends plain `http://` requests to any host, not only to
    /// loopback: every credential then crosses the network in clear. For a
    /// fake server on a trusted network only (`edlink-mock` in a
    /// docker-compose network, `http://mock:8080`). Off by default.
    ///
    /// ```
    /// let builder = edlink_transport::HyperTransport::builder().danger_allow_plain_http(true);
    /// # let _ = builder;
    /// ```
    pub fn danger_allow_plain_http(mut self, allow: bool) -> Self {
        self.settings.allow_plain_http = allow;
        self
    }

    /// How long an idle connection stays in the pool for reuse. Default 90 s.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let builder = edlink_transport::HyperTransport::builder()
    ///     .pool_idle_timeout(Duration::from_secs(30));
    /// # let _ = builder;
    /// ```
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Sends every request through this HTTP proxy, in a `CONNECT` tunnel
    /// (TLS runs end to end inside it: the proxy sees the host and port, never
    /// the request or its credentials). Credentials for the proxy go in the
    /// URL, `http://user:password@host:port` (percent-encode `@`, `:` and `%`
    /// in them as `%40`, `%3A`, `%25`); they are sent as `Proxy-Authorization:
    /// Basic` on the `CONNECT` only and never printed. Only `http://` proxies
    /// are supported. The proxy environment variables are then not read (use
    /// [`no_proxy`](Self::no_proxy) for exceptions). A URL that cannot be used
    /// makes [`build`](Self::build) fail.
    ///
    /// ```
    /// let transport = edlink_transport::HyperTransport::builder()
    ///     .proxy("http://edlink:s3cret@proxy.example.com:3128")
    ///     .no_proxy("localhost,127.0.0.1")
    ///     .build()?;
    /// assert!(!format!("{transport:?}").contains("s3cret"));
    /// # Ok::<(), edlink_transport::TransportError>(())
    /// ```
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy.explicit = Some(url.into());
        self
    }

    /// The hosts reached directly, not through the proxy, in `NO_PROXY`
    /// syntax: comma-separated names (each also matches its subdomains; a
    /// leading dot is the same), IP addresses, CIDR ranges, or `*` for all.
    /// Replaces the `NO_PROXY` variable. As with curl, loopback hosts are not
    /// exempt unless listed.
    ///
    /// ```
    /// let builder = edlink_transport::HyperTransport::builder()
    ///     .no_proxy("localhost, 127.0.0.1, ::1, .internal.example.com, 10.0.0.0/8");
    /// # let _ = builder;
    /// ```
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.proxy.no_proxy = Some(hosts.into());
        self
    }

    /// Whether to read the proxy environment variables (default on), as curl
    /// does: `https_proxy`/`HTTPS_PROXY` for `https://` requests,
    /// `http_proxy`/`HTTP_PROXY` for `http://` (loopback) ones,
    /// `all_proxy`/`ALL_PROXY` for either when its own is unset, and
    /// `no_proxy`/`NO_PROXY`. The lower-case name wins; an empty value is
    /// unset; upper-case `HTTP_PROXY` is ignored in a CGI program
    /// (`REQUEST_METHOD` set), where a request header could set it. They are
    /// read once, by [`build`](Self::build). A variable that cannot be used
    /// (not a URL, a SOCKS or https:// proxy) fails the requests it would
    /// carry with [`InvalidRequest`](TransportErrorKind::InvalidRequest),
    /// naming the variable. Ignored when [`proxy`](Self::proxy) is set.
    ///
    /// ```
    /// // Always connect directly, whatever the environment says.
    /// let builder = edlink_transport::HyperTransport::builder().proxy_from_env(false);
    /// # let _ = builder;
    /// ```
    pub fn proxy_from_env(mut self, enabled: bool) -> Self {
        self.proxy.from_env = enabled;
        self
    }

    /// Trusts the certificates in `pem` (one or more `-----BEGIN CERTIFICATE-----`
    /// blocks) as roots, on top of the public web roots. Invalid input makes
    /// [`build`](Self::build) fail. Feature `rustls`.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let transport = edlink_transport::HyperTransport::builder()
    ///     .add_root_certificate_pem(std::fs::read("my-ca.pem")?)
    ///     .build()?;
    /// # let _ = transport;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "rustls")]
    pub fn add_root_certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.roots.push(RootCertificate::Pem(pem.as_ref().to_vec()));
        self
    }

    /// Trusts one DER-encoded certificate as a root, on top of the public web
    /// roots. An invalid certificate makes [`build`](Self::build) fail.
    /// Feature `rustls`.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let transport = edlink_transport::HyperTransport::builder()
    ///     .add_root_certificate(std::fs::read("my-ca.der")?)
    ///     .build()?;
    /// # let _ = transport;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "rustls")]
    pub fn add_root_certificate(mut self, der: impl AsRef<[u8]>) -> Self {
        self.roots.push(RootCertificate::Der(der.as_ref().to_vec()));
        self
    }

    /// Builds the transport (and reads the proxy environment variables, see
    /// [`proxy_from_env`](Self::proxy_from_env)). Fails (kind
    /// [`Other`](TransportErrorKind::Other)) on a zero timeout, a
    /// [`proxy`](Self::proxy) URL that cannot be used or an invalid root
    /// certificate. Needs no runtime, but
    /// the transport must be used inside a tokio runtime (time and I/O
    /// enabled).
    ///
    /// ```
    /// let transport = edlink_transport::HyperTransport::builder().build()?;
    /// # let _ = transport;
    /// # Ok::<(), edlink_transport::TransportError>(())
    /// ```
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        #[allow(unused_mut)]
        let mut settings = self.settings;
        for (name, value) in [
            ("connect_timeout", settings.connect_timeout),
            ("request_timeout", settings.request_timeout),
        ] {
            if value.is_zero() {
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    format!("{name} must be greater than zero"),
                ));
            }
        }

        let proxies = Arc::new(Proxies::new(&self.proxy, EnvProxies::from_process)?);
        #[cfg(feature = "rustls")]
        let connector = {
            settings.extra_roots = self.roots.len();
            let tls = tls::client_config(&self.roots)?;
            connect::connector(settings.connect_timeout, proxies.clone(), tls)
        };
        #[cfg(not(feature = "rustls"))]
        let connector = connect::connector(settings.connect_timeout, proxies.clone());

        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .build(connector);
        Ok(HyperTransport {
            client,
            settings,
            proxies,
        })
    }
}

impl fmt::Debug for HyperTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("HyperTransportBuilder");
        debug
            .field("connect_timeout", &self.settings.connect_timeout)
            .field("request_timeout", &self.settings.request_timeout)
            .field("max_body_bytes", &self.settings.max_body_bytes)
            .field("gzip", &self.settings.gzip)
            .field("danger_allow_plain_http", &self.settings.allow_plain_http)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("proxy", &self.proxy);
        #[cfg(feature = "rustls")]
        debug.field("extra_roots", &self.roots.len());
        debug.finish()
    }
}
