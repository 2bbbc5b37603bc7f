//! Small text helpers: UUID shape, Edlink dates, HTTP dates, query-string decoding.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;

/// Formats 128 bits as a lowercase 8-4-4-4-12 UUID.
pub(crate) fn uuid_string(id: u128) -> String {
    let mut out = String::with_capacity(36);
    push_uuid(&mut out, id);
    out
}

/// Appends 128 bits as a lowercase 8-4-4-4-12 UUID.
pub(crate) fn push_uuid(out: &mut String, id: u128) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [b'-'; 36];
    let mut nibble = 0;
    for (i, slot) in buf.iter_mut().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            continue;
        }
        *slot = HEX[((id >> (124 - 4 * nibble)) & 0xf) as usize];
        nibble += 1;
    }
    // Only ASCII hex digits and hyphens were written.
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
}

/// Parses an 8-4-4-4-12 hex UUID (any case, any version/variant bits, as Edlink does).
/// Other forms that `uuid` would accept (no hyphens, braces, `urn:`) are refused.
pub(crate) fn parse_uuid(text: &str) -> Option<u128> {
    parse_uuid_bytes(text.as_bytes())
}

/// [`parse_uuid`] on bytes (the Graph indexes read ids straight out of serialized objects).
pub(crate) fn parse_uuid_bytes(bytes: &[u8]) -> Option<u128> {
    if bytes.len() != 36 {
        return None;
    }
    let mut value: u128 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if b != b'-' {
                return None;
            }
            continue;
        }
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return None,
        };
        value = (value << 4) | u128::from(digit);
    }
    Some(value)
}

/// Appends `n` as exactly `width` decimal digits (zero-padded; higher digits are dropped).
fn push_digits(out: &mut String, n: u64, width: u32) {
    for i in (0..width).rev() {
        let digit = (n / 10u64.pow(i)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Formats milliseconds since the Unix epoch the way Edlink does: `2020-02-14T19:26:00.188Z`.
/// (By hand rather than with `format!`: the Graph generator writes millions of dates.)
pub(crate) fn edlink_date(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000);
    let ms = unix_ms.rem_euclid(1000);
    let Ok(t) = OffsetDateTime::from_unix_timestamp(secs) else {
        return "1970-01-01T00:00:00.000Z".to_owned();
    };
    let mut out = String::with_capacity(24);
    push_digits(&mut out, t.year().max(0) as u64, 4);
    out.push('-');
    push_digits(&mut out, u64::from(u8::from(t.month())), 2);
    out.push('-');
    push_digits(&mut out, u64::from(t.day()), 2);
    out.push('T');
    push_digits(&mut out, u64::from(t.hour()), 2);
    out.push(':');
    push_digits(&mut out, u64::from(t.minute()), 2);
    out.push(':');
    push_digits(&mut out, u64::from(t.second()), 2);
    out.push('.');
    push_digits(&mut out, ms as u64, 3);
    out.push('Z');
    out
}

/// Formats a time as an RFC 9110 IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn http_date(when: SystemTime) -> String {
    let secs = match when.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(_) => 0,
    };
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            DAYS[usize::from(t.weekday().number_days_from_monday()) % 7],
            t.day(),
            MONTHS[usize::from(u8::from(t.month()).saturating_sub(1)) % 12],
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => "Thu, 01 Jan 1970 00:00:00 GMT".to_owned(),
    }
}

/// `now + delay` as an HTTP date (rounded up to the next whole second).
pub(crate) fn http_date_in(delay: Duration) -> String {
    http_date(SystemTime::now() + delay + Duration::from_millis(999))
}

/// Decodes `%XX` escapes and `+` (as a space). Invalid escapes are kept as they are.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a query string into decoded `(key, value)` pairs, in order.
pub(crate) fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(part), String::new()),
        })
        .collect()
}

/// Escapes a string for use inside a JSON string literal (quotes included).
pub(crate) fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        let id = "77a69705-41a7-49cb-0fe8-ffd425f9716f";
        let v = parse_uuid(id);
        assert_eq!(v.map(uuid_string).as_deref(), Some(id));
        assert_eq!(parse_uuid("77A69705-41A7-49CB-0FE8-FFD425F9716F"), v);
        assert_eq!(parse_uuid("00000000-0000-0000-0000-000000000000"), Some(0));
        for bad in [
            "",
            "nope",
            "77a6970541a749cb0fe8ffd425f9716f",
            "{77a69705-41a7-49cb-0fe8-ffd425f9716f}",
            "77a69705-41a7-49cb-0fe8-ffd425f9716g",
            "77a69705_41a7-49cb-0fe8-ffd425f9716f",
            "77a69705-41a7-49cb-0fe8-ffd425f9716ff",
            "é7a69705-41a7-49cb-0fe8-ffd425f9716",
        ] {
            assert_eq!(parse_uuid(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(edlink_date(1_581_708_360_188), "2020-02-14T19:26:00.188Z");
        assert_eq!(edlink_date(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(edlink_date(1_780_271_999_009), "2026-05-31T23:59:59.009Z");
        // The hand-written formatter says what `format!` said before it (v1 fixtures rely
        // on these bytes).
        let mut rng = crate::prng::SplitMix64::new(3);
        for _ in 0..2_000 {
            let ms = rng.range(0, 4_102_444_800_000) as i64; // 1970 .. 2100
            let t = OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
                .unwrap_or(OffsetDateTime::UNIX_EPOCH);
            let expected = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                ms.rem_euclid(1000)
            );
            assert_eq!(edlink_date(ms), expected);
        }
        assert_eq!(
            http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
    }

    #[test]
    fn query() {
        let pairs = query_pairs("%24first=10&$after=abc&x&a+b=c%2");
        assert_eq!(
            pairs,
            vec![
                ("$first".to_owned(), "10".to_owned()),
                ("$after".to_owned(), "abc".to_owned()),
                ("x".to_owned(), String::new()),
                ("a b".to_owned(), "c%2".to_owned()),
            ]
        );
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
    }
}
