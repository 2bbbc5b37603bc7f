//! `ReqwestTransport` over a `reqwest::Client`, against local servers on
//! 127.0.0.1: round trips, redirects, error kinds, the body cap (declared,
//! streamed, compressed), the loopback rule and secrets.
#![cfg(feature = "reqwest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use edlink_transport::{ReqwestTransport, Transport, TransportError, TransportErrorKind};
use http_body_util::Full;
use tokio::io::AsyncWriteExt;

const TOKEN: &str = "sk_live_reqwest-secret-51d0";

/// A client as the documentation says to build it.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn transport() -> ReqwestTransport {
    ReqwestTransport::new(client())
}

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url)
        .header("authorization", format!("Bearer {TOKEN}"))
        .body(Bytes::new())
        .unwrap()
}

fn echo(request: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    let summary = format!(
        "{} {} auth={}",
        request.method(),
        request.uri().path_and_query().map_or("", |p| p.as_str()),
        request.headers().contains_key("authorization")
    );
    http::Response::builder()
        .header("x-test", "yes")
        .body(Full::new(Bytes::from(summary)))
        .unwrap()
}

fn redirect(request: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    if request.uri().path() == "/landed" {
        return http::Response::new(Full::new(Bytes::from_static(b"landed")));
    }
    http::Response::builder()
        .status(302)
        .header("location", "/landed")
        .body(Full::new(Bytes::new()))
        .unwrap()
}

/// Display, Debug and the whole chain of `err`.
fn shown(err: &TransportError) -> String {
    format!("{err} {err:?} {}", common::error_chain(err))
}

#[tokio::test]
async fn round_trip_keeps_status_headers_and_body() {
    let server = common::http_server(echo).await;
    let response = transport()
        .send(get(&server.http_url("/api/v2/graph/people?$first=2")))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-test"], "yes");
    assert_eq!(
        &response.body()[..],
        b"GET /api/v2/graph/people?$first=2 auth=true"
    );
}

#[tokio::test]
async fn a_url_reqwest_normalises_is_not_taken_for_a_redirect() {
    let server = common::http_server(echo).await;
    // reqwest's URL spells the host in lower case: it differs from the
    // request's in spelling, not in place.
    let url = format!("http://LOCALHOST:{}/x", server.addr.port());
    let response = transport().send(get(&url)).await.unwrap();
    assert_eq!(&response.body()[..], b"GET /x auth=true");
}

#[tokio::test]
async fn a_redirect_is_returned_as_it_is() {
    let server = common::http_server(redirect).await;
    let response = transport().send(get(&server.http_url("/"))).await.unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/landed");
}

#[tokio::test]
async fn a_client_that_follows_redirects_is_caught() {
    let server = common::http_server(redirect).await;
    let following = ReqwestTransport::new(reqwest::Client::new());
    let err = following
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
    assert!(err.message().contains("Policy::none()"), "{err}");
    assert!(!err.message().contains("/landed"), "{err}");
}

#[tokio::test]
async fn refused_connection_is_connect() {
    let addr = common::closed_port().await;
    let url = format!("http://{addr}/api?$cursor=c2VjcmV0LWN1cnNvcg");
    let err = transport().send(get(&url)).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(err.is_retryable());
    assert!(err.message().contains(&addr.to_string()), "{err}");
    let shown = shown(&err);
    // Neither headers nor the URL's query reach the error.
    for secret in [TOKEN, "Bearer", "c2VjcmV0LWN1cnNvcg"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let refused = common::io_cause(&err)
        .filter(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        .expect("an io::Error ConnectionRefused in the chain");
    common::assert_printed_once(&err, &refused.to_string());
}

#[tokio::test]
async fn the_clients_timeout_is_a_timeout_for_headers_and_body() {
    let short = || {
        ReqwestTransport::new(
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_millis(300))
                .build()
                .unwrap(),
        )
    };
    let silent = common::silent_server().await;
    let err = short().send(get(&silent.http_url("/"))).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");

    let stalled = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789";
        tcp.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let err = short().send(get(&stalled.http_url("/"))).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn connection_closed_mid_body_is_io() {
    let server = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789";
        tcp.write_all(head.as_bytes()).await.unwrap();
        tcp.shutdown().await.unwrap();
    })
    .await;
    let err = transport()
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err:?}");
    assert!(err.is_retryable());
    common::assert_printed_once(&err, &common::root_cause(&err));
}

#[tokio::test]
async fn the_body_cap_holds_declared_streamed_and_compressed() {
    let declared = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 2000\r\n\r\n";
        tcp.write_all(head.as_bytes()).await.unwrap();
        let _ = tcp.write_all(&[b'x'; 2000]).await;
    })
    .await;
    let endless = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
        tcp.write_all(head.as_bytes()).await.unwrap();
        let chunk = format!("400\r\n{}\r\n", "x".repeat(0x400));
        while tcp.write_all(chunk.as_bytes()).await.is_ok() {}
    })
    .await;
    fn bomb(_: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&vec![0; 16 << 20]).unwrap();
        http::Response::builder()
            .header("content-encoding", "gzip")
            .body(Full::new(Bytes::from(encoder.finish().unwrap())))
            .unwrap()
    }
    let compressed = common::http_server(bomb).await;

    let capped = transport().max_body_bytes(1000);
    for (server, what) in [
        (&declared, "Content-Length is 2000"),
        (&endless, "passed the limit of 1000"),
        (&compressed, "decompressed body passed"),
    ] {
        let err = capped.send(get(&server.http_url("/"))).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err:?}");
        assert!(err.message().contains(what), "{err}");
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn a_gzip_body_reqwest_did_not_decode_is_decoded() {
    fn gzipped(_: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(b"{\"$data\":[]}").unwrap();
        http::Response::builder()
            .header("content-encoding", "gzip")
            .body(Full::new(Bytes::from(encoder.finish().unwrap())))
            .unwrap()
    }
    let server = common::http_server(gzipped).await;
    let response = transport().send(get(&server.http_url("/"))).await.unwrap();
    assert_eq!(&response.body()[..], b"{\"$data\":[]}");
    assert!(!response.headers().contains_key("content-encoding"));
}

#[test]
fn plain_http_to_other_hosts_is_refused_before_any_network() {
    let transport = transport();
    for url in [
        "http://example.com/",
        "http://10.1.2.3:8080/api",
        "ftp://127.0.0.1/",
    ] {
        // Polled once with no runtime: reaching the network would panic.
        let mut future = pin!(transport.send(get(url)));
        let Poll::Ready(Err(err)) = future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        else {
            panic!("{url} was not refused up front");
        };
        assert_eq!(err.kind(), TransportErrorKind::InvalidRequest, "{url}");
    }
}

#[test]
fn debug_shows_settings_only() {
    let debug = format!("{:?}", transport().max_body_bytes(77));
    assert!(debug.contains("max_body_bytes: 77"), "{debug}");
}
