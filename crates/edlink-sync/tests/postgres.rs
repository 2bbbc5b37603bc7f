//! The engine's scenarios on a real Postgres server, and the advisory lock
//! between workers. Needs `EDLINK_TEST_POSTGRES_URL` (these tests fail, not
//! skip, without it): `eval "$(cargo xtask postgres start)"`.
#![cfg(feature = "postgres")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::crashing::CrashMode;
use common::pg::{fresh_store, fresh_url};
use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
use edlink_sync::{PostgresStore, Store, StoreError, SyncError};

macro_rules! scenario {
    ($name:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            common::$name(fresh_store().await).await;
        }
    };
}

scenario!(full_sync_mirrors_the_world);
scenario!(events_are_applied_in_order);
scenario!(changes_during_the_full_read_are_replayed);
scenario!(an_aged_out_checkpoint_falls_back_to_a_full_sync);
scenario!(a_feed_that_keeps_aging_out_gives_up);
scenario!(unusable_integrations_are_skipped_and_others_go_on);
scenario!(transient_failures_are_retried_and_resumed);
scenario!(a_full_sync_resumes_within_its_collection);
scenario!(the_lock_keeps_a_second_sync_out);
scenario!(exports_mask_tokens_unless_asked);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crashes_at_every_kind_of_write_leave_the_same_store() {
    let mut points = Vec::new();
    for at in [1, 2, 3, 7, 11, 16, 18, 19, 20] {
        points.push((at, CrashMode::BeforeCommit));
        points.push((at, CrashMode::AfterCommit));
    }
    let crashes =
        common::crashes_leave_the_same_store(fresh_store, 5, WorldSize::small(), points).await;
    assert!(
        crashes.iter().all(|n| *n >= 5),
        "crashes per round: {crashes:?}"
    );
}

/// Two workers (two connections, as two processes would have) race for one
/// integration: exactly one syncs it, the other is told it is locked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_racing_for_one_integration_sync_it_once() {
    let url = fresh_url("edlink_sync_race").await;
    let a = PostgresStore::connect(&url).await.unwrap();
    let b = PostgresStore::connect(&url).await.unwrap();
    let world = FakeWorld::seeded(30, WorldSize::small());
    // Slow enough that the two runs overlap.
    world.set_delay(Some(Duration::from_millis(3)));
    let (ea, eb) = (
        common::engine(a.clone()).build(),
        common::engine(b.clone()).build(),
    );
    let (sa, sb) = (
        FakeSource::new(world.clone()),
        FakeSource::new(world.clone()),
    );
    let (ra, rb) = tokio::join!(
        ea.sync(common::INTEGRATION, &sa),
        eb.sync(common::INTEGRATION, &sb)
    );
    let (won, lost) = match (ra, rb) {
        (Ok(r), Err(e)) | (Err(e), Ok(r)) => (r, e),
        other => panic!("expected one sync and one lock refusal, got {other:?}"),
    };
    assert!(matches!(lost, SyncError::Locked), "{lost}");
    assert_eq!(won.full_syncs, 1);
    assert_eq!(
        common::export(&a, common::INTEGRATION).await,
        world.dump(common::INTEGRATION)
    );
    // Both released: either worker can take the integration now.
    assert!(b.try_lock(common::INTEGRATION).await.unwrap());
    assert!(!a.try_lock(common::INTEGRATION).await.unwrap());
    b.unlock(common::INTEGRATION).await.unwrap();
    assert!(a.try_lock(common::INTEGRATION).await.unwrap());
}

/// A worker that dies holding the lock: the server releases it when the
/// connection closes, and another worker takes over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_workers_lock_is_released_by_the_server() {
    let url = fresh_url("edlink_sync_dead").await;
    let survivor = PostgresStore::connect(&url).await.unwrap();
    {
        let dying = PostgresStore::connect(&url).await.unwrap();
        assert!(dying.try_lock(common::INTEGRATION).await.unwrap());
        assert!(!survivor.try_lock(common::INTEGRATION).await.unwrap());
        // Dropping the last handle closes the connection, as a crash would.
    }
    let mut taken = false;
    for _ in 0..100 {
        if survivor.try_lock(common::INTEGRATION).await.unwrap() {
            taken = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(taken, "the lock was not released within 5 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_schema_is_refused_and_nothing_is_lost() {
    let url = fresh_url("edlink_sync_newer").await;
    let store = PostgresStore::connect(&url).await.unwrap();
    let world = FakeWorld::seeded(31, WorldSize::tiny());
    common::engine(store.clone())
        .build()
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    let before = common::export(&store, common::INTEGRATION).await;
    drop(store);
    let (client, conn) =
        edlink_sync::tokio_postgres::connect(&url, edlink_sync::tokio_postgres::NoTls)
            .await
            .unwrap();
    tokio::spawn(conn);
    client
        .execute("UPDATE schema_version SET version = 99", &[])
        .await
        .unwrap();
    let err = PostgresStore::connect(&url).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::TooNew {
                found: 99,
                supported: edlink_sync::SCHEMA_VERSION,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().starts_with("the Postgres database "),
        "{err}"
    );
    client
        .execute(
            "UPDATE schema_version SET version = $1",
            &[&edlink_sync::SCHEMA_VERSION],
        )
        .await
        .unwrap();
    let store = PostgresStore::connect(&url).await.unwrap();
    assert_eq!(common::export(&store, common::INTEGRATION).await, before);
}

/// "The classes of this teacher" is a plain join on the indexed columns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_keys_and_links_are_joinable() {
    let url = fresh_url("edlink_sync_join").await;
    let store = PostgresStore::connect(&url).await.unwrap();
    let world = FakeWorld::seeded(32, WorldSize::small());
    let engine = common::engine(store.clone()).build();
    engine
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    world.mutate(300);
    engine
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    let expected = common::expected_relations(&world.dump(common::INTEGRATION));
    let (client, conn) =
        edlink_sync::tokio_postgres::connect(&url, edlink_sync::tokio_postgres::NoTls)
            .await
            .unwrap();
    tokio::spawn(conn);
    let pairs = |sql: &'static str| {
        let client = &client;
        async move {
            let mut v: Vec<(String, String)> = client
                .query(sql, &[&common::INTEGRATION])
                .await
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r.get::<_, uuid::Uuid>(0).to_string(),
                        r.get::<_, uuid::Uuid>(1).to_string(),
                    )
                })
                .collect();
            v.sort();
            v
        }
    };
    assert_eq!(
        pairs(common::PEOPLE_SCHOOLS_SQL_PG).await,
        expected.people_schools
    );
    assert_eq!(
        pairs(common::CLASSES_SESSIONS_SQL_PG).await,
        expected.classes_sessions
    );
    assert_eq!(
        pairs(common::TEACHER_CLASSES_SQL_PG).await,
        expected.teacher_classes
    );
}

/// The schema a `fresh_url` points at.
fn schema_of(url: &str) -> String {
    url.rsplit_once("search_path%3D")
        .map(|(_, s)| s.to_owned())
        .unwrap()
}

async fn raw_client(url: &str) -> edlink_sync::tokio_postgres::Client {
    let (client, conn) =
        edlink_sync::tokio_postgres::connect(url, edlink_sync::tokio_postgres::NoTls)
            .await
            .unwrap();
    tokio::spawn(conn);
    client
}

/// The secondary indexes (`…_idx`) of the connection's schema.
async fn index_names(client: &edlink_sync::tokio_postgres::Client) -> Vec<String> {
    client
        .query(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE '%\\_idx' ORDER BY 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_store_opens_a_postgres_url() {
    let url = fresh_url("edlink_sync_any").await;
    let store = edlink_sync::AnyStore::open(&url).await.unwrap();
    assert_eq!(store.backend(), "postgres");
    assert!(matches!(store, edlink_sync::AnyStore::Postgres(_)));
    common::full_sync_mirrors_the_world(store).await;
    let other = fresh_url("edlink_sync_any_lock").await;
    common::the_lock_keeps_a_second_sync_out(edlink_sync::AnyStore::open(&other).await.unwrap())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_cannot_be_reached_is_named_without_the_password() {
    let err = edlink_sync::AnyStore::open("postgres://me:hunter2@127.0.0.1:1/roster")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "cannot open the Postgres database roster on 127.0.0.1:1 as me"
    );
    assert!(!format!("{err:?}").contains("hunter2"));
}

/// A new schema has no secondary index until the first full sync finishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_full_sync_builds_the_indexes_when_it_finishes() {
    let url = fresh_url("edlink_sync_idx").await;
    let store = PostgresStore::connect(&url).await.unwrap();
    let client = raw_client(&url).await;
    assert!(index_names(&client).await.is_empty());
    let world = FakeWorld::seeded(46, WorldSize::small());
    let crashing = common::crashing::CrashingStore::new(store.clone(), 6, CrashMode::AfterCommit);
    common::engine(crashing)
        .build()
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap_err();
    assert!(index_names(&client).await.is_empty());
    common::engine(store.clone())
        .build()
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert_eq!(index_names(&client).await.len(), 17);
    assert_eq!(
        common::export(&store, common::INTEGRATION).await,
        world.dump(common::INTEGRATION)
    );
}

/// A schema created by the version-1 code (`tests/fixtures/v1_postgres.sql`)
/// holding a synced mirror is migrated on connect, keeps its rows and
/// indexes, and its incremental sync goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_1_schema_is_migrated_and_syncs_on() {
    // The rows: a mirror synced by this version (the tables are the same).
    let world = FakeWorld::seeded(45, WorldSize::tiny());
    let source_url = fresh_url("edlink_sync_v1rows").await;
    let rows = PostgresStore::connect(&source_url).await.unwrap();
    common::engine(rows.clone())
        .build()
        .sync(common::INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    drop(rows);

    let url = fresh_url("edlink_sync_v1").await;
    let client = raw_client(&url).await;
    client
        .batch_execute(include_str!("fixtures/v1_postgres.sql"))
        .await
        .unwrap();
    client
        .batch_execute(
            "CREATE TABLE schema_version (version bigint NOT NULL); INSERT INTO schema_version VALUES (1);",
        )
        .await
        .unwrap();
    let from = schema_of(&source_url);
    for table in [
        "districts",
        "schools",
        "sessions",
        "courses",
        "people",
        "classes",
        "sections",
        "enrollments",
        "agents",
        "people_schools",
        "classes_sessions",
        "sync_checkpoints",
    ] {
        client
            .batch_execute(&format!("INSERT INTO {table} SELECT * FROM {from}.{table}"))
            .await
            .unwrap();
    }
    let indexes = index_names(&client).await;
    assert_eq!(indexes.len(), 17);

    let store = PostgresStore::connect(&url).await.unwrap();
    let version: i64 = client
        .query_one("SELECT version FROM schema_version", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(version, edlink_sync::SCHEMA_VERSION);
    assert_eq!(index_names(&client).await, indexes);
    assert_eq!(
        common::export(&store, common::INTEGRATION).await,
        world.dump(common::INTEGRATION)
    );
    world.mutate(30);
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
