//! The application key and access tokens never appear in `Debug`, `Display`,
//! error messages or tracing output, and the `Authorization` value the client
//! builds is marked sensitive.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::*;
use edlink_client::{Client, RetryPolicy, TestTransport};
use edlink_transport::{BoxFuture, Transport, TransportError, TransportErrorKind};
use futures_util::StreamExt;

const ACCESS_TOKEN: &str = "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7";

/// The tests of this file run one at a time: tracing caches each callsite's
/// interest globally, and a span first reached on another test's thread, with
/// no subscriber there, could be cached as disabled while the capturing test
/// runs (seen as a flaky "no edlink_request span in the logs").
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Captures everything a tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(KEY), "the key leaked in {what}: {text}");
    assert!(
        !text.contains("K3Y-must-never"),
        "part of the key leaked in {what}"
    );
    assert!(
        !text.contains(ACCESS_TOKEN),
        "an access token leaked in {what}: {text}"
    );
}

fn integration_body(next: Option<&str>) -> String {
    let mut body = serde_json::json!({
        "$request": "req-s",
        "$data": [{"id": id(1), "access_token": ACCESS_TOKEN, "status": "active"}],
        "$warnings": [{"code": "PAGING_IGNORED", "message": "ignored"}]
    });
    if let Some(next) = next {
        body["$next"] = serde_json::json!(next);
    }
    body.to_string()
}

/// A transport that records the headers exactly as the client built them
/// (no re-marking), to check the client's own sensitivity flag.
#[derive(Clone, Default)]
struct Raw(Arc<Mutex<Vec<http::HeaderMap>>>);

impl Transport for Raw {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.0.lock().unwrap().push(request.headers().clone());
        Box::pin(async {
            Ok(http::Response::builder()
                .status(200)
                .body(Bytes::from(
                    serde_json::json!({"$data": {"id": id(1)}}).to_string(),
                ))
                .unwrap())
        })
    }
}

#[tokio::test]
async fn the_authorization_header_is_marked_sensitive_by_the_client() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let raw = Raw::default();
    let client = Client::builder()
        .application_key(KEY)
        .transport(raw.clone())
        .build()
        .unwrap();
    client.integrations().get(id(1)).await.unwrap();
    let headers = raw.0.lock().unwrap()[0].clone();
    let value = &headers[http::header::AUTHORIZATION];
    assert!(value.is_sensitive());
    assert_eq!(value.as_bytes(), format!("Bearer {KEY}").as_bytes());
    assert_clean("the header map's Debug", &format!("{headers:?}"));
}

#[tokio::test(start_paused = true)]
async fn no_output_of_any_kind_contains_a_secret() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let t = TestTransport::new();
    let builder = Client::builder().application_key(KEY).transport(t.clone());
    let mut outputs = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    outputs.push(format!("{client:?}"));
    outputs.push(format!("{:?}", client.integrations()));
    outputs.push(format!("{:?}", client.integrations().list().first(2)));
    outputs.push(format!("{:?}", client.retry_policy()));

    // A successful listing whose bodies carry access tokens, with warnings.
    t.push_json(
        200,
        &integration_body(Some("https://ed.link/api/v1/integrations?$cursor=b")),
    );
    t.push_json(200, &integration_body(None));
    let pages: Vec<_> = client
        .integrations()
        .list()
        .first(1)
        .pages()
        .collect()
        .await;
    for page in &pages {
        outputs.push(format!("{page:?}"));
    }
    let raw = client.integrations().list().raw_exact();
    outputs.push(format!("{raw:?}"));

    // Every kind of error.
    let mut errors = Vec::new();
    t.push_json(400, &error_body("NOT_FOUND", "nope"));
    errors.push(client.integrations().get(id(1)).await.unwrap_err());
    t.push_json(
        401,
        &error_body("INVALID_TOKEN", &format!("The token {KEY} is not valid.")),
    );
    errors.push(client.integrations().get(id(1)).await.unwrap_err());
    for _ in 0..3 {
        t.push_error(TransportError::new(TransportErrorKind::Connect, "refused"));
    }
    errors.push(client.integrations().get(id(1)).await.unwrap_err());
    t.push_json(
        200,
        &format!(r#"{{"$data":[{{"id":5,"access_token":"{ACCESS_TOKEN}"}}]}}"#),
    );
    errors.push(
        client
            .integrations()
            .list()
            .collect_all()
            .await
            .unwrap_err(),
    );
    // A proxy page echoing the key (the client scrubs its own key from
    // anything a server sends back).
    t.push_response(502, format!("<html>Bad token: Bearer {KEY}</html>"));
    errors.push(
        Client::builder()
            .application_key(KEY)
            .transport(t.clone())
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap()
            .integrations()
            .get(id(1))
            .await
            .unwrap_err(),
    );
    t.push(
        http::Response::builder()
            .status(302)
            .header("location", format!("https://elsewhere.example/?k={KEY}"))
            .body(Bytes::new())
            .unwrap(),
    );
    errors.push(client.integrations().get(id(1)).await.unwrap_err());
    t.push(
        http::Response::builder()
            .status(429)
            .header("retry-after", "999")
            .body(Bytes::new())
            .unwrap(),
    );
    errors.push(client.integrations().get(id(1)).await.unwrap_err());
    t.push_json(
        200,
        &integration_body(Some("https://ed.link@evil.example/x")),
    );
    errors.push(
        client
            .integrations()
            .list()
            .collect_all()
            .await
            .unwrap_err(),
    );
    t.push_never();
    let impatient = Client::builder()
        .application_key(KEY)
        .transport(t.clone())
        .call_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    errors.push(impatient.integrations().get(id(1)).await.unwrap_err());
    errors.push(
        client
            .integrations()
            .list()
            .first(0)
            .collect_all()
            .await
            .unwrap_err(),
    );
    errors.push(
        Client::builder()
            .application_key(KEY)
            .base_url("http://ed.link")
            .build()
            .unwrap_err(),
    );
    errors.push(
        Client::builder()
            .application_key(format!("{KEY}\n"))
            .transport(t.clone())
            .build()
            .unwrap_err(),
    );
    let no_key = Client::builder().transport(t.clone()).build().unwrap();
    errors.push(no_key.integrations().get(id(1)).await.unwrap_err());

    assert_eq!(errors.len(), 13);
    for err in &errors {
        outputs.push(format!("{err}"));
        outputs.push(format!("{err:?}"));
        outputs.push(format!("{:?}", err.kind()));
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            outputs.push(format!("{s} / {s:?}"));
            source = s.source();
        }
    }
    for request in t.requests() {
        outputs.push(format!("{request:?}"));
    }

    for (i, text) in outputs.iter().enumerate() {
        assert_clean(&format!("output #{i}"), text);
    }
    let logs = captured.text();
    assert_clean("the tracing output", &logs);

    // And the tracing output says what it should.
    assert!(logs.contains("edlink_request"), "{logs}");
    assert!(logs.contains("path=\"/api/v1/integrations\""), "{logs}");
    assert!(
        !logs.contains("$cursor"),
        "paths are logged without their query: {logs}"
    );
    assert!(logs.contains("status=200"), "{logs}");
    assert!(logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("elapsed_ms"), "{logs}");
    assert!(logs.contains("WARN"), "{logs}");
    assert!(logs.contains("PAGING_IGNORED"), "{logs}");
    assert!(logs.contains("retrying Edlink request"), "{logs}");
}

/// Tokens the client does not know by value (an integration's access token
/// quoted back by a server or a proxy) are masked by name, in every notation
/// a body may use: plain text, headers, JSON escaped inside a JSON string.
#[tokio::test]
async fn tokens_in_error_bodies_are_masked_in_every_notation() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let t = TestTransport::new();
    let client = Client::builder()
        .application_key(KEY)
        .transport(t.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let bodies: [(u16, &str, String); 4] = [
        (
            500,
            "text/plain",
            format!("Internal error; access_token={ACCESS_TOKEN}; try later"),
        ),
        (
            502,
            "text/html",
            format!("<pre>GET /api/v2/graph/people\nAuthorization: Bearer {ACCESS_TOKEN}</pre>"),
        ),
        (
            400,
            "application/json",
            serde_json::json!({"$errors": [{"code": "INTERNAL", "message":
                format!(r#"upstream said {{"access_token":"{ACCESS_TOKEN}"}}"#)}]})
            .to_string(),
        ),
        (
            503,
            "application/json",
            format!(r#"{{"detail":"{{\"refresh_token\":\"{ACCESS_TOKEN}\"}}"}}"#),
        ),
    ];
    for (status, content_type, body) in bodies {
        t.push(
            http::Response::builder()
                .status(status)
                .header("content-type", content_type)
                .body(Bytes::from(body.clone()))
                .unwrap(),
        );
        let err = client.integrations().get(id(1)).await.unwrap_err();
        let mut shown = format!("{err} {err:?}");
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            shown.push_str(&format!(" {s} {s:?}"));
            source = s.source();
        }
        assert_clean(&format!("the error for {body}"), &shown);
        assert!(shown.contains("[redacted]"), "{shown}");
    }
}
