//! Helpers shared by the integration tests: the fixture list, the fixture
//! kinds, and a JSON comparison that names the first path where two documents
//! differ.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

pub mod exact;

use std::path::{Path, PathBuf};

use edlink_model::Timestamp;
use serde_json::Value;

/// The repository's `fixtures/` folder.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every `*.json` under `fixtures/`, recursively, sorted, as (path relative
/// to `fixtures/` with `/` separators, bytes).
pub fn all_fixtures() -> Vec<(String, Vec<u8>)> {
    let root = fixtures_dir();
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path.strip_prefix(&root).unwrap();
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no fixtures under {}", root.display());
    out
}

/// The hand-written fixtures: everything but `generated/`.
pub fn hand_written_fixtures() -> Vec<(String, Vec<u8>)> {
    all_fixtures()
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with("generated/"))
        .collect()
}

/// What a fixture holds, decided by its path (see docs/fixtures.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An error body: must decode to `ResponseError::Api`.
    Errors,
    Integrations,
    Providers,
    Permissions,
}

/// The kind of the fixture at `rel`: a body with `$errors` (or under an
/// `errors` folder) is an error; otherwise the first path component (or file
/// name) naming a resource decides; `warnings/` holds integration lists.
pub fn kind_of(rel: &str, body: &Value) -> Kind {
    let has_errors = body
        .get("$errors")
        .is_some_and(|e| e.as_array().is_some_and(|a| !a.is_empty()));
    let parts: Vec<&str> = rel.split('/').collect();
    if has_errors || parts.contains(&"errors") {
        return Kind::Errors;
    }
    for part in parts {
        let part = part.to_ascii_lowercase();
        if part.starts_with("integration") || part == "warnings" {
            return Kind::Integrations;
        } else if part.starts_with("provider") {
            return Kind::Providers;
        } else if part.starts_with("permission") {
            return Kind::Permissions;
        }
    }
    panic!(
        "fixtures/{rel}: no rule says what it holds; put it under a folder named \
         integrations/, providers/, permissions/ or errors/ (see docs/fixtures.md)"
    )
}

/// `None` when `actual` equals `expected`, else a message naming the first
/// JSON path (`$data[3].source.created_date`) where they differ. `null` and a
/// missing key are different. Two strings that are both RFC 3339 date-times
/// count as equal when `actual` is `Timestamp`'s canonical form of `expected`
/// (an offset date such as `+00:00` is written back in UTC with `Z`).
pub fn first_difference(expected: &Value, actual: &Value) -> Option<String> {
    diff(expected, actual, "$".to_owned())
}

fn diff(expected: &Value, actual: &Value, path: String) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = child(&path, k);
                match a.get(k) {
                    None => return Some(format!("{p}: missing in the output (input had {ev})")),
                    Some(av) => {
                        if let Some(d) = diff(ev, av, p) {
                            return Some(d);
                        }
                    }
                }
            }
            a.keys().find(|k| !e.contains_key(*k)).map(|k| {
                format!(
                    "{}: in the output but not in the input ({})",
                    child(&path, k),
                    a[k]
                )
            })
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Some(format!(
                    "{path}: {} items in the input, {} in the output",
                    e.len(),
                    a.len()
                ));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .find_map(|(i, (ev, av))| diff(ev, av, format!("{path}[{i}]")))
        }
        (Value::String(e), Value::String(a)) if e != a && same_instant(e, a) => None,
        _ if expected == actual => None,
        _ => Some(format!("{path}: input {expected}, output {actual}")),
    }
}

fn child(path: &str, key: &str) -> String {
    if path == "$" && key.starts_with('$') {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn same_instant(expected: &str, actual: &str) -> bool {
    match expected.parse::<Timestamp>() {
        Ok(t) => t.to_string() == actual,
        Err(_) => false,
    }
}
