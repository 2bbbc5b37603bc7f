//! [`Timestamp`]: an Edlink date-time, read in any RFC 3339 form and written
//! back in Edlink's own form.
//!
//! The parser is hand-written for the fixed RFC 3339 shape: it is on the hot
//! path of decoding (two to six dates per integration). `time`'s own
//! `Rfc3339` parser is hand-written too, so the gain is modest (about 1.2×
//! faster in `benches/decode.rs`, which times both, fastest of 30 runs); ours
//! is kept because it counts the fractional digits in the same pass (needed to
//! write the date back exactly), refuses leap seconds instead of clamping them,
//! and says precisely what is wrong with a bad value.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// An instant as Edlink sends it, e.g. `2020-02-14T19:26:00.188Z`.
///
/// - **Input**: any RFC 3339 date-time: `Z`/`z` or a numeric offset
///   (`+00:00`, `-05:00`), `T` or `t`, 0 to 9 fractional digits. The
///   second `60` (a leap second) is refused: Edlink's servers run on
///   JavaScript dates, which cannot express one.
/// - **Output** (`Display`, `Serialize`): UTC with `Z`, and
///   `max(3, digits read)` fractional digits. A date already in Edlink's form
///   therefore writes back byte for byte, and any other keeps its exact
///   instant: `2020-03-02T07:36:30.86103+00:00` writes
///   `2020-03-02T07:36:30.86103Z`, `2020-06-30T00:00:00+00:00` writes
///   `2020-06-30T00:00:00.000Z`.
/// - Equality, order and hash compare the instant only, not the precision.
///
/// ```
/// use edlink_model::Timestamp;
///
/// let t: Timestamp = "2020-02-14T19:26:00.188Z".parse()?;
/// assert_eq!(t.to_string(), "2020-02-14T19:26:00.188Z");
///
/// let shifted: Timestamp = "2020-02-14T14:26:00.188-05:00".parse()?;
/// assert_eq!(shifted, t);
/// assert_eq!(shifted.to_string(), "2020-02-14T19:26:00.188Z");
///
/// let micro: Timestamp = "2021-07-13T18:24:51.657262+00:00".parse()?;
/// assert_eq!(micro.to_string(), "2021-07-13T18:24:51.657262Z");
///
/// assert!("2020-13-01T00:00:00Z".parse::<Timestamp>().is_err());
/// # Ok::<(), edlink_model::TimestampError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Timestamp {
    /// Always in UTC.
    instant: OffsetDateTime,
    /// Fractional digits written on output. Invariant: 3..=9 (every
    /// constructor guarantees it), so indexing `POW10[9 - digits]` and the
    /// 32-byte output buffer cannot go out of bounds.
    digits: u8,
}

/// Why a string is not an RFC 3339 date-time. Its `Display` echoes the value
/// (at most 64 characters of it) and says what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    value: String,
    reason: &'static str,
}

impl TimestampError {
    fn new(value: &str, reason: &'static str) -> Self {
        Self {
            value: value.chars().take(64).collect(),
            reason,
        }
    }

    /// The rejected value (at most its first 64 characters).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What was wrong with it.
    pub fn reason(&self) -> &str {
        self.reason
    }
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid date-time {:?}: {}; expected RFC 3339 such as 2020-02-14T19:26:00.188Z",
            self.value, self.reason
        )
    }
}

impl std::error::Error for TimestampError {}

const POW10: [u32; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// Two ASCII digits at `at`, or `None`.
fn two(b: &[u8], at: usize) -> Option<u8> {
    let (hi, lo) = (*b.get(at)?, *b.get(at + 1)?);
    (hi.is_ascii_digit() && lo.is_ascii_digit()).then(|| (hi - b'0') * 10 + (lo - b'0'))
}

fn four(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from(two(b, at)?) * 100 + u16::from(two(b, at + 2)?))
}

fn parse(s: &str) -> Result<Timestamp, TimestampError> {
    match parse_edlink_form(s.as_bytes()) {
        Some(t) => Ok(t),
        None => parse_any_form(s),
    }
}

/// Masks that check eight bytes of the Edlink form at once: `template` has
/// `0` where a digit goes and the literal byte elsewhere. Returns (bits to
/// compare, their expected value, the low nibbles of the digits, 6 at each
/// digit): a byte is a digit when its high nibble is 3 and its low nibble
/// plus 6 does not carry into the high one.
const fn word_check(template: &[u8; 8]) -> (u64, u64, u64, u64) {
    let (mut mask, mut value, mut low, mut six) = (0u64, 0u64, 0u64, 0u64);
    let mut i = 0;
    while i < 8 {
        let shift = 8 * i as u32;
        if template[i] == b'0' {
            mask |= 0xF0 << shift;
            value |= 0x30 << shift;
            low |= 0x0F << shift;
            six |= 0x06 << shift;
        } else {
            mask |= 0xFF << shift;
            value |= (template[i] as u64) << shift;
        }
        i += 1;
    }
    (mask, value, low, six)
}

const EDLINK_FORM: [(u64, u64, u64, u64); 3] = [
    word_check(b"0000-00-"),
    word_check(b"00T00:00"),
    word_check(b":00.000Z"),
];

/// Edlink's own form, `2020-02-14T19:26:00.188Z` (24 bytes, milliseconds,
/// `Z`): what nearly every date of every response looks like, checked eight
/// bytes at a time and read with fixed offsets (about a quarter of the
/// instructions of [`parse_any_form`]). `None` for anything else, including
/// a value of that shape that is not a real instant (February 30, a leap
/// second): [`parse_any_form`] then decides, and says what is wrong.
#[inline]
fn parse_edlink_form(bytes: &[u8]) -> Option<Timestamp> {
    let b: &[u8; 24] = bytes.try_into().ok()?;
    for (chunk, (mask, value, low, six)) in b.chunks_exact(8).zip(EDLINK_FORM) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        if w & mask != value || ((w & low) + six) & !low & mask != 0 {
            return None;
        }
    }
    let digit = |at: usize| b[at] - b'0';
    let two = |at: usize| digit(at) * 10 + digit(at + 1);
    let year = i32::from(two(0)) * 100 + i32::from(two(2));
    let millis = u16::from(digit(20)) * 100 + u16::from(two(21));
    let second = two(17);
    if second == 60 {
        return None;
    }
    let month = Month::try_from(two(5)).ok()?;
    let date = Date::from_calendar_date(year, month, two(8)).ok()?;
    let time = Time::from_hms_milli(two(11), two(14), second, millis).ok()?;
    Some(Timestamp {
        instant: PrimitiveDateTime::new(date, time).assume_utc(),
        digits: 3,
    })
}

/// Every RFC 3339 form, with a precise reason for each refusal.
fn parse_any_form(s: &str) -> Result<Timestamp, TimestampError> {
    let err = |reason| TimestampError::new(s, reason);
    let b = s.as_bytes();
    let year = four(b, 0).ok_or_else(|| err("the year is not 4 digits"))?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(err("the date is not YYYY-MM-DD"));
    }
    let month = two(b, 5).ok_or_else(|| err("the month is not 2 digits"))?;
    let day = two(b, 8).ok_or_else(|| err("the day is not 2 digits"))?;
    match b.get(10) {
        Some(b'T' | b't') => {}
        None => return Err(err("the time is missing")),
        Some(_) => return Err(err("the date and time are not separated by T")),
    }
    let hour = two(b, 11).ok_or_else(|| err("the hour is not 2 digits"))?;
    let minute = two(b, 14).ok_or_else(|| err("the minute is not 2 digits"))?;
    let second = two(b, 17).ok_or_else(|| err("the second is not 2 digits"))?;
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return Err(err("the time is not hh:mm:ss"));
    }

    let mut pos = 19;
    let mut nanos = 0u32;
    let mut seen = 0usize;
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        while let Some(d) = b.get(pos).filter(|d| d.is_ascii_digit()) {
            if pos - start == 9 {
                return Err(err("more than 9 fractional digits"));
            }
            nanos = nanos * 10 + u32::from(d - b'0');
            pos += 1;
        }
        seen = pos - start;
        if seen == 0 {
            return Err(err("no digit after the decimal point"));
        }
        nanos *= POW10[9 - seen];
    }

    let offset_minutes: i32 = match b.get(pos) {
        Some(b'Z' | b'z') => {
            pos += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            let h = two(b, pos + 1).filter(|h| *h <= 23);
            let m = two(b, pos + 4).filter(|m| *m <= 59);
            let (Some(h), Some(m), Some(b':')) = (h, m, b.get(pos + 3)) else {
                return Err(err("the offset is not +hh:mm or -hh:mm"));
            };
            pos += 6;
            let minutes = i32::from(h) * 60 + i32::from(m);
            if *sign == b'-' { -minutes } else { minutes }
        }
        None => return Err(err("no time zone (Z or an offset such as +00:00)")),
        Some(_) => return Err(err("unexpected character before the time zone")),
    };
    if pos != b.len() {
        return Err(err("unexpected characters after the time zone"));
    }

    let month = Month::try_from(month).map_err(|_| err("the month is out of range"))?;
    let date = Date::from_calendar_date(i32::from(year), month, day)
        .map_err(|_| err("no such day in that month"))?;
    if second == 60 {
        return Err(err("leap seconds are not supported"));
    }
    let time = Time::from_hms_nano(hour, minute, second, nanos)
        .map_err(|_| err("the time of day is out of range"))?;
    let mut local = PrimitiveDateTime::new(date, time);
    if offset_minutes != 0 {
        local = local
            .checked_sub(Duration::minutes(i64::from(offset_minutes)))
            .filter(|utc| (0..=9999).contains(&utc.year()))
            .ok_or_else(|| err("the instant is outside the years 0000-9999 in UTC"))?;
    }
    Ok(Timestamp {
        instant: local.assume_utc(),
        digits: seen.max(3) as u8, // seen <= 9
    })
}

/// How many fractional digits `nanos` needs to be written exactly, at least 3.
fn digits_needed(nanos: u32) -> u8 {
    let mut digits = 9;
    while digits > 3 && nanos % POW10[10 - digits] == 0 {
        digits -= 1;
    }
    digits as u8
}

impl Timestamp {
    /// The instant, in UTC.
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.instant
    }

    /// How many fractional digits `Display` writes (3 to 9).
    pub fn fractional_digits(&self) -> u8 {
        self.digits
    }

    /// The current instant, with millisecond precision like Edlink's own dates.
    pub fn now() -> Self {
        let now = OffsetDateTime::now_utc();
        let millis = now.replace_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000);
        millis.unwrap_or(now).into()
    }

    /// Writes the Edlink form into `buf` and returns it. 20 + digits bytes
    /// for the years 0000-9999; other years (only reachable through
    /// `From<OffsetDateTime>`) fall back to `Display`'s slow path.
    fn write_fast<'b>(&self, buf: &'b mut [u8; 32]) -> Option<&'b str> {
        let t = self.instant;
        let year = u16::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
        let mut put2 = |at: usize, v: u8| {
            buf[at] = b'0' + v / 10;
            buf[at + 1] = b'0' + v % 10;
        };
        put2(0, (year / 100) as u8);
        put2(2, (year % 100) as u8);
        put2(5, u8::from(t.month()));
        put2(8, t.day());
        put2(11, t.hour());
        put2(14, t.minute());
        put2(17, t.second());
        buf[4] = b'-';
        buf[7] = b'-';
        buf[10] = b'T';
        buf[13] = b':';
        buf[16] = b':';
        buf[19] = b'.';
        let digits = usize::from(self.digits);
        let mut frac = t.nanosecond() / POW10[9 - digits];
        for i in (0..digits).rev() {
            buf[20 + i] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        buf[20 + digits] = b'Z';
        std::str::from_utf8(&buf[..21 + digits]).ok()
    }
}

impl From<OffsetDateTime> for Timestamp {
    /// Converts to UTC and keeps 3 fractional digits, or more when the value
    /// has sub-millisecond precision, so the instant is never rounded. A value
    /// within hours of the `time` crate's range limits that cannot be shifted to
    /// UTC is clamped to that limit.
    fn from(value: OffsetDateTime) -> Self {
        let local = PrimitiveDateTime::new(value.date(), value.time());
        let utc = local
            .checked_sub(Duration::seconds(i64::from(value.offset().whole_seconds())))
            .unwrap_or(if value.offset().is_negative() {
                PrimitiveDateTime::MAX
            } else {
                PrimitiveDateTime::MIN
            });
        Self {
            instant: utc.assume_utc(),
            digits: digits_needed(utc.nanosecond()),
        }
    }
}

impl From<Timestamp> for OffsetDateTime {
    fn from(value: Timestamp) -> Self {
        value.instant
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 32];
        match self.write_fast(&mut buf) {
            Some(s) => f.write_str(s),
            None => {
                let t = self.instant;
                let digits = usize::from(self.digits);
                let frac = t.nanosecond() / POW10[9 - digits];
                write!(
                    f,
                    "{:05}-{:02}-{:02}T{:02}:{:02}:{:02}.{frac:0digits$}Z",
                    t.year(),
                    u8::from(t.month()),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second(),
                )
            }
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.instant == other.instant
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.instant.hash(state);
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 32];
        match self.write_fast(&mut buf) {
            Some(s) => serializer.serialize_str(s),
            None => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string such as 2020-02-14T19:26:00.188Z")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Timestamp, E> {
                parse(value).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Edlink form's fast reader gives what the general one gives, for
    /// values of that shape, real instants or not.
    #[test]
    fn the_edlink_form_reads_as_any_form_does() {
        use proptest::prelude::*;
        let shaped = "[0-9]{4}-(0[0-9]|1[0-3])-([0-3][0-9])T([0-2][0-9]):([0-6][0-9]):([0-6][0-9])\\.[0-9]{3}Z";
        // The shape, with one byte now and then replaced by any ASCII byte.
        let shaped = (
            shaped,
            any::<prop::sample::Index>(),
            0u8..0x80,
            any::<bool>(),
        )
            .prop_map(|(s, at, byte, replace)| {
                let mut b = s.into_bytes();
                if replace {
                    let i = at.index(b.len());
                    b[i] = byte;
                }
                String::from_utf8(b).unwrap_or_default()
            });
        proptest!(ProptestConfig::with_cases(8_000), |(s in shaped)| {
            let fast = parse_edlink_form(s.as_bytes());
            let general = parse_any_form(&s);
            match (fast, general) {
                (Some(f), Ok(g)) => {
                    prop_assert_eq!(f, g);
                    prop_assert_eq!(f.to_string(), g.to_string());
                    prop_assert_eq!(f.to_string(), s);
                }
                (None, _) => {}
                (Some(f), Err(e)) => prop_assert!(false, "{s}: fast {f:?}, general {e}"),
            }
        });
        for edge in [
            "2024-02-29T23:59:59.999Z",
            "0000-01-01T00:00:00.000Z",
            "9999-12-31T23:59:59.999Z",
        ] {
            assert_eq!(
                parse_edlink_form(edge.as_bytes())
                    .map(|t| t.to_string())
                    .as_deref(),
                Some(edge)
            );
        }
        for not_fast in [
            "2023-02-29T00:00:00.000Z",
            "2020-02-14T19:26:60.000Z",
            "2020-02-14T24:00:00.000Z",
            "2020-02-14t19:26:00.188Z",
            "2020-02-14T19:26:00.188z",
            "2020-02-14T19:26:00.1880",
            "2020-02-14T19:26:00+0:00",
        ] {
            assert!(
                parse_edlink_form(not_fast.as_bytes()).is_none(),
                "{not_fast}"
            );
        }
    }

    #[test]
    fn digits_needed_keeps_the_instant() {
        assert_eq!(digits_needed(0), 3);
        assert_eq!(digits_needed(188_000_000), 3);
        assert_eq!(digits_needed(861_030_000), 5);
        assert_eq!(digits_needed(1), 9);
    }

    #[test]
    fn from_offset_date_time_converts_to_utc() {
        let t: Timestamp = "2020-02-14T14:26:00.5-05:00".parse().unwrap();
        let back = Timestamp::from(t.as_offset_date_time());
        assert_eq!(back.to_string(), "2020-02-14T19:26:00.500Z");
    }
}
