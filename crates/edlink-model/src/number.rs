//! [`JsonNumber`]: a number kept as the exact text Edlink sent.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::{Serialize, Serializer};

use crate::RawJson;

/// A JSON number as sent (`1.10`, `1e2`, `123456789012345678901234567890`),
/// for the model's fractional fields (`gpa`, `latitude`, grades): it comes
/// back digit for digit, and reads as an `f64` (or an integer) on demand.
/// Equality is on the text, as on the wire.
///
/// ```
/// use edlink_model::JsonNumber;
///
/// let n: JsonNumber = serde_json::from_str("1.10")?;
/// assert_eq!(n.as_f64(), Some(1.1));
/// assert_eq!(n.as_str(), "1.10");
/// assert_eq!(serde_json::to_string(&n)?, "1.10");
/// assert!(serde_json::from_str::<JsonNumber>(r#""1.10""#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct JsonNumber(RawJson);

impl JsonNumber {
    /// The number's text as sent.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The nearest `f64` (`None` only for a number too large for one).
    pub fn as_f64(&self) -> Option<f64> {
        self.as_str().parse::<f64>().ok().filter(|f| f.is_finite())
    }

    /// The value as an `i64`, when it is a whole number that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_str().parse::<i64>().ok()
    }
}

impl From<i64> for JsonNumber {
    fn from(n: i64) -> Self {
        Self(RawJson::from_value(&n.into()))
    }
}

impl fmt::Debug for JsonNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for JsonNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for JsonNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for JsonNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawJson::deserialize(deserializer)?;
        let text = raw.as_str().trim();
        if serde_json::from_str::<serde_json::Number>(text).is_ok() {
            Ok(Self(raw))
        } else {
            let shown: String = text.chars().take(40).collect();
            Err(D::Error::custom(format_args!(
                "invalid type: {shown}, expected a number"
            )))
        }
    }
}
