//! [`HyperTransport`]: the default [`Transport`], on hyper 1 and hyper-util's
//! pooled client, with HTTPS through rustls (feature `rustls`).

mod builder;
mod classify;
mod connect;
mod proxy;
#[cfg(feature = "rustls")]
mod tls;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::HeaderValue;
use http::header::ACCEPT_ENCODING;
use http_body_util::Full;
use hyper_util::client::legacy::Client;

use crate::body::{BodyRules, read_response};
use crate::{
    BoxFuture, Transport, TransportError, TransportErrorKind, ensure_https_or_loopback,
    mark_sensitive_headers,
};

pub use builder::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_POOL_IDLE_TIMEOUT, HyperTransportBuilder};

/// What each request needs to know; copied into the transport at build time.
#[derive(Clone, Copy)]
struct Settings {
    connect_timeout: Duration,
    request_timeout: Duration,
    max_body_bytes: usize,
    /// Whether `Accept-Encoding: gzip` is sent (and gzip bodies decoded).
    gzip: bool,
    /// Plain `http://` to any host, not only loopback (the danger switch).
    allow_plain_http: bool,
    /// How many root certificates were added (for `Debug` only).
    extra_roots: usize,
}

/// The default [`Transport`]: hyper 1 with hyper-util's connection pool
/// (keep-alive, HTTP/1.1, and HTTP/2 through ALPN), HTTPS through rustls.
///
/// - **HTTPS only**: rustls with the ring provider, TLS 1.2 minimum, the
///   public web roots (webpki-roots) plus any
///   [added root](HyperTransportBuilder::add_root_certificate_pem); there is no
///   switch that disables certificate checks. Plain `http://` is refused with
///   [`InvalidRequest`](TransportErrorKind::InvalidRequest) unless the host is
///   loopback (`127.0.0.0/8`, `::1`, `localhost`); see
///   [`ensure_https_or_loopback`]. Without the `rustls` feature, `https://` is
///   refused too.
/// - **Timeouts**: connect 10 s (DNS + TCP + TLS), request 60 s (response
///   headers *and* the whole body).
/// - **Body cap**: 64 MiB by default, on the decoded body, checked against
///   `Content-Length` and while streaming.
/// - **gzip**: `Accept-Encoding: gzip` is sent and gzip bodies are decoded as
///   they stream (the response has no `Content-Encoding` left); a cut gzip
///   stream is an [`Io`](TransportErrorKind::Io) error, other encodings are
///   refused. [`gzip(false)`](HyperTransportBuilder::gzip) turns it off.
/// - **Secrets**: `Authorization` headers are marked sensitive before sending;
///   errors never contain request headers.
/// - **Proxies**: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (either
///   case, curl's rules) are followed, or a proxy set with
///   [`proxy`](HyperTransportBuilder::proxy). Requests go through a `CONNECT`
///   tunnel, TLS end to end inside it; credentials from the proxy URL go in
///   `Proxy-Authorization` on the `CONNECT` only. A refusal (407, 403) is a
///   [`Proxy`](TransportErrorKind::Proxy) error.
/// - **No redirects** are followed: a 3xx is returned as it is.
///
/// Cloning is cheap and clones share the connection pool. It must be used
/// inside a tokio runtime with time and I/O enabled.
///
/// ```no_run
/// use bytes::Bytes;
/// use edlink_transport::{HyperTransport, Transport};
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let transport = HyperTransport::new();
/// let request = http::Request::get("https://ed.link/api/v2/graph/people")
///     .header("authorization", "Bearer my-token")
///     .body(Bytes::new())?;
/// let response = transport.send(request).await?;
/// println!("{} ({} bytes)", response.status(), response.body().len());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<connect::Connector, Full<Bytes>>,
    settings: Settings,
    /// Also in the connector; here to refuse an unusable proxy setting
    /// before anything is sent, and for `Debug`.
    proxies: Arc<proxy::Proxies>,
}

impl HyperTransport {
    /// A transport with the default settings (see [`HyperTransportBuilder`]).
    ///
    /// ```
    /// let transport = edlink_transport::HyperTransport::new();
    /// # let _ = transport;
    /// ```
    #[allow(clippy::expect_used)]
    pub fn new() -> Self {
        // `build` fails only for a zero timeout, a bad added root certificate
        // or a bad proxy URL set on the builder, and the defaults have none
        // (proxy variables that cannot be used fail requests, not the build;
        // nor does the ring provider lack both TLS 1.2 and 1.3). A unit test
        // checks this.
        Self::builder()
            .build()
            .expect("the default HyperTransport settings are valid")
    }

    /// A builder to change the defaults.
    ///
    /// ```
    /// use std::time::Duration;
    /// let transport = edlink_transport::HyperTransport::builder()
    ///     .request_timeout(Duration::from_secs(30))
    ///     .build()?;
    /// # let _ = transport;
    /// # Ok::<(), edlink_transport::TransportError>(())
    /// ```
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }

    async fn exchange(
        &self,
        request: http::Request<Full<Bytes>>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let uri = request.uri().clone();
        let response = self
            .client
            .request(request)
            .await
            .map_err(|err| classify::request_error(err, &uri))?;
        let rules = BodyRules {
            max_bytes: self.settings.max_body_bytes,
            gzip: self.settings.gzip,
            on_error: classify::body_error,
        };
        read_response(response, rules).await
    }
}

impl Default for HyperTransport {
    /// Same as [`HyperTransport::new`].
    fn default() -> Self {
        Self::new()
    }
}

/// Refuses what this build cannot or must not send (before any connection),
/// marks credential headers sensitive, says which encodings the transport
/// decodes (gzip, or none: the header is this transport's, not the
/// caller's), and wraps the body for hyper.
fn prepare(
    request: http::Request<Bytes>,
    settings: &Settings,
) -> Result<http::Request<Full<Bytes>>, TransportError> {
    let uri = request.uri();
    if settings.allow_plain_http && uri.scheme() == Some(&http::uri::Scheme::HTTP) {
        // The danger switch: plain http anywhere (an absolute URI with a host).
        if uri.host().is_none() {
            ensure_https_or_loopback(uri)?;
        }
    } else {
        ensure_https_or_loopback(uri)?;
    }
    if cfg!(not(feature = "rustls")) && uri.scheme() == Some(&http::uri::Scheme::HTTPS) {
        return Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            "https:// needs the `rustls` feature of edlink-transport, which is disabled",
        ));
    }
    let mut request = request.map(Full::new);
    let headers = request.headers_mut();
    mark_sensitive_headers(headers);
    if settings.gzip {
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
    } else {
        headers.remove(ACCEPT_ENCODING);
    }
    Ok(request)
}

impl Transport for HyperTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let request = prepare(request, &self.settings)?;
            // The connector routes again (it sees only the URI); this refuses
            // an unusable proxy variable before anything is sent.
            self.proxies.route(request.uri())?;
            let timeout = self.settings.request_timeout;
            match tokio::time::timeout(timeout, self.exchange(request)).await {
                Ok(result) => result,
                Err(elapsed) => Err(TransportError::with_source(
                    TransportErrorKind::Timeout,
                    format!("no complete response within {timeout:?}"),
                    elapsed,
                )),
            }
        })
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.settings;
        f.debug_struct("HyperTransport")
            .field("connect_timeout", &s.connect_timeout)
            .field("request_timeout", &s.request_timeout)
            .field("max_body_bytes", &s.max_body_bytes)
            .field("gzip", &s.gzip)
            .field("danger_allow_plain_http", &s.allow_plain_http)
            .field(
                "tls",
                &if cfg!(feature = "rustls") {
                    "rustls"
                } else {
                    "none"
                },
            )
            .field("extra_roots", &s.extra_roots)
            .field("proxies", &self.proxies)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_build_and_are_documented() {
        let transport = HyperTransport::new();
        let debug = format!("{transport:?}");
        assert!(debug.contains("connect_timeout: 10s"), "{debug}");
        assert!(debug.contains("request_timeout: 60s"), "{debug}");
        assert!(debug.contains("max_body_bytes: 67108864"), "{debug}");
    }

    #[test]
    fn zero_timeouts_are_refused() {
        let err = HyperTransport::builder()
            .request_timeout(Duration::ZERO)
            .build()
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("transport failure: request_timeout must be greater than zero")
        );
    }

    #[test]
    fn forwarded_requests_have_sensitive_authorization() {
        let request = http::Request::get("http://127.0.0.1:8080/api/v2/graph/people")
            .header("authorization", "Bearer s3cr3t")
            .body(Bytes::new())
            .unwrap_or_default();
        let prepared = prepare(request, &HyperTransport::new().settings).map_err(|e| e.to_string());
        let prepared = prepared.as_ref().map(|r| r.headers());
        assert_eq!(
            prepared.map(|h| h["authorization"].is_sensitive()),
            Ok(true)
        );
        let debug = format!("{prepared:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }

    #[test]
    fn https_needs_rustls() {
        let request = http::Request::get("https://ed.link/")
            .body(Bytes::new())
            .unwrap_or_default();
        let refused = prepare(request, &HyperTransport::new().settings).is_err();
        assert_eq!(refused, cfg!(not(feature = "rustls")));
    }

    #[test]
    fn is_send_sync_clone_debug() {
        fn assert_traits<T: Send + Sync + Clone + fmt::Debug + 'static>() {}
        assert_traits::<HyperTransport>();
        assert_traits::<HyperTransportBuilder>();
    }
}
