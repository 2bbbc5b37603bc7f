//! Building a client: defaults, validation, the environment, thread safety.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;
use edlink_client::{Client, ErrorKind, TestTransport};

fn send_sync_static<T: Send + Sync + 'static>(_: &T) {}
fn send_static<T: Send + 'static>(_: &T) {}

/// The client (and its handles) are `Send + Sync`; the futures and streams it
/// returns are `Send + 'static`, so they can be spawned or moved to any task
/// (they are not `Sync`: a future or stream is polled by one task at a time,
/// and the docs do not claim it).
#[test]
fn the_client_is_send_sync_and_its_futures_and_streams_are_send_and_static() {
    let client = client(&TestTransport::new());
    send_sync_static(&client);
    send_sync_static(&client.integrations());
    send_sync_static(&client.integrations().list());
    send_static(&client.integrations().get(id(1)));
    send_static(&client.integrations().get_with_meta(id(1)));
    send_static(&client.providers().list().page());
    send_static(&client.providers().list().collect_all());
    send_static(&client.integrations().list().items());
    send_static(&client.integrations().list().raw().pages());
}

#[test]
fn client_new_takes_the_key() {
    let client = Client::new("sk_live_123").unwrap();
    assert!(client.has_application_key());
    assert_eq!(client.base_url(), "https://ed.link/");
    let err = Client::new("").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[test]
fn defaults() {
    let client = Client::builder()
        .transport(TestTransport::new())
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://ed.link/");
    assert!(!client.has_application_key());
    assert_eq!(client.retry_policy().get_max_attempts(), 3);
    assert_eq!(client.call_timeout(), Duration::from_secs(300));
    assert_eq!(
        edlink_client::USER_AGENT,
        format!("edlink-rs/{}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn clones_share_one_configuration() {
    let a = client(&TestTransport::new());
    let b = a.clone();
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

#[test]
fn loopback_http_base_urls_are_allowed() {
    for base in [
        "http://127.0.0.1:8080",
        "http://[::1]:1",
        "http://localhost:3000/",
    ] {
        let client = Client::builder()
            .base_url(base)
            .transport(TestTransport::new())
            .build()
            .unwrap();
        assert!(client.base_url().starts_with("http://"));
    }
}

#[cfg(feature = "hyper")]
#[test]
fn the_default_transport_takes_the_timeouts() {
    let client = Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .request_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    assert!(!client.has_application_key());
    let err = Client::builder()
        .request_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

/// The environment is read in a child process (setting variables in this
/// one would race with other tests).
#[test]
fn from_env_reads_edlink_secret_key() {
    if let Ok(mode) = std::env::var("EDLINK_CLIENT_TEST_CHILD") {
        let result = Client::builder()
            .application_key_from_env()
            .transport(TestTransport::new())
            .build();
        match mode.as_str() {
            "set" => {
                let client = result.unwrap();
                assert!(client.has_application_key());
                assert!(!format!("{client:?}").contains("child-key"));
            }
            _ => {
                let err = result.unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidArgument);
                assert!(err.to_string().contains("EDLINK_SECRET_KEY"), "{err}");
            }
        }
        return;
    }
    let exe = std::env::current_exe().unwrap();
    for (mode, value) in [
        ("set", Some("child-key")),
        ("unset", None),
        ("empty", Some(" ")),
    ] {
        let mut child = Command::new(&exe);
        child
            .args([
                "--exact",
                "from_env_reads_edlink_secret_key",
                "--test-threads=1",
            ])
            .env("EDLINK_CLIENT_TEST_CHILD", mode)
            .env_remove("EDLINK_SECRET_KEY");
        if let Some(value) = value {
            child.env("EDLINK_SECRET_KEY", value);
        }
        let output = child.output().unwrap();
        assert!(
            output.status.success(),
            "{mode}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn builder_is_not_implicitly_reading_the_environment() {
    // Whatever the environment holds, a plain builder has no key.
    let client = Client::builder()
        .transport(TestTransport::new())
        .build()
        .unwrap();
    assert!(!client.has_application_key());
}

#[test]
fn default_transport_settings_are_refused_with_a_custom_transport() {
    let err = Client::builder()
        .transport(TestTransport::new())
        .proxy("http://proxy.example:3128")
        .gzip(false)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("proxy, gzip"), "{err}");
    // A proxy URL with a password never shows in the builder's Debug.
    let builder = Client::builder().proxy("http://user:hunter2@proxy.example:3128");
    assert!(!format!("{builder:?}").contains("hunter2"));
    let client = Client::builder()
        .proxy("http://proxy.example:3128")
        .no_proxy("localhost")
        .gzip(false)
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("hunter2"));
}

/// The danger switch for a fake server on a trusted network: the client takes
/// a plain-http base URL on any host, and asks there.
#[tokio::test]
async fn plain_http_to_another_host_only_with_the_danger_switch() {
    let refused = Client::builder()
        .base_url("http://mock:8080")
        .build()
        .unwrap_err();
    assert!(
        refused.chain().contains("danger_allow_plain_http"),
        "{}",
        refused.chain()
    );
    let t = TestTransport::new();
    t.push_json(200, r#"{"$data":[]}"#);
    let client = Client::builder()
        .base_url("http://mock:8080")
        .danger_allow_plain_http(true)
        .transport(t.clone())
        .build()
        .unwrap();
    client.providers().list().collect_all().await.unwrap();
    assert_eq!(
        t.requests()[0].uri.to_string(),
        "http://mock:8080/api/v1/providers?$first=1000"
    );
}
