//! `cargo xtask fixtures [--check]`: the generated multi-page data sets.
//!
//! Hand-written fixtures (the seed samples, errors, edge cases) live beside
//! `fixtures/generated/` and are never touched here. The generated ones come
//! from `edlink-mock`'s deterministic generator, so the fake server, the
//! fixtures and the snapshots all describe the same data.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use edlink_mock::{Collection, MockData};
use serde_json::{Map, Value, json};

const SEED: u64 = 42;
const ITEMS: usize = 25;
const PAGE_SIZE: usize = 10;

fn workspace_root() -> PathBuf {
    // xtask lives one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Every generated file: its path under `fixtures/generated/`, and its bytes.
fn generate() -> BTreeMap<String, String> {
    let data = MockData::generated(ITEMS, SEED);
    let integrations = data.json(Collection::Integrations);
    let mut files = BTreeMap::new();
    for (folder, with_next) in [("paged-by-next", true), ("paged-v1-no-next", false)] {
        for (i, chunk) in integrations.chunks(PAGE_SIZE).enumerate() {
            let page = i + 1;
            let mut envelope = Map::new();
            envelope.insert("$data".into(), Value::Array(chunk.to_vec()));
            envelope.insert("$request".into(), json!(request_id(folder, page)));
            if with_next && page * PAGE_SIZE < integrations.len() {
                envelope.insert(
                    "$next".into(),
                    json!(format!(
                        "https://ed.link/api/v1/integrations?$cursor=fixture-{}",
                        page + 1
                    )),
                );
            }
            files.insert(
                format!("integrations/{folder}/page-{page}.json"),
                pretty(&Value::Object(envelope)),
            );
        }
    }
    for (name, resource) in [
        ("providers", Collection::Providers),
        ("permissions", Collection::Permissions),
    ] {
        let envelope = json!({ "$data": data.json(resource) });
        files.insert(format!("{name}/catalog.json"), pretty(&envelope));
    }
    files
}

/// A fixed, well-formed request id per page, so regeneration is byte-stable.
fn request_id(folder: &str, page: usize) -> String {
    let tag = folder
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    format!("{tag:08x}-0000-4000-8000-{page:012x}")
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn existing(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask fixtures [--check]".into()),
    };
    let dir = workspace_root().join("fixtures/generated");
    let wanted = generate();
    let mut stale = Vec::new();
    for (rel, text) in &wanted {
        let path = dir.join(rel);
        if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(rel.clone());
            if !check {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
                }
                fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    for rel in existing(&dir) {
        if !wanted.contains_key(&rel) {
            stale.push(format!("{rel} (no longer generated)"));
            if !check {
                let path = dir.join(&rel);
                fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    if !check {
        println!(
            "fixtures: {} generated, {} rewritten",
            wanted.len(),
            stale.len()
        );
        return Ok(());
    }
    if !stale.is_empty() {
        return Err(format!(
            "stale generated fixtures (run `cargo xtask fixtures`):\n  {}",
            stale.join("\n  ")
        ));
    }
    println!("fixtures: {} generated files are fresh", wanted.len());
    check_snapshots()
}

/// Runs every snapshot test with updates forbidden, so a stale or missing
/// `.snap` file fails here as it does in CI.
fn check_snapshots() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "test",
            "--workspace",
            "--quiet",
            "--tests",
            "--",
            "snapshot",
        ])
        .env("INSTA_UPDATE", "no")
        .env("INSTA_FORCE_PASS", "0")
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("running the snapshot tests: {e}"))?;
    if status.success() {
        println!("snapshots: fresh");
        Ok(())
    } else {
        Err("snapshot tests failed: review with `cargo insta review` (see docs/fixtures.md)".into())
    }
}
