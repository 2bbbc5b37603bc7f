//! Which access token a Graph command's requests carry.
//!
//! In order:
//! 1. `--integration UUID` (with the secret key): the integration is fetched
//!    and its `access_token` used. Together with an `--access-token` *flag*
//!    it is a usage error; an `EDLINK_ACCESS_TOKEN` in the environment gives
//!    way to it (a flag beats the environment).
//! 2. `--access-token` or `EDLINK_ACCESS_TOKEN` (the environment's is ignored
//!    by `--demo`, like its secret key).
//! 3. `--demo`: the demo server's first `active` integration, named on stderr.
//!
//! The token is never printed; once known it is masked by value in every
//! line the CLI writes ([`Secrets`](crate::secrets::Secrets)).

use std::io::{self, Write};

use edlink_client::{AccessToken, Graph};
use uuid::Uuid;

use crate::exit::Failure;
use crate::run::{Context, print_warnings};

/// The Graph handle of this command line, or why there is none. Makes at
/// most one request (the integration, for `--integration`).
pub async fn graph(context: &Context) -> Result<Graph, Failure> {
    let cli = &context.cli;
    let given = cli
        .access_token
        .as_ref()
        .filter(|token| !token.expose_secret().trim().is_empty());
    let flag = given.filter(|_| !cli.access_token_from_env);
    let env = given.filter(|_| cli.access_token_from_env && !cli.demo);
    let integration = match cli.integration.as_slice() {
        [] => None,
        [one] => Some(*one),
        _ => {
            return Err(Failure::Usage(
                "graph commands read one integration: give --integration once".to_owned(),
            ));
        }
    };
    let token = match (integration, flag.or(env)) {
        (Some(_), Some(_)) if flag.is_some() => {
            return Err(Failure::Usage(
                "--access-token and --integration cannot be used together: give the token, or \
                 the integration whose token to use"
                    .to_owned(),
            ));
        }
        (Some(id), _) => integration_token(context, id).await?,
        (None, Some(token)) => token.clone(),
        (None, None) => match &context.demo {
            Some(demo) => demo_token(context, demo)?,
            None => {
                return Err(Failure::Usage(
                    "graph commands need the access token of an integration (--access-token \
                     TOKEN or EDLINK_ACCESS_TOKEN), or --integration UUID with the secret key \
                     (or try --demo)"
                        .to_owned(),
                ));
            }
        },
    };
    context.secrets.add_token(&token);
    Ok(context.client.graph(token))
}

/// The access token of integration `id`, read with the secret key.
async fn integration_token(context: &Context, id: Uuid) -> Result<AccessToken, Failure> {
    if context.secrets.key().is_none() {
        return Err(Failure::Usage(
            "--integration needs the application secret key (--secret-key KEY or \
             EDLINK_SECRET_KEY) to read the access token of the integration (or use \
             --access-token)"
                .to_owned(),
        ));
    }
    let response = match context.client.integrations().get(id).with_meta().await {
        Ok(response) => response,
        Err(err) => {
            print_warnings(context, err.warnings());
            return Err(err.into());
        }
    };
    print_warnings(context, &response.warnings);
    match response.data.access_token {
        Some(token) if !token.expose_secret().is_empty() => Ok(token),
        _ => Err(Failure::Other(format!(
            "integration {id} carries no access_token, so its Graph cannot be read"
        ))),
    }
}

/// The demo server's first active integration, named on stderr (unless
/// `--quiet`) so the user can pick it, or another, with `--integration`.
fn demo_token(context: &Context, demo: &crate::demo::Demo) -> Result<AccessToken, Failure> {
    let Some((id, token)) = demo.first_active() else {
        return Err(Failure::Other(
            "the demo server has no active integration".to_owned(),
        ));
    };
    if !context.cli.quiet {
        let _ = writeln!(
            io::stderr().lock(),
            "demo: reading integration {id}, the first active one (--integration UUID picks another)"
        );
    }
    Ok(token)
}
