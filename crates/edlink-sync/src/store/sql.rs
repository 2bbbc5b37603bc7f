//! The schema's DDL for both SQL dialects, built from [`crate::schema`], and
//! the migration list.

use crate::ResourceKind;
use crate::schema::{self, LINKS, LinkSpec};

/// The two SQL dialects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(all(feature = "sqlite", feature = "postgres")), allow(dead_code))]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    fn uuid(self) -> &'static str {
        match self {
            Self::Sqlite => "TEXT",
            Self::Postgres => "uuid",
        }
    }
    fn json(self) -> &'static str {
        match self {
            Self::Sqlite => "TEXT",
            // `json` (not `jsonb`) keeps the exact text.
            Self::Postgres => "json",
        }
    }
    fn int(self) -> &'static str {
        match self {
            Self::Sqlite => "INTEGER",
            Self::Postgres => "bigint",
        }
    }
    fn time(self) -> &'static str {
        match self {
            Self::Sqlite => "TEXT",
            Self::Postgres => "timestamptz",
        }
    }
    fn link_table_suffix(self) -> &'static str {
        match self {
            Self::Sqlite => " WITHOUT ROWID",
            Self::Postgres => "",
        }
    }
}

/// `CREATE TABLE` of an object table (one per collection).
fn object_table(d: Dialect, kind: ResourceKind) -> String {
    let mut sql = format!(
        "CREATE TABLE {t} (\n    integration_id {u} NOT NULL,\n    id {u} NOT NULL,\n",
        t = kind.table(),
        u = d.uuid()
    );
    for c in schema::table(kind).columns {
        sql.push_str(&format!("    {c} {},\n", d.uuid()));
    }
    sql.push_str(&format!(
        "    generation {} NOT NULL,\n    data {} NOT NULL,\n    PRIMARY KEY (integration_id, id)\n)",
        d.int(),
        d.json()
    ));
    sql
}

/// `CREATE TABLE` of a link table.
fn link_table(d: Dialect, link: LinkSpec) -> String {
    format!(
        "CREATE TABLE {t} (\n    integration_id {u} NOT NULL,\n    {o} {u} NOT NULL,\n    {x} {u} NOT NULL,\n    generation {i} NOT NULL,\n    PRIMARY KEY (integration_id, {o}, {x})\n){s}",
        t = link.table,
        o = link.owner,
        x = link.other,
        u = d.uuid(),
        i = d.int(),
        s = d.link_table_suffix()
    )
}

fn checkpoints_table(d: Dialect) -> String {
    format!(
        "CREATE TABLE sync_checkpoints (
    integration_id {u} NOT NULL PRIMARY KEY,
    phase TEXT NOT NULL CHECK (phase IN ('full', 'incremental')),
    resource TEXT,
    last_id {u},
    generation {i} NOT NULL,
    event_id {u},
    full_started_at {t},
    full_finished_at {t},
    updated_at {t} NOT NULL
)",
        u = d.uuid(),
        i = d.int(),
        t = d.time()
    )
}

/// Every integration the store knows (a checkpoint or any object), in id
/// order: the integrations an export walks. The same text in both dialects.
pub(crate) fn stored_integrations() -> String {
    let union = std::iter::once("SELECT integration_id FROM sync_checkpoints".to_owned())
        .chain(
            ResourceKind::ALL
                .iter()
                .map(|k| format!("SELECT integration_id FROM {}", k.table())),
        )
        .collect::<Vec<_>>()
        .join(" UNION ");
    format!("{union} ORDER BY 1")
}

/// One secondary index: its name, and the statement that creates it
/// (`IF NOT EXISTS` when asked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Index {
    pub name: String,
    table: &'static str,
    column: &'static str,
}

impl Index {
    pub(crate) fn create(&self, if_not_exists: bool) -> String {
        format!(
            "CREATE INDEX {}{} ON {} (integration_id, {})",
            if if_not_exists { "IF NOT EXISTS " } else { "" },
            self.name,
            self.table,
            self.column
        )
    }
}

/// The secondary indexes, `<table>_<column>_idx` on `(integration_id,
/// <column>)`: one per foreign-key column of an object table, one per link
/// table's listed id. (The primary keys are not among them.)
pub(crate) fn secondary_indexes() -> Vec<Index> {
    let of = |table: &'static str, column: &'static str| Index {
        name: format!("{table}_{column}_idx"),
        table,
        column,
    };
    let mut out: Vec<Index> = ResourceKind::ALL
        .iter()
        .flat_map(|k| schema::table(*k).columns.iter().map(|c| of(k.table(), c)))
        .collect();
    out.extend(LINKS.iter().map(|l| of(l.table, l.other)));
    out
}

/// How to reach the current schema from any version.
#[derive(Debug, Clone)]
pub(crate) struct Migrations {
    /// Creates the current version in an empty database: every table, but
    /// not the secondary indexes, which the first full sync builds when it
    /// finishes (inserting rows with random UUID keys into four indexes at
    /// once is what made a first sync slow; sorting them once is not).
    pub fresh: Vec<String>,
    /// `steps[n]` takes a database from version `n + 1` to `n + 2`.
    pub steps: Vec<Vec<String>>,
}

impl Migrations {
    /// The version these migrations reach.
    pub(crate) fn target(&self) -> i64 {
        i64::try_from(self.steps.len()).unwrap_or(i64::MAX) + 1
    }
}

/// The migrations of `d`. Versions:
///
/// 1. The tables and their secondary indexes.
/// 2. The same tables; in a new database the secondary indexes are built
///    when the first full sync finishes. The step from 1 makes sure they
///    all exist (a version-1 database has them), so that an older
///    edlink-sync, which would never build them, refuses a version-2
///    database instead.
pub(crate) fn migrations(d: Dialect) -> Migrations {
    let mut fresh: Vec<String> = ResourceKind::ALL
        .iter()
        .map(|k| object_table(d, *k))
        .collect();
    fresh.extend(LINKS.iter().map(|l| link_table(d, *l)));
    fresh.push(checkpoints_table(d));
    let v1_to_v2 = secondary_indexes().iter().map(|i| i.create(true)).collect();
    Migrations {
        fresh,
        steps: vec![v1_to_v2],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_reach_the_current_version() {
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            assert_eq!(migrations(d).target(), crate::SCHEMA_VERSION);
        }
    }

    /// The statements of the version-1 fixture (what the version-1 code
    /// created on Postgres).
    fn v1_postgres() -> Vec<String> {
        let fixture = include_str!("../../tests/fixtures/v1_postgres.sql");
        let body = fixture.split_once('\n').map_or("", |(_, rest)| rest);
        body.split(";\n")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn version_2_has_the_tables_and_indexes_of_version_1() {
        // The step from 1 to 2 creates no table and alters none: a new
        // database's tables must be version 1's, and the indexes the first
        // full sync builds must be version 1's.
        let v1 = v1_postgres();
        let fresh = migrations(Dialect::Postgres).fresh;
        let v1_tables: Vec<&String> = v1
            .iter()
            .filter(|s| s.starts_with("CREATE TABLE"))
            .collect();
        assert_eq!(fresh.iter().collect::<Vec<_>>(), v1_tables);
        let v1_indexes: Vec<&String> = v1
            .iter()
            .filter(|s| s.starts_with("CREATE INDEX"))
            .collect();
        let indexes: Vec<String> = secondary_indexes()
            .iter()
            .map(|i| i.create(false))
            .collect();
        assert_eq!(indexes.iter().collect::<Vec<_>>(), v1_indexes);
        assert_eq!(v1.len(), fresh.len() + indexes.len());

        let sqlite = include_str!("../../tests/fixtures/v1_sqlite.sql");
        for statement in migrations(Dialect::Sqlite).fresh.iter().chain(&indexes) {
            assert!(sqlite.contains(&format!("{statement};")), "{statement}");
        }
    }

    #[test]
    fn every_secondary_index_is_named_once() {
        let indexes = secondary_indexes();
        assert_eq!(indexes.len(), 15 + 2);
        let mut names: Vec<_> = indexes.iter().map(|i| i.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), indexes.len());
        assert!(names.contains(&"people_schools_school_id_idx"));
        assert_eq!(
            indexes[0].create(true),
            "CREATE INDEX IF NOT EXISTS schools_district_id_idx ON schools (integration_id, district_id)"
        );
    }
}
