//! [`Product`]: one of a developer's products, as licensed to districts.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{ProductState, RawJson, Timestamp};

lossless_struct! {
    /// A product (TypeScript SDK `types/product.ts`): what a [`License`](crate::License)
    /// licenses, and what `$expand=products` adds to schools, classes and people.
    ///
    /// ```
    /// use edlink_model::{Product, ProductState};
    ///
    /// let p: Product = serde_json::from_str(r#"{"id":"430171b5-8fd5-4bed-8bc1-d8a580f93d74","name":"Reader","state":"active","tags":["ela"]}"#)?;
    /// assert_eq!(p.state, Some(ProductState::Active));
    /// assert_eq!(p.tags.as_deref(), Some(&["ela".to_owned()][..]));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Product("a product object") {
        required {
            /// `id`: required.
            id: Uuid = "id",
        }
        optional {
            /// `created_date`.
            created_date: Timestamp = "created_date",
            /// `updated_date`.
            updated_date: Timestamp = "updated_date",
            /// `name`.
            name: String = "name",
            /// `code`.
            code: String = "code",
            /// `picture_url`.
            picture_url: String = "picture_url",
            /// `description`.
            description: String = "description",
            /// `state`.
            state: ProductState = "state",
            /// `team_id`: the developer's team.
            team_id: Uuid = "team_id",
            /// `soft_cap`.
            soft_cap: i64 = "soft_cap",
            /// `hard_cap`.
            hard_cap: i64 = "hard_cap",
            /// `tags`.
            tags: Vec<String> = "tags",
            /// `license_duration`: the default license length, in days.
            license_duration: i64 = "license_duration",
            /// `properties`: kept as the exact JSON text.
            properties: RawJson = "properties",
        }
    }
}
