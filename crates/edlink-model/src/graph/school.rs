//! [`School`]: a school of the district.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{
    Address, Auth, District, GradeLevel, Identifier, OneOrMany, Product, RawJson, Record, Resource,
    Timestamp,
};

lossless_struct! {
    /// A school (`GET /api/v2/graph/schools`). A source without schools gets a
    /// placeholder "… (District Office)" school.
    ///
    /// Drift absorbed: the address comes as `location` (docs) or `address`
    /// (live), both kept, read with [`School::address`]; `grade_levels` may be
    /// a single value (older OpenAPI schema), read as a slice through
    /// [`OneOrMany`]. `$expand=district` fills `district`;
    /// `$expand=products` fills `products`.
    ///
    /// ```
    /// use edlink_model::{GradeLevel, School};
    ///
    /// let s: School = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000000","name":"Springfield Elementary","grade_levels":"KG"}"#)?;
    /// assert_eq!(s.grade_levels.as_deref(), Some(&[GradeLevel::Kindergarten][..]));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct School("a school object") {
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
            /// `grade_levels`: a list, or a single value in older schemas.
            grade_levels: OneOrMany<GradeLevel> = "grade_levels",
            /// `locale`.
            locale: String = "locale",
            /// `time_zone`: a tz database name.
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
            /// `district_id`.
            district_id: Uuid = "district_id",
            /// `product_ids` (TypeScript SDK): the licensed products.
            product_ids: Vec<Uuid> = "product_ids",
            /// `district`: the district, with `$expand=district`.
            district: Box<District> = "district",
            /// `products`: the products, with `$expand=products`.
            products: Vec<Product> = "products",
        }
    }
}

impl School {
    /// The school's address, whichever name it came under: `address` (the
    /// live name) when present, else `location` (the documented name).
    ///
    /// ```
    /// use edlink_model::School;
    ///
    /// let s: School = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000000","location":{"postal_code":"97000"}}"#)?;
    /// assert_eq!(s.address().and_then(|a| a.postal_code.as_deref()), Some("97000"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn address(&self) -> Option<&Address> {
        self.address.as_ref().or(self.location.as_ref())
    }
}

impl Record for School {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for School {
    const PATH: &'static str = "/api/v2/graph/schools";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "school";
}
