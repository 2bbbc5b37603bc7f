//! gzip answers and the shaped link (time to first byte, bandwidth), seen by a plain client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Read;
use std::time::Duration;

use bytes::Bytes;
use common::{KEY, TestClient, client};
use edlink_mock::{Collection, Fault, MockServer, Route};
use http::{HeaderMap, Request};
use http_body_util::{BodyExt, Empty};
use serde_json::Value;
use tokio::time::Instant;

struct Answer {
    headers: HeaderMap,
    body: Result<Bytes, String>,
    /// From sending the request to its headers, and to the end of its body (tokio's clock).
    first_byte: Duration,
    whole: Duration,
}

impl Answer {
    fn encoding(&self) -> Option<&str> {
        self.headers
            .get("content-encoding")
            .map(|v| v.to_str().unwrap())
    }

    fn body(&self) -> &Bytes {
        self.body.as_ref().unwrap()
    }

    /// The body as JSON, gunzipped when it says it is gzip.
    fn json(&self) -> Value {
        let plain = match self.encoding() {
            Some("gzip") => gunzip(self.body()).unwrap(),
            _ => self.body().to_vec(),
        };
        serde_json::from_slice(&plain).unwrap()
    }
}

/// One gzip member, as a client that does not support concatenated members reads it.
fn gunzip(encoded: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(encoded).read_to_end(&mut plain)?;
    Ok(plain)
}

async fn get(client: &TestClient, url: &str, accept_encoding: Option<&str>) -> Answer {
    let mut request = Request::get(url).header("authorization", format!("Bearer {KEY}"));
    if let Some(value) = accept_encoding {
        request = request.header("accept-encoding", value);
    }
    let start = Instant::now();
    let response = client
        .request(request.body(Empty::new()).unwrap())
        .await
        .unwrap();
    let first_byte = start.elapsed();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .map_err(|e| format!("{e:?}"));
    Answer {
        headers,
        body,
        first_byte,
        whole: start.elapsed(),
    }
}

fn page_url(server: &MockServer, size: usize) -> String {
    server.url(&format!("/api/v1/integrations?$first={size}"))
}

#[tokio::test]
async fn gzip_is_sent_when_asked_and_decodes_to_the_same_page() {
    let server = MockServer::builder()
        .generated(600, 3)
        .start()
        .await
        .unwrap();
    let c = client();
    let url = page_url(&server, 500);
    let plain = get(&c, &url, None).await;
    assert_eq!(plain.encoding(), None, "nothing asked, nothing encoded");
    let expected = plain.json();
    // Twice: the second answer is built from the cached deflate blocks.
    for _ in 0..2 {
        let gzip = get(&c, &url, Some("gzip, deflate, br")).await;
        assert_eq!(gzip.encoding(), Some("gzip"));
        assert_eq!(gzip.headers["vary"], "accept-encoding");
        let declared: usize = gzip.headers["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            declared,
            gzip.body().len(),
            "Content-Length is the wire size"
        );
        assert!(
            gzip.body().len() * 3 < plain.body().len(),
            "{} of {}",
            gzip.body().len(),
            plain.body().len()
        );
        let page = gzip.json();
        assert_eq!(page["$data"], expected["$data"]);
        assert!(page["$next"].as_str().unwrap().contains("$cursor="));
        assert_ne!(page["$request"], expected["$request"], "a fresh tail");
    }
    // The cursor of a compressed page works like any other.
    let next = get(&c, &url, Some("gzip")).await.json()["$next"]
        .as_str()
        .unwrap()
        .to_owned();
    let rest = get(&c, &next, Some("gzip")).await.json();
    assert_eq!(rest["$data"].as_array().unwrap().len(), 100);
}

#[tokio::test]
async fn identity_when_refused_small_or_switched_off() {
    let server = MockServer::builder()
        .generated(50, 3)
        .start()
        .await
        .unwrap();
    let c = client();
    let url = page_url(&server, 50);
    for refused in ["identity", "gzip;q=0", "br", "*;q=0"] {
        let answer = get(&c, &url, Some(refused)).await;
        assert_eq!(answer.encoding(), None, "{refused}");
        assert_eq!(answer.json()["$data"].as_array().unwrap().len(), 50);
    }
    assert_eq!(get(&c, &url, Some("*")).await.encoding(), Some("gzip"));
    // Under 1 KiB: not worth it.
    let small = get(
        &c,
        &server.url("/api/v1/permissions?$first=1"),
        Some("gzip"),
    )
    .await;
    assert!(small.body().len() < 1024);
    assert_eq!(small.encoding(), None);
    let error = get(&c, &server.url("/api/v1/nothing"), Some("gzip")).await;
    assert_eq!(error.encoding(), None);

    let off = MockServer::builder()
        .generated(50, 3)
        .gzip(false)
        .start()
        .await
        .unwrap();
    let answer = get(&c, &page_url(&off, 50), Some("gzip")).await;
    assert_eq!(answer.encoding(), None);
    assert_eq!(answer.json()["$data"].as_array().unwrap().len(), 50);
}

#[tokio::test]
async fn faults_apply_to_gzip_answers() {
    let server = MockServer::builder()
        .generated(300, 3)
        .start()
        .await
        .unwrap();
    let c = client();
    let url = page_url(&server, 300);
    let list = Route::List(Collection::Integrations);

    // Half the document, in a complete gzip stream: the client decodes a JSON
    // document that ends early, as without gzip.
    server.faults().push(list, Fault::TruncatedBody);
    let cut = get(&c, &url, Some("gzip")).await;
    assert_eq!(cut.encoding(), Some("gzip"));
    let half = gunzip(cut.body()).unwrap();
    let plain = get(&c, &url, None).await;
    assert!(
        half.len().abs_diff(plain.body().len() / 2) < 8,
        "{}",
        half.len()
    );
    assert!(
        plain.body().starts_with(&half),
        "the first half of the same page"
    );
    assert!(serde_json::from_slice::<Value>(&half).unwrap_err().is_eof());

    // The connection closed after half of the compressed bytes: a gzip
    // stream cut short.
    server.faults().push(list, Fault::CloseMidBody);
    let closed = get(&c, &url, Some("gzip")).await;
    assert_eq!(closed.encoding(), Some("gzip"));
    assert!(closed.body.is_err(), "the body must fail");

    // A fault with a body of its own is not compressed.
    server
        .faults()
        .push(list, Fault::Oversized { bytes: 200_000 });
    let oversized = get(&c, &url, Some("gzip")).await;
    assert_eq!(oversized.encoding(), None);
    assert_eq!(oversized.body().len(), 200_000);
}

#[tokio::test(start_paused = true)]
async fn the_first_byte_waits_a_fixed_time_and_a_time_per_item() {
    let server = MockServer::builder()
        .generated(1_000, 3)
        .latency(Duration::from_millis(20), Duration::from_micros(20))
        .start()
        .await
        .unwrap();
    let c = client();
    // 20 ms + 1,000 × 20 µs.
    let page = get(&c, &page_url(&server, 1_000), None).await;
    assert_between(page.first_byte, Duration::from_millis(40));
    let page = get(&c, &page_url(&server, 100), None).await;
    assert_between(page.first_byte, Duration::from_millis(22));
    // An answer without items waits the fixed part only.
    let error = get(&c, &server.url("/api/v1/nothing"), None).await;
    assert_between(error.first_byte, Duration::from_millis(20));
    let id = server.integration_ids()[0];
    let fetch = get(&c, &server.url(&format!("/api/v1/integrations/{id}")), None).await;
    assert_between(fetch.first_byte, Duration::from_millis(20));
}

#[tokio::test(start_paused = true)]
async fn the_body_streams_at_the_bandwidth_whether_compressed_or_not() {
    const RATE: u64 = 1_000_000;
    let server = MockServer::builder()
        .generated(1_000, 3)
        .bandwidth(RATE)
        .start()
        .await
        .unwrap();
    let c = client();
    let url = page_url(&server, 1_000);
    for accept in [None, Some("gzip")] {
        let answer = get(&c, &url, accept).await;
        assert!(answer.first_byte < Duration::from_millis(5), "{accept:?}");
        let transfer = answer.whole - answer.first_byte;
        let expected = Duration::from_secs_f64(answer.body().len() as f64 / RATE as f64);
        assert_between(transfer, expected);
        answer.json();
    }
}

/// `actual` is `expected` or a little more (tokio's timer rounds each wait up to a
/// millisecond; the connection's own steps take no time on a paused clock).
fn assert_between(actual: Duration, expected: Duration) {
    assert!(
        actual >= expected && actual <= expected + Duration::from_millis(5),
        "{actual:?}, expected {expected:?}"
    );
}
