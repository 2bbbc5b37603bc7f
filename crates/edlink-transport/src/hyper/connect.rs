//! The connector: DNS + TCP (+ TLS with feature `rustls`), all under one
//! connect timeout.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use tower_service::Service;

type BoxError = Box<dyn StdError + Send + Sync>;

#[cfg(feature = "rustls")]
type Inner = hyper_rustls::HttpsConnector<HttpConnector>;
#[cfg(not(feature = "rustls"))]
type Inner = HttpConnector;

/// The connector `HyperTransport`'s pooled client uses.
pub(crate) type Connector = TimeoutConnector<Inner>;

/// Builds the connector. `tls` is the rustls configuration (feature `rustls`).
pub(crate) fn connector(
    connect_timeout: Duration,
    #[cfg(feature = "rustls")] tls: rustls::ClientConfig,
) -> Connector {
    let mut http = HttpConnector::new();
    // The TLS layer above handles https; the scheme rule is checked per request.
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_keepalive(Some(Duration::from_secs(60)));

    #[cfg(feature = "rustls")]
    let inner = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .wrap_connector(http);
    #[cfg(not(feature = "rustls"))]
    let inner = http;

    TimeoutConnector {
        inner,
        timeout: connect_timeout,
    }
}

/// Wraps a connector so that the whole connection setup (DNS, TCP and the TLS
/// handshake) must finish within `timeout`.
#[derive(Clone)]
pub(crate) struct TimeoutConnector<C> {
    inner: C,
    timeout: Duration,
}

/// The connect timeout passed; found again in the error chain to classify it.
#[derive(Debug)]
pub(crate) struct ConnectTimeout(pub(crate) Duration);

impl fmt::Display for ConnectTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connect timed out after {:?}", self.0)
    }
}

impl StdError for ConnectTimeout {}

impl<C> Service<Uri> for TimeoutConnector<C>
where
    C: Service<Uri>,
    C::Error: Into<BoxError>,
    C::Future: Send + 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let connecting = self.inner.call(dst);
        let timeout = self.timeout;
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(result) => result.map_err(Into::into),
                Err(_elapsed) => Err(Box::new(ConnectTimeout(timeout)) as BoxError),
            }
        })
    }
}
