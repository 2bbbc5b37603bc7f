//! [`Section`]: a subdivision of a class.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{Auth, Class, Identifier, RawJson, Record, Resource, SectionState, Timestamp};

lossless_struct! {
    /// A section of a class (`GET /api/v2/graph/sections`; deprecated in the
    /// live docs). The samples and the OpenAPI schema add `picture_url`.
    /// `$expand=class` fills `class`.
    ///
    /// ```
    /// use edlink_model::{Section, SectionState};
    ///
    /// let s: Section = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000000","name":"Section 3","state":"upcoming","periods":["06"]}"#)?;
    /// assert_eq!(s.state, Some(SectionState::Upcoming));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Section("a section object") {
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
            /// `description`.
            description: String = "description",
            /// `picture_url` (samples, OpenAPI schema).
            picture_url: String = "picture_url",
            /// `state`.
            state: SectionState = "state",
            /// `locale`.
            locale: String = "locale",
            /// `time_zone`: a tz database name.
            time_zone: String = "time_zone",
            /// `periods`: free-form period names.
            periods: Vec<String> = "periods",
            /// `properties`: non-standard data from the source, as exact JSON text.
            properties: RawJson = "properties",
            /// `identifiers`: ids in other systems.
            identifiers: Vec<Identifier> = "identifiers",
            /// `class_id`.
            class_id: Uuid = "class_id",
            /// `class`: the class, with `$expand=class`.
            class: Box<Class> = "class",
        }
    }
}

impl Record for Section {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Section {
    const PATH: &'static str = "/api/v2/graph/sections";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "section";
}
