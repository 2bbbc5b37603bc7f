//! [`Birthday`]: a calendar date that some sources send as a full date-time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use crate::Timestamp;

/// `Demographics.birthday`. The docs type it `date` (a calendar date); its
/// exact format is undocumented, so both `YYYY-MM-DD` and a full RFC 3339
/// date-time are accepted, and the text that came is written back unchanged.
///
/// [`date`](Self::date) is the calendar date as written (the first ten
/// characters), not shifted to UTC: a birthday has no time zone.
///
/// ```
/// use edlink_model::Birthday;
/// use time::Month;
///
/// let plain: Birthday = "2009-03-14".parse()?;
/// assert_eq!((plain.date().year(), plain.date().month(), plain.date().day()), (2009, Month::March, 14));
/// assert!(plain.timestamp().is_none());
///
/// let full: Birthday = "2009-03-14T00:00:00.000-08:00".parse()?;
/// assert_eq!(full.date(), plain.date());
/// assert_eq!(full.to_string(), "2009-03-14T00:00:00.000-08:00");
/// assert!(full.timestamp().is_some());
///
/// assert!("2009-02-30".parse::<Birthday>().is_err());
/// # Ok::<(), edlink_model::BirthdayError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Birthday {
    /// Exactly as received (or as built by `From<Date>`).
    text: String,
    date: Date,
    /// Set when `text` is a full date-time.
    timestamp: Option<Timestamp>,
}

/// Why a string is not a birthday. Its `Display` echoes the value (at most 64
/// characters of it) and says what was expected.
///
/// ```
/// let err = "14/03/2009".parse::<edlink_model::Birthday>().unwrap_err();
/// assert!(err.to_string().contains("14/03/2009"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthdayError {
    value: String,
    reason: String,
}

impl BirthdayError {
    fn new(value: &str, reason: impl Into<String>) -> Self {
        Self {
            value: value.chars().take(64).collect(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for BirthdayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid birthday {:?}: {}; expected YYYY-MM-DD or an RFC 3339 date-time",
            self.value, self.reason
        )
    }
}

impl std::error::Error for BirthdayError {}

/// `YYYY-MM-DD` at the start of `s`.
fn calendar_date(s: &str) -> Result<Date, BirthdayError> {
    let err = |reason: &str| BirthdayError::new(s, reason);
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(err("the date is not YYYY-MM-DD"));
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(err("the date is not YYYY-MM-DD"));
    }
    // Four digits fit an i32 and two digits a u8.
    let month = Month::try_from(month as u8).map_err(|_| err("the month is out of range"))?;
    Date::from_calendar_date(year as i32, month, day as u8)
        .map_err(|_| err("no such day in that month"))
}

impl Birthday {
    /// The calendar date, as written.
    ///
    /// ```
    /// let b: edlink_model::Birthday = "2010-12-31T23:00:00Z".parse()?;
    /// assert_eq!(b.date().to_string(), "2010-12-31");
    /// # Ok::<(), edlink_model::BirthdayError>(())
    /// ```
    pub fn date(&self) -> Date {
        self.date
    }

    /// The instant, when the birthday came as a full date-time.
    ///
    /// ```
    /// let b: edlink_model::Birthday = "2010-12-31".parse()?;
    /// assert!(b.timestamp().is_none());
    /// # Ok::<(), edlink_model::BirthdayError>(())
    /// ```
    pub fn timestamp(&self) -> Option<Timestamp> {
        self.timestamp
    }

    /// The text as received.
    ///
    /// ```
    /// let b: edlink_model::Birthday = "2010-12-31".parse()?;
    /// assert_eq!(b.as_str(), "2010-12-31");
    /// # Ok::<(), edlink_model::BirthdayError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for Birthday {
    type Err = BirthdayError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let date = calendar_date(s)?;
        let timestamp = if s.len() == 10 {
            None
        } else {
            let t = s
                .parse::<Timestamp>()
                .map_err(|e| BirthdayError::new(s, e.reason()))?;
            Some(t)
        };
        Ok(Self {
            text: s.to_owned(),
            date,
            timestamp,
        })
    }
}

impl From<Date> for Birthday {
    /// A plain `YYYY-MM-DD` birthday.
    fn from(date: Date) -> Self {
        Self {
            text: format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            ),
            date,
            timestamp: None,
        }
    }
}

impl fmt::Display for Birthday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Birthday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Birthday({})", self.text)
    }
}

impl Serialize for Birthday {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Birthday {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = Birthday;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2009-03-14 or an RFC 3339 date-time")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Birthday, E> {
                value.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn both_forms_write_back_what_came() {
        for text in [
            "2009-03-14",
            "2009-03-14T00:00:00.000Z",
            "2009-03-14T00:00:00+05:30",
        ] {
            let b: Birthday = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(serde_json::to_string(&b).unwrap(), format!("\"{text}\""));
            assert_eq!(b.date().to_string(), "2009-03-14");
        }
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        for (bad, reason) in [
            ("2009-3-14", "not YYYY-MM-DD"),
            ("2009-13-01", "month is out of range"),
            ("2009-02-29", "no such day"),
            ("2009-03-14T25:00:00Z", "time of day"),
            ("2009-03-14 junk", "not separated by T"),
            ("", "not YYYY-MM-DD"),
        ] {
            let err = bad.parse::<Birthday>().unwrap_err().to_string();
            assert!(err.contains(reason), "{bad}: {err}");
        }
        assert_eq!(
            Birthday::from(Date::from_calendar_date(2001, Month::January, 2).unwrap()).as_str(),
            "2001-01-02"
        );
    }
}
