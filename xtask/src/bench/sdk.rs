//! Variant "sdk": `edlink-client`'s item stream with the default
//! `HyperTransport`, as the README shows it (`client.integrations()`, or
//! `client.graph(token).people()` for Graph people).

use edlink_client::model::Record;
use edlink_client::{Client, Error, ItemStream};
use futures_util::TryStreamExt;

use super::listing::{Kind, Listing};

/// A client on the mock, with the default settings.
pub(crate) fn client(base: &str, key: &str) -> Result<Client, String> {
    Client::builder()
        .application_key(key)
        .base_url(base)
        .build()
        .map_err(|e| format!("building the client: {e}"))
}

/// Lists every item through the item stream; returns how many there were
/// and the last id.
pub(crate) async fn list(
    client: &Client,
    listing: &Listing,
    page: u64,
) -> Result<(usize, Option<String>), String> {
    list_observed(client, listing, page, |_| {}).await
}

/// [`list`], calling `after(n)` once the `n`th item is in hand (for the
/// memory child, which reads its peak part-way).
pub(crate) async fn list_observed(
    client: &Client,
    listing: &Listing,
    page: u64,
    after: impl FnMut(usize),
) -> Result<(usize, Option<String>), String> {
    match listing.kind {
        Kind::Integrations => drain(client.integrations().list().first(page).items(), after).await,
        Kind::People => {
            let graph = client.graph(listing.credential.as_str());
            drain(graph.people().list().first(page).items(), after).await
        }
    }
}

async fn drain<T: Record>(
    mut items: ItemStream<T>,
    mut after: impl FnMut(usize),
) -> Result<(usize, Option<String>), String> {
    let mut count = 0;
    let mut last = None;
    while let Some(item) = items
        .try_next()
        .await
        .map_err(|e: Error| format!("sdk: {e}"))?
    {
        count += 1;
        last = item.record_id();
        after(count);
    }
    Ok((count, last.map(|id| id.to_string())))
}
