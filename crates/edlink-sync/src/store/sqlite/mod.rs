//! [`SqliteStore`]: the mirror in one SQLite file (rusqlite, SQLite compiled
//! in), the default store.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::sql::{self, Dialect};
use super::{Change, ExportOptions, LocalLocks, Store, StoreError, export_line};
use crate::checkpoint::{CheckpointColumns, parse_time};
use crate::schema;
use crate::{Checkpoint, StoredCheckpoint, StoredObject};

mod migrate;
mod write;

use write::{PageWriter, Statements};

/// The current time as SQLite writes it: `2024-05-01T12:00:00.123Z`.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// The mirror in a SQLite file.
///
/// - **Zero setup**: SQLite is compiled in (rusqlite's `bundled` feature).
/// - **Crash safety**: write-ahead log (`journal_mode=WAL`) with
///   `synchronous=NORMAL`: a killed process loses nothing committed; a power
///   cut may lose the last transactions, each with its checkpoint, so the
///   next run redoes them. Every write is one transaction.
/// - **One writer process per file.** Other processes may read at any time
///   (e.g. `sqlite3 roster.sqlite3`); within this process, writes are
///   serialized on one connection and [`Store::try_lock`] keeps two tasks
///   from syncing the same integration. To run many workers, use
///   `PostgresStore`.
///
/// Ids are stored as lower-case hyphenated text, times as RFC 3339 text,
/// objects as their exact JSON text (SQLite's `json_extract` reads it).
///
/// ```
/// use edlink_sync::{ExportOptions, SqliteStore, Store};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let store = SqliteStore::open(dir.path().join("roster.sqlite3"))?;
/// let (out, lines) = store.export(ExportOptions::new(), Vec::new()).await?;
/// assert_eq!((out.len(), lines), (0, 0));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    conn: Mutex<Connection>,
    locks: LocalLocks,
    statements: Statements,
}

fn db_err(doing: &str) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::database(doing, e)
}

fn text(id: Uuid) -> String {
    id.hyphenated().to_string()
}

fn parse_uuid(column: &str, value: Option<String>) -> Result<Option<Uuid>, StoreError> {
    value
        .map(|v| {
            Uuid::try_parse(&v)
                .map_err(|_| StoreError::Corrupt(format!("{column} is not a UUID: {v:?}")))
        })
        .transpose()
}

impl SqliteStore {
    /// Opens (or creates) the database file at `path` and migrates it to
    /// [`SCHEMA_VERSION`](crate::SCHEMA_VERSION) in one transaction. A database from a newer
    /// edlink-sync is refused, a file that is not SQLite is refused, and a
    /// failed migration is rolled back: nothing stored is lost.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let not_sqlite = dir.path().join("notes.txt");
    /// std::fs::write(&not_sqlite, "hello, this is not a database, it is a long enough text file")?;
    /// let err = edlink_sync::SqliteStore::open(&not_sqlite).unwrap_err();
    /// assert!(err.to_string().starts_with("cannot open the SQLite database"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let what = format!("SQLite database {}", path.display());
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            what: what.clone(),
            source: e.into(),
        })?;
        Self::init(conn, &what)
    }

    /// A database in memory (for tests and examples).
    ///
    /// ```
    /// let store = edlink_sync::SqliteStore::open_in_memory()?;
    /// # let _ = store;
    /// # Ok::<(), edlink_sync::StoreError>(())
    /// ```
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let what = "SQLite database in memory".to_owned();
        let conn = Connection::open_in_memory().map_err(|e| StoreError::Open {
            what: what.clone(),
            source: e.into(),
        })?;
        Self::init(conn, &what)
    }

    fn init(mut conn: Connection, what: &str) -> Result<Self, StoreError> {
        let open_err = |e: rusqlite::Error| StoreError::Open {
            what: what.to_owned(),
            source: e.into(),
        };
        // WAL: readers never block the writer; NORMAL: durable against a
        // killed process (the property the engine needs), fast.
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(open_err)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(open_err)?;
        // A page cache of up to 64 MiB: ids are random UUIDs, so every insert touches
        // a random leaf of each index; with SQLite's 2 MiB default a large
        // district spends its time re-reading pages.
        // Checkpoint the WAL into the database every 64 MiB rather than every
        // 4 MiB: a page rewritten by many commits is copied (and synced) once.
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; \
             PRAGMA wal_autocheckpoint = 16384; PRAGMA mmap_size = 268435456",
        )
        .map_err(open_err)?;
        conn.set_prepared_statement_cache_capacity(64);
        migrate::migrate(&mut conn, &sql::migrations(Dialect::Sqlite), what)?;
        Ok(Self {
            inner: Arc::new(Inner {
                conn: Mutex::new(conn),
                locks: LocalLocks::default(),
                statements: Statements::new(),
            }),
        })
    }

    /// Runs `f` on the connection on tokio's blocking pool.
    async fn run<T: Send + 'static>(
        &self,
        doing: &'static str,
        f: impl FnOnce(&mut Connection, &Statements) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock dropped its transaction (rolled
            // back), so the connection is still consistent.
            let mut conn = inner.conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut conn, &inner.statements)
        })
        .await
        .map_err(|e| StoreError::database(doing, e))?
    }
}

/// How a checkpoint write touches the full sync's times.
#[derive(Clone, Copy)]
enum Stamp {
    None,
    Begin,
    Finish,
}

fn write_checkpoint(
    tx: &Transaction<'_>,
    integration: Uuid,
    cp: &Checkpoint,
    stamp: Stamp,
) -> Result<(), StoreError> {
    let (insert_times, update_times) = match stamp {
        Stamp::None => ("NULL, NULL".to_owned(), String::new()),
        Stamp::Begin => (
            format!("{NOW}, NULL"),
            "full_started_at = excluded.full_started_at, full_finished_at = NULL, ".to_owned(),
        ),
        Stamp::Finish => (
            format!("NULL, {NOW}"),
            "full_finished_at = excluded.full_finished_at, ".to_owned(),
        ),
    };
    let sql = format!(
        "INSERT INTO sync_checkpoints (integration_id, phase, resource, last_id, generation, event_id, full_started_at, full_finished_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, {insert_times}, {NOW}) \
         ON CONFLICT (integration_id) DO UPDATE SET phase = excluded.phase, resource = excluded.resource, last_id = excluded.last_id, \
         generation = excluded.generation, event_id = excluded.event_id, {update_times}updated_at = excluded.updated_at"
    );
    let c = CheckpointColumns::from_checkpoint(cp);
    tx.prepare_cached(&sql)
        .and_then(|mut s| {
            s.execute(params![
                text(integration),
                c.phase,
                c.resource,
                c.last_id.map(text),
                c.generation,
                c.event_id.map(text),
            ])
        })
        .map(drop)
        .map_err(db_err("saving the checkpoint"))
}

impl Store for SqliteStore {
    async fn checkpoint(&self, integration: Uuid) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.run("reading the checkpoint", move |conn, _| {
            type Row = (
                String,
                Option<String>,
                Option<String>,
                i64,
                Option<String>,
                Option<String>,
                Option<String>,
                Option<String>,
            );
            let row: Option<Row> = conn
                .query_row(
                    "SELECT phase, resource, last_id, generation, event_id, full_started_at, full_finished_at, updated_at \
                     FROM sync_checkpoints WHERE integration_id = ?1",
                    [text(integration)],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get(7)?,
                        ))
                    },
                )
                .optional()
                .map_err(db_err("reading the checkpoint"))?;
            let Some((phase, resource, last_id, generation, event_id, started, finished, updated)) =
                row
            else {
                return Ok(None);
            };
            let checkpoint = CheckpointColumns::to_checkpoint(
                &phase,
                resource.as_deref(),
                parse_uuid("sync_checkpoints.last_id", last_id)?,
                parse_uuid("sync_checkpoints.event_id", event_id)?,
                generation,
            )
            .map_err(|e| StoreError::Corrupt(format!("checkpoint of {integration}: {e}")))?;
            Ok(Some(StoredCheckpoint {
                checkpoint,
                full_started_at: parse_time(started),
                full_finished_at: parse_time(finished),
                updated_at: parse_time(updated),
            }))
        })
        .await
    }

    async fn begin_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        self.run("starting a full sync", move |conn, _| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_err("starting a full sync"))?;
            write_checkpoint(&tx, integration, &checkpoint, Stamp::Begin)?;
            tx.commit().map_err(db_err("starting a full sync"))
        })
        .await
    }

    async fn apply_objects(
        &self,
        integration: Uuid,
        objects: Vec<StoredObject>,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        self.run("applying a page of objects", move |conn, st| {
            let doing = "applying a page of objects";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_err(doing))?;
            let generation = CheckpointColumns::from_checkpoint(&checkpoint).generation;
            let mut writer = PageWriter::new(&tx, st, integration, generation);
            writer.upsert_page(&objects).map_err(|(at, e)| {
                let (kind, id) = objects
                    .get(at)
                    .map(|o| (o.kind().table(), o.id().to_string()))
                    .unwrap_or_default();
                StoreError::database(format!("storing {kind} objects from {id} on"), e)
            })?;
            drop(writer);
            write_checkpoint(&tx, integration, &checkpoint, Stamp::None)?;
            tx.commit().map_err(db_err(doing))
        })
        .await
    }

    async fn apply_events(
        &self,
        integration: Uuid,
        changes: Vec<Change>,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        self.run("applying a page of events", move |conn, st| {
            let doing = "applying a page of events";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_err(doing))?;
            let generation = CheckpointColumns::from_checkpoint(&checkpoint).generation;
            let mut writer = PageWriter::new(&tx, st, integration, generation);
            for change in &changes {
                writer.change(change).map_err(|e| {
                    StoreError::database(
                        format!(
                            "applying a change to {} object {}",
                            change.kind(),
                            change.id()
                        ),
                        e,
                    )
                })?;
            }
            drop(writer);
            write_checkpoint(&tx, integration, &checkpoint, Stamp::None)?;
            tx.commit().map_err(db_err(doing))
        })
        .await
    }

    async fn finish_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> Result<u64, StoreError> {
        self.run("finishing a full sync", move |conn, st| {
            let doing = "finishing a full sync";
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db_err(doing))?;
            let integration_text = text(integration);
            let generation = CheckpointColumns::from_checkpoint(&checkpoint).generation;
            let mut removed = 0u64;
            if super::older_rows_possible(generation) {
                for (i, sweep) in st.sweep.iter().chain(&st.link_sweep).enumerate() {
                    let n = tx
                        .prepare_cached(sweep)
                        .and_then(|mut s| s.execute(params![integration_text, generation]))
                        .map_err(db_err(doing))?;
                    // Link rows are not objects.
                    if i < st.sweep.len() {
                        removed += u64::try_from(n).unwrap_or(0);
                    }
                }
            }
            // A new database has no secondary index until its first full
            // sync finishes (see `sql::Migrations::fresh`): build them now,
            // in this transaction, so the incremental phase never runs
            // without them. A no-op once they exist.
            for create in &st.create_indexes {
                tx.execute_batch(create)
                    .map_err(db_err("building the secondary indexes"))?;
            }
            write_checkpoint(&tx, integration, &checkpoint, Stamp::Finish)?;
            tx.commit().map_err(db_err(doing))?;
            Ok(removed)
        })
        .await
    }

    async fn export<W: Write + Send + 'static>(
        &self,
        options: ExportOptions,
        mut out: W,
    ) -> Result<(W, u64), StoreError> {
        self.run("exporting", move |conn, _| {
            let doing = "exporting";
            // One read transaction: a consistent snapshot even while a sync
            // writes from another process.
            let tx = conn.transaction().map_err(db_err(doing))?;
            let integrations: Vec<Uuid> = match options.only_integration() {
                Some(id) => vec![id],
                None => {
                    let mut stmt = tx
                        .prepare(&sql::stored_integrations())
                        .map_err(db_err(doing))?;
                    let rows = stmt
                        .query_map([], |r| r.get::<_, String>(0))
                        .map_err(db_err(doing))?;
                    let mut ids = Vec::new();
                    for row in rows {
                        let t = row.map_err(db_err(doing))?;
                        ids.extend(parse_uuid("integration_id", Some(t))?);
                    }
                    ids
                }
            };
            let mut lines = 0u64;
            for integration in integrations {
                for kind in schema::export_order() {
                    let mut stmt = tx
                        .prepare_cached(&format!(
                            "SELECT id, data FROM {} WHERE integration_id = ?1 ORDER BY id",
                            kind.table()
                        ))
                        .map_err(db_err(doing))?;
                    let mut rows = stmt.query([text(integration)]).map_err(db_err(doing))?;
                    while let Some(row) = rows.next().map_err(db_err(doing))? {
                        let id: String = row.get(0).map_err(db_err(doing))?;
                        let data: String = row.get(1).map_err(db_err(doing))?;
                        let id = parse_uuid("id", Some(id))?.unwrap_or_default();
                        let line = export_line(integration, kind, id, &data, options.masked());
                        out.write_all(line.as_bytes()).map_err(StoreError::Write)?;
                        lines += 1;
                    }
                }
            }
            out.flush().map_err(StoreError::Write)?;
            Ok((out, lines))
        })
        .await
    }

    async fn try_lock(&self, integration: Uuid) -> Result<bool, StoreError> {
        Ok(self.inner.locks.try_take(integration))
    }

    async fn unlock(&self, integration: Uuid) -> Result<(), StoreError> {
        self.inner.locks.release(integration);
        Ok(())
    }
}
