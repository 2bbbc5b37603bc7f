//! Lists the schools of every active integration, a few integrations at a
//! time: one `Client` (one connection pool), one `Graph` handle per
//! integration, at most CONCURRENCY listings in flight. A line per
//! integration, in the integrations' order.
//!
//! ```sh
//! EDLINK_SECRET_KEY=... cargo run -p edlink-client --example graph_schools [-- CONCURRENCY]
//! # against a local fake server (cargo run -p edlink-mock --features cli -- --port 8080):
//! EDLINK_SECRET_KEY=test-key EDLINK_BASE_URL=http://127.0.0.1:8080 \
//!     cargo run -p edlink-client --example graph_schools -- 4
//! ```
//!
//! `tests/graph_e2e.rs` runs [`active_schools`] against the mock.

use std::future;
use std::process::ExitCode;

use edlink_client::model::{IntegrationState, IntegrationStatus, School};
use edlink_client::{Client, Error, Integration};
use futures_util::TryStreamExt;
use uuid::Uuid;

/// What one integration gave: its schools, or why they could not be read
/// (e.g. its token was refused: [`Error::is_unusable_integration`]).
#[derive(Debug)]
pub struct Report {
    /// The integration.
    pub integration: Uuid,
    /// Its source's name, when the listing gave one.
    pub source: Option<String>,
    /// Its schools, or the error of that one listing.
    pub schools: Result<Vec<School>, Error>,
}

impl Report {
    /// `ID<TAB>SOURCE<TAB>N schools: A, B` or `ID<TAB>SOURCE<TAB>error: …`.
    pub fn line(&self) -> String {
        let source = self.source.as_deref().unwrap_or("-");
        match &self.schools {
            Ok(schools) => {
                let names: Vec<&str> = schools
                    .iter()
                    .map(|s| s.name.as_deref().unwrap_or("-"))
                    .collect();
                format!(
                    "{}\t{source}\t{} school{}: {}",
                    self.integration,
                    names.len(),
                    if names.len() == 1 { "" } else { "s" },
                    names.join(", ")
                )
            }
            Err(err) => format!("{}\t{source}\terror: {err}", self.integration),
        }
    }
}

/// Whether the integration's data can be read (`active`; v1 says `status`,
/// v2 `state`).
fn is_active(integration: &Integration) -> bool {
    integration.status == Some(IntegrationStatus::Active)
        || integration.state == Some(IntegrationState::Active)
}

/// The schools of every active integration, listed with at most
/// `concurrency` integrations in flight, in the integrations' order. The
/// integrations are streamed (one page in memory), and each integration's
/// failure stays in its own [`Report`]; only a failure of the integrations
/// listing itself ends the run.
pub async fn active_schools(client: &Client, concurrency: usize) -> Result<Vec<Report>, Error> {
    client
        .integrations()
        .list()
        .items()
        .try_filter(|integration| future::ready(is_active(integration)))
        .map_ok(|integration| schools_of(client, integration))
        .try_buffered(concurrency.max(1))
        .try_collect()
        .await
}

/// One integration's schools, with its own `Graph` handle on the shared
/// client.
async fn schools_of(client: &Client, integration: Integration) -> Result<Report, Error> {
    let schools = match client.graph_for(&integration) {
        Ok(graph) => graph.schools().list().collect_all().await,
        Err(err) => Err(err),
    };
    Ok(Report {
        integration: integration.id,
        source: integration.source.and_then(|s| s.name),
        schools,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let concurrency = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(8);
    let client = match std::env::var("EDLINK_BASE_URL") {
        Ok(base_url) => Client::builder()
            .application_key_from_env()
            .base_url(&base_url)
            .build(),
        Err(_) => Client::from_env(),
    };
    let result = match client {
        Ok(client) => active_schools(&client, concurrency).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(reports) => {
            for report in &reports {
                println!("{}", report.line());
            }
            eprintln!("{} active integrations", reports.len());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
