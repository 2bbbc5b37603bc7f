//! The schema's DDL for both SQL dialects, built from [`crate::schema`], and
//! the migration list.

use crate::ResourceKind;
use crate::schema::{self, LINKS};

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

/// The statements that create schema version 1, in order.
pub(crate) fn schema_v1(d: Dialect) -> Vec<String> {
    let mut out = Vec::new();
    for kind in ResourceKind::ALL {
        let t = kind.table();
        let spec = schema::table(kind);
        let mut cols = format!(
            "CREATE TABLE {t} (\n    integration_id {u} NOT NULL,\n    id {u} NOT NULL,\n",
            u = d.uuid()
        );
        for c in spec.columns {
            cols.push_str(&format!("    {c} {},\n", d.uuid()));
        }
        cols.push_str(&format!(
            "    generation {} NOT NULL,\n    data {} NOT NULL,\n    PRIMARY KEY (integration_id, id)\n)",
            d.int(),
            d.json()
        ));
        out.push(cols);
        for c in spec.columns {
            out.push(format!(
                "CREATE INDEX {t}_{c}_idx ON {t} (integration_id, {c})"
            ));
        }
    }
    for link in LINKS {
        out.push(format!(
            "CREATE TABLE {t} (\n    integration_id {u} NOT NULL,\n    {o} {u} NOT NULL,\n    {x} {u} NOT NULL,\n    generation {i} NOT NULL,\n    PRIMARY KEY (integration_id, {o}, {x})\n){s}",
            t = link.table,
            o = link.owner,
            x = link.other,
            u = d.uuid(),
            i = d.int(),
            s = d.link_table_suffix()
        ));
        out.push(format!(
            "CREATE INDEX {t}_{x}_idx ON {t} (integration_id, {x})",
            t = link.table,
            x = link.other
        ));
    }
    out.push(format!(
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
    ));
    out
}

/// The migrations: `MIGRATIONS[n]` takes the schema from version `n` to
/// `n + 1`. Version 0 is an empty database.
pub(crate) fn migrations(d: Dialect) -> Vec<Vec<String>> {
    vec![schema_v1(d)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_reach_the_current_version() {
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            assert_eq!(
                i64::try_from(migrations(d).len()).ok(),
                Some(crate::SCHEMA_VERSION)
            );
        }
    }

    #[test]
    fn every_table_and_index_is_created_once() {
        let v1 = schema_v1(Dialect::Postgres);
        let tables = v1.iter().filter(|s| s.starts_with("CREATE TABLE")).count();
        assert_eq!(tables, 9 + 2 + 1);
        let mut names: Vec<_> = v1
            .iter()
            .filter_map(|s| s.split_whitespace().nth(2))
            .collect();
        let before = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), before);
        assert!(
            v1.iter()
                .any(|s| s.contains("people_schools_school_id_idx"))
        );
    }
}
