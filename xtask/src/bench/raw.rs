//! Variant "raw": what a user without this SDK writes. hyper-util's legacy
//! pooled client by hand, following `$next`, each page decoded into a
//! `serde_json::Value`, the ids collected (integrations or Graph people).

use bytes::Bytes;
use http::header::AUTHORIZATION;
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

use super::listing::Listing;

/// The hand-written client (plain HTTP: the mock is on 127.0.0.1).
pub(crate) type Http = Client<HttpConnector, Empty<Bytes>>;

/// A new pooled client, as a user would build it.
pub(crate) fn client() -> Http {
    Client::builder(TokioExecutor::new()).build_http()
}

/// `GET url` with the credential as a bearer token; fails on a non-2xx status.
pub(crate) async fn get(
    http: &Http,
    url: &str,
    key: &str,
) -> Result<http::Response<Incoming>, String> {
    let request = http::Request::get(url)
        .header(AUTHORIZATION, format!("Bearer {key}"))
        .body(Empty::new())
        .map_err(|e| format!("{url}: {e}"))?;
    let response = http
        .request(request)
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("GET {url}: HTTP {}", response.status()));
    }
    Ok(response)
}

/// `GET url` and its whole body, read frame by frame into one buffer sized
/// from `Content-Length`: how the floor, typed and prefetch variants read.
pub(crate) async fn get_body(http: &Http, url: &str, key: &str) -> Result<Vec<u8>, String> {
    let response = get(http, url, key).await?;
    let declared = response
        .headers()
        .get(http::header::CONTENT_LENGTH)
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
    Ok(buffer)
}

/// Lists every item; returns their ids in the order received.
pub(crate) async fn list(
    http: &Http,
    base: &str,
    listing: &Listing,
    page: usize,
) -> Result<Vec<String>, String> {
    let key = listing.credential.as_str();
    let mut url = listing.first_url(base, page);
    let mut ids = Vec::new();
    loop {
        let response = get(http, &url, key).await?;
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("reading {url}: {e}"))?
            .to_bytes();
        let document: Value =
            serde_json::from_slice(&body).map_err(|e| format!("decoding {url}: {e}"))?;
        let items = document
            .get("$data")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{url}: no $data array"))?;
        for item in items {
            let id = item
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{url}: an item without an id"))?;
            ids.push(id.to_owned());
        }
        match document.get("$next").and_then(Value::as_str) {
            Some(next) => url = next.to_owned(),
            None => return Ok(ids),
        }
    }
}
