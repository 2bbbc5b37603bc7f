//! End to end: every exit code, with readable one- or two-line messages, and
//! retried faults that end in success.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{KEY, Run, against, edlink, server};
use edlink_mock::{Collection, Fault, MockData, RetryAfter, Route};

const LIST: Route = Route::List(Collection::Integrations);

/// Errors are `error: …` and at most a `hint: …`: never a panic or a Debug dump.
fn assert_plain_error(run: &Run, code: i32, needles: &[&str]) {
    run.expect_code(code);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        (1..=2).contains(&lines.len()) || code == 2,
        "one or two lines:\n{}",
        run.stderr
    );
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(
        !run.stderr.contains("Error {") && !run.stderr.contains("source:"),
        "{}",
        run.stderr
    );
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "{needle:?} in:\n{}",
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_2_for_usage_errors_before_any_request() {
    let server = server(MockData::sample()).await;
    let cases: [(&[&str], &str); 8] = [
        (&["integrations", "get", "not-a-uuid"], "UUID"),
        (
            &["integrations", "get", "77a6970541a749cb0fe8ffd425f9716f"],
            "UUID",
        ),
        (&["integrations", "list", "--first", "0"], "1 to 10000"),
        (&["integrations", "list", "--last", "10001"], "1 to 10000"),
        (
            &["integrations", "list", "--first", "5", "--last", "5"],
            "cannot be used with",
        ),
        (&["integrations", "list", "--after", "x"], "UUID"),
        (&["providers", "list", "--limit", "0"], "--limit"),
        (&["--timeout", "0", "providers", "list"], "--timeout"),
    ];
    for (args, needle) in cases {
        assert_plain_error(&edlink(against(&server, args)).await, 2, &[needle]);
    }
    let http = edlink(
        [
            "--base-url",
            "http://example.com",
            "--secret-key",
            KEY,
            "integrations",
            "list",
        ]
        .map(String::from)
        .to_vec(),
    )
    .await;
    assert_plain_error(&http, 2, &["loopback"]);
    assert_eq!(http.stderr.lines().count(), 1);

    let no_key = edlink(
        ["--base-url", &server.base_url(), "integrations", "list"]
            .map(String::from)
            .to_vec(),
    )
    .await;
    assert_plain_error(&no_key, 2, &["EDLINK_SECRET_KEY", "--secret-key"]);

    let ca = edlink(against(
        &server,
        &["--ca-cert", "/nonexistent/ca.pem", "providers", "list"],
    ))
    .await;
    assert_plain_error(&ca, 2, &["--ca-cert"]);

    let garbage = std::env::temp_dir().join(format!("edlink-cli-test-{}.pem", std::process::id()));
    std::fs::write(
        &garbage,
        "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let bad_pem = edlink(against(
        &server,
        &["--ca-cert", garbage.to_str().unwrap(), "providers", "list"],
    ))
    .await;
    let _ = std::fs::remove_file(&garbage);
    assert_plain_error(&bad_pem, 2, &["HTTPS"]);

    assert_eq!(server.request_count(), 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_3_when_edlink_answers_with_errors() {
    let server = server(MockData::sample()).await;
    let mut args = vec!["--base-url".to_owned(), server.base_url()];
    args.extend(["--secret-key", "wrong-key", "integrations", "list"].map(String::from));
    let wrong = edlink(args).await;
    assert_plain_error(&wrong, 3, &["INVALID_TOKEN", "(request ", "hint: "]);
    assert!(!wrong.stderr.contains("wrong-key"));

    let missing = edlink(against(
        &server,
        &[
            "integrations",
            "get",
            "00000000-0000-0000-0000-0000000000ff",
        ],
    ))
    .await;
    assert_plain_error(
        &missing,
        3,
        &["NOT_FOUND", "No object has this id", "(request "],
    );
    assert_eq!(missing.stdout, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_4_for_network_failures_after_retries() {
    let server = server(MockData::sample()).await;
    server.faults().fail_next(LIST, 10, Fault::Status(503));
    let run = edlink(against(
        &server,
        &["--max-retries", "1", "integrations", "list"],
    ))
    .await;
    assert_plain_error(&run, 4, &["503", "2 attempts"]);
    assert_eq!(server.request_count(), 2, "the first attempt and one retry");
    server.faults().clear();

    server
        .faults()
        .push(LIST, Fault::Delay(Duration::from_secs(3)));
    let slow = edlink(against(
        &server,
        &[
            "--timeout",
            "0.3",
            "--max-retries",
            "0",
            "integrations",
            "list",
        ],
    ))
    .await;
    assert_plain_error(&slow, 4, &["timed out"]);

    // A Retry-After longer than the client waits: it gives up at once.
    server
        .faults()
        .push(LIST, Fault::RateLimited(Some(RetryAfter::Seconds(3_600))));
    let limited = edlink(against(&server, &["integrations", "list"])).await;
    assert_plain_error(&limited, 4, &["rate limited", "3600", "hint: "]);

    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = edlink(
        [
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "--max-retries",
            "1",
            "providers",
            "list",
        ]
        .map(String::from)
        .to_vec(),
    )
    .await;
    assert_plain_error(&closed, 4, &["connection failed", "2 attempts"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_5_for_responses_that_are_not_edlink_json_or_unsafe_paging() {
    let server = server(MockData::generated(5, 3)).await;
    // A body cut on its way is retried like a broken connection; one that
    // stays cut through every attempt is exit 5.
    server.faults().fail_next(LIST, 2, Fault::TruncatedBody);
    let truncated = edlink(against(
        &server,
        &["--max-retries", "1", "integrations", "list"],
    ))
    .await;
    assert_plain_error(&truncated, 5, &["could not be used", "ended early"]);

    // An HTML 502 that outlasts the retries is a temporary server failure
    // (exit 4, as `--help` says), not a protocol error: the body type does
    // not change what the caller should do.
    server.faults().fail_next(LIST, 2, Fault::ProxyPage(502));
    let html = edlink(against(
        &server,
        &["--max-retries", "1", "integrations", "list"],
    ))
    .await;
    assert_plain_error(&html, 4, &["502", "text/html", "try again later"]);

    server
        .faults()
        .push(LIST, Fault::ForeignNext("https://evil.example".to_owned()));
    server.clear_requests();
    let foreign = edlink(against(
        &server,
        &["integrations", "list", "--first", "2", "--format", "jsonl"],
    ))
    .await;
    assert_plain_error(&foreign, 5, &["evil.example", "nothing was sent"]);
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        foreign.stdout.lines().count(),
        2,
        "the first page was printed"
    );

    server.faults().push(LIST, Fault::RepeatNext);
    let looped = edlink(against(&server, &["integrations", "list", "--first", "2"])).await;
    assert_plain_error(&looped, 5, &["listing stopped"]);

    server.faults().push(
        LIST,
        Fault::Redirect {
            status: 302,
            location: "https://evil.example/".to_owned(),
        },
    );
    let redirect = edlink(against(&server, &["integrations", "list"])).await;
    assert_plain_error(&redirect, 5, &["redirect"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_faults_are_retried_to_success() {
    let server = server(MockData::generated(120, 9)).await;
    server.faults().push(LIST, Fault::RateLimited(None));
    server.faults().push(LIST, Fault::Status(503));
    server.faults().push(LIST, Fault::DropConnection);
    let args = [
        "--max-retries",
        "3",
        "integrations",
        "list",
        "--first",
        "50",
        "--format",
        "jsonl",
    ];
    let run = edlink(against(&server, &args)).await;
    run.ok();
    assert_eq!(common::ids_of_lines(&run.stdout), server.integration_ids());
    assert_eq!(server.faults_injected(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_cursors_and_empty_pages_lose_and_repeat_nothing() {
    let server = server(MockData::generated(45, 4)).await;
    server.expire_next_cursors(1);
    server.faults().on_request(3, Fault::EmptyPage);
    let args = ["integrations", "list", "--first", "10", "--format", "jsonl"];
    let run = edlink(against(&server, &args)).await;
    run.ok();
    assert_eq!(common::ids_of_lines(&run.stdout), server.integration_ids());
}
