//! `AnyStore::open(path_or_url)`: the store a `--db` value names, and the
//! engine's scenarios through it (on SQLite files here; `tests/postgres.rs`
//! runs it on a Postgres URL).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use edlink_sync::{AnyStore, StoreError};

async fn open(dir: &Path) -> AnyStore {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let path = dir.join(format!("mirror-{n}.sqlite3"));
    let store = AnyStore::open(path.to_str().unwrap()).await.unwrap();
    assert_eq!(store.backend(), "sqlite");
    assert!(matches!(store, AnyStore::Sqlite(_)));
    store
}

macro_rules! scenario {
    ($name:ident) => {
        #[tokio::test]
        async fn $name() {
            let dir = tempfile::tempdir().unwrap();
            common::$name(open(dir.path()).await).await;
        }
    };
}

scenario!(full_sync_mirrors_the_world);
scenario!(events_are_applied_in_order);
scenario!(an_aged_out_checkpoint_falls_back_to_a_full_sync);
scenario!(a_full_sync_resumes_within_its_collection);
scenario!(the_lock_keeps_a_second_sync_out);
scenario!(exports_mask_tokens_unless_asked);

#[tokio::test]
async fn a_file_in_a_missing_directory_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-dir").join("roster.sqlite3");
    let err = AnyStore::open(path.to_str().unwrap()).await.unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("cannot open the SQLite database {}", path.display())
    );
    assert!(!path.exists());
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let text = "my notes, not a database; do not overwrite them ".repeat(30);
    std::fs::write(&path, &text).unwrap();
    let err = AnyStore::open(path.to_str().unwrap()).await.unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "cannot open the SQLite database {}",
            path.display()
        )),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[tokio::test]
async fn a_newer_database_is_refused_through_it_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.sqlite3");
    let store = AnyStore::open(path.to_str().unwrap()).await.unwrap();
    let world = edlink_sync::fake::FakeWorld::seeded(44, edlink_sync::fake::WorldSize::tiny());
    common::engine(store.clone())
        .build()
        .sync(
            common::INTEGRATION,
            &edlink_sync::fake::FakeSource::new(world.clone()),
        )
        .await
        .unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE schema_version SET version = version + 1", [])
        .unwrap();
    let err = AnyStore::open(path.to_str().unwrap()).await.unwrap_err();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("SQLite database {}", path.display())),
        "{err}"
    );
    conn.execute("UPDATE schema_version SET version = version - 1", [])
        .unwrap();
    let store = AnyStore::open(path.to_str().unwrap()).await.unwrap();
    assert_eq!(
        common::export(&store, common::INTEGRATION).await,
        world.dump(common::INTEGRATION)
    );
}

#[tokio::test]
async fn an_unknown_scheme_is_refused_without_its_password() {
    let err = AnyStore::open("mysql://me:hunter2@db.internal/roster")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    assert_eq!(err.to_string(), "cannot open the database mysql://…");
    assert!(!format!("{err:?}").contains("hunter2"));
    // Nothing was created under that name.
    assert!(!Path::new("mysql:").exists());
}

#[cfg(not(feature = "postgres"))]
#[tokio::test]
async fn a_postgres_url_without_the_feature_says_how_to_get_it() {
    for url in [
        "postgres://me:hunter2@db.internal/roster",
        "postgresql://db.internal/roster",
    ] {
        let err = AnyStore::open(url).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::NotBuiltIn {
                    feature: "postgres",
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "cannot open the Postgres database: this edlink-sync was built without its `postgres` feature (rebuild with it, e.g. `cargo build --features edlink-sync/postgres`)"
        );
        assert!(!format!("{err:?}").contains("hunter2"));
    }
}
