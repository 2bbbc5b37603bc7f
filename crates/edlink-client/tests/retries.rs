//! Retries on a paused clock: every wait is instant, the suite takes
//! milliseconds of real time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use common::*;
use edlink_client::{Client, Error, ErrorKind, RetryPolicy, TestTransport};
use edlink_transport::{TransportError, TransportErrorKind};
use tokio::time::Instant;

fn with_retry_after(status: u16, value: &str) -> http::Response<Bytes> {
    http::Response::builder()
        .status(status)
        .header("retry-after", value)
        .header("content-type", "application/json")
        .body(Bytes::from(error_body("RATE_LIMITED", "slow down")))
        .unwrap()
}

async fn get_one(transport: &TestTransport) -> Result<edlink_model::Integration, Error> {
    client(transport).integrations().get(id(1)).await
}

fn one() -> String {
    serde_json::json!({"$data": {"id": id(1)}}).to_string()
}

#[tokio::test(start_paused = true)]
async fn five_503s_make_exactly_three_requests() {
    let t = TestTransport::new();
    for _ in 0..5 {
        t.push_json(503, &error_body("INTERNAL", "unavailable"));
    }
    let err = get_one(&t).await.unwrap_err();
    assert_eq!(t.request_count(), 3);
    assert_eq!(t.pending(), 2);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert!(err.to_string().contains("INTERNAL: unavailable"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn statuses_and_how_many_requests_they_cost() {
    let table = [
        (408, 3),
        (429, 3),
        (500, 3),
        (502, 3),
        (503, 3),
        (504, 3),
        (400, 1),
        (401, 1),
        (403, 1),
        (404, 1),
        (409, 1),
        (422, 1),
        (501, 1),
        (505, 1),
    ];
    for (status, requests) in table {
        let t = TestTransport::new();
        for _ in 0..5 {
            t.push_json(status, &error_body("UNKNOWN", "failed"));
        }
        let err = get_one(&t).await.unwrap_err();
        assert_eq!(t.request_count(), requests, "HTTP {status}");
        assert_eq!(err.attempts(), requests as u32, "HTTP {status}");
    }
}

#[tokio::test(start_paused = true)]
async fn transport_failures_and_how_many_requests_they_cost() {
    use TransportErrorKind as K;
    let table = [
        (K::Connect, 3),
        (K::Timeout, 3),
        (K::Io, 3),
        (K::Tls, 1),
        (K::BodyTooLarge, 1),
        (K::InvalidRequest, 1),
        (K::Other, 1),
    ];
    for (kind, requests) in table {
        let t = TestTransport::new();
        for _ in 0..5 {
            t.push_error(TransportError::new(kind, "simulated"));
        }
        let err = get_one(&t).await.unwrap_err();
        assert_eq!(t.request_count(), requests, "{kind:?}");
        match &err {
            Error::Transport {
                source, attempts, ..
            } => {
                assert_eq!(source.kind(), kind);
                assert_eq!(*attempts, requests as u32);
            }
            other => panic!("{kind:?}: {other:?}"),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_that_succeeds_returns_the_data() {
    let t = TestTransport::new();
    t.push_error(TransportError::new(TransportErrorKind::Connect, "refused"));
    t.push_json(502, "<html>bad gateway</html>");
    t.push_json(200, &one());
    assert_eq!(get_one(&t).await.unwrap().id, id(1));
    assert_eq!(t.request_count(), 3);
    let sent = urls(&t);
    assert!(sent.iter().all(|u| u == &sent[0]), "{sent:?}");
}

#[tokio::test(start_paused = true)]
async fn backoff_waits_stay_within_full_jitter_bounds() {
    // Waits before retries 1 and 2 are at most 0.5 s and 1 s.
    for _ in 0..50 {
        let t = TestTransport::new();
        t.push_json(500, "{}")
            .push_json(500, "{}")
            .push_json(200, &one());
        let started = Instant::now();
        get_one(&t).await.unwrap();
        assert!(
            started.elapsed() <= Duration::from_millis(1_500),
            "{:?}",
            started.elapsed()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_waited() {
    let t = TestTransport::new();
    t.push(with_retry_after(429, "7"));
    t.push_json(200, &one());
    let started = Instant::now();
    get_one(&t).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(7), "{waited:?}");
    assert!(waited <= Duration::from_millis(7_500), "{waited:?}");
    assert_eq!(t.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn retry_after_http_date_is_waited() {
    let t = TestTransport::new();
    let at = SystemTime::now() + Duration::from_secs(12);
    t.push(with_retry_after(503, &httpdate::fmt_http_date(at)));
    t.push_json(200, &one());
    let started = Instant::now();
    get_one(&t).await.unwrap();
    let waited = started.elapsed();
    // The date has one-second resolution.
    assert!(waited >= Duration::from_secs(10), "{waited:?}");
    assert!(waited <= Duration::from_secs(13), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_past_or_garbage_retry_after_falls_back_to_backoff() {
    for value in ["Sun, 06 Nov 1994 08:49:37 GMT", "soon", "-5", "1.5"] {
        let t = TestTransport::new();
        t.push(with_retry_after(429, value));
        t.push_json(200, &one());
        let started = Instant::now();
        get_one(&t).await.unwrap();
        assert!(started.elapsed() <= Duration::from_millis(500), "{value}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_hint_over_the_cap_fails_at_once_with_the_hint() {
    let t = TestTransport::new();
    t.push(with_retry_after(429, "3600"));
    t.push_json(200, &one());
    let started = Instant::now();
    let err = get_one(&t).await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(t.request_count(), 1);
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(err.request_id(), Some("req-err"));
    assert!(err.to_string().contains("3600"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_hint_past_the_call_deadline_fails_at_once() {
    let t = TestTransport::new();
    t.push(with_retry_after(503, "30"));
    let client = Client::builder()
        .application_key(KEY)
        .transport(t.clone())
        .call_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let err = client.integrations().get(id(1)).await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
}

#[tokio::test(start_paused = true)]
async fn a_custom_cap_is_honoured() {
    let t = TestTransport::new();
    t.push(with_retry_after(429, "90"));
    t.push_json(200, &one());
    let client = Client::builder()
        .application_key(KEY)
        .transport(t.clone())
        .retry_policy(RetryPolicy::default().max_retry_after(Duration::from_secs(120)))
        .build()
        .unwrap();
    client.integrations().get(id(1)).await.unwrap();
    assert_eq!(t.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_call_during_backoff_sends_nothing_more() {
    let t = TestTransport::new();
    t.push(with_retry_after(503, "30"));
    t.push_json(200, &one());
    let call = client(&t).integrations().get(id(1));
    // Give up after 1 s, in the middle of the 30 s wait.
    let result = tokio::time::timeout(Duration::from_secs(1), call).await;
    assert!(result.is_err());
    tokio::time::sleep(Duration::from_secs(120)).await;
    assert_eq!(t.request_count(), 1);
    assert_eq!(t.pending(), 1);

    // The same for a stream dropped between pages.
    let t = TestTransport::new();
    t.push_json(
        200,
        &page([1], Some("https://ed.link/api/v1/integrations?$cursor=b")),
    );
    t.push(with_retry_after(503, "30"));
    let stream = client(&t).integrations().list().items();
    let handle = tokio::spawn(async move {
        use futures_util::StreamExt;
        stream.collect::<Vec<_>>().await
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    handle.abort();
    tokio::time::sleep(Duration::from_secs(120)).await;
    assert_eq!(t.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_call_deadline_covers_attempts_and_waits() {
    let t = TestTransport::new();
    t.push_never();
    let client = Client::builder()
        .application_key(KEY)
        .transport(t.clone())
        .call_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.integrations().get(id(1)).await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("5 s"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn retries_can_be_disabled_or_extended() {
    let t = TestTransport::new();
    for _ in 0..6 {
        t.push_json(503, "{}");
    }
    let err = client_no_retry(&t)
        .integrations()
        .get(id(1))
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert!(!err.to_string().contains("attempts"), "{err}");

    let t = TestTransport::new();
    for _ in 0..6 {
        t.push_json(503, "{}");
    }
    let client = Client::builder()
        .application_key(KEY)
        .transport(t.clone())
        .max_attempts(5)
        .build()
        .unwrap();
    assert_eq!(
        client
            .integrations()
            .get(id(1))
            .await
            .unwrap_err()
            .attempts(),
        5
    );
    assert_eq!(t.request_count(), 5);
}
