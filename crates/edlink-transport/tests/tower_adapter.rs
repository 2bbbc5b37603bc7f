//! `TowerTransport` over tower services: a hyper-util client with layers
//! against local servers, and services written for the tests (one per
//! request, `!Sync`, failing, streaming without end).
#![cfg(feature = "tower")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::cell::Cell;
use std::convert::Infallible;
use std::future::{Ready, ready};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use edlink_transport::{TowerTransport, Transport, TransportError, TransportErrorKind};
use http_body_util::Full;
use hyper::body::{Body, Frame};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tokio::io::AsyncWriteExt;
use tower::{ServiceBuilder, ServiceExt};

const TOKEN: &str = "sk_live_tower-secret-0b9a";

type HyperClient = Client<HttpConnector, Full<Bytes>>;

fn hyper_client() -> HyperClient {
    Client::builder(TokioExecutor::new()).build(HttpConnector::new())
}

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url)
        .header("authorization", format!("Bearer {TOKEN}"))
        .body(Bytes::new())
        .unwrap()
}

fn echo(request: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    let summary = format!(
        "{} layer={:?} auth={}",
        request.uri().path(),
        request.headers().get("x-layer"),
        request.headers().contains_key("authorization")
    );
    http::Response::new(Full::new(Bytes::from(summary)))
}

fn shown(err: &TransportError) -> String {
    format!("{err} {err:?} {}", common::error_chain(err))
}

#[tokio::test]
async fn layers_stack_on_a_hyper_client() {
    let server = common::http_server(echo).await;
    let saw_sensitive = Arc::new(AtomicBool::new(false));
    let flag = saw_sensitive.clone();
    let service = ServiceBuilder::new()
        .concurrency_limit(2)
        .timeout(Duration::from_secs(5))
        .map_request(move |mut request: http::Request<Full<Bytes>>| {
            flag.store(
                request.headers()["authorization"].is_sensitive(),
                Ordering::SeqCst,
            );
            request
                .headers_mut()
                .insert("x-layer", "yes".parse().unwrap());
            request
        })
        .service(hyper_client());
    let transport = Arc::new(TowerTransport::new(service));

    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let transport = transport.clone();
            let url = server.http_url(&format!("/{i}"));
            tokio::spawn(async move { transport.send(get(&url)).await })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        let response = task.await.unwrap().unwrap();
        assert_eq!(
            String::from_utf8(response.body().to_vec()).unwrap(),
            format!("/{i} layer=Some(\"yes\") auth=true")
        );
    }
    assert!(
        saw_sensitive.load(Ordering::SeqCst),
        "Authorization was not sensitive"
    );
    // The concurrency limit let at most two connections open.
    assert!(server.accepted() <= 2, "{}", server.accepted());
}

#[tokio::test]
async fn a_rate_limit_behind_a_buffer_is_shared_by_every_request() {
    // tower's RateLimit is not Clone (its state is per instance): behind a
    // Buffer, every clone talks to the one rate-limited service.
    let server = common::http_server(echo).await;
    let service = ServiceBuilder::new()
        .buffer(64)
        .rate_limit(2, Duration::from_millis(300))
        .concurrency_limit(4)
        .service(hyper_client());
    let transport = Arc::new(TowerTransport::new(service));
    let started = Instant::now();
    let tasks: Vec<_> = (0..5)
        .map(|i| {
            let transport = transport.clone();
            let url = server.http_url(&format!("/{i}"));
            tokio::spawn(async move { transport.send(get(&url)).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().status(), 200);
    }
    // Two requests per 300 ms: the fifth waited for the third window.
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_timeout_layer_is_a_timeout() {
    let silent = common::silent_server().await;
    let service = ServiceBuilder::new()
        .timeout(Duration::from_millis(200))
        .service(hyper_client());
    let err = TowerTransport::new(service)
        .send(get(&silent.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn the_request_timeout_covers_a_stalled_body() {
    let stalled = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789";
        tcp.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let err = TowerTransport::new(hyper_client())
        .request_timeout(Duration::from_millis(300))
        .send(get(&stalled.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err:?}");
    assert!(err.message().contains("300ms"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn refused_connection_is_connect() {
    let addr = common::closed_port().await;
    let err = TowerTransport::new(hyper_client())
        .send(get(&format!("http://{addr}/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(err.message().contains(&addr.to_string()), "{err}");
    assert!(!shown(&err).contains(TOKEN));
    let refused = common::io_cause(&err)
        .filter(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        .expect("an io::Error ConnectionRefused in the chain");
    common::assert_printed_once(&err, &refused.to_string());
}

#[tokio::test]
async fn connection_closed_mid_body_is_io() {
    let server = common::raw_server(|mut tcp| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789";
        tcp.write_all(head.as_bytes()).await.unwrap();
        tcp.shutdown().await.unwrap();
    })
    .await;
    let err = TowerTransport::new(hyper_client())
        .send(get(&server.http_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err:?}");
    assert!(err.is_retryable());
}

/// A service answering from memory that counts its clones and calls; the
/// `Cell` makes it `!Sync`, as many tower stacks are.
#[derive(Clone)]
struct Canned<F: Clone> {
    clones: Arc<AtomicUsize>,
    calls: Arc<AtomicUsize>,
    answer: F,
    _not_sync: Cell<()>,
}

impl<F: Clone> Canned<F> {
    fn new(answer: F) -> Self {
        Self {
            clones: Arc::new(AtomicUsize::new(0)),
            calls: Arc::new(AtomicUsize::new(0)),
            answer,
            _not_sync: Cell::new(()),
        }
    }
}

/// Clones counted by hand (derive(Clone) above is for the fields).
struct Counted<F: Clone>(Canned<F>);

impl<F: Clone> Clone for Counted<F> {
    fn clone(&self) -> Self {
        self.0.clones.fetch_add(1, Ordering::SeqCst);
        Counted(self.0.clone())
    }
}

impl<F, B, E> tower::Service<http::Request<Full<Bytes>>> for Counted<F>
where
    F: Fn() -> Result<http::Response<B>, E> + Clone,
{
    type Response = http::Response<B>;
    type Error = E;
    type Future = Ready<Result<http::Response<B>, E>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), E>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: http::Request<Full<Bytes>>) -> Self::Future {
        self.0.calls.fetch_add(1, Ordering::SeqCst);
        ready((self.0.answer)())
    }
}

#[tokio::test]
async fn each_request_gets_its_own_clone_and_the_service_need_not_be_sync() {
    let service = Counted(Canned::new(|| {
        Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from_static(b"ok"))))
    }));
    let (clones, calls) = (service.0.clones.clone(), service.0.calls.clone());
    let transport = TowerTransport::new(service);
    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    assert_send_sync(&transport);
    for _ in 0..3 {
        let response = transport.send(get("https://ed.link/x")).await.unwrap();
        assert_eq!(&response.body()[..], b"ok");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(clones.load(Ordering::SeqCst), 3);
}

#[test]
fn plain_http_to_other_hosts_is_refused_before_the_service() {
    let service = Counted(Canned::new(|| {
        Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::new())))
    }));
    let calls = service.0.calls.clone();
    let transport = TowerTransport::new(service);
    for url in ["http://example.com/", "http://10.1.2.3/", "/relative"] {
        let mut future = pin!(transport.send(get(url)));
        let Poll::Ready(Err(err)) = future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        else {
            panic!("{url} was not refused up front");
        };
        assert_eq!(err.kind(), TransportErrorKind::InvalidRequest, "{url}");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

/// An error of a layer this crate cannot know.
#[derive(Debug)]
struct Shed;
impl std::fmt::Display for Shed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("load shed")
    }
}
impl std::error::Error for Shed {}

#[tokio::test]
async fn an_unknown_service_error_is_other_and_keeps_its_cause() {
    let service = Counted(Canned::new(|| Err::<http::Response<Full<Bytes>>, _>(Shed)));
    let err = TowerTransport::new(service)
        .send(get("https://ed.link/api/v2/graph/people"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other, "{err:?}");
    assert!(!err.is_retryable());
    assert!(std::error::Error::source(&err).unwrap().is::<Shed>());
    common::assert_printed_once(&err, "load shed");
    let shown = shown(&err);
    assert!(
        !shown.contains(TOKEN) && !shown.contains("Bearer"),
        "{shown}"
    );
}

#[tokio::test]
async fn service_io_errors_are_sorted_by_their_kind() {
    use std::io::{Error, ErrorKind};
    for (kind, expected) in [
        (ErrorKind::ConnectionRefused, TransportErrorKind::Connect),
        (ErrorKind::TimedOut, TransportErrorKind::Timeout),
        (ErrorKind::ConnectionReset, TransportErrorKind::Io),
    ] {
        let service = Counted(Canned::new(move || {
            Err::<http::Response<Full<Bytes>>, _>(Error::from(kind))
        }));
        let err = TowerTransport::new(service)
            .send(get("https://ed.link/"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), expected, "{kind:?}: {err:?}");
    }
}

/// An endless body of 1 KiB frames that counts its frames.
struct Endless(Arc<AtomicUsize>);

impl Body for Endless {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'x'; 1024])))))
    }
}

#[tokio::test]
async fn an_endless_body_stops_at_the_cap() {
    let frames = Arc::new(AtomicUsize::new(0));
    let counter = frames.clone();
    let service = Counted(Canned::new(move || {
        Ok::<_, Infallible>(http::Response::new(Endless(counter.clone())))
    }));
    let err = TowerTransport::new(service)
        .max_body_bytes(10 * 1024)
        .send(get("https://ed.link/"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err:?}");
    // The 11th frame passed the cap; nothing more was read.
    assert_eq!(frames.load(Ordering::SeqCst), 11);
}

#[tokio::test]
async fn a_service_built_with_service_ext_works_as_is() {
    // Any tower combinator: here `map_response` on a hyper client.
    let server = common::http_server(echo).await;
    let service = hyper_client().map_response(|mut response: http::Response<_>| {
        response
            .headers_mut()
            .insert("x-mapped", "1".parse().unwrap());
        response
    });
    let response = TowerTransport::new(service)
        .send(get(&server.http_url("/m")))
        .await
        .unwrap();
    assert_eq!(response.headers()["x-mapped"], "1");
}

#[test]
fn debug_names_the_service_type_and_settings() {
    let transport = TowerTransport::new(hyper_client()).max_body_bytes(5);
    let debug = format!("{transport:?}");
    assert!(debug.contains("max_body_bytes: 5"), "{debug}");
    assert!(debug.contains("hyper_util"), "{debug}");
}
