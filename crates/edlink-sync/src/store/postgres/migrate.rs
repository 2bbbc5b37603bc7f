//! The Postgres store's schema: migrating it in one transaction (serialized
//! between workers by an advisory lock), sweeping rows a full sync left
//! behind, and building the secondary indexes once.

use tokio_postgres::{Client, Transaction};
use uuid::Uuid;

use super::{MIGRATION_LOCK, db_err};
use crate::store::StoreError;
use crate::store::sql::{self, Migrations};

pub(super) async fn migrate(
    client: &mut Client,
    migrations: &Migrations,
    what: &str,
) -> Result<(), StoreError> {
    let target = migrations.target();
    let open = |e: tokio_postgres::Error| StoreError::Open {
        what: format!("{what} (reading its schema version)"),
        source: e.into(),
    };
    let tx = client.transaction().await.map_err(open)?;
    // Workers opening a fresh database at once: one migrates, the others
    // wait here and then find the work done.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(open)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL)")
        .await
        .map_err(open)?;
    let found: i64 = tx
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM schema_version",
            &[],
        )
        .await
        .map_err(open)?
        .get(0);
    if found > target {
        return Err(StoreError::TooNew {
            what: what.to_owned(),
            found,
            supported: target,
        });
    }
    if found < target {
        let failed = |version: i64| {
            move |e: tokio_postgres::Error| StoreError::Migration {
                what: what.to_owned(),
                version,
                source: e.into(),
            }
        };
        let steps: Vec<(i64, &String)> = if found == 0 {
            migrations.fresh.iter().map(|s| (target, s)).collect()
        } else {
            (1..)
                .zip(&migrations.steps)
                .skip_while(|(v, _)| *v < found)
                .flat_map(|(v, steps)| steps.iter().map(move |s| (v + 1, s)))
                .collect()
        };
        for (version, step) in steps {
            tx.batch_execute(step).await.map_err(failed(version))?;
        }
        tx.execute("DELETE FROM schema_version", &[])
            .await
            .map_err(failed(target))?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&target],
        )
        .await
        .map_err(failed(target))?;
    }
    tx.commit().await.map_err(open)
}

/// Removes the rows of `table` older than `generation`; how many.
pub(super) async fn sweep(
    tx: &Transaction<'_>,
    table: &str,
    integration: Uuid,
    generation: i64,
) -> Result<u64, StoreError> {
    tx.execute(
        &format!("DELETE FROM {table} WHERE integration_id = $1 AND generation < $2"),
        &[&integration, &generation],
    )
    .await
    .map_err(db_err("finishing a full sync"))
}

/// Builds the secondary indexes that do not exist yet (a new database has
/// none until its first full sync finishes). Checked in the catalog first:
/// `CREATE INDEX IF NOT EXISTS` would lock each table against writers even
/// when there is nothing to do, and other workers write all the time.
pub(super) async fn build_missing_indexes(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let doing = "building the secondary indexes";
    let indexes = sql::secondary_indexes();
    let names: Vec<&str> = indexes.iter().map(|i| i.name.as_str()).collect();
    let missing: Vec<String> = tx
        .query(
            "SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NULL",
            &[&names],
        )
        .await
        .map_err(db_err(doing))?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()
        .map_err(db_err(doing))?;
    for index in indexes.iter().filter(|i| missing.contains(&i.name)) {
        tx.batch_execute(&index.create(true))
            .await
            .map_err(db_err(doing))?;
    }
    Ok(())
}
