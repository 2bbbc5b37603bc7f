//! `edlink my …`: the User API (`/api/v2/my/…`) of the person `edlink
//! login` signed in, read with the stored session.
//!
//! - [`commands`]: the table of the User API's reads (the client's, one for
//!   one), which makes both the clap subcommands and their dispatch;
//! - [`session`]: the stored session as a library `User` that refreshes on
//!   its own, each new token set stored again.
//!
//! Listings and fetches go through the Graph commands' options, columns and
//! printing (`crate::graph::run`), so `--format`, `--limit`, `--fields`… work
//! the same.

mod commands;
mod session;

pub use commands::{MyCommand, run};

/// Shown after `edlink my --help`.
pub const AFTER_HELP: &str = "\
The session comes from `edlink login` (stored in $EDLINK_CONFIG_DIR, else
$XDG_CONFIG_HOME/edlink, else ~/.config/edlink). When the access token is near
its expiry or refused, it is refreshed with the client secret (from the
variable `edlink login --client-secret-env` named) and stored again.

The User API pages with $first and $next only: --last, --after and --before
are refused.

Examples:
  edlink --demo login && edlink --demo my classes list
  edlink my profile --format json
  edlink my classes students <CLASS_ID> --limit 10";
