//! End to end: `edlink sync` and `edlink sync export` against `edlink-mock`
//! into a temporary SQLite file. The expected export is the mock's own dump
//! (`MockServer::dump`), which is the library's export form byte for byte.
//! Pipes, signals and Postgres URLs: `sync_process.rs`.

#![cfg(feature = "sync")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::sync::{db_arg, dumps, export, figure, sync_args};
use common::{KEY, against, edlink, graph_server};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_mirrors_two_integrations_then_follows_their_events() {
    let server = graph_server().await;
    let active = server.integrations_with_status("active");
    let ids = [active[0], active[1]];
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir.path().join("roster.sqlite3"));

    // First run: two full syncs; the export is the mock's state exactly.
    let first = edlink(sync_args(&server, &db, &ids, &["--concurrency", "2"])).await;
    first.ok();
    assert_eq!(
        first.lines().len(),
        1,
        "only the summary:\n{}",
        first.stdout
    );
    let exported = export(&db).await;
    assert_eq!(exported.stdout, dumps(&server, &ids));
    assert_eq!(figure(&first, "integrations"), 2);
    assert_eq!(figure(&first, "full_syncs"), 2);
    assert_eq!(figure(&first, "skipped"), 0);
    assert_eq!(figure(&first, "events"), 0);
    assert_eq!(
        figure(&first, "entities"),
        exported.lines().len() as u64,
        "entities = export lines"
    );
    assert!(exported.lines().len() > 100, "real districts");

    // Second run, nothing changed: incremental, nothing to do.
    let second = edlink(sync_args(&server, &db, &ids, &[])).await;
    second.ok();
    assert_eq!(figure(&second, "full_syncs"), 0);
    assert_eq!(figure(&second, "entities"), 0);
    assert_eq!(figure(&second, "events"), 0);
    assert_eq!(figure(&second, "integrations"), 2);

    // The districts change: the rerun applies their events.
    let mut events = 0;
    for id in ids {
        events += server.mutate(id, 40).expect("a listed integration").events;
    }
    assert!(events > 0);
    let third = edlink(sync_args(&server, &db, &ids, &[])).await;
    third.ok();
    assert_eq!(figure(&third, "full_syncs"), 0);
    assert_eq!(figure(&third, "events"), events as u64);
    assert_eq!(export(&db).await.stdout, dumps(&server, &ids));

    // One integration only, and the masking switch.
    let one = edlink(vec![
        "sync".into(),
        "export".into(),
        "--db".into(),
        db.clone(),
        "--integration".into(),
        ids[1].to_string(),
    ])
    .await;
    one.ok();
    assert_eq!(one.stdout, server.dump(ids[1]).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_active_integration_is_skipped_and_the_others_go_on() {
    let server = graph_server().await;
    let active = server.integrations_with_status("active")[0];
    let disabled = server.integrations_with_status("disabled")[0];
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir.path().join("m.sqlite3"));

    let run = edlink(sync_args(&server, &db, &[disabled, active], &[])).await;
    run.expect_code(0);
    assert_eq!(figure(&run, "skipped"), 1);
    assert_eq!(figure(&run, "integrations"), 1);
    assert_eq!(figure(&run, "full_syncs"), 1);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!("skipped: {disabled}: ")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("not active or paused"),
        "{}",
        run.stderr
    );
    assert_eq!(export(&db).await.stdout, server.dump(active).unwrap());

    // Alone, it is still a success with skipped=1.
    let alone = edlink(sync_args(&server, &db, &[disabled], &[])).await;
    alone.expect_code(0);
    assert_eq!(figure(&alone, "skipped"), 1);
    assert_eq!(figure(&alone, "integrations"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unopenable_db_is_a_clear_error_and_is_left_untouched() {
    let server = graph_server().await;
    let active = server.integrations_with_status("active")[0];
    let dir = tempfile::tempdir().unwrap();
    let not_sqlite = dir.path().join("notes.txt");
    let text = b"these are my notes, not a database\n".repeat(200);
    std::fs::write(&not_sqlite, &text).unwrap();
    let a_dir = dir.path().join("a-directory");
    std::fs::create_dir(&a_dir).unwrap();

    for path in [&not_sqlite, &a_dir] {
        let db = db_arg(path);
        let run = edlink(sync_args(&server, &db, &[active], &[])).await;
        run.expect_code(1);
        assert_eq!(run.stdout, "");
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("error: cannot open the SQLite database {db}")),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("hint: --db takes"), "{}", run.stderr);
        let exported = edlink(vec!["sync".into(), "export".into(), "--db".into(), db]).await;
        exported.expect_code(1);
    }
    assert_eq!(std::fs::read(&not_sqlite).unwrap(), text, "untouched");
    assert_eq!(std::fs::read_dir(&a_dir).unwrap().count(), 0, "untouched");

    // An export of a file that is not there creates nothing.
    let missing = db_arg(&dir.path().join("typo.sqlite3"));
    let run = edlink(vec![
        "sync".into(),
        "export".into(),
        "--db".into(),
        missing.clone(),
    ])
    .await;
    run.expect_code(2);
    assert!(run.stderr.contains("there is no mirror"), "{}", run.stderr);
    assert!(!Path::new(&missing).exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_before_anything_is_opened() {
    let server = graph_server().await;
    let active = server.integrations_with_status("active")[0];
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir.path().join("u.sqlite3"));
    let id = active.to_string();
    let cases: [(Vec<String>, &str); 5] = [
        (
            sync_args(&server, &db, &[active], &["--all"]),
            "cannot be used together",
        ),
        (
            sync_args(&server, &db, &[], &[]),
            "--integration UUID (repeatable) or --all",
        ),
        (
            sync_args(&server, &db, &[], &["--all", "--concurrency", "0"]),
            "--concurrency",
        ),
        (
            sync_args(&server, &db, &[], &["--all", "--watch", "0"]),
            "--watch",
        ),
        (
            vec![
                "sync".into(),
                "--db".into(),
                db.clone(),
                "--integration".into(),
                id,
            ],
            "secret key",
        ),
    ];
    for (args, needle) in cases {
        let run = edlink(args).await;
        run.expect_code(2);
        assert!(
            run.stderr.contains(needle),
            "{needle:?} in:\n{}",
            run.stderr
        );
    }
    assert!(!Path::new(&db).exists(), "nothing was opened");
    // graph still reads one integration.
    let two = edlink(against(
        &server,
        &[
            "--integration",
            &active.to_string(),
            "--integration",
            &active.to_string(),
            "graph",
            "people",
            "list",
        ],
    ))
    .await;
    two.expect_code(2);
    assert!(two.stderr.contains("one integration"), "{}", two.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_syncs_every_active_or_paused_integration() {
    let server = graph_server().await;
    let readable: Vec<Uuid> = server
        .integrations_with_status("active")
        .into_iter()
        .chain(server.integrations_with_status("paused"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir.path().join("all.sqlite3"));
    let run = edlink(sync_args(
        &server,
        &db,
        &[],
        &["--all", "--concurrency", "3"],
    ))
    .await;
    run.ok();
    assert_eq!(figure(&run, "integrations"), readable.len() as u64);
    assert_eq!(figure(&run, "full_syncs"), readable.len() as u64);
    assert_eq!(export(&db).await.stdout, dumps(&server, &readable));
    assert!(!run.stdout.contains(KEY));
}

#[cfg(feature = "demo")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_sync_leaves_a_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.sqlite3");
    let db = db_arg(&path);
    let run = edlink(vec![
        "--demo".into(),
        "sync".into(),
        "--db".into(),
        db.clone(),
    ])
    .await;
    run.expect_code(0);
    assert!(
        run.stderr.starts_with("demo: syncing integration "),
        "{}",
        run.stderr
    );
    assert_eq!(figure(&run, "integrations"), 1);
    assert_eq!(figure(&run, "full_syncs"), 1);
    let exported = export(&db).await;
    assert_eq!(figure(&run, "entities"), exported.lines().len() as u64);
    let header = std::fs::read(&path).unwrap();
    assert!(header.starts_with(b"SQLite format 3\0"), "a SQLite file");
}

/// A failed integration: reported, exit code of its error, the summary line
/// still printed; the rerun resumes and the mirror equals the mock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_integration_keeps_what_it_stored_and_the_rerun_resumes() {
    use edlink_mock::{Collection, Fault, Route};
    let server = graph_server().await;
    let active = server.integrations_with_status("active")[0];
    let dir = tempfile::tempdir().unwrap();
    let db = db_arg(&dir.path().join("fail.sqlite3"));
    // People come after districts, schools, sessions and courses: those
    // pages are stored when the people listing fails.
    server
        .faults()
        .fail_next(Route::List(Collection::People), 1, Fault::Status(400));
    let run = edlink(sync_args(&server, &db, &[active], &[])).await;
    run.expect_code(3);
    assert_eq!(figure(&run, "integrations"), 0);
    assert!(
        run.stderr.starts_with(&format!("failed: {active}: ")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: 1 of 1 integrations failed to sync"),
        "{}",
        run.stderr
    );
    let partial = export(&db).await;
    assert!(partial.stdout.contains("\"type\":\"schools\""), "kept");
    assert!(!partial.stdout.contains("\"type\":\"people\""));

    let rerun = edlink(sync_args(&server, &db, &[active], &[])).await;
    rerun.ok();
    assert_eq!(figure(&rerun, "full_syncs"), 1);
    assert_eq!(export(&db).await.stdout, server.dump(active).unwrap());
}
