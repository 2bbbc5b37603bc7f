//! Variant "sdk": `edlink-client`'s item stream with the default
//! `HyperTransport`, as the README shows it.

use edlink_client::Client;
use futures_util::TryStreamExt;

/// A client on the mock, with the default settings.
pub(crate) fn client(base: &str, key: &str) -> Result<Client, String> {
    Client::builder()
        .application_key(key)
        .base_url(base)
        .build()
        .map_err(|e| format!("building the client: {e}"))
}

/// Lists every integration through the item stream; returns how many there
/// were and the last id.
pub(crate) async fn list(client: &Client, page: u64) -> Result<(usize, Option<String>), String> {
    let mut items = client.integrations().list().first(page).items();
    let mut count = 0;
    let mut last = None;
    while let Some(integration) = items.try_next().await.map_err(|e| format!("sdk: {e}"))? {
        count += 1;
        last = Some(integration.id);
    }
    Ok((count, last.map(|id| id.to_string())))
}
