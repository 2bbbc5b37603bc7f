//! [`Person`]: a student, teacher, administrator, parent…

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{
    Address, Auth, Demographics, District, GradeLevel, Identifier, OneOrMany, Product, RawJson,
    Record, Resource, Role, School, Timestamp,
};

lossless_struct! {
    /// A person (`GET /api/v2/graph/people`, `GET /api/v2/my/profile`).
    ///
    /// The union of the 2022 docs, the live docs (`gpa`, `letter_grade`,
    /// `address`, `department_ids`, `route_ids`) and the TypeScript SDK
    /// (`product_ids`). `grade_levels` may be a single value or `null`.
    /// `email` is not verified by most sources: do not match accounts on it.
    /// `$expand=schools`, `district`, `products` fill the objects.
    ///
    /// ```
    /// use edlink_model::{Person, Role};
    ///
    /// let p: Person = serde_json::from_str(r#"{
    ///     "id": "00000000-0000-0000-0000-000000000000",
    ///     "first_name": "Mabel", "roles": ["student"], "grade_levels": null,
    ///     "schools": [{"id": "00000000-0000-0000-0000-000000000001", "name": "Gravity Falls High"}]
    /// }"#)?;
    /// assert_eq!(p.roles.as_deref(), Some(&[Role::Student][..]));
    /// assert!(p.is_null("grade_levels"));
    /// assert_eq!(p.schools.as_ref().map(|s| s[0].name.as_deref()), Some(Some("Gravity Falls High")));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Person("a person object") {
        required {
            /// `id`: required.
            id: Uuid = "id",
        }
        optional {
            /// `created_date`: when Edlink first saw them.
            created_date: Timestamp = "created_date",
            /// `updated_date`: when they last changed in Edlink.
            updated_date: Timestamp = "updated_date",
            /// `first_name`.
            first_name: String = "first_name",
            /// `middle_name`.
            middle_name: String = "middle_name",
            /// `last_name`.
            last_name: String = "last_name",
            /// `display_name`.
            display_name: String = "display_name",
            /// `picture_url`.
            picture_url: String = "picture_url",
            /// `roles`: not every source has roles; see also `Enrollment.role`.
            roles: Vec<Role> = "roles",
            /// `email`: unverified by most sources.
            email: String = "email",
            /// `phone`.
            phone: String = "phone",
            /// `locale`.
            locale: String = "locale",
            /// `time_zone`: a tz database name.
            time_zone: String = "time_zone",
            /// `graduation_year`: the expected graduation year.
            graduation_year: i64 = "graduation_year",
            /// `grade_levels`: a list, or a single value in older schemas.
            grade_levels: OneOrMany<GradeLevel> = "grade_levels",
            /// `demographics`.
            demographics: Demographics = "demographics",
            /// `gpa` (live docs): a JSON number, kept as written.
            gpa: crate::JsonNumber = "gpa",
            /// `letter_grade` (live docs): the overall letter grade.
            letter_grade: String = "letter_grade",
            /// `address` (live docs): the primary address.
            address: Address = "address",
            /// `properties`: non-standard data from the source, as exact JSON text.
            properties: RawJson = "properties",
            /// `identifiers`: ids in other systems.
            identifiers: Vec<Identifier> = "identifiers",
            /// `district_id`.
            district_id: Uuid = "district_id",
            /// `school_ids`.
            school_ids: Vec<Uuid> = "school_ids",
            /// `department_ids` (live docs).
            department_ids: Vec<Uuid> = "department_ids",
            /// `route_ids` (live docs): bus routes.
            route_ids: Vec<Uuid> = "route_ids",
            /// `product_ids` (TypeScript SDK).
            product_ids: Vec<Uuid> = "product_ids",
            /// `district`: the district, with `$expand=district`.
            district: Box<District> = "district",
            /// `schools`: the schools, with `$expand=schools`.
            schools: Vec<School> = "schools",
            /// `products`: the products, with `$expand=products`.
            products: Vec<Product> = "products",
        }
    }
}

impl Record for Person {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Person {
    const PATH: &'static str = "/api/v2/graph/people";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "person";
}
