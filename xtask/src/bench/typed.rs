//! Variant "typed": the "raw" loop, but each page decoded by the SDK's own
//! model code (`edlink_model::decode_response::<Vec<Integration>>`, the call
//! the client makes). The cost of the typed decode with none of the client
//! around it (no paging rules, retries, transport cap, or stream), so
//! `sdk/typed` is the client's own overhead.

use edlink_client::Integration;
use edlink_client::model::decode_response;

use super::raw::{self, Http};

/// Lists every integration; returns how many there were and the last id.
pub(crate) async fn list(
    http: &Http,
    base: &str,
    key: &str,
    page: usize,
) -> Result<(usize, Option<String>), String> {
    let mut url = raw::first_url(base, page);
    let (mut count, mut last) = (0, None);
    loop {
        let buffer = raw::get_body(http, &url, key).await?;
        // `raw::get_body` refuses any status but 2xx.
        let page = decode_response::<Vec<Integration>>(200, Some("application/json"), &buffer)
            .map_err(|e| format!("decoding {url}: {e}"))?;
        for integration in page.data {
            count += 1;
            last = Some(integration.id);
        }
        match page.next {
            Some(next) => url = next,
            None => return Ok((count, last.map(|id| id.to_string()))),
        }
    }
}
