//! [`TokenRequest`]: the JSON body of `POST /api/authentication/token`.

use serde::Serialize;

use crate::{AuthorizationCode, ClientSecret, RefreshToken};

/// The body of a token request, for the two grants Edlink's guide documents:
///
/// - code exchange: `{code, client_id, client_secret, redirect_uri, grant_type: "authorization_code"}`;
/// - refresh: `{client_id, client_secret, grant_type: "refresh_token", refresh_token}`.
///
/// `Debug` shows the grant and the client id only; [`to_json`](Self::to_json)
/// writes every member in full, for the one request that sends it.
///
/// ```
/// use edlink_model::auth::TokenRequest;
///
/// let request = TokenRequest::refresh("client-1", "s3cret".into(), "r-1".into());
/// let json: serde_json::Value = serde_json::from_str(&request.to_json())?;
/// assert_eq!(json["grant_type"], "refresh_token");
/// assert_eq!(json["refresh_token"], "r-1");
/// assert_eq!(json["client_secret"], "s3cret");
/// assert!(!format!("{request:?}").contains("s3cret"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct TokenRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<AuthorizationCode>,
    client_id: String,
    client_secret: ClientSecret,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uri: Option<String>,
    grant_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<RefreshToken>,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl TokenRequest {
    /// The code exchange: `code` from the redirect, and the `redirect_uri`
    /// exactly as the login URL carried it (Edlink binds the code to it).
    ///
    /// ```
    /// use edlink_model::auth::TokenRequest;
    ///
    /// let request = TokenRequest::authorization_code(
    ///     "client-1", "s3cret".into(), "c0de".into(), "https://app.example/callback");
    /// assert_eq!(request.grant_type(), "authorization_code");
    /// assert!(request.to_json().contains(r#""redirect_uri":"https://app.example/callback""#));
    /// ```
    pub fn authorization_code(
        client_id: impl Into<String>,
        client_secret: ClientSecret,
        code: AuthorizationCode,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Self {
            code: Some(code),
            client_id: client_id.into(),
            client_secret,
            redirect_uri: Some(redirect_uri.into()),
            grant_type: "authorization_code",
            refresh_token: None,
        }
    }

    /// The refresh of a token set.
    ///
    /// ```
    /// use edlink_model::auth::TokenRequest;
    /// let request = TokenRequest::refresh("client-1", "s3cret".into(), "r-1".into());
    /// assert_eq!(request.grant_type(), "refresh_token");
    /// ```
    pub fn refresh(
        client_id: impl Into<String>,
        client_secret: ClientSecret,
        refresh_token: RefreshToken,
    ) -> Self {
        Self {
            code: None,
            client_id: client_id.into(),
            client_secret,
            redirect_uri: None,
            grant_type: "refresh_token",
            refresh_token: Some(refresh_token),
        }
    }

    /// `authorization_code` or `refresh_token`.
    pub fn grant_type(&self) -> &'static str {
        self.grant_type
    }

    /// The secrets the body carries (client secret, code or refresh token),
    /// to mask by value in whatever comes back.
    ///
    /// ```
    /// use edlink_model::auth::TokenRequest;
    /// let request = TokenRequest::refresh("client-1", "s3cret".into(), "r-1".into());
    /// assert_eq!(request.secrets(), vec!["s3cret", "r-1"]);
    /// ```
    pub fn secrets(&self) -> Vec<&str> {
        let mut secrets = vec![self.client_secret.expose_secret()];
        secrets.extend(self.code.as_ref().map(AuthorizationCode::expose_secret));
        secrets.extend(self.refresh_token.as_ref().map(RefreshToken::expose_secret));
        secrets
    }

    /// The JSON body, every secret in full: send it, never log it.
    pub fn to_json(&self) -> String {
        // Strings and secrets (plain strings) only: serializing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}
