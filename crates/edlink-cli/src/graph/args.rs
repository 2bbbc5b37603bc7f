//! The options of Graph commands: a listing (filters, expansions, fields,
//! paging), a fetch, a nested listing; and the filter help of each resource.

use std::fmt::Write as _;

use clap::Args;
use edlink_client::model::filter::{Filter, FilterError, Filterable};
use uuid::Uuid;

use crate::args::{ListArgs, parse_uuid};
use crate::exit::Failure;

/// `$expand` and `$fields`, on listings and fetches.
#[derive(Debug, Args)]
#[command(next_help_heading = "Query options")]
pub struct QueryArgs {
    /// Add the related objects an id points at, beside it (repeatable or
    /// comma-separated), e.g. `schools` or `district` on people, `observer`
    /// on agents. Unknown names draw an INVALID_EXPANSION warning.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub expand: Vec<String>,

    /// Only these fields of each item (comma-separated); `id` and the
    /// expansions always come. A table then shows these columns.
    #[arg(long, value_name = "a,b", value_delimiter = ',')]
    pub fields: Option<Vec<String>>,
}

/// The options of a Graph listing.
#[derive(Debug, Args)]
#[command(next_help_heading = "Query options")]
pub struct GraphListArgs {
    /// Only the items where `FIELD OPERATOR \[VALUE\]` holds (repeatable:
    /// every one must hold), checked before any request.
    #[arg(
        long = "filter",
        value_name = "'FIELD OPERATOR [VALUE]'",
        help = "Only the items where FIELD OPERATOR [VALUE] holds, e.g. `first_name starts with \"So\"` \
                (repeatable: every one must hold). Checked against the resource's filterable fields \
                before any request"
    )]
    pub filters: Vec<String>,

    /// A `$filter` JSON object, e.g. `{"role":[{"operator":"in","value":"student,teacher"}]}`,
    /// checked like --filter and combined with them.
    #[arg(long, value_name = "JSON")]
    pub filter_json: Option<String>,

    /// `--expand` and `--fields`.
    #[command(flatten)]
    pub query: QueryArgs,

    /// Paging, `--limit` and `--count`, as for every listing.
    #[command(flatten)]
    pub paging: ListArgs,
}

impl GraphListArgs {
    /// Every `--filter` and the `--filter-json`, checked and combined (AND);
    /// a refused one is a usage error naming the flag and what was wrong.
    pub fn filter<R: Filterable>(&self) -> Result<Filter<R>, Failure> {
        let refused = |flag: String, err: FilterError| Failure::Usage(format!("{flag}: {err}"));
        let mut filter = Filter::new();
        for text in &self.filters {
            let one =
                Filter::parse(text).map_err(|err| refused(format!("--filter {text:?}"), err))?;
            filter = filter.and(one);
        }
        if let Some(json) = &self.filter_json {
            let one =
                Filter::from_json(json).map_err(|err| refused("--filter-json".into(), err))?;
            filter = filter.and(one);
        }
        Ok(filter)
    }
}

/// The options of a Graph fetch.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The id (8-4-4-4-12 hex digits).
    #[arg(value_name = "ID", value_parser = parse_uuid)]
    pub id: Uuid,

    /// `--expand` and `--fields`.
    #[command(flatten)]
    pub query: QueryArgs,
}

/// The options of a nested listing: the parent's id, then a listing's.
#[derive(Debug, Args)]
pub struct NestedArgs {
    /// The id of the parent object (8-4-4-4-12 hex digits).
    #[arg(value_name = "ID", value_parser = parse_uuid)]
    pub id: Uuid,

    /// The listing's options.
    #[command(flatten)]
    pub list: GraphListArgs,
}

/// The `--help` text after a listing's options: the fields `--filter` takes
/// for `R`, with their operators, from the model's table.
pub fn filter_help<R: Filterable>() -> String {
    let mut help = String::from("Filterable fields (--filter 'FIELD OPERATOR [VALUE]'):\n");
    if R::FILTER_FIELDS.is_empty() {
        help.push_str("  none documented\n");
    }
    for spec in R::FILTER_FIELDS {
        let _ = writeln!(
            help,
            "  {:<14} {}",
            spec.name,
            spec.operator_names().join(", ")
        );
    }
    help.push_str(
        "Values: bare text, \"double-quoted\" (JSON escapes) or 'single-quoted'; `in` and \
         `not in` take a comma-separated list; `is known` and `is unknown` take none; ids are \
         UUIDs, dates RFC 3339.",
    );
    help
}

#[cfg(test)]
mod tests {
    use super::*;
    use edlink_client::model::{District, Enrollment, Person};

    fn list(filters: &[&str], json: Option<&str>) -> GraphListArgs {
        GraphListArgs {
            filters: filters.iter().map(|f| (*f).to_owned()).collect(),
            filter_json: json.map(str::to_owned),
            query: QueryArgs {
                expand: Vec::new(),
                fields: None,
            },
            paging: ListArgs {
                first: None,
                last: None,
                after: None,
                before: None,
                limit: None,
                count: false,
            },
        }
    }

    fn usage(result: Result<Filter<Person>, Failure>) -> String {
        match result {
            Err(Failure::Usage(message)) => message,
            other => panic!("not a usage error: {other:?}"),
        }
    }

    #[test]
    fn filters_and_json_combine() {
        let args = list(
            &[
                "first_name starts with \"So\"",
                "email contains @example.com",
            ],
            Some(r#"{"first_name":[{"operator":"is known"}]}"#),
        );
        let Ok(filter) = args.filter::<Person>() else {
            panic!("valid filters")
        };
        assert_eq!(
            filter.to_json(),
            r#"{"first_name":[{"operator":"starts with","value":"So"},{"operator":"is known"}],"email":[{"operator":"contains","value":"@example.com"}]}"#
        );
        assert!(
            list(&[], None)
                .filter::<Person>()
                .is_ok_and(|f| f.is_empty())
        );
    }

    #[test]
    fn refused_filters_name_the_flag_and_the_reason() {
        let message = usage(list(&["shoe_size equals 9"], None).filter());
        assert!(
            message.starts_with("--filter \"shoe_size equals 9\": "),
            "{message}"
        );
        assert!(message.contains("no field `shoe_size`"), "{message}");
        let message = usage(list(&["updated_date contains 2021"], None).filter());
        assert!(
            message.contains("does not take the operator `contains`"),
            "{message}"
        );
        let message = usage(list(&["id equals 12"], None).filter());
        assert!(message.contains("`id`"), "{message}");
        let message = usage(
            list(
                &[],
                Some(r#"{"first_name":[{"operator":"in","value":["a,b"]}]}"#),
            )
            .filter(),
        );
        assert!(message.starts_with("--filter-json: "), "{message}");
        assert!(message.contains("comma"), "{message}");
        let message = usage(list(&[], Some("{")).filter());
        assert!(message.contains("invalid $filter JSON"), "{message}");
    }

    #[test]
    fn the_help_lists_each_field_and_its_operators() {
        let help = filter_help::<Enrollment>();
        assert!(
            help.contains("  role           equals, in, not in, is known, is unknown\n"),
            "{help}"
        );
        assert!(
            help.contains("  person_id      equals, in, not in\n"),
            "{help}"
        );
        assert!(filter_help::<District>().contains("none documented"));
    }
}
