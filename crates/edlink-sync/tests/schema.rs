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
