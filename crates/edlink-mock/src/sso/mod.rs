//! Sign-in with Edlink and the User API: the token endpoint, the login page (played
//! without a page), the person tokens and their lifetimes, and `/api/v2/my/…`.
//!
//! | File | Job |
//! |---|---|
//! | `config.rs` | The SSO application, token lifetimes, the builder methods. |
//! | `tokens.rs` | Codes, access and refresh tokens: issue, expiry, revocation. |
//! | `token.rs` | `POST /api/authentication/token`. |
//! | `login.rs` | `GET /sso/login` and [`MockServer::sign_in`](crate::MockServer::sign_in). |
//! | `route.rs` | [`MyRoute`]: the User API's routes. |
//! | `my.rs` | The User API's answers. |
//! | `server.rs` | The [`MockServer`](crate::MockServer) methods of sign-in. |

pub(crate) mod config;
pub(crate) mod login;
pub(crate) mod my;
pub(crate) mod route;
mod server;
pub(crate) mod token;
pub(crate) mod tokens;

pub use config::{
    CODE_TTL, DEFAULT_PERSON_TOKEN_TTL, DEFAULT_SSO_CLIENT_ID, DEFAULT_SSO_CLIENT_SECRET,
    RefreshTokens,
};
pub use route::MyRoute;
