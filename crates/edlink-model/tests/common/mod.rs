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
    /// A v2 response (or a bare v2 object) whose `$data` is this model.
    Graph(Graph),
    /// A `$filter` JSON object for listings of this model.
    Filter(Graph),
    /// The token endpoint's answer (`$data` is a `TokenResponse`).
    Token,
    /// A v2 source (`/api/v2/my/source`).
    Source,
}

/// The v2 Graph API models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Graph {
    Districts,
    Schools,
    Sessions,
    Courses,
    Classes,
    Sections,
    People,
    Enrollments,
    Agents,
    Licenses,
    Events,
}

/// The model a word of a v2 fixture path names: a resource's plural (or
/// singular), or a listing of people (`profile`, `teachers`, …).
pub fn graph_word(word: &str) -> Option<Graph> {
    Some(match word {
        "districts" | "district" => Graph::Districts,
        "schools" | "school" => Graph::Schools,
        "sessions" | "session" => Graph::Sessions,
        "courses" | "course" => Graph::Courses,
        "classes" | "class" => Graph::Classes,
        "sections" | "section" => Graph::Sections,
        "people" | "person" | "profile" | "administrators" | "teachers" | "students" => {
            Graph::People
        }
        "enrollments" | "enrollment" => Graph::Enrollments,
        "agents" | "agent" => Graph::Agents,
        "licenses" | "license" => Graph::Licenses,
        "events" | "event" => Graph::Events,
        _ => return None,
    })
}

/// The kind a word of a v2 fixture path names: a Graph model, or one of the
/// other v2 bodies (the token endpoint's answer, `/my/source`,
/// `/my/integration`).
pub fn v2_word(word: &str) -> Option<Kind> {
    if let Some(graph) = graph_word(word) {
        return Some(Kind::Graph(graph));
    }
    Some(match word {
        "token" | "tokens" => Kind::Token,
        "source" | "sources" => Kind::Source,
        "integration" | "integrations" => Kind::Integrations,
        _ => return None,
    })
}

/// The kind of a fixture under `v2/`: under `filters/<resource>/` a
/// `$filter`; else a folder naming a resource decides
/// (`v2/drift/people/expanded-schools.json`); else the last word of the file
/// name that names one (`schools-classes-list` holds classes,
/// `my-profile-fetch` a person, `token-refresh` a token answer).
fn v2_kind(parts: &[&str]) -> Option<Kind> {
    let (file, folders) = parts.split_last()?;
    if let Some(i) = folders.iter().position(|p| *p == "filters") {
        return folders
            .get(i + 1)
            .and_then(|w| graph_word(w))
            .map(Kind::Filter);
    }
    if let Some(kind) = folders.iter().rev().find_map(|w| v2_word(w)) {
        return Some(kind);
    }
    file.trim_end_matches(".json").rsplit('-').find_map(v2_word)
}

/// The kind of the fixture at `rel`: a body with `$errors` (or under an
/// `errors` folder) is an error; `v2/…` and `generated/v2/…` hold Graph API
/// bodies (see [`v2_kind`]); otherwise the first path component (or file name) naming a
/// resource decides; `warnings/` holds integration lists.
pub fn kind_of(rel: &str, body: &Value) -> Kind {
    let has_errors = body
        .get("$errors")
        .is_some_and(|e| e.as_array().is_some_and(|a| !a.is_empty()));
    let parts: Vec<&str> = rel.split('/').collect();
    if has_errors || parts.contains(&"errors") {
        return Kind::Errors;
    }
    // `generated/v2/…` (written by `cargo xtask fixtures`) follows the v2 rules.
    let v2 = match parts.as_slice() {
        ["v2", rest @ ..] | ["generated", "v2", rest @ ..] => Some(rest),
        _ => None,
    };
    if let Some(rest) = v2 {
        return v2_kind(rest).unwrap_or_else(|| {
            panic!(
                "fixtures/{rel}: no word of its path names a v2 resource; put it under a \
                 folder such as v2/drift/people/ or name it e.g. people-list.json \
                 (see docs/fixtures.md)"
            )
        });
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
         integrations/, providers/, permissions/, errors/ or v2/ (see docs/fixtures.md)"
    )
}

/// Calls `$f::<Model>($args…)` for the model of a [`Graph`] value.
#[macro_export]
macro_rules! with_graph_model {
    ($graph:expr, $f:ident($($arg:expr),* $(,)?)) => {{
        use common::Graph;
        use edlink_model::*;
        match $graph {
            Graph::Districts => $f::<District>($($arg),*),
            Graph::Schools => $f::<School>($($arg),*),
            Graph::Sessions => $f::<Session>($($arg),*),
            Graph::Courses => $f::<Course>($($arg),*),
            Graph::Classes => $f::<Class>($($arg),*),
            Graph::Sections => $f::<Section>($($arg),*),
            Graph::People => $f::<Person>($($arg),*),
            Graph::Enrollments => $f::<Enrollment>($($arg),*),
            Graph::Agents => $f::<Agent>($($arg),*),
            Graph::Licenses => $f::<License>($($arg),*),
            Graph::Events => $f::<Event>($($arg),*),
        }
    }};
}

/// `text` (one JSON document) without the whitespace between tokens: the
/// minified form, keys in their original order.
pub fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
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
