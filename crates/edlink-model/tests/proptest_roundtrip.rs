//! Arbitrary integrations (each field present, `null` or missing; known and
//! unknown enum values; dates in any offset and precision; random extra keys
//! at every level) decode and write back as the JSON that came in.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::first_difference;
use edlink_model::{Integration, IntegrationProvider, IntegrationSource, Team};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use time::{OffsetDateTime, UtcOffset};

fn uuid() -> BoxedStrategy<Value> {
    any::<u128>()
        .prop_map(|n| json!(uuid::Uuid::from_u128(n).to_string()))
        .boxed()
}

/// A date-time in any RFC 3339 form whose UTC instant is in 0000..=9999.
fn date() -> BoxedStrategy<Value> {
    (
        -62_167_219_200i64 + 86_400..253_402_300_799 - 86_400,
        0u32..1_000_000_000,
        0usize..=9,
        prop_oneof![Just(0i32), -1439i32..=1439],
        any::<(bool, bool)>(),
    )
        .prop_map(|(secs, nanos, digits, offset_min, (lower, zulu))| {
            let utc = OffsetDateTime::from_unix_timestamp(secs).unwrap();
            let offset = UtcOffset::from_whole_seconds(offset_min * 60).unwrap();
            let t = utc.to_offset(offset);
            let mut s = format!(
                "{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                if lower { 't' } else { 'T' },
                t.hour(),
                t.minute(),
                t.second()
            );
            if digits > 0 {
                let frac = format!("{nanos:09}");
                s.push('.');
                s.push_str(&frac[..digits]);
            }
            if offset_min == 0 && zulu {
                s.push(if lower { 'z' } else { 'Z' });
            } else {
                let m = offset_min.abs();
                s.push_str(&format!(
                    "{}{:02}:{:02}",
                    if offset_min < 0 { '-' } else { '+' },
                    m / 60,
                    m % 60
                ));
            }
            json!(s)
        })
        .boxed()
}

fn enum_value(known: &'static [&'static str]) -> BoxedStrategy<Value> {
    prop_oneof![
        prop::sample::select(known).prop_map(|s| json!(s)),
        "[a-zA-Z_-]{0,12}".prop_map(|s| json!(s)),
    ]
    .boxed()
}

/// Any string of up to `max` chars, control characters and astral planes
/// included (cheaper than a regex strategy).
fn string(max: usize) -> impl Strategy<Value = String> + Clone {
    prop::collection::vec(any::<char>(), 0..=max).prop_map(String::from_iter)
}

fn text() -> BoxedStrategy<Value> {
    string(16).prop_map(|s| json!(s)).boxed()
}

fn boolean() -> BoxedStrategy<Value> {
    any::<bool>().prop_map(|b| json!(b)).boxed()
}

fn seconds() -> BoxedStrategy<Value> {
    any::<u64>().prop_map(|n| json!(n)).boxed()
}

fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Only floats serde_json itself reads back exactly: without its
        // `float_roundtrip` feature, it may change the last digit of extreme
        // exponents (in `Value` too; nothing this crate decides).
        prop::num::f64::NORMAL
            .prop_filter("serde_json reads it back exactly", |f| {
                serde_json::from_str::<f64>(&serde_json::to_string(f).unwrap()).ok() == Some(*f)
            })
            .prop_map(Value::from),
        string(8).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(string(6), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// An object with each known field missing, `null` or a value, plus up to
/// four unknown keys (never a known name).
fn object(
    fields: Vec<(&'static str, BoxedStrategy<Value>)>,
    known: &'static [&'static str],
) -> BoxedStrategy<Value> {
    let per_field: Vec<BoxedStrategy<Option<(&'static str, Value)>>> = fields
        .into_iter()
        .map(|(name, value)| {
            prop_oneof![
                1 => Just(None),
                1 => Just(Some((name, Value::Null))),
                3 => value.prop_map(move |v| Some((name, v))),
            ]
            .boxed()
        })
        .collect();
    let key = prop_oneof!["[a-z_$]{1,10}", string(6)];
    let extra = prop::collection::btree_map(key, any_json(), 0..4);
    (per_field, extra)
        .prop_map(move |(fields, extra)| {
            let mut m = Map::new();
            for (k, v) in extra {
                if !known.contains(&k.as_str()) {
                    m.insert(k, v);
                }
            }
            for (k, v) in fields.into_iter().flatten() {
                m.insert(k.to_owned(), v);
            }
            Value::Object(m)
        })
        .boxed()
}

fn source() -> BoxedStrategy<Value> {
    let fields = vec![
        ("id", uuid()),
        (
            "status",
            enum_value(&["inactive", "active", "error", "disabled", "destroyed"]),
        ),
        ("name", text()),
        ("created_date", date()),
        ("updated_date", date()),
        ("import_interval", seconds()),
        ("log_retention_time", seconds()),
    ];
    object(fields, IntegrationSource::FIELDS)
}

fn provider() -> BoxedStrategy<Value> {
    let fields = vec![
        ("id", uuid()),
        ("name", text()),
        ("application", text()),
        ("allows_data_sync", boolean()),
    ];
    object(fields, IntegrationProvider::FIELDS)
}

fn team() -> BoxedStrategy<Value> {
    let mut fields = vec![
        ("id", uuid()),
        ("type", enum_value(&["district", "developer"])),
    ];
    for name in [
        "name",
        "alias",
        "street_address",
        "unit_number",
        "city",
        "state",
        "zip",
        "country",
    ] {
        fields.push((name, text()));
    }
    fields.push(("created_date", date()));
    fields.push(("updated_date", date()));
    object(fields, Team::FIELDS)
}

const STATUSES: &[&str] = &[
    "inactive",
    "active",
    "requested",
    "disabled",
    "error",
    "paused",
    "scheduled",
    "pending",
];
const SCOPES: &[&str] = &["all", "selected", "rules", "limited"];

fn integration() -> BoxedStrategy<Value> {
    let fields = vec![
        ("status", enum_value(STATUSES)),
        ("state", enum_value(STATUSES)),
        ("scope", enum_value(SCOPES)),
        ("district_sharing", enum_value(SCOPES)),
        ("developer_sharing", enum_value(SCOPES)),
        ("district_licensing_enabled", boolean()),
        ("created_date", date()),
        ("updated_date", date()),
        ("start_date", date()),
        ("end_date", date()),
        (
            "permissions",
            prop::collection::vec(uuid(), 0..4)
                .prop_map(Value::Array)
                .boxed(),
        ),
        (
            "targets",
            prop::collection::vec(uuid(), 0..4)
                .prop_map(Value::Array)
                .boxed(),
        ),
        (
            "access_token",
            "[A-Za-z0-9]{0,40}".prop_map(Value::from).boxed(),
        ),
        ("source", source()),
        ("provider", provider()),
        ("team", team()),
        ("entity", any_json()),
        ("application", any_json()),
        ("application_id", uuid()),
        ("source_id", uuid()),
        ("destination_id", uuid()),
        ("region_id", uuid()),
        ("locked", boolean()),
        ("configuration", any_json()),
    ];
    (uuid(), object(fields, Integration::FIELDS))
        .prop_map(|(id, mut v)| {
            v["id"] = id;
            v
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_integrations_round_trip(input in integration()) {
        let text = serde_json::to_string(&input).unwrap();
        let decoded: Integration = serde_json::from_str(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        let output = serde_json::to_value(&decoded).unwrap();
        if let Some(d) = first_difference(&input, &output) {
            return Err(TestCaseError::fail(format!("{d}\ninput: {text}")));
        }
        // Writing back and reading again gives the same value.
        let again: Integration = serde_json::from_value(output).unwrap();
        prop_assert_eq!(again, decoded);
    }

    #[test]
    fn every_optional_field_keeps_null_apart_from_missing(input in integration()) {
        let decoded: Integration = serde_json::from_value(input.clone()).unwrap();
        for key in Integration::FIELDS.iter().filter(|k| **k != "id") {
            prop_assert_eq!(decoded.is_null(key), input.get(*key) == Some(&Value::Null), "{}", key);
        }
    }
}
