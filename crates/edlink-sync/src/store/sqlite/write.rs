//! Writing a page into SQLite: the upserts, deletes and link rows of one
//! transaction, with each statement prepared once per page and ids bound
//! from stack buffers.

use rusqlite::{CachedStatement, Transaction};
use uuid::Uuid;

use super::super::sql;
use crate::ResourceKind;
use crate::schema::{self, LINKS};
use crate::{Change, StoredObject};

/// Rows per multi-row `INSERT` when a page is written.
const ROWS_PER_INSERT: usize = 64;

/// The `INSERT … ON CONFLICT DO UPDATE` of `rows` objects of `kind`:
/// `?1` is the integration, `?2` the generation, then per row the id, the
/// key columns and the data.
fn upsert_sql(kind: ResourceKind, rows: usize) -> String {
    let t = kind.table();
    let cols = schema::table(kind).columns;
    let names: String = cols.iter().map(|c| format!(", {c}")).collect();
    let per_row = cols.len() + 2;
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let at = 3 + r * per_row;
            let keys: String = (0..cols.len())
                .map(|i| format!(", ?{}", at + 1 + i))
                .collect();
            format!("(?1, ?{at}{keys}, ?2, ?{})", at + per_row - 1)
        })
        .collect();
    let sets: String = cols
        .iter()
        .map(|c| format!("{c} = excluded.{c}, "))
        .collect();
    format!(
        "INSERT INTO {t} (integration_id, id{names}, generation, data) VALUES {} \
         ON CONFLICT (integration_id, id) DO UPDATE SET {sets}generation = excluded.generation, data = excluded.data",
        values.join(", ")
    )
}

/// The SQL of every write, built once from the schema.
#[derive(Debug)]
pub(super) struct Statements {
    /// Per kind, in `ResourceKind::ALL` order: one row, and
    /// `ROWS_PER_INSERT` rows.
    upsert: Vec<String>,
    upsert_many: Vec<String>,
    delete: Vec<String>,
    pub(super) sweep: Vec<String>,
    /// Per link, in `LINKS` order.
    link_delete: Vec<String>,
    link_insert: Vec<String>,
    pub(super) link_sweep: Vec<String>,
    /// `CREATE INDEX IF NOT EXISTS` of every secondary index.
    pub(super) create_indexes: Vec<String>,
}

impl Statements {
    pub(super) fn new() -> Self {
        let mut s = Self {
            upsert: Vec::new(),
            upsert_many: Vec::new(),
            delete: Vec::new(),
            sweep: Vec::new(),
            link_delete: Vec::new(),
            link_insert: Vec::new(),
            link_sweep: Vec::new(),
            create_indexes: sql::secondary_indexes()
                .iter()
                .map(|i| i.create(true))
                .collect(),
        };
        for kind in ResourceKind::ALL {
            let t = kind.table();
            s.upsert.push(upsert_sql(kind, 1));
            s.upsert_many.push(upsert_sql(kind, ROWS_PER_INSERT));
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

/// The lower-case hyphenated text of a UUID (as the schema stores ids),
/// written into a buffer on the stack: binding an id allocates nothing.
struct IdText([u8; 36]);

impl IdText {
    fn new(id: Uuid) -> Self {
        let mut buf = [0u8; 36];
        id.hyphenated().encode_lower(&mut buf);
        Self(buf)
    }

    fn as_str(&self) -> &str {
        // `encode_lower` wrote 36 ASCII characters: always valid UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
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

/// A statement prepared on first use and kept for the rest of the page.
type Slot<'t> = Option<CachedStatement<'t>>;

fn prepared<'s, 't>(
    slot: &'s mut Slot<'t>,
    tx: &'t Transaction<'_>,
    sql: &str,
) -> rusqlite::Result<&'s mut CachedStatement<'t>> {
    if slot.is_none() {
        *slot = Some(tx.prepare_cached(sql)?);
    }
    // Just filled when it was empty.
    slot.as_mut().ok_or(rusqlite::Error::InvalidQuery)
}

/// Writes the objects and changes of one transaction. Each statement is
/// looked up in the connection's cache once per page, not once per row.
pub(super) struct PageWriter<'t> {
    tx: &'t Transaction<'t>,
    st: &'t Statements,
    integration: IdText,
    generation: i64,
    upsert: [Slot<'t>; 9],
    upsert_many: [Slot<'t>; 9],
    delete: [Slot<'t>; 9],
    link_delete: [Slot<'t>; 2],
    link_insert: [Slot<'t>; 2],
}

impl<'t> PageWriter<'t> {
    pub(super) fn new(
        tx: &'t Transaction<'t>,
        st: &'t Statements,
        integration: Uuid,
        generation: i64,
    ) -> Self {
        Self {
            tx,
            st,
            integration: IdText::new(integration),
            generation,
            upsert: Default::default(),
            upsert_many: Default::default(),
            delete: Default::default(),
            link_delete: Default::default(),
            link_insert: Default::default(),
        }
    }

    /// Applies one change.
    pub(super) fn change(&mut self, change: &Change) -> rusqlite::Result<()> {
        match change {
            Change::Upsert(o) => {
                self.upsert(o)?;
                self.replace_links(o)
            }
            Change::Delete { kind, id } => self.delete(*kind, *id),
        }
    }

    /// Inserts or replaces a page of objects, `ROWS_PER_INSERT` per
    /// statement, and replaces their links. `Err` names the first object of
    /// the statement that failed.
    pub(super) fn upsert_page(
        &mut self,
        objects: &[StoredObject],
    ) -> Result<(), (usize, rusqlite::Error)> {
        let mut at = 0;
        while at < objects.len() {
            let kind = objects[at].kind();
            let run = objects[at..]
                .iter()
                .take(ROWS_PER_INSERT)
                .take_while(|o| o.kind() == kind)
                .count();
            let chunk = &objects[at..at + run];
            let written = if run == ROWS_PER_INSERT {
                self.upsert_rows(chunk)
            } else {
                chunk.iter().try_for_each(|o| self.upsert(o))
            };
            written.map_err(|e| (at, e))?;
            for object in chunk {
                self.replace_links(object).map_err(|e| (at, e))?;
            }
            at += run;
        }
        Ok(())
    }

    /// `ROWS_PER_INSERT` objects of one kind in one statement.
    fn upsert_rows(&mut self, objects: &[StoredObject]) -> rusqlite::Result<()> {
        let Some(first) = objects.first() else {
            return Ok(());
        };
        let k = kind_index(first.kind());
        let stmt = prepared(&mut self.upsert_many[k], self.tx, &self.st.upsert_many[k])?;
        stmt.raw_bind_parameter(1, self.integration.as_str())?;
        stmt.raw_bind_parameter(2, self.generation)?;
        let mut at = 3;
        for object in objects {
            let id = IdText::new(object.id());
            stmt.raw_bind_parameter(at, id.as_str())?;
            at += 1;
            for (_, key) in object.key_columns() {
                let text = key.map(IdText::new);
                stmt.raw_bind_parameter(at, text.as_ref().map(IdText::as_str))?;
                at += 1;
            }
            stmt.raw_bind_parameter(at, object.json())?;
            at += 1;
        }
        stmt.raw_execute().map(drop)
    }

    /// Inserts or replaces an object, tagged with the page's generation.
    fn upsert(&mut self, object: &StoredObject) -> rusqlite::Result<()> {
        let k = kind_index(object.kind());
        let id = IdText::new(object.id());
        let stmt = prepared(&mut self.upsert[k], self.tx, &self.st.upsert[k])?;
        stmt.raw_bind_parameter(1, self.integration.as_str())?;
        stmt.raw_bind_parameter(2, self.generation)?;
        stmt.raw_bind_parameter(3, id.as_str())?;
        let mut at = 4;
        for (_, key) in object.key_columns() {
            let text = key.map(IdText::new);
            stmt.raw_bind_parameter(at, text.as_ref().map(IdText::as_str))?;
            at += 1;
        }
        stmt.raw_bind_parameter(at, object.json())?;
        stmt.raw_execute()?;
        Ok(())
    }

    /// Replaces the link rows of an object.
    fn replace_links(&mut self, object: &StoredObject) -> rusqlite::Result<()> {
        let id = IdText::new(object.id());
        for (link, ids) in object.link_lists() {
            let l = link_index(link.table);
            self.delete_links(l, &id)?;
            let insert = prepared(&mut self.link_insert[l], self.tx, &self.st.link_insert[l])?;
            for other in ids {
                let other = IdText::new(*other);
                insert.raw_bind_parameter(1, self.integration.as_str())?;
                insert.raw_bind_parameter(2, id.as_str())?;
                insert.raw_bind_parameter(3, other.as_str())?;
                insert.raw_bind_parameter(4, self.generation)?;
                insert.raw_execute()?;
            }
        }
        Ok(())
    }

    /// Removes an object and its links; nothing when absent.
    fn delete(&mut self, kind: ResourceKind, id: Uuid) -> rusqlite::Result<()> {
        let k = kind_index(kind);
        let id = IdText::new(id);
        let stmt = prepared(&mut self.delete[k], self.tx, &self.st.delete[k])?;
        stmt.raw_bind_parameter(1, self.integration.as_str())?;
        stmt.raw_bind_parameter(2, id.as_str())?;
        stmt.raw_execute()?;
        for link in schema::table(kind).links {
            self.delete_links(link_index(link.table), &id)?;
        }
        Ok(())
    }

    fn delete_links(&mut self, l: usize, owner: &IdText) -> rusqlite::Result<()> {
        let stmt = prepared(&mut self.link_delete[l], self.tx, &self.st.link_delete[l])?;
        stmt.raw_bind_parameter(1, self.integration.as_str())?;
        stmt.raw_bind_parameter(2, owner.as_str())?;
        stmt.raw_execute().map(drop)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::store::sql::{self, Dialect};
    use rusqlite::Connection;

    fn person(n: u128, name: &str, schools: &[u128]) -> StoredObject {
        let schools: Vec<String> = schools
            .iter()
            .map(|s| format!("\"{}\"", Uuid::from_u128(*s)))
            .collect();
        StoredObject::from_json(
            ResourceKind::People,
            format!(
                r#"{{"id":"{}","name":"{name}","district_id":"{}","school_ids":[{}]}}"#,
                Uuid::from_u128(n),
                Uuid::from_u128(0xd),
                schools.join(",")
            ),
        )
        .unwrap()
    }

    #[test]
    fn a_page_written_many_rows_per_statement_equals_one_row_at_a_time() {
        // 2 full statements and a remainder, with an id repeated inside the
        // first statement and across statements: the later object wins, as
        // when rows are written one by one.
        let mut page: Vec<StoredObject> = (0..150u128)
            .map(|n| person(n, &format!("p{n}"), &[1000 + n % 3]))
            .collect();
        page[40] = person(3, "again", &[7, 8]);
        page[100] = person(5, "later", &[]);
        page.push(person(6, "last", &[9]));
        let write = |many: bool| {
            let mut conn = Connection::open_in_memory().unwrap();
            super::super::migrate::migrate(&mut conn, &sql::migrations(Dialect::Sqlite), "t")
                .unwrap();
            let st = Statements::new();
            let tx = conn.transaction().unwrap();
            let mut w = PageWriter::new(&tx, &st, Uuid::from_u128(1), 4);
            if many {
                w.upsert_page(&page).unwrap();
            } else {
                for o in &page {
                    w.change(&Change::Upsert(o.clone())).unwrap();
                }
            }
            drop(w);
            tx.commit().unwrap();
            let rows = |sql: &str| -> Vec<String> {
                let mut stmt = conn.prepare(sql).unwrap();
                stmt.query_map([], |r| r.get::<_, String>(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            };
            (
                rows(
                    "SELECT id || ' ' || district_id || ' ' || generation || ' ' || data FROM people ORDER BY id",
                ),
                rows(
                    "SELECT person_id || ' ' || school_id || ' ' || generation FROM people_schools ORDER BY 1",
                ),
            )
        };
        let (people, links) = write(true);
        assert_eq!((people.clone(), links.clone()), write(false));
        // 0..150 without 40 and 100, whose places went to 3 and 5 again.
        assert_eq!(people.len(), 148);
        let three = Uuid::from_u128(3).to_string();
        assert!(
            people
                .iter()
                .any(|r| r.starts_with(&three) && r.contains("again"))
        );
        let mine: Vec<&String> = links.iter().filter(|l| l.starts_with(&three)).collect();
        assert_eq!(mine.len(), 2, "{mine:?}");
        let five = Uuid::from_u128(5).to_string();
        assert!(!links.iter().any(|l| l.starts_with(&five)));
        assert!(
            people.iter().all(|r| r.contains(" 4 {")),
            "generation 4 everywhere"
        );
    }

    #[test]
    fn ids_are_bound_as_lower_case_hyphenated_text() {
        let id = Uuid::from_u128(0xABCD_EF01_2345_6789_ABCD_EF01_2345_6789);
        assert_eq!(IdText::new(id).as_str(), id.hyphenated().to_string());
        assert_eq!(
            IdText::new(id).as_str(),
            "abcdef01-2345-6789-abcd-ef0123456789"
        );
    }
}
