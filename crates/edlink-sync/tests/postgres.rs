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
