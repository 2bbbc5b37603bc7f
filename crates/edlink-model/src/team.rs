//! [`Team`]: the team (usually the school district) behind an integration.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{TeamType, Timestamp};

lossless_struct! {
    /// The team embedded in an integration's `team`: the district that shares
    /// its data (or a developer team). Every field may be missing or `null`;
    /// unknown keys are kept in `extra`.
    ///
    /// `zip` is a string (leading zeros) and `country` a full name such as
    /// `United States`, not an ISO code.
    ///
    /// ```
    /// use edlink_model::{Team, TeamType};
    ///
    /// let t: Team = serde_json::from_str(r#"{"type":"district","name":"Edlink University","zip":"02134"}"#)?;
    /// assert_eq!(t.team_type, Some(TeamType::District));
    /// assert_eq!(t.zip.as_deref(), Some("02134"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Team("a team object") {
        optional {
            /// `id`.
            id: Uuid = "id",
            /// `type`: district or developer.
            team_type: TeamType = "type",
            /// `name`, e.g. `Edlink University`.
            name: String = "name",
            /// `alias`, a short name, e.g. `edu`.
            alias: String = "alias",
            /// `street_address`.
            street_address: String = "street_address",
            /// `unit_number`, e.g. `Ste 303`.
            unit_number: String = "unit_number",
            /// `city`.
            city: String = "city",
            /// `state`, e.g. `TX`.
            state: String = "state",
            /// `zip`, a string.
            zip: String = "zip",
            /// `country`, a full name, e.g. `United States`.
            country: String = "country",
            /// `created_date`.
            created_date: Timestamp = "created_date",
            /// `updated_date`.
            updated_date: Timestamp = "updated_date",
        }
    }
}
