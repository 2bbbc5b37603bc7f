//! [`Error`]: everything a call can fail with, in one type.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use edlink_model::{ApiError, ApiWarning, ErrorCode, PagingError, ResponseError};
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
}

/// Why a call failed.
///
/// Every variant says whether (and how often) a request was sent: `attempts`
/// counts the HTTP requests made for the call, retries included (`0` when none
/// was sent). `Display` gives the status, every Edlink error code and message,
/// the `$request` id, and the number of attempts when more than one was made;
/// [`source`](std::error::Error::source) keeps the underlying error.
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
    /// The endpoint needs a credential this client does not have; nothing was
    /// sent.
    #[non_exhaustive]
    MissingCredential {
        /// What was asked, e.g. `integration`.
        resource: &'static str,
        /// The credential needed, e.g. `the application secret key (ClientBuilder::application_key or EDLINK_SECRET_KEY)`.
        credential: &'static str,
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

    /// Classifies a decoder error: `$errors` become [`Error::Api`] (or
    /// [`Error::Authentication`]), anything else [`Error::Decode`].
    pub(crate) fn from_response(err: ResponseError, attempts: u32) -> Self {
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
                if auth_status || errors.iter().any(|e| e.code.is_authentication()) {
                    Self::Authentication {
                        status,
                        errors,
                        warnings,
                        request_id,
                        attempts,
                    }
                } else {
                    Self::Api {
                        status,
                        errors,
                        warnings,
                        request_id,
                        attempts,
                    }
                }
            }
            other if auth_status => Self::Authentication {
                status,
                errors: Vec::new(),
                warnings: Vec::new(),
                request_id: other.request_id().map(str::to_owned),
                attempts,
            },
            other => Self::Decode {
                source: other,
                attempts,
            },
        }
    }

    /// What kind of failure this is.
    ///
    /// ```
    /// use edlink_client::{Client, ErrorKind};
    ///
    /// let err = Client::builder().base_url("http://example.com").build().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Api { .. } => ErrorKind::Api,
            Self::Authentication { .. } => ErrorKind::Authentication,
            Self::Transport { .. } => ErrorKind::Transport,
            Self::Decode { .. } => ErrorKind::Decode,
            Self::Paging { .. } | Self::OffOrigin { .. } => ErrorKind::Paging,
            Self::Redirect { .. } => ErrorKind::Redirect,
            Self::RateLimited { .. } => ErrorKind::RateLimited,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::MissingCredential { .. } | Self::InvalidArgument { .. } => {
                ErrorKind::InvalidArgument
            }
        }
    }

    /// Whether the same call may succeed if made again later: transport
    /// failures that are not TLS or size errors, statuses 408, 429, 500, 502,
    /// 503, 504, rate limits and timeouts. (The client has already retried as
    /// its [`RetryPolicy`](crate::RetryPolicy) allows.)
    ///
    /// ```
    /// use edlink_client::Client;
    ///
    /// let err = Client::builder().base_url("ftp://ed.link").build().unwrap_err();
    /// assert!(!err.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { source, .. } => crate::retry::is_retryable_transport(source.kind()),
            Self::Api { .. } | Self::Decode { .. } | Self::RateLimited { .. } => {
                self.status().is_some_and(crate::retry::is_retryable_status)
            }
            Self::Timeout { .. } => true,
            _ => false,
        }
    }

    /// The HTTP status of the response that failed the call, if one came.
    ///
    /// ```
    /// # let err = edlink_client::Client::builder().base_url("x").build().unwrap_err();
    /// assert_eq!(err.status(), None);
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. }
            | Self::Authentication { status, .. }
            | Self::Redirect { status, .. }
            | Self::RateLimited { status, .. } => Some(*status),
            Self::Decode { source, .. } => Some(source.status()),
            _ => None,
        }
    }

    /// Edlink's `$request` id for the failed request, when it sent one:
    /// quote it to Edlink support.
    ///
    /// ```
    /// # let err = edlink_client::Client::builder().base_url("x").build().unwrap_err();
    /// if let Some(id) = err.request_id() {
    ///     eprintln!("Edlink request id: {id}");
    /// }
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. }
            | Self::Authentication { request_id, .. }
            | Self::RateLimited { request_id, .. } => request_id.as_deref(),
            Self::Decode { source, .. } => source.request_id(),
            _ => None,
        }
    }

    /// Every `$errors` entry Edlink sent (empty for other kinds).
    ///
    /// ```
    /// # let err = edlink_client::Client::builder().base_url("x").build().unwrap_err();
    /// for e in err.api_errors() {
    ///     eprintln!("{}: {:?}", e.code, e.message);
    /// }
    /// ```
    pub fn api_errors(&self) -> &[ApiError] {
        match self {
            Self::Api { errors, .. } | Self::Authentication { errors, .. } => errors,
            _ => &[],
        }
    }

    /// `$warnings` sent with a failed response (empty for other kinds).
    ///
    /// ```
    /// # let err = edlink_client::Client::builder().base_url("x").build().unwrap_err();
    /// assert!(err.warnings().is_empty());
    /// ```
    pub fn warnings(&self) -> &[ApiWarning] {
        match self {
            Self::Api { warnings, .. } | Self::Authentication { warnings, .. } => warnings,
            Self::Decode {
                source: ResponseError::Api { warnings, .. },
                ..
            } => warnings,
            _ => &[],
        }
    }

    /// How many HTTP requests were made for the failed call (`0`: none was sent).
    ///
    /// ```
    /// # let err = edlink_client::Client::builder().base_url("x").build().unwrap_err();
    /// assert_eq!(err.attempts(), 0);
    /// ```
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Api { attempts, .. }
            | Self::Authentication { attempts, .. }
            | Self::Transport { attempts, .. }
            | Self::Decode { attempts, .. }
            | Self::Redirect { attempts, .. }
            | Self::RateLimited { attempts, .. }
            | Self::Timeout { attempts, .. } => *attempts,
            _ => 0,
        }
    }

    /// The server's `Retry-After` hint, for [`Error::RateLimited`].
    ///
    /// ```
    /// # let err = edlink_client::Client::builder().base_url("x").build().unwrap_err();
    /// if let Some(wait) = err.retry_after() {
    ///     eprintln!("try again in {wait:?}");
    /// }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    /// Whether Edlink refused the `$cursor` as expired or malformed.
    pub(crate) fn is_invalid_cursor(&self) -> bool {
        self.api_errors()
            .iter()
            .any(|e| e.code == ErrorCode::InvalidCursor)
    }
}

fn write_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " after {attempts} attempts")?;
    }
    Ok(())
}

fn write_request_id(f: &mut fmt::Formatter<'_>, request_id: Option<&str>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " (request {id})"),
        None => Ok(()),
    }
}

fn write_errors(f: &mut fmt::Formatter<'_>, errors: &[ApiError]) -> fmt::Result {
    for (i, e) in errors.iter().enumerate() {
        f.write_str(if i == 0 { ": " } else { "; " })?;
        write!(f, "{e}")?;
    }
    Ok(())
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api {
                status,
                errors,
                request_id,
                attempts,
                ..
            } => {
                write!(f, "Edlink returned HTTP {status}")?;
                write_errors(f, errors)?;
                write_request_id(f, request_id.as_deref())?;
                write_attempts(f, *attempts)
            }
            Self::Authentication {
                status,
                errors,
                request_id,
                attempts,
                ..
            } => {
                write!(f, "authentication failed: Edlink returned HTTP {status}")?;
                if errors.is_empty() {
                    f.write_str(" (the credential was refused)")?;
                }
                write_errors(f, errors)?;
                write_request_id(f, request_id.as_deref())?;
                write_attempts(f, *attempts)
            }
            Self::Transport { source, attempts } => {
                write!(f, "request failed: {source}")?;
                write_attempts(f, *attempts)
            }
            Self::Decode { source, attempts } => {
                write!(f, "unexpected response: {source}")?;
                write_attempts(f, *attempts)
            }
            Self::Paging { source } => write!(f, "listing stopped: {source}"),
            Self::OffOrigin { url, origin } => write!(
                f,
                "refused to send a request to {url}: it is outside {origin} (nothing was sent)"
            ),
            Self::Redirect {
                status,
                location,
                attempts,
            } => {
                write!(f, "Edlink answered HTTP {status} redirecting to ")?;
                match location {
                    Some(location) => write!(f, "{location}")?,
                    None => f.write_str("no location")?,
                }
                f.write_str("; redirects are not followed")?;
                write_attempts(f, *attempts)
            }
            Self::RateLimited {
                status,
                retry_after,
                request_id,
                attempts,
            } => {
                write!(
                    f,
                    "rate limited: Edlink returned HTTP {status} and asked to retry after {} s",
                    retry_after.as_secs_f64()
                )?;
                write_request_id(f, request_id.as_deref())?;
                write_attempts(f, *attempts)
            }
            Self::Timeout { after, attempts } => {
                write!(
                    f,
                    "the call did not finish within {} s",
                    after.as_secs_f64()
                )?;
                write_attempts(f, *attempts)
            }
            Self::MissingCredential {
                resource,
                credential,
            } => write!(
                f,
                "requests for {resource} objects need {credential}, which this client was built \
                 without; nothing was sent"
            ),
            Self::InvalidArgument { message, .. } => f.write_str(message),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Transport { source, .. } => Some(source),
            Self::Decode { source, .. } => Some(source),
            Self::Paging { source } => Some(source),
            Self::InvalidArgument {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<PagingError> for Error {
    fn from(source: PagingError) -> Self {
        Self::Paging { source }
    }
}

impl From<edlink_model::ParamError> for Error {
    fn from(err: edlink_model::ParamError) -> Self {
        Self::invalid_because(err.to_string(), err)
    }
}
