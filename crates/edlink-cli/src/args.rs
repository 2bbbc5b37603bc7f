//! The command line, declared with clap's derive API.

use std::path::PathBuf;
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use edlink_client::model::{MAX_PAGE_SIZE, parse_id};
use edlink_client::{AccessToken, ApplicationKey};
use uuid::Uuid;

use crate::graph::GraphCommand;
use crate::login::LoginArgs;
use crate::my::MyCommand;

/// Shown after `--help`: the exit codes (also in `docs/cli.md`).
const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  other failure (e.g. the output could not be written, or sync's --db
     cannot be opened)
  2  usage or invalid argument, found before any request (bad UUID, page size,
     --first with --last, plain http to a non-loopback host, missing key,
     token or stored session, an invalid --filter)
  3  Edlink answered with $errors (e.g. INVALID_TOKEN, NOT_FOUND,
     INVALID_INTEGRATION_STATE), or the sign-in failed (declined, a redirect
     with another state, no redirect in time, a refused refresh token)
  4  network failure, timeout, or a temporary server failure (408, 429, 5xx)
     that lasted through every retry
  5  the response was not valid Edlink JSON, or paging was unsafe (a $next
     loop, a $next outside the base URL's origin, a redirect)

Examples:
  edlink --demo integrations list
  EDLINK_SECRET_KEY=... edlink integrations list --format jsonl --limit 10
  edlink providers get 035d6dd6-1569-47b2-8ed8-63435be58078 --format json
  edlink --demo graph people list --filter 'first_name starts with \"A\"' --limit 5
  EDLINK_ACCESS_TOKEN=... edlink graph classes enrollments <CLASS_ID> --format jsonl
  edlink --demo login && edlink --demo my classes list
  edlink --demo sync --db roster.sqlite3";

/// List and fetch Edlink integrations, providers and permissions, and read a
/// district's data through the Graph API.
#[derive(Debug, Parser)]
#[command(name = "edlink", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// The application secret key (needed for integrations and sync; never printed).
    #[arg(
        long,
        value_name = "KEY",
        env = "EDLINK_SECRET_KEY",
        hide_env_values = true,
        value_parser = parse_key,
        global = true
    )]
    pub secret_key: Option<ApplicationKey>,

    /// An integration's access token, for `graph` commands (never printed).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "EDLINK_ACCESS_TOKEN",
        hide_env_values = true,
        value_parser = parse_token,
        global = true
    )]
    pub access_token: Option<AccessToken>,

    /// For `graph` commands: read this integration, with the access token
    /// the secret key's listing gives (instead of --access-token). For
    /// `sync` and `sync export`: this integration (repeat the flag for more).
    // Global and repeatable: one flag serves both commands (clap allows one
    // `--integration` per command line); `graph` refuses more than one.
    #[arg(
        long,
        value_name = "UUID",
        value_parser = parse_uuid,
        global = true,
        action = clap::ArgAction::Append
    )]
    pub integration: Vec<Uuid>,

    /// Whether `access_token` came from `EDLINK_ACCESS_TOKEN` rather than the
    /// flag: a flag (`--integration`) beats the environment, and `--demo`
    /// ignores the environment's credentials.
    #[arg(skip)]
    pub access_token_from_env: bool,

    /// The API's base URL (default `https://ed.link`); plain http only for
    /// loopback hosts.
    #[arg(
        long,
        help = "The API's base URL [default: https://ed.link]; plain http only for loopback hosts",
        value_name = "URL",
        env = "EDLINK_BASE_URL",
        hide_env_values = true,
        global = true
    )]
    pub base_url: Option<String>,

    /// Run against a built-in fake Edlink server with generated data (no key needed).
    #[arg(long, global = true)]
    pub demo: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, global = true)]
    pub format: Format,

    /// Print access tokens in full (they are masked by default).
    #[arg(long, global = true)]
    pub show_secrets: bool,

    /// Timeout of one HTTP request in seconds, connect included (default 60).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds, global = true)]
    pub timeout: Option<Duration>,

    /// Retries after the first attempt of a request (default 2).
    #[arg(long, value_name = "N", global = true)]
    pub max_retries: Option<u32>,

    /// DANGER: allow a plain http --base-url on any host, not only loopback (a fake
    /// server on a trusted network, e.g. http://mock:8080 in docker-compose). The key and
    /// tokens then cross the network in clear.
    #[arg(long, global = true)]
    pub danger_allow_plain_http: bool,

    /// Send every request through this HTTP proxy (`http://[user:password@]host:port`,
    /// a CONNECT tunnel for https). Without it, HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and
    /// NO_PROXY are followed as curl does.
    #[arg(long, value_name = "URL", value_parser = parse_proxy, global = true)]
    pub proxy: Option<ProxyUrl>,

    /// A PEM file of extra root certificates to trust (on top of the public roots).
    #[arg(long, value_name = "PEM", global = true)]
    pub ca_cert: Option<PathBuf>,

    /// Log each HTTP request (method, path, status, attempt, elapsed) to stderr.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// No progress line and no API warnings on stderr (errors are still printed).
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments (exiting with code 2 and clap's message
    /// on a usage error), noting where the access token came from.
    pub fn parse_args() -> Self {
        Self::try_parse_args(std::env::args_os()).unwrap_or_else(|err| err.exit())
    }

    /// [`Cli::parse_args`] on given arguments.
    pub fn try_parse_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Self::command().try_get_matches_from(args)?;
        let mut cli = Self::from_arg_matches(&matches)?;
        cli.access_token_from_env =
            matches.value_source("access_token") == Some(ValueSource::EnvVariable);
        Ok(cli)
    }
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns.
    Table,
    /// One JSON array (one object for `get`), items exactly as Edlink sent them.
    Json,
    /// One JSON object per line.
    Jsonl,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Your application's integrations (needs the secret key).
    Integrations {
        /// `list` or `get`.
        #[command(subcommand)]
        action: Action,
    },
    /// The data source providers (public).
    Providers {
        /// `list` or `get`.
        #[command(subcommand)]
        action: Action,
    },
    /// The permissions an application may ask for (public).
    Permissions {
        /// `list` or `get`.
        #[command(subcommand)]
        action: Action,
    },
    /// The Graph API (v2) of one integration: its district's schools,
    /// classes, people, enrollments… (needs the integration's access token).
    #[command(after_help = crate::graph::AFTER_HELP)]
    Graph {
        /// The resource.
        #[command(subcommand)]
        resource: GraphCommand,
    },
    /// Sign in with Edlink in a browser (like `gh auth login`) and store the
    /// session for `edlink my`.
    #[command(after_help = crate::login::AFTER_HELP)]
    Login(LoginArgs),
    /// The User API: your own profile, classes, sections… as the person
    /// `edlink login` signed in.
    #[command(after_help = crate::my::AFTER_HELP)]
    My {
        /// What to read.
        #[command(subcommand)]
        resource: MyCommand,
    },
    /// Mirror integrations' Graph data into a local SQLite file (or a
    /// Postgres database) and keep it up to date from the events feed
    /// (needs the secret key); `sync export` prints the mirror.
    #[cfg(feature = "sync")]
    #[command(after_help = crate::sync::AFTER_HELP)]
    Sync(crate::sync::SyncArgs),
    /// Print a shell completion script to stdout.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: CompletionShell,
    },
}

/// What to do with a collection.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// List every item, following every page.
    List(ListArgs),
    /// Fetch one item by id.
    Get {
        /// The id (8-4-4-4-12 hex digits).
        #[arg(value_name = "UUID", value_parser = parse_uuid)]
        id: Uuid,
    },
}

/// The options of `list`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Paging options")]
pub struct ListArgs {
    /// Page forward (oldest first), N items per page (1 to 10000).
    #[arg(long, value_name = "N", value_parser = parse_page_size, conflicts_with = "last")]
    pub first: Option<u64>,

    /// Page backward (newest first), N items per page (1 to 10000).
    #[arg(long, value_name = "N", value_parser = parse_page_size)]
    pub last: Option<u64>,

    /// Start after the item with this id.
    #[arg(long, value_name = "UUID", value_parser = parse_uuid, conflicts_with = "before")]
    pub after: Option<Uuid>,

    /// Start before the item with this id.
    #[arg(long, value_name = "UUID", value_parser = parse_uuid)]
    pub before: Option<Uuid>,

    /// Stop after N items (and fetch no more pages than needed).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,

    /// Print only the number of items.
    #[arg(long)]
    pub count: bool,
}

/// The shells `completions` supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
}

/// The key, wrapped at once in a type whose `Debug` and `Display` hide it.
fn parse_key(text: &str) -> Result<ApplicationKey, String> {
    Ok(ApplicationKey::new(text))
}

/// The token, wrapped at once in a type whose `Debug` hides it.
fn parse_token(text: &str) -> Result<AccessToken, String> {
    Ok(AccessToken::new(text))
}

/// An Edlink id: exactly 8-4-4-4-12 hex digits (what Edlink accepts).
pub fn parse_uuid(text: &str) -> Result<Uuid, String> {
    parse_id("id", text.trim()).map_err(|e| e.to_string())
}

/// A page size from 1 to 10,000.
/// A `--proxy` URL. It may carry the proxy's password, so its `Debug`
/// shows `user:password@` as `[redacted]@`.
#[derive(Clone)]
pub struct ProxyUrl(String);

impl ProxyUrl {
    /// The URL as given, password included (for the transport only).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = &self.0;
        let authority = url.find("://").map_or(0, |i| i + 3);
        let host_end = url[authority..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |i| authority + i);
        match url[authority..host_end].rfind('@') {
            Some(at) => write!(
                f,
                "ProxyUrl({:?})",
                format!("{}[redacted]{}", &url[..authority], &url[authority + at..])
            ),
            None => write!(f, "ProxyUrl({url:?})"),
        }
    }
}

fn parse_proxy(text: &str) -> Result<ProxyUrl, String> {
    if text.trim().is_empty() {
        return Err("the proxy URL is empty".to_owned());
    }
    Ok(ProxyUrl(text.to_owned()))
}

fn parse_page_size(text: &str) -> Result<u64, String> {
    let n: u64 = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number from 1 to {MAX_PAGE_SIZE}"))?;
    if n == 0 || n > u64::from(MAX_PAGE_SIZE) {
        return Err(format!("the page size must be from 1 to {MAX_PAGE_SIZE}"));
    }
    Ok(n)
}

/// Seconds, fractions allowed, more than zero and at most a day.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| "expected a number of seconds, e.g. 30 or 0.5".to_owned())?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err("the timeout must be more than 0 and at most 86400 seconds".to_owned());
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn debug_never_shows_the_key() -> Result<(), clap::Error> {
        let cli =
            Cli::try_parse_from(["edlink", "--secret-key", "s3cr3t-k3y", "providers", "list"])?;
        assert!(!format!("{cli:?}").contains("s3cr3t"));
        Ok(())
    }

    #[test]
    fn debug_never_shows_the_token() -> Result<(), clap::Error> {
        for args in [
            vec![
                "edlink",
                "--access-token",
                "t0k3n-s3cr3t",
                "graph",
                "people",
                "list",
            ],
            vec![
                "edlink",
                "graph",
                "people",
                "list",
                "--access-token",
                "t0k3n-s3cr3t",
            ],
        ] {
            let cli = Cli::try_parse_args(args)?;
            assert!(!format!("{cli:?}").contains("s3cr3t"));
            assert_eq!(
                cli.access_token.as_ref().map(AccessToken::expose_secret),
                Some("t0k3n-s3cr3t")
            );
            assert!(!cli.access_token_from_env);
        }
        Ok(())
    }

    #[test]
    fn value_parsers() {
        assert!(parse_page_size("0").is_err());
        let proxy = parse_proxy("http://edlink:s3cret@proxy.example.com:3128").unwrap();
        assert_eq!(
            format!("{proxy:?}"),
            r#"ProxyUrl("http://[redacted]@proxy.example.com:3128")"#
        );
        assert_eq!(
            proxy.expose(),
            "http://edlink:s3cret@proxy.example.com:3128"
        );
        assert!(parse_proxy(" ").is_err());
        assert!(parse_page_size("10001").is_err());
        assert_eq!(parse_page_size("10000"), Ok(10_000));
        assert!(parse_uuid("77a6970541a749cb0fe8ffd425f9716f").is_err());
        assert!(parse_uuid("77a69705-41a7-49cb-0fe8-ffd425f9716f").is_ok());
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("nan").is_err());
        assert_eq!(parse_seconds("0.5"), Ok(Duration::from_millis(500)));
    }
}
