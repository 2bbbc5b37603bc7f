//! `edlink_client::parse_retry_after(value, now)`: the `Retry-After` parser
//! (both RFC 9110 forms: delay-seconds and HTTP-date).
//!
//! Input: 8 bytes choose `now` (seconds after the Unix epoch, up to year
//! ~36812), the rest is the header value (lossy UTF-8).
//!
//! Properties:
//! - never panics;
//! - a value of digits only (after trimming spaces and tabs) is that many
//!   seconds, saturating at `u64::MAX`;
//! - any other accepted value is a date: the wait shrinks (or stays) as
//!   `now` moves later, and is zero once `now` is past it;
//! - every date that `httpdate` writes reads back as the wait until it
//!   (whole seconds), or zero when it is past.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use edlink_client::parse_retry_after;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (head, rest) = data.split_at(8);
    let raw = u64::from_le_bytes(head.try_into().expect("8 bytes"));
    let now = UNIX_EPOCH + Duration::from_secs(raw % (1 << 40));
    let value = String::from_utf8_lossy(rest);

    let wait = parse_retry_after(&value, now);
    let trimmed = value.trim_matches(|c| c == ' ' || c == '\t');
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let expected = trimmed.parse::<u64>().unwrap_or(u64::MAX);
        assert_eq!(wait, Some(Duration::from_secs(expected)), "{value:?}");
    } else if let Some(wait) = wait {
        let later = now + Duration::from_secs(raw >> 40);
        let wait_later = parse_retry_after(&value, later).expect("a date parses at any time");
        assert!(
            wait_later <= wait,
            "{value:?}: {wait:?} at {now:?}, {wait_later:?} later"
        );
        let past = parse_retry_after(&value, now + wait + Duration::from_secs(1));
        assert_eq!(past, Some(Duration::ZERO), "{value:?}: not zero once past");
    }

    // Dates as a server writes them, between 1970 and 9999.
    let at = UNIX_EPOCH + Duration::from_secs((raw >> 20) % 253_402_300_800);
    let header = httpdate::fmt_http_date(at);
    let expected = at.duration_since(now).unwrap_or(Duration::ZERO);
    assert_eq!(
        parse_retry_after(&header, now),
        Some(expected),
        "{header:?} at {now:?}"
    );
});
