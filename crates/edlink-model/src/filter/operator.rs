//! [`Operator`]: the `operator` strings of Edlink's `$filter` grammar.

use crate::string_enum::string_enum;

string_enum! {
    /// A `$filter` operator, written exactly as Edlink spells it (note the
    /// spaces in `starts with`, `not in`, `is known`, `is unknown`). An
    /// operator the docs do not list yet is kept in `Unknown`, for
    /// [`Filter::custom`](crate::Filter::custom).
    ///
    /// ```
    /// use edlink_model::filter::Operator;
    ///
    /// assert_eq!(Operator::StartsWith.as_str(), "starts with");
    /// assert_eq!(Operator::from("not in"), Operator::NotIn);
    /// assert!(!Operator::IsKnown.takes_value());
    /// ```
    pub enum Operator {
        /// `equals`: exact, case sensitive.
        Equals = "equals",
        /// `starts with`: case insensitive.
        StartsWith = "starts with",
        /// `contains`: case insensitive.
        Contains = "contains",
        /// `in`: equals one of a comma-separated list, case sensitive.
        In = "in",
        /// `not in`: equals none of a comma-separated list, case sensitive.
        NotIn = "not in",
        /// `is known`: not null; takes no value.
        IsKnown = "is known",
        /// `is unknown`: null; takes no value.
        IsUnknown = "is unknown",
        /// `gt`: greater than.
        Gt = "gt",
        /// `gte`: greater than or equal.
        Gte = "gte",
        /// `lt`: less than.
        Lt = "lt",
        /// `lte`: less than or equal.
        Lte = "lte",
    }
}

impl Operator {
    /// Every documented operator, in the order of Edlink's operator table.
    ///
    /// ```
    /// use edlink_model::filter::Operator;
    ///
    /// assert_eq!(Operator::ALL.len(), 11);
    /// assert!(Operator::ALL.iter().all(|op| !op.is_unknown()));
    /// ```
    pub const ALL: &'static [Operator] = &[
        Operator::Equals,
        Operator::StartsWith,
        Operator::Contains,
        Operator::In,
        Operator::NotIn,
        Operator::IsKnown,
        Operator::IsUnknown,
        Operator::Gt,
        Operator::Gte,
        Operator::Lt,
        Operator::Lte,
    ];

    /// Whether a condition with this operator carries a `value` key: every
    /// operator but `is known` and `is unknown` (an unknown operator is
    /// assumed to take one).
    ///
    /// ```
    /// use edlink_model::filter::Operator;
    ///
    /// assert!(Operator::In.takes_value());
    /// assert!(!Operator::IsUnknown.takes_value());
    /// ```
    pub fn takes_value(&self) -> bool {
        !matches!(self, Self::IsKnown | Self::IsUnknown)
    }

    /// Whether the value is a comma-separated list (`in`, `not in`).
    ///
    /// ```
    /// use edlink_model::filter::Operator;
    ///
    /// assert!(Operator::NotIn.takes_list());
    /// assert!(!Operator::Equals.takes_list());
    /// ```
    pub fn takes_list(&self) -> bool {
        matches!(self, Self::In | Self::NotIn)
    }
}
