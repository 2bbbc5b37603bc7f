//! End to end: every command and format against `edlink-mock`, byte-exact
//! JSON, `--limit`, `--count`, paging options, `--demo`, completions, closed pipes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{against, edlink, fixture, ids_of_lines, server};
use edlink_mock::{Collection, MockData};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_in_every_format() {
    let server = server(fixture()).await;
    for resource in ["integrations", "providers", "permissions"] {
        let kind = match resource {
            "integrations" => Collection::Integrations,
            "providers" => Collection::Providers,
            _ => Collection::Permissions,
        };
        let expected: Vec<Value> = server.data().json(kind);
        let ids = server.data().ids(kind);

        let table = edlink(against(&server, &[resource, "list"])).await;
        table.ok();
        assert_eq!(
            table.lines().len(),
            ids.len() + 1,
            "{resource}: header + rows"
        );
        assert!(table.lines()[0].starts_with("ID  "), "{}", table.stdout);
        for (line, id) in table.lines()[1..].iter().zip(&ids) {
            assert!(line.starts_with(&id.to_string()), "{line}");
        }

        let json = edlink(against(&server, &[resource, "list", "--format", "json"])).await;
        json.ok();
        let array: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(array.len(), expected.len());

        let jsonl = edlink(against(&server, &[resource, "list", "--format", "jsonl"])).await;
        jsonl.ok();
        assert_eq!(ids_of_lines(&jsonl.stdout), ids);

        // `get` in each format, for the first item.
        let id = ids[0].to_string();
        let id = id.as_str();
        let table = edlink(against(&server, &[resource, "get", id])).await;
        table.ok();
        assert_eq!(table.lines().len(), 2);
        assert!(table.lines()[1].starts_with(id));
        for format in ["json", "jsonl"] {
            let one = edlink(against(&server, &[resource, "get", id, "--format", format])).await;
            one.ok();
            assert_eq!(one.lines().len(), 1, "one object on one line");
            let object: Value = serde_json::from_str(&one.stdout).unwrap();
            assert_eq!(object["id"], id);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_is_exactly_what_edlink_sent_except_the_masked_token() {
    // Generated items keep Edlink's key order (not sorted); the fixture has
    // unknown fields and enum values.
    for data in [MockData::generated(40, 3), fixture()] {
        exact_json(data).await;
    }
}

async fn exact_json(data: MockData) {
    let server = server(data).await;
    let run = edlink(against(
        &server,
        &["integrations", "list", "--format", "jsonl"],
    ))
    .await;
    run.ok();
    let sent = server.data().bytes(Collection::Integrations).to_vec();
    assert_eq!(run.lines().len(), sent.len());
    for (line, bytes) in run.lines().iter().zip(&sent) {
        let original = std::str::from_utf8(bytes).unwrap();
        // Same bytes once the token is put back: order, unknown fields and
        // unknown enum values are all kept.
        let token = serde_json::from_str::<Value>(original).unwrap()["access_token"].clone();
        let restored = match token.as_str() {
            Some(token) => {
                let masked = format!("{}…", &token[..4]);
                assert!(
                    line.contains(&format!("\"access_token\":\"{masked}\"")),
                    "{line}"
                );
                line.replace(&masked, token)
            }
            None => (*line).to_owned(),
        };
        assert_eq!(restored, original);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limit_count_and_paging_options() {
    let server = server(MockData::generated(250, 42)).await;
    let ids = server.integration_ids();

    let run = edlink(against(
        &server,
        &["integrations", "list", "--format", "jsonl", "--limit", "5"],
    ))
    .await;
    run.ok();
    assert_eq!(ids_of_lines(&run.stdout), ids[..5]);
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one page of 5, nothing more");
    assert_eq!(requests[0].param("$first").as_deref(), Some("5"));

    server.clear_requests();
    let run = edlink(against(
        &server,
        &[
            "integrations",
            "list",
            "--format",
            "jsonl",
            "--first",
            "100",
            "--limit",
            "150",
        ],
    ))
    .await;
    run.ok();
    assert_eq!(ids_of_lines(&run.stdout), ids[..150]);
    assert_eq!(server.requests().len(), 2, "two pages of 100, not three");

    let count = edlink(against(&server, &["integrations", "list", "--count"])).await;
    count.ok();
    assert_eq!(count.stdout, "250\n");
    let count = edlink(against(
        &server,
        &["integrations", "list", "--count", "--limit", "7"],
    ))
    .await;
    assert_eq!(count.stdout, "7\n");

    let last = edlink(against(
        &server,
        &[
            "integrations",
            "list",
            "--format",
            "jsonl",
            "--last",
            "2",
            "--limit",
            "3",
        ],
    ))
    .await;
    last.ok();
    let newest: Vec<uuid::Uuid> = ids.iter().rev().take(3).copied().collect();
    assert_eq!(ids_of_lines(&last.stdout), newest);

    let after = edlink(against(
        &server,
        &[
            "integrations",
            "list",
            "--format",
            "jsonl",
            "--after",
            &ids[9].to_string(),
            "--limit",
            "2",
        ],
    ))
    .await;
    assert_eq!(ids_of_lines(&after.stdout), ids[10..12]);
    let before = edlink(against(
        &server,
        &[
            "integrations",
            "list",
            "--format",
            "jsonl",
            "--before",
            &ids[3].to_string(),
            "--first",
            "10",
        ],
    ))
    .await;
    assert_eq!(ids_of_lines(&before.stdout), ids[..3]);

    let empty = edlink(against(
        &server,
        &[
            "integrations",
            "list",
            "--format",
            "json",
            "--after",
            &ids[249].to_string(),
        ],
    ))
    .await;
    empty.ok();
    assert_eq!(empty.stdout, "[]\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_prints_a_table_of_integrations() {
    let run = edlink(vec!["--demo".into(), "integrations".into(), "list".into()]).await;
    run.ok();
    let lines = run.lines();
    assert_eq!(lines.len(), 251);
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("STATUS") && lines[0].contains("CREATED")
    );
    let json = edlink(vec![
        "--demo".into(),
        "providers".into(),
        "list".into(),
        "--format".into(),
        "json".into(),
    ])
    .await;
    json.ok();
    assert_eq!(
        serde_json::from_str::<Vec<Value>>(&json.stdout)
            .unwrap()
            .len(),
        10
    );
    // The demo's made-up key (`demo-<hex>`) is never shown either.
    let verbose = [
        "--demo",
        "-v",
        "integrations",
        "list",
        "--limit",
        "2",
        "--format",
        "json",
    ];
    let run = edlink(verbose.map(String::from).to_vec()).await;
    run.expect_code(0);
    assert!(run.stderr.contains("Edlink response"));
    assert!(!run.stdout.contains("demo-") && !run.stderr.contains("demo-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let run = edlink(vec!["completions".into(), shell.into()]).await;
        run.ok();
        assert!(run.stdout.contains("edlink"), "{shell}");
        assert!(run.stdout.contains("integrations"), "{shell}");
    }
    let run = edlink(vec!["completions".into(), "bash".into()]).await;
    assert!(run.stdout.contains("_edlink()"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pipe_ends_quietly() {
    let server = server(MockData::generated(3_000, 5)).await;
    let args = against(
        &server,
        &[
            "integrations",
            "list",
            "--format",
            "jsonl",
            "--first",
            "100",
        ],
    );
    let (code, stderr) = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_edlink"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(first.starts_with("{\"id\":"));
        // The reader is gone: the rest of the listing cannot be written.
        let output = child.wait_with_output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    })
    .await
    .unwrap();
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, "");
}
