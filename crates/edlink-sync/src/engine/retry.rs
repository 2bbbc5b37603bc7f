//! Retrying source calls that failed transiently, with exponential pauses.

use std::future::Future;
use std::time::Duration;

use uuid::Uuid;

use super::{Engine, SyncError};
use crate::progress::chain;
use crate::{Progress, SourceError, Store};

/// The longest pause between two attempts.
const MAX_PAUSE: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    attempts: u32,
    first_pause: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new(4, Duration::from_millis(500))
    }
}

impl RetryPolicy {
    pub(crate) fn new(attempts: u32, first_pause: Duration) -> Self {
        Self {
            attempts: attempts.max(1),
            first_pause,
        }
    }

    /// The pause after failed attempt `attempt` (1-based).
    fn pause(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.first_pause.saturating_mul(factor).min(MAX_PAUSE)
    }
}

impl<S: Store> Engine<S> {
    /// Runs `call` until it succeeds, fails for good, or the attempts run
    /// out. An unusable integration is [`SyncError::Unusable`]; any other
    /// error is [`SyncError::Source`] with `doing` as context.
    pub(crate) async fn retry<T, F, Fut>(
        &self,
        integration: Uuid,
        doing: &str,
        mut call: F,
    ) -> Result<T, SyncError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SourceError>>,
    {
        let mut attempt = 1;
        loop {
            match call().await {
                Ok(v) => return Ok(v),
                Err(e) if e.is_transient() && attempt < self.retry.attempts => {
                    let error = format!("{doing}: {}", chain(&e));
                    tracing::warn!(%integration, attempt, %error, "transient failure, retrying");
                    self.report(Progress::Retrying {
                        integration,
                        attempt,
                        error,
                    });
                    tokio::time::sleep(self.retry.pause(attempt)).await;
                    attempt += 1;
                }
                Err(SourceError::Unusable(e)) => {
                    return Err(SyncError::Unusable(SourceError::Unusable(e)));
                }
                Err(source) => {
                    return Err(SyncError::Source {
                        doing: doing.to_owned(),
                        source,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_cap() {
        let p = RetryPolicy::new(10, Duration::from_millis(500));
        assert_eq!(p.pause(1), Duration::from_millis(500));
        assert_eq!(p.pause(2), Duration::from_secs(1));
        assert_eq!(p.pause(3), Duration::from_secs(2));
        assert_eq!(p.pause(9), MAX_PAUSE);
        assert_eq!(p.pause(40), MAX_PAUSE);
        assert_eq!(RetryPolicy::new(0, Duration::ZERO).attempts, 1);
    }
}
