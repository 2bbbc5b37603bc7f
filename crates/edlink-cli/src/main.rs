//! `edlink`: list and fetch Edlink integrations, providers and permissions
//! from the command line. See `docs/cli.md` for every flag and exit code.

mod args;
mod demo;
mod exit;
mod list;
mod output;
mod progress;
mod run;
mod verbose;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Usage errors from clap exit with code 2 here.
    let cli = args::Cli::parse();
    ExitCode::from(run::main(cli))
}
