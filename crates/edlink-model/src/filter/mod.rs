//! Typed `$filter`s for Graph API listings, sans IO.
//!
//! Edlink's `$filter` is a JSON object, minified and URL-encoded: for each
//! field, a list of `{"operator": …, "value": "<string>"}` conditions
//! (`in`/`not in` take one comma-separated string; `is known`/`is unknown`
//! take no `value`). A [`Filter<R>`](Filter) is one for listings of `R`:
//!
//! - typed, from the field functions of each resource's module
//!   ([`people`], [`classes`], …), which offer exactly the fields, operators
//!   and value types the docs list, so a filter the docs do not allow does not
//!   compile;
//! - at run time, from a CLI's text or JSON ([`Filter::parse`],
//!   [`Filter::from_json`]), checked against the same tables
//!   ([`Filterable::FILTER_FIELDS`]);
//! - for anything the docs do not list yet, [`Filter::custom`].
//!
//! ```
//! use edlink_model::filter::people;
//! use edlink_model::Timestamp;
//!
//! let since: Timestamp = "2021-07-13T17:45:40.486Z".parse()?;
//! let f = people::first_name().starts_with("So").and(people::updated_date().gte(since));
//! assert_eq!(
//!     f.to_json(),
//!     r#"{"first_name":[{"operator":"starts with","value":"So"}],"updated_date":[{"operator":"gte","value":"2021-07-13T17:45:40.486Z"}]}"#
//! );
//! assert!(f.to_query().starts_with("$filter=%7B%22first_name%22%3A"));
//! # Ok::<(), edlink_model::TimestampError>(())
//! ```

mod error;
mod field;
mod operator;
pub mod ops;
mod parse;
mod query;
mod resources;
mod value;

pub use error::FilterError;
pub use field::{Field, FieldSpec};
pub use operator::Operator;
pub use query::{Condition, Filter, Filterable};
pub use resources::{
    agents, classes, courses, districts, enrollments, events, licenses, people, schools, sections,
    sessions,
};
pub use value::{FilterValue, ValueKind};
