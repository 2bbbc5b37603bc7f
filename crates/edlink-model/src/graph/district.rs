//! [`District`]: the school district behind an integration.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{Address, Auth, Identifier, RawJson, Record, Resource, Timestamp};

lossless_struct! {
    /// A school district (`GET /api/v2/graph/districts`): there is always
    /// exactly one per data source.
    ///
    /// Its address drifted: the docs call it `location`, the live API and the
    /// TypeScript SDK `address`. Both are kept as sent; [`District::address`]
    /// gives whichever came.
    ///
    /// ```
    /// use edlink_model::{decode_response, District};
    ///
    /// let body = br#"{"$data":{"id":"00000000-0000-0000-0000-000000000000","name":"Gravity Falls School District","location":{"city":"Gravity Falls"}}}"#;
    /// let district = decode_response::<District>(200, None, body)?.data;
    /// assert_eq!(district.name.as_deref(), Some("Gravity Falls School District"));
    /// assert_eq!(district.address().and_then(|a| a.city.as_deref()), Some("Gravity Falls"));
    /// # Ok::<(), edlink_model::ResponseError>(())
    /// ```
    pub struct District("a district object") {
        required {
            /// `id`: required.
            id: Uuid = "id",
        }
        optional {
            /// `created_date`: when Edlink first saw it.
            created_date: Timestamp = "created_date",
            /// `updated_date`: when it last changed in Edlink.
            updated_date: Timestamp = "updated_date",
            /// `name`.
            name: String = "name",
            /// `locale`.
            locale: String = "locale",
            /// `time_zone`: a tz database name such as `America/Los_Angeles`.
            time_zone: String = "time_zone",
            /// `location`: the address, under its documented name.
            location: Address = "location",
            /// `address`: the address, under its live name.
            address: Address = "address",
            /// `picture_url` (OpenAPI schema, TypeScript SDK).
            picture_url: String = "picture_url",
            /// `properties`: non-standard data from the source, as exact JSON text.
            properties: RawJson = "properties",
            /// `identifiers`: ids in other systems.
            identifiers: Vec<Identifier> = "identifiers",
        }
    }
}

impl District {
    /// The district's address, whichever name it came under: `address` (the
    /// live name) when present, else `location` (the documented name).
    ///
    /// ```
    /// use edlink_model::District;
    ///
    /// let d: District = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000000","address":{"city":"A"},"location":{"city":"L"}}"#)?;
    /// assert_eq!(d.address().and_then(|a| a.city.as_deref()), Some("A"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn address(&self) -> Option<&Address> {
        self.address.as_ref().or(self.location.as_ref())
    }
}

impl Record for District {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for District {
    const PATH: &'static str = "/api/v2/graph/districts";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "district";
}
