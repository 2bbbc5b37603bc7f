//! [`PostgresStore`]: the mirror in Postgres (tokio-postgres), for many
//! sync workers sharing one database.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use futures_util::{StreamExt, pin_mut};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, IsolationLevel, NoTls, Transaction};
use uuid::Uuid;

use super::sql::{self, Dialect, Migrations};
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

async fn migrate(
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
async fn sweep(
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
async fn build_missing_indexes(tx: &Transaction<'_>) -> Result<(), StoreError> {
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

#[derive(Clone, Copy)]
enum Stamp {
    None,
    Begin,
    Finish,
}

async fn write_checkpoint(
    tx: &Transaction<'_>,
    integration: Uuid,
    cp: &Checkpoint,
    stamp: Stamp,
) -> Result<(), StoreError> {
    let (insert_times, update_times) = match stamp {
        Stamp::None => ("NULL, NULL", ""),
        Stamp::Begin => (
            "now(), NULL",
            "full_started_at = EXCLUDED.full_started_at, full_finished_at = NULL, ",
        ),
        Stamp::Finish => (
            "NULL, now()",
            "full_finished_at = EXCLUDED.full_finished_at, ",
        ),
    };
    let sql = format!(
        "INSERT INTO sync_checkpoints (integration_id, phase, resource, last_id, generation, event_id, full_started_at, full_finished_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, {insert_times}, now()) \
         ON CONFLICT (integration_id) DO UPDATE SET phase = EXCLUDED.phase, resource = EXCLUDED.resource, last_id = EXCLUDED.last_id, \
         generation = EXCLUDED.generation, event_id = EXCLUDED.event_id, {update_times}updated_at = EXCLUDED.updated_at"
    );
    let c = CheckpointColumns::from_checkpoint(cp);
    tx.execute(
        &sql,
        &[
            &integration,
            &c.phase,
            &c.resource,
            &c.last_id,
            &c.generation,
            &c.event_id,
        ],
    )
    .await
    .map(drop)
    .map_err(db_err("saving the checkpoint"))
}

/// Upserts objects of one kind (each id once) with set-based statements.
async fn upsert_kind(
    tx: &Transaction<'_>,
    integration: Uuid,
    generation: i64,
    kind: ResourceKind,
    objects: &[&StoredObject],
) -> Result<(), tokio_postgres::Error> {
    if objects.is_empty() {
        return Ok(());
    }
    let t = kind.table();
    let spec = schema::table(kind);
    let ids: Vec<Uuid> = objects.iter().map(|o| o.id()).collect();
    let data: Vec<&str> = objects.iter().map(|o| o.json()).collect();
    let keys: Vec<Vec<Option<Uuid>>> = spec
        .columns
        .iter()
        .map(|c| objects.iter().map(|o| o.key(c)).collect())
        .collect();
    let names: String = spec.columns.iter().map(|c| format!(", {c}")).collect();
    let u_names: String = spec.columns.iter().map(|c| format!(", u.{c}")).collect();
    let arrays: String = (0..spec.columns.len())
        .map(|i| format!(", ${}::uuid[]", i + 4))
        .collect();
    let sets: String = spec
        .columns
        .iter()
        .map(|c| format!("{c} = EXCLUDED.{c}, "))
        .collect();
    let data_at = spec.columns.len() + 4;
    let sql = format!(
        "INSERT INTO {t} (integration_id, id{names}, generation, data) \
         SELECT $1, u.id{u_names}, $2, u.data::json FROM unnest($3::uuid[]{arrays}, ${data_at}::text[]) AS u(id{names}, data) \
         ON CONFLICT (integration_id, id) DO UPDATE SET {sets}generation = EXCLUDED.generation, data = EXCLUDED.data"
    );
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&integration, &generation, &ids];
    for k in &keys {
        params.push(k);
    }
    params.push(&data);
    tx.execute(&sql, &params).await?;
    for link in spec.links {
        let (mut owners, mut others) = (Vec::new(), Vec::new());
        for o in objects {
            for other in o.links(link.field) {
                owners.push(o.id());
                others.push(*other);
            }
        }
        tx.execute(
            &format!(
                "DELETE FROM {} WHERE integration_id = $1 AND {} = ANY($2::uuid[])",
                link.table, link.owner
            ),
            &[&integration, &ids],
        )
        .await?;
        tx.execute(
            &format!(
                "INSERT INTO {t} (integration_id, {o}, {x}, generation) \
                 SELECT $1, u.o, u.x, $2 FROM unnest($3::uuid[], $4::uuid[]) AS u(o, x) ON CONFLICT DO NOTHING",
                t = link.table,
                o = link.owner,
                x = link.other
            ),
            &[&integration, &generation, &owners, &others],
        )
        .await?;
    }
    Ok(())
}

async fn delete_kind(
    tx: &Transaction<'_>,
    integration: Uuid,
    kind: ResourceKind,
    ids: &[Uuid],
) -> Result<(), tokio_postgres::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    tx.execute(
        &format!(
            "DELETE FROM {} WHERE integration_id = $1 AND id = ANY($2::uuid[])",
            kind.table()
        ),
        &[&integration, &ids],
    )
    .await?;
    for link in schema::table(kind).links {
        tx.execute(
            &format!(
                "DELETE FROM {} WHERE integration_id = $1 AND {} = ANY($2::uuid[])",
                link.table, link.owner
            ),
            &[&integration, &ids],
        )
        .await?;
    }
    Ok(())
}

/// Writes `changes` (each object once) grouped by kind.
async fn write_changes(
    tx: &Transaction<'_>,
    integration: Uuid,
    generation: i64,
    changes: &[Change],
) -> Result<(), StoreError> {
    let mut upserts: BTreeMap<ResourceKind, Vec<&StoredObject>> = BTreeMap::new();
    let mut deletes: BTreeMap<ResourceKind, Vec<Uuid>> = BTreeMap::new();
    for c in changes {
        match c {
            Change::Upsert(o) => upserts.entry(o.kind()).or_default().push(o),
            Change::Delete { kind, id } => deletes.entry(*kind).or_default().push(*id),
        }
    }
    for (kind, ids) in deletes {
        delete_kind(tx, integration, kind, &ids)
            .await
            .map_err(|e| StoreError::database(format!("deleting {kind}"), e))?;
    }
    for (kind, objects) in upserts {
        upsert_kind(tx, integration, generation, kind, &objects)
            .await
            .map_err(|e| StoreError::database(format!("storing a page of {kind}"), e))?;
    }
    Ok(())
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
