//! `table`: aligned columns, a few per kind of item, streamed.
//!
//! Memory stays flat however long the listing: the column widths are sized
//! from the first page, which is held until it is complete; every later row
//! is written as it comes, a cell that does not fit cut with `…`. On a
//! terminal the table fits its width: the free-text columns (names) give up
//! room first, as `gh` does. `--format json|jsonl` are never cut.

use std::borrow::Cow;
use std::io::{self, Write};

use edlink_client::RawJson;
use edlink_client::model::redact::Redactor;
use serde_json::Value;

use crate::run::Kind;

/// A column: its title, where its value is in the item (a JSON pointer), and
/// whether it is free text that may be cut to fit the terminal.
#[derive(Debug, Clone)]
pub struct Column {
    title: Cow<'static, str>,
    pointer: Cow<'static, str>,
    flex: bool,
}

/// A column that is never cut (ids, dates, short codes).
pub const fn fixed(title: &'static str, pointer: &'static str) -> Column {
    Column {
        title: Cow::Borrowed(title),
        pointer: Cow::Borrowed(pointer),
        flex: false,
    }
}

/// A free-text column (names, lists), cut first to fit the terminal.
pub const fn text(title: &'static str, pointer: &'static str) -> Column {
    Column {
        title: Cow::Borrowed(title),
        pointer: Cow::Borrowed(pointer),
        flex: true,
    }
}

impl Column {
    /// The column of one top-level member, named by the user (`--fields`):
    /// titled by its name in capitals (`first_name` → `FIRST NAME`), free text.
    pub fn member(name: &str) -> Self {
        Self {
            title: Cow::Owned(name.replace('_', " ").to_uppercase()),
            pointer: Cow::Owned(format!("/{}", name.replace('~', "~0").replace('/', "~1"))),
            flex: true,
        }
    }
}

const INTEGRATIONS: &[Column] = &[
    fixed("ID", "/id"),
    // Unknown statuses can be long (`paused_by_district`): cut them too.
    text("STATUS", "/status"),
    text("SOURCE", "/source/name"),
    text("PROVIDER", "/provider/name"),
    text("TEAM", "/team/name"),
    fixed("CREATED", "/created_date"),
];

const PROVIDERS: &[Column] = &[
    fixed("ID", "/id"),
    text("NAME", "/name"),
    fixed("APPLICATION", "/application"),
    fixed("DATA SYNC", "/allows_data_sync"),
];

const PERMISSIONS: &[Column] = &[
    fixed("ID", "/id"),
    text("GROUP", "/group"),
    text("NAME", "/name"),
    fixed("SCOPED", "/scoped"),
];

/// The columns shown for a kind of v1 item.
pub fn columns(kind: Kind) -> Vec<Column> {
    match kind {
        Kind::Integrations => INTEGRATIONS.to_vec(),
        Kind::Providers => PROVIDERS.to_vec(),
        Kind::Permissions => PERMISSIONS.to_vec(),
    }
}

/// A free-text column is never cut below this (or its title).
const MIN_FLEX: usize = 5;

/// Two spaces between columns.
const GAP: usize = 2;

/// The table of one listing, written as it goes.
#[derive(Debug)]
pub struct Table {
    columns: Vec<Column>,
    /// The terminal's width, when writing to one.
    max_width: Option<usize>,
    /// The rows of the first page, until the widths are known.
    first_page: Vec<Vec<String>>,
    /// The column widths, once the first page is complete.
    widths: Option<Vec<usize>>,
}

impl Table {
    /// An empty table with these columns, fitting `max_width` columns if given.
    pub fn new(columns: Vec<Column>, max_width: Option<usize>) -> Self {
        Self {
            columns,
            max_width,
            first_page: Vec::new(),
            widths: None,
        }
    }

    /// Adds the row of one item: held while the first page lasts, written
    /// at once after. Each cell passes `redactor` when given (secrets are
    /// masked in tables too, unless `--show-secrets`).
    pub fn push(
        &mut self,
        item: &RawJson,
        redactor: Option<&Redactor<'_>>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let value = item.to_value().unwrap_or(Value::Null);
        let row: Vec<String> = self
            .columns
            .iter()
            .map(|c| {
                let cell = cell(value.pointer(&c.pointer));
                match redactor {
                    Some(redactor) => redactor.redact(&cell).into_owned(),
                    None => cell,
                }
            })
            .collect();
        match &self.widths {
            Some(widths) => write_row(out, &row, widths),
            None => {
                self.first_page.push(row);
                Ok(())
            }
        }
    }

    /// The end of a page: after the first, the widths are fixed and the
    /// titles and held rows are written.
    pub fn end_page(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.widths.is_some() {
            return Ok(());
        }
        let widths = self.fit();
        let titles: Vec<String> = self.columns.iter().map(|c| c.title.to_string()).collect();
        write_row(out, &titles, &widths)?;
        for row in std::mem::take(&mut self.first_page) {
            write_row(out, &row, &widths)?;
        }
        self.widths = Some(widths);
        Ok(())
    }

    /// The end of the listing (a listing without pages still gets titles).
    pub fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        self.end_page(out)
    }

    /// Each column as wide as its widest cell of the first page; then, while
    /// the row is wider than the terminal, the widest free-text column gives
    /// up one character (down to [`MIN_FLEX`] or its title).
    fn fit(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.columns.iter().map(|c| width(&c.title)).collect();
        for row in &self.first_page {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let Some(max) = self.max_width else {
            return widths;
        };
        let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * w.len().saturating_sub(1);
        while total(&widths) > max {
            let widest = self
                .columns
                .iter()
                .zip(&widths)
                .enumerate()
                .filter(|(_, (c, w))| c.flex && **w > MIN_FLEX.max(width(&c.title)))
                .max_by_key(|(_, (_, w))| **w)
                .map(|(i, _)| i);
            match widest {
                Some(i) => widths[i] -= 1,
                // Nothing left to give: the terminal wraps what remains.
                None => break,
            }
        }
        widths
    }
}

/// One row: each cell cut to its width (with `…`) and padded, two spaces
/// apart, no trailing spaces.
fn write_row(out: &mut impl Write, row: &[String], widths: &[usize]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, &w)) in row.iter().zip(widths).enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let shown = fit_cell(cell, w);
        let pad = w.saturating_sub(width(&shown));
        line.push_str(&shown);
        if i + 1 < row.len() {
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// `cell` if it fits in `w` columns, else its first `w - 1` characters and `…`.
fn fit_cell(cell: &str, w: usize) -> String {
    if width(cell) <= w {
        cell.to_owned()
    } else {
        let mut cut: String = cell.chars().take(w.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// How wide a cell is on a terminal (one column per character).
fn width(text: &str) -> usize {
    text.chars().count()
}

/// One value as a cell: strings as they are (control characters escaped, so
/// nothing from the API can move the cursor), `-` for missing, null or
/// empty, a list as `a,b,c` (`roles`, `grade_levels`), and an object (an
/// expansion such as a person's `schools` or `district`) by its label.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(s)) if s.is_empty() => "-".to_owned(),
        Some(Value::String(s)) => s.chars().flat_map(printable).collect(),
        Some(Value::Array(items)) if items.is_empty() => "-".to_owned(),
        Some(Value::Array(items)) if items.iter().all(|i| !i.is_array()) => items
            .iter()
            .map(|item| cell(Some(item)))
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(object)) => match LABELS.iter().find_map(|k| object.get(*k)) {
            Some(label) if !label.is_object() && !label.is_array() => cell(Some(label)),
            // JSON text: serde_json escapes every control character.
            _ => Value::Object(object.clone()).to_string(),
        },
        Some(other) => other.to_string(),
    }
}

/// The members that name an object in a cell, in order of preference.
const LABELS: [&str; 3] = ["name", "display_name", "id"];

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

    fn raw(text: &str) -> RawJson {
        RawJson::from_text(text.to_owned()).unwrap_or_else(|_| RawJson::from_value(&Value::Null))
    }

    fn provider(id: &str, name: &str) -> RawJson {
        raw(&serde_json::json!({"id": id, "name": name, "application": "canvas", "allows_data_sync": true}).to_string())
    }

    fn render(table: &mut Table, pages: &[Vec<RawJson>]) -> String {
        let mut out = Vec::new();
        for page in pages {
            for item in page {
                table.push(item, None, &mut out).unwrap_or_default();
            }
            table.end_page(&mut out).unwrap_or_default();
        }
        table.finish(&mut out).unwrap_or_default();
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn aligned_without_trailing_spaces() {
        let mut table = Table::new(columns(Kind::Providers), None);
        let a = raw(r#"{"id":"1","name":"Canvas","application":"canvas","allows_data_sync":true}"#);
        let b = raw(r#"{"id":"22","name":"Bad\nName","allows_data_sync":null}"#);
        assert_eq!(
            render(&mut table, &[vec![a, b]]),
            "ID  NAME       APPLICATION  DATA SYNC\n\
             1   Canvas     canvas       true\n\
             22  Bad\\nName  -            -\n"
        );
    }

    #[test]
    fn later_pages_stream_with_the_first_page_widths() {
        let mut table = Table::new(columns(Kind::Providers), None);
        let first = vec![provider("1", "Canvas")];
        let second = vec![provider("2", "A much longer provider name")];
        let text = render(&mut table, &[first, second]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        // NAME is 6 wide (from "Canvas"): the later, longer name is cut.
        assert_eq!(lines[2], "2   A muc…  canvas       true");
        assert!(
            table.first_page.is_empty(),
            "nothing is held after the first page"
        );
    }

    #[test]
    fn a_terminal_width_is_kept_by_cutting_free_text_columns() {
        let long = "Riverside Unified School District of the Green Valley";
        let items: Vec<RawJson> = (0..3)
            .map(|i| {
                raw(&serde_json::json!({
                    "id": format!("77a69705-41a7-49cb-0fe8-ffd425f9716{i}"),
                    "status": "active",
                    "source": {"name": format!("{long} Canvas")},
                    "provider": {"name": "Canvas"},
                    "team": {"name": long},
                    "created_date": "2020-02-14T19:26:00.188Z"
                })
                .to_string())
            })
            .collect();
        let wide = render(
            &mut Table::new(columns(Kind::Integrations), None),
            std::slice::from_ref(&items),
        );
        assert!(wide.lines().any(|l| width(l) > 150), "{wide}");
        let narrow = render(
            &mut Table::new(columns(Kind::Integrations), Some(100)),
            &[items],
        );
        for line in narrow.lines() {
            assert!(width(line) <= 100, "{} > 100: {line}", width(line));
        }
        // The fixed columns are whole; the free text is cut with an ellipsis.
        assert!(
            narrow.contains("77a69705-41a7-49cb-0fe8-ffd425f97160  active"),
            "{narrow}"
        );
        assert!(narrow.contains("2020-02-14T19:26:00.188Z"), "{narrow}");
        assert!(narrow.contains('…'), "{narrow}");
    }

    #[test]
    fn lists_of_scalars_are_joined_and_members_titled() {
        let item = raw(
            r#"{"id":"1","roles":["student","guardian"],"grade_levels":[],"school_ids":null,"properties":{"a":[1]},"a/b":"x","schools":[{"id":"s1","name":"North"},{"id":"s2"}],"district":{"id":"d","display_name":"Metro"}}"#,
        );
        let columns = vec![
            fixed("ID", "/id"),
            text("ROLES", "/roles"),
            text("GRADES", "/grade_levels"),
            text("SCHOOLS", "/school_ids"),
            text("PROPERTIES", "/properties"),
            Column::member("a/b"),
            Column::member("first_name"),
            Column::member("schools"),
            Column::member("district"),
        ];
        assert_eq!(
            render(&mut Table::new(columns, None), &[vec![item]]),
            "ID  ROLES             GRADES  SCHOOLS  PROPERTIES  A/B  FIRST NAME  SCHOOLS   DISTRICT\n\
             1   student,guardian  -       -        {\"a\":[1]}   x    -           North,s2  Metro\n"
        );
    }

    #[test]
    fn cells_pass_the_redactor() {
        let item = raw(r#"{"id":"1","name":"secret-token-123 here"}"#);
        let redactor = Redactor::new().known_secret("secret-token-123");
        let mut table = Table::new(vec![fixed("ID", "/id"), text("NAME", "/name")], None);
        let mut out = Vec::new();
        table
            .push(&item, Some(&redactor), &mut out)
            .unwrap_or_default();
        table.finish(&mut out).unwrap_or_default();
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(text.contains("[redacted] here"), "{text}");
        assert!(!text.contains("secret-token-123"), "{text}");
    }

    #[test]
    fn an_empty_listing_still_has_titles() {
        assert_eq!(
            render(&mut Table::new(columns(Kind::Permissions), Some(80)), &[]),
            "ID  GROUP  NAME  SCOPED\n"
        );
    }
}
