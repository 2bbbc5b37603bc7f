//! `$filter`: parsing the JSON form (edlink-graph.md §4) and testing serialized objects.
//!
//! Semantics (docs/mock.md, "Filters"): several conditions on one field and several fields
//! all have to hold (AND). `equals`, `in` and `not in` compare exactly; `starts with` and
//! `contains` ignore case; `is known` means present and not `null`, `is unknown` missing or
//! `null`; `gt`/`gte`/`lt`/`lte` compare dates as instants (or numbers as numbers). On an
//! array field a condition holds when any element satisfies it, except `not in`, which holds
//! when no element is in the set. A `null` or missing value satisfies only `is unknown`.
//! Numbers and booleans compare by their JSON text (`"2030"`, `"true"`).

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::collection::Collection;
use crate::graph::raw;
use crate::graph::schema;

/// A parsed `$filter`: every term has to hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Filter {
    terms: Vec<(String, Vec<Cond>)>,
}

#[derive(Clone, Debug, PartialEq)]
enum Cond {
    Equals(String),
    /// Lowercased.
    StartsWith(String),
    /// Lowercased.
    Contains(String),
    In(Vec<String>),
    NotIn(Vec<String>),
    Known,
    Unknown,
    Compare(Cmp, Bound),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Bound {
    /// Nanoseconds since the Unix epoch.
    Instant(i128),
    Number(f64),
}

/// The operators, as Edlink spells them.
const OPERATORS: &str =
    "equals, starts with, contains, in, not in, is known, is unknown, gt, gte, lt, lte";

/// An instant from an RFC 3339 date-time, or a `YYYY-MM-DD` date (midnight UTC).
pub(crate) fn instant(text: &str) -> Option<i128> {
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t.unix_timestamp_nanos());
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, format)
        .ok()
        .map(|d| d.midnight().assume_utc().unix_timestamp_nanos())
}

fn list(value: &str) -> Vec<String> {
    value.split(',').map(str::to_owned).collect()
}

fn condition(field: &str, cond: &Value) -> Result<Cond, String> {
    let obj = cond.as_object().ok_or_else(|| {
        format!("each condition on `{field}` must be an object with `operator` and `value`")
    })?;
    let op = obj
        .get("operator")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("a condition on `{field}` has no string `operator`"))?;
    let value = || {
        obj.get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("the operator `{op}` on `{field}` needs a string `value`"))
    };
    let compare = |cmp: Cmp| -> Result<Cond, String> {
        let text = value()?;
        let bound = match (instant(text), text.parse::<f64>()) {
            (Some(t), _) => Bound::Instant(t),
            (None, Ok(n)) if n.is_finite() => Bound::Number(n),
            _ => {
                return Err(format!(
                    "`{op}` on `{field}` needs a date (e.g. 2021-07-13T17:45:40.486Z) or a number, not {text:?}"
                ));
            }
        };
        Ok(Cond::Compare(cmp, bound))
    };
    Ok(match op {
        "equals" => Cond::Equals(value()?.to_owned()),
        "starts with" => Cond::StartsWith(value()?.to_lowercase()),
        "contains" => Cond::Contains(value()?.to_lowercase()),
        "in" => Cond::In(list(value()?)),
        "not in" => Cond::NotIn(list(value()?)),
        "is known" => Cond::Known,
        "is unknown" => Cond::Unknown,
        "gt" => compare(Cmp::Gt)?,
        "gte" => compare(Cmp::Gte)?,
        "lt" => compare(Cmp::Lt)?,
        "lte" => compare(Cmp::Lte)?,
        other => {
            return Err(format!(
                "unknown operator `{other}` on `{field}` (the operators are: {OPERATORS})"
            ));
        }
    })
}

/// Parses the decoded `$filter` text for `collection`. `Err` says what is wrong.
pub(crate) fn parse(text: &str, collection: Collection) -> Result<Filter, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("it is not JSON ({e})"))?;
    let fields = value.as_object().ok_or(
        "it must be a JSON object of fields, e.g. {\"name\":[{\"operator\":\"equals\",\"value\":\"x\"}]}",
    )?;
    let mut terms = Vec::with_capacity(fields.len());
    for (field, conds) in fields {
        if !schema::has_field(collection, field) {
            return Err(format!("{} have no field `{field}`", collection.name()));
        }
        let conds = conds
            .as_array()
            .ok_or_else(|| format!("the conditions on `{field}` must be an array"))?
            .iter()
            .map(|c| condition(field, c))
            .collect::<Result<Vec<_>, _>>()?;
        terms.push((field.clone(), conds));
    }
    Ok(Filter { terms })
}

/// The text of a scalar element (`None` for `null`, objects and arrays).
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn compare(cmp: Cmp, element: &Value, bound: Bound) -> bool {
    let ordering = match (bound, element) {
        (Bound::Instant(b), Value::String(s)) => instant(s).map(|t| t.cmp(&b)),
        (Bound::Number(b), Value::Number(n)) => n.as_f64().and_then(|x| x.partial_cmp(&b)),
        _ => None,
    };
    ordering.is_some_and(|o| match cmp {
        Cmp::Gt => o.is_gt(),
        Cmp::Gte => o.is_ge(),
        Cmp::Lt => o.is_lt(),
        Cmp::Lte => o.is_le(),
    })
}

impl Cond {
    /// Whether `value` (`None`: the member is missing) satisfies the condition.
    fn holds(&self, value: Option<&Value>) -> bool {
        let value = value.filter(|v| !v.is_null());
        let Some(value) = value else {
            return matches!(self, Cond::Unknown);
        };
        let elements: &[Value] = match value {
            Value::Array(items) => items,
            single => std::slice::from_ref(single),
        };
        let any = |f: &dyn Fn(&Value) -> bool| elements.iter().any(f);
        let any_text = |f: &dyn Fn(&str) -> bool| any(&|e| text(e).is_some_and(|t| f(&t)));
        match self {
            Cond::Known => true,
            Cond::Unknown => false,
            Cond::Equals(v) => any_text(&|t| t == v),
            Cond::StartsWith(v) => any_text(&|t| t.to_lowercase().starts_with(v.as_str())),
            Cond::Contains(v) => any_text(&|t| t.to_lowercase().contains(v.as_str())),
            Cond::In(set) => any_text(&|t| set.iter().any(|s| s == t)),
            Cond::NotIn(set) => !any_text(&|t| set.iter().any(|s| s == t)),
            Cond::Compare(cmp, bound) => any(&|e| compare(*cmp, e, *bound)),
        }
    }
}

impl Filter {
    /// Whether the filter has no terms (every object matches).
    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether the serialized object `item` passes every term.
    pub(crate) fn matches(&self, item: &[u8]) -> bool {
        let Some(members) = raw::members(item) else {
            return false;
        };
        self.terms.iter().all(|(field, conds)| {
            let value: Option<Value> = members
                .get(field)
                .and_then(|v| serde_json::from_slice(v).ok());
            conds.iter().all(|c| c.holds(value.as_ref()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> Filter {
        match parse(text, Collection::People) {
            Ok(f) => f,
            Err(e) => panic!("{text}: {e}"),
        }
    }

    fn one(field: &str, op: &str, value: &str) -> Filter {
        f(&serde_json::json!({field: [{"operator": op, "value": value}]}).to_string())
    }

    const ANA: &[u8] = br#"{"id":"00000000-0000-0000-0000-000000000001","first_name":"Ana","middle_name":null,"roles":["student","staff"],"graduation_year":2030,"updated_date":"2024-03-01T10:00:00.000Z","school_ids":[]}"#;

    #[test]
    fn operators() {
        assert!(one("first_name", "equals", "Ana").matches(ANA));
        assert!(
            !one("first_name", "equals", "ana").matches(ANA),
            "case-sensitive"
        );
        assert!(one("first_name", "starts with", "aN").matches(ANA));
        assert!(one("first_name", "contains", "NA").matches(ANA));
        assert!(!one("first_name", "contains", "x").matches(ANA));
        assert!(one("first_name", "in", "Bo,Ana").matches(ANA));
        assert!(!one("first_name", "in", "Bo,ana").matches(ANA));
        assert!(one("first_name", "not in", "Bo,ana").matches(ANA));
        assert!(!one("first_name", "not in", "Ana").matches(ANA));
        // Arrays: any element; `not in`: none.
        assert!(one("roles", "equals", "staff").matches(ANA));
        assert!(one("roles", "in", "teacher,student").matches(ANA));
        assert!(!one("roles", "not in", "staff").matches(ANA));
        assert!(one("roles", "not in", "teacher").matches(ANA));
        // Numbers by their text, or compared as numbers.
        assert!(one("graduation_year", "equals", "2030").matches(ANA));
        assert!(one("graduation_year", "gte", "2030").matches(ANA));
        assert!(!one("graduation_year", "gt", "2030").matches(ANA));
        // Dates as instants, whatever their offset.
        assert!(one("updated_date", "gt", "2024-03-01T09:59:59.999Z").matches(ANA));
        assert!(one("updated_date", "lte", "2024-03-01T11:00:00+01:00").matches(ANA));
        assert!(!one("updated_date", "lt", "2024-03-01T11:00:00+01:00").matches(ANA));
        assert!(one("updated_date", "lt", "2024-03-02").matches(ANA));
        // Known / unknown: null and missing are unknown; an empty array is known.
        let known = |field: &str, op: &str| {
            f(&serde_json::json!({field: [{"operator": op}]}).to_string()).matches(ANA)
        };
        assert!(known("first_name", "is known"));
        assert!(known("middle_name", "is unknown"));
        assert!(known("email", "is unknown"), "missing");
        assert!(known("school_ids", "is known"));
        // null fails everything else, `not in` included.
        assert!(!one("middle_name", "not in", "x").matches(ANA));
        assert!(!one("email", "contains", "").matches(ANA));
    }

    #[test]
    fn terms_and_conditions_all_hold() {
        let both = f(
            r#"{"first_name":[{"operator":"starts with","value":"a"},{"operator":"contains","value":"z"}]}"#,
        );
        assert!(!both.matches(ANA));
        let two_fields = f(
            r#"{"first_name":[{"operator":"equals","value":"Ana"}],"roles":[{"operator":"equals","value":"teacher"}]}"#,
        );
        assert!(!two_fields.matches(ANA));
        assert!(f("{}").matches(ANA) && f("{}").is_empty());
        assert!(f(r#"{"first_name":[]}"#).matches(ANA));
    }

    #[test]
    fn bad_filters_say_what_is_wrong() {
        let err = |text: &str| parse(text, Collection::People).err().unwrap_or_default();
        assert!(err("nope").contains("not JSON"));
        assert!(err("[]").contains("JSON object"));
        assert!(err(r#"{"nope":[]}"#).contains("people have no field `nope`"));
        assert!(err(r#"{"first_name":{}}"#).contains("must be an array"));
        assert!(err(r#"{"first_name":["x"]}"#).contains("must be an object"));
        assert!(err(r#"{"first_name":[{"value":"x"}]}"#).contains("no string `operator`"));
        assert!(
            err(r#"{"first_name":[{"operator":"eq","value":"x"}]}"#)
                .contains("unknown operator `eq`")
        );
        assert!(
            err(r#"{"first_name":[{"operator":"equals"}]}"#).contains("needs a string `value`")
        );
        assert!(
            err(r#"{"roles":[{"operator":"in","value":["a","b"]}]}"#)
                .contains("needs a string `value`")
        );
        assert!(
            err(r#"{"updated_date":[{"operator":"gt","value":"soon"}]}"#).contains("needs a date")
        );
        assert!(parse(r#"{"name":[]}"#, Collection::Schools).is_ok());
        assert!(parse(r#"{"first_name":[]}"#, Collection::Schools).is_err());
    }
}
