//! `--danger-allow-plain-http`: a plain `http://` base URL on a host that is
//! not loopback is refused (exit 2, before any request) unless the flag is
//! given, which then says loudly what it costs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::{Ipv4Addr, SocketAddr};

use common::{KEY, edlink, ids_of_lines};
use edlink_mock::{MockData, MockServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_a_non_loopback_host_needs_the_danger_flag() {
    // 0.0.0.0 is not a loopback address, yet on Linux connecting to it
    // reaches a listener bound to every interface: a non-loopback host that
    // never leaves the machine.
    let server = MockServer::builder()
        .secret_key(KEY)
        .data(MockData::generated(12, 5))
        .bind(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)))
        .start()
        .await
        .unwrap();
    let port = server.base_url().rsplit(':').next().unwrap().to_owned();
    let base = format!("http://0.0.0.0:{port}");
    let args = |danger: bool| {
        let mut args = vec!["--base-url", &base, "--secret-key", KEY];
        if danger {
            args.push("--danger-allow-plain-http");
        }
        args.extend(["integrations", "list", "--format", "jsonl"]);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };

    let refused = edlink(args(false)).await;
    refused.expect_code(2);
    assert!(refused.stderr.contains("loopback"), "{}", refused.stderr);
    assert!(server.requests().is_empty(), "refused before any request");

    let allowed = edlink(args(true)).await;
    allowed.expect_code(0);
    assert_eq!(ids_of_lines(&allowed.stdout), server.integration_ids());
    assert!(
        allowed
            .stderr
            .contains("warning: --danger-allow-plain-http"),
        "{}",
        allowed.stderr
    );
}
