//! End to end: `edlink sync` as a process: `sync export` into a closed
//! pipe, `--watch` stopped by Ctrl-C (SIGINT), and Postgres URLs whose
//! password must never be printed.

#![cfg(feature = "sync")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::sync::{db_arg, export, sync_args};
use common::{edlink, graph_server};

/// `sync export | head -1`: the closed pipe ends the export quietly, exit 0.
fn export_to_a_closed_pipe(db: &str) -> (i32, String) {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_edlink"))
        .args(["sync", "export", "--db", db])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = String::new();
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    out.read_line(&mut first).expect("a line");
    assert!(first.starts_with("{\"integration_id\":"), "{first}");
    drop(out);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr is UTF-8");
    let status = child.wait().expect("the binary ends");
    (status.code().unwrap_or(-1), stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_into_a_closed_pipe_is_not_an_error() {
    let server = graph_server().await;
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir.path().join("pipe.sqlite3"));
    edlink(sync_args(&server, &db, &[], &["--all"])).await.ok();
    let size = export(&db).await.stdout.len();
    assert!(
        size > 256 * 1024,
        "more than the pipe and buffer hold: {size}"
    );
    let (code, stderr) = tokio::task::spawn_blocking(move || export_to_a_closed_pipe(&db))
        .await
        .unwrap();
    assert_eq!((code, stderr.as_str()), (0, ""));
}

/// The next line of a child's stdout, read on a blocking thread (so the
/// mock keeps serving meanwhile).
#[cfg(unix)]
async fn next_line(
    lines: std::sync::mpsc::Receiver<String>,
) -> (String, std::sync::mpsc::Receiver<String>) {
    tokio::task::spawn_blocking(move || {
        let line = lines
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("a summary line");
        (line, lines)
    })
    .await
    .unwrap()
}

/// `--watch`: a summary line per pass, the events of a change applied by a
/// following pass, and Ctrl-C (SIGINT) between passes exits 0.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_runs_a_pass_every_interval_until_ctrl_c() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let server = graph_server().await;
    let active = server.integrations_with_status("active")[0];
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir.path().join("watch.sqlite3"));
    let args = sync_args(&server, &db, &[active], &["--watch", "2"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_edlink"))
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let (send, mut lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let events_of = |line: &str| -> u64 {
        line.split(' ')
            .find_map(|kv| kv.strip_prefix("events="))
            .and_then(|n| n.parse().ok())
            .expect("events=")
    };

    let first;
    (first, lines) = next_line(lines).await;
    assert!(first.contains(" full_syncs=1 "), "{first}");
    let events = server.mutate(active, 20).unwrap().events as u64;
    assert!(events > 0);
    let mut applied = 0;
    // The next pass (or the one after, if the change came mid-pass).
    for _ in 0..3 {
        let line;
        (line, lines) = next_line(lines).await;
        assert!(line.contains(" full_syncs=0 "), "{line}");
        applied += events_of(&line);
        if applied == events {
            break;
        }
    }
    assert_eq!(applied, events);
    // Right after a summary line: between passes (2 s apart, time enough
    // for `kill` on a busy machine).
    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0), "Ctrl-C between passes exits 0");
    drop(lines);
    assert_eq!(export(&db).await.stdout, server.dump(active).unwrap());
}

/// A Postgres URL's password is never printed, whether this build has the
/// Postgres store (the connection is refused: nothing listens on port 1) or
/// not (exit 2, how to get it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_password_is_never_printed() {
    let server = graph_server().await;
    let active = server.integrations_with_status("active")[0];
    let url = "postgres://sync:hunter2-pw@127.0.0.1:1/roster";
    let run = edlink(sync_args(&server, url, &[active], &["--max-retries", "0"])).await;
    let export = edlink(vec![
        "sync".into(),
        "export".into(),
        "--db".into(),
        url.into(),
    ])
    .await;
    for run in [&run, &export] {
        assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
        assert!(!run.stdout.contains("hunter2"), "{}", run.stdout);
        assert!(
            run.stderr
                .starts_with("error: cannot open the Postgres database"),
            "{}",
            run.stderr
        );
        if cfg!(feature = "postgres") {
            run.expect_code(1);
        } else {
            run.expect_code(2);
            assert!(run.stderr.contains("--features postgres"), "{}", run.stderr);
        }
    }
}
