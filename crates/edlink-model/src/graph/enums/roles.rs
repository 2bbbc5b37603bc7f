//! Who a person is: [`Role`], and how two people relate: [`Relationship`],
//! [`AgentFlag`].

use crate::string_enum::string_enum;

string_enum! {
    /// A person's role (`Person.roles`, `Enrollment.role`). The union of the
    /// 2022 docs, the OpenAPI schema (`member`) and the official TypeScript SDK
    /// (`staff`); anything else is kept in `Unknown`.
    ///
    /// ```
    /// use edlink_model::Role;
    ///
    /// assert_eq!(Role::from("district-administrator"), Role::DistrictAdministrator);
    /// assert_eq!(Role::from("counselor").as_str(), "counselor");
    /// ```
    pub enum Role {
        /// `student`.
        Student = "student",
        /// `district-administrator`: a district-level administrator.
        DistrictAdministrator = "district-administrator",
        /// `administrator`: a school-level administrator.
        Administrator = "administrator",
        /// `teacher`.
        Teacher = "teacher",
        /// `observer`: observes a class without being a student.
        Observer = "observer",
        /// `parent`.
        Parent = "parent",
        /// `guardian`.
        Guardian = "guardian",
        /// `ta`: a teaching assistant (uncommon).
        TeachingAssistant = "ta",
        /// `aide`: assists a student, e.g. a sign language interpreter (uncommon).
        Aide = "aide",
        /// `designer`: adds or edits class content (uncommon).
        Designer = "designer",
        /// `staff` (TypeScript SDK only).
        Staff = "staff",
        /// `member` (OpenAPI schema and TypeScript SDK).
        Member = "member",
    }
}

string_enum! {
    /// How an agent's observer relates to its target (`Agent.relationship`).
    /// The docs list `parent`, `guardian` and `aide`; the live samples also
    /// send `mother`, `father` and `sister`.
    ///
    /// ```
    /// use edlink_model::Relationship;
    ///
    /// assert_eq!(Relationship::from("mother"), Relationship::Mother);
    /// assert!(Relationship::from("uncle").is_unknown());
    /// ```
    pub enum Relationship {
        /// `parent`.
        Parent = "parent",
        /// `guardian`.
        Guardian = "guardian",
        /// `aide`.
        Aide = "aide",
        /// `mother` (live samples).
        Mother = "mother",
        /// `father` (live samples).
        Father = "father",
        /// `sister` (live samples).
        Sister = "sister",
    }
}

string_enum! {
    /// A flag on an agent (`Agent.flags`), seen only in the live samples.
    ///
    /// ```
    /// use edlink_model::AgentFlag;
    ///
    /// assert_eq!(AgentFlag::from("pickup_rights"), AgentFlag::PickupRights);
    /// ```
    pub enum AgentFlag {
        /// `emergency_contact`.
        EmergencyContact = "emergency_contact",
        /// `pickup_rights`.
        PickupRights = "pickup_rights",
        /// `legal_guardian`.
        LegalGuardian = "legal_guardian",
        /// `has_custody`.
        HasCustody = "has_custody",
        /// `lives_with`.
        LivesWith = "lives_with",
        /// `access_to_records`.
        AccessToRecords = "access_to_records",
        /// `primary_care_provider`.
        PrimaryCareProvider = "primary_care_provider",
    }
}
