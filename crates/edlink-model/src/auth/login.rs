//! [`LoginUrl`]: where an application sends a person to sign in with Edlink.

use std::fmt;

use url::Url;

use crate::auth::LOGIN_PATH;
use crate::{LoginState, Origin};

/// Why a login URL could not be built.
///
/// ```
/// use edlink_model::{LoginState, auth::LoginUrl};
///
/// let err = LoginUrl::new("client-1", "/callback", &LoginState::new("s")).build().unwrap_err();
/// assert!(err.to_string().contains("redirect_uri"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginUrlError {
    /// The client id is empty.
    EmptyClientId,
    /// The state is empty: the redirect could not be checked.
    EmptyState,
    /// The `redirect_uri` is not an absolute URL without a fragment.
    RedirectUri {
        /// What was wrong.
        reason: String,
    },
    /// The base URL is not an `http(s)` URL with a host.
    BaseUrl {
        /// What was wrong.
        reason: String,
    },
}

impl fmt::Display for LoginUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyClientId => f.write_str("the login URL needs a client_id; it is empty"),
            Self::EmptyState => f.write_str(
                "the login URL needs a state (LoginState::generate); it is empty, so the \
                 redirect could not be checked",
            ),
            Self::RedirectUri { reason } => write!(f, "invalid redirect_uri: {reason}"),
            Self::BaseUrl { reason } => write!(f, "invalid base URL for the login page: {reason}"),
        }
    }
}

impl std::error::Error for LoginUrlError {}

/// Builds the URL of Edlink's login page,
/// `https://ed.link/sso/login?client_id=…&redirect_uri=…&state=…&response_type=code`.
///
/// The `redirect_uri` goes out exactly as given (checked, never normalized):
/// the code exchange must send the very same string.
///
/// ```
/// use edlink_model::{LoginState, auth::LoginUrl};
///
/// let state = LoginState::new("s-1");
/// let url = LoginUrl::new("client-1", "https://app.example/callback", &state).build()?;
/// assert_eq!(
///     url.as_str(),
///     "https://ed.link/sso/login?client_id=client-1&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&state=s-1&response_type=code"
/// );
///
/// // Another base URL, e.g. a local fake Edlink.
/// let local = LoginUrl::new("client-1", "http://127.0.0.1:9000/cb", &state)
///     .base_url("http://127.0.0.1:8080")
///     .build()?;
/// assert!(local.as_str().starts_with("http://127.0.0.1:8080/sso/login?"));
/// # Ok::<(), edlink_model::auth::LoginUrlError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct LoginUrl {
    base_url: String,
    client_id: String,
    redirect_uri: String,
    state: LoginState,
}

impl fmt::Debug for LoginUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginUrl")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("state", &self.state)
            .finish()
    }
}

impl LoginUrl {
    /// The login URL of `https://ed.link` for this application (`client_id`),
    /// return address and sign-in `state`.
    pub fn new(
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
        state: &LoginState,
    ) -> Self {
        Self {
            base_url: "https://ed.link".to_owned(),
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            state: state.clone(),
        }
    }

    /// Edlink's base URL (default `https://ed.link`); the login page is at
    /// `/sso/login` under it.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The URL, or what is wrong with its parts.
    pub fn build(&self) -> Result<Url, LoginUrlError> {
        if self.client_id.trim().is_empty() {
            return Err(LoginUrlError::EmptyClientId);
        }
        if self.state.expose_secret().is_empty() {
            return Err(LoginUrlError::EmptyState);
        }
        let redirect = Url::parse(&self.redirect_uri).map_err(|e| LoginUrlError::RedirectUri {
            reason: format!("{e} (it must be an absolute URL, e.g. https://app.example/callback)"),
        })?;
        if redirect.fragment().is_some() {
            return Err(LoginUrlError::RedirectUri {
                reason: "it must not contain a fragment (#…)".to_owned(),
            });
        }
        let origin = Origin::new(&self.base_url).map_err(|e| LoginUrlError::BaseUrl {
            reason: e.reason().to_owned(),
        })?;
        let mut url = Url::parse(&origin.join(LOGIN_PATH)).map_err(|e| LoginUrlError::BaseUrl {
            reason: e.to_string(),
        })?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("state", self.state.expose_secret())
            .append_pair("response_type", "code");
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> LoginState {
        LoginState::new("s")
    }

    #[test]
    fn every_part_is_checked() {
        let cases = [
            (
                LoginUrl::new(" ", "https://a.example/", &state()),
                "client_id",
            ),
            (
                LoginUrl::new("c", "https://a.example/", &LoginState::new("")),
                "state",
            ),
            (LoginUrl::new("c", "callback", &state()), "absolute URL"),
            (
                LoginUrl::new("c", "https://a.example/cb#x", &state()),
                "fragment",
            ),
            (
                LoginUrl::new("c", "https://a.example/cb", &state()).base_url("ftp://ed.link"),
                "base URL",
            ),
        ];
        for (login, expected) in cases {
            let err = login
                .build()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(expected), "{err} should mention {expected}");
        }
    }

    #[test]
    fn the_redirect_uri_is_sent_unnormalized_and_encoded() {
        let url = LoginUrl::new("c 1", "https://A.example?x=1&y=é", &state())
            .base_url("https://proxy.example/edlink/")
            .build()
            .map(|u| u.to_string())
            .unwrap_or_default();
        assert_eq!(
            url,
            "https://proxy.example/edlink/sso/login?client_id=c+1&redirect_uri=https%3A%2F%2FA.example%3Fx%3D1%26y%3D%C3%A9&state=s&response_type=code"
        );
        let back: Vec<(String, String)> = Url::parse(&url)
            .map(|u| u.query_pairs().into_owned().collect())
            .unwrap_or_default();
        assert_eq!(back[1].1, "https://A.example?x=1&y=é");
    }
}
