//! Helpers shared by the end-to-end tests: a mock server and the built binary.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

pub mod sync;

use edlink_mock::{GraphData, MockData, MockServer};
use uuid::Uuid;

/// The application secret key every test server wants. No output may contain it.
pub const KEY: &str = "cli-test-secret-key-4f8e2a9c71";

/// What one run of `edlink` did.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

impl Run {
    /// Stdout's lines.
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// Asserts the exit code, showing both streams when it differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts success and no stderr output.
    pub fn ok(&self) -> &Self {
        self.expect_code(0);
        assert_eq!(self.stderr, "", "unexpected stderr");
        self
    }
}

/// A mock server with `data`, wanting [`KEY`].
pub async fn server(data: MockData) -> MockServer {
    MockServer::builder()
        .secret_key(KEY)
        .data(data)
        .seed(7)
        .shutdown_grace(std::time::Duration::from_millis(50))
        .start()
        .await
        .expect("the mock server starts")
}

/// `--base-url <server> --secret-key KEY` followed by `args`.
pub fn against(server: &MockServer, args: &[&str]) -> Vec<String> {
    let mut all = vec![
        "--base-url".to_owned(),
        server.base_url(),
        "--secret-key".to_owned(),
        KEY.to_owned(),
    ];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    all
}

/// Runs `edlink args…` (no EDLINK_* variables from the test's environment)
/// on a blocking thread, so the mock keeps serving meanwhile. Checks that
/// the key appears in neither stream and that nothing panicked.
pub async fn edlink(args: Vec<String>) -> Run {
    edlink_env(args, Vec::new()).await
}

/// [`edlink`] with extra environment variables.
pub async fn edlink_env(args: Vec<String>, env: Vec<(&'static str, String)>) -> Run {
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_edlink"))
            .args(&args)
            .env_remove("EDLINK_SECRET_KEY")
            .env_remove("EDLINK_BASE_URL")
            .env_remove("EDLINK_ACCESS_TOKEN")
            .env_remove("EDLINK_CLIENT_ID")
            .env_remove("EDLINK_CONFIG_DIR")
            .envs(env)
            .output()
    })
    .await
    .expect("the blocking task ends")
    .expect("the binary runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(!run.stdout.contains(KEY), "the key leaked to stdout");
    assert!(
        !run.stderr.contains(KEY),
        "the key leaked to stderr:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "panic:\n{}", run.stderr);
    run
}

/// A mock of 20 generated integrations (seed 7) whose districts have 30
/// students each, wanting [`KEY`].
pub async fn graph_server() -> MockServer {
    MockServer::builder()
        .secret_key(KEY)
        .generated(20, 7)
        .seed(7)
        .students(30)
        .shutdown_grace(std::time::Duration::from_millis(50))
        .start()
        .await
        .expect("the mock server starts")
}

/// The first active integration of `server`: its id, access token and data.
pub fn first_active(server: &MockServer) -> (Uuid, String, GraphData) {
    let id = server.integrations_with_status("active")[0];
    let token = server.access_token(id).expect("an access token");
    let data = server.graph(id).expect("a district");
    (id, token, data)
}

/// `--base-url <server> --access-token TOKEN graph` followed by `args`.
pub fn graph_args(server: &MockServer, token: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec![
        "--base-url".to_owned(),
        server.base_url(),
        "--access-token".to_owned(),
        token.to_owned(),
        "graph".to_owned(),
    ];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    all
}

/// Asserts that no stream of `run` shows `token` (nor its first half).
pub fn assert_hidden(run: &Run, token: &str) {
    let half = &token[..token.len() / 2];
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(!text.contains(half), "the token leaked to {name}:\n{text}");
    }
}

/// The ids of the mock's objects of `collection` for which `keep` holds, in
/// id order (the order of every list).
pub fn expected(
    data: &GraphData,
    collection: edlink_mock::Collection,
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Vec<Uuid> {
    data.json(collection)
        .iter()
        .filter(|o| keep(o))
        .map(|o| o["id"].as_str().expect("an id").parse().expect("a UUID"))
        .collect()
}

/// A string member of an object (`None` when missing, null or not a string).
pub fn text<'a>(object: &'a serde_json::Value, member: &str) -> Option<&'a str> {
    object.get(member).and_then(serde_json::Value::as_str)
}

/// The ids of JSON lines, in order.
pub fn ids_of_lines(stdout: &str) -> Vec<uuid::Uuid> {
    stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
            v["id"].as_str().expect("an id").parse().expect("a UUID id")
        })
        .collect()
}

/// Three hand-written integrations (the documented sample plus two with
/// unknown fields, unknown enum values, nulls and non-ASCII names) and the
/// mock's fixed providers and permissions.
pub fn fixture() -> MockData {
    let sample = MockData::sample().json(edlink_mock::Collection::Integrations);
    let mut items = sample;
    items.push(serde_json::json!({
        "id": "00000000-0000-4000-8000-000000000001",
        "status": "migrating",
        "created_date": "2024-05-01T08:00:00.000+02:00",
        "access_token": "Zy9XwV8uT7sR6qP5oN4mL3kJ2iH1gF0e",
        "source": {"id": "00000000-0000-4000-8000-0000000000aa", "name": "Lycée Français de Montréal", "status": "active"},
        "provider": {"id": "00000000-0000-4000-8000-0000000000bb", "name": "Moodle", "application": "moodle", "allows_data_sync": false},
        "team": null,
        "future_field": {"nested": [1, 2.50, "x"]}
    }));
    items.push(serde_json::json!({
        "id": "ffffffff-ffff-4fff-bfff-ffffffffffff",
        "status": "active",
        "access_token": null,
        "source": null
    }));
    MockData::sample()
        .with(edlink_mock::Collection::Integrations, items)
        .expect("valid fixture data")
}
