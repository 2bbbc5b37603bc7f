//! The binary's `--mutate-every` and `--event-retention`, and its `/__mock/` routes.
//! Built with the `cli` feature: `cargo test -p edlink-mock --features cli --test cli_mutate`.
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `(status line, body)` of one request with `Authorization: Bearer {token}`.
fn request(base: &str, method: &str, path: &str, token: &str) -> (String, String) {
    let addr = base.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_owned(), body.to_owned())
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn start(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_edlink-mock"))
        .args(["--port", "0", "--integrations", "12", "--seed", "3"])
        .args(["--secret-key", "k"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim_end().strip_prefix("listening on ").unwrap();
    (child, base.to_owned())
}

#[test]
fn the_binary_mutates_on_a_timer_and_serves_its_dump() {
    let (mut child, base) = start(&["--mutate-every", "20", "--event-retention", "3600"]);
    let (status, body) = request(&base, "GET", "/api/v1/integrations?$first=100", "k");
    assert!(status.contains("200"), "{status}");
    let active = json(&body)["$data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "active")
        .cloned()
        .unwrap();
    let (id, token) = (
        active["id"].as_str().unwrap().to_owned(),
        active["access_token"].as_str().unwrap().to_owned(),
    );
    // The first Graph request generates the district; the timer then changes it.
    let events = |base: &str| {
        let (_, body) = request(base, "GET", "/api/v2/graph/events?$first=10000", &token);
        json(&body)["$data"].as_array().unwrap().len()
    };
    let first = events(&base);
    let deadline = Instant::now() + Duration::from_secs(30);
    while events(&base) < first + 5 {
        assert!(Instant::now() < deadline, "no mutation in 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    let (status, dump) = request(&base, "GET", &format!("/__mock/dump/{id}"), "k");
    assert!(status.contains("200"), "{status}");
    let lines: Vec<serde_json::Value> = dump.lines().map(json).collect();
    assert!(lines.len() > 100);
    assert!(lines.iter().all(|l| l["integration_id"] == id.as_str()));
    let (status, body) = request(&base, "POST", &format!("/__mock/age-out/{id}"), "k");
    assert!(status.contains("200"), "{status}");
    assert!(json(&body)["purged"].as_u64().unwrap() >= (first + 5) as u64);
    // A zero period is refused by the command line.
    let out = Command::new(env!("CARGO_BIN_EXE_edlink-mock"))
        .args(["--mutate-every", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--mutate-every"));
    child.kill().unwrap();
    child.wait().unwrap();
}
