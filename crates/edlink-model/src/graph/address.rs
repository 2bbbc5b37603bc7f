//! [`Address`]: a postal address with optional coordinates.

use crate::lossless::lossless_struct;

lossless_struct! {
    /// A postal address (`District.location`/`address`,
    /// `School.location`/`address`, `Person.address`). Every field may be
    /// missing or `null`; the docs' samples send `{}`.
    ///
    /// ```
    /// use edlink_model::Address;
    ///
    /// let a: Address = serde_json::from_str(r#"{"city":"Gravity Falls","country":"US","latitude":44.1}"#)?;
    /// assert_eq!(a.city.as_deref(), Some("Gravity Falls"));
    /// assert_eq!(a.latitude.as_ref().and_then(|n| n.as_f64()), Some(44.1));
    /// assert_eq!(serde_json::to_string(&Address::default())?, "{}");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Address("an address object") {
        optional {
            /// `street`.
            street: String = "street",
            /// `unit`.
            unit: String = "unit",
            /// `postal_code`.
            postal_code: String = "postal_code",
            /// `city`.
            city: String = "city",
            /// `state`.
            state: String = "state",
            /// `country`, e.g. `US`.
            country: String = "country",
            /// `phone`.
            phone: String = "phone",
            /// `latitude`: a JSON number, kept as written.
            latitude: crate::JsonNumber = "latitude",
            /// `longitude`: a JSON number, kept as written.
            longitude: crate::JsonNumber = "longitude",
        }
    }
}
