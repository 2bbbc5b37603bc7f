//! Insta snapshots of table and JSON output for a small fixed data set
//! (`common::fixture`: the documented sample integration, two hand-written
//! ones, the mock's fixed providers and permissions).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{against, edlink, fixture, server};
use edlink_mock::MockData;

async fn output(args: &[&str]) -> String {
    output_of(fixture(), args).await
}

async fn output_of(data: MockData, args: &[&str]) -> String {
    let server = server(data).await;
    let run = edlink(against(&server, args)).await;
    run.ok();
    run.stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrations_table_snapshot() {
    insta::assert_snapshot!(output(&["integrations", "list"]).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrations_json_snapshot() {
    insta::assert_snapshot!(output(&["integrations", "list", "--format", "json"]).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integrations_jsonl_snapshot() {
    insta::assert_snapshot!(output(&["integrations", "list", "--format", "jsonl"]).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integration_get_snapshot() {
    let id = "77a69705-41a7-49cb-0fe8-ffd425f9716f";
    // The documented sample exactly as served (its own key order).
    let table = output_of(MockData::sample(), &["integrations", "get", id]).await;
    let json = output_of(
        MockData::sample(),
        &["integrations", "get", id, "--format", "json"],
    )
    .await;
    insta::assert_snapshot!(format!("{table}\n{json}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn providers_table_snapshot() {
    insta::assert_snapshot!(output(&["providers", "list"]).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permissions_table_snapshot() {
    insta::assert_snapshot!(output(&["permissions", "list"]).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn providers_json_snapshot() {
    insta::assert_snapshot!(output(&["providers", "list", "--format", "json"]).await);
}
