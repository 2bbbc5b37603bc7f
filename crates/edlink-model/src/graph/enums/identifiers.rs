//! [`IdentifierType`]: which system an [`Identifier`](crate::Identifier) comes from.

use crate::string_enum::string_enum;

string_enum! {
    /// `Identifier.type`: the docs' list and the TypeScript SDK's additions.
    ///
    /// ```
    /// use edlink_model::IdentifierType;
    ///
    /// assert_eq!(IdentifierType::from("sis_id"), IdentifierType::Sis);
    /// assert_eq!(IdentifierType::from("powerschool_id"), IdentifierType::PowerSchool);
    /// ```
    pub enum IdentifierType {
        /// `sis_id`: a student information system id.
        Sis = "sis_id",
        /// `state_id`: a state-issued id.
        State = "state_id",
        /// `school_id`: a school-issued id.
        School = "school_id",
        /// `clever_id`.
        Clever = "clever_id",
        /// `username`.
        Username = "username",
        /// `email`.
        Email = "email",
        /// `ldap`.
        Ldap = "ldap",
        /// `edlink_id`: a secondary Edlink id, typically after a merge.
        Edlink = "edlink_id",
        /// `canvas_id`.
        Canvas = "canvas_id",
        /// `blackboard_id`.
        Blackboard = "blackboard_id",
        /// `lti` (SDK).
        Lti = "lti",
        /// `nces_id` (SDK).
        Nces = "nces_id",
        /// `mdr_id` (SDK).
        Mdr = "mdr_id",
        /// `ipeds_id` (SDK).
        Ipeds = "ipeds_id",
        /// `aeries_id` (SDK).
        Aeries = "aeries_id",
        /// `blackbaud_id` (SDK).
        Blackbaud = "blackbaud_id",
        /// `brightspace_id` (SDK).
        Brightspace = "brightspace_id",
        /// `bromcom_id` (SDK).
        Bromcom = "bromcom_id",
        /// `canvas_lti_id` (SDK).
        CanvasLti = "canvas_lti_id",
        /// `google_id` (SDK).
        Google = "google_id",
        /// `illuminate_id` (SDK).
        Illuminate = "illuminate_id",
        /// `microsoft_id` (SDK).
        Microsoft = "microsoft_id",
        /// `moodle_id` (SDK).
        Moodle = "moodle_id",
        /// `oneroster_id` (SDK).
        OneRoster = "oneroster_id",
        /// `powerschool_id` (SDK).
        PowerSchool = "powerschool_id",
        /// `schoology_id` (SDK).
        Schoology = "schoology_id",
        /// `skyward_id` (SDK).
        Skyward = "skyward_id",
    }
}
