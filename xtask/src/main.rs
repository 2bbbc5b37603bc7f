//! `cargo xtask`: the project's maintenance tasks.
//!
//! - `cargo xtask fixtures [--check]`: regenerate `fixtures/generated/` (same bytes
//!   on every run); with `--check`, change nothing and fail when a generated
//!   fixture or an insta snapshot is stale.

mod fixtures;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <fixtures [--check]>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("fixtures") => fixtures::run(&args[1..]),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
