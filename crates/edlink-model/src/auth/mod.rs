//! Sign-in with Edlink (SSO) and the person tokens of the User API, sans IO:
//! the login URL, the `state` of a sign-in and its check, the redirect back,
//! the token request body, the token endpoint's answer and the token set an
//! application keeps.
//!
//! The flow (Edlink's authorization guide):
//!
//! 1. The application sends the person to [`LoginUrl`]
//!    (`https://ed.link/sso/login?client_id=…&redirect_uri=…&state=…&response_type=code`)
//!    with a fresh [`LoginState`](crate::LoginState).
//! 2. Edlink redirects back to `redirect_uri` with `code` and `state`
//!    (or `error=declined_authorization`): [`LoginState::check_redirect`](crate::LoginState::check_redirect)
//!    checks the state and gives the [`AuthorizationCode`](crate::AuthorizationCode).
//! 3. The application exchanges the code at [`TOKEN_PATH`] with a
//!    [`TokenRequest`]; the answer's `$data` is a [`TokenResponse`], kept as a
//!    [`TokenSet`] (the expiry computed from `expires_in`).
//! 4. Before the access token expires, a refresh ([`TokenRequest::refresh`])
//!    gives the next [`TokenSet`] ([`TokenSet::refreshed`]).
//!
//! `edlink-client` runs steps 3 and 4 over HTTP and refreshes on its own.

mod login;
mod redirect;
mod request;
mod state;
mod token;

pub use login::{LoginUrl, LoginUrlError};
pub use redirect::{Redirect, RedirectError};
pub use request::TokenRequest;
pub use state::RandomnessError;
pub use token::{TokenResponse, TokenSet};

/// The token endpoint's path: `POST https://ed.link/api/authentication/token`
/// exchanges a code and refreshes a token set.
///
/// ```
/// assert_eq!(edlink_model::auth::TOKEN_PATH, "/api/authentication/token");
/// ```
pub const TOKEN_PATH: &str = "/api/authentication/token";

/// The path of Edlink's login page: `https://ed.link/sso/login`.
///
/// ```
/// assert_eq!(edlink_model::auth::LOGIN_PATH, "/sso/login");
/// ```
pub const LOGIN_PATH: &str = "/sso/login";

/// The `error` Edlink's login page sends back when the person declines.
///
/// ```
/// assert_eq!(edlink_model::auth::DECLINED_AUTHORIZATION, "declined_authorization");
/// ```
pub const DECLINED_AUTHORIZATION: &str = "declined_authorization";
