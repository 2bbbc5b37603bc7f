//! Running a parsed command line: the client, the demo server, the commands.

use std::io::{self, Write};

use std::future::Future;
use std::sync::Arc;

use clap::CommandFactory;
use edlink_client::model::redact::{Mask, Redactor};
use edlink_client::transport::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT};
use edlink_client::{
    ApiWarning, ApplicationKey, Client, DEFAULT_BASE_URL, DEFAULT_CALL_TIMEOUT,
    DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_RETRY_AFTER, Error, HyperTransport, RawJson, Response,
    RetryPolicy,
};
use uuid::Uuid;

use crate::args::{Action, Cli, Command, CompletionShell};
use crate::demo::Demo;
use crate::exit::{Failure, one_line, report};
use crate::output::table::{Column, columns};
use crate::output::{Printer, table_width};
use crate::secrets::Secrets;

/// The three collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `/api/v1/integrations` (needs the application secret key).
    Integrations,
    /// `/api/v1/providers` (public).
    Providers,
    /// `/api/v1/permissions` (public).
    Permissions,
}

/// What a command needs besides its own arguments.
#[derive(Debug)]
pub struct Context {
    /// The client, ready to use.
    pub client: Client,
    /// The parsed command line.
    pub cli: Cli,
    /// The key and token in use, to scrub them from everything printed
    /// (shared: a refreshed session records its new tokens from the
    /// library's callback).
    pub secrets: Arc<Secrets>,
    /// The demo server, with `--demo` (it runs until the command is done).
    pub demo: Option<Demo>,
}

impl Context {
    /// What every printed item passes: secrets masked to `HZ4M…` (and the
    /// key and token in use masked wherever they appear), unless
    /// `--show-secrets`.
    pub fn output_redactor(&self) -> Option<Redactor<'_>> {
        (!self.cli.show_secrets).then(|| self.secrets.redactor(Mask::Prefix))
    }
}

/// Runs the command line and returns the process exit code.
pub fn main(cli: Cli) -> u8 {
    if let Command::Completions { shell } = cli.command {
        return match completions(shell) {
            Ok(()) => crate::exit::SUCCESS,
            Err(err) => report(&err, &Secrets::default()),
        };
    }
    if cli.verbose {
        crate::verbose::init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            let failure = Failure::Other(format!("cannot start: {err}"));
            return report(&failure, &Secrets::default());
        }
    };
    runtime.block_on(async_main(cli))
}

async fn async_main(cli: Cli) -> u8 {
    // The demo server lives until the command is done.
    let demo = if cli.demo {
        match Demo::start().await {
            Ok(demo) => Some(demo),
            Err(err) => {
                let failure = Failure::Other(format!("cannot start the demo server: {err}"));
                return report(&failure, &Secrets::default());
            }
        }
    } else {
        None
    };
    let secret = match &demo {
        Some(demo) => Some(demo.key().clone()),
        None => cli
            .secret_key
            .clone()
            .filter(|k| !k.expose_secret().trim().is_empty()),
    };
    let client = match build_client(&cli, demo.as_ref(), secret.as_ref()) {
        Ok(client) => client,
        Err(failure) => return report(&failure, &Secrets::new(secret)),
    };
    let context = Context {
        client,
        cli,
        secrets: Arc::new(Secrets::new(secret)),
        demo,
    };
    match dispatch(&context).await {
        Ok(()) => crate::exit::SUCCESS,
        Err(failure) => report(&failure, &context.secrets),
    }
}

/// The client for this command line: its own `HyperTransport` (timeouts,
/// extra roots), the retry policy, the base URL and the key.
fn build_client(
    cli: &Cli,
    demo: Option<&Demo>,
    secret: Option<&ApplicationKey>,
) -> Result<Client, Failure> {
    let needs_key = matches!(target(&cli.command), Some((Kind::Integrations, _)));
    #[cfg(feature = "sync")]
    if secret.is_none() {
        if let Command::Sync(args) = &cli.command {
            crate::sync::check_key(args)?;
        }
    }
    if needs_key && secret.is_none() {
        return Err(Failure::Usage(
            "integrations need the application secret key: pass --secret-key KEY or set \
             EDLINK_SECRET_KEY (or try --demo)"
                .to_owned(),
        ));
    }
    let request_timeout = cli.timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT);
    let mut transport = HyperTransport::builder()
        .request_timeout(request_timeout)
        .connect_timeout(request_timeout.min(DEFAULT_CONNECT_TIMEOUT));
    if cli.danger_allow_plain_http {
        transport = transport.danger_allow_plain_http(true);
    }
    if let Some(proxy) = &cli.proxy {
        transport = transport.proxy(proxy.expose());
    }
    if let Some(path) = &cli.ca_cert {
        let pem = std::fs::read(path).map_err(|err| {
            Failure::Usage(format!("cannot read --ca-cert {}: {err}", path.display()))
        })?;
        transport = transport.add_root_certificate_pem(pem);
    }
    let transport = transport
        .build()
        .map_err(|err| Failure::Usage(format!("cannot set up HTTPS: {err}")))?;

    let attempts = match cli.max_retries {
        Some(retries) => retries.saturating_add(1),
        None => DEFAULT_MAX_ATTEMPTS,
    };
    // Every attempt may take the whole request timeout, and the waits
    // between attempts are capped at DEFAULT_MAX_RETRY_AFTER: the call's
    // deadline leaves room for all of them.
    let per_attempt = request_timeout.saturating_add(DEFAULT_MAX_RETRY_AFTER);
    let call_timeout = DEFAULT_CALL_TIMEOUT.max(per_attempt.saturating_mul(attempts));
    let base_url = match demo {
        Some(demo) => demo.base_url(),
        None => cli
            .base_url
            .clone()
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
    };
    if cli.danger_allow_plain_http && !cli.quiet && base_url.starts_with("http://") {
        eprintln!(
            "warning: --danger-allow-plain-http: the key and tokens cross the network in clear"
        );
    }
    let mut builder = Client::builder()
        .base_url(&base_url)
        .transport(transport)
        .retry_policy(RetryPolicy::default().max_attempts(attempts))
        .call_timeout(call_timeout)
        .danger_allow_plain_http(cli.danger_allow_plain_http)
        .user_agent_suffix(concat!("edlink-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(secret) = secret {
        builder = builder.application_key(secret.clone());
    }
    Ok(builder.build()?)
}

/// The v1 collection and action of a command (`None` for the others).
fn target(command: &Command) -> Option<(Kind, &Action)> {
    match command {
        Command::Integrations { action } => Some((Kind::Integrations, action)),
        Command::Providers { action } => Some((Kind::Providers, action)),
        Command::Permissions { action } => Some((Kind::Permissions, action)),
        Command::Graph { .. }
        | Command::Login(_)
        | Command::My { .. }
        | Command::Completions { .. } => None,
        #[cfg(feature = "sync")]
        Command::Sync(_) => None,
    }
}

async fn dispatch(context: &Context) -> Result<(), Failure> {
    match &context.cli.command {
        Command::Graph { resource } => return crate::graph::run(context, resource).await,
        Command::Login(args) => return crate::login::run(context, args).await,
        Command::My { resource } => return crate::my::run(context, resource).await,
        _ => {}
    }
    #[cfg(feature = "sync")]
    if let Command::Sync(args) = &context.cli.command {
        return crate::sync::run(context, args).await;
    }
    let Some((kind, action)) = target(&context.cli.command) else {
        return Ok(());
    };
    match action {
        Action::List(args) => crate::list::run(context, kind, args).await,
        Action::Get { id } => get(context, kind, *id).await,
    }
}

async fn get(context: &Context, kind: Kind, id: Uuid) -> Result<(), Failure> {
    let client = &context.client;
    let columns = columns(kind);
    match kind {
        Kind::Integrations => {
            print_one(context, client.integrations().get_raw_exact(id), columns).await
        }
        Kind::Providers => print_one(context, client.providers().get_raw_exact(id), columns).await,
        Kind::Permissions => {
            print_one(context, client.permissions().get_raw_exact(id), columns).await
        }
    }
}

/// Writes the one object of a fetch (as a one-row table, or the object
/// alone), with the response's warnings on stderr.
pub async fn print_one(
    context: &Context,
    fetch: impl Future<Output = Result<Response<RawJson>, Error>>,
    columns: Vec<Column>,
) -> Result<(), Failure> {
    let response = match fetch.await {
        Ok(response) => response,
        Err(err) => {
            print_warnings(context, err.warnings());
            return Err(err.into());
        }
    };
    print_warnings(context, &response.warnings);
    let printer = Printer::new(
        io::stdout(),
        context.cli.format,
        columns,
        context.output_redactor(),
        table_width(),
    );
    printer.single(&response.data)?;
    Ok(())
}

/// `warning: CODE: message` on stderr for each `$warnings` entry, unless `--quiet`.
pub fn print_warnings(context: &Context, warnings: &[ApiWarning]) {
    if context.cli.quiet {
        return;
    }
    let mut stderr = io::stderr().lock();
    for warning in warnings {
        let text = one_line(&warning.to_string(), &context.secrets);
        let _ = writeln!(stderr, "warning: {text}");
    }
}

/// The completion script, built in memory first so a closed stdout is an
/// error to report, not a panic inside the generator.
fn completions(shell: CompletionShell) -> Result<(), Failure> {
    let shell = match shell {
        CompletionShell::Bash => clap_complete::Shell::Bash,
        CompletionShell::Zsh => clap_complete::Shell::Zsh,
        CompletionShell::Fish => clap_complete::Shell::Fish,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "edlink", &mut script);
    let mut stdout = io::stdout().lock();
    stdout.write_all(&script)?;
    stdout.flush()?;
    Ok(())
}
