//! The credentials of one run, known by value so that every line the CLI
//! prints (items, errors, warnings) can be scrubbed of them.

use std::sync::OnceLock;

use edlink_client::model::redact::{Mask, Redactor};
use edlink_client::{AccessToken, ApplicationKey};

/// How many more secrets a run can record ([`Secrets::add_secret`]): a
/// login knows the client secret, the code and a token set; `edlink my`
/// the secret, the stored set and each refreshed one (two values a refresh).
const MORE: usize = 16;

/// The application key (known from the start), the access token of a
/// Graph command (known once resolved: given, read from the integration, or
/// picked by `--demo`), and the sign-in's secrets (client secret, code,
/// person tokens) once known. None has a `Display`; `Debug` shows none.
#[derive(Default)]
pub struct Secrets {
    key: Option<ApplicationKey>,
    token: OnceLock<AccessToken>,
    /// Write-once slots, so a redactor can borrow every value recorded so
    /// far while others are recorded (a refresh in the middle of a listing).
    more: [OnceLock<String>; MORE],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field("key", &self.key)
            .field("token", &self.token)
            .field(
                "more",
                &self.more.iter().filter(|s| s.get().is_some()).count(),
            )
            .finish()
    }
}

impl Secrets {
    /// The secrets of a run that uses `key` (if any).
    pub fn new(key: Option<ApplicationKey>) -> Self {
        Self {
            key,
            ..Self::default()
        }
    }

    /// Records a secret of the sign-in (client secret, code, access or
    /// refresh token) to mask by value. Past [`MORE`] values the oldest
    /// stay masked and the new one is masked by name only (where a member
    /// is secret-named), as every secret is.
    pub fn add_secret(&self, secret: &str) {
        if secret.is_empty()
            || self
                .more
                .iter()
                .any(|s| s.get().is_some_and(|v| v == secret))
        {
            return;
        }
        for slot in &self.more {
            if slot.set(secret.to_owned()).is_ok() {
                return;
            }
        }
    }

    /// The application key in use.
    pub fn key(&self) -> Option<&ApplicationKey> {
        self.key.as_ref()
    }

    /// Records the access token the Graph requests carry (the first one
    /// recorded stays: a run reads one integration).
    pub fn add_token(&self, token: &AccessToken) {
        let _ = self.token.set(token.clone());
    }

    /// The SDK's one redaction routine, knowing these secrets by value on top
    /// of the secret-named members it always masks.
    pub fn redactor(&self, mask: Mask) -> Redactor<'_> {
        let mut redactor = Redactor::new().mask(mask);
        if let Some(key) = &self.key {
            redactor = redactor.known_secret(key.expose_secret());
        }
        if let Some(token) = self.token.get() {
            redactor = redactor.known_secret(token.expose_secret());
        }
        for secret in self.more.iter().filter_map(OnceLock::get) {
            redactor = redactor.known_secret(secret);
        }
        redactor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_secrets_are_masked_once_known() {
        let secrets = Secrets::new(Some(ApplicationKey::new("key-123456789")));
        let text = "key-123456789 and tok-987654321";
        assert_eq!(
            secrets.redactor(Mask::Full).redact(text),
            "[redacted] and tok-987654321"
        );
        secrets.add_token(&AccessToken::new("tok-987654321"));
        secrets.add_token(&AccessToken::new("another-one"));
        assert_eq!(
            secrets.redactor(Mask::Full).redact(text),
            "[redacted] and [redacted]"
        );
        assert!(!format!("{secrets:?}").contains("123456789"));
        assert!(!format!("{secrets:?}").contains("987654321"));
        secrets.add_secret("refresh-55555");
        assert_eq!(
            secrets.redactor(Mask::Full).redact("x refresh-55555"),
            "x [redacted]"
        );
        assert!(!format!("{secrets:?}").contains("55555"));
    }
}
