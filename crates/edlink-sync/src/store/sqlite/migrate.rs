//! Bringing a SQLite file to the current schema, in one transaction.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;
use crate::store::sql::Migrations;

/// Creates the current schema in an empty database, or runs the steps from
/// the database's version to the current one, in one transaction: a failure
/// rolls everything back. `what` names the database in errors.
pub(super) fn migrate(
    conn: &mut Connection,
    migrations: &Migrations,
    what: &str,
) -> Result<(), StoreError> {
    let target = migrations.target();
    let open = |doing: &'static str| {
        move |e: rusqlite::Error| StoreError::Open {
            what: format!("{what} ({doing})"),
            source: e.into(),
        }
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(open("starting the migration"))?;
    let read = open("reading its schema version");
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        .map_err(read)?;
    let found: i64 = tx
        .query_row(
            "SELECT coalesce(max(version), 0) FROM schema_version",
            [],
            |r| r.get(0),
        )
        .map_err(open("reading its schema version"))?;
    if found > target {
        return Err(StoreError::TooNew {
            what: what.to_owned(),
            found,
            supported: target,
        });
    }
    if found == target {
        return tx.commit().map_err(open("reading its schema version"));
    }
    let failed = |version: i64| {
        move |e: rusqlite::Error| StoreError::Migration {
            what: what.to_owned(),
            version,
            source: e.into(),
        }
    };
    if found == 0 {
        for step in &migrations.fresh {
            tx.execute_batch(step).map_err(failed(target))?;
        }
    } else {
        for (from, steps) in (1..).zip(&migrations.steps).skip_while(|(v, _)| *v < found) {
            for step in steps {
                tx.execute_batch(step).map_err(failed(from + 1))?;
            }
        }
    }
    tx.execute("DELETE FROM schema_version", [])
        .map_err(failed(target))?;
    tx.execute("INSERT INTO schema_version (version) VALUES (?1)", [target])
        .map_err(failed(target))?;
    tx.commit().map_err(failed(target))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::SCHEMA_VERSION;
    use crate::store::sql::{self, Dialect};

    fn version(conn: &Connection) -> i64 {
        conn.query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))
            .unwrap()
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_failed_migration_is_rolled_back_whole() {
        let mut conn = Connection::open_in_memory().unwrap();
        let mut migrations = sql::migrations(Dialect::Sqlite);
        migrate(&mut conn, &migrations, "SQLite database t.db").unwrap();
        conn.execute(
            "INSERT INTO districts (integration_id, id, generation, data) VALUES ('i', 'd', 1, '{}')",
            [],
        )
        .unwrap();
        migrations.steps.push(vec![
            "CREATE TABLE half_done (a INTEGER)".to_owned(),
            "DROP TABLE districts".to_owned(),
            "THIS IS NOT SQL".to_owned(),
        ]);
        let err = migrate(&mut conn, &migrations, "SQLite database t.db").unwrap_err();
        assert!(
            matches!(err, StoreError::Migration { version, .. } if version == SCHEMA_VERSION + 1),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "migrating the SQLite database t.db to schema version {} failed (rolled back, nothing was changed)",
                SCHEMA_VERSION + 1
            )
        );
        assert_eq!(version(&conn), SCHEMA_VERSION);
        assert_eq!(count(&conn, "SELECT count(*) FROM districts"), 1);
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"
            ),
            0
        );
    }

    #[test]
    fn a_second_open_does_not_migrate_again() {
        let mut conn = Connection::open_in_memory().unwrap();
        let migrations = sql::migrations(Dialect::Sqlite);
        migrate(&mut conn, &migrations, "t").unwrap();
        migrate(&mut conn, &migrations, "t").unwrap();
        assert_eq!(version(&conn), SCHEMA_VERSION);
        assert_eq!(count(&conn, "SELECT count(*) FROM schema_version"), 1);
    }

    #[test]
    fn a_fresh_database_gets_the_tables_and_no_secondary_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, &sql::migrations(Dialect::Sqlite), "t").unwrap();
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ),
            9 + 2 + 1 + 1
        );
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE '%\\_idx' ESCAPE '\\'"
            ),
            0
        );
    }

    #[test]
    fn version_1_is_migrated_step_by_step_keeping_its_rows_and_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("../../../tests/fixtures/v1_sqlite.sql"))
            .unwrap();
        assert_eq!(version(&conn), 1);
        let rows = |conn: &Connection| {
            count(
                conn,
                "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM enrollments) + (SELECT count(*) FROM people_schools)",
            )
        };
        let before = rows(&conn);
        assert!(before > 30, "{before}");
        migrate(&mut conn, &sql::migrations(Dialect::Sqlite), "t").unwrap();
        assert_eq!(version(&conn), SCHEMA_VERSION);
        assert_eq!(rows(&conn), before);
        let indexes = count(
            &conn,
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE '%\\_idx' ESCAPE '\\'",
        );
        assert_eq!(
            usize::try_from(indexes).unwrap(),
            sql::secondary_indexes().len()
        );
    }
}
