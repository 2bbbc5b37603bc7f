//! What an [`Error`] says about itself, for programs that react to it.

use std::time::Duration;

use edlink_model::{ApiError, ApiWarning, ErrorCode, ResponseError};

use super::{Error, ErrorKind};

impl Error {
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
            Self::Api { .. } if self.has_code(ErrorCode::InvalidIntegrationState) => {
                ErrorKind::IntegrationUnavailable
            }
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
            Self::EventsAgedOut { .. } => ErrorKind::EventsAgedOut,
            Self::SignInRequired { .. } => ErrorKind::SignInRequired,
        }
    }

    /// Whether the same call may succeed if made again later: transport
    /// failures that are not TLS or size errors, statuses 408, 429, 500, 502,
    /// 503, 504, a JSON body that ended early, rate limits and timeouts. (The
    /// client has already retried as its [`RetryPolicy`](crate::RetryPolicy)
    /// allows.)
    ///
    /// ```
    /// use edlink_client::Client;
    ///
    /// let err = Client::builder().base_url("ftp://ed.link").build().unwrap_err();
    /// assert!(!err.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        if self.is_truncated_body() {
            return true;
        }
        match self {
            Self::Transport { source, .. } => crate::retry::is_retryable_transport(source.kind()),
            Self::Api { .. } | Self::Decode { .. } | Self::RateLimited { .. } => {
                self.status().is_some_and(crate::retry::is_retryable_status)
            }
            Self::Timeout { .. } => true,
            _ => false,
        }
    }

    /// Whether a complete HTTP response carried a JSON document that ended
    /// early: cut on its way, retried like a broken connection.
    pub(crate) fn is_truncated_body(&self) -> bool {
        matches!(self, Self::Decode { source, .. } if source.is_truncated())
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
            Self::EventsAgedOut { source, .. } => source.status(),
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
            Self::EventsAgedOut { source, .. } => source.request_id(),
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
            Self::EventsAgedOut { source, .. } => source.attempts(),
            _ => 0,
        }
    }

    /// The server's `Retry-After`, on every error that came from a response
    /// carrying one: the last attempt's 429 or 503 (retries exhausted, or
    /// retries off) as well as [`Error::RateLimited`] (a wait longer than
    /// allowed).
    ///
    /// ```
    /// use edlink_client::{Client, RetryPolicy, TestTransport};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let t = TestTransport::new();
    /// t.push(http::Response::builder().status(429).header("retry-after", "7").body(Default::default())?);
    /// let client = Client::builder().application_key("k").transport(t)
    ///     .retry_policy(RetryPolicy::disabled()).build()?;
    /// let err = client.integrations().get(uuid::Uuid::nil()).await.unwrap_err();
    /// assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => Some(*retry_after),
            Self::Api { retry_after, .. }
            | Self::Authentication { retry_after, .. }
            | Self::Decode { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether Edlink's `$errors` carry `code` (classification by code, not
    /// status: Edlink answers 400 for most errors).
    ///
    /// ```
    /// use edlink_client::{Client, ErrorCode, TestTransport};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let t = TestTransport::new();
    /// t.push_json(400, r#"{"$errors":[{"code":"INVALID_UUID","message":"bad"}]}"#);
    /// let client = Client::builder().application_key("k").transport(t).build()?;
    /// let err = client.integrations().get(uuid::Uuid::nil()).await.unwrap_err();
    /// assert!(err.has_code(ErrorCode::InvalidUuid));
    /// assert!(!err.has_code(ErrorCode::NotFound));
    /// # Ok(())
    /// # }
    /// ```
    pub fn has_code(&self, code: ErrorCode) -> bool {
        self.api_errors().iter().any(|e| e.code == code)
    }

    /// Whether Edlink said the object does not exist (`NOT_FOUND`, whatever
    /// the status: Edlink sends it with 400; a 404 carrying it counts too).
    ///
    /// ```
    /// use edlink_client::{Client, TestTransport};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let t = TestTransport::new();
    /// t.push_json(400, r#"{"$errors":[{"code":"NOT_FOUND","message":"No such integration."}]}"#);
    /// let client = Client::builder().application_key("k").transport(t).build()?;
    /// match client.integrations().get(uuid::Uuid::nil()).await {
    ///     Err(err) if err.is_not_found() => println!("gone"),
    ///     other => { other?; }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_not_found(&self) -> bool {
        self.has_code(ErrorCode::NotFound)
    }

    /// What to do about it, for the errors whose code says: a token that
    /// belongs to no usable integration, or an integration that is not
    /// `active`/`paused`. `Display` ends with it too.
    ///
    /// ```
    /// use edlink_client::{Client, ErrorKind, TestTransport};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let t = TestTransport::new();
    /// t.push_json(400, r#"{"$errors":[{"code":"INVALID_INTEGRATION_STATE","message":"Integration is inactive."}]}"#);
    /// let graph = Client::builder().transport(t).build()?.graph("token");
    /// let err = graph.schools().list().collect_all().await.unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::IntegrationUnavailable);
    /// assert!(err.hint().unwrap().contains("active or paused"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn hint(&self) -> Option<&'static str> {
        self.api_errors().iter().find_map(|e| match e.code {
            ErrorCode::InvalidToken => Some(
                "the token was refused: for the Graph API use the integration's current \
                 access_token (a re-created integration has a new one); for the meta API, \
                 the application secret key",
            ),
            ErrorCode::UnsharedToken => Some(
                "the token belongs to another integration or application: use the \
                 access_token of the integration whose data you want",
            ),
            ErrorCode::InvalidIntegrationState => Some(
                "the integration is not active or paused: its data cannot be read until \
                 the district activates it again (skip it for now)",
            ),
            _ => None,
        })
    }

    /// Whether the integration cannot be read now, and retrying will not
    /// help: its token was refused or belongs to another integration, or the
    /// integration is not `active`/`paused`. A program serving many
    /// integrations skips this one and goes on.
    ///
    /// ```
    /// # let err = edlink_client::Client::builder().base_url("x").build().unwrap_err();
    /// assert!(!err.is_unusable_integration());
    /// ```
    pub fn is_unusable_integration(&self) -> bool {
        self.api_errors().iter().any(|e| {
            matches!(
                e.code,
                ErrorCode::InvalidToken
                    | ErrorCode::UnsharedToken
                    | ErrorCode::InvalidIntegrationState
            )
        })
    }

    /// Whether a signed-in person must sign in again ([`Error::SignInRequired`]).
    ///
    /// ```
    /// # let err = edlink_client::Client::builder().base_url("x").build().unwrap_err();
    /// assert!(!err.is_sign_in_required());
    /// ```
    pub fn is_sign_in_required(&self) -> bool {
        matches!(self, Self::SignInRequired { .. })
    }

    /// Whether the server refused a person's access token as expired: HTTP
    /// 401 (Edlink's authorization guide), or the code `EXPIRED_TOKEN`
    /// whatever the status (its error table says 400).
    pub(crate) fn is_expired_token(&self) -> bool {
        matches!(self, Self::Authentication { status: 401, .. })
            || self.has_code(ErrorCode::ExpiredToken)
    }

    /// Whether Edlink refused the `$cursor` as expired or malformed.
    pub(crate) fn is_invalid_cursor(&self) -> bool {
        self.has_code(ErrorCode::InvalidCursor)
    }
}
