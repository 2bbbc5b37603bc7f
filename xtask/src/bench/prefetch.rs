//! Variant "prefetch": a prototype, not a client. The "typed" loop, but as
//! soon as a page's body is in, its `$next` is found by a cheap scan
//! (`IgnoredAny` for `$data`) and the next page is requested on another task
//! while this one is decoded: transfer and decoding overlap. It shows what
//! the SDK's item stream could gain by prefetching one page.

use edlink_client::Integration;
use edlink_client::model::decode_response;
use serde::Deserialize;
use serde::de::IgnoredAny;
use tokio::task::JoinHandle;

use super::listing::Listing;
use super::raw::{self, Http};

#[derive(Deserialize)]
struct Next {
    #[serde(rename = "$data")]
    _data: IgnoredAny,
    #[serde(rename = "$next", default)]
    next: Option<String>,
}

async fn fetch(http: Http, url: String, key: String) -> Result<Vec<u8>, String> {
    raw::get_body(&http, &url, &key).await
}

fn spawn(http: &Http, url: String, key: &str) -> JoinHandle<Result<Vec<u8>, String>> {
    tokio::spawn(fetch(http.clone(), url, key.to_owned()))
}

/// `$next`: looked for in the last KiB first (where Edlink's envelope puts
/// it, after `$data`), else by a full scan.
fn next_url(body: &[u8]) -> Result<Option<String>, String> {
    const KEY: &[u8] = b"\"$next\":\"";
    let tail = &body[body.len().saturating_sub(1024)..];
    if let Some(at) = tail.windows(KEY.len()).rposition(|w| w == KEY) {
        let rest = &tail[at + KEY.len()..];
        if let Some(end) = rest.iter().position(|&b| b == b'"' || b == b'\\') {
            if rest[end] == b'"' {
                if let Ok(url) = std::str::from_utf8(&rest[..end]) {
                    return Ok(Some(url.to_owned()));
                }
            }
        }
    }
    let scan: Next = serde_json::from_slice(body).map_err(|e| format!("scanning: {e}"))?;
    Ok(scan.next)
}

/// Lists every integration; returns how many there were and the last id.
pub(crate) async fn list(
    http: &Http,
    base: &str,
    listing: &Listing,
    page: usize,
) -> Result<(usize, Option<String>), String> {
    let key = listing.credential.as_str();
    let mut pending = Some(spawn(http, listing.first_url(base, page), key));
    let (mut count, mut last) = (0, None);
    while let Some(task) = pending.take() {
        let body = task.await.map_err(|e| format!("fetch task: {e}"))??;
        pending = next_url(&body)?.map(|next| spawn(http, next, key));
        let page = decode_response::<Vec<Integration>>(200, Some("application/json"), &body)
            .map_err(|e| format!("decoding: {e}"))?;
        for integration in page.data {
            count += 1;
            last = Some(integration.id);
        }
    }
    Ok((count, last.map(|id| id.to_string())))
}
