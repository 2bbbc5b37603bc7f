//! The SQLite schema as a public interface: link tables, joins on the
//! indexed keys, the schema version, and refusing a newer database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
use edlink_sync::{SqliteStore, StoreError};
use rusqlite::Connection;

fn pairs(conn: &Connection, sql: &str) -> Vec<(String, String)> {
    let mut stmt = conn.prepare(sql).unwrap();
    let mut v: Vec<(String, String)> = stmt
        .query_map([common::INTEGRATION.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn foreign_keys_and_links_are_joinable_after_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.sqlite3");
    let store = SqliteStore::open(&path).unwrap();
    let world = FakeWorld::seeded(40, WorldSize::small());
    let engine = common::engine(store).build();
    engine
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    // Updates move people between schools and classes between sessions;
    // deletes must take their links along.
    world.mutate(300);
    engine
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();

    let expected = common::expected_relations(&world.dump(common::INTEGRATION));
    assert!(!expected.teacher_classes.is_empty());
    let conn = Connection::open(&path).unwrap();
    assert_eq!(
        pairs(
            &conn,
            "SELECT person_id, school_id FROM people_schools WHERE integration_id = ?1"
        ),
        expected.people_schools
    );
    assert_eq!(
        pairs(
            &conn,
            "SELECT class_id, session_id FROM classes_sessions WHERE integration_id = ?1"
        ),
        expected.classes_sessions
    );
    assert_eq!(
        pairs(
            &conn,
            "SELECT DISTINCT e.person_id, c.id FROM enrollments e \
             JOIN classes c ON c.integration_id = e.integration_id AND c.id = e.class_id \
             WHERE e.integration_id = ?1 AND json_extract(e.data, '$.role') = 'teacher'"
        ),
        expected.teacher_classes
    );
    // The join uses the index on (integration_id, class_id).
    let plan: Vec<String> = conn
        .prepare("EXPLAIN QUERY PLAN SELECT id FROM enrollments WHERE integration_id = ?1 AND class_id = ?2")
        .unwrap()
        .query_map(["a", "b"], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        plan.iter().any(|p| p.contains("enrollments_class_id_idx")),
        "{plan:?}"
    );
    let version: i64 = conn
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, edlink_sync::SCHEMA_VERSION);
}

#[tokio::test]
async fn a_newer_database_is_refused_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.sqlite3");
    let world = FakeWorld::seeded(41, WorldSize::tiny());
    let store = SqliteStore::open(&path).unwrap();
    common::engine(store.clone())
        .build()
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    let before = common::export(&store, common::INTEGRATION).await;
    drop(store);
    let conn = Connection::open(&path).unwrap();
    conn.execute("UPDATE schema_version SET version = 7", [])
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 7,
                supported: edlink_sync::SCHEMA_VERSION,
                ..
            }
        ),
        "{err}"
    );
    // What and where.
    assert_eq!(
        err.to_string(),
        format!(
            "the SQLite database {} has schema version 7, newer than the {} this edlink-sync supports: upgrade edlink-sync (nothing was changed)",
            path.display(),
            edlink_sync::SCHEMA_VERSION
        )
    );
    conn.execute(
        "UPDATE schema_version SET version = ?1",
        [edlink_sync::SCHEMA_VERSION],
    )
    .unwrap();
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(common::export(&store, common::INTEGRATION).await, before);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let text = "these are my notes, not a database; please do not overwrite them ".repeat(20);
    std::fs::write(&path, &text).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

/// Row counts of every table of a SQLite file.
fn row_counts(conn: &Connection) -> Vec<(String, i64)> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

fn index_names(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%\\_idx' ESCAPE '\\' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A file written by the version-1 code (`tests/fixtures/v1_sqlite.sql`)
/// is migrated on open, keeps every row and index, and its incremental
/// sync goes on from its checkpoint.
#[tokio::test]
async fn a_version_1_database_is_migrated_and_syncs_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite3");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(include_str!("fixtures/v1_sqlite.sql"))
        .unwrap();
    let rows_before = row_counts(&conn);
    let indexes_before = index_names(&conn);
    assert_eq!(indexes_before.len(), 17);
    drop(conn);

    let store = SqliteStore::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, edlink_sync::SCHEMA_VERSION);
    assert_eq!(row_counts(&conn), rows_before);
    assert_eq!(index_names(&conn), indexes_before);

    // The fixture is the world of seed 42 after one step of 10 changes.
    let world = FakeWorld::seeded(42, WorldSize::tiny());
    world.mutate(10);
    assert_eq!(
        common::export(&store, common::INTEGRATION).await,
        world.dump(common::INTEGRATION),
        "the fixture no longer matches the fake's seed 42: was the generator changed?"
    );
    world.mutate(15);
    let report = common::engine(store.clone())
        .build()
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert_eq!(report.full_syncs, 0);
    assert!(report.events_applied > 0);
    assert_eq!(
        common::export(&store, common::INTEGRATION).await,
        world.dump(common::INTEGRATION)
    );
}

/// A new database has no secondary index until its first full sync ends;
/// then it has all of them, whatever the crash in between.
#[tokio::test]
async fn the_first_full_sync_builds_the_indexes_when_it_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.sqlite3");
    let store = SqliteStore::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    assert!(index_names(&conn).is_empty());
    let world = FakeWorld::seeded(43, WorldSize::small());
    // Stop the first run after a few pages: still no index.
    let crashing = common::crashing::CrashingStore::new(
        store.clone(),
        6,
        common::crashing::CrashMode::AfterCommit,
    );
    common::engine(crashing)
        .build()
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap_err();
    assert!(index_names(&conn).is_empty());
    common::engine(store.clone())
        .build()
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert_eq!(index_names(&conn).len(), 17);
    assert_eq!(
        common::export(&store, common::INTEGRATION).await,
        world.dump(common::INTEGRATION)
    );
}
