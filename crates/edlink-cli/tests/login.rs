//! End to end: `edlink login` against the mock's login page and token
//! endpoint (the test plays the browser: it follows the printed URL to the
//! CLI's loopback callback), the stored session (0600, atomically written),
//! `edlink my` with it (refresh included), and that no secret of the
//! sign-in ever shows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{Run, assert_hidden, edlink_env};
use edlink_mock::MockServer;

const CLIENT_ID: &str = "cli-login-app";
/// The SSO client secret: no output may contain it.
const CLIENT_SECRET: &str = "sso-secret-7c1d93e0b5a24f68";
/// The variable the tests keep the secret in.
const SECRET_VAR: &str = "EDLINK_TEST_CLIENT_SECRET";

async fn sso_server() -> MockServer {
    MockServer::builder()
        .generated(5, 7)
        .seed(7)
        .students(10)
        .sso_client(CLIENT_ID, CLIENT_SECRET)
        .shutdown_grace(std::time::Duration::from_millis(50))
        .start()
        .await
        .expect("the mock server starts")
}

/// A plain HTTP/1.1 GET of `url` (`http://host:port/path?query`): the
/// status and the `Location` header. What a browser does, minus the page.
fn get(url: &str) -> (u16, Option<String>) {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).expect("connects");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("sends");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let location = response
        .lines()
        .take_while(|line| !line.is_empty())
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("location")
                .then(|| value.trim().to_owned())
        });
    (status, location)
}

/// Runs `edlink login …` and, once it printed the login URL, hands it to
/// `browser` (on this blocking thread). Gives the run and what `browser`
/// returned.
fn login_with<T>(args: Vec<String>, config: &Path, browser: impl FnOnce(&str) -> T) -> (Run, T) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_edlink"))
        .args(&args)
        .env_remove("EDLINK_BASE_URL")
        .env_remove("EDLINK_CLIENT_ID")
        .env("EDLINK_CONFIG_DIR", config)
        .env(SECRET_VAR, CLIENT_SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    let url = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).expect("reads stderr") > 0,
            "no login URL:\n{seen}"
        );
        seen.push_str(&line);
        if let Some(url) = line.trim().strip_prefix("http://") {
            break format!("http://{url}");
        }
    };
    let value = browser(&url);
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("reads stderr");
    let output = child.wait_with_output().expect("the binary ends");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: seen + &rest,
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    (run, value)
}

/// The browser: the login page, then the redirect it answers. Gives the
/// address of the redirect (it holds the code) and the callback's status.
fn browse(url: &str) -> (String, u16) {
    let (status, location) = get(url);
    assert_eq!(status, 302, "the mock's login page redirects");
    let location = location.expect("a Location");
    let (status, _) = get(&location);
    (location, status)
}

fn login_args(server: &MockServer, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "--base-url".to_owned(),
        server.base_url(),
        "login".to_owned(),
        "--client-id".to_owned(),
        CLIENT_ID.to_owned(),
        "--client-secret-env".to_owned(),
        SECRET_VAR.to_owned(),
        // A test whose browser step fails ends in seconds, not minutes.
        "--login-timeout".to_owned(),
        "30".to_owned(),
    ];
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    args
}

fn query_value(url: &str, name: &str) -> String {
    let query = url.split_once('?').expect("a query").1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .expect("the parameter")
        .to_owned()
}

fn stored(config: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(config.join("session.json")).expect("a session");
    serde_json::from_str(&text).expect("JSON")
}

fn token(session: &serde_json::Value, name: &str) -> String {
    session["tokens"][name]
        .as_str()
        .expect("a token")
        .to_owned()
}

/// Logs in through the mock (the test as the browser) into `config`.
async fn logged_in(server: &MockServer, config: &Path) -> (Run, String) {
    let args = login_args(server, &[]);
    let config = config.to_owned();
    let (run, (location, status)) =
        tokio::task::spawn_blocking(move || login_with(args, &config, browse))
            .await
            .unwrap();
    assert_eq!(status, 200, "the callback answers the browser");
    run.expect_code(0);
    (run, query_value(&location, "code"))
}

/// `edlink … my …` with the secret's variable and the config directory.
async fn my(server: &MockServer, config: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--base-url".to_owned(), server.base_url(), "my".to_owned()];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    edlink_env(
        all,
        vec![
            ("EDLINK_CONFIG_DIR", config.display().to_string()),
            (SECRET_VAR, CLIENT_SECRET.to_owned()),
        ],
    )
    .await
}

fn assert_no_secret(run: &Run, secrets: &[&str]) {
    for secret in secrets {
        assert_hidden(run, secret);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_stores_the_session_owner_only_and_shows_no_secret() {
    let server = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    let (run, code) = logged_in(&server, config.path()).await;
    assert!(
        run.stderr.contains("Signed in with Edlink"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    let session = stored(config.path());
    let (access, refresh) = (
        token(&session, "access_token"),
        token(&session, "refresh_token"),
    );
    assert_eq!(access.len(), 40);
    assert_eq!(session["client_id"], CLIENT_ID);
    assert_eq!(session["client_secret_env"], SECRET_VAR);
    let text = std::fs::read_to_string(config.path().join("session.json")).unwrap();
    assert!(!text.contains(CLIENT_SECRET), "the secret is never stored");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(config.path().join("session.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Nothing but the session in the directory (no temporary file left).
    assert_eq!(std::fs::read_dir(config.path()).unwrap().count(), 1);
    assert_no_secret(&run, &[CLIENT_SECRET, &code, &access, &refresh]);

    // `-v` logs each request (the token exchange too) and still shows none.
    let verbose = tempfile::tempdir().unwrap();
    let args = {
        let mut args = login_args(&server, &[]);
        args.insert(0, "-v".to_owned());
        args
    };
    let dir = verbose.path().to_owned();
    let (run, (location, _)) = tokio::task::spawn_blocking(move || login_with(args, &dir, browse))
        .await
        .unwrap();
    run.expect_code(0);
    let session = stored(verbose.path());
    let code = query_value(&location, "code");
    let (access, refresh) = (
        token(&session, "access_token"),
        token(&session, "refresh_token"),
    );
    assert_no_secret(&run, &[CLIENT_SECRET, &code, &access, &refresh]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_with_another_state_fails_and_stores_nothing() {
    let server = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    let args = login_args(&server, &[]);
    let dir = config.path().to_owned();
    let (run, status) = tokio::task::spawn_blocking(move || {
        login_with(args, &dir, |url| {
            let redirect = query_value(url, "redirect_uri")
                .replace("%3A", ":")
                .replace("%2F", "/");
            get(&format!(
                "{redirect}?code=forged-code-123&state=not-the-state"
            ))
            .0
        })
    })
    .await
    .unwrap();
    assert_eq!(status, 400, "the browser is told it failed");
    run.expect_code(3);
    assert!(
        run.stderr
            .contains("error: the redirect's state is not this sign-in's"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint: run `edlink login`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("forged-code-123"));
    assert_eq!(std::fs::read_dir(config.path()).unwrap().count(), 0);
    assert_eq!(server.person_tokens_issued(), 0, "no code was exchanged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_sign_in_fails_clearly() {
    let server = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    let args = login_args(&server, &[]);
    let dir = config.path().to_owned();
    let (run, ()) = tokio::task::spawn_blocking(move || {
        login_with(args, &dir, |url| {
            let (_, location) = get(&format!("{url}&decline=true"));
            get(&location.expect("a redirect"));
        })
    })
    .await
    .unwrap();
    run.expect_code(3);
    assert!(run.stderr.contains("declined"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(config.path()).unwrap().count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_redirect_in_time_is_a_clear_error() {
    let server = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    let mut args = login_args(&server, &[]);
    let at = args.iter().position(|a| a == "--login-timeout").unwrap();
    args[at + 1] = "0.5".to_owned();
    let dir = config.path().to_owned();
    let (run, ()) = tokio::task::spawn_blocking(move || login_with(args, &dir, |_| ()))
        .await
        .unwrap();
    run.expect_code(3);
    assert!(
        run.stderr.contains("no redirect came back"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_reads_with_the_stored_session_and_refreshes_it() {
    let server = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    let (_, code) = logged_in(&server, config.path()).await;
    let before = stored(config.path());
    let access = token(&before, "access_token");
    let refresh = token(&before, "refresh_token");

    let run = my(
        &server,
        config.path(),
        &["classes", "list", "--format", "jsonl"],
    )
    .await;
    run.ok();
    let ids = common::ids_of_lines(&run.stdout);
    assert!(!ids.is_empty(), "the teacher has classes");
    let run = my(&server, config.path(), &["classes", "list", "--limit", "1"]).await;
    run.ok();
    assert_eq!(
        run.lines().len(),
        2,
        "a header and one row:\n{}",
        run.stdout
    );
    let run = my(&server, config.path(), &["profile", "--format", "json"]).await;
    run.ok();
    assert_eq!(server.person_tokens_issued(), 1, "no refresh yet");

    // The access token expires: the next read refreshes and stores the set.
    server.expire_person_tokens();
    let run = my(&server, config.path(), &["profile", "--format", "json"]).await;
    run.ok();
    let person: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(person["id"].is_string());
    assert_eq!(server.person_tokens_issued(), 2, "one refresh");
    let after = stored(config.path());
    let fresh = token(&after, "access_token");
    assert_ne!(fresh, access, "the refreshed token is stored");
    assert_no_secret(&run, &[CLIENT_SECRET, &code, &access, &refresh, &fresh]);
    // The next run starts from the stored, fresh set: no refresh.
    my(&server, config.path(), &["schools", "list"]).await.ok();
    assert_eq!(server.person_tokens_issued(), 2);

    // With -v, the refresh is logged, and still no secret shows.
    server.expire_person_tokens();
    let run = my(&server, config.path(), &["-v", "schools", "list"]).await;
    run.expect_code(0);
    assert!(
        run.stderr.contains("/api/authentication/token"),
        "{}",
        run.stderr
    );
    assert_eq!(server.person_tokens_issued(), 3);
    let newest = token(&stored(config.path()), "access_token");
    assert_ne!(newest, fresh);
    assert_no_secret(&run, &[CLIENT_SECRET, &refresh, &fresh, &newest]);

    // The User API pages forward with $next only: refused before any request.
    let before = server.request_count();
    let run = my(&server, config.path(), &["classes", "list", "--last", "5"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("$first and $next only"),
        "{}",
        run.stderr
    );
    assert_eq!(server.request_count(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_never_sent_to_another_base_url() {
    let server = sso_server().await;
    let other = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    logged_in(&server, config.path()).await;
    let run = my(&other, config.path(), &["profile"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("the stored session signed in at"),
        "{}",
        run.stderr
    );
    assert_eq!(other.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_needs_the_secret_in_the_named_variable() {
    let server = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    let mut args = login_args(&server, &[]);
    let at = args.iter().position(|a| a == SECRET_VAR).unwrap();
    args[at] = "EDLINK_TEST_UNSET_VARIABLE".to_owned();
    let env = vec![("EDLINK_CONFIG_DIR", config.path().display().to_string())];
    let run = edlink_env(args, env).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("EDLINK_TEST_UNSET_VARIABLE is not set"),
        "{}",
        run.stderr
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_without_a_session_says_to_log_in() {
    let server = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    let run = my(&server, config.path(), &["classes", "list"]).await;
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("not signed in: run `edlink login` first"),
        "{}",
        run.stderr
    );
    assert_eq!(server.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_refresh_token_means_signing_in_again() {
    let server = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    logged_in(&server, config.path()).await;
    server.expire_person_tokens();
    server.revoke_refresh_tokens();
    let run = my(&server, config.path(), &["classes", "list"]).await;
    run.expect_code(3);
    assert!(
        run.stderr.contains("hint: run `edlink login`"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_login_then_demo_my() {
    let config = tempfile::tempdir().unwrap();
    let env = || vec![("EDLINK_CONFIG_DIR", config.path().display().to_string())];
    let run = edlink_env(vec!["--demo".into(), "my".into(), "profile".into()], env()).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("run `edlink --demo login`"),
        "{}",
        run.stderr
    );

    let run = edlink_env(vec!["--demo".into(), "login".into()], env()).await;
    run.expect_code(0);
    assert!(
        run.stderr.contains("Signed in with Edlink"),
        "{}",
        run.stderr
    );
    let session: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(config.path().join("demo-session.json")).unwrap(),
    )
    .unwrap();
    assert_no_secret(&run, &[&token(&session, "access_token")]);
    assert!(
        !config.path().join("session.json").exists(),
        "a real session is never touched"
    );

    let args = [
        "--demo", "my", "classes", "list", "--format", "jsonl", "--limit", "2",
    ];
    let run = edlink_env(args.iter().map(|a| (*a).to_owned()).collect(), env()).await;
    run.expect_code(0);
    assert_eq!(common::ids_of_lines(&run.stdout).len(), 2);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_hands_the_printed_url_to_the_browser() {
    use std::os::unix::fs::PermissionsExt;

    let server = sso_server().await;
    let config = tempfile::tempdir().unwrap();
    // A "browser" that records the address it was asked to open.
    let opened = config.path().join("opened");
    let browser = config.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();

    let mut args = login_args(&server, &["--open"]);
    let at = args.iter().position(|a| a == "--login-timeout").unwrap();
    args[at + 1] = "2".to_owned();
    let run = edlink_env(
        args,
        vec![
            ("EDLINK_CONFIG_DIR", config.path().display().to_string()),
            (SECRET_VAR, CLIENT_SECRET.to_owned()),
            ("BROWSER", browser.display().to_string()),
        ],
    )
    .await;
    // Nobody signs in, so the wait ends; the browser was started before it.
    run.expect_code(3);
    let url = std::fs::read_to_string(&opened).expect("the browser was started");
    assert!(url.starts_with(&server.base_url()), "{url}");
    assert!(!query_value(&url, "state").is_empty());
    assert!(
        run.stderr.lines().any(|line| line.trim() == url),
        "the browser got the printed address:\n{}",
        run.stderr
    );
}
