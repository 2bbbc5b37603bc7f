//! [`PostgresStore`]: the mirror in Postgres (tokio-postgres), for many
//! sync workers sharing one database.

mod migrate;
mod write;

use std::io::Write;
use std::sync::Arc;

use futures_util::{StreamExt, pin_mut};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, IsolationLevel, NoTls};
use uuid::Uuid;

use self::migrate::{build_missing_indexes, migrate, sweep};
use self::write::{Stamp, write_changes, write_checkpoint};
use super::sql::{self, Dialect};
use super::{
    Change, ExportOptions, LocalLocks, Store, StoreError, export_line, last_change_per_object,
};
use crate::checkpoint::{CheckpointColumns, parse_time};
use crate::schema::{self, LINKS};
use crate::{Checkpoint, ResourceKind, StoredCheckpoint, StoredObject};

/// The key of the transaction-scoped advisory lock that serializes
/// migrations between workers opening the same database at once.
const MIGRATION_LOCK: i64 = 0x6564_6c69_6e6b_0001; // "edlink" + 1

/// A timestamp column as RFC 3339 text in UTC, as SQLite stores it.
fn time_text(column: &str) -> String {
    format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
}

/// The advisory lock key of an integration, computed by the server from the
/// schema the tables live in and the integration id:
/// `hashtextextended('edlink-sync:' || current_schema() || ':' || id, 0)`.
/// Advisory locks are per database; the schema keeps two mirrors in two
/// schemas of one database from contending.
const LOCK_KEY: &str = "hashtextextended('edlink-sync:' || current_schema() || ':' || $1::text, 0)";

/// The mirror in a Postgres database, for deployments that run many sync
/// workers.
///
/// - **Many workers**: point every worker at the same database.
///   [`Store::try_lock`] takes a session-level advisory lock per integration
///   (`pg_try_advisory_lock(hashtextextended('edlink-sync:' || current_schema() || ':' || id, 0))`), so
///   exactly one worker syncs a given integration at a time; the others skip
///   it. If a worker dies, its connection closes and the server releases
///   its locks.
/// - **One connection** per store: writes from the tasks of one process are
///   serialized on it (each is one transaction).
/// - Types: ids are `uuid`, objects `json` (exact text, unlike `jsonb`;
///   query them with `data->>'first_name'`), times `timestamptz`.
/// - Tables are created in the connection's `search_path` (add
///   `options=-csearch_path%3Dedlink` to the URL for a schema of their own).
/// - [`PostgresStore::connect`] uses no TLS (a local or private-network
///   server); for TLS, connect with your own `tokio_postgres` connector and
///   use [`PostgresStore::from_client`].
///
/// ```no_run
/// use edlink_sync::{Engine, PostgresStore};
///
/// # async fn run() -> Result<(), edlink_sync::StoreError> {
/// let store = PostgresStore::connect("postgres://sync@db.internal/roster").await?;
/// let engine = Engine::builder(store).concurrency(8).build();
/// # let _ = engine;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: tokio::sync::Mutex<Client>,
    locks: LocalLocks,
}

fn db_err(doing: &str) -> impl FnOnce(tokio_postgres::Error) -> StoreError + '_ {
    move |e| StoreError::database(doing, e)
}

impl PostgresStore {
    /// Connects (without TLS) and migrates the schema to
    /// [`crate::SCHEMA_VERSION`] in one transaction. Errors name the
    /// database, host, port and user; the password never appears.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let err = edlink_sync::PostgresStore::connect("postgres://me:hunter2@127.0.0.1:1/roster").await.unwrap_err();
    /// assert_eq!(err.to_string(), "cannot open the Postgres database roster on 127.0.0.1:1 as me");
    /// assert!(!format!("{err:?}").contains("hunter2"));
    /// # }
    /// ```
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let config: tokio_postgres::Config = url.parse().map_err(|e| StoreError::Open {
            what: "Postgres database (the URL is not a valid connection string)".into(),
            source: Box::new(e),
        })?;
        let what = describe(&config);
        let (client, connection) = config.connect(NoTls).await.map_err(|e| StoreError::Open {
            what: what.clone(),
            source: e.into(),
        })?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::error!(error = %e, "the Postgres connection failed");
            }
        });
        Self::init(client, what).await
    }

    /// Uses an open connection (e.g. one made with a TLS connector) and
    /// migrates the schema. The store's advisory locks live in this
    /// connection's session.
    pub async fn from_client(client: Client) -> Result<Self, StoreError> {
        Self::init(client, "Postgres database".to_owned()).await
    }

    async fn init(mut client: Client, what: String) -> Result<Self, StoreError> {
        migrate(&mut client, &sql::migrations(Dialect::Postgres), &what).await?;
        Ok(Self {
            inner: Arc::new(Inner {
                client: tokio::sync::Mutex::new(client),
                locks: LocalLocks::default(),
            }),
        })
    }
}

/// `Postgres database roster on db.internal:5432 as sync`: where a store
/// connects, for errors (the password is not part of it).
fn describe(config: &tokio_postgres::Config) -> String {
    let mut out = "Postgres database".to_owned();
    if let Some(db) = config.get_dbname() {
        out.push(' ');
        out.push_str(db);
    }
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let name = match host {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(dir) => dir.display().to_string(),
            };
            // One port for all hosts, one per host, or the default.
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            format!("{name}:{port}")
        })
        .collect();
    if !hosts.is_empty() {
        out.push_str(" on ");
        out.push_str(&hosts.join(","));
    }
    if let Some(user) = config.get_user() {
        out.push_str(" as ");
        out.push_str(user);
    }
    out
}

impl Store for PostgresStore {
    async fn checkpoint(&self, integration: Uuid) -> Result<Option<StoredCheckpoint>, StoreError> {
        let doing = "reading the checkpoint";
        let client = self.inner.client.lock().await;
        let sql = format!(
            "SELECT phase, resource, last_id, generation, event_id, {}, {}, {} FROM sync_checkpoints WHERE integration_id = $1",
            time_text("full_started_at"),
            time_text("full_finished_at"),
            time_text("updated_at")
        );
        let Some(row) = client
            .query_opt(&sql, &[&integration])
            .await
            .map_err(db_err(doing))?
        else {
            return Ok(None);
        };
        let get = |e: tokio_postgres::Error| StoreError::database(doing, e);
        let phase: String = row.try_get(0).map_err(get)?;
        let resource: Option<String> = row.try_get(1).map_err(get)?;
        let checkpoint = CheckpointColumns::to_checkpoint(
            &phase,
            resource.as_deref(),
            row.try_get(2).map_err(get)?,
            row.try_get(4).map_err(get)?,
            row.try_get(3).map_err(get)?,
        )
        .map_err(|e| StoreError::Corrupt(format!("checkpoint of {integration}: {e}")))?;
        Ok(Some(StoredCheckpoint {
            checkpoint,
            full_started_at: parse_time(row.try_get(5).map_err(get)?),
            full_finished_at: parse_time(row.try_get(6).map_err(get)?),
            updated_at: parse_time(row.try_get(7).map_err(get)?),
        }))
    }

    async fn begin_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        let doing = "starting a full sync";
        let mut client = self.inner.client.lock().await;
        let tx = client.transaction().await.map_err(db_err(doing))?;
        write_checkpoint(&tx, integration, &checkpoint, Stamp::Begin).await?;
        tx.commit().await.map_err(db_err(doing))
    }

    async fn apply_objects(
        &self,
        integration: Uuid,
        objects: Vec<StoredObject>,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        let doing = "applying a page of objects";
        let changes = last_change_per_object(objects.into_iter().map(Change::Upsert).collect());
        let generation = CheckpointColumns::from_checkpoint(&checkpoint).generation;
        let mut client = self.inner.client.lock().await;
        let tx = client.transaction().await.map_err(db_err(doing))?;
        write_changes(&tx, integration, generation, &changes).await?;
        write_checkpoint(&tx, integration, &checkpoint, Stamp::None).await?;
        tx.commit().await.map_err(db_err(doing))
    }

    async fn apply_events(
        &self,
        integration: Uuid,
        changes: Vec<Change>,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        let doing = "applying a page of events";
        // Each change replaces or removes a whole object, so the last change
        // per object gives the same result as applying them one by one.
        let changes = last_change_per_object(changes);
        let generation = CheckpointColumns::from_checkpoint(&checkpoint).generation;
        let mut client = self.inner.client.lock().await;
        let tx = client.transaction().await.map_err(db_err(doing))?;
        write_changes(&tx, integration, generation, &changes).await?;
        write_checkpoint(&tx, integration, &checkpoint, Stamp::None).await?;
        tx.commit().await.map_err(db_err(doing))
    }

    async fn finish_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> Result<u64, StoreError> {
        let doing = "finishing a full sync";
        let generation = CheckpointColumns::from_checkpoint(&checkpoint).generation;
        let mut client = self.inner.client.lock().await;
        let tx = client.transaction().await.map_err(db_err(doing))?;
        let mut removed = 0;
        if super::older_rows_possible(generation) {
            for kind in ResourceKind::ALL {
                removed += sweep(&tx, kind.table(), integration, generation).await?;
            }
            for link in LINKS {
                sweep(&tx, link.table, integration, generation).await?;
            }
        }
        build_missing_indexes(&tx).await?;
        write_checkpoint(&tx, integration, &checkpoint, Stamp::Finish).await?;
        tx.commit().await.map_err(db_err(doing))?;
        Ok(removed)
    }

    async fn export<W: Write + Send + 'static>(
        &self,
        options: ExportOptions,
        mut out: W,
    ) -> Result<(W, u64), StoreError> {
        let doing = "exporting";
        let mut client = self.inner.client.lock().await;
        // One snapshot for the whole export, even while workers write.
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(db_err(doing))?;
        let integrations: Vec<Uuid> = match options.only_integration() {
            Some(id) => vec![id],
            None => tx
                .query(&sql::stored_integrations(), &[])
                .await
                .map_err(db_err(doing))?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()
                .map_err(db_err(doing))?,
        };
        let mut lines = 0u64;
        for integration in integrations {
            for kind in schema::export_order() {
                let sql = format!(
                    "SELECT id, data::text FROM {} WHERE integration_id = $1 ORDER BY id",
                    kind.table()
                );
                let rows = tx
                    .client()
                    .query_raw(&sql, [&integration as &(dyn ToSql + Sync)])
                    .await
                    .map_err(db_err(doing))?;
                pin_mut!(rows);
                while let Some(row) = rows.next().await {
                    let row = row.map_err(db_err(doing))?;
                    let id: Uuid = row.try_get(0).map_err(db_err(doing))?;
                    let data: &str = row.try_get(1).map_err(db_err(doing))?;
                    let line = export_line(integration, kind, id, data, options.masked());
                    out.write_all(line.as_bytes()).map_err(StoreError::Write)?;
                    lines += 1;
                }
            }
        }
        tx.commit().await.map_err(db_err(doing))?;
        out.flush().map_err(StoreError::Write)?;
        Ok((out, lines))
    }

    async fn try_lock(&self, integration: Uuid) -> Result<bool, StoreError> {
        if !self.inner.locks.try_take(integration) {
            return Ok(false);
        }
        let client = self.inner.client.lock().await;
        let got = client
            .query_one(
                &format!("SELECT pg_try_advisory_lock({LOCK_KEY})"),
                &[&integration.to_string()],
            )
            .await
            .and_then(|row| row.try_get::<_, bool>(0));
        match got {
            Ok(true) => Ok(true),
            Ok(false) => {
                self.inner.locks.release(integration);
                Ok(false)
            }
            Err(e) => {
                self.inner.locks.release(integration);
                Err(StoreError::database("taking the integration's lock", e))
            }
        }
    }

    async fn unlock(&self, integration: Uuid) -> Result<(), StoreError> {
        let client = self.inner.client.lock().await;
        let result = client
            .query_one(
                &format!("SELECT pg_advisory_unlock({LOCK_KEY})"),
                &[&integration.to_string()],
            )
            .await;
        self.inner.locks.release(integration);
        result
            .map(drop)
            .map_err(db_err("releasing the integration's lock"))
    }
}
