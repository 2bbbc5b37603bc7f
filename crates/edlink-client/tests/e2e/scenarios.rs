//! The end-to-end scenarios: a real transport against `edlink-mock` on
//! `http://127.0.0.1`, with injected faults. No test touches the internet.
//!
//! Each scenario takes the [`Backend`] to run on; `scenario_tests!` makes
//! one `#[tokio::test]` per scenario for a backend (tests/e2e.rs: hyper, the
//! default transport; tests/adapters.rs: reqwest and tower).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Each test file runs the scenarios on some of the backends only.
#![allow(dead_code)]

use std::collections::HashSet;
use std::time::Duration;

use edlink_client::{Client, ClientBuilder, Error, ErrorKind, RetryPolicy};
use edlink_mock::{Collection, Fault, MockServer, RetryAfter, Route};
use futures_util::TryStreamExt;

const KEY: &str = "e2e-secret-key";
const LIST: Route = Route::List(Collection::Integrations);

/// The transport a scenario runs on.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    /// The client's default `HyperTransport`, configured through the client
    /// builder where it can be (as the scenarios always did).
    Hyper,
    /// `ReqwestTransport` over a `reqwest::Client` built as documented.
    #[cfg(feature = "reqwest")]
    Reqwest,
    /// `TowerTransport` over a hyper-util client under a concurrency limit.
    #[cfg(feature = "tower")]
    Tower,
}

impl Backend {
    /// A client builder on this backend, with the transport's request
    /// timeout and body cap when given (the transport's defaults otherwise).
    fn builder(self, request_timeout: Option<Duration>, max_body: Option<usize>) -> ClientBuilder {
        match self {
            Self::Hyper => match (request_timeout, max_body) {
                (timeout, None) => {
                    let builder = Client::builder();
                    match timeout {
                        Some(timeout) => builder.request_timeout(timeout),
                        None => builder,
                    }
                }
                (timeout, Some(max)) => {
                    let mut transport =
                        edlink_client::HyperTransport::builder().max_body_bytes(max);
                    if let Some(timeout) = timeout {
                        transport = transport.request_timeout(timeout);
                    }
                    Client::builder().transport(transport.build().unwrap())
                }
            },
            #[cfg(feature = "reqwest")]
            Self::Reqwest => {
                let client = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    // The environment's proxies must not reach the mock.
                    .no_proxy()
                    .timeout(
                        request_timeout
                            .unwrap_or(edlink_client::transport::DEFAULT_REQUEST_TIMEOUT),
                    )
                    .build()
                    .unwrap();
                let transport = edlink_client::transport::ReqwestTransport::new(client)
                    .max_body_bytes(
                        max_body.unwrap_or(edlink_client::transport::DEFAULT_MAX_BODY_BYTES),
                    );
                Client::builder().transport(transport)
            }
            #[cfg(feature = "tower")]
            Self::Tower => {
                use bytes::Bytes;
                use http_body_util::Full;
                use hyper_util::client::legacy::{Client as HyperClient, connect::HttpConnector};

                let client: HyperClient<HttpConnector, Full<Bytes>> =
                    HyperClient::builder(hyper_util::rt::TokioExecutor::new())
                        .build(HttpConnector::new());
                let service = tower::ServiceBuilder::new()
                    .concurrency_limit(4)
                    .service(client);
                let transport = edlink_client::transport::TowerTransport::new(service)
                    .request_timeout(
                        request_timeout
                            .unwrap_or(edlink_client::transport::DEFAULT_REQUEST_TIMEOUT),
                    )
                    .max_body_bytes(
                        max_body.unwrap_or(edlink_client::transport::DEFAULT_MAX_BODY_BYTES),
                    );
                Client::builder().transport(transport)
            }
        }
    }
}

async fn server(count: usize) -> MockServer {
    MockServer::builder()
        .secret_key(KEY)
        .generated(count, 7)
        .start()
        .await
        .unwrap()
}

/// A client on the mock, with short waits so faults cost milliseconds.
fn client(backend: Backend, server: &MockServer) -> Client {
    backend
        .builder(Some(Duration::from_millis(500)), None)
        .application_key(KEY)
        .base_url(server.base_url())
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

async fn ids(client: &Client, first: u64) -> Result<Vec<String>, Error> {
    let items = client
        .integrations()
        .list()
        .first(first)
        .collect_all()
        .await?;
    Ok(items.iter().map(|i| i.id.to_string()).collect())
}

fn assert_complete(got: &[String], server: &MockServer) {
    let unique: HashSet<_> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "an item was handed out twice");
    let expected: Vec<String> = server
        .integration_ids()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(got, expected, "items lost or out of order");
}

pub async fn full_listing_by_next(backend: Backend) {
    let server = server(250).await;
    let got = ids(&client(backend, &server), 100).await.unwrap();
    assert_complete(&got, &server);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].param("$first").as_deref(), Some("100"));
    for later in &requests[1..] {
        assert!(later.param("$cursor").is_some(), "{later:?}");
        assert_eq!(later.param("$first"), None, "parameters re-added to $next");
    }
    assert!(requests.iter().all(|r| r.authorization_valid));
    server.shutdown().await;
}

pub async fn full_listing_by_after_fallback(backend: Backend) {
    let server = MockServer::builder()
        .secret_key(KEY)
        .generated(250, 7)
        .no_next(true)
        .start()
        .await
        .unwrap();
    let got = ids(&client(backend, &server), 100).await.unwrap();
    assert_complete(&got, &server);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[1].param("$after"), Some(got[99].clone()));
    assert_eq!(requests[2].param("$after"), Some(got[199].clone()));
    server.shutdown().await;
}

pub async fn retries_after_429_503_and_broken_connections(backend: Backend) {
    let server = server(250).await;
    // Two failures for each of the first two pages (3 attempts allowed), one
    // for the last: requests 3, 6 and 8 succeed.
    let faults = server.faults();
    faults.on_request(1, Fault::Status(503));
    faults.on_request(2, Fault::RateLimited(Some(RetryAfter::Seconds(0))));
    faults.on_request(4, Fault::DropConnection);
    faults.on_request(5, Fault::CloseMidBody);
    faults.on_request(7, Fault::ProxyPage(502));
    let got = ids(&client(backend, &server), 100).await.unwrap();
    assert_complete(&got, &server);
    assert_eq!(server.faults_injected(), 5);
    assert_eq!(server.request_count(), 8);
    server.shutdown().await;
}

pub async fn retry_after_is_honoured_for_real(backend: Backend) {
    let server = server(10).await;
    server
        .faults()
        .fail_next(LIST, 1, Fault::RateLimited(Some(RetryAfter::Seconds(1))));
    let started = std::time::Instant::now();
    let got = ids(&client(backend, &server), 100).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_complete(&got, &server);
    server.shutdown().await;
}

pub async fn a_stalled_body_is_a_timeout_and_is_retried(backend: Backend) {
    let server = server(10).await;
    server
        .faults()
        .fail_next(LIST, 1, Fault::StallBody(Duration::from_secs(30)));
    let got = ids(&client(backend, &server), 100).await.unwrap();
    assert_complete(&got, &server);
    assert_eq!(server.request_count(), 2);
    server.shutdown().await;
}

pub async fn persistent_503_fails_after_three_attempts(backend: Backend) {
    let server = server(10).await;
    server.faults().fail_next(LIST, 5, Fault::Status(503));
    let err = ids(&client(backend, &server), 100).await.unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.request_count(), 3);
    server.shutdown().await;
}

pub async fn an_expired_cursor_mid_listing_loses_and_repeats_nothing(backend: Backend) {
    let server = server(250).await;
    let client = client(backend, &server);
    let mut pages = client.integrations().list().first(100).pages();
    let mut got = Vec::new();
    let first = pages.try_next().await.unwrap().unwrap();
    got.extend(first.items.iter().map(|i| i.id.to_string()));
    server.expire_all_cursors();
    while let Some(page) = pages.try_next().await.unwrap() {
        got.extend(page.items.iter().map(|i| i.id.to_string()));
    }
    assert_complete(&got, &server);
    let statuses: Vec<_> = server.requests().iter().map(|r| r.status).collect();
    assert!(statuses.contains(&Some(400)), "{statuses:?}");
    server.shutdown().await;
}

pub async fn an_off_origin_next_sends_nothing_to_the_other_origin(backend: Backend) {
    let other = server(10).await;
    let server = server(250).await;
    server
        .faults()
        .fail_next(LIST, 1, Fault::ForeignNext(other.base_url()));
    let err = ids(&client(backend, &server), 100).await.unwrap_err();
    assert!(matches!(err, Error::OffOrigin { .. }), "{err:?}");
    assert_eq!(
        other.request_count(),
        0,
        "the other origin received a request"
    );
    assert_eq!(server.request_count(), 1);
    other.shutdown().await;
    server.shutdown().await;
}

pub async fn a_next_loop_is_an_error(backend: Backend) {
    let server = server(250).await;
    server.faults().fail_next(LIST, 1, Fault::RepeatNext);
    let err = ids(&client(backend, &server), 100).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Paging, "{err:?}");
    server.shutdown().await;
}

pub async fn redirects_and_bad_keys_fail_clearly(backend: Backend) {
    let server = server(10).await;
    server.faults().fail_next(
        LIST,
        1,
        Fault::Redirect {
            status: 302,
            location: "https://evil.example/".into(),
        },
    );
    let err = ids(&client(backend, &server), 100).await.unwrap_err();
    assert!(
        matches!(err, Error::Redirect { status: 302, .. }),
        "{err:?}"
    );

    let wrong = backend
        .builder(None, None)
        .application_key("not-the-key")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = wrong.integrations().list().collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err:?}");
    assert_eq!(err.attempts(), 1);
    server.shutdown().await;
}

pub async fn fetch_one_and_public_lists_without_a_key(backend: Backend) {
    let server = server(20).await;
    let client = client(backend, &server);
    let id = server.integration_ids()[3];
    let one = client.integrations().get_with_meta(id).await.unwrap();
    assert_eq!(one.data.id, id);
    assert!(one.request_id.is_some());

    let anonymous = backend
        .builder(None, None)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let providers = anonymous.providers().list().collect_all().await.unwrap();
    let permissions = anonymous
        .permissions()
        .list()
        .first(5)
        .collect_all()
        .await
        .unwrap();
    assert!(!providers.is_empty());
    assert!(!permissions.is_empty());
    let provider = anonymous.providers().get(providers[0].id).await.unwrap();
    assert_eq!(provider.id, providers[0].id);
    server.shutdown().await;
}

pub async fn an_oversized_or_endless_body_fails_once_without_retry(backend: Backend) {
    let server = server(10).await;
    let client = backend
        .builder(None, Some(64 * 1024))
        .application_key(KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    for fault in [Fault::Oversized { bytes: 10 << 20 }, Fault::EndlessBody] {
        server.clear_requests();
        server.faults().fail_next(LIST, 1, fault.clone());
        let err = client
            .integrations()
            .list()
            .collect_all()
            .await
            .unwrap_err();
        match &err {
            Error::Transport {
                source, attempts, ..
            } => {
                assert_eq!(
                    source.kind(),
                    edlink_client::TransportErrorKind::BodyTooLarge,
                    "{fault:?}"
                );
                assert_eq!(*attempts, 1);
            }
            other => panic!("{fault:?}: {other:?}"),
        }
        assert_eq!(server.requests().len(), 1);
    }
    server.shutdown().await;
}

/// One `#[tokio::test]` per scenario, run on `$backend`.
macro_rules! scenario_tests {
    ($backend:expr) => {
        $crate::scenarios::scenario_tests!(@tests $backend;
            full_listing_by_next,
            full_listing_by_after_fallback,
            retries_after_429_503_and_broken_connections,
            retry_after_is_honoured_for_real,
            a_stalled_body_is_a_timeout_and_is_retried,
            persistent_503_fails_after_three_attempts,
            an_expired_cursor_mid_listing_loses_and_repeats_nothing,
            an_off_origin_next_sends_nothing_to_the_other_origin,
            a_next_loop_is_an_error,
            redirects_and_bad_keys_fail_clearly,
            fetch_one_and_public_lists_without_a_key,
            an_oversized_or_endless_body_fails_once_without_retry,
        );
    };
    (@tests $backend:expr; $($scenario:ident,)*) => {
        $(
            #[tokio::test]
            async fn $scenario() {
                $crate::scenarios::$scenario($backend).await;
            }
        )*
    };
}
pub(crate) use scenario_tests;
