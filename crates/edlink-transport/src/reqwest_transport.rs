//! [`ReqwestTransport`]: a [`Transport`] over the caller's own
//! `reqwest::Client` (feature `reqwest`).

use std::error::Error as StdError;
use std::fmt;

use bytes::Bytes;
use http::Uri;

use crate::body::{BodyRules, read_response};
use crate::cause::target;
use crate::{
    BoxFuture, DEFAULT_MAX_BODY_BYTES, Transport, TransportError, TransportErrorKind,
    ensure_https_or_loopback, mark_sensitive_headers,
};

type BoxError = Box<dyn StdError + Send + Sync>;

/// A [`Transport`] that sends through your own [`reqwest::Client`], for an
/// application that already has one configured (its TLS backend, proxies,
/// DNS resolver, connection pool, timeouts). Feature `reqwest`.
///
/// The SDK's rules still hold: plain `http://` only to loopback hosts
/// (checked before sending), `Authorization` marked sensitive, the response
/// body read with a cap (64 MiB by default, on the decoded size, while it
/// streams; a gzip body reqwest did not decode is decoded here), failures
/// sorted into [`TransportErrorKind`]s, and no request header in any error.
///
/// Build the client with **redirects turned off**: the SDK reports a 3xx as
/// an error naming its location rather than following it (a redirect could
/// carry the request elsewhere). A client that followed one anyway is caught
/// afterwards: the response is refused. The **timeouts are the client's**:
/// set `timeout` (it covers the body too) and `connect_timeout`. Enable the
/// TLS feature of reqwest you want (edlink-transport depends on reqwest
/// without default features, so it pulls in no TLS of its own).
///
/// ```
/// use std::time::Duration;
/// use edlink_transport::ReqwestTransport;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let client = reqwest::Client::builder()
///     .redirect(reqwest::redirect::Policy::none())
///     .connect_timeout(Duration::from_secs(10))
///     .timeout(Duration::from_secs(60))
///     .build()?;
/// let transport = ReqwestTransport::new(client).max_body_bytes(16 << 20);
/// // edlink_client::Client::builder().transport(transport) ...
/// # let _ = transport;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body_bytes: usize,
}

impl ReqwestTransport {
    /// A transport over `client` (cloning a `reqwest::Client` shares its
    /// pool), with the default body cap of 64 MiB.
    ///
    /// ```
    /// let client = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let transport = edlink_transport::ReqwestTransport::new(client);
    /// # let _ = transport;
    /// ```
    pub fn new(client: reqwest::Client) -> Self {
        Self {
            client,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// The largest response body accepted, in bytes, after decompression
    /// (default 64 MiB). A larger body is a
    /// [`BodyTooLarge`](TransportErrorKind::BodyTooLarge) error, known from
    /// `Content-Length` or as soon as the streamed body passes the cap.
    ///
    /// ```
    /// let transport = edlink_transport::ReqwestTransport::new(reqwest::Client::new())
    ///     .max_body_bytes(8 << 20);
    /// # let _ = transport;
    /// ```
    #[must_use]
    pub fn max_body_bytes(mut self, max: usize) -> Self {
        self.max_body_bytes = max;
        self
    }

    async fn exchange(
        &self,
        mut request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        ensure_https_or_loopback(request.uri())?;
        mark_sensitive_headers(request.headers_mut());
        let uri = request.uri().clone();
        let request = reqwest::Request::try_from(request).map_err(|err| {
            TransportError::with_source(
                TransportErrorKind::InvalidRequest,
                "the request cannot be given to reqwest",
                err.without_url(),
            )
        })?;
        // As reqwest normalised it (default port, case), to compare with the
        // URL the response came from.
        let sent_to = request.url().clone();
        let response = self
            .client
            .execute(request)
            .await
            .map_err(|err| classify(err, &uri))?;
        if *response.url() != sent_to {
            let to = response.url();
            return Err(TransportError::new(
                TransportErrorKind::Other,
                format!(
                    "the reqwest client followed a redirect to {}://{}; build it with \
                     redirect(reqwest::redirect::Policy::none()), as the SDK reports redirects",
                    to.scheme(),
                    to.host_str().unwrap_or("?"),
                ),
            ));
        }
        let rules = BodyRules {
            max_bytes: self.max_body_bytes,
            gzip: true,
            on_error: |err: BoxError| match err.downcast::<reqwest::Error>() {
                Ok(err) => classify(*err, &uri),
                Err(err) => TransportError::with_source(
                    TransportErrorKind::Io,
                    "reading the response body",
                    err,
                ),
            },
        };
        read_response(http::Response::from(response), rules).await
    }
}

impl From<reqwest::Client> for ReqwestTransport {
    /// Same as [`ReqwestTransport::new`].
    fn from(client: reqwest::Client) -> Self {
        Self::new(client)
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(self.exchange(request))
    }
}

impl fmt::Debug for ReqwestTransport {
    /// Settings only: the client's own `Debug` could show default headers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// Sorts a reqwest failure for a request to `uri` into a kind. The error
/// keeps its cause chain but not its URL (which may carry a query); the
/// message says what was being done.
fn classify(err: reqwest::Error, uri: &Uri) -> TransportError {
    use TransportErrorKind::{Connect, InvalidRequest, Io, Other, Timeout};

    let target = target(uri);
    let err = err.without_url();
    let (kind, message) = if err.is_builder() {
        (InvalidRequest, "reqwest refused the request".to_owned())
    } else if err.is_connect() {
        #[cfg(feature = "rustls")]
        if crate::cause::walk::find::<rustls::Error>(&err).is_some() {
            let message = format!("connecting to {target} (reqwest)");
            return TransportError::with_source(TransportErrorKind::Tls, message, err);
        }
        (Connect, format!("connecting to {target} (reqwest)"))
    } else if err.is_timeout() {
        (
            Timeout,
            format!("no complete response from {target} in reqwest's time"),
        )
    } else if err.is_body() || err.is_decode() {
        (
            Io,
            format!("reading the response body from {target} (reqwest)"),
        )
    } else if err.is_request() {
        (
            Io,
            format!("waiting for the response from {target} (reqwest)"),
        )
    } else {
        (Other, format!("sending to {target} with reqwest"))
    };
    TransportError::with_source(kind, message, err)
}
