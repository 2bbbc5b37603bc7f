//! [`Identifier`]: an id of an object in another system.

use crate::IdentifierType;
use crate::lossless::lossless_struct;

lossless_struct! {
    /// One of an object's `identifiers`: its id in another system (the SIS,
    /// the state, an LMS…).
    ///
    /// ```
    /// use edlink_model::{Identifier, IdentifierType};
    ///
    /// let i: Identifier = serde_json::from_str(r#"{"type":"sis_id","value":"100234"}"#)?;
    /// assert_eq!(i.identifier_type, Some(IdentifierType::Sis));
    /// assert_eq!(i.value.as_deref(), Some("100234"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Identifier("an identifier object") {
        optional {
            /// `type`: which system the id comes from.
            identifier_type: IdentifierType = "type",
            /// `value`: the id in that system.
            value: String = "value",
        }
    }
}
