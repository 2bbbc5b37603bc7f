//! The life-cycle states of rostering objects, and session and product kinds.

use crate::string_enum::string_enum;

string_enum! {
    /// `Class.state`.
    ///
    /// ```
    /// use edlink_model::ClassState;
    ///
    /// assert_eq!(ClassState::from("archived"), ClassState::Archived);
    /// ```
    pub enum ClassState {
        /// `template`.
        Template = "template",
        /// `upcoming`.
        Upcoming = "upcoming",
        /// `inactive`.
        Inactive = "inactive",
        /// `active`.
        Active = "active",
        /// `completed`.
        Completed = "completed",
        /// `archived`.
        Archived = "archived",
    }
}

string_enum! {
    /// `Section.state`.
    ///
    /// ```
    /// use edlink_model::SectionState;
    ///
    /// assert_eq!(SectionState::from("upcoming"), SectionState::Upcoming);
    /// ```
    pub enum SectionState {
        /// `active`.
        Active = "active",
        /// `inactive`.
        Inactive = "inactive",
        /// `upcoming`.
        Upcoming = "upcoming",
        /// `completed`.
        Completed = "completed",
        /// `archived`.
        Archived = "archived",
    }
}

string_enum! {
    /// `Session.state`: the docs list `active`, `upcoming`, `completed`; the
    /// OpenAPI schema adds `template`, and a client generated from it had to
    /// add `inactive` after production data broke it.
    ///
    /// ```
    /// use edlink_model::SessionState;
    ///
    /// assert_eq!(SessionState::from("template"), SessionState::Template);
    /// ```
    pub enum SessionState {
        /// `active`.
        Active = "active",
        /// `upcoming`.
        Upcoming = "upcoming",
        /// `completed`.
        Completed = "completed",
        /// `template` (OpenAPI schema).
        Template = "template",
        /// `inactive` (seen in production by a peer client).
        Inactive = "inactive",
    }
}

string_enum! {
    /// `Session.type`.
    ///
    /// ```
    /// use edlink_model::SessionType;
    ///
    /// assert_eq!(SessionType::from("grading_period"), SessionType::GradingPeriod);
    /// ```
    pub enum SessionType {
        /// `semester`.
        Semester = "semester",
        /// `term`.
        Term = "term",
        /// `grading_period`.
        GradingPeriod = "grading_period",
        /// `school_year`.
        SchoolYear = "school_year",
    }
}

string_enum! {
    /// `Enrollment.state`.
    ///
    /// ```
    /// use edlink_model::EnrollmentState;
    ///
    /// assert_eq!(EnrollmentState::from("dropped"), EnrollmentState::Dropped);
    /// ```
    pub enum EnrollmentState {
        /// `active`.
        Active = "active",
        /// `inactive`.
        Inactive = "inactive",
        /// `dropped`.
        Dropped = "dropped",
        /// `upcoming`.
        Upcoming = "upcoming",
        /// `pending`.
        Pending = "pending",
        /// `completed`.
        Completed = "completed",
    }
}

string_enum! {
    /// `Product.state` (TypeScript SDK only).
    ///
    /// ```
    /// use edlink_model::ProductState;
    ///
    /// assert_eq!(ProductState::from("sunsetting"), ProductState::Sunsetting);
    /// ```
    pub enum ProductState {
        /// `active`.
        Active = "active",
        /// `inactive`.
        Inactive = "inactive",
        /// `upcoming`.
        Upcoming = "upcoming",
        /// `development`.
        Development = "development",
        /// `sunsetting`.
        Sunsetting = "sunsetting",
        /// `deprecated`.
        Deprecated = "deprecated",
    }
}
