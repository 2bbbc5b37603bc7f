//! `edlink graph …`: the v2 Graph API of one integration.
//!
//! - [`commands`]: the table of resources and nested lists, which makes both
//!   the clap subcommands and their dispatch (so the two cannot disagree);
//! - [`args`]: the options of a Graph listing or fetch;
//! - [`run`](mod@run): `list` and `get` for any resource, on the v1 page loop and printer;
//! - [`auth`]: which access token the requests carry;
//! - [`columns`]: the table columns of each resource.
//!
//! `edlink my` (the User API) reuses [`args`], [`columns`] and [`run`](mod@run).

pub mod args;
mod auth;
pub mod columns;
mod commands;
pub mod run;

pub use commands::{GraphCommand, run};

/// Shown after `edlink graph --help`.
pub const AFTER_HELP: &str = "\
Credentials (global options, accepted anywhere on the line):
  --access-token TOKEN   an integration's access token (or EDLINK_ACCESS_TOKEN)
  --integration UUID     read this integration: its token comes from the
                         integrations listing, with the secret key
  --demo                 the demo server's first active integration

Examples:
  edlink --demo graph people list --limit 5
  edlink --demo graph people list --filter 'first_name starts with \"A\"' --expand schools --format json
  edlink graph schools list --integration 77a69705-41a7-49cb-0fe8-ffd425f9716f
  edlink graph classes enrollments <CLASS_ID> --filter 'role equals student'
  edlink graph people get <PERSON_ID> --fields first_name,email --format json";
