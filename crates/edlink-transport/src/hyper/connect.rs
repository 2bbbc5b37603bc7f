//! The connector: DNS + TCP, straight or through an HTTP proxy's `CONNECT`
//! tunnel (+ TLS with feature `rustls`, end to end through the tunnel), all
//! under one connect timeout.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use crate::TransportErrorKind;

use super::proxy::{Proxies, ProxyError, Route, open_tunnel};

type BoxError = Box<dyn StdError + Send + Sync>;

#[cfg(feature = "rustls")]
type Inner = hyper_rustls::HttpsConnector<Dialer>;
#[cfg(not(feature = "rustls"))]
type Inner = Dialer;

/// The connector `HyperTransport`'s pooled client uses.
pub(crate) type Connector = TimeoutConnector<Inner>;

/// Builds the connector. `tls` is the rustls configuration (feature `rustls`).
pub(crate) fn connector(
    connect_timeout: Duration,
    proxies: Arc<Proxies>,
    #[cfg(feature = "rustls")] tls: rustls::ClientConfig,
) -> Connector {
    let mut http = HttpConnector::new();
    // The TLS layer above handles https; the scheme rule is checked per request.
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_keepalive(Some(Duration::from_secs(60)));
    let dialer = Dialer { http, proxies };

    #[cfg(feature = "rustls")]
    let inner = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .wrap_connector(dialer);
    #[cfg(not(feature = "rustls"))]
    let inner = dialer;

    TimeoutConnector {
        inner,
        timeout: connect_timeout,
    }
}

/// Opens the TCP connection for a request: to the server, or to its proxy
/// and through a `CONNECT` tunnel. TLS (above) then runs inside, so the
/// proxy only relays encrypted bytes.
#[derive(Clone)]
pub(crate) struct Dialer {
    http: HttpConnector,
    proxies: Arc<Proxies>,
}

impl Service<Uri> for Dialer {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let route = self.proxies.route(&dst);
        let mut http = self.http.clone();
        Box::pin(async move {
            // Checked before sending too; an unusable setting never gets here.
            let route = route.map_err(|err| Box::new(err) as BoxError)?;
            match route {
                Route::Direct => http.call(dst).await.map_err(Into::into),
                Route::Tunnel(proxy) => {
                    let tcp = http.call(proxy.uri.clone()).await.map_err(|err| {
                        let message = "cannot reach the proxy";
                        ProxyError::new(
                            TransportErrorKind::Connect,
                            &proxy,
                            message,
                            Some(err.into()),
                        )
                    })?;
                    let tunnel = open_tunnel(tcp.into_inner(), &dst, &proxy).await?;
                    Ok(TokioIo::new(tunnel))
                }
            }
        })
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
