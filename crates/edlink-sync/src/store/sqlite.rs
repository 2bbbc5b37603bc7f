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
use crate::schema::{self, LINKS};
use crate::{Checkpoint, ResourceKind, StoredCheckpoint, StoredObject};

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

/// The SQL of every write, built once from the schema.
#[derive(Debug)]
struct Statements {
    /// Per kind, in `ResourceKind::ALL` order.
    upsert: Vec<String>,
    delete: Vec<String>,
    sweep: Vec<String>,
    /// Per link, in `LINKS` order.
    link_delete: Vec<String>,
    link_insert: Vec<String>,
    link_sweep: Vec<String>,
}

impl Statements {
    fn new() -> Self {
        let mut s = Self {
            upsert: Vec::new(),
            delete: Vec::new(),
            sweep: Vec::new(),
            link_delete: Vec::new(),
            link_insert: Vec::new(),
            link_sweep: Vec::new(),
        };
        for kind in ResourceKind::ALL {
            let t = kind.table();
            let cols = schema::table(kind).columns;
            let names: String = cols.iter().map(|c| format!(", {c}")).collect();
            let marks: String = (0..cols.len()).map(|i| format!(", ?{}", i + 3)).collect();
            let sets: String = cols
                .iter()
                .map(|c| format!("{c} = excluded.{c}, "))
                .collect();
            let g = cols.len() + 3;
            s.upsert.push(format!(
                "INSERT INTO {t} (integration_id, id{names}, generation, data) VALUES (?1, ?2{marks}, ?{g}, ?{d}) \
                 ON CONFLICT (integration_id, id) DO UPDATE SET {sets}generation = excluded.generation, data = excluded.data",
                d = g + 1
            ));
            s.delete.push(format!(
                "DELETE FROM {t} WHERE integration_id = ?1 AND id = ?2"
            ));
            s.sweep.push(format!(
                "DELETE FROM {t} WHERE integration_id = ?1 AND generation < ?2"
            ));
        }
        for l in LINKS {
            let t = l.table;
            s.link_delete.push(format!(
                "DELETE FROM {t} WHERE integration_id = ?1 AND {o} = ?2",
                o = l.owner
            ));
            s.link_insert.push(format!(
                "INSERT OR REPLACE INTO {t} (integration_id, {o}, {x}, generation) VALUES (?1, ?2, ?3, ?4)",
                o = l.owner,
                x = l.other
            ));
            s.link_sweep.push(format!(
                "DELETE FROM {t} WHERE integration_id = ?1 AND generation < ?2"
            ));
        }
        s
    }
}

fn kind_index(kind: ResourceKind) -> usize {
    ResourceKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

fn link_index(table: &str) -> usize {
    LINKS
        .iter()
        .position(|l| l.table == table)
        .unwrap_or_default()
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
        migrate(&mut conn, &sql::migrations(Dialect::Sqlite))?;
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

/// Brings the schema to `migrations.len()` in one transaction.
fn migrate(conn: &mut Connection, migrations: &[Vec<String>]) -> Result<(), StoreError> {
    let target = i64::try_from(migrations.len()).unwrap_or(i64::MAX);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| StoreError::Open {
            what: "SQLite database (starting the migration)".into(),
            source: e.into(),
        })?;
    let read = |e: rusqlite::Error| StoreError::Open {
        what: "SQLite database (reading its schema version)".into(),
        source: e.into(),
    };
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        .map_err(read)?;
    let found: i64 = tx
        .query_row(
            "SELECT coalesce(max(version), 0) FROM schema_version",
            [],
            |r| r.get(0),
        )
        .map_err(read)?;
    if found > target {
        return Err(StoreError::TooNew {
            found,
            supported: target,
        });
    }
    if found == target {
        return tx.commit().map_err(read);
    }
    for (from, steps) in migrations
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        let version = i64::try_from(from).unwrap_or(i64::MAX) + 1;
        for step in steps {
            tx.execute_batch(step).map_err(|e| StoreError::Migration {
                version,
                source: e.into(),
            })?;
        }
    }
    let done = |e: rusqlite::Error| StoreError::Migration {
        version: target,
        source: e.into(),
    };
    tx.execute("DELETE FROM schema_version", []).map_err(done)?;
    tx.execute("INSERT INTO schema_version (version) VALUES (?1)", [target])
        .map_err(done)?;
    tx.commit().map_err(done)
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

fn upsert(
    tx: &Transaction<'_>,
    st: &Statements,
    integration: &str,
    object: &StoredObject,
    generation: i64,
) -> rusqlite::Result<()> {
    let id = text(object.id());
    let mut stmt = tx.prepare_cached(&st.upsert[kind_index(object.kind())])?;
    stmt.raw_bind_parameter(1, integration)?;
    stmt.raw_bind_parameter(2, &id)?;
    let mut at = 3;
    for (_, key) in object.key_columns() {
        stmt.raw_bind_parameter(at, key.map(text))?;
        at += 1;
    }
    stmt.raw_bind_parameter(at, generation)?;
    stmt.raw_bind_parameter(at + 1, object.json())?;
    stmt.raw_execute()?;
    for (link, ids) in object.link_lists() {
        let i = link_index(link.table);
        tx.prepare_cached(&st.link_delete[i])?
            .execute(params![integration, id])?;
        let mut insert = tx.prepare_cached(&st.link_insert[i])?;
        for other in ids {
            insert.execute(params![integration, id, text(*other), generation])?;
        }
    }
    Ok(())
}

fn delete(
    tx: &Transaction<'_>,
    st: &Statements,
    integration: &str,
    kind: ResourceKind,
    id: Uuid,
) -> rusqlite::Result<()> {
    let id = text(id);
    tx.prepare_cached(&st.delete[kind_index(kind)])?
        .execute(params![integration, id])?;
    for link in schema::table(kind).links {
        tx.prepare_cached(&st.link_delete[link_index(link.table)])?
            .execute(params![integration, id])?;
    }
    Ok(())
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
            let integration_text = text(integration);
            let generation = CheckpointColumns::from_checkpoint(&checkpoint).generation;
            for object in &objects {
                upsert(&tx, st, &integration_text, object, generation).map_err(|e| {
                    StoreError::database(
                        format!("storing {} object {}", object.kind(), object.id()),
                        e,
                    )
                })?;
            }
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
            let integration_text = text(integration);
            let generation = CheckpointColumns::from_checkpoint(&checkpoint).generation;
            for change in &changes {
                let done = match change {
                    Change::Upsert(o) => upsert(&tx, st, &integration_text, o, generation),
                    Change::Delete { kind, id } => delete(&tx, st, &integration_text, *kind, *id),
                };
                done.map_err(|e| {
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
            for sweep in &st.sweep {
                let n = tx
                    .prepare_cached(sweep)
                    .and_then(|mut s| s.execute(params![integration_text, generation]))
                    .map_err(db_err(doing))?;
                removed += u64::try_from(n).unwrap_or(0);
            }
            for sweep in &st.link_sweep {
                tx.prepare_cached(sweep)
                    .and_then(|mut s| s.execute(params![integration_text, generation]))
                    .map_err(db_err(doing))?;
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
                    let union =
                        std::iter::once("SELECT integration_id FROM sync_checkpoints".to_owned())
                            .chain(
                                ResourceKind::ALL
                                    .iter()
                                    .map(|k| format!("SELECT integration_id FROM {}", k.table())),
                            )
                            .collect::<Vec<_>>()
                            .join(" UNION ");
                    let mut stmt = tx
                        .prepare(&format!("{union} ORDER BY 1"))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::SCHEMA_VERSION;

    fn version(conn: &Connection) -> i64 {
        conn.query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_failed_migration_is_rolled_back_whole() {
        let mut conn = Connection::open_in_memory().unwrap();
        let mut steps = sql::migrations(Dialect::Sqlite);
        migrate(&mut conn, &steps).unwrap();
        conn.execute(
            "INSERT INTO districts (integration_id, id, generation, data) VALUES ('i', 'd', 1, '{}')",
            [],
        )
        .unwrap();
        steps.push(vec![
            "CREATE TABLE half_done (a INTEGER)".to_owned(),
            "DROP TABLE districts".to_owned(),
            "THIS IS NOT SQL".to_owned(),
        ]);
        let err = migrate(&mut conn, &steps).unwrap_err();
        assert!(
            matches!(err, StoreError::Migration { version: 2, .. }),
            "{err}"
        );
        assert_eq!(version(&conn), 1);
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM districts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1);
        let half: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(half, 0);
    }

    #[test]
    fn a_second_open_does_not_migrate_again() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = sql::migrations(Dialect::Sqlite);
        migrate(&mut conn, &steps).unwrap();
        migrate(&mut conn, &steps).unwrap();
        assert_eq!(version(&conn), SCHEMA_VERSION);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM schema_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
    }
}
