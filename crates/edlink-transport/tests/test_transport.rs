//! `TestTransport`: queueing, recording, sharing between clones, and the
//! error for an unexpected request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use edlink_transport::{TestTransport, Transport, TransportError, TransportErrorKind};

fn request(method: &str, url: &str) -> http::Request<Bytes> {
    http::Request::builder()
        .method(method)
        .uri(url)
        .header("authorization", "Bearer top-secret-token")
        .header("accept", "application/json")
        .body(Bytes::from_static(b"payload"))
        .unwrap()
}

#[tokio::test]
async fn replies_in_order_and_records_everything() {
    let transport = TestTransport::new();
    transport
        .push_json(200, r#"{"$data":[]}"#)
        .push_response(503, "busy")
        .push_error(TransportError::new(TransportErrorKind::Connect, "refused"));
    assert_eq!(transport.pending(), 3);

    let first = transport
        .send(request("GET", "https://ed.link/a?x=1"))
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "application/json");
    assert_eq!(&first.body()[..], br#"{"$data":[]}"#);

    let second = transport
        .send(request("POST", "https://ed.link/b"))
        .await
        .unwrap();
    assert_eq!(second.status(), 503);
    assert_eq!(&second.body()[..], b"busy");

    let third = transport
        .send(request("GET", "https://ed.link/c"))
        .await
        .unwrap_err();
    assert_eq!(third.kind(), TransportErrorKind::Connect);
    assert_eq!(transport.pending(), 0);

    let sent = transport.requests();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0].method, http::Method::GET);
    assert_eq!(sent[0].uri, "https://ed.link/a?x=1");
    assert_eq!(sent[0].path(), "/a");
    assert_eq!(sent[0].query(), Some("x=1"));
    assert_eq!(sent[0].header("accept"), Some("application/json"));
    assert_eq!(sent[1].method, http::Method::POST);
    assert_eq!(sent[1].body_str(), Some("payload"));
    assert_eq!(transport.last_request().unwrap().path(), "/c");
}

#[tokio::test]
async fn unexpected_request_names_method_and_path_but_no_headers() {
    let transport = TestTransport::new();
    let err = transport
        .send(request(
            "DELETE",
            "https://ed.link/api/v2/graph/classes/1?secret=q",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other);
    let text = format!("{err} {err:?}");
    assert!(text.contains("DELETE /api/v2/graph/classes/1"), "{text}");
    assert!(!text.contains("top-secret-token"), "{text}");
    assert!(!text.contains("secret=q"), "{text}");
    assert_eq!(transport.request_count(), 1);
}

#[tokio::test]
async fn clones_share_queue_and_record() {
    let transport = TestTransport::new();
    let handle = transport.clone();
    let shared: Arc<dyn Transport> = Arc::new(transport);

    handle.push_response(204, "");
    let response = shared
        .send(request("GET", "https://ed.link/x"))
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(handle.request_count(), 1);
    assert_eq!(handle.take_requests().len(), 1);
    assert_eq!(handle.request_count(), 0);
}

#[tokio::test]
async fn responder_answers_when_the_queue_is_empty() {
    let transport = TestTransport::new();
    transport.push_response(201, "queued first");
    transport.respond_with(|request| {
        Ok(http::Response::new(Bytes::from(format!(
            "echo {}",
            request.path()
        ))))
    });

    let queued = transport
        .send(request("GET", "https://ed.link/1"))
        .await
        .unwrap();
    assert_eq!(queued.status(), 201);
    for path in ["/2", "/3"] {
        let url = format!("https://ed.link{path}");
        let response = transport.send(request("GET", &url)).await.unwrap();
        assert_eq!(response.body(), &Bytes::from(format!("echo {path}")));
    }
}

#[tokio::test]
async fn full_responses_keep_their_headers() {
    let transport = TestTransport::new();
    transport.push(
        http::Response::builder()
            .status(429)
            .header("retry-after", "3")
            .body(Bytes::new())
            .unwrap(),
    );
    let response = transport
        .send(request("GET", "https://ed.link/"))
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "3");
}

#[tokio::test]
async fn invalid_status_surfaces_as_an_error() {
    let transport = TestTransport::new();
    transport.push_response(42, "");
    let err = transport
        .send(request("GET", "https://ed.link/"))
        .await
        .unwrap_err();
    assert!(err.message().contains("status 42"), "{err}");
    // The cause is the source, not repeated in the message.
    let cause = std::error::Error::source(&err).unwrap().to_string();
    assert!(!err.to_string().contains(&cause), "{err}");
}

#[tokio::test]
async fn push_never_hangs_until_the_caller_gives_up() {
    let transport = TestTransport::new();
    transport.push_never();
    let outcome = tokio::time::timeout(
        Duration::from_millis(50),
        transport.send(request("GET", "https://ed.link/")),
    )
    .await;
    assert!(outcome.is_err(), "the request should still be pending");
    assert_eq!(transport.request_count(), 1);
}

#[tokio::test]
async fn authorization_is_marked_sensitive_on_recorded_requests() {
    let transport = TestTransport::new();
    transport.push_response(200, "");
    transport
        .send(request("GET", "https://ed.link/"))
        .await
        .unwrap();

    let sent = transport.last_request().unwrap();
    assert!(sent.headers["authorization"].is_sensitive());
    assert!(!sent.headers["accept"].is_sensitive());
    for debug in [
        format!("{:?}", sent.headers),
        format!("{sent:?}"),
        format!("{transport:?}"),
    ] {
        assert!(!debug.contains("top-secret-token"), "{debug}");
    }
    // The value itself is intact for assertions.
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer top-secret-token")
    );
}

#[test]
fn is_send_sync_clone_debug_default() {
    fn assert_traits<T: Send + Sync + Clone + std::fmt::Debug + Default + 'static>() {}
    assert_traits::<TestTransport>();
}

/// A custom transport written against the re-exported `http` and `bytes`
/// only (no `use http` or `use bytes` of its own).
mod reexports_only {
    use edlink_transport::bytes::Bytes;
    use edlink_transport::{BoxFuture, Transport, TransportError, http};

    struct Teapot;

    impl Transport for Teapot {
        fn send(
            &self,
            request: http::Request<Bytes>,
        ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
            Box::pin(async move {
                let mut response = http::Response::new(Bytes::from(request.uri().to_string()));
                *response.status_mut() = http::StatusCode::IM_A_TEAPOT;
                Ok(response)
            })
        }
    }

    #[tokio::test]
    async fn a_transport_needs_no_http_or_bytes_dependency() {
        let request = http::Request::get("https://ed.link/x")
            .body(Bytes::new())
            .unwrap();
        let response = Teapot.send(request).await.unwrap();
        assert_eq!(response.status(), http::StatusCode::IM_A_TEAPOT);
        assert_eq!(&response.body()[..], b"https://ed.link/x");
    }
}
