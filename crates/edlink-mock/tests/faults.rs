//! Every fault kind, the ways to schedule faults, and the injected-fault count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::{KEY, client, get, id_strings, page_ids, send};
use edlink_mock::{
    Collection, Fault, FaultPlan, FaultRate, FaultTarget, MockServer, RetryAfter, Route,
};
use http::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIST: Route = Route::List(Collection::Integrations);

async fn server() -> MockServer {
    MockServer::builder()
        .generated(40, 4)
        .start()
        .await
        .unwrap()
}

/// A raw HTTP/1.1 exchange on a fresh socket (`Connection: close`); returns (head, body bytes).
async fn raw(server: &MockServer, path: &str, max: usize) -> (String, Vec<u8>) {
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {KEY}\r\nConnection: close\r\n\r\n",
        server.addr()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    while buf.len() < max {
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(buf.len(), |p| p + 4);
    let body = buf.split_off(split);
    (String::from_utf8_lossy(&buf).into_owned(), body)
}

fn content_length(head: &str) -> Option<usize> {
    head.lines().find_map(|l| {
        l.to_ascii_lowercase()
            .strip_prefix("content-length: ")
            .map(|v| v.trim().parse().unwrap())
    })
}

#[tokio::test]
async fn rate_limited_in_both_retry_after_forms() {
    let server = server().await;
    let c = client();
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    let cases = [
        (Some(RetryAfter::Seconds(7)), Some("7".to_owned())),
        (
            Some(RetryAfter::HttpDate(when)),
            Some("Sun, 06 Nov 1994 08:49:37 GMT".to_owned()),
        ),
        (
            Some(RetryAfter::Raw("soon".into())),
            Some("soon".to_owned()),
        ),
        (None, None),
    ];
    for (retry_after, expected) in cases {
        server.faults().push(LIST, Fault::RateLimited(retry_after));
        let r = get(&c, &server.url("/api/v1/integrations"), Some(KEY)).await;
        assert_eq!((r.status, r.code().as_str()), (429, "RATE_LIMITED"));
        assert_eq!(r.header("retry-after"), expected);
    }
    server.faults().push(
        LIST,
        Fault::RateLimited(Some(RetryAfter::HttpDateIn(Duration::from_secs(30)))),
    );
    let r = get(&c, &server.url("/api/v1/integrations"), Some(KEY)).await;
    let date = r.header("retry-after").unwrap();
    assert!(date.ends_with(" GMT") && date.len() == 29, "{date}");
    assert_eq!(server.faults_injected(), 5);
    assert_eq!(
        get(&c, &server.url("/api/v1/integrations"), Some(KEY))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn status_and_proxy_pages() {
    let server = server().await;
    let c = client();
    for (fault, status, json_code) in [
        (Fault::Status(500), 500, Some("INTERNAL")),
        (Fault::Status(503), 503, Some("INTERNAL")),
        (Fault::Status(408), 408, Some("UNKNOWN")),
        (Fault::Status(501), 501, Some("INTERNAL")),
        (Fault::ProxyPage(502), 502, None),
        (Fault::ProxyPage(504), 504, None),
    ] {
        server.faults().push(FaultTarget::Any, fault);
        let r = get(&c, &server.url("/api/v1/providers"), None).await;
        assert_eq!(r.status, status);
        match json_code {
            Some(code) => assert_eq!(r.code(), code),
            None => {
                assert_eq!(r.header("content-type").as_deref(), Some("text/html"));
                let text = String::from_utf8_lossy(&r.body);
                assert!(text.contains(&format!("<h1>{status} ")), "{text}");
                assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
            }
        }
    }
    let log = server.requests();
    assert_eq!(log[4].fault.as_deref(), Some("proxy_page_502"));
    assert_eq!(log[4].status, Some(502));
}

#[tokio::test]
async fn errors_on_200_and_redirect() {
    let server = server().await;
    let c = client();
    server.faults().push(LIST, Fault::ErrorsOn200);
    let r = get(&c, &server.url("/api/v1/integrations"), Some(KEY)).await;
    assert_eq!((r.status, r.code().as_str()), (200, "INTERNAL"));
    server.faults().push(
        LIST,
        Fault::Redirect {
            status: 302,
            location: "https://evil.example/x".into(),
        },
    );
    let r = get(&c, &server.url("/api/v1/integrations"), Some(KEY)).await;
    assert_eq!(r.status, 302);
    assert_eq!(
        r.header("location").as_deref(),
        Some("https://evil.example/x")
    );
}

#[tokio::test]
async fn delay_and_stall() {
    let server = server().await;
    let c = client();
    server
        .faults()
        .push(LIST, Fault::Delay(Duration::from_millis(250)));
    let t = Instant::now();
    let r = get(&c, &server.url("/api/v1/integrations"), Some(KEY)).await;
    assert!(t.elapsed() >= Duration::from_millis(250));
    assert_eq!(page_ids(&r).0, id_strings(server.integration_ids()));

    server
        .faults()
        .push(LIST, Fault::StallBody(Duration::from_millis(250)));
    let t = Instant::now();
    let (head, body) = raw(&server, "/api/v1/integrations", usize::MAX).await;
    assert!(t.elapsed() >= Duration::from_millis(250));
    assert!(head.starts_with("HTTP/1.1 200"));
    assert_eq!(content_length(&head), Some(body.len()));
    serde_json::from_slice::<serde_json::Value>(&body).unwrap();
}

#[tokio::test]
async fn close_mid_body_and_drop_connection() {
    let server = server().await;
    server.faults().push(LIST, Fault::CloseMidBody);
    let (head, body) = raw(&server, "/api/v1/integrations", usize::MAX).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let declared = content_length(&head).unwrap();
    assert!(
        !body.is_empty() && body.len() < declared,
        "{} of {declared}",
        body.len()
    );

    // Through a normal client it is a body error.
    server.faults().push(LIST, Fault::CloseMidBody);
    let err = send(
        &client(),
        Method::GET,
        &server.url("/api/v1/integrations"),
        Some(KEY),
    )
    .await
    .unwrap_err();
    assert!(err.starts_with("body"), "{err}");

    server.faults().push(LIST, Fault::DropConnection);
    let (head, body) = raw(&server, "/api/v1/integrations", usize::MAX).await;
    assert_eq!((head.as_str(), body.len()), ("", 0));
    let log = server.requests();
    assert_eq!(log.last().unwrap().status, None);
    assert_eq!(
        log.last().unwrap().fault.as_deref(),
        Some("drop_connection")
    );
    // The server is fine afterwards.
    assert_eq!(
        get(&client(), &server.url("/api/v1/integrations"), Some(KEY))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn truncated_body() {
    let server = server().await;
    let c = client();
    let full = get(&c, &server.url("/api/v1/integrations"), Some(KEY))
        .await
        .body;
    server.faults().push(LIST, Fault::TruncatedBody);
    let r = get(&c, &server.url("/api/v1/integrations"), Some(KEY)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some(r.body.len().to_string()));
    assert_eq!(r.body.len(), full.len() / 2);
    // Same bytes up to the cut, except the $request id, which differs per request.
    assert_eq!(&r.body[..200], &full[..200]);
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
}

#[tokio::test]
async fn oversized_and_endless_bodies() {
    let server = server().await;
    let c = client();
    let size = 3 * 1024 * 1024 + 17;
    server.faults().push(LIST, Fault::Oversized { bytes: size });
    let r = get(&c, &server.url("/api/v1/integrations"), Some(KEY)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some(size.to_string()));
    assert_eq!(r.body.len() as u64, size);
    assert!(r.body.starts_with(b"{\"$data\":["));

    // A client that gives up early: the server notices and carries on.
    server
        .faults()
        .push(LIST, Fault::Oversized { bytes: 1 << 30 });
    let (head, body) = raw(&server, "/api/v1/integrations", 256 * 1024).await;
    assert_eq!(content_length(&head), Some(1 << 30));
    assert!(body.len() >= 100_000);

    server.faults().push(LIST, Fault::EndlessBody);
    let (head, body) = raw(&server, "/api/v1/integrations", 2 * 1024 * 1024).await;
    assert!(
        head.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    assert!(body.len() >= 2 * 1024 * 1024);
    assert_eq!(
        get(&c, &server.url("/api/v1/integrations"), Some(KEY))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn scheduling_by_route_count_and_request_number() {
    let server = MockServer::builder()
        .generated(10, 4)
        .faults(
            FaultPlan::new()
                .fail_next(Collection::Providers, 2, Fault::Status(503))
                .on_request(4, Fault::Status(500)),
        )
        .start()
        .await
        .unwrap();
    let c = client();
    let statuses = [
        get(&c, &server.url("/api/v1/integrations"), Some(KEY))
            .await
            .status, // 1: not targeted
        get(&c, &server.url("/api/v1/providers"), None).await.status, // 2
        get(&c, &server.url("/api/v1/providers/x"), None)
            .await
            .status, // 3: fetch is targeted too
        get(&c, &server.url("/api/v1/permissions"), None)
            .await
            .status, // 4: request number 4
        get(&c, &server.url("/api/v1/providers"), None).await.status, // 5
    ];
    assert_eq!(statuses, [200, 503, 503, 500, 200]);
    assert_eq!(server.faults_injected(), 3);
    assert_eq!(server.faults().pending(), 0);
    // Unknown routes can be targeted with Any.
    server
        .faults()
        .fail_next(FaultTarget::Any, 1, Fault::Status(502));
    assert_eq!(get(&c, &server.url("/nope"), None).await.status, 502);
    server
        .faults()
        .fail_next(Route::Unknown, 1, Fault::Status(504));
    server.faults().clear();
    assert_eq!(get(&c, &server.url("/nope"), None).await.status, 404);
}

#[tokio::test]
async fn seeded_rate_is_repeatable_and_counted() {
    async fn run() -> (Vec<Option<String>>, u64) {
        let server = MockServer::builder()
            .generated(10, 4)
            .fault_rate(FaultRate::new(0.3, 99).mix(vec![
                Fault::Status(500),
                Fault::ProxyPage(502),
                Fault::Status(503),
            ]))
            .start()
            .await
            .unwrap();
        let c = client();
        for _ in 0..100 {
            get(&c, &server.url("/api/v1/providers"), None).await;
        }
        let faults: Vec<Option<String>> = server.requests().into_iter().map(|r| r.fault).collect();
        (faults, server.faults_injected())
    }
    let (a, n) = run().await;
    let (b, m) = run().await;
    assert_eq!(a, b);
    assert_eq!(n, m);
    assert_eq!(n as usize, a.iter().flatten().count());
    assert!((10..=50).contains(&n), "{n}");

    // The default transient mix: every request eventually succeeds when retried.
    let server = MockServer::builder()
        .fault_rate(FaultRate::new(0.5, 1))
        .start()
        .await
        .unwrap();
    let mut ok = 0;
    for _ in 0..40 {
        for _attempt in 0..20 {
            match send(
                &client(),
                Method::GET,
                &server.url("/api/v1/providers"),
                None,
            )
            .await
            {
                Ok(r) if r.status == 200 => {
                    ok += 1;
                    break;
                }
                _ => {}
            }
        }
    }
    assert_eq!(ok, 40);
    assert!(server.faults_injected() > 5);
}
