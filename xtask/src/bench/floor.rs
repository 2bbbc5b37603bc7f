//! Variant "floor": the transfer cost no client can beat. The same requests
//! as "raw", each body read into one buffer sized from `Content-Length`, then
//! parsed without building anything (`serde::de::IgnoredAny` per item) except
//! `$next`.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::listing::Listing;
use super::raw::{self, Http};

#[derive(Deserialize)]
struct Envelope {
    /// A `Vec` of a zero-sized type: counting, no allocation.
    #[serde(rename = "$data")]
    data: Vec<IgnoredAny>,
    #[serde(rename = "$next", default)]
    next: Option<String>,
}

/// Lists every item; returns how many there were.
pub(crate) async fn list(
    http: &Http,
    base: &str,
    listing: &Listing,
    page: usize,
) -> Result<usize, String> {
    list_from(http, listing.first_url(base, page), &listing.credential).await
}

/// Lists every item from `url` on, following `$next`, with `key` as the
/// bearer token; returns how many there were.
pub(crate) async fn list_from(http: &Http, mut url: String, key: &str) -> Result<usize, String> {
    let mut count = 0;
    loop {
        let buffer = raw::get_body(http, &url, key).await?;
        let envelope: Envelope =
            serde_json::from_slice(&buffer).map_err(|e| format!("decoding {url}: {e}"))?;
        count += envelope.data.len();
        match envelope.next {
            Some(next) => url = next,
            None => return Ok(count),
        }
    }
}
