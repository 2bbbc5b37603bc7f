//! Lists your application's integrations: id, source name and status.
//!
//! ```sh
//! EDLINK_SECRET_KEY=... cargo run -p edlink-client --example list_integrations
//! # against a local fake server:
//! EDLINK_SECRET_KEY=test-key EDLINK_BASE_URL=http://127.0.0.1:8080 \
//!     cargo run -p edlink-client --example list_integrations
//! ```

use std::process::ExitCode;

use edlink_client::Client;
use futures_util::TryStreamExt;

async fn run() -> Result<u64, edlink_client::Error> {
    let client = match std::env::var("EDLINK_BASE_URL") {
        Ok(base_url) => Client::builder()
            .application_key_from_env()
            .base_url(&base_url)
            .build()?,
        Err(_) => Client::from_env()?,
    };
    let mut integrations = client.integrations().list().items();
    let mut count = 0;
    while let Some(integration) = integrations.try_next().await? {
        let source = integration
            .source
            .as_ref()
            .and_then(|s| s.name.as_deref())
            .unwrap_or("-");
        // `status` in v1 responses, `state` in newer ones.
        let status = match (&integration.status, &integration.state) {
            (Some(status), _) => status.to_string(),
            (None, Some(state)) => state.to_string(),
            (None, None) => "-".to_owned(),
        };
        println!("{}\t{source}\t{status}", integration.id);
        count += 1;
    }
    Ok(count)
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(count) => {
            eprintln!("{count} integrations");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            if let Some(id) = err.request_id() {
                eprintln!("Edlink request id: {id}");
            }
            ExitCode::FAILURE
        }
    }
}
