//! Bytes on the wire: every page of the listing asked for twice, as it is and
//! with `Accept-Encoding: gzip`, by the hand-written hyper client (which does
//! not decode), counting the response bodies. Headers (about 250 bytes a
//! response either way) are left out.

use http::header::{ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING};
use http_body_util::{BodyExt, Empty};
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::bench::listing::Listing;
use crate::bench::mock::KEY;
use crate::bench::raw::{self, Http};

/// What the listing puts on the wire.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Wire {
    pub(crate) pages: usize,
    pub(crate) items: usize,
    /// Body bytes, uncompressed and gzip-encoded.
    pub(crate) identity_bytes: u64,
    pub(crate) gzip_bytes: u64,
}

impl Wire {
    /// gzip bytes / identity bytes.
    pub(crate) fn ratio(&self) -> f64 {
        self.gzip_bytes as f64 / self.identity_bytes as f64
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "$data")]
    data: Vec<IgnoredAny>,
    #[serde(rename = "$next", default)]
    next: Option<String>,
}

/// `GET url` asking for gzip: the body's size as sent.
async fn gzip_size(http: &Http, url: &str) -> Result<u64, String> {
    let request = http::Request::get(url)
        .header(AUTHORIZATION, format!("Bearer {KEY}"))
        .header(ACCEPT_ENCODING, "gzip")
        .body(Empty::new())
        .map_err(|e| format!("{url}: {e}"))?;
    let response = http
        .request(request)
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    if response
        .headers()
        .get(CONTENT_ENCODING)
        .is_none_or(|v| v != "gzip")
    {
        return Err(format!("GET {url}: the answer is not gzip-encoded"));
    }
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("reading {url}: {e}"))?
        .to_bytes();
    Ok(body.len() as u64)
}

/// Walks the listing in pages of `page`, each page fetched both ways.
pub(crate) async fn measure(base: &str, page: usize) -> Result<Wire, String> {
    let http = raw::client();
    let mut wire = Wire::default();
    let mut url = Listing::integrations().first_url(base, page);
    loop {
        let plain = raw::get_body(&http, &url, KEY).await?;
        wire.identity_bytes += plain.len() as u64;
        wire.gzip_bytes += gzip_size(&http, &url).await?;
        let envelope: Envelope =
            serde_json::from_slice(&plain).map_err(|e| format!("decoding {url}: {e}"))?;
        wire.pages += 1;
        wire.items += envelope.data.len();
        match envelope.next {
            Some(next) => url = next,
            None => return Ok(wire),
        }
    }
}
