//! `HyperTransport` and compressed responses: `Accept-Encoding: gzip`, bodies
//! decoded as they stream, the cap on the decoded size, cut streams, and
//! encodings that were not asked for. Local servers on 127.0.0.1 only.
#![cfg(feature = "hyper")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::Arc;

use bytes::Bytes;
use edlink_transport::{HyperTransport, Transport, TransportErrorKind};
use flate2::Compression;
use flate2::write::GzEncoder;
use http_body_util::Full;
use tokio::io::AsyncWriteExt;

const JSON: &str = r#"{"$data":[{"id":"0e6e0a1c-2f61-4c5e-8c55-0f0f0f0f0f0f","name":"Ada"}]}"#;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url).body(Bytes::new()).unwrap()
}

/// What the server saw as `Accept-Encoding`, echoed in `x-saw-accept-encoding`.
fn saw(request: &http::Request<hyper::body::Incoming>) -> String {
    request
        .headers()
        .get_all("accept-encoding")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join(",")
}

/// Compresses when asked to, like a well-behaved server.
fn gzip_if_asked(request: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    let seen = saw(&request);
    let response = http::Response::builder()
        .header("content-type", "application/json")
        .header(
            "x-saw-accept-encoding",
            if seen.is_empty() { "none" } else { &seen },
        );
    if seen.contains("gzip") {
        response
            .header("content-encoding", "gzip")
            .body(Full::new(Bytes::from(gzip(JSON.as_bytes()))))
            .unwrap()
    } else {
        response.body(Full::new(Bytes::from(JSON))).unwrap()
    }
}

/// Never compresses, whatever was asked.
fn identity_always(request: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    http::Response::builder()
        .header("x-saw-accept-encoding", saw(&request))
        .body(Full::new(Bytes::from(JSON)))
        .unwrap()
}

/// Always compresses, whatever was asked.
fn gzip_always(_: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    http::Response::builder()
        .header("content-encoding", "gzip")
        .body(Full::new(Bytes::from(gzip(JSON.as_bytes()))))
        .unwrap()
}

fn brotli(_: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    http::Response::builder()
        .header("content-encoding", "br")
        .body(Full::new(Bytes::from_static(b"\x1b\x03\x00\xf8")))
        .unwrap()
}

/// 16 MiB of zeros, about 16 KiB on the wire.
fn bomb(_: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    http::Response::builder()
        .header("content-encoding", "gzip")
        .body(Full::new(Bytes::from(gzip(&vec![0; 16 << 20]))))
        .unwrap()
}

#[tokio::test]
async fn gzip_is_asked_for_and_decoded() {
    let server = common::http_server(gzip_if_asked).await;
    let response = HyperTransport::new()
        .send(get(&server.http_url("/")))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-saw-accept-encoding"], "gzip");
    assert_eq!(&response.body()[..], JSON.as_bytes());
    // The body handed on is decoded: the headers that described the
    // compressed bytes are gone.
    assert!(!response.headers().contains_key("content-encoding"));
    assert!(!response.headers().contains_key("content-length"));
    assert_eq!(response.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn the_transport_owns_accept_encoding() {
    let server = common::http_server(gzip_if_asked).await;
    let request = http::Request::get(server.http_url("/"))
        .header("accept-encoding", "br, zstd")
        .body(Bytes::new())
        .unwrap();
    let response = HyperTransport::new().send(request).await.unwrap();
    assert_eq!(response.headers()["x-saw-accept-encoding"], "gzip");
    assert_eq!(&response.body()[..], JSON.as_bytes());
}

#[tokio::test]
async fn with_gzip_off_no_accept_encoding_is_sent() {
    let server = common::http_server(gzip_if_asked).await;
    let transport = HyperTransport::builder().gzip(false).build().unwrap();
    let request = http::Request::get(server.http_url("/"))
        .header("accept-encoding", "gzip")
        .body(Bytes::new())
        .unwrap();
    let response = transport.send(request).await.unwrap();
    assert_eq!(response.headers()["x-saw-accept-encoding"], "none");
    assert_eq!(&response.body()[..], JSON.as_bytes());
    assert!(format!("{transport:?}").contains("gzip: false"));
}

#[tokio::test]
async fn a_server_that_ignores_accept_encoding_still_works() {
    let server = common::http_server(identity_always).await;
    let response = HyperTransport::new()
        .send(get(&server.http_url("/")))
        .await
        .unwrap();
    assert_eq!(response.headers()["x-saw-accept-encoding"], "gzip");
    assert_eq!(&response.body()[..], JSON.as_bytes());
    assert_eq!(
        response.headers()["content-length"],
        JSON.len().to_string().as_str()
    );
}

#[tokio::test]
async fn gzip_sent_when_not_asked_for_is_refused() {
    let server = common::http_server(gzip_always).await;
    let transport = HyperTransport::builder().gzip(false).build().unwrap();
    let err = transport
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
    assert!(err.message().contains("not asked for"), "{err}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn an_encoding_not_asked_for_is_a_clear_error() {
    let server = common::http_server(brotli).await;
    let err = HyperTransport::new()
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
    assert!(err.message().contains("\"br\""), "{err}");
    assert!(err.message().contains("not asked for"), "{err}");
}

#[tokio::test]
async fn a_compressed_bomb_is_refused_on_its_decoded_size() {
    let server = common::http_server(bomb).await;
    let transport = HyperTransport::builder()
        .max_body_bytes(64 * 1024)
        .build()
        .unwrap();
    let err = transport
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err:?}");
    assert!(err.message().contains("decompressed"), "{err}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_compressed_body_within_the_cap_is_fine_though_its_declared_length_is_small() {
    // Compressed, the body is far under the cap; decoded, it is exactly at it.
    fn at_cap(_: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
        http::Response::builder()
            .header("content-encoding", "gzip")
            .body(Full::new(Bytes::from(gzip(&[b'x'; 100_000]))))
            .unwrap()
    }
    let server = common::http_server(at_cap).await;
    let transport = HyperTransport::builder()
        .max_body_bytes(100_000)
        .build()
        .unwrap();
    let response = transport.send(get(&server.http_url("/"))).await.unwrap();
    assert_eq!(response.body().len(), 100_000);
}

/// A raw server that declares gzip and writes `body` after `head`, then closes.
async fn raw_gzip_server(head: String, body: Vec<u8>) -> common::Server {
    let (head, body) = (Arc::new(head), Arc::new(body));
    common::raw_server(move |mut tcp| {
        let (head, body) = (head.clone(), body.clone());
        async move {
            tcp.write_all(head.as_bytes()).await.unwrap();
            let _ = tcp.write_all(&body).await;
            let _ = tcp.shutdown().await;
        }
    })
    .await
}

#[tokio::test]
async fn a_gzip_body_cut_by_the_connection_closing_is_io() {
    let encoded = gzip(JSON.as_bytes());
    let half = encoded[..encoded.len() / 2].to_vec();
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
        encoded.len()
    );
    let server = raw_gzip_server(head, half).await;
    let err = HyperTransport::new()
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_complete_http_body_holding_a_cut_gzip_stream_is_io() {
    // The HTTP framing is complete (the connection closes at the end of a
    // close-delimited body), but the gzip trailer never came: a transfer cut
    // by something in between.
    let encoded = gzip(JSON.as_bytes());
    let without_trailer = encoded[..encoded.len() - 8].to_vec();
    let head = "HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\nconnection: close\r\n\r\n";
    let server = raw_gzip_server(head.to_owned(), without_trailer).await;
    let err = HyperTransport::new()
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err:?}");
    assert!(err.message().contains("gzip"), "{err}");
    assert!(err.is_retryable());
}
