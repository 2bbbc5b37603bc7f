//! Variant "typed": the "raw" loop, but each page decoded by the SDK's own
//! model code (`edlink_model::decode_response::<Vec<Integration>>`, the call
//! the client makes). The cost of the typed decode with none of the client
//! around it (no paging rules, retries, transport cap, or stream), so
//! `sdk/typed` is the client's own overhead.

use edlink_client::Integration;
use edlink_client::model::decode_response;
use http::header::CONTENT_LENGTH;
use http_body_util::BodyExt;

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
        let response = raw::get(http, &url, key).await?;
        let status = response.status().as_u16();
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = response.into_body();
        let mut buffer = Vec::with_capacity(declared);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| format!("reading {url}: {e}"))?;
            if let Ok(data) = frame.into_data() {
                buffer.extend_from_slice(&data);
            }
        }
        let page = decode_response::<Vec<Integration>>(status, Some("application/json"), &buffer)
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
