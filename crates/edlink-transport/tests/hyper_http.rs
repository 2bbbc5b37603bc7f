//! `HyperTransport` over plain http to 127.0.0.1: round trips, pooling,
//! timeouts, body cap, error kinds and the loopback rule.
#![cfg(feature = "hyper")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use edlink_transport::{HyperTransport, Transport, TransportError, TransportErrorKind};
use http_body_util::Full;
use tokio::io::AsyncWriteExt;

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url).body(Bytes::new()).unwrap()
}

fn with_timeout(timeout: Duration) -> HyperTransport {
    HyperTransport::builder()
        .request_timeout(timeout)
        .build()
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
        .header("content-type", "text/plain")
        .body(Full::new(Bytes::from(summary)))
        .unwrap()
}

#[tokio::test]
async fn get_round_trip_keeps_status_headers_and_body() {
    let server = common::http_server(echo).await;
    let request = http::Request::get(server.http_url("/api/v2/graph/people?$first=2"))
        .header("authorization", "Bearer secret")
        .body(Bytes::new())
        .unwrap();

    let response = HyperTransport::new().send(request).await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-test"], "yes");
    assert_eq!(response.headers()["content-type"], "text/plain");
    assert_eq!(
        &response.body()[..],
        b"GET /api/v2/graph/people?$first=2 auth=true"
    );
}

#[tokio::test]
async fn redirects_are_returned_not_followed() {
    fn redirect(_: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
        http::Response::builder()
            .status(302)
            .header("location", "http://127.0.0.1:1/elsewhere")
            .body(Full::new(Bytes::new()))
            .unwrap()
    }
    let server = common::http_server(redirect).await;
    let response = HyperTransport::new()
        .send(get(&server.http_url("/")))
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn a_hundred_sequential_requests_share_one_connection() {
    let server = common::http_server(echo).await;
    let transport = HyperTransport::new();
    for i in 0..100 {
        let response = transport
            .send(get(&server.http_url(&format!("/{i}"))))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    // A clone shares the pool too.
    transport
        .clone()
        .send(get(&server.http_url("/clone")))
        .await
        .unwrap();
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn refused_connection_is_connect() {
    let addr = common::closed_port().await;
    let err = HyperTransport::new()
        .send(get(&format!("http://{addr}/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(err.is_retryable());
    assert!(std::error::Error::source(&err).is_some());
    // The message says what was being done; "Connection refused" is only in
    // the cause, so a chain printer shows it once.
    assert!(err.message().contains(&addr.to_string()), "{err}");
    let refused = common::io_cause(&err)
        .filter(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        .expect("an io::Error ConnectionRefused in the chain");
    common::assert_printed_once(&err, &refused.to_string());
}

#[tokio::test]
async fn server_that_never_answers_is_a_timeout() {
    let server = common::silent_server().await;
    let started = Instant::now();
    let err = with_timeout(Duration::from_millis(200))
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(err.to_string().contains("200ms"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn body_that_stalls_is_a_timeout_not_a_hang() {
    let server = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789";
        tcp.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(tcp);
    })
    .await;
    let started = Instant::now();
    let err = with_timeout(Duration::from_millis(300))
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn declared_oversized_body_is_refused_up_front() {
    let server = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 2000\r\n\r\n";
        tcp.write_all(head.as_bytes()).await.unwrap();
        let _ = tcp.write_all(&[b'x'; 2000]).await;
    })
    .await;
    let transport = HyperTransport::builder()
        .max_body_bytes(1000)
        .build()
        .unwrap();
    let err = transport
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err:?}");
    assert!(err.message().contains("Content-Length is 2000"), "{err}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn body_at_the_cap_is_fine() {
    let server = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3e8\r\n";
        tcp.write_all(head.as_bytes()).await.unwrap();
        tcp.write_all(&[b'x'; 1000]).await.unwrap();
        tcp.write_all(b"\r\n0\r\n\r\n").await.unwrap();
    })
    .await;
    let transport = HyperTransport::builder()
        .max_body_bytes(1000)
        .build()
        .unwrap();
    let response = transport.send(get(&server.http_url("/"))).await.unwrap();
    assert_eq!(response.body().len(), 1000);
}

#[tokio::test]
async fn endless_chunked_body_is_cut_off_at_the_cap() {
    const CHUNK: usize = 64 * 1024;
    let written = Arc::new(AtomicU64::new(0));
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    let done_tx = std::sync::Mutex::new(Some(done_tx));
    let counter = written.clone();
    let server = common::raw_server(move |mut tcp| {
        let counter = counter.clone();
        let done = done_tx.lock().unwrap().take();
        async move {
            let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
            tcp.write_all(head.as_bytes()).await.unwrap();
            let mut chunk = format!("{CHUNK:x}\r\n").into_bytes();
            chunk.extend_from_slice(&[b'x'; CHUNK]);
            chunk.extend_from_slice(b"\r\n");
            // Writes until the client hangs up.
            while tcp.write_all(&chunk).await.is_ok() {
                counter.fetch_add(CHUNK as u64, Ordering::SeqCst);
            }
            if let Some(done) = done {
                let _ = done.send(());
            }
        }
    })
    .await;

    let cap = 1024 * 1024;
    let transport = HyperTransport::builder()
        .max_body_bytes(cap)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = transport
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // The client hung up: the server's writes fail soon, after at most the cap
    // plus what the kernel's socket buffers hold.
    tokio::time::timeout(Duration::from_secs(5), done_rx)
        .await
        .expect("the server kept writing: the connection was not closed")
        .unwrap();
    let total = written.load(Ordering::SeqCst);
    eprintln!("server wrote {total} bytes before the client hung up");
    assert!(total < 32 * 1024 * 1024, "server wrote {total} bytes");
}

#[tokio::test]
async fn connection_closed_mid_body_is_io() {
    let server = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789";
        tcp.write_all(head.as_bytes()).await.unwrap();
        tcp.shutdown().await.unwrap();
    })
    .await;
    let err = HyperTransport::new()
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err:?}");
    assert!(err.is_retryable());
    assert!(std::error::Error::source(&err).is_some());
    common::assert_printed_once(&err, &common::root_cause(&err));
}

/// Polls `send` once with no tokio runtime at all: any attempt to resolve or
/// connect would panic ("no reactor running"), so a `Ready` error proves that
/// nothing touched the network.
fn send_without_runtime(transport: &HyperTransport, url: &str) -> TransportError {
    let mut future = pin!(transport.send(get(url)));
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(Err(err)) => err,
        Poll::Ready(Ok(_)) => panic!("{url} was sent"),
        Poll::Pending => panic!("{url} was not refused up front"),
    }
}

#[test]
fn plain_http_to_other_hosts_is_refused_before_any_network() {
    let transport = HyperTransport::new();
    for url in [
        "http://example.com/",
        "http://10.1.2.3/",
        "http://10.1.2.3:8080/api",
        "http://[2001:db8::1]/",
        "http://127.1/",
    ] {
        let err = send_without_runtime(&transport, url);
        assert_eq!(
            err.kind(),
            TransportErrorKind::InvalidRequest,
            "{url}: {err:?}"
        );
        assert!(err.message().contains("loopback"), "{err}");
    }
    for url in ["ftp://127.0.0.1/", "/relative", "127.0.0.1:80"] {
        let err = send_without_runtime(&transport, url);
        assert_eq!(
            err.kind(),
            TransportErrorKind::InvalidRequest,
            "{url}: {err:?}"
        );
    }
}

/// The danger switch lets plain http go to any host (a fake server on a
/// trusted network): the request is no longer refused, it goes to the
/// network (here, a name that cannot resolve: a connect failure). Other
/// schemes stay refused.
#[tokio::test]
async fn the_danger_switch_allows_plain_http_to_any_host() {
    let refused = HyperTransport::new()
        .send(get("http://mock.invalid:8080/api"))
        .await
        .unwrap_err();
    assert_eq!(refused.kind(), TransportErrorKind::InvalidRequest);
    let transport = HyperTransport::builder()
        .danger_allow_plain_http(true)
        .connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = transport
        .send(get("http://mock.invalid:8080/api"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    let err = transport
        .send(get("ftp://mock.invalid/"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
    assert!(format!("{transport:?}").contains("danger_allow_plain_http: true"));
}

#[tokio::test]
async fn plain_http_to_localhost_is_allowed() {
    let server = common::http_server(echo).await;
    let url = format!("http://localhost:{}/x", server.addr.port());
    let response = HyperTransport::new().send(get(&url)).await.unwrap();
    assert_eq!(&response.body()[..], b"GET /x auth=false");
}

#[tokio::test]
async fn connection_closed_before_the_response_is_io() {
    let server = common::raw_server(|tcp| async move { drop(tcp) }).await;
    let err = HyperTransport::new()
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err:?}");
    common::assert_printed_once(&err, &common::root_cause(&err));
}

#[tokio::test]
async fn a_response_that_is_not_http_is_other_and_says_so_once() {
    let server = common::raw_server(|mut tcp| async move {
        let _ = tcp.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
    })
    .await;
    let err = HyperTransport::new()
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
    assert!(err.message().contains("not valid HTTP"), "{err}");
    common::assert_printed_once(&err, &common::root_cause(&err));
}

#[tokio::test]
async fn post_body_reaches_the_server() {
    fn length(request: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
        let declared = request.headers()["content-length"]
            .to_str()
            .unwrap()
            .to_owned();
        http::Response::new(Full::new(Bytes::from(declared)))
    }
    let server = common::http_server(length).await;
    let request = http::Request::post(server.http_url("/tokens"))
        .header("content-type", "application/json")
        .body(Bytes::from_static(br#"{"grant_type":"refresh_token"}"#))
        .unwrap();
    let response = HyperTransport::new().send(request).await.unwrap();
    assert_eq!(&response.body()[..], b"30");
}

#[tokio::test]
async fn shared_as_dyn_transport_across_tasks() {
    let server = common::http_server(echo).await;
    let transport: Arc<dyn Transport> = Arc::new(HyperTransport::new());
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let transport = transport.clone();
            let url = server.http_url(&format!("/{i}"));
            tokio::spawn(async move { transport.send(get(&url)).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().status(), 200);
    }
    assert!(server.accepted() <= 8);
}
