//! `edlink login`: sign in with Edlink in a browser, like `gh auth login`,
//! and store the person's token set for `edlink my`.
//!
//! A fresh state (the library's `LoginState::generate`), a loopback listener
//! on `127.0.0.1`, the login URL printed on stderr; the browser comes back to
//! `http://127.0.0.1:PORT/callback`, whose state the library checks; the code
//! is exchanged by the library and the set stored owner-only
//! ([`crate::store`]). With `--demo` the CLI plays the browser itself
//! against the embedded mock, so the whole flow runs unattended.

mod callback;
mod open;

use std::io::{self, Write};
use std::time::Duration;

use bytes::Bytes;
use clap::Args;
use edlink_client::model::LoginState;
use edlink_client::model::auth::RedirectError;
use edlink_client::{ClientSecret, HyperTransport, Sso, Transport};
use http::{Request, header};

use crate::args::parse_seconds;
use crate::exit::Failure;
use crate::run::Context;
use crate::store::{self, StoredSession};

/// Shown after `edlink login --help`.
pub const AFTER_HELP: &str = "\
The login URL is printed on stderr: open it in a browser. Edlink sends the
browser back to http://127.0.0.1:PORT/callback, where this command listens;
the code is exchanged for the person's tokens, stored owner-only (0600) in
$EDLINK_CONFIG_DIR, else $XDG_CONFIG_HOME/edlink, else ~/.config/edlink.

Examples:
  EDLINK_CLIENT_SECRET=... edlink login --client-id ID --client-secret-env EDLINK_CLIENT_SECRET
  edlink login --client-id ID --client-secret-env MY_SECRET --redirect-port 8765
  edlink --demo login        (the demo plays the browser itself)";

/// How long `edlink login` waits for the browser by default.
const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// The options of `edlink login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The SSO application's client id (Edlink dashboard; not needed with --demo).
    #[arg(long, value_name = "ID", env = "EDLINK_CLIENT_ID")]
    pub client_id: Option<String>,

    /// The name of the environment variable that holds the client secret.
    /// The secret itself is never a flag (flags show in `ps` and shell
    /// history); `edlink my` reads the same variable to refresh the session.
    #[arg(long, value_name = "VAR")]
    pub client_secret_env: Option<String>,

    /// The loopback port Edlink redirects to (0: any free port). Register
    /// `http://127.0.0.1:PORT/callback` as a redirect URI of the application.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub redirect_port: u16,

    /// How long to wait for the browser to come back, in seconds (default 300).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub login_timeout: Option<Duration>,

    /// Also open the login URL in a browser ($BROWSER, else the system's).
    #[arg(long)]
    pub open: bool,
}

/// The SSO application of a login: its id and secret, and the variable the
/// secret came from (`None` for the demo's built-in one).
struct App {
    client_id: String,
    secret: ClientSecret,
    secret_env: Option<String>,
}

/// Runs `edlink login`.
pub async fn run(context: &Context, args: &LoginArgs) -> Result<(), Failure> {
    let app = app(context, args)?;
    context.secrets.add_secret(app.secret.expose_secret());
    let sso = context.client.sso(app.client_id.clone(), app.secret);
    let state = LoginState::generate()
        .map_err(|err| Failure::Other(format!("cannot make the login state: {err}")))?;
    context.secrets.add_secret(state.expose_secret());
    let listener = callback::Listener::bind(args.redirect_port)
        .await
        .map_err(|err| {
            Failure::Usage(format!(
                "cannot listen on 127.0.0.1:{}: {err} (try another --redirect-port)",
                args.redirect_port
            ))
        })?;
    let redirect_uri = listener.redirect_uri();
    let url = sso.login_url(&redirect_uri, &state)?;
    let wait = args.login_timeout.unwrap_or(DEFAULT_WAIT);
    // The URL is the one thing this command must show: printed even with
    // --quiet, and never through the redactor (it carries the state).
    let _ = writeln!(
        io::stderr().lock(),
        "Open this address in a browser to sign in with Edlink:\n\n  {url}\n\n\
         Waiting up to {}s for Edlink to send the browser back to {redirect_uri} …",
        wait.as_secs()
    );

    if args.open && context.demo.is_none() {
        if let Err(err) = open::browser(url.as_str()) {
            let _ = writeln!(
                io::stderr().lock(),
                "could not open a browser ({err}); open the address above yourself"
            );
        }
    }

    let waiting = listener.wait(state, wait);
    let outcome = if context.demo.is_some() {
        // The demo plays the browser: its login page redirects at once.
        tokio::pin!(waiting);
        let browser = tokio::spawn(browse(url.to_string(), true));
        tokio::select! {
            outcome = &mut waiting => outcome,
            browsed = browser => {
                browsed.map_err(|err| Failure::Other(format!("the demo browser failed: {err}")))??;
                waiting.await
            }
        }
    } else {
        waiting.await
    }
    .map_err(|err| Failure::Other(format!("the loopback listener failed: {err}")))?;

    let code = match outcome {
        Some(Ok(code)) => code,
        Some(Err(err)) => return Err(refused(&err)),
        None => {
            return Err(Failure::SignIn(format!(
                "no redirect came back to {redirect_uri} within {}s (--login-timeout gives more)",
                wait.as_secs()
            )));
        }
    };
    context.secrets.add_secret(code.expose_secret());
    let tokens = sso
        .exchange_code(code, &redirect_uri)
        .await
        .map_err(|err| Failure::from(err).on_user())?;
    context
        .secrets
        .add_secret(tokens.access_token().expose_secret());
    if let Some(refresh) = tokens.refresh_token() {
        context.secrets.add_secret(refresh.expose_secret());
    }
    let path = store::session_path(context.demo.is_some())?;
    let session = StoredSession {
        base_url: context.client.base_url().to_owned(),
        client_id: app.client_id,
        client_secret_env: app.secret_env,
        tokens,
    };
    store::save(&path, &session)?;
    if !context.cli.quiet {
        let _ = writeln!(
            io::stderr().lock(),
            "Signed in with Edlink; the session is stored in {}",
            path.display()
        );
    }
    Ok(())
}

/// The application to sign in to: the demo's, or the flags' (the secret
/// from the variable `--client-secret-env` names).
fn app(context: &Context, args: &LoginArgs) -> Result<App, Failure> {
    if let Some(demo) = &context.demo {
        let (client_id, secret) = demo.sso_client();
        return Ok(App {
            client_id,
            secret,
            secret_env: None,
        });
    }
    let client_id = args
        .client_id
        .clone()
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            Failure::Usage(
                "login needs the SSO application's client id: pass --client-id ID or set \
                 EDLINK_CLIENT_ID (or try --demo)"
                    .to_owned(),
            )
        })?;
    let Some(var) = args.client_secret_env.clone() else {
        return Err(Failure::Usage(
            "login needs the client secret: put it in an environment variable and pass its \
             name with --client-secret-env VAR"
                .to_owned(),
        ));
    };
    let secret = secret_from_env(&var)?;
    Ok(App {
        client_id,
        secret,
        secret_env: Some(var),
    })
}

/// The client secret in the variable `var`; unset or empty is a usage error
/// naming the variable (never a value).
pub fn secret_from_env(var: &str) -> Result<ClientSecret, Failure> {
    match std::env::var(var) {
        Ok(secret) if !secret.trim().is_empty() => Ok(ClientSecret::new(secret)),
        _ => Err(Failure::Usage(format!(
            "the client secret's variable {var} is not set (or empty)"
        ))),
    }
}

/// The failure of a redirect the library refused.
fn refused(err: &RedirectError) -> Failure {
    let message = match err {
        RedirectError::Declined => "the sign-in was declined at Edlink; nothing was stored".into(),
        RedirectError::StateMismatch | RedirectError::MissingState => {
            "the redirect's state is not this sign-in's (a forged redirect, or one from another \
             sign-in); nothing was stored"
                .into()
        }
        other => format!("the redirect was refused: {other}; nothing was stored"),
    };
    Failure::SignIn(message)
}

/// Plays the browser on the demo's login page: `GET url`, then (when
/// `follow`) `GET` the address it redirects to. Gives that address, which
/// carries the code: callers must not print it.
pub async fn browse(url: String, follow: bool) -> Result<String, Failure> {
    let failed = |what: &str| Failure::Other(format!("the demo's login page failed: {what}"));
    let transport = HyperTransport::builder()
        .build()
        .map_err(|err| failed(&err.to_string()))?;
    let request = Request::get(url.as_str())
        .body(Bytes::new())
        .map_err(|err| failed(&err.to_string()))?;
    let response = transport
        .send(request)
        .await
        .map_err(|err| failed(&err.to_string()))?;
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| failed(&format!("HTTP {} without a redirect", response.status())))?;
    if follow {
        let request = Request::get(location.as_str())
            .body(Bytes::new())
            .map_err(|_| failed("a redirect that is not a URL"))?;
        // Not the error's text: it may name the address, which holds the code.
        transport
            .send(request)
            .await
            .map_err(|_| failed("the loopback callback could not be reached"))?;
    }
    Ok(location)
}

/// Signs in again on this run's demo server (it starts afresh each run, so
/// it knows no earlier token) without a listener: the login page's redirect
/// is read, not followed. The tokens are recorded as secrets.
pub async fn demo_sign_in(
    context: &Context,
    sso: &Sso,
) -> Result<edlink_client::model::TokenSet, Failure> {
    let redirect_uri = "http://127.0.0.1/callback";
    let state = LoginState::generate()
        .map_err(|err| Failure::Other(format!("cannot make the login state: {err}")))?;
    let url = sso.login_url(redirect_uri, &state)?;
    let location = browse(url.to_string(), false).await?;
    let query = location.split_once('?').map_or("", |(_, q)| q);
    let code = state.check_redirect(query).map_err(|err| refused(&err))?;
    context.secrets.add_secret(code.expose_secret());
    sso.exchange_code(code, redirect_uri)
        .await
        .map_err(|err| Failure::from(err).on_user())
}
