//! Variant "typed": the "raw" loop, but each page decoded by the SDK's own
//! model code (`edlink_model::decode_response::<Vec<Integration>>`, or
//! `Vec<Person>` for Graph people: the call the client makes). The cost of
//! the typed decode with none of the client around it (no paging rules,
//! retries, transport cap, or stream), so `sdk/typed` is the client's own
//! overhead.

use edlink_client::Integration;
use edlink_client::model::{Person, Record, decode_response};
use serde::de::DeserializeOwned;

use super::listing::{Kind, Listing};
use super::raw::{self, Http};

/// Lists every item; returns how many there were and the last id.
pub(crate) async fn list(
    http: &Http,
    base: &str,
    listing: &Listing,
    page: usize,
) -> Result<(usize, Option<String>), String> {
    match listing.kind {
        Kind::Integrations => list_as::<Integration>(http, base, listing, page).await,
        Kind::People => list_as::<Person>(http, base, listing, page).await,
    }
}

async fn list_as<T: DeserializeOwned + Record>(
    http: &Http,
    base: &str,
    listing: &Listing,
    page: usize,
) -> Result<(usize, Option<String>), String> {
    let mut url = listing.first_url(base, page);
    let (mut count, mut last) = (0, None);
    loop {
        let buffer = raw::get_body(http, &url, &listing.credential).await?;
        // `raw::get_body` refuses any status but 2xx.
        let page = decode_response::<Vec<T>>(200, Some("application/json"), &buffer)
            .map_err(|e| format!("decoding {url}: {e}"))?;
        for item in page.data {
            count += 1;
            last = item.record_id();
        }
        match page.next {
            Some(next) => url = next,
            None => return Ok((count, last.map(|id| id.to_string()))),
        }
    }
}
