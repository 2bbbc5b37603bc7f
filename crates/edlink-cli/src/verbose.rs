//! `-v`: one log line per HTTP request on stderr, from the client's tracing.

use tracing_subscriber::filter::{EnvFilter, filter_fn};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, fmt};

/// Installs a stderr logger for the client's request spans and events: the
/// `edlink_request` span (method, path without query, attempt) and its
/// events (status, elapsed ms), retries, timeouts and cursor resumes.
///
/// `$warnings` events are left out: the CLI prints those itself (`warning:`
/// lines). The client never puts headers, keys or tokens in its tracing.
pub fn init() {
    let targets = EnvFilter::new("off,edlink_client=debug");
    let no_warnings = filter_fn(|meta| !(meta.is_event() && meta.fields().field("code").is_some()));
    let layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .with_filter(targets)
        .with_filter(no_warnings);
    // Fails only if a logger is already installed: then that one is used.
    let _ = tracing_subscriber::registry().with(layer).try_init();
}
