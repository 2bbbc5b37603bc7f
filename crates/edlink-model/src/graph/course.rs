//! [`Course`]: a plan of study, taught as one or more classes.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{
    Auth, District, GradeLevel, Identifier, OneOrMany, RawJson, Record, Resource, School, Session,
    Subject, Timestamp,
};

lossless_struct! {
    /// A course (`GET /api/v2/graph/courses`): a plan of study such as "Data
    /// Structures & Algorithms"; the classes of a course are what people
    /// enroll in. `$expand=session`, `school`, `district` fill the objects.
    ///
    /// ```
    /// use edlink_model::{Course, Subject};
    ///
    /// let c: Course = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000000","code":"CS 425","subjects":["CEDS.21"]}"#)?;
    /// assert_eq!(c.subjects.as_deref(), Some(&[Subject::EngineeringAndTechnology][..]));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Course("a course object") {
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
            /// `code`: the course code, e.g. `CS 425`.
            code: String = "code",
            /// `grade_levels`: a list, or a single value in older schemas.
            grade_levels: OneOrMany<GradeLevel> = "grade_levels",
            /// `subjects`.
            subjects: Vec<Subject> = "subjects",
            /// `properties`: non-standard data from the source, as exact JSON text.
            properties: RawJson = "properties",
            /// `identifiers`: ids in other systems.
            identifiers: Vec<Identifier> = "identifiers",
            /// `session_id`.
            session_id: Uuid = "session_id",
            /// `school_id`.
            school_id: Uuid = "school_id",
            /// `district_id`.
            district_id: Uuid = "district_id",
            /// `session`: the session, with `$expand=session`.
            session: Box<Session> = "session",
            /// `school`: the school, with `$expand=school`.
            school: Box<School> = "school",
            /// `district`: the district, with `$expand=district`.
            district: Box<District> = "district",
        }
    }
}

impl Record for Course {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Course {
    const PATH: &'static str = "/api/v2/graph/courses";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "course";
}
