//! The package manifest: depending on the library must not build the binary's clap.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use serde_json::Value;

/// This package as `cargo metadata` describes it (no dependency resolution, offline).
fn this_package() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .args(["--manifest-path", manifest])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "edlink-mock")
        .cloned()
        .unwrap()
}

#[test]
fn clap_and_the_binary_are_behind_the_cli_feature() {
    let package = this_package();
    let clap = package["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "clap" && d["kind"].is_null())
        .expect("clap is a normal dependency of the binary");
    assert_eq!(clap["optional"], true, "clap must be optional");
    let default: Vec<&str> = package["features"]["default"]
        .as_array()
        .map(|f| f.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        !default
            .iter()
            .any(|f| f.contains("cli") || f.contains("clap")),
        "default features: {default:?}"
    );
    let cli: Vec<&str> = package["features"]["cli"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(cli.contains(&"dep:clap"), "{cli:?}");
    let bin = package["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"].as_array().unwrap().iter().any(|k| k == "bin"))
        .unwrap();
    assert_eq!(bin["name"], "edlink-mock");
    assert_eq!(bin["required-features"], serde_json::json!(["cli"]));
}
