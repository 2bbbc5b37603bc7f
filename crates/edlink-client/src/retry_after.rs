//! Reading a `Retry-After` header (RFC 9110 §10.2.3).

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use http::header::RETRY_AFTER;

/// The wait a `Retry-After` value asks for, read at `now`.
///
/// Both forms are understood: delay-seconds (`120`) and an HTTP-date in any
/// of the three RFC 9110 formats (`Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete
/// RFC 850 and asctime forms). A date in the past means no wait. Anything else
/// (negative or fractional numbers, garbage) is ignored: `None`.
/// A number too large for a `Duration` saturates (it will exceed any cap).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use edlink_client::parse_retry_after;
///
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_770);
/// assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(Duration::from_secs(7)));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), Some(Duration::ZERO));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim_matches(|c| c == ' ' || c == '\t');
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits: only overflow can fail, and an overflowing delay is
        // "longer than anything we would wait".
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The `Retry-After` of a response, if present and valid.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    // Sun, 06 Nov 1994 08:49:37 GMT
    const RFC_EXAMPLE: u64 = 784_111_777;

    #[test]
    fn delay_seconds() {
        let now = at(1_000);
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn http_dates_in_all_three_formats() {
        let now = at(RFC_EXAMPLE - 10);
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                parse_retry_after(form, now),
                Some(Duration::from_secs(10)),
                "{form}"
            );
        }
    }

    #[test]
    fn a_past_date_means_no_wait() {
        let now = at(RFC_EXAMPLE + 3_600);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn garbage_is_ignored() {
        let now = at(RFC_EXAMPLE);
        for garbage in [
            "",
            " ",
            "-1",
            "1.5",
            "+3",
            "0x10",
            "soon",
            "3 s",
            "Sun, 06 Nov 1994",
            "１２",
            "Sun, 32 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(garbage, now), None, "{garbage:?}");
        }
    }

    #[test]
    fn header_lookup() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, at(0)), None);
        headers.insert(RETRY_AFTER, http::HeaderValue::from_static("5"));
        assert_eq!(retry_after(&headers, at(0)), Some(Duration::from_secs(5)));
    }

    /// A cheap fuzz: every byte string of a few shapes parses or is ignored,
    /// never panics, and any result is consistent with its form.
    #[test]
    fn never_panics_on_arbitrary_input() {
        let alphabet: &[u8] = b"0123456789 ,:-+.GMTSunNovabcXYZ\t\xff";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 32) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|i| alphabet[((state >> (i % 57)) as usize + i) % alphabet.len()])
                .collect();
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_retry_after(&text, at(RFC_EXAMPLE));
        }
        // And mutations of a valid date.
        let valid = b"Sun, 06 Nov 1994 08:49:37 GMT";
        for i in 0..valid.len() {
            for b in [b'0', b'9', b' ', b'x', b':'] {
                let mut m = valid.to_vec();
                m[i] = b;
                let _ = parse_retry_after(&String::from_utf8_lossy(&m), at(RFC_EXAMPLE));
            }
        }
    }
}
