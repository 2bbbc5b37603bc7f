//! The `$next` origin check, end to end through the public client API: a
//! client on a `TestTransport` lists integrations (application key), the
//! first page answers with an arbitrary `$next`, and every request that
//! actually reaches the transport is checked against an independent oracle.
//!
//! Input: the first byte picks the base URL, the rest is `$next` (lossy
//! UTF-8, JSON-escaped into the page body).
//!
//! Properties (reliability items 10 and 11):
//! - never panics;
//! - every request the transport receives goes to the base URL's scheme, host
//!   and port, or over `https` (default port) to a subdomain of the base host,
//!   and never carries user info;
//! - when the listing fails for the origin (`ErrorKind::Paging`), nothing
//!   but the first page was requested.
#![no_main]

use std::sync::OnceLock;

use edlink_client::{Client, ErrorKind, TestTransport};
use libfuzzer_sys::fuzz_target;
use url::Url;

const BASES: &[&str] = &[
    "https://ed.link",
    "https://ed.link/prefix/",
    "http://127.0.0.1:8080",
    "http://localhost:3000/api-proxy",
    "https://[::1]:9443",
    "https://ED.Link:443",
    "https://eu.ed.link:8443",
];

const EMPTY_PAGE: &str = r#"{"$data":[]}"#;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a tokio runtime")
    })
}

/// Whether the key may go to `uri`, decided without the client's code.
fn allowed(base: &Url, uri: &http::Uri) -> Result<(), String> {
    let scheme = uri.scheme_str().ok_or("no scheme")?;
    let authority = uri.authority().ok_or("no authority")?;
    if authority.as_str().contains('@') {
        return Err("user info".into());
    }
    let host = authority.host().to_ascii_lowercase();
    let default_port = match scheme {
        "https" => 443,
        "http" => 80,
        other => return Err(format!("scheme {other}")),
    };
    let port = authority.port_u16().unwrap_or(default_port);
    let base_host = base
        .host_str()
        .ok_or("base without host")?
        .to_ascii_lowercase();
    let base_port = base.port_or_known_default().ok_or("base without port")?;
    if scheme == base.scheme() && host == base_host && port == base_port {
        return Ok(());
    }
    let base_is_domain = matches!(base.host(), Some(url::Host::Domain(_)));
    if base_is_domain
        && scheme == "https"
        && port == 443
        && host.len() > base_host.len() + 1
        && host.ends_with(&format!(".{base_host}"))
    {
        return Ok(());
    }
    Err(format!("{scheme}://{host}:{port} is not {base}"))
}

fuzz_target!(|data: &[u8]| {
    let Some((pick, next)) = data.split_first() else {
        return;
    };
    let base = BASES[usize::from(*pick) % BASES.len()];
    let next = String::from_utf8_lossy(next);
    let page = serde_json::json!({ "$data": [], "$next": next }).to_string();

    let transport = TestTransport::new();
    transport.push_json(200, &page);
    transport.respond_with(|_| {
        Ok(http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(bytes::Bytes::from_static(EMPTY_PAGE.as_bytes()))
            .expect("a response"))
    });
    let client = Client::builder()
        .base_url(base)
        .application_key("sk_fuzz_0123456789")
        .transport(transport.clone())
        .max_attempts(1)
        .build()
        .expect("every base URL of the pool is valid");
    let result = runtime().block_on(client.integrations().list().first(2).collect_all());

    let requests = transport.requests();
    assert!(!requests.is_empty(), "the first page was never requested");
    let base_url = Url::parse(base).expect("a valid base");
    for (i, request) in requests.iter().enumerate() {
        if let Err(why) = allowed(&base_url, &request.uri) {
            panic!(
                "request {i} went to {} after $next {next:?} (base {base}): {why}",
                request.uri
            );
        }
    }
    if let Err(err) = &result {
        if err.kind() == ErrorKind::Paging {
            assert_eq!(requests.len(), 1, "{err}: yet {} requests", requests.len());
        }
        let _ = err.to_string();
    }
});
