//! The filterable fields of each resource, exactly as the docs list them
//! (the "$filter operators" of each model page; the agents' `observer_id` and
//! `target_id` from the live docs). One declaration gives both the typed
//! field functions and the run-time table, so the two cannot disagree.

use uuid::Uuid;

use super::ops::{Exact, ExactOrKnown, Match, Range, Text};
use crate::{
    Agent, Class, ClassState, Course, District, Enrollment, Event, License, Person, Role, School,
    Section, SectionState, Session, Timestamp,
};

macro_rules! filter_fields {
    ($(
        $(#[$mmeta:meta])*
        $module:ident for $resource:ty {
            $( $(#[$fmeta:meta])* $field:ident : $value:ty, $ops:ty; )*
        }
    )+) => {$(
        $(#[$mmeta])*
        pub mod $module {
            #[allow(unused_imports)]
            use super::*;

            $(
                $(#[$fmeta])*
                ///
                /// ```
                #[doc = concat!("let field = edlink_model::filter::", stringify!($module), "::", stringify!($field), "();")]
                #[doc = concat!("assert_eq!(field.name(), \"", stringify!($field), "\");")]
                /// ```
                pub const fn $field() -> $crate::filter::Field<$resource, $value, $ops> {
                    $crate::filter::Field::new(stringify!($field))
                }
            )*

            /// The run-time table of these fields, in the docs' order.
            ///
            /// ```
            #[doc = concat!("let names: Vec<&str> = edlink_model::filter::", stringify!($module), "::FIELDS.iter().map(|f| f.name).collect();")]
            #[doc = concat!("let expected: &[&str] = &[", $( "\"", stringify!($field), "\", ", )* "];")]
            /// assert_eq!(names, expected);
            /// ```
            pub const FIELDS: &[$crate::filter::FieldSpec] = &[$(
                $crate::filter::FieldSpec::new(
                    stringify!($field),
                    <$value as $crate::filter::FilterValue>::KIND,
                    <$ops as $crate::filter::ops::OperatorSet>::OPERATORS,
                ),
            )*];
        }

        impl $crate::filter::Filterable for $resource {
            const FILTER_FIELDS: &'static [$crate::filter::FieldSpec] = $module::FIELDS;
        }
    )+};
}

filter_fields! {
    /// Filterable fields of [`District`]: the docs list none; use
    /// [`Filter::custom`](crate::Filter::custom).
    districts for District {}

    /// Filterable fields of [`School`].
    ///
    /// ```
    /// use edlink_model::filter::schools;
    /// assert_eq!(schools::name().is_unknown().to_json(), r#"{"name":[{"operator":"is unknown"}]}"#);
    /// ```
    schools for School {
        /// `id`: equals, in, not in.
        id: Uuid, Exact;
        /// `updated_date`: equals, gt, lt, gte, lte.
        updated_date: Timestamp, Range;
        /// `name`: equals, starts with, contains, in, not in, is known, is unknown.
        name: String, Text;
    }

    /// Filterable fields of [`Session`].
    ///
    /// ```
    /// use edlink_model::filter::sessions;
    /// assert_eq!(sessions::name().contains("Fall").to_json(), r#"{"name":[{"operator":"contains","value":"Fall"}]}"#);
    /// ```
    sessions for Session {
        /// `id`: equals, in, not in.
        id: Uuid, Exact;
        /// `updated_date`: equals, gt, lt, gte, lte.
        updated_date: Timestamp, Range;
        /// `name`: equals, starts with, contains, in, not in, is known, is unknown.
        name: String, Text;
        /// `start_date`: equals, gt, lt, gte, lte.
        start_date: Timestamp, Range;
        /// `end_date`: equals, gt, lt, gte, lte.
        end_date: Timestamp, Range;
    }

    /// Filterable fields of [`Course`] (its `name` is not filterable).
    ///
    /// ```
    /// use edlink_model::filter::courses;
    /// assert_eq!(courses::code().equals("CS 425").to_json(), r#"{"code":[{"operator":"equals","value":"CS 425"}]}"#);
    /// ```
    courses for Course {
        /// `id`: equals, in, not in.
        id: Uuid, Exact;
        /// `updated_date`: equals, gt, lt, gte, lte.
        updated_date: Timestamp, Range;
        /// `code`: equals, in, not in, is known, is unknown.
        code: String, ExactOrKnown;
        /// `school_id`: equals, in, not in.
        school_id: Uuid, Exact;
    }

    /// Filterable fields of [`Class`].
    ///
    /// ```
    /// use edlink_model::filter::classes;
    /// use edlink_model::ClassState;
    /// let f = classes::state().is_in([ClassState::Active, ClassState::Upcoming])?;
    /// assert_eq!(f.to_json(), r#"{"state":[{"operator":"in","value":"active,upcoming"}]}"#);
    /// # Ok::<(), edlink_model::filter::FilterError>(())
    /// ```
    classes for Class {
        /// `id`: equals, in, not in.
        id: Uuid, Exact;
        /// `updated_date`: equals, gt, lt, gte, lte.
        updated_date: Timestamp, Range;
        /// `name`: equals, starts with, contains, in, not in, is known, is unknown.
        name: String, Text;
        /// `state`: equals, in, not in.
        state: ClassState, Exact;
    }

    /// Filterable fields of [`Section`].
    ///
    /// ```
    /// use edlink_model::filter::sections;
    /// use edlink_model::SectionState;
    /// assert_eq!(sections::state().equals(SectionState::Archived).to_json(), r#"{"state":[{"operator":"equals","value":"archived"}]}"#);
    /// ```
    sections for Section {
        /// `id`: equals, in, not in.
        id: Uuid, Exact;
        /// `updated_date`: equals, gt, lt, gte, lte.
        updated_date: Timestamp, Range;
        /// `name`: equals, starts with, contains, in, not in, is known, is unknown.
        name: String, Text;
        /// `state`: equals, in, not in.
        state: SectionState, Exact;
    }

    /// Filterable fields of [`Person`].
    ///
    /// ```
    /// use edlink_model::filter::people;
    /// assert_eq!(people::first_name().starts_with("z").to_json(), r#"{"first_name":[{"operator":"starts with","value":"z"}]}"#);
    /// ```
    people for Person {
        /// `id`: equals, in, not in.
        id: Uuid, Exact;
        /// `updated_date`: equals, gt, lt, gte, lte.
        updated_date: Timestamp, Range;
        /// `first_name`: equals, starts with, contains, in, not in, is known, is unknown.
        first_name: String, Text;
        /// `last_name`: equals, starts with, contains, in, not in, is known, is unknown.
        last_name: String, Text;
        /// `display_name`: equals, starts with, contains, in, not in, is known, is unknown.
        display_name: String, Text;
        /// `email`: equals, starts with, contains. Unverified by most sources.
        email: String, Match;
    }

    /// Filterable fields of [`Enrollment`].
    ///
    /// ```
    /// use edlink_model::filter::enrollments;
    /// assert_eq!(enrollments::role().is_unknown().to_json(), r#"{"role":[{"operator":"is unknown"}]}"#);
    /// ```
    enrollments for Enrollment {
        /// `id`: equals, in, not in.
        id: Uuid, Exact;
        /// `updated_date`: equals, gt, lt, gte, lte.
        updated_date: Timestamp, Range;
        /// `role`: equals, in, not in, is known, is unknown.
        role: Role, ExactOrKnown;
        /// `person_id`: equals, in, not in.
        person_id: Uuid, Exact;
        /// `class_id`: equals, in, not in.
        class_id: Uuid, Exact;
        /// `section_id`: equals, in, not in.
        section_id: Uuid, Exact;
    }

    /// Filterable fields of [`Agent`] (`observer_id` and `target_id` from the
    /// live docs).
    ///
    /// ```
    /// use edlink_model::filter::agents;
    /// let f = agents::target_id().equals(uuid::Uuid::nil());
    /// assert_eq!(f.to_json(), r#"{"target_id":[{"operator":"equals","value":"00000000-0000-0000-0000-000000000000"}]}"#);
    /// ```
    agents for Agent {
        /// `id`: equals, in, not in.
        id: Uuid, Exact;
        /// `observer_id`: equals, in, not in.
        observer_id: Uuid, Exact;
        /// `target_id`: equals, in, not in.
        target_id: Uuid, Exact;
    }

    /// Filterable fields of [`Event`]: the live docs say events can be
    /// filtered but list no field; use [`Filter::custom`](crate::Filter::custom).
    events for Event {}

    /// Filterable fields of [`License`]: the live docs say licenses can be
    /// filtered but list no field; use [`Filter::custom`](crate::Filter::custom).
    licenses for License {}
}
