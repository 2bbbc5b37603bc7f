//! [`Class`]: what people enroll in (v1 called it a course).

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{
    Auth, ClassState, Course, GradeLevel, Identifier, OneOrMany, Product, RawJson, Record,
    Resource, School, Session, Subject, Timestamp,
};

lossless_struct! {
    /// A class (`GET /api/v2/graph/classes`): a course taught to a group of
    /// people in one or more sessions. v1 called this a "course".
    ///
    /// The live docs add `department_id`, `subject_id` and `period_ids` and
    /// deprecate `subjects` and `periods`; the TypeScript SDK adds
    /// `product_ids`. `$expand=course`, `school`, `sessions`, `products` fill
    /// the objects.
    ///
    /// ```
    /// use edlink_model::{Class, ClassState};
    ///
    /// let c: Class = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000000","name":"Defense Against the Dark Arts","state":"active","periods":["1"]}"#)?;
    /// assert_eq!(c.state, Some(ClassState::Active));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Class("a class object") {
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
            /// `picture_url`.
            picture_url: String = "picture_url",
            /// `subjects` (deprecated in the live docs).
            subjects: Vec<Subject> = "subjects",
            /// `grade_levels`: a list, or a single value in older schemas.
            grade_levels: OneOrMany<GradeLevel> = "grade_levels",
            /// `periods`: free-form period names (deprecated in the live docs).
            periods: Vec<String> = "periods",
            /// `state`.
            state: ClassState = "state",
            /// `locale`.
            locale: String = "locale",
            /// `time_zone`: a tz database name.
            time_zone: String = "time_zone",
            /// `properties`: non-standard data from the source, as exact JSON text.
            properties: RawJson = "properties",
            /// `identifiers`: ids in other systems.
            identifiers: Vec<Identifier> = "identifiers",
            /// `session_ids`.
            session_ids: Vec<Uuid> = "session_ids",
            /// `course_id`.
            course_id: Uuid = "course_id",
            /// `school_id`.
            school_id: Uuid = "school_id",
            /// `department_id` (live docs).
            department_id: Uuid = "department_id",
            /// `subject_id` (live docs).
            subject_id: Uuid = "subject_id",
            /// `period_ids` (live docs).
            period_ids: Vec<Uuid> = "period_ids",
            /// `product_ids` (TypeScript SDK).
            product_ids: Vec<Uuid> = "product_ids",
            /// `course`: the course, with `$expand=course`.
            course: Box<Course> = "course",
            /// `school`: the school, with `$expand=school`.
            school: Box<School> = "school",
            /// `sessions`: the sessions, with `$expand=sessions`.
            sessions: Vec<Session> = "sessions",
            /// `products`: the products, with `$expand=products`.
            products: Vec<Product> = "products",
        }
    }
}

impl Record for Class {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Class {
    const PATH: &'static str = "/api/v2/graph/classes";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "class";
}
