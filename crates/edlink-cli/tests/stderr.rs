//! End to end: what reaches stdout and stderr besides the items: masked
//! tokens, a key that never shows, warnings, `-v`, the progress line, and
//! `--ca-cert`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::{KEY, against, edlink, edlink_env, server};
use edlink_mock::{Collection, Fault, MockData, Route};

const SAMPLE_ID: &str = "77a69705-41a7-49cb-0fe8-ffd425f9716f";
const SAMPLE_TOKEN: &str = "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7";

/// A self-signed CA certificate (public part only), made for these tests.
const TEST_CA: &str = "-----BEGIN CERTIFICATE-----
MIIBkDCCATegAwIBAgIUQPMmw2+ISMrNQ+Bd20QUW/P+dHowCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSZWRsaW5rLWNsaSB0ZXN0IENBMCAXDTI2MTEyNzE5NDYzNloY
DzIxMjYxMTAzMTk0NjM2WjAdMRswGQYDVQQDDBJlZGxpbmstY2xpIHRlc3QgQ0Ew
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQQR8AtSycifiUD1oMlcgoGmRM8ZbqU
JZDr7O5mN0Q2wpxWPeDzG2r2OzQ48jHHMs4Rj2Hyq76IGm6nZcQhL9PJo1MwUTAd
BgNVHQ4EFgQUEybgTnmh76XUZokEGHY/O4nqxmQwHwYDVR0jBBgwFoAUEybgTnmh
76XUZokEGHY/O4nqxmQwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBE
AiAg5aoXOX3VEvFL+oEDjQbzl7uUyl9PaosgW7VlYnGS5AIgJ+xhihW8BOueztZB
7Gjx7QLgv+XhKiD2wEvtMXjIEak=
-----END CERTIFICATE-----
";

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
async fn warnings_go_to_stderr_unless_quiet() {
    let server = server(MockData::sample()).await;
    let warning = || Fault::Warning {
        code: "PROVIDER_IGNORED_PAGE_SIZE".to_owned(),
        message: "The provider pages its own way.".to_owned(),
    };
    server
        .faults()
        .push(Route::List(Collection::Providers), warning());
    let run = edlink(against(&server, &["providers", "list", "--count"])).await;
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "warning: PROVIDER_IGNORED_PAGE_SIZE: The provider pages its own way.\n"
    );
    server
        .faults()
        .push(Route::Fetch(Collection::Integrations), warning());
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

    // Retries are logged too, with the attempt number.
    server
        .faults()
        .push(Route::List(Collection::Integrations), Fault::Status(503));
    let run = edlink(against(&server, &["-v", "integrations", "list", "--count"])).await;
    run.expect_code(0);
    assert!(run.stderr.contains("status=503"), "{}", run.stderr);
    assert!(
        run.stderr.contains("retrying Edlink request"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("attempt=2"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_ca_cert_is_accepted() {
    let server = server(MockData::sample()).await;
    let path = std::env::temp_dir().join(format!("edlink-cli-ca-{}.pem", std::process::id()));
    std::fs::write(&path, TEST_CA).unwrap();
    let run = edlink(against(
        &server,
        &[
            "--ca-cert",
            path.to_str().unwrap(),
            "providers",
            "list",
            "--count",
        ],
    ))
    .await;
    let _ = std::fs::remove_file(&path);
    run.ok();
    assert_eq!(run.stdout, "10\n");
}

/// The progress line needs a terminal: `script` (util-linux, on every Debian
/// machine) gives stderr a pseudo-terminal. A machine without it fails the
/// test rather than skip it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_line_only_on_a_terminal_and_not_with_quiet() {
    let server = server(MockData::generated(60, 2)).await;
    let binary = env!("CARGO_BIN_EXE_edlink");
    let base = server.base_url();
    let run_in_pty = move |quiet: &str| {
        let command = format!(
            "{binary} {quiet} --base-url {base} --secret-key {KEY} integrations list --first 20 --format jsonl > /dev/null"
        );
        Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .output()
    };
    let (loud, quiet) = tokio::task::spawn_blocking(move || (run_in_pty(""), run_in_pty("-q")))
        .await
        .unwrap();
    let loud = loud.expect("`script` (util-linux) makes the pseudo-terminal");
    let quiet = quiet.expect("`script` (util-linux) makes the pseudo-terminal");
    assert!(
        loud.status.success(),
        "`script` failed: {}",
        String::from_utf8_lossy(&loud.stderr)
    );
    let shown = String::from_utf8_lossy(&loud.stdout);
    assert!(
        shown.contains("\r\x1b[2Kpage 1, 20 items so far"),
        "{shown:?}"
    );
    assert!(shown.contains("page 2, 40 items so far"), "{shown:?}");
    assert!(!shown.contains(KEY));
    assert!(shown.ends_with("\r\x1b[2K"), "erased at the end: {shown:?}");
    let silent = String::from_utf8_lossy(&quiet.stdout);
    assert!(!silent.contains("items so far"), "{silent:?}");
}

/// On a terminal the default table fits its width: 250 demo-like rows of
/// about 190 characters become rows of at most `COLUMNS` (here 100), the free
/// text cut with `…`; piped, the rows are whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_fits_the_terminal() {
    let server = server(MockData::generated(250, 42)).await;
    let binary = env!("CARGO_BIN_EXE_edlink");
    let base = server.base_url();
    let command =
        format!("COLUMNS=100 {binary} -q --base-url {base} --secret-key {KEY} integrations list");
    let run = tokio::task::spawn_blocking(move || {
        Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .output()
    })
    .await
    .unwrap()
    .expect("`script` (util-linux) makes the pseudo-terminal");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let shown = String::from_utf8_lossy(&run.stdout);
    let rows: Vec<&str> = shown.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(rows.len(), 251, "{shown}");
    for row in &rows {
        assert!(row.trim_end().chars().count() <= 100, "{row}");
    }
    assert!(shown.contains('…'));

    let piped = edlink(against(&server, &["integrations", "list"])).await;
    piped.ok();
    assert!(piped.lines().iter().any(|l| l.chars().count() > 150));
}
