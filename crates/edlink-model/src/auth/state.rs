//! Making a sign-in's `state` and checking it when Edlink redirects back.

use std::fmt;

use crate::auth::{Redirect, RedirectError};
use crate::{AuthorizationCode, LoginState};

/// Random bytes in a generated state: 256 bits, as hard to guess as a key.
const STATE_BYTES: usize = 32;

/// The operating system could not give random bytes (no entropy source, or a
/// sandbox that forbids it): no state was made.
///
/// ```
/// let err = edlink_model::auth::RandomnessError::new("no entropy");
/// assert!(err.to_string().contains("random"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RandomnessError {
    reason: String,
}

impl RandomnessError {
    /// An error with this reason.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for RandomnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the operating system gave no random bytes for the sign-in state: {}",
            self.reason
        )
    }
}

impl std::error::Error for RandomnessError {}

/// Compares two byte strings in time that depends only on their lengths, so
/// the time taken tells an attacker nothing about how much of a guess matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // Keeps the compiler from turning the fold into an early exit.
    std::hint::black_box(diff) == 0
}

impl LoginState {
    /// A fresh state: 32 bytes from the operating system's random source
    /// (`getrandom`), as 64 lowercase hex digits (safe in a URL and a cookie).
    ///
    /// ```
    /// use edlink_model::LoginState;
    ///
    /// let a = LoginState::generate()?;
    /// let b = LoginState::generate()?;
    /// assert_ne!(a, b);
    /// assert!(a.expose_secret().bytes().all(|c| c.is_ascii_hexdigit()));
    /// # Ok::<(), edlink_model::RandomnessError>(())
    /// ```
    pub fn generate() -> Result<Self, RandomnessError> {
        let mut bytes = [0u8; STATE_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| RandomnessError::new(e.to_string()))?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        bytes.fill(0);
        Ok(Self::new(hex))
    }

    /// Whether `received` (the redirect's `state`) is this state, compared
    /// in constant time.
    ///
    /// ```
    /// let state = edlink_model::LoginState::new("abc123");
    /// assert!(state.matches("abc123"));
    /// assert!(!state.matches("abc124"));
    /// assert!(!state.matches(""));
    /// ```
    pub fn matches(&self, received: &str) -> bool {
        let expected = self.expose_secret();
        // An empty expected state would accept an empty (or absent) one.
        !expected.is_empty() && constant_time_eq(expected.as_bytes(), received.as_bytes())
    }

    /// Checks the query of Edlink's redirect to the application
    /// (`code=…&state=…`, with or without the leading `?`) against this
    /// state, and gives the code to exchange. Refused: a missing or different
    /// `state` (a redirect this application did not start), a repeated
    /// parameter, `error=declined_authorization` (the person said no) or
    /// another `error`, a missing `code`.
    ///
    /// ```
    /// use edlink_model::LoginState;
    /// use edlink_model::auth::RedirectError;
    ///
    /// let state = LoginState::new("s-1");
    /// let code = state.check_redirect("?code=c0de&state=s-1")?;
    /// assert_eq!(code.expose_secret(), "c0de");
    ///
    /// let forged = state.check_redirect("code=c0de&state=s-2").unwrap_err();
    /// assert_eq!(forged, RedirectError::StateMismatch);
    /// let declined = state.check_redirect("error=declined_authorization&state=s-1").unwrap_err();
    /// assert_eq!(declined, RedirectError::Declined);
    /// # Ok::<(), RedirectError>(())
    /// ```
    pub fn check_redirect(&self, query: &str) -> Result<AuthorizationCode, RedirectError> {
        Redirect::parse(query)?.verify(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_every_byte() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"xbc"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn generated_states_are_distinct_and_full_length() {
        let states: std::collections::HashSet<String> = (0..64)
            .map(|_| match LoginState::generate() {
                Ok(s) => s.expose_secret().to_owned(),
                Err(e) => format!("error {e}"),
            })
            .collect();
        assert_eq!(states.len(), 64);
        assert!(states.iter().all(|s| s.len() == 2 * STATE_BYTES));
    }
}
