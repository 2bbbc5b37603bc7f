//! End to end: every command and format against `edlink-mock`, masking,
//! `--limit`, `--count`, warnings, `-v`, `--demo`, completions, closed pipes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{KEY, against, edlink, edlink_env, fixture, ids_of_lines, server};
use edlink_mock::{Fault, MockData, Resource, Route};
use serde_json::Value;

const SAMPLE_ID: &str = "77a69705-41a7-49cb-0fe8-ffd425f9716f";
const SAMPLE_TOKEN: &str = "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_in_every_format() {
    let server = server(fixture()).await;
    for resource in ["integrations", "providers", "permissions"] {
        let kind = match resource {
            "integrations" => Resource::Integrations,
            "providers" => Resource::Providers,
            _ => Resource::Permissions,
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
            assert!(line.starts_with(id.as_str()), "{line}");
        }

        let json = edlink(against(&server, &[resource, "list", "--format", "json"])).await;
        json.ok();
        let array: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(array.len(), expected.len());

        let jsonl = edlink(against(&server, &[resource, "list", "--format", "jsonl"])).await;
        jsonl.ok();
        assert_eq!(ids_of_lines(&jsonl.stdout), ids);

        // `get` in each format, for the first item.
        let id = ids[0].as_str();
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
    let sent = server.data().bytes(Resource::Integrations).to_vec();
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
async fn tokens_are_masked_unless_show_secrets() {
    let server = server(MockData::sample()).await;
    for args in [
        vec!["integrations", "get", SAMPLE_ID, "--format", "json"],
        vec!["integrations", "list", "--format", "json"],
        vec!["integrations", "list", "--format", "jsonl"],
        vec!["integrations", "list"],
        vec!["-v", "integrations", "list"],
    ] {
        let run = edlink(against(&server, &args)).await;
        run.expect_code(0);
        assert!(!run.stdout.contains(SAMPLE_TOKEN), "{args:?}");
        assert!(!run.stderr.contains(SAMPLE_TOKEN), "{args:?}");
        if args.contains(&"--format") {
            assert!(
                run.stdout.contains("\"access_token\":\"HZ4M…\""),
                "{args:?}"
            );
        }
    }
    let full = edlink(against(
        &server,
        &[
            "integrations",
            "get",
            SAMPLE_ID,
            "--format",
            "json",
            "--show-secrets",
        ],
    ))
    .await;
    full.ok();
    assert!(
        full.stdout
            .contains(&format!("\"access_token\":\"{SAMPLE_TOKEN}\""))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_never_shown() {
    let server = server(MockData::sample()).await;
    // Every run checks stdout and stderr for KEY (see common::edlink); these
    // are the runs most likely to show it.
    edlink(against(&server, &["-v", "integrations", "list"]))
        .await
        .expect_code(0);
    let wrong = vec!["--base-url".to_owned(), server.base_url(), "-v".to_owned()];
    let mut args = wrong.clone();
    args.extend(
        [
            "--secret-key",
            &format!("{KEY}-wrong"),
            "integrations",
            "list",
        ]
        .map(String::from),
    );
    let run = edlink(args).await;
    run.expect_code(3);
    assert!(!run.stderr.contains("-wrong"));
    let mut args = wrong;
    args.extend(["integrations", "get", "not-a-uuid"].map(String::from));
    edlink_env(args, vec![("EDLINK_SECRET_KEY", KEY.to_owned())])
        .await
        .expect_code(2);
    let help = edlink_env(
        vec!["--help".to_owned()],
        vec![("EDLINK_SECRET_KEY", KEY.to_owned())],
    )
    .await;
    help.expect_code(0);
    assert!(help.stdout.contains("EDLINK_SECRET_KEY") && help.stdout.contains("Exit codes"));
    // The key from the environment works like --secret-key.
    let env = edlink_env(
        vec![
            "--base-url".to_owned(),
            server.base_url(),
            "integrations".to_owned(),
            "list".to_owned(),
        ],
        vec![("EDLINK_SECRET_KEY", KEY.to_owned())],
    )
    .await;
    env.ok();
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
    let newest: Vec<String> = ids.iter().rev().take(3).cloned().collect();
    assert_eq!(ids_of_lines(&last.stdout), newest);

    let after = edlink(against(
        &server,
        &[
            "integrations",
            "list",
            "--format",
            "jsonl",
            "--after",
            &ids[9],
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
            &ids[3],
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
            &ids[249],
        ],
    ))
    .await;
    empty.ok();
    assert_eq!(empty.stdout, "[]\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_go_to_stderr_unless_quiet() {
    let server = server(MockData::sample()).await;
    let warning = || Fault::Warning {
        code: "PROVIDER_IGNORED_PAGE_SIZE".to_owned(),
        message: "The provider pages its own way.".to_owned(),
    };
    server
        .faults()
        .push(Route::List(Resource::Providers), warning());
    let run = edlink(against(&server, &["providers", "list", "--count"])).await;
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "warning: PROVIDER_IGNORED_PAGE_SIZE: The provider pages its own way.\n"
    );
    server
        .faults()
        .push(Route::Fetch(Resource::Integrations), warning());
    let run = edlink(against(&server, &["-q", "integrations", "get", SAMPLE_ID])).await;
    run.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_logs_each_request() {
    let server = server(MockData::generated(25, 1)).await;
    let run = edlink(against(
        &server,
        &["-v", "integrations", "list", "--first", "10", "--count"],
    ))
    .await;
    run.expect_code(0);
    assert_eq!(run.stdout, "25\n");
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("Edlink response"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    for line in lines {
        for part in [
            "GET",
            "/api/v1/integrations",
            "status=200",
            "attempt=1",
            "elapsed_ms=",
        ] {
            assert!(line.contains(part), "{part} in {line}");
        }
        assert!(!line.contains("cursor"), "no query strings: {line}");
    }
    assert!(!run.stderr.to_lowercase().contains("authorization"));
    assert!(!run.stderr.contains("Bearer"));
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
