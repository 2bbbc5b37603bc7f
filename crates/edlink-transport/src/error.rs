//! [`TransportError`]: why no complete response was received.

use std::error::Error as StdError;
use std::fmt;

type Source = Box<dyn StdError + Send + Sync + 'static>;

/// What kind of failure a [`TransportError`] is, so a retry policy can decide.
///
/// ```
/// use edlink_transport::{TransportError, TransportErrorKind};
///
/// let err = TransportError::new(TransportErrorKind::Timeout, "no response within 60s");
/// assert!(err.kind().is_retryable());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The request was refused before anything was sent (for example plain
    /// `http://` to a host that is not loopback, or a malformed URL).
    InvalidRequest,
    /// No connection could be made (DNS, refused, unreachable, connect timeout).
    Connect,
    /// The TLS handshake failed (bad or untrusted certificate, protocol mismatch).
    Tls,
    /// The response (headers or body) did not arrive within the per-request timeout.
    Timeout,
    /// The response body passed the configured size cap; the rest was not read.
    BodyTooLarge,
    /// The connection failed after the request was sent, before the body completed.
    Io,
    /// The HTTP proxy refused to open a tunnel to the server (`407`: its
    /// credentials are missing or wrong; `403`: the host is not allowed), or
    /// answered in a way another attempt will not change. A proxy that cannot
    /// be reached, or that cannot reach the server (`5xx`), is
    /// [`Connect`](Self::Connect).
    Proxy,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    /// Whether sending the same idempotent request again may succeed.
    ///
    /// Connect failures, timeouts and broken connections are retryable; a refused
    /// request, a TLS failure (a certificate will not fix itself), a proxy's
    /// refusal and an oversized body are not.
    ///
    /// ```
    /// use edlink_transport::TransportErrorKind;
    /// assert!(TransportErrorKind::Connect.is_retryable());
    /// assert!(!TransportErrorKind::Tls.is_retryable());
    /// assert!(!TransportErrorKind::Proxy.is_retryable());
    /// ```
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::Connect | Self::Timeout | Self::Io)
    }

    fn describe(self) -> &'static str {
        match self {
            Self::InvalidRequest => "request refused before sending",
            Self::Connect => "connection failed",
            Self::Tls => "TLS handshake failed",
            Self::Timeout => "timed out",
            Self::BodyTooLarge => "response body too large",
            Self::Io => "connection broke before the response completed",
            Self::Proxy => "the proxy refused the tunnel",
            Self::Other => "transport failure",
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Why a [`Transport`](crate::Transport) produced no complete response.
///
/// It carries a [`TransportErrorKind`], a message that never contains request
/// headers (so never a secret), and the underlying error as its
/// [`source`](std::error::Error::source).
///
/// Following the std convention, `Display` says what was being done
/// ("connection failed: connecting to ed.link:443") and never repeats the
/// source's text ("Connection refused"): an error reporter that prints the
/// whole chain shows each cause once.
///
/// ```
/// use edlink_transport::{TransportError, TransportErrorKind};
///
/// let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
/// let err = TransportError::with_source(TransportErrorKind::Io, "reading the body", io);
/// assert_eq!(err.kind(), TransportErrorKind::Io);
/// assert!(std::error::Error::source(&err).is_some());
/// assert_eq!(
///     err.to_string(),
///     "connection broke before the response completed: reading the body"
/// );
/// ```
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Source>,
}

impl TransportError {
    /// An error of `kind`, described by `message`.
    ///
    /// ```
    /// use edlink_transport::{TransportError, TransportErrorKind};
    /// let err = TransportError::new(TransportErrorKind::Connect, "refused");
    /// assert_eq!(err.to_string(), "connection failed: refused");
    /// ```
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// An error of `kind`, described by `message`, caused by `source` (kept as
    /// the [`source`](std::error::Error::source), never flattened to a string).
    ///
    /// ```
    /// use edlink_transport::{TransportError, TransportErrorKind};
    /// let cause = std::io::Error::from(std::io::ErrorKind::TimedOut);
    /// let err = TransportError::with_source(TransportErrorKind::Timeout, "after 60s", cause);
    /// assert!(std::error::Error::source(&err).is_some());
    /// ```
    pub fn with_source(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: impl Into<Source>,
    ) -> Self {
        Self {
            kind,
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// What kind of failure this is.
    ///
    /// ```
    /// use edlink_transport::{TransportError, TransportErrorKind};
    /// let err = TransportError::new(TransportErrorKind::Tls, "UnknownIssuer");
    /// assert_eq!(err.kind(), TransportErrorKind::Tls);
    /// ```
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The message, without the kind's description.
    ///
    /// ```
    /// use edlink_transport::{TransportError, TransportErrorKind};
    /// let err = TransportError::new(TransportErrorKind::Io, "reset");
    /// assert_eq!(err.message(), "reset");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether sending the same idempotent request again may succeed (see
    /// [`TransportErrorKind::is_retryable`]).
    ///
    /// ```
    /// use edlink_transport::{TransportError, TransportErrorKind};
    /// let err = TransportError::new(TransportErrorKind::BodyTooLarge, "over 64 MiB");
    /// assert!(!err.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.kind, self.message)
        }
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("source", &self.source)
            .finish()
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}
