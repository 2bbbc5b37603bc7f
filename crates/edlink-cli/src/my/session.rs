//! The stored session of `edlink login` as a library [`User`]: the person
//! session that refreshes its token before expiry and once after a refusal,
//! and hands every new token set to a callback, which stores it again (so
//! the next run starts from the fresh set, and a rotated refresh token is
//! never lost).

use std::io::{self, Write};
use std::sync::Arc;

use edlink_client::User;

use crate::exit::Failure;
use crate::login::{demo_sign_in, secret_from_env};
use crate::run::Context;
use crate::store::{self, StoredSession};

/// Opens the stored session. No session is a usage error telling the user
/// to run `edlink login` (exit 2, like a missing key); one stored for
/// another base URL is refused before its tokens are sent anywhere.
pub async fn open(context: &Context) -> Result<User, Failure> {
    let demo = context.demo.as_ref();
    let path = store::session_path(demo.is_some())?;
    let Some(mut session) = store::load(&path)? else {
        let login = if demo.is_some() {
            "edlink --demo login"
        } else {
            "edlink login"
        };
        return Err(Failure::Usage(format!(
            "not signed in: run `{login}` first (no session in {})",
            path.display()
        )));
    };
    let sso = match demo {
        Some(demo) => {
            let (client_id, secret) = demo.sso_client();
            context.secrets.add_secret(secret.expose_secret());
            let sso = context.client.sso(client_id, secret);
            // This run's demo server is new and knows no earlier token: sign
            // in again on it, as `--demo login` did, and store that set.
            session.tokens = demo_sign_in(context, &sso).await?;
            session.base_url = context.client.base_url().to_owned();
            store::save(&path, &session)?;
            if !context.cli.quiet {
                let _ = writeln!(
                    io::stderr().lock(),
                    "demo: the demo server starts afresh each run, so this run signed in again"
                );
            }
            sso
        }
        None => {
            if session.base_url != context.client.base_url() {
                return Err(Failure::Usage(format!(
                    "the stored session signed in at {}: pass --base-url {} (or run `edlink \
                     login` again for {})",
                    session.base_url,
                    session.base_url,
                    context.client.base_url()
                )));
            }
            let Some(var) = session.client_secret_env.clone() else {
                return Err(Failure::Usage(
                    "the stored session names no client secret variable: run `edlink login` again"
                        .to_owned(),
                ));
            };
            let secret = secret_from_env(&var).map_err(|_| {
                Failure::Usage(format!(
                    "the session is refreshed with the client secret, from the variable {var} \
                     (as `edlink login --client-secret-env {var}` said): set it"
                ))
            })?;
            context.secrets.add_secret(secret.expose_secret());
            context.client.sso(session.client_id.clone(), secret)
        }
    };
    let tokens = session.tokens.clone();
    context
        .secrets
        .add_secret(tokens.access_token().expose_secret());
    if let Some(refresh) = tokens.refresh_token() {
        context.secrets.add_secret(refresh.expose_secret());
    }
    let secrets = Arc::clone(&context.secrets);
    let user = sso
        .user(tokens)
        .on_refresh(move |fresh| {
            secrets.add_secret(fresh.access_token().expose_secret());
            if let Some(refresh) = fresh.refresh_token() {
                secrets.add_secret(refresh.expose_secret());
            }
            store_refreshed(&path, &session, fresh);
        })
        .build();
    Ok(user)
}

/// Stores a refreshed token set in place of the old one (a small file: the
/// library asks the callback to be short, and this is). A failure is a
/// warning: this run goes on with the new set, the next one will have to
/// refresh (or sign in) again.
fn store_refreshed(
    path: &std::path::Path,
    session: &StoredSession,
    fresh: &edlink_client::TokenSet,
) {
    let mut session = session.clone();
    session.tokens = fresh.clone();
    if let Err(failure) = store::save(path, &session) {
        let message = match failure {
            Failure::Other(message) => message,
            _ => format!("cannot store the refreshed session in {}", path.display()),
        };
        let _ = writeln!(io::stderr().lock(), "warning: {message}");
    }
}
