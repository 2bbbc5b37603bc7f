//! Test helpers: a plain hyper-util client (not the SDK) and a page walker.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bytes::Bytes;
use http::{HeaderMap, Method, Request};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use serde_json::Value;

pub const KEY: &str = "test-key";

pub type TestClient = Client<HttpConnector, Empty<Bytes>>;

pub fn client() -> TestClient {
    Client::builder(TokioExecutor::new()).build_http()
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The `$errors[0].code`.
    pub fn code(&self) -> String {
        self.json()["$errors"][0]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
}

/// A request; `Err` when the connection or the body failed.
pub async fn send(
    client: &TestClient,
    method: Method,
    url: &str,
    key: Option<&str>,
) -> Result<Resp, String> {
    let mut req = Request::builder().method(method).uri(url);
    if let Some(key) = key {
        req = req.header("authorization", format!("Bearer {key}"));
    }
    let resp = client
        .request(req.body(Empty::new()).unwrap())
        .await
        .map_err(|e| format!("request: {e:?}"))?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("body: {e:?}"))?
        .to_bytes();
    Ok(Resp {
        status,
        headers,
        body,
    })
}

pub async fn get(client: &TestClient, url: &str, key: Option<&str>) -> Resp {
    send(client, Method::GET, url, key).await.unwrap()
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

#[derive(Deserialize)]
struct Page {
    #[serde(rename = "$data")]
    data: Vec<IdOnly>,
    #[serde(rename = "$next")]
    next: Option<String>,
}

/// Ids and `$next` of a list page, parsed cheaply.
pub fn page_ids(resp: &Resp) -> (Vec<String>, Option<String>) {
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let page: Page = serde_json::from_slice(&resp.body).unwrap();
    (page.data.into_iter().map(|i| i.id).collect(), page.next)
}

/// Follows `$next` from `first_url`; returns all ids and the number of pages.
pub async fn walk_next(
    client: &TestClient,
    first_url: &str,
    key: Option<&str>,
) -> (Vec<String>, usize) {
    let (mut ids, mut pages) = (Vec::new(), 0);
    let mut url = Some(first_url.to_owned());
    while let Some(u) = url {
        let (page, next) = page_ids(&get(client, &u, key).await);
        pages += 1;
        assert!(pages < 10_000, "runaway walk");
        ids.extend(page);
        url = next;
    }
    (ids, pages)
}

/// Pages with `$first`+`$after` (or `$last`+`$before`) = the last id seen, until a page is
/// empty or short; returns all ids.
pub async fn walk_bounds(
    client: &TestClient,
    base: &str,
    forward: bool,
    size: usize,
) -> Vec<String> {
    let (count, bound) = if forward {
        ("$first", "$after")
    } else {
        ("$last", "$before")
    };
    let mut ids: Vec<String> = Vec::new();
    loop {
        let mut url = format!("{base}/api/v1/integrations?{count}={size}");
        if let Some(last) = ids.last() {
            url.push_str(&format!("&{bound}={last}"));
        }
        let (page, next) = page_ids(&get(client, &url, Some(KEY)).await);
        assert!(next.is_none(), "no_next server sent $next");
        let n = page.len();
        ids.extend(page);
        if n < size {
            return ids;
        }
    }
}

/// Ids as the text the server writes (lowercase 8-4-4-4-12), to compare with `page_ids`.
pub fn id_strings(ids: Vec<uuid::Uuid>) -> Vec<String> {
    ids.iter().map(uuid::Uuid::to_string).collect()
}

/// An integration with this status and its access token.
pub fn integration(server: &edlink_mock::MockServer, status: &str) -> (uuid::Uuid, String) {
    let id = *server
        .integrations_with_status(status)
        .first()
        .unwrap_or_else(|| panic!("no {status} integration"));
    (id, server.access_token(id).unwrap())
}

/// `server.url("/api/v2/graph" + path)`.
pub fn graph_url(server: &edlink_mock::MockServer, path: &str) -> String {
    server.url(&format!("/api/v2/graph{path}"))
}

/// Follows `$next` from `first_url` and returns every object of every page.
pub async fn walk_objects(client: &TestClient, first_url: &str, key: Option<&str>) -> Vec<Value> {
    let mut out = Vec::new();
    let mut url = Some(first_url.to_owned());
    let mut pages = 0;
    while let Some(u) = url {
        let r = get(client, &u, key).await;
        assert_eq!(r.status, 200, "{u}: {}", String::from_utf8_lossy(&r.body));
        let v = r.json();
        out.extend(v["$data"].as_array().unwrap().iter().cloned());
        url = v["$next"].as_str().map(str::to_owned);
        pages += 1;
        assert!(pages < 10_000, "runaway walk");
    }
    out
}

/// Percent-encodes a query value (spaces as `%20`, so `+` is never ambiguous).
pub fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `id`s of JSON objects.
pub fn ids(values: &[Value]) -> Vec<uuid::Uuid> {
    values
        .iter()
        .map(|v| v["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// A server with 20 integrations of 80 students, an active integration's token and data.
pub struct GraphFixture {
    pub server: edlink_mock::MockServer,
    pub client: TestClient,
    pub token: String,
    pub graph: edlink_mock::GraphData,
}

impl GraphFixture {
    pub async fn new() -> Self {
        let server = edlink_mock::MockServer::builder()
            .generated(20, 1)
            .students(80)
            .start()
            .await
            .unwrap();
        let (id, token) = integration(&server, "active");
        let graph = server.graph(id).unwrap();
        Self {
            client: client(),
            server,
            token,
            graph,
        }
    }

    /// Every object a filtered walk of `collection` returns, pages of 4.
    pub async fn filtered(
        &self,
        collection: edlink_mock::Collection,
        filter: &Value,
    ) -> Vec<Value> {
        let path = format!(
            "/{}?$first=4&$filter={}",
            collection.name(),
            enc(&filter.to_string())
        );
        walk_objects(
            &self.client,
            &graph_url(&self.server, &path),
            Some(&self.token),
        )
        .await
    }

    /// The objects of `collection` that `keep` accepts, in id order.
    pub fn expected(
        &self,
        collection: edlink_mock::Collection,
        keep: impl Fn(&Value) -> bool,
    ) -> Vec<uuid::Uuid> {
        ids(&self
            .graph
            .json(collection)
            .into_iter()
            .filter(|v| keep(v))
            .collect::<Vec<_>>())
    }

    /// GET a Graph path with the fixture's token.
    pub async fn get(&self, path: &str) -> Resp {
        get(
            &self.client,
            &graph_url(&self.server, path),
            Some(&self.token),
        )
        .await
    }
}
