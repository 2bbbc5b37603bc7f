//! [`TowerTransport`]: a [`Transport`] over any `tower::Service` (feature
//! `tower`), so rate-limit, concurrency-limit, timeout or tracing layers can
//! be stacked on the HTTP client.

use std::error::Error as StdError;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::Uri;
use http_body_util::Full;
use tower_service::Service;

use crate::body::{BodyRules, read_response};
use crate::cause::target;
use crate::cause::walk::chain;
use crate::{
    BoxFuture, DEFAULT_MAX_BODY_BYTES, DEFAULT_REQUEST_TIMEOUT, Transport, TransportError,
    TransportErrorKind, ensure_https_or_loopback, mark_sensitive_headers,
};

type BoxError = Box<dyn StdError + Send + Sync>;

/// A [`Transport`] over any [`tower::Service`] that takes an
/// `http::Request<http_body_util::Full<Bytes>>` and answers an
/// `http::Response<B>` with any body `B`: a hyper-util client, or one
/// wrapped in tower layers (`ConcurrencyLimit`, `RateLimit`, `Timeout`,
/// `tower-http`'s `Trace`...). Feature `tower`.
///
/// As tower does, each request is sent through its own clone of the service
/// (after `poll_ready`), so the service needs `Clone` but not `Sync`; layers
/// that share state across clones (a concurrency limit's semaphore) share it.
/// A layer that is not `Clone` and keeps its state per instance (tower's
/// `RateLimit`) goes behind a `Buffer`, which every clone shares.
///
/// The SDK's rules still hold: plain `http://` only to loopback hosts
/// (checked before the service is called), `Authorization` marked sensitive,
/// the response body read with a cap (64 MiB by default, on the decoded
/// size, while it streams; gzip is decoded), a request timeout covering the
/// service call *and* the whole body (60 s by default; a tower `Timeout`
/// layer covers only the call), failures sorted into
/// [`TransportErrorKind`]s, and no request header in any error. The service
/// must not follow redirects (the SDK reports a 3xx itself).
///
/// It needs a tokio runtime (for its timer).
///
/// ```
/// use std::time::Duration;
/// use bytes::Bytes;
/// use edlink_transport::TowerTransport;
/// use http_body_util::Full;
/// use hyper_util::client::legacy::{Client, connect::HttpConnector};
/// use hyper_util::rt::TokioExecutor;
/// use tower::ServiceBuilder;
///
/// // A hyper-util client (plain TCP here: add a TLS connector for https)...
/// let client: Client<HttpConnector, Full<Bytes>> =
///     Client::builder(TokioExecutor::new()).build(HttpConnector::new());
/// // ... with at most 4 requests in flight, each answered within 10 s.
/// let service = ServiceBuilder::new()
///     .concurrency_limit(4)
///     .timeout(Duration::from_secs(10))
///     .service(client);
/// let transport = TowerTransport::new(service).max_body_bytes(16 << 20);
/// // edlink_client::Client::builder().transport(transport) ...
/// # let _ = transport;
/// ```
pub struct TowerTransport<S> {
    /// Cloned for every request; the lock is held only while cloning.
    service: Mutex<S>,
    max_body_bytes: usize,
    request_timeout: Duration,
}

impl<S> TowerTransport<S> {
    /// A transport over `service`, with a body cap of 64 MiB and a request
    /// timeout of 60 s.
    ///
    /// ```
    /// # use bytes::Bytes;
    /// # use http_body_util::Full;
    /// let service = tower::service_fn(|_request: http::Request<Full<Bytes>>| async {
    ///     Ok::<_, std::convert::Infallible>(http::Response::new(Full::new(Bytes::new())))
    /// });
    /// let transport = edlink_transport::TowerTransport::new(service);
    /// # let _ = transport;
    /// ```
    pub fn new(service: S) -> Self {
        Self {
            service: Mutex::new(service),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }

    /// The largest response body accepted, in bytes, after decompression
    /// (default 64 MiB). A larger body is a
    /// [`BodyTooLarge`](TransportErrorKind::BodyTooLarge) error, known from
    /// `Content-Length` or as soon as the streamed body passes the cap.
    ///
    /// ```
    /// # let service = tower::service_fn(|_: http::Request<http_body_util::Full<bytes::Bytes>>| async {
    /// #     Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
    /// # });
    /// let transport = edlink_transport::TowerTransport::new(service).max_body_bytes(8 << 20);
    /// # let _ = transport;
    /// ```
    #[must_use]
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.max_body_bytes = max;
        self
    }

    /// The time allowed for one request: readiness, the service call and the
    /// whole response body (default 60 s). Passing it is a
    /// [`Timeout`](TransportErrorKind::Timeout) error, also when the body
    /// stalls halfway.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # let service = tower::service_fn(|_: http::Request<http_body_util::Full<bytes::Bytes>>| async {
    /// #     Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
    /// # });
    /// let transport = edlink_transport::TowerTransport::new(service)
    ///     .request_timeout(Duration::from_secs(20));
    /// # let _ = transport;
    /// ```
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }
}

impl<S, B> TowerTransport<S>
where
    S: Service<http::Request<Full<Bytes>>, Response = http::Response<B>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: http_body::Body + Send,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    async fn exchange(
        &self,
        mut service: S,
        request: http::Request<Full<Bytes>>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let uri = request.uri().clone();
        poll_fn(|cx| service.poll_ready(cx))
            .await
            .map_err(|err| classify(err.into(), &uri))?;
        let response = service
            .call(request)
            .await
            .map_err(|err| classify(err.into(), &uri))?;
        let rules = BodyRules {
            max_bytes: self.max_body_bytes,
            gzip: true,
            on_error: |err| classify_body(err, &uri),
        };
        read_response(response, rules).await
    }
}

impl<S, B> Transport for TowerTransport<S>
where
    S: Service<http::Request<Full<Bytes>>, Response = http::Response<B>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: http_body::Body + Send,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            ensure_https_or_loopback(request.uri())?;
            let mut request = request.map(Full::new);
            mark_sensitive_headers(request.headers_mut());
            // A poisoned lock only means a clone panicked once; the service
            // itself is still whole.
            let service = self
                .service
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            let timeout = self.request_timeout;
            match tokio::time::timeout(timeout, self.exchange(service, request)).await {
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

impl<S> fmt::Debug for TowerTransport<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TowerTransport")
            .field("service", &std::any::type_name::<S>())
            .field("max_body_bytes", &self.max_body_bytes)
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}

/// Sorts a service failure for `uri` by what is in its cause chain: a
/// timeout (tower's or tokio's), TLS, a connection that could not be made,
/// one that broke. Anything else is `Other`: an error of a layer this crate
/// cannot know (a load shedder, a custom filter).
fn classify(err: BoxError, uri: &Uri) -> TransportError {
    use TransportErrorKind::{Connect, Io, Other, Timeout};

    let target = target(uri);
    let (kind, message) = match kind_in_chain(&*err) {
        Some(Timeout) => (Timeout, format!("no response from {target} in time")),
        Some(Connect) => (Connect, format!("connecting to {target}")),
        Some(TransportErrorKind::Tls) => {
            (TransportErrorKind::Tls, format!("connecting to {target}"))
        }
        Some(Io) => (Io, format!("waiting for the response from {target}")),
        Some(kind) => (kind, format!("sending to {target}")),
        None => (Other, format!("the service failed to send to {target}")),
    };
    TransportError::with_source(kind, message, err)
}

/// A failure of the response body: a timeout, or a broken body (`Io`).
fn classify_body(err: BoxError, uri: &Uri) -> TransportError {
    let kind = match kind_in_chain(&*err) {
        Some(TransportErrorKind::Timeout) => TransportErrorKind::Timeout,
        _ => TransportErrorKind::Io,
    };
    let message = format!("reading the response body from {}", target(uri));
    TransportError::with_source(kind, message, err)
}

/// The kind the first recognisable error in `err`'s chain stands for.
fn kind_in_chain(err: &(dyn StdError + 'static)) -> Option<TransportErrorKind> {
    use TransportErrorKind::{Connect, Io, Timeout};

    chain(err).find_map(|e| {
        if e.is::<tower::timeout::error::Elapsed>() || e.is::<tokio::time::error::Elapsed>() {
            return Some(Timeout);
        }
        #[cfg(feature = "rustls")]
        if e.is::<rustls::Error>() {
            return Some(TransportErrorKind::Tls);
        }
        #[cfg(feature = "hyper")]
        if let Some(client) = e.downcast_ref::<hyper_util::client::legacy::Error>() {
            // Its causes may say more (TLS, a timeout); a connect failure otherwise.
            let deeper = StdError::source(client).and_then(kind_in_chain);
            return deeper.or(client.is_connect().then_some(Connect));
        }
        #[cfg(feature = "hyper")]
        if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
            return Some(if hyper.is_parse() {
                TransportErrorKind::Other
            } else if hyper.is_timeout() {
                Timeout
            } else {
                Io
            });
        }
        let io = e.downcast_ref::<io::Error>()?;
        // The error it wraps may say more (rustls in an InvalidData).
        if let Some(kind) = io.get_ref().and_then(|inner| kind_in_chain(inner)) {
            return Some(kind);
        }
        Some(match io.kind() {
            io::ErrorKind::TimedOut => Timeout,
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable => Connect,
            _ => Io,
        })
    })
}
