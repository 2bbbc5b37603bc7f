//! [`Session`]: a grading period (semester, term, school year).

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{
    Auth, District, Identifier, RawJson, Record, Resource, School, SessionState, SessionType,
    Timestamp,
};

lossless_struct! {
    /// A session (`GET /api/v2/graph/sessions`): a semester, term, grading
    /// period or school year. `$expand=school` / `$expand=district` fill
    /// `school` / `district`.
    ///
    /// ```
    /// use edlink_model::{Session, SessionType};
    ///
    /// let s: Session = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000000","name":"Fall 2021","type":"semester","start_date":"2021-07-01T00:00:00.000Z"}"#)?;
    /// assert_eq!(s.session_type, Some(SessionType::Semester));
    /// assert_eq!(s.start_date.map(|d| d.to_string()).as_deref(), Some("2021-07-01T00:00:00.000Z"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Session("a session object") {
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
            /// `start_date`: when the session starts.
            start_date: Timestamp = "start_date",
            /// `end_date`: when the session ends.
            end_date: Timestamp = "end_date",
            /// `state`.
            state: SessionState = "state",
            /// `type`.
            session_type: SessionType = "type",
            /// `properties`: non-standard data from the source, as exact JSON text.
            properties: RawJson = "properties",
            /// `identifiers`: ids in other systems.
            identifiers: Vec<Identifier> = "identifiers",
            /// `school_id`.
            school_id: Uuid = "school_id",
            /// `district_id`.
            district_id: Uuid = "district_id",
            /// `school`: the school, with `$expand=school`.
            school: Box<School> = "school",
            /// `district`: the district, with `$expand=district`.
            district: Box<District> = "district",
        }
    }
}

impl Record for Session {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Session {
    const PATH: &'static str = "/api/v2/graph/sessions";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "session";
}
