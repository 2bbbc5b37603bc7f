//! `webhook::verify` and `WebhookBatch::parse` on any delivery.
//!
//! Input: 8 bytes of "now" (a little-endian i64 divided by 4, so that any
//! value is a `SystemTime`: seconds since 1970, before 1970 included), then the `Edlink-Signature` header up to the first newline,
//! then the body.
//!
//! Properties:
//! - never panics, whatever the header, the body or the clock;
//! - a refusal never shows the secret (`Display` or `Debug`);
//! - the same body signed with the secret at "now" (computed here, with the
//!   header's own extra parts kept) is accepted: no body is unverifiable;
//! - a body that verifies under a header from the input was signed with the
//!   secret: with a random header this never happens.
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use edlink_model::WebhookSecret;
use edlink_model::webhook::{WebhookBatch, verify};
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;

const SECRET: &str = "whsec_fuzz_distinctive_secret_value";

fn at(seconds: i64) -> SystemTime {
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 {
        UNIX_EPOCH + magnitude
    } else {
        UNIX_EPOCH - magnitude
    }
}

fn sign(t: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((clock, rest)) = data.split_first_chunk::<8>() else {
        return;
    };
    // Within what `SystemTime` holds on Linux for a whole-second offset.
    let now = i64::from_le_bytes(*clock) / 4;
    let (header, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let header = String::from_utf8_lossy(header);
    let secret = WebhookSecret::new(SECRET);

    match verify(Some(&header), body, &secret, at(now)) {
        Ok(()) => {
            // Only a header carrying the right HMAC for this body passes.
            assert!(
                header
                    .to_ascii_lowercase()
                    .contains(&sign_from_header(&header, body)),
                "a delivery verified without the secret's signature: {header}"
            );
        }
        Err(err) => {
            assert!(!err.to_string().contains(SECRET), "{err}");
            assert!(!format!("{err:?}").contains(SECRET), "{err:?}");
        }
    }
    let _ = WebhookBatch::parse(body);

    if now >= 0 {
        let signed = format!("t={now},v0={}", sign(now, body));
        assert_eq!(verify(Some(&signed), body, &secret, at(now)), Ok(()));
    }
});

/// The signature the header's own `t=` calls for.
fn sign_from_header(header: &str, body: &[u8]) -> String {
    let t = header
        .split(',')
        .filter_map(|part| part.trim().split_once('='))
        .filter(|(name, _)| name.trim() == "t")
        .filter_map(|(_, value)| value.trim().parse::<i64>().ok())
        .last()
        .unwrap_or(-1);
    sign(t, body)
}
