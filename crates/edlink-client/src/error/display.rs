//! How an [`Error`] reads, and its `source()` chain.

use std::error::Error as StdError;
use std::fmt;

use edlink_model::{ApiError, ApiErrorList, PagingError};

use super::Error;

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

fn write_hint(f: &mut fmt::Formatter<'_>, hint: Option<&str>) -> fmt::Result {
    match hint {
        Some(hint) => write!(f, "; {hint}"),
        None => Ok(()),
    }
}

fn write_errors(f: &mut fmt::Formatter<'_>, errors: &[ApiError]) -> fmt::Result {
    if errors.is_empty() {
        return Ok(());
    }
    write!(f, ": {}", ApiErrorList(errors))
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
                write_attempts(f, *attempts)?;
                write_hint(f, self.hint())
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
                write_attempts(f, *attempts)?;
                write_hint(f, self.hint())
            }
            // The cause is the source, not repeated here.
            Self::Transport { attempts, .. } => {
                f.write_str("the request to Edlink failed")?;
                write_attempts(f, *attempts)
            }
            Self::Decode { attempts, .. } => {
                f.write_str("Edlink's response could not be used")?;
                write_attempts(f, *attempts)
            }
            Self::Paging { .. } => f.write_str("the listing stopped"),
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
            Self::EventsAgedOut { after, .. } => write!(
                f,
                "the events after {after} are no longer kept (Edlink keeps events for 30 days): \
                 read everything again (a full sync), then follow the events from the newest"
            ),
            Self::MissingCredential {
                resource,
                credential,
            } => write!(
                f,
                "requests for {resource} objects need {credential}, which this client was built \
                 without; nothing was sent"
            ),
            Self::SignInRequired { reason, .. } => write!(
                f,
                "the person must sign in with Edlink again: {reason} (their session has ended)"
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
            Self::EventsAgedOut { source, .. } => Some(source.as_ref()),
            Self::SignInRequired {
                source: Some(source),
                ..
            } => Some(source.as_ref()),
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
        match source {
            // One variant for every refused URL, whoever refused it.
            PagingError::OffOrigin(refused) => refused.into(),
            source => Self::Paging { source },
        }
    }
}

impl From<edlink_model::ParamError> for Error {
    fn from(err: edlink_model::ParamError) -> Self {
        Self::invalid_because("invalid listing parameters", err)
    }
}

impl Error {
    /// This error and its causes, each once, joined with `: ` — what a
    /// command-line tool prints (`edlink` does).
    ///
    /// ```
    /// let err = edlink_client::Client::builder().base_url("https://user:pw@ed.link").build().unwrap_err();
    /// assert_eq!(
    ///     err.chain(),
    ///     r#"the base URL was refused: invalid base URL "https://ed.link/": it must not contain user info"#
    /// );
    /// ```
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut source = StdError::source(self);
        while let Some(cause) = source {
            out.push_str(": ");
            out.push_str(&cause.to_string());
            source = cause.source();
        }
        out
    }
}
