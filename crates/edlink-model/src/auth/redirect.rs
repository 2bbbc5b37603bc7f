//! [`Redirect`]: what Edlink's login page sends back to the application's
//! `redirect_uri`, and why it may be refused.

use std::fmt;

use crate::auth::DECLINED_AUTHORIZATION;
use crate::{AuthorizationCode, LoginState};

/// Why a redirect back from Edlink's login page gives no code. Its `Display`
/// never shows the code or the state.
///
/// ```
/// use edlink_model::auth::RedirectError;
///
/// assert!(RedirectError::StateMismatch.to_string().contains("start the sign-in again"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectError {
    /// The person declined to sign in (`error=declined_authorization`).
    Declined,
    /// Edlink sent another `error` (and perhaps an `error_description`).
    Refused {
        /// `error`, as sent.
        error: String,
        /// `error_description`, when sent, with secrets masked.
        description: Option<String>,
    },
    /// No `state` came back.
    MissingState,
    /// The `state` is not the one this sign-in sent: the redirect may be
    /// forged (login CSRF), or belong to another sign-in.
    StateMismatch,
    /// Neither `code` nor `error` came back.
    MissingCode,
    /// A parameter came more than once, so which one counts is ambiguous.
    Repeated {
        /// `code`, `state`, `error` or `error_description`.
        name: &'static str,
    },
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Declined => f.write_str(
                "the person declined to sign in with Edlink (error=declined_authorization)",
            ),
            Self::Refused { error, description } => {
                write!(f, "Edlink's login page answered error={error}")?;
                match description {
                    Some(d) => write!(f, ": {d}"),
                    None => Ok(()),
                }
            }
            Self::MissingState => f.write_str(
                "the redirect from Edlink carries no state: it cannot be checked, so it is \
                 refused; start the sign-in again",
            ),
            Self::StateMismatch => f.write_str(
                "the redirect's state is not the one this sign-in sent (a forged or stale \
                 redirect); start the sign-in again",
            ),
            Self::MissingCode => {
                f.write_str("the redirect from Edlink carries neither a code nor an error")
            }
            Self::Repeated { name } => write!(
                f,
                "the redirect from Edlink carries {name} more than once; start the sign-in again"
            ),
        }
    }
}

impl std::error::Error for RedirectError {}

/// The parameters of Edlink's redirect to the application's `redirect_uri`:
/// `code` and `state`, or `error` (`declined_authorization`) and `state`.
/// [`verify`](Self::verify) checks it against the sign-in's
/// [`LoginState`]; [`LoginState::check_redirect`] does both steps at once.
///
/// `Debug` shows neither the code nor the state.
///
/// ```
/// use edlink_model::auth::Redirect;
///
/// let redirect = Redirect::parse("code=c0de&state=s-1&extra=1")?;
/// assert_eq!(redirect.state(), Some("s-1"));
/// assert!(redirect.code().is_some());
/// assert!(!format!("{redirect:?}").contains("c0de"));
/// # Ok::<(), edlink_model::auth::RedirectError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Redirect {
    code: Option<AuthorizationCode>,
    state: Option<LoginState>,
    error: Option<String>,
    error_description: Option<String>,
}

impl fmt::Debug for Redirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redirect")
            .field("code", &self.code)
            .field("state", &self.state)
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .finish()
    }
}

/// Sets `slot` to `value`, or says the parameter came twice.
fn once<T>(slot: &mut Option<T>, name: &'static str, value: T) -> Result<(), RedirectError> {
    if slot.is_some() {
        return Err(RedirectError::Repeated { name });
    }
    *slot = Some(value);
    Ok(())
}

impl Redirect {
    /// Reads the redirect's query string (with or without the leading `?`),
    /// percent-decoded. Other parameters are ignored; `code`, `state`,
    /// `error` and `error_description` may come once each.
    ///
    /// ```
    /// use edlink_model::auth::{Redirect, RedirectError};
    ///
    /// let r = Redirect::parse("?error=declined_authorization&state=a%2Bb")?;
    /// assert_eq!(r.error(), Some("declined_authorization"));
    /// assert_eq!(r.state(), Some("a+b"));
    /// assert_eq!(Redirect::parse("code=1&code=2"), Err(RedirectError::Repeated { name: "code" }));
    /// # Ok::<(), RedirectError>(())
    /// ```
    pub fn parse(query: &str) -> Result<Self, RedirectError> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut redirect = Self {
            code: None,
            state: None,
            error: None,
            error_description: None,
        };
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match name.as_ref() {
                "code" => once(&mut redirect.code, "code", AuthorizationCode::new(value))?,
                "state" => once(&mut redirect.state, "state", LoginState::new(value))?,
                "error" => once(&mut redirect.error, "error", value.into_owned())?,
                "error_description" => once(
                    &mut redirect.error_description,
                    "error_description",
                    crate::redact::redact(&value).into_owned(),
                )?,
                _ => {}
            }
        }
        Ok(redirect)
    }

    /// `code`, when sent.
    pub fn code(&self) -> Option<&AuthorizationCode> {
        self.code.as_ref()
    }

    /// `state`, when sent.
    pub fn state(&self) -> Option<&str> {
        self.state.as_ref().map(LoginState::expose_secret)
    }

    /// `error`, when sent (`declined_authorization`).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// `error_description`, when sent, with secrets masked.
    pub fn error_description(&self) -> Option<&str> {
        self.error_description.as_deref()
    }

    /// The code to exchange, after checking, in this order: the state is
    /// present and equals `expected` (constant time), no `error` came, a
    /// `code` came. The state comes first: nothing in a redirect that this
    /// sign-in did not start is believed, not even its error.
    pub fn verify(self, expected: &LoginState) -> Result<AuthorizationCode, RedirectError> {
        let state = self.state.ok_or(RedirectError::MissingState)?;
        if !expected.matches(state.expose_secret()) {
            return Err(RedirectError::StateMismatch);
        }
        match self.error {
            Some(error) if error == DECLINED_AUTHORIZATION => Err(RedirectError::Declined),
            Some(error) => Err(RedirectError::Refused {
                error,
                description: self.error_description,
            }),
            None => self.code.ok_or(RedirectError::MissingCode),
        }
    }
}
