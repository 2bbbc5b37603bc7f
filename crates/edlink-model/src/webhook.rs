//! Edlink webhooks, sans IO: checking the `Edlink-Signature` of a delivery
//! and reading its `$events` batch (feature `webhook`).
//!
//! A delivery is a POST whose raw body is signed with your webhook secret:
//! `Edlink-Signature: t=<unix seconds>,v0=<hex HMAC-SHA256 of "{t}.{raw body}">`.
//! [`verify`] checks it in constant time and refuses a delivery older (or
//! further in the future) than five minutes, so a captured request cannot be
//! replayed later. Check the *raw* body, before any JSON parsing: a parsed
//! and re-serialized body no longer matches.
//!
//! A webhook tells you that something happened; it never replaces the events
//! feed, which is the complete, ordered record (a sync engine uses a webhook
//! only to wake up early).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::RawJson;
use crate::secret::WebhookSecret;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Edlink-Signature";

/// How old (or how far in the future, for clock skew) a delivery may be.
pub const TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Why a delivery was refused. None of them says anything about the secret.
///
/// ```
/// use edlink_model::webhook::{verify, WebhookError};
/// use edlink_model::WebhookSecret;
///
/// let err = verify(None, b"{}", &WebhookSecret::new("s"), std::time::SystemTime::now()).unwrap_err();
/// assert_eq!(err, WebhookError::MissingSignature);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// No `Edlink-Signature` header.
    MissingSignature,
    /// The header is not `t=<unix seconds>,v0=<64 hex digits>`.
    MalformedSignature {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The timestamp is more than [`TOLERANCE`] away from now: an old
    /// delivery replayed, or a wrong clock.
    OutsideTolerance {
        /// How far the timestamp is from now, in seconds (negative: in the future).
        age_seconds: i64,
    },
    /// No signature matches: the body was changed, or the secret is not this
    /// endpoint's.
    Mismatch,
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSignature => write!(f, "the {SIGNATURE_HEADER} header is missing"),
            Self::MalformedSignature { reason } => {
                write!(f, "the {SIGNATURE_HEADER} header is malformed: {reason}")
            }
            Self::OutsideTolerance { age_seconds } => write!(
                f,
                "the delivery was signed {age_seconds} s from now, outside the {} s tolerance",
                TOLERANCE.as_secs()
            ),
            Self::Mismatch => f.write_str("the signature does not match the body"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// Checks a delivery: `signature` is the `Edlink-Signature` header's value
/// (`None` when absent), `body` the raw request body, `secret` your webhook
/// secret and `now` the current time (a parameter, so tests and replays are
/// deterministic). Every `v0=` signature in the header is tried (a rotated
/// secret may come with two), each compared in constant time.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use edlink_model::webhook::verify;
/// use edlink_model::WebhookSecret;
///
/// let body = br#"{"$events":[{"type":"sync.completed","payload":{"integration_id":"77a69705-41a7-49cb-0fe8-ffd425f9716f"}}]}"#;
/// let header = "t=1700000000,v0=a73e42f6491d3d7c460b1435a0d70924d9afaee73224f206bd5e0eaea7cca70c";
/// let secret = WebhookSecret::new("sk_live_webhook_secret");
/// let now = UNIX_EPOCH + Duration::from_secs(1_700_000_060);
/// assert!(verify(Some(header), body, &secret, now).is_ok());
/// assert!(verify(Some(header), b"{}", &secret, now).is_err());
/// ```
pub fn verify(
    signature: Option<&str>,
    body: &[u8],
    secret: &WebhookSecret,
    now: SystemTime,
) -> Result<(), WebhookError> {
    let header = signature.ok_or(WebhookError::MissingSignature)?;
    let (timestamp, signatures) = parse_header(header)?;
    // Saturating: `t` may be any 19-digit number and `now` any time, even
    // before 1970; the difference of two extremes does not fit an i64.
    let age = seconds_since_epoch(now).saturating_sub(timestamp);
    if age.unsigned_abs() > TOLERANCE.as_secs() {
        return Err(WebhookError::OutsideTolerance { age_seconds: age });
    }
    let matches = signatures.iter().any(|expected| {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()) else {
            return false;
        };
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        // `verify_slice` compares in constant time.
        mac.verify_slice(expected).is_ok()
    });
    if matches {
        Ok(())
    } else {
        Err(WebhookError::Mismatch)
    }
}

fn seconds_since_epoch(now: SystemTime) -> i64 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// `t=…` and every `v0=…` of the header.
fn parse_header(header: &str) -> Result<(i64, Vec<[u8; 32]>), WebhookError> {
    let malformed = |reason| WebhookError::MalformedSignature { reason };
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let Some((name, value)) = part.trim().split_once('=') else {
            return Err(malformed("each part must be name=value"));
        };
        match name.trim() {
            "t" => {
                let value = value.trim();
                if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(malformed("t must be whole seconds since 1970"));
                }
                timestamp = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| malformed("t is too large"))?,
                );
            }
            "v0" => signatures.push(hex32(value.trim()).ok_or(malformed(
                "v0 must be 64 hexadecimal digits (an HMAC-SHA256)",
            ))?),
            // Other schemes (a future v1) are not ours to judge.
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(malformed("t= is missing"))?;
    if signatures.is_empty() {
        return Err(malformed("v0= is missing"));
    }
    Ok((timestamp, signatures))
}

fn hex32(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = char::from(pair[0]).to_digit(16)?;
        let lo = char::from(pair[1]).to_digit(16)?;
        out[i] = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

/// One webhook event: its `type` (e.g. `sync.completed`) and its `payload`,
/// kept as the exact JSON text sent (the payloads are not documented).
///
/// ```
/// let e: edlink_model::webhook::WebhookEvent =
///     serde_json::from_str(r#"{"type":"sync.completed","payload":{"n":1.10}}"#)?;
/// assert_eq!(e.event_type, "sync.completed");
/// assert_eq!(e.payload.as_ref().map(|p| p.as_str()), Some(r#"{"n":1.10}"#));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// `type`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// `payload`, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<RawJson>,
}

/// The body of a delivery: `{"$events": [...]}`.
///
/// ```
/// use edlink_model::webhook::WebhookBatch;
///
/// let batch = WebhookBatch::parse(br#"{"$events":[{"type":"sync.completed","payload":{}}]}"#)?;
/// assert_eq!(batch.events.len(), 1);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookBatch {
    /// `$events`, in the order sent.
    #[serde(rename = "$events")]
    pub events: Vec<WebhookEvent>,
}

impl WebhookBatch {
    /// Reads a delivery's body (after [`verify`]); a body that is not a batch
    /// is an error naming the place.
    pub fn parse(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed independently with Python's hmac module:
    // hmac.new(b"sk_live_webhook_secret", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    const BODY: &[u8] = br#"{"$events":[{"type":"sync.completed","payload":{"integration_id":"77a69705-41a7-49cb-0fe8-ffd425f9716f"}}]}"#;
    const SIGNATURE: &str = "a73e42f6491d3d7c460b1435a0d70924d9afaee73224f206bd5e0eaea7cca70c";
    const T: u64 = 1_700_000_000;

    fn secret() -> WebhookSecret {
        WebhookSecret::new("sk_live_webhook_secret")
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn a_signed_delivery_within_five_minutes_passes() {
        let header = format!("t={T},v0={SIGNATURE}");
        for now in [T, T + 299, T + 300, T - 300] {
            assert_eq!(
                verify(Some(&header), BODY, &secret(), at(now)),
                Ok(()),
                "{now}"
            );
        }
        // A rotated secret: any of the signatures may match; spaces are fine.
        let two = format!("t={T}, v0={}, v0={SIGNATURE}", "0".repeat(64));
        assert_eq!(verify(Some(&two), BODY, &secret(), at(T)), Ok(()));
        let batch = WebhookBatch::parse(BODY).unwrap();
        assert_eq!(batch.events[0].event_type, "sync.completed");
    }

    #[test]
    fn everything_else_is_refused() {
        let good = format!("t={T},v0={SIGNATURE}");
        let mut flipped = SIGNATURE.to_owned().into_bytes();
        flipped[0] = if flipped[0] == b'a' { b'b' } else { b'a' };
        let flipped = format!("t={T},v0={}", String::from_utf8(flipped).unwrap());
        let later = format!("t={},v0={SIGNATURE}", T + 1);
        // (header, body, secret, now, expected)
        type Case<'a> = (Option<&'a str>, &'a [u8], &'a str, u64, WebhookError);
        let cases: [Case<'_>; 6] = [
            (
                None,
                BODY,
                "sk_live_webhook_secret",
                T,
                WebhookError::MissingSignature,
            ),
            (
                Some(&good),
                b"{}",
                "sk_live_webhook_secret",
                T,
                WebhookError::Mismatch,
            ),
            (
                Some(&good),
                BODY,
                "another_secret",
                T,
                WebhookError::Mismatch,
            ),
            (
                Some(&flipped),
                BODY,
                "sk_live_webhook_secret",
                T,
                WebhookError::Mismatch,
            ),
            (
                Some(&later),
                BODY,
                "sk_live_webhook_secret",
                T,
                WebhookError::Mismatch,
            ),
            (
                Some(&good),
                BODY,
                "sk_live_webhook_secret",
                T + 301,
                WebhookError::OutsideTolerance { age_seconds: 301 },
            ),
        ];
        for (header, body, key, now, expected) in cases {
            assert_eq!(
                verify(header, body, &WebhookSecret::new(key), at(now)),
                Err(expected)
            );
        }
        for malformed in [
            "",
            "t=1700000000",
            &format!("v0={SIGNATURE}"),
            &format!("t=-1,v0={SIGNATURE}"),
            &format!("t=abc,v0={SIGNATURE}"),
            "t=1700000000,v0=abc",
            &format!("t=1700000000,v0={}", "g".repeat(64)),
            "garbage",
        ] {
            let err = verify(Some(malformed), BODY, &secret(), at(T)).unwrap_err();
            assert!(
                matches!(err, WebhookError::MalformedSignature { .. }),
                "{malformed}: {err:?}"
            );
            assert!(!err.to_string().contains("sk_live"), "{err}");
        }
    }

    #[test]
    fn extreme_times_are_outside_the_tolerance_without_overflow() {
        let far = format!("t={},v0={SIGNATURE}", i64::MAX);
        let before_1970 = UNIX_EPOCH - Duration::from_secs(u64::MAX / 4);
        let err = verify(Some(&far), BODY, &secret(), before_1970).unwrap_err();
        assert_eq!(
            err,
            WebhookError::OutsideTolerance {
                age_seconds: i64::MIN
            }
        );
        let err = verify(Some(&far), BODY, &secret(), at(T)).unwrap_err();
        assert!(matches!(err, WebhookError::OutsideTolerance { age_seconds } if age_seconds < 0));
    }
}
