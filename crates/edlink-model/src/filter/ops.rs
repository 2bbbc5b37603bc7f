//! The operator sets of filterable fields, as types: a [`Field`](super::Field)
//! has a method for an operator only when its set implements the matching
//! capability trait, so a filter the docs do not allow does not compile.
//!
//! The five sets are the five distinct lists on Edlink's model pages.

use super::Operator;

mod sealed {
    pub trait Sealed {}
}

/// An operator set: its operators, in the docs' order. Sealed.
///
/// ```
/// use edlink_model::filter::ops::{OperatorSet, Range};
/// use edlink_model::filter::Operator;
///
/// assert_eq!(Range::OPERATORS[1], Operator::Gt);
/// ```
pub trait OperatorSet: sealed::Sealed {
    /// The operators of the set.
    const OPERATORS: &'static [Operator];
}

/// Sets with `equals`. Sealed.
///
/// ```
/// use edlink_model::filter::ops::{SupportsEquals, Exact};
///
/// fn has<T: SupportsEquals>() {}
/// has::<Exact>();
/// ```
pub trait SupportsEquals: OperatorSet {}
/// Sets with `starts with`. Sealed.
///
/// ```
/// use edlink_model::filter::ops::{SupportsStartsWith, Text};
///
/// fn has<T: SupportsStartsWith>() {}
/// has::<Text>();
/// ```
pub trait SupportsStartsWith: OperatorSet {}
/// Sets with `contains`. Sealed.
///
/// ```
/// use edlink_model::filter::ops::{SupportsContains, Match};
///
/// fn has<T: SupportsContains>() {}
/// has::<Match>();
/// ```
pub trait SupportsContains: OperatorSet {}
/// Sets with `in` and `not in`. Sealed.
///
/// ```
/// use edlink_model::filter::ops::{SupportsIn, ExactOrKnown};
///
/// fn has<T: SupportsIn>() {}
/// has::<ExactOrKnown>();
/// ```
pub trait SupportsIn: OperatorSet {}
/// Sets with `is known` and `is unknown`. Sealed.
///
/// ```
/// use edlink_model::filter::ops::{SupportsKnown, Text};
///
/// fn has<T: SupportsKnown>() {}
/// has::<Text>();
/// ```
pub trait SupportsKnown: OperatorSet {}
/// Sets with `gt`, `gte`, `lt`, `lte`. Sealed.
///
/// ```
/// use edlink_model::filter::ops::{SupportsRange, Range};
///
/// fn has<T: SupportsRange>() {}
/// has::<Range>();
/// ```
pub trait SupportsRange: OperatorSet {}

macro_rules! operator_set {
    ($(#[$meta:meta])* $name:ident [$($op:ident),+] : $($cap:ident),+) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {}

        impl sealed::Sealed for $name {}

        impl OperatorSet for $name {
            const OPERATORS: &'static [Operator] = &[$(Operator::$op),+];
        }

        $( impl $cap for $name {} )+
    };
}

operator_set! {
    /// `equals`, `in`, `not in`: ids and state enums.
    ///
    /// ```
    /// use edlink_model::filter::ops::{Exact, OperatorSet};
    /// assert_eq!(Exact::OPERATORS.len(), 3);
    /// ```
    Exact [Equals, In, NotIn] : SupportsEquals, SupportsIn
}

operator_set! {
    /// `equals`, `in`, `not in`, `is known`, `is unknown`: a course's `code`,
    /// an enrollment's `role`.
    ///
    /// ```
    /// use edlink_model::filter::ops::{ExactOrKnown, OperatorSet};
    /// assert_eq!(ExactOrKnown::OPERATORS.len(), 5);
    /// ```
    ExactOrKnown [Equals, In, NotIn, IsKnown, IsUnknown] : SupportsEquals, SupportsIn, SupportsKnown
}

operator_set! {
    /// `equals`, `starts with`, `contains`, `in`, `not in`, `is known`,
    /// `is unknown`: names.
    ///
    /// ```
    /// use edlink_model::filter::ops::{OperatorSet, Text};
    /// assert_eq!(Text::OPERATORS.len(), 7);
    /// ```
    Text [Equals, StartsWith, Contains, In, NotIn, IsKnown, IsUnknown] :
        SupportsEquals, SupportsStartsWith, SupportsContains, SupportsIn, SupportsKnown
}

operator_set! {
    /// `equals`, `starts with`, `contains`: a person's `email`.
    ///
    /// ```
    /// use edlink_model::filter::ops::{Match, OperatorSet};
    /// assert_eq!(Match::OPERATORS.len(), 3);
    /// ```
    Match [Equals, StartsWith, Contains] : SupportsEquals, SupportsStartsWith, SupportsContains
}

operator_set! {
    /// `equals`, `gt`, `lt`, `gte`, `lte`: dates.
    ///
    /// ```
    /// use edlink_model::filter::ops::{OperatorSet, Range};
    /// assert_eq!(Range::OPERATORS.len(), 5);
    /// ```
    Range [Equals, Gt, Lt, Gte, Lte] : SupportsEquals, SupportsRange
}
