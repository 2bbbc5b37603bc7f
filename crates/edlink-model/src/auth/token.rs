//! [`TokenResponse`] (the token endpoint's `$data`) and [`TokenSet`] (what an
//! application keeps for one signed-in person).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::lossless::lossless_struct;
use crate::{AccessToken, RefreshToken, Timestamp};

lossless_struct! {
    /// The `$data` of the token endpoint's answer
    /// (`POST /api/authentication/token`), for a code exchange and a refresh
    /// alike: `{"access_token","refresh_token","expires_in"}`, plus
    /// `token_type` (`Bearer`) in live answers.
    ///
    /// Read leniently: only `access_token` is required. A refresh may come
    /// without `refresh_token` (keep the old one: [`TokenSet::refreshed`]
    /// does), and without `expires_in` the expiry is unknown. Unknown members
    /// are kept in `extra` (secret-named ones masked in `Debug`); the tokens
    /// never show in `Debug`.
    ///
    /// ```
    /// use edlink_model::{decode_response, auth::TokenResponse};
    ///
    /// let body = br#"{"$data":{"access_token":"6j42gte2","refresh_token":"av439q8n","expires_in":3600}}"#;
    /// let tokens = decode_response::<TokenResponse>(200, None, body)?.data;
    /// assert_eq!(tokens.access_token.expose_secret(), "6j42gte2");
    /// assert_eq!(tokens.expires_in, Some(3600));
    /// assert!(!format!("{tokens:?}").contains("6j42"));
    /// # Ok::<(), edlink_model::ResponseError>(())
    /// ```
    pub struct TokenResponse("a token object") {
        required {
            /// `access_token`: the person's bearer token for the User API.
            access_token: AccessToken = "access_token",
        }
        optional {
            /// `refresh_token`: buys the next access token. A refresh may not
            /// send one; the one held before stays valid then.
            refresh_token: RefreshToken = "refresh_token",
            /// `expires_in`: seconds the access token lives (3600 in every
            /// sample).
            expires_in: u64 = "expires_in",
            /// `token_type`: `Bearer` (live answers; absent from the guide's
            /// samples).
            token_type: String = "token_type",
        }
    }
}

/// What an application keeps for one signed-in person: the access token, the
/// refresh token, when the access token expires, and its type.
///
/// It is a secret in every output path: no `Display`, a `Debug` that shows no
/// token, while serde writes it in full (an application persists it between
/// requests and restarts; store it like a password).
///
/// The expiry is computed from `expires_in` and the instant given as "now"
/// when the answer came ([`from_response`](Self::from_response)), never
/// assumed; a set without `expires_in` has no known expiry, and is refreshed
/// only when Edlink refuses its access token.
///
/// ```
/// use std::time::Duration;
/// use edlink_model::{decode_response, Timestamp, TokenSet, auth::TokenResponse};
///
/// let body = br#"{"$data":{"access_token":"6j42gte2","refresh_token":"av439q8n","expires_in":3600}}"#;
/// let now: Timestamp = "2026-01-01T10:00:00.000Z".parse()?;
/// let set = TokenSet::from_response(decode_response::<TokenResponse>(200, None, body)?.data, now);
/// assert_eq!(set.expires_at().map(|t| t.to_string()).as_deref(), Some("2026-01-01T11:00:00.000Z"));
/// assert!(!format!("{set:?}").contains("6j42"));
///
/// // Persist it, read it back.
/// let stored = serde_json::to_string(&set)?;
/// let back: TokenSet = serde_json::from_str(&stored)?;
/// assert_eq!(back, set);
///
/// // Refresh 5 minutes before it expires.
/// let later: Timestamp = "2026-01-01T10:56:00.000Z".parse()?;
/// assert!(set.needs_refresh(later, Duration::from_secs(300)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenSet {
    /// The bearer token of the User API.
    access_token: AccessToken,
    /// Buys the next access token; `None` when Edlink sent none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<RefreshToken>,
    /// When the access token expires; `None` when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<Timestamp>,
    /// When the answer that gave the access token came: with `expires_at`,
    /// it gives the token's lifetime (the refresh margin never exceeds half
    /// of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    obtained_at: Option<Timestamp>,
    /// `token_type`, when sent (`Bearer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_type: Option<String>,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_at", &self.expires_at)
            .field("obtained_at", &self.obtained_at)
            .field("token_type", &self.token_type)
            .finish()
    }
}

/// `at + seconds`, or `None` past the representable range.
fn plus_seconds(at: Timestamp, seconds: u64) -> Option<Timestamp> {
    let seconds = i64::try_from(seconds).ok()?;
    at.as_offset_date_time()
        .checked_add(time::Duration::seconds(seconds))
        .map(Timestamp::from)
}

impl TokenSet {
    /// A set holding only an access token (no refresh token, no known
    /// expiry): e.g. one an application received some other way.
    ///
    /// ```
    /// let set = edlink_model::TokenSet::new("6j42gte2");
    /// assert!(set.refresh_token().is_none() && set.expires_at().is_none());
    /// ```
    pub fn new(access_token: impl Into<AccessToken>) -> Self {
        Self {
            access_token: access_token.into(),
            refresh_token: None,
            expires_at: None,
            obtained_at: None,
            token_type: None,
        }
    }

    /// The same set with this refresh token.
    ///
    /// ```
    /// let set = edlink_model::TokenSet::new("a").with_refresh_token("r");
    /// assert_eq!(set.refresh_token().map(|t| t.expose_secret()), Some("r"));
    /// ```
    pub fn with_refresh_token(mut self, refresh_token: impl Into<RefreshToken>) -> Self {
        self.refresh_token = Some(refresh_token.into());
        self
    }

    /// The same set, its access token obtained at `obtained_at` and living
    /// `expires_in` from then.
    ///
    /// ```
    /// use std::time::Duration;
    /// let now: edlink_model::Timestamp = "2026-01-01T10:00:00.000Z".parse()?;
    /// let set = edlink_model::TokenSet::new("a").expiring(now, Duration::from_secs(60));
    /// assert_eq!(set.expires_at().unwrap().to_string(), "2026-01-01T10:01:00.000Z");
    /// # Ok::<(), edlink_model::TimestampError>(())
    /// ```
    pub fn expiring(mut self, obtained_at: Timestamp, expires_in: Duration) -> Self {
        self.obtained_at = Some(obtained_at);
        self.expires_at = plus_seconds(obtained_at, expires_in.as_secs());
        self
    }

    /// The set a code exchange gave, its expiry computed from `expires_in`
    /// and `now` (when the answer came; take the instant the request was sent
    /// to err on the early side).
    ///
    /// ```
    /// use edlink_model::{AccessToken, Timestamp, TokenSet, auth::TokenResponse};
    ///
    /// let mut response = TokenResponse::new(AccessToken::new("a"));
    /// response.expires_in = Some(3600);
    /// let now: Timestamp = "2026-01-01T10:00:00.000Z".parse()?;
    /// let set = TokenSet::from_response(response, now);
    /// assert_eq!(set.expires_at().unwrap().to_string(), "2026-01-01T11:00:00.000Z");
    /// # Ok::<(), edlink_model::TimestampError>(())
    /// ```
    pub fn from_response(response: TokenResponse, now: Timestamp) -> Self {
        Self {
            expires_at: response.expires_in.and_then(|s| plus_seconds(now, s)),
            obtained_at: Some(now),
            access_token: response.access_token,
            refresh_token: response.refresh_token,
            token_type: response.token_type,
        }
    }

    /// The set a refresh gave: the new access token and expiry, and the new
    /// refresh token if one came, else the one held so far (Edlink's guide
    /// says it stays the same; a rotating one is kept all the same).
    ///
    /// ```
    /// use edlink_model::{AccessToken, Timestamp, TokenSet, auth::TokenResponse};
    ///
    /// let now: Timestamp = "2026-01-01T10:00:00.000Z".parse()?;
    /// let old = TokenSet::new("a1").with_refresh_token("r1");
    /// let new = old.refreshed(TokenResponse::new(AccessToken::new("a2")), now);
    /// assert_eq!(new.access_token().expose_secret(), "a2");
    /// assert_eq!(new.refresh_token().unwrap().expose_secret(), "r1");
    /// # Ok::<(), edlink_model::TimestampError>(())
    /// ```
    pub fn refreshed(&self, response: TokenResponse, now: Timestamp) -> Self {
        let mut next = Self::from_response(response, now);
        if next.refresh_token.is_none() {
            next.refresh_token.clone_from(&self.refresh_token);
        }
        if next.token_type.is_none() {
            next.token_type.clone_from(&self.token_type);
        }
        next
    }

    /// The access token: the bearer credential of the User API.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The refresh token, when Edlink sent one.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// When the access token expires, when known.
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.expires_at
    }

    /// When the answer that gave the access token came, when known.
    pub fn obtained_at(&self) -> Option<Timestamp> {
        self.obtained_at
    }

    /// `token_type` as sent (`Bearer`), when sent.
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }

    /// Whether the access token has expired at `now` (`false` when the expiry
    /// is unknown).
    ///
    /// ```
    /// use std::time::Duration;
    /// let t0: edlink_model::Timestamp = "2026-01-01T10:00:00.000Z".parse()?;
    /// let set = edlink_model::TokenSet::new("a").expiring(t0, Duration::from_secs(3600));
    /// assert!(!set.is_expired(t0));
    /// assert!(set.is_expired("2026-01-01T11:00:00.000Z".parse()?));
    /// # Ok::<(), edlink_model::TimestampError>(())
    /// ```
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }

    /// Whether the access token should be refreshed before it is used at
    /// `now`: it expires within `margin`. The margin is capped at half the
    /// token's lifetime, so a token that lives less than twice the margin is
    /// not refreshed the moment it arrives. `false` when the expiry is
    /// unknown.
    ///
    /// ```
    /// use std::time::Duration;
    /// use edlink_model::{Timestamp, TokenSet};
    ///
    /// let t0: Timestamp = "2026-01-01T10:00:00.000Z".parse()?;
    /// let hour = TokenSet::new("a").expiring(t0, Duration::from_secs(3600));
    /// let margin = Duration::from_secs(300);
    /// assert!(!hour.needs_refresh("2026-01-01T10:54:59.000Z".parse()?, margin));
    /// assert!(hour.needs_refresh("2026-01-01T10:55:00.000Z".parse()?, margin));
    ///
    /// // A one-minute token: refreshed after 30 s, not at once.
    /// let minute = TokenSet::new("a").expiring(t0, Duration::from_secs(60));
    /// assert!(!minute.needs_refresh(t0, margin));
    /// assert!(minute.needs_refresh("2026-01-01T10:00:30.000Z".parse()?, margin));
    /// # Ok::<(), edlink_model::TimestampError>(())
    /// ```
    pub fn needs_refresh(&self, now: Timestamp, margin: Duration) -> bool {
        let Some(expires_at) = self.expires_at else {
            return false;
        };
        let expires = expires_at.as_offset_date_time();
        let mut margin = time::Duration::try_from(margin).unwrap_or(time::Duration::MAX);
        if let Some(obtained) = self.obtained_at {
            let lifetime = expires - obtained.as_offset_date_time();
            if lifetime.is_positive() {
                margin = margin.min(lifetime / 2);
            }
        }
        match now.as_offset_date_time().checked_add(margin) {
            Some(deadline) => deadline >= expires,
            None => true,
        }
    }
}
