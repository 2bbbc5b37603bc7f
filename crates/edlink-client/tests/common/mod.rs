//! Helpers shared by the test files: a client on a `TestTransport`, page
//! bodies, and a stable rendering of the requests sent.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod pager;

use edlink_client::{Client, RetryPolicy, TestTransport};
use edlink_model::{Auth, Record, Resource};
use edlink_transport::RecordedRequest;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

/// The application key every test client uses; no output may ever contain it.
pub const KEY: &str = "sk_live_K3Y-must-never-leak-7f3a9c";

pub const INTEGRATIONS: &str = "https://ed.link/api/v1/integrations";

/// A client with [`KEY`], talking to `transport`.
pub fn client(transport: &TestTransport) -> Client {
    Client::builder()
        .application_key(KEY)
        .transport(transport.clone())
        .build()
        .expect("a valid test client")
}

/// A client with [`KEY`] and no retries.
pub fn client_no_retry(transport: &TestTransport) -> Client {
    Client::builder()
        .application_key(KEY)
        .transport(transport.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("a valid test client")
}

/// The id of test item `n`.
pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A list body with items `ids`, and `$next` when given.
pub fn page(ids: impl IntoIterator<Item = u128>, next: Option<&str>) -> String {
    let ids: Vec<u128> = ids.into_iter().collect();
    let items: Vec<_> = ids
        .iter()
        .map(|n| json!({"id": id(*n), "status": "active", "n": *n as u64}))
        .collect();
    let request = ids
        .first()
        .map_or("req-empty".to_owned(), |n| format!("req-from-{n}"));
    let mut body = json!({"$data": items, "$request": request});
    if let Some(next) = next {
        body["$next"] = json!(next);
    }
    body.to_string()
}

/// An error body with one `$errors` entry.
pub fn error_body(code: &str, message: &str) -> String {
    json!({"$request": "req-err", "$errors": [{"code": code, "message": message}]}).to_string()
}

/// The `n` of each item, for asserting order and uniqueness.
pub fn numbers<T: Record>(items: &[T]) -> Vec<u128> {
    items
        .iter()
        .map(|i| i.record_id().map_or(0, |id| id.as_u128()))
        .collect()
}

/// The URL of each request sent.
pub fn urls(transport: &TestTransport) -> Vec<String> {
    transport
        .requests()
        .iter()
        .map(|r| r.uri.to_string())
        .collect()
}

/// A request as text: method, URL, then headers sorted by name, with the
/// `Authorization` value shown as `Bearer [redacted]` (only if it is the
/// test key's and marked sensitive) and the crate version replaced.
pub fn render(request: &RecordedRequest) -> String {
    let mut lines = vec![format!("{} {}", request.method, request.uri)];
    let mut headers: Vec<_> = request.headers.iter().collect();
    headers.sort_by_key(|(name, _)| name.as_str().to_owned());
    for (name, value) in headers {
        let shown = if name == http::header::AUTHORIZATION {
            let expected = format!("Bearer {KEY}");
            if value.as_bytes() == expected.as_bytes() && value.is_sensitive() {
                "Bearer [redacted]".to_owned()
            } else {
                "<unexpected authorization value>".to_owned()
            }
        } else {
            String::from_utf8_lossy(value.as_bytes())
                .replace(env!("CARGO_PKG_VERSION"), "<version>")
        };
        lines.push(format!("{name}: {shown}"));
    }
    if !request.body.is_empty() {
        lines.push(format!("body: {} bytes", request.body.len()));
    }
    lines.join("\n")
}

/// A test-only resource: the generic path works for any `Resource`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Widget {
    pub id: Uuid,
    #[serde(default)]
    pub name: Option<String>,
}

impl Record for Widget {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Widget {
    const PATH: &'static str = "/api/v1/widgets";
    const AUTH: Auth = Auth::ApplicationKey;
    const NAME: &'static str = "widget";
}

/// A public test-only resource.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Gadget {
    pub id: Uuid,
}

impl Record for Gadget {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Gadget {
    const PATH: &'static str = "/api/v1/gadgets";
    const AUTH: Auth = Auth::None;
    const NAME: &'static str = "gadget";
}
