//! Typed `$filter`s: the tables match the docs, the typed methods match the
//! tables, text and JSON parsing check fields, operators and values, and the
//! encoding follows the grammar.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use edlink_model::filter::{
    FieldSpec, Filter, FilterError, Filterable, Operator, classes, courses, enrollments, people,
    sections, sessions,
};
use edlink_model::{
    Agent, Class, ClassState, Course, District, Enrollment, Event, License, Person, Role, School,
    Section, Session, Timestamp,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

const ID: &str = "equals,in,not in";
const DATE: &str = "equals,gt,lt,gte,lte";
const TEXT: &str = "equals,starts with,contains,in,not in,is known,is unknown";
const CODE: &str = "equals,in,not in,is known,is unknown";
const EMAIL: &str = "equals,starts with,contains";

fn table<R: Filterable>() -> Vec<(String, String)> {
    R::FILTER_FIELDS
        .iter()
        .map(|f: &FieldSpec| (f.name.to_owned(), f.operator_names().join(",")))
        .collect()
}

fn expect(rows: &[(&str, &str)]) -> Vec<(String, String)> {
    rows.iter()
        .map(|(f, o)| ((*f).to_owned(), (*o).to_owned()))
        .collect()
}

/// The "$filter operators" of each model page (edlink-graph.md §1, the
/// agents' ids from the live page), copied by hand: the tables must say
/// exactly that.
#[test]
fn the_tables_are_the_documented_fields_and_operators() {
    assert_eq!(table::<District>(), expect(&[]));
    assert_eq!(
        table::<School>(),
        expect(&[("id", ID), ("updated_date", DATE), ("name", TEXT)])
    );
    assert_eq!(
        table::<Session>(),
        expect(&[
            ("id", ID),
            ("updated_date", DATE),
            ("name", TEXT),
            ("start_date", DATE),
            ("end_date", DATE),
        ])
    );
    assert_eq!(
        table::<Course>(),
        expect(&[
            ("id", ID),
            ("updated_date", DATE),
            ("code", CODE),
            ("school_id", ID)
        ])
    );
    assert_eq!(
        table::<Class>(),
        expect(&[
            ("id", ID),
            ("updated_date", DATE),
            ("name", TEXT),
            ("state", ID)
        ])
    );
    assert_eq!(
        table::<Section>(),
        expect(&[
            ("id", ID),
            ("updated_date", DATE),
            ("name", TEXT),
            ("state", ID)
        ])
    );
    assert_eq!(
        table::<Person>(),
        expect(&[
            ("id", ID),
            ("updated_date", DATE),
            ("first_name", TEXT),
            ("last_name", TEXT),
            ("display_name", TEXT),
            ("email", EMAIL),
        ])
    );
    assert_eq!(
        table::<Enrollment>(),
        expect(&[
            ("id", ID),
            ("updated_date", DATE),
            ("role", CODE),
            ("person_id", ID),
            ("class_id", ID),
            ("section_id", ID),
        ])
    );
    assert_eq!(
        table::<Agent>(),
        expect(&[("id", ID), ("observer_id", ID), ("target_id", ID)])
    );
    assert_eq!(table::<Event>(), expect(&[]));
    assert_eq!(table::<License>(), expect(&[]));
}

fn operators<R>(filters: Vec<Filter<R>>) -> String {
    let joined = filters
        .into_iter()
        .fold(Filter::new(), |acc: Filter<R>, f| acc.and(f));
    let (_, conditions) = joined.fields().next().unwrap();
    conditions
        .iter()
        .map(|c| c.operator().as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Each operator set's typed methods give exactly the operators of its table
/// entry (the compile_fail doc tests prove there are no others).
#[test]
fn the_typed_methods_are_the_table_operators() {
    let t: Timestamp = "2021-07-13T17:45:40.486Z".parse().unwrap();
    let id = Uuid::from_u128(1);
    let f = people::id();
    assert_eq!(
        operators(vec![
            f.equals(id),
            f.is_in([id]).unwrap(),
            f.not_in([id]).unwrap()
        ]),
        ID
    );
    let f = people::updated_date();
    assert_eq!(
        operators(vec![f.equals(t), f.gt(t), f.lt(t), f.gte(t), f.lte(t)]),
        DATE
    );
    let f = people::first_name();
    assert_eq!(
        operators(vec![
            f.equals("a"),
            f.starts_with("a"),
            f.contains("a"),
            f.is_in(["a"]).unwrap(),
            f.not_in(["a"]).unwrap(),
            f.is_known(),
            f.is_unknown(),
        ]),
        TEXT
    );
    let f = courses::code();
    assert_eq!(
        operators(vec![
            f.equals("a"),
            f.is_in(["a"]).unwrap(),
            f.not_in(["a"]).unwrap(),
            f.is_known(),
            f.is_unknown(),
        ]),
        CODE
    );
    let f = people::email();
    assert_eq!(
        operators(vec![f.equals("a"), f.starts_with("a"), f.contains("a")]),
        EMAIL
    );
}

#[test]
fn typed_values_are_written_in_edlinks_form() {
    let t: Timestamp = "2021-07-13T10:45:40-07:00".parse().unwrap();
    assert_eq!(
        sessions::start_date().gt(t).to_json(),
        r#"{"start_date":[{"operator":"gt","value":"2021-07-13T17:45:40.000Z"}]}"#
    );
    let id = Uuid::parse_str("77A69705-41A7-49CB-0FE8-FFD425F9716F").unwrap();
    assert_eq!(
        enrollments::class_id().equals(id).to_json(),
        r#"{"class_id":[{"operator":"equals","value":"77a69705-41a7-49cb-0fe8-ffd425f9716f"}]}"#
    );
    assert_eq!(
        sections::state()
            .not_in([edlink_model::SectionState::Archived, "custom".into()])
            .unwrap()
            .to_json(),
        r#"{"state":[{"operator":"not in","value":"archived,custom"}]}"#
    );
}

#[test]
fn lists_that_cannot_be_expressed_are_refused_before_any_request() {
    let err = people::last_name()
        .is_in(["Doe", "Smith, Jr."])
        .unwrap_err();
    assert_eq!(
        err,
        FilterError::CommaInValue {
            field: "last_name".into(),
            operator: "in".into(),
            value: "Smith, Jr.".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "`last_name in`: the value \"Smith, Jr.\" contains a comma, which `in` cannot express \
         (Edlink reads its values as one comma-separated string)"
    );
    let none: [&str; 0] = [];
    assert!(matches!(
        people::display_name().not_in(none),
        Err(FilterError::EmptyList { .. })
    ));
    assert!(matches!(
        people::display_name().is_in(["a", ""]),
        Err(FilterError::EmptyList { .. })
    ));
    // An unknown enum value with a comma is refused too.
    assert!(matches!(
        classes::state().is_in([ClassState::from("a,b")]),
        Err(FilterError::CommaInValue { .. })
    ));
    // JSON arrays go through the same check.
    let err = Filter::<Person>::from_json(
        r#"{"last_name":[{"operator":"in","value":["Doe","Smith, Jr."]}]}"#,
    )
    .unwrap_err();
    assert!(matches!(err, FilterError::CommaInValue { .. }), "{err}");
}

#[test]
fn combining_appends_to_a_field_and_keeps_field_order() {
    let f = people::email()
        .starts_with("sofia.")
        .and(people::first_name().equals("Sofia"))
        .and(people::email().contains("@example.com"));
    assert_eq!(
        f.to_json(),
        r#"{"email":[{"operator":"starts with","value":"sofia."},{"operator":"contains","value":"@example.com"}],"first_name":[{"operator":"equals","value":"Sofia"}]}"#
    );
    assert!(Filter::<Person>::new().and(Filter::new()).is_empty());
    assert_eq!(Filter::<Person>::new().to_json(), "{}");
}

fn percent_decode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap(),
            );
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_query_value_is_the_percent_encoded_minified_json() {
    let f = people::display_name()
        .starts_with("Zoë & co/?#+")
        .and(
            people::id()
                .is_in([Uuid::nil(), Uuid::from_u128(9)])
                .unwrap(),
        )
        .and(people::first_name().is_unknown());
    let q = f.to_query_value();
    assert!(
        q.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
        "{q}"
    );
    assert_eq!(percent_decode(&q), f.to_json());
    assert_eq!(f.to_query(), format!("$filter={q}"));
    // The documented shape: field -> [{operator, value?}], the `in` value one string.
    let v: Value = serde_json::from_str(&f.to_json()).unwrap();
    assert_eq!(
        v,
        json!({
            "display_name": [{"operator": "starts with", "value": "Zoë & co/?#+"}],
            "id": [{"operator": "in", "value": "00000000-0000-0000-0000-000000000000,00000000-0000-0000-0000-000000000009"}],
            "first_name": [{"operator": "is unknown"}],
        })
    );
}

#[test]
fn text_filters_parse_in_every_documented_form() {
    let json = |s: &str| Filter::<Person>::parse(s).unwrap().to_json();
    assert_eq!(
        json(r#"first_name starts with "So""#),
        r#"{"first_name":[{"operator":"starts with","value":"So"}]}"#
    );
    assert_eq!(
        json("  first_name   STARTS   With   So Fi  "),
        r#"{"first_name":[{"operator":"starts with","value":"So Fi"}]}"#
    );
    assert_eq!(
        json("last_name equals 'O\"Brien'"),
        r#"{"last_name":[{"operator":"equals","value":"O\"Brien"}]}"#
    );
    assert_eq!(
        json(r#"last_name equals "tab\there""#),
        r#"{"last_name":[{"operator":"equals","value":"tab\there"}]}"#
    );
    assert_eq!(
        json("display_name is known"),
        r#"{"display_name":[{"operator":"is known"}]}"#
    );
    assert_eq!(
        json("display_name in  Ann , Bo,Cy "),
        r#"{"display_name":[{"operator":"in","value":"Ann,Bo,Cy"}]}"#
    );
    assert_eq!(
        json(r#"display_name not in " Ann, Bo""#),
        r#"{"display_name":[{"operator":"not in","value":" Ann, Bo"}]}"#
    );
    assert_eq!(
        json("id in 77A69705-41A7-49CB-0FE8-FFD425F9716F, 00000000-0000-0000-0000-000000000000"),
        r#"{"id":[{"operator":"in","value":"77a69705-41a7-49cb-0fe8-ffd425f9716f,00000000-0000-0000-0000-000000000000"}]}"#
    );
    assert_eq!(
        json("updated_date gte 2021-07-13T17:45:40+00:00"),
        r#"{"updated_date":[{"operator":"gte","value":"2021-07-13T17:45:40.000Z"}]}"#
    );
    // An enum field takes any value (open enums), and keeps it as given.
    assert_eq!(
        Filter::<Enrollment>::parse("role equals proctor")
            .unwrap()
            .to_json(),
        r#"{"role":[{"operator":"equals","value":"proctor"}]}"#
    );
    assert_eq!(
        Filter::<Enrollment>::parse("role in student,teacher").unwrap(),
        enrollments::role()
            .is_in([Role::Student, Role::Teacher])
            .unwrap()
    );
}

#[test]
fn text_filters_are_refused_with_what_was_wrong_and_what_is_accepted() {
    let err = |s: &str| Filter::<Person>::parse(s).unwrap_err().to_string();
    assert_eq!(
        err("middle_name equals x"),
        "the person filter has no field `middle_name`; documented fields: id, updated_date, \
         first_name, last_name, display_name, email (Filter::custom sends any other)"
    );
    assert_eq!(
        err("email in a@x,b@x"),
        "`email` does not take the operator `in`; it takes: equals, starts with, contains"
    );
    assert_eq!(
        err("first_name between a"),
        "`first_name` does not take the operator `between`; it takes: equals, starts with, \
         contains, in, not in, is known, is unknown"
    );
    assert_eq!(
        err("first_name starts"),
        "`first_name` does not take the operator `starts`; it takes: equals, starts with, \
         contains, in, not in, is known, is unknown"
    );
    assert_eq!(
        err("first_name equals"),
        "`first_name equals` needs a value"
    );
    assert_eq!(
        err("first_name is known yes"),
        "`first_name is known` takes no value"
    );
    assert_eq!(
        err("id equals 42"),
        "`id`: \"42\" is not a UUID like 77a69705-41a7-49cb-0fe8-ffd425f9716f"
    );
    assert_eq!(
        err("updated_date gt 2021-13-01T00:00:00Z"),
        "`updated_date`: \"2021-13-01T00:00:00Z\" is not a date-time (the month is out of \
         range); expected e.g. 2021-07-13T17:45:40.486Z"
    );
    assert_eq!(
        err("id in a,,b"),
        "`id in` needs at least one value, and no empty one"
    );
    assert!(err("").starts_with("cannot read the filter \"\": it is empty;"));
    assert!(err("first_name").contains("no operator after `first_name`"));
    assert!(
        err(r#"first_name equals "open"#).contains("is not one double-quoted string"),
        "{}",
        err(r#"first_name equals "open"#)
    );
    assert!(err("first_name equals 'a'b'").contains("is not one single-quoted string"));
    assert_eq!(
        Filter::<District>::parse("name equals x")
            .unwrap_err()
            .to_string(),
        "the district filter has no field `name`: the docs list no filterable field for it \
         (Filter::custom sends any)"
    );
}

#[test]
fn json_filters_keep_order_join_duplicates_and_check_everything() {
    let f = Filter::<Person>::from_json(
        r#"{"email":[{"operator":"contains","value":"@x"}],"first_name":[{"operator":"is known","value":null}],"email":[{"operator":"equals","value":"a@x"}]}"#,
    )
    .unwrap();
    assert_eq!(
        f.to_json(),
        r#"{"email":[{"operator":"contains","value":"@x"},{"operator":"equals","value":"a@x"}],"first_name":[{"operator":"is known"}]}"#
    );
    let arrays = Filter::<Person>::from_json(
        r#"{"id":[{"operator":"not in","value":["00000000-0000-0000-0000-000000000001","00000000-0000-0000-0000-000000000002"]}]}"#,
    )
    .unwrap();
    assert_eq!(
        arrays,
        people::id()
            .not_in([Uuid::from_u128(1), Uuid::from_u128(2)])
            .unwrap()
    );

    let err = |s: &str| Filter::<Person>::from_json(s).unwrap_err().to_string();
    assert_eq!(
        err(r#"{"first_name":[{"operator":"equals","value":"a","negate":true}]}"#),
        "invalid $filter JSON at $.first_name[0].negate: unknown field `negate`, expected \
         `operator` or `value` at line 1 column 56"
    );
    assert_eq!(
        err(r#"{"first_name":{"operator":"equals"}}"#),
        "invalid $filter JSON at $.first_name: invalid type: map, expected a sequence at line 1 \
         column 14"
    );
    assert!(err("[]").starts_with(
        "invalid $filter JSON at $: invalid type: sequence, expected a $filter object"
    ));
    assert!(
        err("{} x")
            .starts_with("invalid $filter JSON at $: trailing characters at line 1 column 4")
    );
    assert!(err(r#"{"first_name":[{"value":"a"}]}"#).contains("missing field `operator`"));
    assert_eq!(
        err(r#"{"first_name":[{"operator":"equals","value":["a","b"]}]}"#),
        "`first_name`: \"a,b\" is a list, which only `in` and `not in` take; `equals` takes one \
         value"
    );
    assert_eq!(
        err(r#"{"updated_date":[{"operator":"contains","value":"2021"}]}"#),
        "`updated_date` does not take the operator `contains`; it takes: equals, gt, lt, gte, lte"
    );
    assert_eq!(
        err(r#"{"first_name":[{"operator":"starts with"}]}"#),
        "`first_name starts with` needs a value"
    );
}

#[test]
fn the_escape_hatch_writes_anything_as_given() {
    let f = Filter::<Class>::custom("school_id", Operator::Equals, Some("not checked"))
        .and(Filter::custom("subject_id", "between", Some("a,b,c")))
        .and(Filter::custom("school_id", "is known", None));
    assert_eq!(
        f.to_json(),
        r#"{"school_id":[{"operator":"equals","value":"not checked"},{"operator":"is known"}],"subject_id":[{"operator":"between","value":"a,b,c"}]}"#
    );
    // Typed and custom conditions combine on one field.
    let g = classes::state()
        .equals(ClassState::Active)
        .and(Filter::custom("state", "starts with", Some("act")));
    assert_eq!(g.fields().next().unwrap().1.len(), 2);
}

proptest! {
    /// Any text filter built from the table writes JSON that reads back as
    /// the same filter.
    #[test]
    fn json_round_trips(
        picks in prop::collection::vec((0usize..6, 0usize..7, "[^,]{1,12}"), 1..6),
    ) {
        let mut f = Filter::<Person>::new();
        for (field, op, value) in picks {
            let spec = &Person::FILTER_FIELDS[field];
            let operator = &spec.operators[op % spec.operators.len()];
            let value = match (spec.value, operator) {
                (_, Operator::IsKnown | Operator::IsUnknown) => None,
                (edlink_model::filter::ValueKind::Id, _) => Some(Uuid::from_u128(value.len() as u128).to_string()),
                (edlink_model::filter::ValueKind::Date, _) => Some("2021-07-13T17:45:40.486Z".to_owned()),
                _ => Some(value),
            };
            f = f.and(Filter::custom(spec.name, operator.clone(), value.as_deref()));
        }
        let back = Filter::<Person>::from_json(&f.to_json()).unwrap();
        prop_assert_eq!(back, f);
    }
}
