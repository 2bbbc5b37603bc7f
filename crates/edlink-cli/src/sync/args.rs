//! The options of `sync` and `sync export`.
//!
//! `--integration` is the CLI's global, repeatable flag (one flag serves
//! `graph` and `sync`); whether it or `--all` is given is checked here
//! rather than by clap, because clap checks a global flag's conflicts only
//! where on the line it was written.

use std::time::Duration;

use clap::{Args, Subcommand};
use uuid::Uuid;

use crate::args::Cli;
use crate::exit::Failure;

/// The options of `edlink sync`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SyncArgs {
    /// `export`, or nothing to sync.
    #[command(subcommand)]
    pub action: Option<SyncAction>,

    /// The mirror: a SQLite file path (created if missing) or a postgres://
    /// URL (with the `postgres` feature).
    #[arg(long, value_name = "PATH_OR_URL", required = true)]
    pub db: Option<String>,

    /// Sync every integration that is active or paused (instead of
    /// --integration UUID…).
    #[arg(long)]
    pub all: bool,

    /// How many integrations are synced at once (1 to 64).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 4,
        value_parser = clap::value_parser!(u16).range(1..=64)
    )]
    pub concurrency: u16,

    /// Keep going: after the first pass, another (incremental) pass every
    /// SECS seconds, until Ctrl-C.
    #[arg(long, value_name = "SECS", value_parser = parse_watch)]
    pub watch: Option<Duration>,
}

/// What `sync` can do besides syncing.
#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Print the mirror as JSON lines (no key needed: it reads only --db).
    ///
    /// One line per stored object,
    /// `{"integration_id":…,"type":"people","id":…,"data":{…}}`, sorted by
    /// integration, type and id; secrets masked unless --show-secrets.
    Export(ExportArgs),
}

/// The options of `edlink sync export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The mirror to read: a SQLite file path or a postgres:// URL. Only
    /// --integration UUID (repeatable) is printed when given.
    #[arg(long, value_name = "PATH_OR_URL")]
    pub db: String,
}

/// Which integrations a pass syncs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// These, in this order.
    Ids(Vec<Uuid>),
    /// Every active or paused one the key lists, listed again each pass.
    All,
    /// `--demo` with neither flag: its first active integration.
    DemoFirst,
}

/// `--integration …` or `--all` (exactly one of them; with `--demo`,
/// neither picks the demo's first active integration).
pub fn selection(cli: &Cli, all: bool) -> Result<Selection, Failure> {
    match (cli.integration.is_empty(), all) {
        (false, true) => Err(Failure::Usage(
            "--all and --integration cannot be used together: sync every active or paused \
             integration, or the ones named"
                .to_owned(),
        )),
        (false, false) => Ok(Selection::Ids(cli.integration.clone())),
        (true, true) => Ok(Selection::All),
        (true, false) if cli.demo => Ok(Selection::DemoFirst),
        (true, false) => Err(Failure::Usage(
            "sync needs the integrations to mirror: --integration UUID (repeatable) or --all"
                .to_owned(),
        )),
    }
}

/// Syncing lists and reads integrations with the application key: without
/// one, a usage error before anything is opened (`sync export` needs none).
pub fn check_key(args: &SyncArgs) -> Result<(), Failure> {
    if args.action.is_some() {
        return Ok(());
    }
    Err(Failure::Usage(
        "sync needs the application secret key: pass --secret-key KEY or set \
         EDLINK_SECRET_KEY (or try --demo)"
            .to_owned(),
    ))
}

/// Seconds between passes: a whole or fractional number, more than zero and
/// at most a day.
fn parse_watch(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| "expected a number of seconds, e.g. 60 or 0.5".to_owned())?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err("--watch must be more than 0 and at most 86400 seconds".to_owned());
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Command;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_args(std::iter::once("edlink").chain(args.iter().copied()))
    }

    #[test]
    fn sync_and_export_parse() -> Result<(), clap::Error> {
        let id = "77a69705-41a7-49cb-0fe8-ffd425f9716f";
        let cli = parse(&[
            "sync",
            "--db",
            "x.db",
            "--integration",
            id,
            "--integration",
            id,
        ])?;
        let Command::Sync(args) = &cli.command else {
            return Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand));
        };
        assert_eq!(args.db.as_deref(), Some("x.db"));
        assert_eq!(cli.integration.len(), 2);
        assert!(matches!(selection(&cli, args.all), Ok(Selection::Ids(_))));

        let cli = parse(&["sync", "export", "--db", "x.db"])?;
        let Command::Sync(args) = &cli.command else {
            return Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand));
        };
        assert!(matches!(&args.action, Some(SyncAction::Export(e)) if e.db == "x.db"));
        Ok(())
    }

    #[test]
    fn usage_errors() -> Result<(), clap::Error> {
        assert!(parse(&["sync", "--all"]).is_err(), "--db is required");
        assert!(parse(&["sync", "--db", "x", "--concurrency", "0"]).is_err());
        assert!(parse(&["sync", "--db", "x", "--watch", "0"]).is_err());
        let id = "77a69705-41a7-49cb-0fe8-ffd425f9716f";
        let both = parse(&["--integration", id, "sync", "--db", "x", "--all"])?;
        assert!(matches!(selection(&both, true), Err(Failure::Usage(_))));
        let neither = parse(&["sync", "--db", "x"])?;
        assert!(matches!(selection(&neither, false), Err(Failure::Usage(_))));
        let demo = parse(&["--demo", "sync", "--db", "x"])?;
        assert!(matches!(selection(&demo, false), Ok(Selection::DemoFirst)));
        Ok(())
    }
}
