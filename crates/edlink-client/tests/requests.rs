//! The exact requests each call sends (insta snapshots in `snapshots/`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use edlink_client::{Client, TestTransport};
use futures_util::TryStreamExt;

fn one() -> String {
    serde_json::json!({"$data": {"id": id(1)}}).to_string()
}

fn sent(t: &TestTransport) -> String {
    t.requests()
        .iter()
        .map(render)
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[tokio::test]
async fn get_integration() {
    let t = TestTransport::new();
    t.push_json(200, &one());
    client(&t)
        .integrations()
        .get(id(0x77a6_9705_41a7_49cb_0fe8_ffd4_25f9_716f))
        .await
        .unwrap();
    insta::assert_snapshot!(sent(&t));
}

#[tokio::test]
async fn get_with_meta_and_raw_send_the_same_request() {
    let t = TestTransport::new();
    t.push_json(200, &one())
        .push_json(200, &one())
        .push_json(200, &one());
    let integrations = client(&t).integrations();
    integrations.get_with_meta(id(1)).await.unwrap();
    integrations.get_raw(id(1)).await.unwrap();
    integrations.get_raw_exact(id(1)).await.unwrap();
    let requests = t.requests();
    assert!(requests.iter().all(|r| render(r) == render(&requests[0])));
    insta::assert_snapshot!(render(&requests[0]));
}

#[tokio::test]
async fn get_public_provider_and_permission_without_authorization() {
    let t = TestTransport::new();
    t.push_json(200, &one()).push_json(200, &one());
    // Even a client with a key does not send it to public endpoints.
    let client = client(&t);
    client.providers().get(id(2)).await.unwrap();
    client.permissions().get(id(3)).await.unwrap();
    insta::assert_snapshot!(sent(&t));
}

#[tokio::test]
async fn list_integrations_default_page_size() {
    let t = TestTransport::new();
    t.push_json(200, &page([1], None));
    client(&t)
        .integrations()
        .list()
        .collect_all()
        .await
        .unwrap();
    insta::assert_snapshot!(sent(&t));
}

#[tokio::test]
async fn list_forward_with_after_then_next() {
    let t = TestTransport::new();
    t.push_json(
        200,
        &page(
            [1, 2],
            Some("https://ed.link/api/v1/integrations?$cursor=opaque-b"),
        ),
    );
    t.push_json(200, &page([3], None));
    let mut pages = client(&t)
        .integrations()
        .list()
        .first(2)
        .after(id(0))
        .pages();
    while pages.try_next().await.unwrap().is_some() {}
    insta::assert_snapshot!(sent(&t));
}

#[tokio::test]
async fn list_backward_with_before_then_fallback() {
    let t = TestTransport::new();
    t.push_json(200, &page([9, 8], None));
    t.push_json(200, &page([], None));
    client(&t)
        .providers()
        .list()
        .last(2)
        .before(id(10))
        .collect_all()
        .await
        .unwrap();
    insta::assert_snapshot!(sent(&t));
}

#[tokio::test]
async fn list_permissions_one_page_with_user_agent_suffix_and_base_path() {
    let t = TestTransport::new();
    t.push_json(200, &page([1], None));
    let client = Client::builder()
        .base_url("https://proxy.example/edlink/")
        .user_agent_suffix("edlink-cli/9.9")
        .transport(t.clone())
        .build()
        .unwrap();
    client.permissions().list().first(50).page().await.unwrap();
    insta::assert_snapshot!(sent(&t));
}
