//! `table`: aligned columns, a few per kind of item.

use std::io::{self, Write};

use edlink_client::RawJson;
use serde_json::Value;

use crate::run::Kind;

/// A column: its title and where its value is in the item (a JSON pointer).
type Column = (&'static str, &'static str);

const INTEGRATIONS: &[Column] = &[
    ("ID", "/id"),
    ("STATUS", "/status"),
    ("SOURCE", "/source/name"),
    ("PROVIDER", "/provider/name"),
    ("TEAM", "/team/name"),
    ("CREATED", "/created_date"),
];

const PROVIDERS: &[Column] = &[
    ("ID", "/id"),
    ("NAME", "/name"),
    ("APPLICATION", "/application"),
    ("DATA SYNC", "/allows_data_sync"),
];

const PERMISSIONS: &[Column] = &[
    ("ID", "/id"),
    ("GROUP", "/group"),
    ("NAME", "/name"),
    ("SCOPED", "/scoped"),
];

/// The columns shown for a kind of item.
fn columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Integrations => INTEGRATIONS,
        Kind::Providers => PROVIDERS,
        Kind::Permissions => PERMISSIONS,
    }
}

/// Rows kept until the end, when the column widths are known. Each row holds
/// only its few short cells, never the item.
#[derive(Debug)]
pub struct Table {
    columns: &'static [Column],
    rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table for `kind` items.
    pub fn new(kind: Kind) -> Self {
        Self {
            columns: columns(kind),
            rows: Vec::new(),
        }
    }

    /// Adds the row of one item.
    pub fn push(&mut self, item: &RawJson) {
        let value = item.to_value().unwrap_or(Value::Null);
        let row = self
            .columns
            .iter()
            .map(|(_, pointer)| cell(value.pointer(pointer)))
            .collect();
        self.rows.push(row);
    }

    /// Writes the titles and the rows, each column as wide as its widest cell,
    /// two spaces apart, no trailing spaces.
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let titles: Vec<String> = self.columns.iter().map(|(t, _)| (*t).to_owned()).collect();
        let mut widths: Vec<usize> = titles.iter().map(|t| width(t)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        for row in std::iter::once(&titles).chain(&self.rows) {
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.extend(std::iter::repeat_n(' ', w - width(cell)));
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// How wide a cell is on a terminal (one column per character).
fn width(text: &str) -> usize {
    text.chars().count()
}

/// One value as a cell: strings as they are (control characters escaped, so
/// nothing from the API can move the cursor), `-` for missing or null.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) if s.is_empty() => "-".to_owned(),
        Some(Value::String(s)) => s.chars().flat_map(printable).collect(),
        Some(other) => other.to_string(),
    }
}

fn printable(c: char) -> Vec<char> {
    if c.is_control() {
        c.escape_default().collect()
    } else {
        vec![c]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_without_trailing_spaces() -> Result<(), Box<dyn std::error::Error>> {
        let mut table = Table::new(Kind::Providers);
        let a: RawJson = serde_json::from_str(
            r#"{"id":"1","name":"Canvas","application":"canvas","allows_data_sync":true}"#,
        )?;
        let b: RawJson =
            serde_json::from_str(r#"{"id":"22","name":"Bad\nName","allows_data_sync":null}"#)?;
        table.push(&a);
        table.push(&b);
        let mut out = Vec::new();
        table.write(&mut out)?;
        assert_eq!(
            String::from_utf8(out)?,
            "ID  NAME       APPLICATION  DATA SYNC\n\
             1   Canvas     canvas       true\n\
             22  Bad\\nName  -            -\n"
        );
        Ok(())
    }
}
