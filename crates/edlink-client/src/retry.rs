//! The retry policy and the one retry decision, as pure functions.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use edlink_transport::TransportErrorKind;

/// Default number of attempts in all (1 + 2 retries).
///
/// ```
/// assert_eq!(edlink_client::RetryPolicy::default().get_max_attempts(), edlink_client::DEFAULT_MAX_ATTEMPTS);
/// ```
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Default base of the exponential backoff.
///
/// ```
/// use edlink_client::{RetryPolicy, DEFAULT_BASE_DELAY};
/// assert_eq!(RetryPolicy::default().backoff_ceiling(1), DEFAULT_BASE_DELAY);
/// ```
pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(500);
/// Default cap of one backoff delay.
///
/// ```
/// use edlink_client::{RetryPolicy, DEFAULT_MAX_DELAY};
/// assert_eq!(RetryPolicy::default().backoff_ceiling(100), DEFAULT_MAX_DELAY);
/// ```
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(20);
/// Default longest `Retry-After` the client waits before giving up.
///
/// ```
/// use edlink_client::{RetryPolicy, DEFAULT_MAX_RETRY_AFTER};
/// assert_eq!(RetryPolicy::default().get_max_retry_after(), DEFAULT_MAX_RETRY_AFTER);
/// ```
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// When and how a failed request is sent again.
///
/// Only idempotent requests (GET, which is every request this client makes)
/// are retried, and only on failures that may pass: connect failures,
/// timeouts, connections broken before the body completed, a success whose
/// JSON document ended early (cut on its way: a broken transfer, not a change
/// of shape), and statuses 408, 429, 500, 502, 503, 504. Never on other 4xx,
/// 501, TLS errors, oversized bodies, other undecodable bodies or redirects.
///
/// The wait before retry *n* (n = 1, 2, …) is "full jitter":
/// `uniform(0, min(max_delay, base_delay × 2^(n-1)))`, or the server's
/// `Retry-After` when longer. A `Retry-After` above
/// [`max_retry_after`](Self::max_retry_after), or past the call's deadline, is
/// not waited: the call fails at once with [`Error::RateLimited`](crate::Error::RateLimited).
///
/// Defaults: 3 attempts in all, base 500 ms, cap 20 s, `Retry-After` up to 60 s.
///
/// ```
/// use std::time::Duration;
/// use edlink_client::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(200));
/// assert_eq!(policy.get_max_attempts(), 5);
/// assert_eq!(policy.backoff_ceiling(3), Duration::from_millis(800));
/// assert_eq!(RetryPolicy::disabled().get_max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base_delay: DEFAULT_BASE_DELAY,
            max_delay: DEFAULT_MAX_DELAY,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
        }
    }
}

impl RetryPolicy {
    /// No retries: every call makes one attempt.
    ///
    /// ```
    /// let policy = edlink_client::RetryPolicy::disabled();
    /// assert_eq!(policy.get_max_attempts(), 1);
    /// ```
    pub fn disabled() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts in all, the first included (at least 1).
    ///
    /// ```
    /// let policy = edlink_client::RetryPolicy::default().max_attempts(0);
    /// assert_eq!(policy.get_max_attempts(), 1);
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The base of the exponential backoff (default 500 ms).
    ///
    /// ```
    /// use std::time::Duration;
    /// let policy = edlink_client::RetryPolicy::default().base_delay(Duration::from_secs(1));
    /// assert_eq!(policy.backoff_ceiling(1), Duration::from_secs(1));
    /// ```
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The cap of one backoff delay (default 20 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// let policy = edlink_client::RetryPolicy::default().max_delay(Duration::from_secs(2));
    /// assert_eq!(policy.backoff_ceiling(10), Duration::from_secs(2));
    /// ```
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` the client waits (default 60 s); a longer
    /// hint fails the call with [`Error::RateLimited`](crate::Error::RateLimited).
    ///
    /// ```
    /// use std::time::Duration;
    /// let policy = edlink_client::RetryPolicy::default().max_retry_after(Duration::from_secs(5));
    /// assert_eq!(policy.get_max_retry_after(), Duration::from_secs(5));
    /// ```
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// Attempts in all.
    ///
    /// ```
    /// assert_eq!(edlink_client::RetryPolicy::default().get_max_attempts(), 3);
    /// ```
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` waited.
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(edlink_client::RetryPolicy::default().get_max_retry_after(), Duration::from_secs(60));
    /// ```
    pub fn get_max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The upper bound of the wait before retry `retry` (1 for the first
    /// retry): `min(max_delay, base_delay × 2^(retry-1))`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let policy = edlink_client::RetryPolicy::default();
    /// assert_eq!(policy.backoff_ceiling(1), Duration::from_millis(500));
    /// assert_eq!(policy.backoff_ceiling(2), Duration::from_secs(1));
    /// assert_eq!(policy.backoff_ceiling(50), Duration::from_secs(20));
    /// ```
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(Duration::MAX)
            .min(self.max_delay)
    }
}

/// Whether a status may pass if the same request is sent again.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Whether a transport failure may pass if the same request is sent again:
/// the transport's own list, [`TransportErrorKind::is_retryable`] (kept
/// there once, so a kind added to the transport is classified in one place).
pub(crate) fn is_retryable_transport(kind: TransportErrorKind) -> bool {
    kind.is_retryable()
}

/// How an attempt failed, as the retry decision sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Failure {
    /// A response with this status and, if it carried one, this `Retry-After`.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No complete response.
    Transport(TransportErrorKind),
    /// A complete HTTP response whose JSON document ended early.
    TruncatedBody,
}

/// Which failed attempts of a request may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Idempotent (a GET, or a POST carrying an `$idempotency` key): any
    /// retryable failure.
    Safe,
    /// Not idempotent (a token exchange): only a failure that proves the
    /// request never reached the server (no connection was made).
    UnsentOnly,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Give up with this attempt's error.
    Stop,
    /// Wait this long, then send the same request again.
    Retry(Duration),
    /// Give up: the server asked to wait this long, more than allowed.
    RateLimited(Duration),
}

/// The one retry decision.
///
/// `attempt` is the number of the attempt that just failed (1 for the first),
/// `replay` what the request allows, `remaining` the time left before the
/// call's deadline, and `unit` a uniform random number in `[0, 1)` that scales
/// the backoff (injected, so tests are deterministic).
pub(crate) fn decide(
    policy: &RetryPolicy,
    failure: Failure,
    attempt: u32,
    replay: Replay,
    remaining: Duration,
    unit: f64,
) -> Decision {
    let (retryable, hint) = match failure {
        Failure::Status {
            status,
            retry_after,
        } => (is_retryable_status(status), retry_after),
        Failure::Transport(kind) => (is_retryable_transport(kind), None),
        Failure::TruncatedBody => (true, None),
    };
    let unsent = failure == Failure::Transport(TransportErrorKind::Connect);
    if !retryable || (replay == Replay::UnsentOnly && !unsent) || attempt >= policy.max_attempts {
        return Decision::Stop;
    }
    if let Some(hint) = hint {
        if hint > policy.max_retry_after || hint > remaining {
            return Decision::RateLimited(hint);
        }
    }
    let backoff = policy
        .backoff_ceiling(attempt)
        .mul_f64(unit.clamp(0.0, 1.0));
    let wait = hint.map_or(backoff, |hint| hint.max(backoff));
    if wait > remaining {
        // The deadline would pass while waiting: fail now with the real error.
        return Decision::Stop;
    }
    Decision::Retry(wait)
}

/// A small non-cryptographic generator (splitmix64) for backoff jitter, seeded
/// per call from the process's random hasher keys and a counter.
pub(crate) struct Jitter(u64);

impl Jitter {
    pub(crate) fn new() -> Self {
        static CALLS: AtomicU64 = AtomicU64::new(0);
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
        Self(hasher.finish())
    }

    /// A uniform number in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // The top 53 bits, scaled: exactly representable, always below 1.
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests;
