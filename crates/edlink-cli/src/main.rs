//! `edlink`: list and fetch Edlink integrations, providers and permissions,
//! and read a district's data through the Graph API, from the command line.
//! See `docs/cli.md` for every flag and exit code.

mod args;
mod demo;
mod exit;
mod graph;
mod list;
mod login;
mod my;
mod output;
mod progress;
mod run;
mod secrets;
mod store;
#[cfg(feature = "sync")]
mod sync;
mod verbose;

use std::process::ExitCode;

fn main() -> ExitCode {
    // Usage errors from clap exit with code 2 here.
    let cli = args::Cli::parse_args();
    ExitCode::from(run::main(cli))
}
