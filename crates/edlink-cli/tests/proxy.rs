//! `--proxy`: every request goes through the given HTTP proxy (a CONNECT
//! tunnel), with the proxy's credentials from its URL, and the proxy's
//! password is never printed, `-v` included.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

// The CONNECT proxy the transport's own tests use: one test proxy for the
// workspace.
#[path = "../../edlink-transport/tests/common/proxy.rs"]
#[allow(dead_code)]
mod proxy;

use std::collections::HashMap;

use common::{against, edlink, ids_of_lines, server};
use edlink_mock::MockData;
use proxy::Behaviour;

const PASSWORD: &str = "pr0xy-pa55";
/// `Basic base64("edlink:pr0xy-pa55")`.
const PROXY_AUTHORIZATION: &str = "Basic ZWRsaW5rOnByMHh5LXBhNTU=";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_go_through_the_proxy_and_its_password_is_never_printed() {
    let server = server(MockData::generated(30, 3)).await;
    let proxy = proxy::start(Behaviour::Tunnel {
        auth: Some(PROXY_AUTHORIZATION.to_owned()),
        routes: HashMap::new(),
    })
    .await;
    let proxy_url = proxy.url(Some(&format!("edlink:{PASSWORD}")));
    let run = edlink(against(
        &server,
        &[
            "-v",
            "--proxy",
            &proxy_url,
            "integrations",
            "list",
            "--format",
            "jsonl",
        ],
    ))
    .await;
    run.expect_code(0);
    assert_eq!(ids_of_lines(&run.stdout), server.integration_ids());
    let seen = proxy.seen();
    let mock = server.base_url().trim_start_matches("http://").to_owned();
    assert!(
        !seen.request_lines.is_empty(),
        "nothing went through the proxy"
    );
    for line in &seen.request_lines {
        assert_eq!(line, &format!("CONNECT {mock} HTTP/1.1"));
    }
    assert!(
        seen.authorizations
            .iter()
            .all(|a| a.as_deref() == Some(PROXY_AUTHORIZATION))
    );
    assert!(!run.stdout.contains(PASSWORD) && !run.stderr.contains(PASSWORD));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_that_refuses_is_a_clear_error_without_its_password() {
    let server = server(MockData::generated(3, 3)).await;
    let proxy = proxy::start(Behaviour::Refuse(
        "HTTP/1.1 407 Proxy Authentication Required",
    ))
    .await;
    let proxy_url = proxy.url(Some(&format!("edlink:{PASSWORD}")));
    let run = edlink(against(
        &server,
        &["-v", "--proxy", &proxy_url, "integrations", "list"],
    ))
    .await;
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("407"), "{}", run.stderr);
    assert!(!run.stdout.contains(PASSWORD) && !run.stderr.contains(PASSWORD));
    assert!(
        server.requests().is_empty(),
        "the mock was reached directly"
    );
}
