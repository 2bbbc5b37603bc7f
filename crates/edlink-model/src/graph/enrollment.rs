//! [`Enrollment`]: a person in a class, with a role.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{
    Auth, Class, EnrollmentState, Identifier, Person, RawJson, Record, Resource, Role, Section,
    Timestamp,
};

lossless_struct! {
    /// An enrollment (`GET /api/v2/graph/enrollments`): a person's membership
    /// of a class (and maybe a section), with a role that may differ from the
    /// person's own `roles`.
    ///
    /// The live docs add `final_letter_grade` and `final_numeric_grade`;
    /// `/api/v2/my/enrollments` adds `rule_ids` and `references`.
    /// `$expand=person`, `class`, `section` fill the objects.
    ///
    /// ```
    /// use edlink_model::{Enrollment, Role};
    ///
    /// let e: Enrollment = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000000","role":"teacher","primary":null,"final_numeric_grade":93.5}"#)?;
    /// assert_eq!(e.role, Some(Role::Teacher));
    /// assert!(e.is_null("primary"));
    /// assert_eq!(e.final_numeric_grade.and_then(|n| n.as_f64()), Some(93.5));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Enrollment("an enrollment object") {
        required {
            /// `id`: required.
            id: Uuid = "id",
        }
        optional {
            /// `created_date`: when Edlink first saw it.
            created_date: Timestamp = "created_date",
            /// `updated_date`: when it last changed in Edlink.
            updated_date: Timestamp = "updated_date",
            /// `start_date`.
            start_date: Timestamp = "start_date",
            /// `end_date`.
            end_date: Timestamp = "end_date",
            /// `role`: the person's role in this class.
            role: Role = "role",
            /// `primary`: whether this is the class's primary teacher.
            primary: bool = "primary",
            /// `state`.
            state: EnrollmentState = "state",
            /// `final_letter_grade` (live docs).
            final_letter_grade: String = "final_letter_grade",
            /// `final_numeric_grade` (live docs): a JSON number, kept as written.
            final_numeric_grade: crate::JsonNumber = "final_numeric_grade",
            /// `properties`: non-standard data from the source, as exact JSON text.
            properties: RawJson = "properties",
            /// `identifiers`: ids in other systems.
            identifiers: Vec<Identifier> = "identifiers",
            /// `person_id`.
            person_id: Uuid = "person_id",
            /// `class_id`.
            class_id: Uuid = "class_id",
            /// `section_id`.
            section_id: Uuid = "section_id",
            /// `rule_ids` (`/api/v2/my/enrollments`): the sharing rules involved.
            rule_ids: Vec<Uuid> = "rule_ids",
            /// `references` (`/api/v2/my/enrollments`): undocumented, kept as
            /// exact JSON text.
            references: RawJson = "references",
            /// `person`: the person, with `$expand=person`.
            person: Box<Person> = "person",
            /// `class`: the class, with `$expand=class`.
            class: Box<Class> = "class",
            /// `section`: the section, with `$expand=section`.
            section: Box<Section> = "section",
        }
    }
}

impl Record for Enrollment {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Enrollment {
    const PATH: &'static str = "/api/v2/graph/enrollments";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "enrollment";
}
