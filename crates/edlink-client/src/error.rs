//! [`Error`]: everything a call can fail with, in one type.

use std::error::Error as StdError;
use std::time::Duration;

use edlink_model::{ApiError, ApiWarning, PagingError, ResponseError};
use edlink_transport::TransportError;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What kind of failure an [`Error`] is, without its details: handy to pick an
/// exit code or a log level.
///
/// ```
/// use edlink_client::{Error, ErrorKind};
///
/// fn exit_code(err: &Error) -> i32 {
///     match err.kind() {
///         ErrorKind::InvalidArgument => 2,
///         ErrorKind::Authentication => 3,
///         _ => 1,
///     }
/// }
/// # let _ = exit_code;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Edlink answered with `$errors`: [`Error::Api`].
    Api,
    /// The credentials were refused: [`Error::Authentication`].
    Authentication,
    /// The integration is not `active` or `paused`
    /// (`INVALID_INTEGRATION_STATE`, an [`Error::Api`]): skip it until the
    /// district activates it again.
    IntegrationUnavailable,
    /// No complete response arrived: [`Error::Transport`].
    Transport,
    /// The response is not the documented JSON: [`Error::Decode`].
    Decode,
    /// A listing cannot go on safely: [`Error::Paging`], [`Error::OffOrigin`].
    Paging,
    /// The server answered with a redirect: [`Error::Redirect`].
    Redirect,
    /// The server asked to wait longer than allowed: [`Error::RateLimited`].
    RateLimited,
    /// The call's deadline passed: [`Error::Timeout`].
    Timeout,
    /// The call was refused before any request: [`Error::InvalidArgument`],
    /// [`Error::MissingCredential`].
    InvalidArgument,
    /// The events checkpoint aged out of Edlink's retention:
    /// [`Error::EventsAgedOut`].
    EventsAgedOut,
    /// A signed-in person's session has ended (the refresh token was
    /// refused): [`Error::SignInRequired`]. Send them through the login again.
    SignInRequired,
}

/// Why a call failed.
///
/// Every variant says whether (and how often) a request was sent: `attempts`
/// counts the HTTP requests made for the call, retries included (`0` when none
/// was sent). `Display` gives the status, every Edlink error code and message,
/// the `$request` id, and the number of attempts when more than one was made.
///
/// A variant that wraps another error (a transport failure, an unusable
/// response, a paging rule, a refused argument) says what failed in its own
/// words and returns the cause from [`source`](std::error::Error::source),
/// never both, so an error-chain printer (anyhow's `{:#}`,
/// [`Error::chain`]) shows each cause once.
///
/// No variant ever holds the application key, an access token or a request
/// header.
///
/// ```
/// use edlink_client::{Client, Error, TestTransport};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let transport = TestTransport::new();
/// transport.push_json(400, r#"{"$request":"r-1","$errors":[{"code":"NOT_FOUND","message":"No such integration."}]}"#);
/// let client = Client::builder().application_key("key").transport(transport).build()?;
///
/// let err = client.integrations().get(uuid::Uuid::nil()).await.unwrap_err();
/// assert!(matches!(err, Error::Api { status: 400, .. }));
/// assert_eq!(err.request_id(), Some("r-1"));
/// assert_eq!(err.to_string(), "Edlink returned HTTP 400: NOT_FOUND: No such integration. (request r-1)");
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Edlink answered with `$errors` (on any status, 2xx included).
    #[non_exhaustive]
    Api {
        /// The HTTP status.
        status: u16,
        /// Every `$errors` entry, in order.
        errors: Vec<ApiError>,
        /// `$warnings` sent with the errors.
        warnings: Vec<ApiWarning>,
        /// `$request`, when sent: quote it to Edlink support.
        request_id: Option<String>,
        /// The response's `Retry-After`, when it carried one.
        retry_after: Option<Duration>,
        /// Requests made for the call.
        attempts: u32,
    },
    /// The credentials were refused: HTTP 401 or 403, or an error code such as
    /// `INVALID_TOKEN` or `EXPIRED_TOKEN`. Retrying will not help.
    #[non_exhaustive]
    Authentication {
        /// The HTTP status.
        status: u16,
        /// Every `$errors` entry (empty when the body had none).
        errors: Vec<ApiError>,
        /// `$warnings` sent with the errors.
        warnings: Vec<ApiWarning>,
        /// `$request`, when sent.
        request_id: Option<String>,
        /// The response's `Retry-After`, when it carried one.
        retry_after: Option<Duration>,
        /// Requests made for the call.
        attempts: u32,
    },
    /// No complete response arrived (connect failure, TLS, timeout of one
    /// attempt, broken connection, oversized body). The transport's error is
    /// the [`source`](std::error::Error::source).
    #[non_exhaustive]
    Transport {
        /// The last attempt's failure.
        source: TransportError,
        /// Requests made for the call.
        attempts: u32,
    },
    /// The response is not the documented JSON: an HTML page from a proxy,
    /// JSON of the wrong shape (with the JSON path), or a failure status with
    /// no `$errors`. The decoder's error is the source.
    #[non_exhaustive]
    Decode {
        /// What was wrong, with status, content type, request id, JSON path
        /// and a short excerpt of the body with secrets masked.
        source: ResponseError,
        /// The response's `Retry-After`, when it carried one (an HTML 503
        /// page from a proxy may).
        retry_after: Option<Duration>,
        /// Requests made for the call.
        attempts: u32,
    },
    /// A listing cannot go on safely: the server sent a `$next` already
    /// requested (a loop), the cursor keeps expiring, or a full page came
    /// without `$next` and without ids to continue from.
    #[non_exhaustive]
    Paging {
        /// What the paginator refused.
        source: PagingError,
    },
    /// A URL outside the base URL's origin was refused: nothing was sent there
    /// (the key goes to the base URL's origin only).
    #[non_exhaustive]
    OffOrigin {
        /// The refused URL (any user info removed, cut to 200 characters).
        url: String,
        /// The base URL's origin, e.g. `https://ed.link`.
        origin: String,
    },
    /// The server answered with a redirect; redirects are never followed.
    #[non_exhaustive]
    Redirect {
        /// The 3xx status.
        status: u16,
        /// The `Location` header, when sent.
        location: Option<String>,
        /// Requests made for the call.
        attempts: u32,
    },
    /// The server asked to wait (`Retry-After`) longer than the retry policy's
    /// cap or than the call's remaining time, so the call gave up at once.
    #[non_exhaustive]
    RateLimited {
        /// The HTTP status (usually 429 or 503).
        status: u16,
        /// How long the server asked to wait.
        retry_after: Duration,
        /// `$request`, when the body carried one.
        request_id: Option<String>,
        /// Requests made for the call.
        attempts: u32,
    },
    /// The call (all attempts and waits) did not finish within the client's
    /// call timeout.
    #[non_exhaustive]
    Timeout {
        /// The call timeout that passed.
        after: Duration,
        /// Requests started for the call.
        attempts: u32,
    },
    /// The events feed was asked for the events after an event Edlink no
    /// longer keeps (events are kept for 30 days): the changes since then
    /// cannot be read, so a mirror must be rebuilt with a full read. The
    /// refusal Edlink sent is the source.
    ///
    /// Edlink does not document the code of this refusal; the client reads
    /// `INVALID_CURSOR` or `NOT_FOUND` on the first page of a feed (the one
    /// carrying the checkpoint in `$after`) as this error, and `edlink-mock`
    /// answers `400 INVALID_CURSOR`.
    #[non_exhaustive]
    EventsAgedOut {
        /// The checkpoint that aged out.
        after: uuid::Uuid,
        /// Edlink's refusal.
        source: Box<Error>,
    },
    /// The endpoint needs a credential this client does not have; nothing was
    /// sent.
    #[non_exhaustive]
    MissingCredential {
        /// What was asked, e.g. `integration`.
        resource: &'static str,
        /// The credential needed, e.g. `the application secret key (ClientBuilder::application_key or EDLINK_SECRET_KEY)`.
        credential: &'static str,
    },
    /// A signed-in person's session has ended: Edlink refused the refresh
    /// token (revoked, expired, or the person signed out), or the token set
    /// has none. No request of the User API can succeed for them until they
    /// sign in again: send them to the login URL
    /// ([`Sso::login_url`](crate::Sso::login_url)). Once a session has ended,
    /// its later calls fail the same way without a request.
    ///
    /// The token endpoint's answer, when one came, is the
    /// [`source`](std::error::Error::source).
    #[non_exhaustive]
    SignInRequired {
        /// Why, e.g. `Edlink refused the refresh token`.
        reason: &'static str,
        /// The token endpoint's refusal, when this call received it.
        source: Option<Box<Error>>,
    },
    /// An argument or setting was refused before any request: paging
    /// parameters, base URL, user agent, a key that cannot be sent.
    #[non_exhaustive]
    InvalidArgument {
        /// What was wrong.
        message: String,
        /// The underlying error, e.g. an [`edlink_model::ParamError`].
        source: Option<BoxError>,
    },
}

impl Error {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidArgument {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn invalid_because(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::InvalidArgument {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// An events feed's first page was refused: when the refusal says the
    /// checkpoint is unknown (`INVALID_CURSOR`, `NOT_FOUND`), it aged out.
    pub(crate) fn events_aged_out(err: Self, after: Option<uuid::Uuid>) -> Self {
        use edlink_model::ErrorCode;
        match after {
            Some(after)
                if err.has_code(ErrorCode::InvalidCursor) || err.has_code(ErrorCode::NotFound) =>
            {
                Self::EventsAgedOut {
                    after,
                    source: Box::new(err),
                }
            }
            _ => err,
        }
    }

    /// Classifies a decoder error: `$errors` become [`Error::Api`] (or
    /// [`Error::Authentication`]), anything else [`Error::Decode`]. The code
    /// decides before the status: `INVALID_INTEGRATION_STATE` is an
    /// [`Error::Api`] (kind [`ErrorKind::IntegrationUnavailable`]) even on a
    /// 403, the status Edlink has used for inactive sources (the token is
    /// valid; the integration is not readable now).
    /// `retry_after` is the response's `Retry-After`, kept on every variant.
    pub(crate) fn from_response(
        err: ResponseError,
        attempts: u32,
        retry_after: Option<Duration>,
    ) -> Self {
        let status = err.status();
        let auth_status = matches!(status, 401 | 403);
        match err {
            ResponseError::Api {
                status,
                errors,
                warnings,
                request_id,
                ..
            } => {
                let unavailable = errors
                    .iter()
                    .any(|e| e.code == edlink_model::ErrorCode::InvalidIntegrationState);
                if !unavailable
                    && (auth_status || errors.iter().any(|e| e.code.is_authentication()))
                {
                    Self::Authentication {
                        status,
                        errors,
                        warnings,
                        request_id,
                        retry_after,
                        attempts,
                    }
                } else {
                    Self::Api {
                        status,
                        errors,
                        warnings,
                        request_id,
                        retry_after,
                        attempts,
                    }
                }
            }
            other if auth_status => Self::Authentication {
                status,
                errors: Vec::new(),
                warnings: Vec::new(),
                request_id: other.request_id().map(str::to_owned),
                retry_after,
                attempts,
            },
            other => Self::Decode {
                source: other,
                retry_after,
                attempts,
            },
        }
    }
}

mod accessors;
mod display;
