//! End to end: a 20,000-item listing in `jsonl`, checked item by item.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{against, edlink, server};
use edlink_mock::MockData;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_thousand_items_each_once_in_order() {
    let server = server(MockData::generated(20_000, 11)).await;
    let expected = server.integration_ids();
    assert_eq!(expected.len(), 20_000);

    let run = edlink(against(
        &server,
        &["-q", "integrations", "list", "--format", "jsonl"],
    ))
    .await;
    run.ok();
    let mut lines = 0;
    for (line, id) in run.stdout.lines().zip(&expected) {
        let item: Value = serde_json::from_str(line).unwrap();
        assert_eq!(item["id"].as_str(), Some(id.to_string().as_str()));
        let token = item["access_token"].as_str().unwrap();
        assert!(
            token.ends_with('…') && token.chars().count() == 5,
            "{token}"
        );
        lines += 1;
    }
    assert_eq!(lines, 20_000);
    assert_eq!(run.stdout.lines().count(), 20_000, "nothing more");
    // 1,000 per page: 20 pages, and one more request with `$after` because
    // the last page is full and has no `$next` (the client's fallback for
    // servers that send no `$next`): exactly 21.
    assert_eq!(server.request_count(), 21);
}
