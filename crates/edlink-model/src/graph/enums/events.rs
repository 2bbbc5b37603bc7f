//! What an [`Event`](crate::Event) did, and to which kind of object.

use crate::string_enum::string_enum;

string_enum! {
    /// `Event.type`. (v1 events used `<target>.<action>` strings instead;
    /// those are kept in `Unknown` as sent.)
    ///
    /// ```
    /// use edlink_model::EventType;
    ///
    /// assert_eq!(EventType::from("deleted"), EventType::Deleted);
    /// assert!(EventType::from("person.created").is_unknown());
    /// ```
    pub enum EventType {
        /// `created`.
        Created = "created",
        /// `updated`.
        Updated = "updated",
        /// `deleted`.
        Deleted = "deleted",
    }
}

string_enum! {
    /// `Event.target`: the kind of object the event is about.
    ///
    /// ```
    /// use edlink_model::EventTarget;
    ///
    /// assert_eq!(EventTarget::from("enrollment"), EventTarget::Enrollment);
    /// ```
    pub enum EventTarget {
        /// `agent`.
        Agent = "agent",
        /// `class`.
        Class = "class",
        /// `course`.
        Course = "course",
        /// `district`.
        District = "district",
        /// `enrollment`.
        Enrollment = "enrollment",
        /// `person`.
        Person = "person",
        /// `school`.
        School = "school",
        /// `section`.
        Section = "section",
        /// `session`.
        Session = "session",
    }
}
