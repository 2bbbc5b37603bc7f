//! Every kind of error: what it carries and how it reads.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::error::Error as _;

use bytes::Bytes;
use common::*;
use edlink_client::{Client, Error, ErrorKind, TestTransport};
use edlink_model::{ErrorCode, ResponseError};
use edlink_transport::{TransportError, TransportErrorKind};

#[tokio::test]
async fn api_errors_carry_every_code_message_request_id_and_warning() {
    let t = TestTransport::new();
    t.push_json(
        400,
        r#"{"$request":"req-42",
            "$errors":[{"code":"NOT_FOUND","message":"No such integration."},
                       {"code":"SOMETHING_NEW","message":"A code this SDK does not know."}],
            "$warnings":[{"code":"PAGING_IGNORED","message":"ignored"}]}"#,
    );
    let err = client(&t).integrations().get(id(1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.request_id(), Some("req-42"));
    assert_eq!(err.api_errors().len(), 2);
    assert_eq!(err.api_errors()[0].code, ErrorCode::NotFound);
    assert_eq!(err.warnings().len(), 1);
    assert_eq!(err.attempts(), 1);
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "Edlink returned HTTP 400: NOT_FOUND: No such integration.; \
         SOMETHING_NEW: A code this SDK does not know. (request req-42)"
    );
}

#[tokio::test]
async fn errors_on_a_success_status_are_errors() {
    let t = TestTransport::new();
    t.push_json(200, &error_body("INTERNAL", "Something broke."));
    let err = client(&t).integrations().get(id(1)).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 200, .. }), "{err:?}");
    assert!(err.to_string().contains("INTERNAL: Something broke."));
}

#[tokio::test]
async fn authentication_failures_are_their_own_kind() {
    for (status, body) in [
        (401, error_body("INVALID_TOKEN", "Invalid token.")),
        (400, error_body("EXPIRED_TOKEN", "Expired.")),
        (400, error_body("UNSHARED_TOKEN", "Not shared.")),
        (403, error_body("NO_PERMISSION", "Forbidden.")),
        (401, "<html>Unauthorized</html>".to_owned()),
        (403, String::new()),
    ] {
        let t = TestTransport::new();
        t.push_json(status, &body);
        let err = client(&t).integrations().get(id(1)).await.unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::Authentication,
            "{status} {body}: {err:?}"
        );
        assert_eq!(err.status(), Some(status));
        assert!(!err.is_retryable());
        assert!(
            err.to_string().starts_with("authentication failed"),
            "{err}"
        );
        assert_eq!(t.request_count(), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn transport_errors_keep_kind_source_and_attempts() {
    let t = TestTransport::new();
    for _ in 0..3 {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        t.push_error(TransportError::with_source(
            TransportErrorKind::Connect,
            "ed.link:443",
            io,
        ));
    }
    let err = client(&t).integrations().get(id(1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
    let transport = err
        .source()
        .unwrap()
        .downcast_ref::<TransportError>()
        .unwrap();
    assert_eq!(transport.kind(), TransportErrorKind::Connect);
    assert!(
        transport.source().is_some(),
        "the chain goes down to the io error"
    );
    // Display says what failed; the causes are the source chain, each once.
    assert_eq!(
        err.to_string(),
        "the request to Edlink failed after 3 attempts"
    );
    assert_eq!(
        err.chain(),
        "the request to Edlink failed after 3 attempts: connection failed: ed.link:443: refused"
    );
}

/// std's convention: a variant prints its source or returns it from
/// `source()`, never both, so a chain printer shows each cause once.
#[tokio::test(start_paused = true)]
async fn no_error_repeats_its_source() {
    let t = TestTransport::new();
    let mut errors = Vec::new();
    let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
    t.push_error(TransportError::with_source(
        TransportErrorKind::Connect,
        "ed.link:443",
        io,
    ));
    errors.push(
        client_no_retry(&t)
            .integrations()
            .get(id(1))
            .await
            .unwrap_err(),
    );
    t.push(
        http::Response::builder()
            .status(502)
            .header("content-type", "text/html")
            .body(Bytes::from("<h1>Bad Gateway</h1>"))
            .unwrap(),
    );
    errors.push(
        client_no_retry(&t)
            .integrations()
            .get(id(1))
            .await
            .unwrap_err(),
    );
    t.push_json(200, &page([1], Some("https://evil.example/x")));
    t.push_json(
        200,
        &page([1], Some("https://ed.link/api/v1/integrations?$cursor=b")),
    );
    t.push_json(
        200,
        &page([2], Some("https://ed.link/api/v1/integrations?$cursor=b")),
    );
    errors.push(
        client(&t)
            .integrations()
            .list()
            .first(5)
            .collect_all()
            .await
            .unwrap_err(),
    );
    errors.push(
        client(&t)
            .integrations()
            .list()
            .first(5)
            .collect_all()
            .await
            .unwrap_err(),
    );
    errors.push(
        client(&t)
            .integrations()
            .list()
            .first(0)
            .collect_all()
            .await
            .unwrap_err(),
    );
    errors.push(
        Client::builder()
            .base_url("https://u:p@ed.link")
            .build()
            .unwrap_err(),
    );
    assert_eq!(errors.len(), 6);
    for err in &errors {
        let mut source = err.source();
        while let Some(cause) = source {
            assert!(
                !err.to_string().contains(&cause.to_string()),
                "{err} repeats its cause {cause}"
            );
            source = cause.source();
        }
        // Each cause appears once in the chain.
        let chain = err.chain();
        let mut source = err.source();
        while let Some(cause) = source {
            assert_eq!(chain.matches(&cause.to_string()).count(), 1, "{chain}");
            source = cause.source();
        }
    }
    assert!(
        errors[0].chain().ends_with("Connection refused"),
        "{}",
        errors[0].chain()
    );
    assert_eq!(errors[0].chain().matches("refused").count(), 1);
}

#[tokio::test]
async fn tls_failures_are_not_retried() {
    let t = TestTransport::new();
    t.push_error(TransportError::new(
        TransportErrorKind::Tls,
        "unknown issuer",
    ));
    let err = client(&t).integrations().get(id(1)).await.unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert!(!err.is_retryable());
}

#[tokio::test(start_paused = true)]
async fn an_html_502_page_reads_as_such() {
    let t = TestTransport::new();
    let html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";
    for _ in 0..3 {
        t.push(
            http::Response::builder()
                .status(502)
                .header("content-type", "text/html")
                .body(Bytes::from(html))
                .unwrap(),
        );
    }
    let err = client(&t).integrations().get(id(1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.attempts(), 3);
    assert_eq!(
        err.to_string(),
        "Edlink's response could not be used after 3 attempts"
    );
    let text = err.chain();
    assert!(text.contains("HTTP 502"), "{text}");
    assert!(text.contains("not JSON (text/html)"), "{text}");
    assert!(text.contains("502 Bad Gateway"), "{text}");
    assert!(matches!(
        err.source().unwrap().downcast_ref::<ResponseError>(),
        Some(ResponseError::NotJson { .. })
    ));
}

#[tokio::test]
async fn malformed_json_names_the_path_and_is_not_retried() {
    let t = TestTransport::new();
    t.push_json(
        200,
        r#"{"$request":"req-m","$data":[{"id":"00000000-0000-0000-0000-000000000001"},{"id":42}]}"#,
    );
    let err = client(&t)
        .integrations()
        .list()
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.request_id(), Some("req-m"));
    assert_eq!(t.request_count(), 1);
    assert!(err.chain().contains("$data[1]"), "{}", err.chain());
}

/// Every error from a response that carried `Retry-After` exposes it, the
/// last attempt's included.
#[tokio::test(start_paused = true)]
async fn retry_after_survives_the_last_attempt() {
    let limited = |status: u16, content_type: &str, body: &str, hint: &str| {
        http::Response::builder()
            .status(status)
            .header("content-type", content_type)
            .header("retry-after", hint)
            .body(Bytes::from(body.to_owned()))
            .unwrap()
    };
    // Retries off: the one 429.
    let t = TestTransport::new();
    t.push(limited(
        429,
        "application/json",
        &error_body("RATE_LIMITED", "slow down"),
        "7",
    ));
    let err = client_no_retry(&t)
        .integrations()
        .get(id(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 429, .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
    // The default policy after three short 429s.
    let t = TestTransport::new();
    for _ in 0..3 {
        t.push(limited(
            429,
            "application/json",
            &error_body("RATE_LIMITED", "slow down"),
            "1",
        ));
    }
    let err = client(&t).integrations().get(id(1)).await.unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(1)));
    // An HTML 503 from a proxy, with an HTTP-date in the past (no wait).
    let t = TestTransport::new();
    t.push(limited(
        503,
        "text/html",
        "<h1>Maintenance</h1>",
        "Sun, 06 Nov 1994 08:49:37 GMT",
    ));
    let err = client_no_retry(&t)
        .integrations()
        .get(id(1))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.retry_after(), Some(std::time::Duration::ZERO));
    // And none when the header was not there.
    let t = TestTransport::new();
    t.push_json(503, &error_body("INTERNAL", "down"));
    let err = client_no_retry(&t)
        .integrations()
        .get(id(1))
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), None);
}

#[tokio::test]
async fn a_failure_status_without_errors_is_a_decode_error() {
    let t = TestTransport::new();
    t.push_json(404, r#"{"$request":"req-404"}"#);
    let err = client(&t).integrations().get(id(1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req-404"));
}

#[tokio::test]
async fn redirects_are_errors_naming_the_location() {
    for status in [301, 302, 303, 307, 308] {
        let t = TestTransport::new();
        t.push(
            http::Response::builder()
                .status(status)
                .header("location", "https://evil.example/steal")
                .body(Bytes::new())
                .unwrap(),
        );
        let err = client(&t).integrations().get(id(1)).await.unwrap_err();
        assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
        assert_eq!(err.status(), Some(status));
        assert!(
            err.to_string().contains("https://evil.example/steal"),
            "{err}"
        );
        assert_eq!(t.request_count(), 1, "the redirect is not followed");
    }
}

#[tokio::test]
async fn a_key_endpoint_without_a_key_fails_before_any_request() {
    let t = TestTransport::new();
    let client = Client::builder().transport(t.clone()).build().unwrap();
    let err = client.integrations().get(id(1)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingCredential {
                resource: "integration",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("EDLINK_SECRET_KEY"), "{err}");
    let err = client
        .integrations()
        .list()
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(err.attempts(), 0);
    assert_eq!(t.request_count(), 0);

    // Public endpoints work without a key, and no Authorization is sent.
    t.push_json(200, &page([1], None));
    t.push_json(200, &page([2], None));
    client.providers().list().collect_all().await.unwrap();
    client.permissions().list().collect_all().await.unwrap();
    assert!(
        t.requests()
            .iter()
            .all(|r| r.header("authorization").is_none())
    );
}

#[test]
fn bad_settings_are_invalid_arguments() {
    let t = TestTransport::new();
    let build = |b: edlink_client::ClientBuilder| b.transport(t.clone()).build().unwrap_err();
    let cases = [
        build(Client::builder().base_url("http://ed.link")),
        build(Client::builder().base_url("https://ed.link@evil.example")),
        build(Client::builder().base_url("https://ed.link/?x=1")),
        build(Client::builder().base_url("not a url")),
        build(Client::builder().application_key("")),
        build(Client::builder().application_key("line\nbreak")),
        build(Client::builder().user_agent_suffix("bad\u{7f}")),
        build(Client::builder().call_timeout(std::time::Duration::ZERO)),
        build(Client::builder().connect_timeout(std::time::Duration::from_secs(1))),
    ];
    for err in cases {
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err:?}");
        assert_eq!(err.attempts(), 0);
        assert!(!err.to_string().is_empty());
    }
}

#[tokio::test]
async fn errors_without_a_response_have_no_status() {
    let t = TestTransport::new();
    t.push_json(200, &page([1], Some("https://evil.example/x")));
    let err = client(&t)
        .integrations()
        .list()
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.status(), None);
    assert_eq!(err.request_id(), None);
    assert!(err.api_errors().is_empty());
    assert_eq!(err.retry_after(), None);
}
