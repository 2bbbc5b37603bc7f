//! Writing a page into SQLite: the upserts, deletes and link rows of one
//! transaction, with each statement prepared once per page and ids bound
//! from stack buffers.

use rusqlite::{CachedStatement, Transaction};
use uuid::Uuid;

use super::super::sql;
use crate::ResourceKind;
use crate::schema::{self, LINKS};
use crate::{Change, StoredObject};

/// The SQL of every write, built once from the schema.
#[derive(Debug)]
pub(super) struct Statements {
    /// Per kind, in `ResourceKind::ALL` order.
    upsert: Vec<String>,
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
            delete: Default::default(),
            link_delete: Default::default(),
            link_insert: Default::default(),
        }
    }

    /// Applies one change.
    pub(super) fn change(&mut self, change: &Change) -> rusqlite::Result<()> {
        match change {
            Change::Upsert(o) => self.upsert(o),
            Change::Delete { kind, id } => self.delete(*kind, *id),
        }
    }

    /// Inserts or replaces an object, tagged with the page's generation, and
    /// replaces its links.
    pub(super) fn upsert(&mut self, object: &StoredObject) -> rusqlite::Result<()> {
        let k = kind_index(object.kind());
        let id = IdText::new(object.id());
        let stmt = prepared(&mut self.upsert[k], self.tx, &self.st.upsert[k])?;
        stmt.raw_bind_parameter(1, self.integration.as_str())?;
        stmt.raw_bind_parameter(2, id.as_str())?;
        let mut at = 3;
        for (_, key) in object.key_columns() {
            let text = key.map(IdText::new);
            stmt.raw_bind_parameter(at, text.as_ref().map(IdText::as_str))?;
            at += 1;
        }
        stmt.raw_bind_parameter(at, self.generation)?;
        stmt.raw_bind_parameter(at + 1, object.json())?;
        stmt.raw_execute()?;
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
    use super::*;

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
