//! `HyperTransport` through an HTTP proxy: a `CONNECT` tunnel to a local TLS
//! server (the proxy relays bytes it cannot read), proxy credentials,
//! `NO_PROXY`, and a proxy that refuses, fails or cannot be reached. The
//! proxy is the test's own (`common::proxy`); the environment is never read
//! (an explicit proxy turns it off; the variables have unit tests that use a
//! lookup function).
#![cfg(feature = "rustls")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;

use bytes::Bytes;
use common::proxy::{self, Behaviour};
use edlink_transport::{HyperTransport, Transport, TransportError, TransportErrorKind};
use http_body_util::Full;

/// The request's credential: it must never be readable by the proxy.
const TOKEN: &str = "sk_live_tunnel-secret-7c1e";
/// The proxy's user and password, as written in the proxy URL (`@` encoded).
const PROXY_USERINFO: &str = "edlink:pr0xy%40pass";
/// `Basic base64("edlink:pr0xy@pass")`, worked out by hand.
const PROXY_AUTHORIZATION: &str = "Basic ZWRsaW5rOnByMHh5QHBhc3M=";

/// Says whether the request carried the token, and which host it was for.
fn echo(request: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    let token = request
        .headers()
        .get("authorization")
        .is_some_and(|v| v == &format!("Bearer {TOKEN}")[..]);
    let body = format!("token={token} host={:?}", request.headers().get("host"));
    http::Response::new(Full::new(Bytes::from(body)))
}

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url)
        .header("authorization", format!("Bearer {TOKEN}"))
        .body(Bytes::new())
        .unwrap()
}

/// Everything an error shows: Display, Debug and the whole source chain.
fn shown(err: &TransportError) -> String {
    format!("{err} {err:?} {}", common::error_chain(err))
}

/// A TLS server for `edlink.test` (a name that resolves nowhere: only the
/// proxy, told where it is, can reach it) and a proxy that requires
/// credentials and routes `edlink.test:443` to it.
async fn tunnel_setup() -> (common::TestCert, common::Server, proxy::ConnectProxy) {
    let cert = common::cert_for("edlink.test");
    let server = common::https_server(&cert, echo).await;
    let proxy = proxy::start(Behaviour::Tunnel {
        auth: Some(PROXY_AUTHORIZATION.to_owned()),
        routes: HashMap::from([("edlink.test:443".to_owned(), server.addr)]),
    })
    .await;
    (cert, server, proxy)
}

#[tokio::test]
async fn tls_runs_end_to_end_through_the_tunnel() {
    let (cert, server, proxy) = tunnel_setup().await;
    let transport = HyperTransport::builder()
        .proxy(proxy.url(Some(PROXY_USERINFO)))
        .add_root_certificate_pem(&cert.pem)
        .build()
        .unwrap();

    for _ in 0..2 {
        let response = transport
            .send(get("https://edlink.test/api/v2/graph/people"))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body = String::from_utf8(response.body().to_vec()).unwrap();
        assert!(body.starts_with("token=true"), "{body}");
    }

    let seen = proxy.seen();
    // One tunnel, reused by the pool for the second request.
    assert_eq!(seen.connections, 1);
    assert_eq!(server.accepted(), 1);
    assert_eq!(seen.request_lines, ["CONNECT edlink.test:443 HTTP/1.1"]);
    assert!(
        seen.heads[0].contains("Host: edlink.test:443\r\n"),
        "{}",
        seen.heads[0]
    );
    assert_eq!(seen.authorizations, [Some(PROXY_AUTHORIZATION.to_owned())]);
    // What went through was TLS (a handshake record first), and the
    // request's credential is nowhere in it.
    assert_eq!(seen.relayed.first(), Some(&0x16), "not a TLS record");
    assert!(
        seen.relayed.len() > 200,
        "{} bytes relayed",
        seen.relayed.len()
    );
    for secret in [TOKEN.as_bytes(), b"Bearer", b"/api/v2/graph/people"] {
        assert!(
            !seen.relayed.windows(secret.len()).any(|w| w == secret),
            "the proxy could read {:?}",
            String::from_utf8_lossy(secret)
        );
    }
}

#[tokio::test]
async fn plain_http_to_loopback_can_go_through_the_tunnel_too() {
    fn hello(_: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
        http::Response::new(Full::new(Bytes::from_static(b"hello")))
    }
    let server = common::http_server(hello).await;
    let proxy = proxy::start(Behaviour::Tunnel {
        auth: None,
        routes: HashMap::new(),
    })
    .await;
    let transport = HyperTransport::builder()
        .proxy(proxy.url(None))
        .build()
        .unwrap();
    let response = transport.send(get(&server.http_url("/"))).await.unwrap();
    assert_eq!(&response.body()[..], b"hello");
    let seen = proxy.seen();
    assert_eq!(
        seen.request_lines,
        [format!("CONNECT {} HTTP/1.1", server.addr)]
    );
    assert_eq!(seen.authorizations, [None]);
}

#[tokio::test]
async fn hosts_in_no_proxy_go_direct() {
    let cert = common::localhost_cert();
    let server = common::https_server(&cert, echo).await;
    let (_, _, proxy) = tunnel_setup().await;
    let transport = HyperTransport::builder()
        .proxy(proxy.url(Some(PROXY_USERINFO)))
        .no_proxy("example.com, localhost")
        .add_root_certificate_pem(&cert.pem)
        .build()
        .unwrap();
    let response = transport.send(get(&server.https_url("/"))).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(proxy.seen().connections, 0, "the proxy was used");
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn wrong_or_missing_proxy_credentials_are_a_proxy_error() {
    let (cert, server, proxy) = tunnel_setup().await;
    for (userinfo, hint) in [
        (Some("edlink:wr0ng-pass"), "credentials were refused"),
        (None, "wants credentials"),
    ] {
        let transport = HyperTransport::builder()
            .proxy(proxy.url(userinfo))
            .add_root_certificate_pem(&cert.pem)
            .build()
            .unwrap();
        let err = transport
            .send(get("https://edlink.test/"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Proxy, "{err:?}");
        assert!(!err.is_retryable());
        assert!(err.message().contains(&proxy.addr.to_string()), "{err}");
        assert!(err.message().contains("edlink.test:443"), "{err}");
        let shown = shown(&err);
        assert!(
            shown.contains("407 Proxy Authentication Required"),
            "{shown}"
        );
        assert!(shown.contains(hint), "{shown}");
        common::assert_printed_once(&err, "407");
        for secret in ["wr0ng", "pr0xy", "ZWRsaW5r", TOKEN] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        let debug = format!("{transport:?}");
        assert!(debug.contains(&proxy.addr.to_string()), "{debug}");
        assert!(
            !debug.contains("wr0ng") && !debug.contains("edlink:"),
            "{debug}"
        );
    }
    assert_eq!(server.accepted(), 0);
}

#[tokio::test]
async fn a_forbidden_tunnel_is_a_proxy_error() {
    let proxy = proxy::start(Behaviour::Refuse("HTTP/1.1 403 Forbidden")).await;
    let transport = HyperTransport::builder()
        .proxy(proxy.url(None))
        .build()
        .unwrap();
    let err = transport.send(get("https://ed.link/")).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Proxy, "{err:?}");
    assert!(!err.is_retryable());
    assert!(common::error_chain(&err).contains("403 Forbidden"), "{err}");
    // The proxy only ever saw the CONNECT: no DNS lookup or connection of
    // our own to ed.link was needed.
    assert_eq!(proxy.seen().request_lines, ["CONNECT ed.link:443 HTTP/1.1"]);
}

#[tokio::test]
async fn a_proxy_that_cannot_reach_the_server_is_retryable() {
    for behaviour in [
        Behaviour::Refuse("HTTP/1.1 502 Bad Gateway"),
        Behaviour::Refuse("HTTP/1.1 503 Service Unavailable"),
        Behaviour::HangUp,
    ] {
        let proxy = proxy::start(behaviour).await;
        let transport = HyperTransport::builder()
            .proxy(proxy.url(None))
            .build()
            .unwrap();
        let err = transport.send(get("https://ed.link/")).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
        assert!(err.is_retryable());
        assert!(err.message().contains("through the proxy"), "{err}");
    }
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_connect_error() {
    let closed = common::closed_port().await;
    let transport = HyperTransport::builder()
        .proxy(format!("http://edlink:s3cret@{closed}"))
        .build()
        .unwrap();
    let err = transport.send(get("https://ed.link/")).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(err.is_retryable());
    assert!(err.message().contains(&closed.to_string()), "{err}");
    let shown = shown(&err);
    assert!(shown.contains("cannot reach the proxy"), "{shown}");
    assert!(!shown.contains("s3cret"), "{shown}");
    // The operating system's reason is in the chain once.
    let refused = common::io_cause(&err).expect("an io::Error in the chain");
    common::assert_printed_once(&err, &refused.to_string());
}

#[test]
fn the_builder_and_transport_never_show_proxy_credentials() {
    let builder = HyperTransport::builder().proxy("http://edlink:s3cret-pw@proxy.example.com:3128");
    let transport = builder.clone().build().unwrap();
    for debug in [format!("{builder:?}"), format!("{transport:?}")] {
        assert!(debug.contains("proxy.example.com:3128"), "{debug}");
        assert!(
            !debug.contains("s3cret-pw") && !debug.contains("edlink:"),
            "{debug}"
        );
    }
}

#[test]
fn a_proxy_url_that_cannot_be_used_fails_the_build() {
    for (url, reason) in [
        ("socks5://edlink:s3cret@127.0.0.1:1080", "SOCKS"),
        ("https://edlink:s3cret@127.0.0.1:443", "https://"),
        ("http://edlink:s3c@ret@127.0.0.1:3128", "%40"),
        ("http://", "not a URL"),
    ] {
        let err = HyperTransport::builder().proxy(url).build().unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert!(err.message().contains(reason), "{url}: {err}");
        assert!(!shown(&err).contains("s3c"), "{url}: {err}");
    }
}

/// The variables every child process starts without.
const PROXY_VARIABLES: [&str; 9] = [
    "https_proxy",
    "HTTPS_PROXY",
    "http_proxy",
    "HTTP_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "REQUEST_METHOD",
];

/// Runs this test binary again, only the test `child_sends_with_the_defaults`,
/// with the proxy variables set to `vars` (and no others), and returns what
/// it printed. The parent's environment is never changed. (On a blocking
/// thread: the test proxies run on this runtime and must answer meanwhile.)
async fn run_child(url: &str, vars: &[(&str, String)]) -> String {
    let url = url.to_owned();
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    tokio::task::spawn_blocking(move || run_child_blocking(&url, &vars))
        .await
        .unwrap()
}

fn run_child_blocking(url: &str, vars: &[(String, String)]) -> String {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command.args(["--exact", "child_sends_with_the_defaults", "--nocapture"]);
    for name in PROXY_VARIABLES {
        command.env_remove(name);
    }
    command.env("EDLINK_TRANSPORT_TEST_CHILD_URL", url);
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Not a test on its own: the body of the child processes started by
/// `the_proxy_variables_are_followed_by_default`. It does nothing unless
/// started by them.
#[tokio::test]
async fn child_sends_with_the_defaults() {
    let Ok(url) = std::env::var("EDLINK_TRANSPORT_TEST_CHILD_URL") else {
        return;
    };
    let outcome = match HyperTransport::new().send(get(&url)).await {
        Ok(response) => format!("status {}", response.status()),
        Err(err) => format!("error {:?}", err.kind()),
    };
    println!("CHILD OUTCOME: {outcome}");
}

#[tokio::test]
async fn the_proxy_variables_are_followed_by_default() {
    let proxy = proxy::start(Behaviour::Refuse("HTTP/1.1 403 Forbidden")).await;
    let other = proxy::start(Behaviour::Refuse("HTTP/1.1 403 Forbidden")).await;
    let closed = common::closed_port().await;
    let direct_url = format!("https://127.0.0.1:{}/", closed.port());

    // HTTPS_PROXY carries an https:// request.
    let out = run_child("https://ed.link/", &[("HTTPS_PROXY", proxy.url(None))]).await;
    assert!(out.contains("CHILD OUTCOME: error Proxy"), "{out}");
    assert_eq!(proxy.seen().request_lines, ["CONNECT ed.link:443 HTTP/1.1"]);

    // Lower case wins over upper case; ALL_PROXY is not needed then.
    let out = run_child(
        "https://ed.link/",
        &[
            ("https_proxy", other.url(None)),
            ("HTTPS_PROXY", proxy.url(None)),
            ("ALL_PROXY", proxy.url(None)),
        ],
    )
    .await;
    assert!(out.contains("CHILD OUTCOME: error Proxy"), "{out}");
    assert_eq!(other.seen().connections, 1);
    assert_eq!(proxy.seen().connections, 1, "the upper-case proxy was used");

    // ALL_PROXY alone carries it.
    run_child("https://ed.link/", &[("all_proxy", proxy.url(None))]).await;
    assert_eq!(proxy.seen().connections, 2);

    // NO_PROXY sends it straight to the (closed) server: the proxy sees nothing.
    let out = run_child(
        &direct_url,
        &[
            ("HTTPS_PROXY", proxy.url(None)),
            ("NO_PROXY", "localhost,127.0.0.1".to_owned()),
        ],
    )
    .await;
    assert!(out.contains("CHILD OUTCOME: error Connect"), "{out}");
    assert_eq!(proxy.seen().connections, 2);

    // An unusable variable refuses the request before any connection.
    let out = run_child(
        "https://ed.link/",
        &[("HTTPS_PROXY", "socks5://127.0.0.1:1080".to_owned())],
    )
    .await;
    assert!(out.contains("CHILD OUTCOME: error InvalidRequest"), "{out}");
}
