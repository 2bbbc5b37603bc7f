//! [`License`]: a product licensed to the integration's district.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{Auth, Record, Resource};

lossless_struct! {
    /// A license (`GET /api/v2/graph/licenses`, live docs only): which product
    /// the integration licenses, and to how many schools, classes and people.
    /// The live sample has `id`; the TypeScript SDK's type lacks it.
    ///
    /// ```
    /// use edlink_model::License;
    ///
    /// let l: License = serde_json::from_str(r#"{"id":"eb023cdc-f69e-40ff-aeb6-b2e25b42ac4a","class_count":4,"person_count":12}"#)?;
    /// assert_eq!(l.person_count, Some(12));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct License("a license object") {
        required {
            /// `id`: required.
            id: Uuid = "id",
        }
        optional {
            /// `product_id`: the licensed [`Product`](crate::Product).
            product_id: Uuid = "product_id",
            /// `integration_id`.
            integration_id: Uuid = "integration_id",
            /// `school_count`: how many schools the license applies to.
            school_count: u64 = "school_count",
            /// `class_count`: how many classes the license applies to.
            class_count: u64 = "class_count",
            /// `person_count`: how many people the license applies to.
            person_count: u64 = "person_count",
        }
    }
}

impl Record for License {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for License {
    const PATH: &'static str = "/api/v2/graph/licenses";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "license";
}
