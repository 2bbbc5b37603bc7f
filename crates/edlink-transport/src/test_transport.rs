//! [`TestTransport`]: a fake [`Transport`] that replays canned responses and
//! records what was sent. Always compiled; needs neither tokio nor hyper.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method, Response, StatusCode, Uri};

use crate::{BoxFuture, Transport, TransportError, TransportErrorKind, mark_sensitive_headers};

type Reply = Result<Response<Bytes>, TransportError>;
type Responder = Arc<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

/// A request as [`TestTransport`] received it.
///
/// Its `Authorization` values are marked sensitive, so `{:?}` never shows them.
///
/// ```
/// use bytes::Bytes;
/// use edlink_transport::{TestTransport, Transport};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let transport = TestTransport::new();
/// transport.push_json(200, "{}");
/// let request = http::Request::post("https://ed.link/api/v2/graph/people?$first=10")
///     .header("content-type", "application/json")
///     .body(Bytes::from_static(b"{\"a\":1}"))
///     .unwrap();
/// transport.send(request).await.unwrap();
///
/// let sent = transport.last_request().unwrap();
/// assert_eq!(sent.method, http::Method::POST);
/// assert_eq!(sent.path(), "/api/v2/graph/people");
/// assert_eq!(sent.query(), Some("$first=10"));
/// assert_eq!(sent.header("content-type"), Some("application/json"));
/// assert_eq!(sent.body_str(), Some("{\"a\":1}"));
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The request method.
    pub method: Method,
    /// The full request URI.
    pub uri: Uri,
    /// The request headers (credential headers marked sensitive).
    pub headers: HeaderMap,
    /// The request body.
    pub body: Bytes,
}

impl RecordedRequest {
    /// The URI path, e.g. `/api/v2/graph/people`.
    ///
    /// ```
    /// # use edlink_transport::RecordedRequest;
    /// # fn check(request: &RecordedRequest) {
    /// assert!(request.path().starts_with('/'));
    /// # }
    /// ```
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The URI query string without the `?`, if any.
    ///
    /// ```
    /// # use edlink_transport::RecordedRequest;
    /// # fn check(request: &RecordedRequest) {
    /// let first = request.query().is_some_and(|q| q.contains("$first="));
    /// # let _ = first;
    /// # }
    /// ```
    pub fn query(&self) -> Option<&str> {
        self.uri.query()
    }

    /// The first value of header `name` as text, if present and visible ASCII.
    ///
    /// ```
    /// # use edlink_transport::RecordedRequest;
    /// # fn check(request: &RecordedRequest) {
    /// assert_eq!(request.header("accept"), Some("application/json"));
    /// # }
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as UTF-8 text, if it is valid UTF-8.
    ///
    /// ```
    /// # use edlink_transport::RecordedRequest;
    /// # fn check(request: &RecordedRequest) {
    /// assert_eq!(request.body_str(), Some(""));
    /// # }
    /// ```
    pub fn body_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }
}

/// What the next request gets.
enum Queued {
    Reply(Reply),
    Never,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Queued>,
    requests: Vec<RecordedRequest>,
    responder: Option<Responder>,
}

/// A [`Transport`] for tests: it answers from a queue of canned responses
/// (first in, first out), records every request, and never touches the network.
///
/// Clones share one queue and one record, so a test can keep a handle while
/// the client under test owns another. When the queue is empty and no
/// [`respond_with`](Self::respond_with) closure is set, `send` fails with a
/// [`TransportErrorKind::Other`] error naming the unexpected request (method and
/// path, never headers).
///
/// ```
/// use bytes::Bytes;
/// use edlink_transport::{TestTransport, Transport, TransportErrorKind};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let transport = TestTransport::new();
/// transport
///     .push_json(200, r#"{"$data":[]}"#)
///     .push_response(503, "try later");
///
/// let get = |path: &str| {
///     http::Request::get(format!("https://ed.link{path}"))
///         .body(Bytes::new())
///         .unwrap()
/// };
/// let first = transport.send(get("/api/v2/graph/people")).await.unwrap();
/// assert_eq!(first.status(), 200);
/// assert_eq!(first.headers()["content-type"], "application/json");
/// let second = transport.send(get("/api/v2/graph/people")).await.unwrap();
/// assert_eq!(second.status(), 503);
///
/// let err = transport.send(get("/api/v2/graph/classes")).await.unwrap_err();
/// assert_eq!(err.kind(), TransportErrorKind::Other);
/// assert!(err.to_string().contains("GET /api/v2/graph/classes"));
/// assert_eq!(transport.request_count(), 3);
/// assert_eq!(transport.pending(), 0);
/// # }
/// ```
#[derive(Clone, Default)]
pub struct TestTransport {
    state: Arc<Mutex<State>>,
}

impl TestTransport {
    /// An empty transport: no queued responses, nothing recorded.
    ///
    /// ```
    /// let transport = edlink_transport::TestTransport::new();
    /// assert_eq!(transport.pending(), 0);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held (in a test assertion) leaves the
        // state consistent: every update below is a single push or pop.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn enqueue(&self, queued: Queued) -> &Self {
        self.state().queue.push_back(queued);
        self
    }

    /// Queues a complete response, headers included.
    ///
    /// ```
    /// use bytes::Bytes;
    /// let transport = edlink_transport::TestTransport::new();
    /// transport.push(
    ///     http::Response::builder()
    ///         .status(429)
    ///         .header("retry-after", "2")
    ///         .body(Bytes::new())
    ///         .unwrap(),
    /// );
    /// assert_eq!(transport.pending(), 1);
    /// ```
    pub fn push(&self, response: Response<Bytes>) -> &Self {
        self.enqueue(Queued::Reply(Ok(response)))
    }

    /// Queues a response with `status` and `body` and no headers.
    ///
    /// A `status` outside `100..=999` queues an error instead, which the
    /// matching `send` returns, so the mistake shows up in the test.
    ///
    /// ```
    /// let transport = edlink_transport::TestTransport::new();
    /// transport.push_response(500, "<html>oops</html>").push_response(204, "");
    /// assert_eq!(transport.pending(), 2);
    /// ```
    pub fn push_response(&self, status: u16, body: impl Into<Bytes>) -> &Self {
        self.enqueue(Queued::Reply(response(status, body.into(), None)))
    }

    /// Queues a response with `status`, `content-type: application/json` and
    /// `json` as its body (not validated, so malformed JSON can be tested).
    ///
    /// ```
    /// let transport = edlink_transport::TestTransport::new();
    /// transport.push_json(200, r#"{"$data": {"id": "1"}}"#);
    /// assert_eq!(transport.pending(), 1);
    /// ```
    pub fn push_json(&self, status: u16, json: &str) -> &Self {
        let body = Bytes::copy_from_slice(json.as_bytes());
        let json_type = HeaderValue::from_static("application/json");
        self.enqueue(Queued::Reply(response(status, body, Some(json_type))))
    }

    /// Queues an error, returned as it is by the matching `send`.
    ///
    /// ```
    /// use edlink_transport::{TestTransport, TransportError, TransportErrorKind};
    /// let transport = TestTransport::new();
    /// transport.push_error(TransportError::new(TransportErrorKind::Connect, "refused"));
    /// assert_eq!(transport.pending(), 1);
    /// ```
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.enqueue(Queued::Reply(Err(error)))
    }

    /// Queues a reply that never comes: the matching `send` future stays
    /// pending forever, like a server that never answers. Useful to test a
    /// caller's own timeout (e.g. with tokio's paused clock).
    ///
    /// ```
    /// let transport = edlink_transport::TestTransport::new();
    /// transport.push_never();
    /// assert_eq!(transport.pending(), 1);
    /// ```
    pub fn push_never(&self) -> &Self {
        self.enqueue(Queued::Never)
    }

    /// Answers with `responder` whenever the queue is empty (queued replies
    /// still come first). Replaces any previous responder.
    ///
    /// ```
    /// use bytes::Bytes;
    /// let transport = edlink_transport::TestTransport::new();
    /// transport.respond_with(|request| {
    ///     let body = Bytes::from(format!("you asked for {}", request.path()));
    ///     Ok(http::Response::new(body))
    /// });
    /// ```
    pub fn respond_with<F>(&self, responder: F) -> &Self
    where
        F: Fn(&RecordedRequest) -> Result<Response<Bytes>, TransportError> + Send + Sync + 'static,
    {
        self.state().responder = Some(Arc::new(responder));
        self
    }

    /// Every request sent so far, oldest first.
    ///
    /// ```
    /// let transport = edlink_transport::TestTransport::new();
    /// assert!(transport.requests().is_empty());
    /// ```
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// Removes and returns every request recorded so far.
    ///
    /// ```
    /// let transport = edlink_transport::TestTransport::new();
    /// assert!(transport.take_requests().is_empty());
    /// ```
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut self.state().requests)
    }

    /// The most recent request, if any.
    ///
    /// ```
    /// let transport = edlink_transport::TestTransport::new();
    /// assert!(transport.last_request().is_none());
    /// ```
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.state().requests.last().cloned()
    }

    /// How many requests were sent so far.
    ///
    /// ```
    /// let transport = edlink_transport::TestTransport::new();
    /// assert_eq!(transport.request_count(), 0);
    /// ```
    pub fn request_count(&self) -> usize {
        self.state().requests.len()
    }

    /// How many queued replies have not been used yet (assert `0` at the end
    /// of a test to check that every expected request was made).
    ///
    /// ```
    /// let transport = edlink_transport::TestTransport::new();
    /// transport.push_response(200, "ok");
    /// assert_eq!(transport.pending(), 1);
    /// ```
    pub fn pending(&self) -> usize {
        self.state().queue.len()
    }
}

fn response(status: u16, body: Bytes, content_type: Option<HeaderValue>) -> Reply {
    let status = StatusCode::from_u16(status).map_err(|err| {
        let message = format!("TestTransport: a reply with status {status} was queued");
        TransportError::with_source(TransportErrorKind::Other, message, err)
    })?;
    let mut response = Response::new(body);
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response.headers_mut().insert(CONTENT_TYPE, content_type);
    }
    Ok(response)
}

impl Transport for TestTransport {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'_, Reply> {
        let (mut parts, body) = request.into_parts();
        mark_sensitive_headers(&mut parts.headers);
        let recorded = RecordedRequest {
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            body,
        };

        let mut state = self.state();
        state.requests.push(recorded.clone());
        let number = state.requests.len();
        let next = state.queue.pop_front();
        let responder = state.responder.clone();
        drop(state);

        let reply = match (next, responder) {
            (Some(Queued::Reply(reply)), _) => reply,
            (Some(Queued::Never), _) => return Box::pin(std::future::pending()),
            (None, Some(responder)) => responder(&recorded),
            (None, None) => Err(TransportError::new(
                TransportErrorKind::Other,
                format!(
                    "TestTransport: no response queued for request #{number}, {} {}",
                    recorded.method,
                    recorded.path()
                ),
            )),
        };
        Box::pin(std::future::ready(reply))
    }
}

impl fmt::Debug for TestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("TestTransport")
            .field("pending", &state.queue.len())
            .field("requests", &state.requests.len())
            .field("responder", &state.responder.is_some())
            .finish()
    }
}
