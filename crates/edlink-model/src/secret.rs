//! Credentials that must never end up in logs: access tokens (an
//! integration's or a person's), refresh tokens, the application secret key,
//! an SSO application's client secret, authorization codes and the `state`
//! of a sign-in.
//!
//! Both types share one private implementation ([`Secret`]); a small macro
//! only gives each its own name, so `Debug` redaction, serde and comparison
//! are written once.
//!
//! Like the `secrecy` crate's types, they have no `Display`: with one,
//! `format!("Bearer {key}")` would compile and quietly send
//! `Bearer [redacted]`. The value is reached only through `expose_secret()`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What `Debug` prints instead of a secret: no character of it.
const REDACTED: &str = "[redacted]";

/// The shared inner value of every secret type. Private, so the only way to the
/// text is the public `expose_secret`.
#[derive(Clone, PartialEq, Eq)]
struct Secret(String);

impl Drop for Secret {
    /// Best effort: overwrite the text before the memory goes back to the
    /// allocator. Without `unsafe` (forbidden in this workspace) the compiler
    /// may in theory elide the writes, and copies made earlier (a reallocation
    /// while decoding, a `Clone`, the response body) are not reached; this only
    /// shortens the time the token lies around in freed memory.
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(Secret);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(Secret(value.into()))
            }

            /// The secret itself, for the one place that must send it (an
            /// `Authorization` header). Never log the result.
            pub fn expose_secret(&self) -> &str {
                &self.0.0
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::new(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::new(value)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), REDACTED)
            }
        }

        impl Serialize for $name {
            /// The full secret, as a plain JSON string: serializing is how an
            /// integration is stored or handed on, so it must be lossless.
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.expose_secret())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::new)
            }
        }
    };
}

secret_type! {
    /// An access token: the bearer credential of the Graph API for one
    /// school's integration (it does not expire), or of the User API for one
    /// person signed in with Edlink (inside a [`TokenSet`](crate::TokenSet),
    /// it expires after `expires_in` seconds).
    ///
    /// `Debug` prints no character of it and there is no `Display` (so it
    /// cannot slip into a `format!`); serde reads and writes it in full as a
    /// plain string; [`AccessToken::expose_secret`] gives it.
    ///
    /// ```
    /// use edlink_model::AccessToken;
    ///
    /// let token = AccessToken::new("HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7");
    /// assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
    /// assert_eq!(token.expose_secret(), "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7");
    /// assert_eq!(serde_json::to_string(&token)?, r#""HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7""#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    AccessToken
}

secret_type! {
    /// The application secret key: the bearer credential of the v1 meta
    /// endpoints (`/api/v1/integrations`), given to the client.
    ///
    /// Redacted like [`AccessToken`].
    ///
    /// ```
    /// use edlink_model::ApplicationKey;
    ///
    /// let key = ApplicationKey::from(String::from("sk_live_123"));
    /// assert_eq!(format!("{key:?}"), "ApplicationKey([redacted])");
    /// assert!(!format!("{key:#?}").contains("sk_live"));
    /// assert_eq!(key.expose_secret(), "sk_live_123");
    /// ```
    ///
    /// There is no `Display`, so a secret cannot be formatted by mistake:
    ///
    /// ```compile_fail
    /// let key = edlink_model::ApplicationKey::new("sk_live_123");
    /// let header = format!("Bearer {key}");
    /// ```
    ApplicationKey
}

secret_type! {
    /// The secret a webhook endpoint's deliveries are signed with (set in
    /// Edlink's dashboard); see [`crate::webhook::verify`]. Redacted like
    /// [`AccessToken`].
    ///
    /// ```
    /// let secret = edlink_model::WebhookSecret::new("whsec_123");
    /// assert_eq!(format!("{secret:?}"), "WebhookSecret([redacted])");
    /// ```
    WebhookSecret
}

secret_type! {
    /// A person's refresh token, from the token endpoint
    /// (`POST /api/authentication/token`): it buys a new access token when the
    /// old one expires. Part of a [`TokenSet`](crate::TokenSet).
    ///
    /// Redacted like [`AccessToken`].
    ///
    /// ```
    /// use edlink_model::RefreshToken;
    ///
    /// let token = RefreshToken::new("av439q8nlbl0l4309fp39q8nf0mkn43943f09f");
    /// assert_eq!(format!("{token:?}"), "RefreshToken([redacted])");
    /// assert_eq!(token.expose_secret(), "av439q8nlbl0l4309fp39q8nf0mkn43943f09f");
    /// ```
    RefreshToken
}

secret_type! {
    /// An SSO application's client secret (Edlink dashboard, next to the
    /// client id): it goes only into the body of a token request.
    ///
    /// Redacted like [`AccessToken`].
    ///
    /// ```
    /// use edlink_model::ClientSecret;
    ///
    /// let secret = ClientSecret::new("cs_live_123");
    /// assert_eq!(format!("{secret:?}"), "ClientSecret([redacted])");
    /// assert_eq!(secret.expose_secret(), "cs_live_123");
    /// ```
    ClientSecret
}

secret_type! {
    /// The one-time `code` Edlink hands a signed-in person's browser on the
    /// way back to the application's `redirect_uri`: exchanged once for a
    /// [`TokenSet`](crate::TokenSet). Whoever holds it first can exchange it,
    /// so it is a secret until then.
    ///
    /// Redacted like [`AccessToken`].
    ///
    /// ```
    /// use edlink_model::AuthorizationCode;
    ///
    /// let code = AuthorizationCode::new("c0de");
    /// assert_eq!(format!("{code:?}"), "AuthorizationCode([redacted])");
    /// ```
    AuthorizationCode
}

secret_type! {
    /// The `state` of one sign-in: an unguessable value sent in the login URL
    /// and checked when Edlink redirects back, so a redirect the application
    /// did not start (login CSRF) is refused. Make one with
    /// [`LoginState::generate`], keep it (e.g. in the person's session
    /// cookie) and check the redirect with [`LoginState::check_redirect`].
    ///
    /// Redacted like [`AccessToken`]: who learns it can forge the redirect.
    ///
    /// ```
    /// use edlink_model::LoginState;
    ///
    /// let state = LoginState::generate()?;
    /// assert_eq!(format!("{state:?}"), "LoginState([redacted])");
    /// assert_eq!(state.expose_secret().len(), 64);
    /// # Ok::<(), edlink_model::RandomnessError>(())
    /// ```
    LoginState
}
