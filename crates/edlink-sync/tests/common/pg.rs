//! A fresh schema per test on the server of `EDLINK_TEST_POSTGRES_URL`.

use std::sync::atomic::{AtomicU64, Ordering};

use edlink_sync::PostgresStore;
use edlink_sync::tokio_postgres;

/// The server's URL; panics (the test fails, it is not skipped) when unset.
pub fn base_url() -> String {
    std::env::var("EDLINK_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "EDLINK_TEST_POSTGRES_URL is not set: the `postgres` feature's tests need a server. \
             Start one with `eval \"$(cargo xtask postgres start)\"`."
        )
    })
}

/// A URL whose `search_path` is a new, empty schema.
pub async fn fresh_url(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let schema = format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let base = base_url();
    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("cannot connect to EDLINK_TEST_POSTGRES_URL");
    let task = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("CREATE SCHEMA");
    drop(client);
    let _ = task.await;
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-csearch_path%3D{schema}")
}

pub async fn fresh_store() -> PostgresStore {
    PostgresStore::connect(&fresh_url("edlink_sync_test").await)
        .await
        .expect("PostgresStore::connect")
}
