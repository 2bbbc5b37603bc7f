//! `cargo xtask`: the project's maintenance tasks.
//!
//! - `cargo xtask fixtures [--check]`: regenerate `fixtures/generated/` (same bytes
//!   on every run); with `--check`, change nothing and fail when a generated
//!   fixture or an insta snapshot is stale.
//! - `cargo xtask bench [--items N] [--runs K] [--quick] [--markdown]`: the
//!   release-build benchmark of the SDK against a hand-written client (see
//!   docs/performance.md); with `--network`, over a shaped link (latency,
//!   bandwidth, gzip).
//! - `cargo xtask soak [--items N] [--fault-rate R] [--seed S]`: list every
//!   integration of a faulty mock and check each id arrives once, in order.
//! - `cargo xtask soak --sync [--quick] [--integrations N] [--students S]
//!   [--fault-rate R] [--seed S] [--kills K]`: a sync worker (a child process)
//!   mirrors a faulty, changing mock into SQLite, is killed with SIGKILL during
//!   the full read, during incremental sync and during the full sync after a
//!   forced aged-out checkpoint, and restarted; the export must equal the
//!   mock's dump byte for byte (docs/sync.md, "Soak"). `--quick` runs in CI.
//! - `cargo xtask postgres start|stop|url`: a throw-away Postgres cluster on a
//!   free local port for the Postgres store's tests; `start` prints
//!   `export EDLINK_TEST_POSTGRES_URL=…`.

mod bench;
mod fixtures;
mod postgres;
mod soak;

use std::process::ExitCode;

/// The system allocator; the memory benchmark's child switches on its count
/// of live bytes (`bench::heap`).
#[global_allocator]
static ALLOCATOR: bench::heap::Counting = bench::heap::Counting;

const USAGE: &str = "usage: cargo xtask <fixtures [--check] | bench [--network] [--items N] [--runs K] [--quick] [--markdown] | soak [--items N] [--fault-rate R] [--seed S] | soak --sync [--quick] [--integrations N] [--students S] [--fault-rate R] [--seed S] [--kills K] | postgres <start|stop|url>>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("fixtures") => fixtures::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("soak") => soak::run(&args[1..]),
        Some("postgres") => postgres::run(&args[1..]),
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
