//! The `edlink-mock` binary: first line, serving, clean stop on SIGINT.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn http_get(base: &str, path: &str) -> String {
    http_get_with(base, path, "k")
}

fn http_get_with(base: &str, path: &str, token: &str) -> String {
    let addr = base.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn body_json(resp: &str) -> serde_json::Value {
    serde_json::from_str(&resp[resp.find("\r\n\r\n").unwrap() + 4..]).unwrap()
}

#[test]
fn binary_prints_its_url_serves_and_stops_on_sigint() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_edlink-mock"))
        .args([
            "--port",
            "0",
            "--integrations",
            "30",
            "--seed",
            "3",
            "--secret-key",
            "k",
        ])
        .args(["--page-size", "7", "--no-next"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let resp = http_get(&base, "/api/v1/integrations");
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    let body = &resp[resp.find("\r\n\r\n").unwrap() + 4..];
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(v["$data"].as_array().unwrap().len(), 7);
    assert!(v.get("$next").is_none());

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("requests=1 connections=1 faults=0"), "{err}");
}

#[test]
fn binary_help_lists_the_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_edlink-mock"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--port",
        "--integrations",
        "--seed",
        "--secret-key",
        "--fault-rate",
        "--no-next",
        "--page-size",
        "--students",
        "--schools",
        "--teachers",
        "--classes-per-teacher",
        "--classes-per-student",
    ] {
        assert!(text.contains(flag), "{flag}");
    }
}

#[test]
fn binary_serves_graph_districts_of_the_requested_size() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_edlink-mock"))
        .args(["--port", "0", "--integrations", "20", "--secret-key", "k"])
        .args([
            "--students",
            "33",
            "--schools",
            "1",
            "--classes-per-student",
            "2",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let list = body_json(&http_get(&base, "/api/v1/integrations?$first=20"));
    let token = list["$data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "active")
        .map(|i| i["access_token"].as_str().unwrap().to_owned())
        .unwrap();
    let filter = "%7B%22roles%22%3A%5B%7B%22operator%22%3A%22equals%22%2C%22value%22%3A%22student%22%7D%5D%7D";
    let people = body_json(&http_get_with(
        &base,
        &format!("/api/v2/graph/people?$first=1000&$filter={filter}"),
        &token,
    ));
    assert_eq!(people["$data"].as_array().unwrap().len(), 33);
    let students = body_json(&http_get_with(
        &base,
        "/api/v2/graph/enrollments?$first=1000&$filter=%7B%22role%22%3A%5B%7B%22operator%22%3A%22equals%22%2C%22value%22%3A%22student%22%7D%5D%7D",
        &token,
    ));
    assert_eq!(students["$data"].as_array().unwrap().len(), 66);
    child.kill().unwrap();
    child.wait().unwrap();
}
