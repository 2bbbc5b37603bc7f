//! The credentials of one run, known by value so that every line the CLI
//! prints (items, errors, warnings) can be scrubbed of them.

use std::sync::OnceLock;

use edlink_client::model::redact::{Mask, Redactor};
use edlink_client::{AccessToken, ApplicationKey};

/// The application key (known from the start) and the access token of a
/// Graph command (known once resolved: given, read from the integration, or
/// picked by `--demo`). Neither has a `Display`; `Debug` shows neither.
#[derive(Debug, Default)]
pub struct Secrets {
    key: Option<ApplicationKey>,
    token: OnceLock<AccessToken>,
}

impl Secrets {
    /// The secrets of a run that uses `key` (if any).
    pub fn new(key: Option<ApplicationKey>) -> Self {
        Self {
            key,
            token: OnceLock::new(),
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
    }
}
