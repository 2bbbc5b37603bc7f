//! `edlink sync …` (feature `sync`, on by default): a local mirror of
//! integrations' Graph data, kept by `edlink-sync`'s engine.
//!
//! - [`args`]: the options of `sync` and `sync export`;
//! - [`pass`]: one sync pass over the chosen integrations, and `--watch`;
//! - [`export`]: `sync export`, the library's JSONL export on stdout;
//! - [`progress`]: the progress line on a terminal;
//! - [`store`]: opening `--db`, and the exit code of a sync error.
//!
//! The CLI only chooses integrations, shows progress and prints; the
//! algorithm, the guarantees (crash safety) and the export format all live
//! in `edlink-sync`, so the CLI and the library cannot disagree.

mod args;
mod export;
mod pass;
mod progress;
mod store;

pub use args::{SyncAction, SyncArgs, check_key};

use crate::exit::Failure;
use crate::run::Context;

/// Shown after `edlink sync --help`.
pub const AFTER_HELP: &str = "\
The mirror (--db) is a SQLite file (created if missing; open it with `sqlite3`)
or, in a build with the `postgres` feature, a postgres:// URL. The first run of
an integration reads all of its data; later runs apply only its events. Every
page is stored with its checkpoint in one transaction: an interrupted run loses
nothing, and the next run resumes where it stopped.

Integrations that cannot be read (not active or paused, token revoked) are
reported on stderr as skipped and the others go on. At the end stdout gets:
  sync: integrations=N entities=M events=K full_syncs=F skipped=S elapsed_s=T
(N integrations brought up to date, M objects read by full syncs, K events
applied). Exit code 0 unless an integration failed (its stored data stays).

Examples:
  edlink --demo sync --db roster.sqlite3      (the demo's first active integration)
  edlink sync --db roster.sqlite3 --all --concurrency 8
  edlink sync --db roster.sqlite3 --integration <UUID> --integration <UUID>
  edlink sync --db roster.sqlite3 --all --watch 60
  edlink sync export --db roster.sqlite3 | head";

/// Runs `sync` or `sync export`.
pub async fn run(context: &Context, args: &SyncArgs) -> Result<(), Failure> {
    match &args.action {
        Some(SyncAction::Export(export)) => export::run(context, export).await,
        None => pass::run(context, args).await,
    }
}
