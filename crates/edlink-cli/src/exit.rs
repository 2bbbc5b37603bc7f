//! Exit codes, and the one place errors become lines on stderr.

use std::io::{self, Write};

use edlink_client::model::redact::Mask;
use edlink_client::{Error, ErrorKind, TransportErrorKind};

use crate::secrets::Secrets;

/// Success.
pub const SUCCESS: u8 = 0;
/// Any other failure: the output could not be written, no runtime.
pub const OTHER: u8 = 1;
/// Usage or invalid argument, found before any request.
pub const USAGE: u8 = 2;
/// Edlink answered with `$errors`.
pub const API: u8 = 3;
/// Network failure, timeout or a temporary server failure, after retries.
pub const NETWORK: u8 = 4;
/// The response was not valid Edlink JSON, or paging was unsafe.
pub const PROTOCOL: u8 = 5;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// A usage error the CLI found itself (exit 2).
    Usage(String),
    /// The client failed (exit code from [`exit_code`]).
    Client(Box<Error>),
    /// The client failed on a Graph request, sent with an integration's
    /// access token (exit code from [`exit_code`]; the hints speak of the
    /// token, not the key).
    Graph(Box<Error>),
    /// The client failed on a User API or token request of `edlink login` or
    /// `edlink my` (exit code from [`exit_code`]; the hints speak of
    /// signing in again).
    User(Box<Error>),
    /// The sign-in did not complete: declined at Edlink, a redirect with
    /// another state, or no redirect in time (exit 3, with a hint).
    SignIn(String),
    /// Writing the output failed (exit 1; a closed pipe exits 0 quietly).
    Output(io::Error),
    /// Anything else (exit 1).
    Other(String),
    /// A `sync` failure with its own exit code and hint: a store that cannot
    /// be opened, integrations that failed, an interrupted pass.
    #[cfg(feature = "sync")]
    Sync {
        /// The exit code.
        code: u8,
        /// The error line.
        message: String,
        /// The second line, where one helps.
        hint: Option<&'static str>,
    },
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Self::Client(Box::new(err))
    }
}

impl Failure {
    /// The same failure, a client error marked as coming from a User API
    /// (or token) request.
    pub fn on_user(self) -> Self {
        match self {
            Self::Client(err) => Self::User(err),
            other => other,
        }
    }

    /// The same failure, a client error marked as coming from a Graph request.
    pub fn on_graph(self) -> Self {
        match self {
            Self::Client(err) => Self::Graph(err),
            other => other,
        }
    }
}

impl From<io::Error> for Failure {
    fn from(err: io::Error) -> Self {
        Self::Output(err)
    }
}

/// Whether the error came from a 408, 429 or 5xx that outlasted the retries:
/// the server (or a proxy in front of it) being unavailable, whatever the
/// body said (`$errors` JSON or an HTML page).
fn temporary_server_failure(err: &Error) -> bool {
    err.status()
        .is_some_and(|status| !(200..300).contains(&status))
        && err.is_retryable()
}

/// The exit code for a client error: the only mapping from
/// [`Error`]/[`ErrorKind`] to exit codes.
pub fn exit_code(err: &Error) -> u8 {
    if temporary_server_failure(err) {
        return NETWORK;
    }
    match err.kind() {
        ErrorKind::InvalidArgument => USAGE,
        ErrorKind::Api
        | ErrorKind::Authentication
        | ErrorKind::IntegrationUnavailable
        | ErrorKind::SignInRequired => API,
        ErrorKind::Transport => match err {
            Error::Transport { source, .. } => match source.kind() {
                TransportErrorKind::InvalidRequest => USAGE,
                TransportErrorKind::BodyTooLarge => PROTOCOL,
                _ => NETWORK,
            },
            _ => NETWORK,
        },
        ErrorKind::Timeout | ErrorKind::RateLimited => NETWORK,
        // A 2xx that is not Edlink JSON (a body cut short is retried by the
        // client; cut on every attempt, it is still not valid Edlink JSON),
        // unsafe paging, a redirect.
        ErrorKind::Decode | ErrorKind::Paging | ErrorKind::Redirect => PROTOCOL,
        _ => OTHER,
    }
}

/// Prints `failure` on stderr (one or two lines, never a key or token) and
/// returns the exit code.
pub fn report(failure: &Failure, secrets: &Secrets) -> u8 {
    let (code, message, hint) = match failure {
        Failure::Usage(message) => (USAGE, message.clone(), None),
        // The error and its causes, each once.
        Failure::Client(err) => (exit_code(err), err.chain(), hint(err)),
        Failure::Graph(err) => (exit_code(err), err.chain(), graph_hint(err)),
        Failure::User(err) => (exit_code(err), err.chain(), user_hint(err)),
        Failure::SignIn(message) => (API, message.clone(), Some(SIGN_IN_AGAIN)),
        Failure::Output(err) if err.kind() == io::ErrorKind::BrokenPipe => return SUCCESS,
        Failure::Output(err) => (OTHER, format!("cannot write the output: {err}"), None),
        Failure::Other(message) => (OTHER, message.clone(), None),
        #[cfg(feature = "sync")]
        Failure::Sync {
            code,
            message,
            hint,
        } => (*code, message.clone(), *hint),
    };
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "error: {}", one_line(&message, secrets));
    if let Some(hint) = hint {
        let _ = writeln!(stderr, "hint: {hint}");
    }
    code
}

/// A second line for the failures of Graph requests where one helps: a
/// refused token (with or without `$errors`) is the access token's fault,
/// never the key's.
fn graph_hint(err: &Error) -> Option<&'static str> {
    match err.kind() {
        ErrorKind::Authentication => Some(
            "check the integration's access token (--access-token or EDLINK_ACCESS_TOKEN), \
             or pass --integration UUID with the secret key to use that integration's token",
        ),
        ErrorKind::IntegrationUnavailable => Some(
            "only active or paused integrations can be read; `edlink integrations list` shows \
             each one's status",
        ),
        _ => hint(err),
    }
}

/// The hint of a session that cannot go on.
const SIGN_IN_AGAIN: &str = "run `edlink login` to sign in with Edlink again";

/// A second line for the failures of sign-in and User API requests: a
/// refused token or refresh token means signing in again; a refused client
/// id or secret is the application's credentials.
fn user_hint(err: &Error) -> Option<&'static str> {
    match err.kind() {
        ErrorKind::SignInRequired => Some(SIGN_IN_AGAIN),
        ErrorKind::Authentication => Some(
            "check --client-id and the client secret's variable (--client-secret-env), or run \
             `edlink login` again",
        ),
        _ => hint(err),
    }
}

/// A second line for the failures where one helps.
fn hint(err: &Error) -> Option<&'static str> {
    match err.kind() {
        ErrorKind::Authentication => {
            Some("check the application secret key (--secret-key or EDLINK_SECRET_KEY)")
        }
        ErrorKind::Transport | ErrorKind::Timeout => {
            Some("check the network and --base-url; --timeout and --max-retries give more time")
        }
        _ if temporary_server_failure(err) || err.kind() == ErrorKind::RateLimited => {
            Some("Edlink (or a proxy in front of it) is busy or unavailable: try again later")
        }
        _ => None,
    }
}

/// Text as one plain line for a terminal: line breaks and tabs become spaces,
/// other control characters are escaped, runs of spaces shrink to one, and
/// secrets (the key and the token by value, anything secret-named) are masked
/// by the SDK's one redaction routine.
pub fn one_line(text: &str, secrets: &Secrets) -> String {
    let text = secrets.redactor(Mask::Full).redact(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        };
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use edlink_client::{AccessToken, ApplicationKey};

    #[test]
    fn one_line_flattens_and_redacts() {
        let secrets = Secrets::new(Some(ApplicationKey::new("key-123")));
        secrets.add_token(&AccessToken::new("tok-456"));
        assert_eq!(
            one_line("a\n\n  <html>\tkey-123\u{1b}[31m tok-456 ", &secrets),
            "a <html> [redacted]\\u{1b}[31m [redacted]"
        );
    }
}
