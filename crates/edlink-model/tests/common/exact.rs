//! The strict round-trip comparison: what the crate README promises, checked
//! on the JSON text itself (not on `serde_json::Value`, which would hide
//! re-ordered keys and changed digits).
//!
//! - Every member comes back, and nothing else; `null` differs from missing.
//! - Under a key the model does not know (at any depth), and under a known
//!   key whose value the model keeps as JSON text (`RawJson`), the value comes
//!   back byte for byte, and unknown members keep their relative order.
//! - Known values come back equal: strings equal once unescaped, numbers
//!   digit for digit, ids in lowercase, dates as Edlink writes them (the
//!   same instant in UTC with `Z` and at least millisecond precision).

use std::collections::HashSet;

use edlink_model::auth::TokenResponse;
use edlink_model::{
    Address, Agent, Class, Course, Demographics, District, Enrollment, Event, Identifier,
    Integration, IntegrationProvider, IntegrationSource, License, Permission, Person, Product,
    Provider, School, Section, Session, Source, Team, Timestamp,
};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// Every key some model type knows, plus the envelope's.
pub fn known_keys() -> HashSet<&'static str> {
    let types: [&[&'static str]; 23] = [
        Integration::FIELDS,
        IntegrationSource::FIELDS,
        IntegrationProvider::FIELDS,
        Team::FIELDS,
        Provider::FIELDS,
        Permission::FIELDS,
        District::FIELDS,
        School::FIELDS,
        Session::FIELDS,
        Course::FIELDS,
        Class::FIELDS,
        Section::FIELDS,
        Person::FIELDS,
        Enrollment::FIELDS,
        Agent::FIELDS,
        License::FIELDS,
        Event::FIELDS,
        Product::FIELDS,
        Address::FIELDS,
        Identifier::FIELDS,
        Demographics::FIELDS,
        TokenResponse::FIELDS,
        Source::FIELDS,
    ];
    let envelope = [
        "$data",
        "$next",
        "$request",
        "$warnings",
        "$errors",
        "code",
        "message",
    ];
    types
        .into_iter()
        .flatten()
        .copied()
        .chain(envelope)
        .collect()
}

/// Known keys whose value the model keeps as exact JSON text.
const RAW_FIELDS: [&str; 5] = [
    "entity",
    "application",
    "configuration",
    "properties",
    "data",
];

/// `None` when `output` keeps every promise about `input`, else a message
/// naming the first JSON path where it does not.
pub fn exact_difference(input: &str, output: &str) -> Option<String> {
    let known = known_keys();
    compare(input, output, "$", &known, false)
}

enum Node<'a> {
    Object(Vec<(String, &'a RawValue)>),
    Array(Vec<&'a RawValue>),
    Scalar(&'a str),
}

fn node(text: &str) -> Node<'_> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(text);
        Node::Object(de.deserialize_map(Members).unwrap())
    } else if trimmed.starts_with('[') {
        Node::Array(serde_json::from_str(text).unwrap())
    } else {
        Node::Scalar(text.trim())
    }
}

struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Vec<(String, &'de RawValue)>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            out.push((key, map.next_value::<&RawValue>()?));
        }
        Ok(out)
    }
}

fn child(path: &str, key: &str) -> String {
    if path == "$" && key.starts_with('$') {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn compare(
    input: &str,
    output: &str,
    path: &str,
    known: &HashSet<&str>,
    exact: bool,
) -> Option<String> {
    if exact {
        return (input.trim() != output.trim()).then(|| {
            format!("{path}: kept as text, so it must come back byte for byte: input {input}, output {output}")
        });
    }
    match (node(input), node(output)) {
        (Node::Object(i), Node::Object(o)) => {
            for (key, value) in &i {
                let p = child(path, key);
                let Some((_, out)) = o.iter().rev().find(|(k, _)| k == key) else {
                    return Some(format!(
                        "{p}: missing in the output (input had {})",
                        value.get()
                    ));
                };
                // Duplicate input keys: the last one is the value.
                if i.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.get()) != Some(value.get())
                {
                    continue;
                }
                let exact = !known.contains(key.as_str()) || RAW_FIELDS.contains(&key.as_str());
                if let Some(d) = compare(value.get(), out.get(), &p, known, exact) {
                    return Some(d);
                }
            }
            if let Some((key, value)) = o.iter().find(|(k, _)| !i.iter().any(|(ik, _)| ik == k)) {
                return Some(format!(
                    "{}: in the output but not in the input ({})",
                    child(path, key),
                    value.get()
                ));
            }
            let (a, b) = (unknown_order(&i, known), unknown_order(&o, known));
            (a != b)
                .then(|| format!("{path}: unknown members re-ordered: input {a:?}, output {b:?}"))
        }
        (Node::Array(i), Node::Array(o)) => {
            if i.len() != o.len() {
                return Some(format!(
                    "{path}: {} items in the input, {} in the output",
                    i.len(),
                    o.len()
                ));
            }
            i.iter().zip(&o).enumerate().find_map(|(n, (a, b))| {
                compare(a.get(), b.get(), &format!("{path}[{n}]"), known, false)
            })
        }
        (Node::Scalar(a), Node::Scalar(b)) => {
            same_scalar(a, b).not_then(|| format!("{path}: input {a}, output {b}"))
        }
        _ => Some(format!("{path}: input {input}, output {output}")),
    }
}

/// The unknown keys of an object, in order, each once.
fn unknown_order(members: &[(String, &RawValue)], known: &HashSet<&str>) -> Vec<String> {
    let mut seen = HashSet::new();
    members
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| !known.contains(k.as_str()) && seen.insert(k.clone()))
        .collect()
}

trait NotThen {
    fn not_then(self, f: impl FnOnce() -> String) -> Option<String>;
}

impl NotThen for bool {
    fn not_then(self, f: impl FnOnce() -> String) -> Option<String> {
        (!self).then(f)
    }
}

fn same_scalar(input: &str, output: &str) -> bool {
    if input == output {
        return true;
    }
    let (Ok(a), Ok(b)) = (
        serde_json::from_str::<String>(input),
        serde_json::from_str::<String>(output),
    ) else {
        // Numbers and literals: digit for digit.
        return false;
    };
    a == b
        || a.parse::<Timestamp>().is_ok_and(|t| t.to_string() == b)
        || a.len() == 36 && a.to_ascii_lowercase() == b
}
