//! Writing items to stdout in the chosen format.

pub mod json;
pub mod table;

use std::io::{self, Write};

use edlink_client::RawJson;
use edlink_client::model::redact::{Mask, Redactor};

use crate::args::Format;
use crate::run::Kind;

/// The width a table must fit: the terminal's, when stdout is one (`COLUMNS`
/// overrides what the terminal reports, as in most tools); none otherwise.
pub fn table_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    columns
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .filter(|w| *w > 0)
}

/// Writes the items of a listing (or the one item of a `get`) in one format.
///
/// Every format streams: memory stays flat however long the listing. `json`
/// and `jsonl` write each item as it comes; `table` holds the first page to
/// size its columns, then writes each row as it comes. The output is flushed
/// after each page.
#[derive(Debug)]
pub struct Printer<W: Write> {
    out: W,
    format: Format,
    show_secrets: bool,
    table: table::Table,
    json: json::JsonArray,
}

impl<W: Write> Printer<W> {
    /// A printer of `kind` items to `out`; a table fits `width` columns
    /// when given (writing to a terminal).
    pub fn new(
        out: W,
        format: Format,
        kind: Kind,
        show_secrets: bool,
        width: Option<usize>,
    ) -> Self {
        Self {
            out,
            format,
            show_secrets,
            table: table::Table::new(kind, width),
            json: json::JsonArray::default(),
        }
    }

    /// One item of a listing.
    pub fn item(&mut self, item: &RawJson) -> io::Result<()> {
        match self.format {
            Format::Table => self.table.push(item, &mut self.out),
            Format::Json => {
                let text = self.text(item);
                self.json.item(&mut self.out, &text)
            }
            Format::Jsonl => {
                let text = self.text(item);
                json::line(&mut self.out, &text)
            }
        }
    }

    /// The end of a page: what was written reaches the reader now.
    pub fn end_page(&mut self) -> io::Result<()> {
        if self.format == Format::Table {
            self.table.end_page(&mut self.out)?;
        }
        self.out.flush()
    }

    /// The end of a listing: closes the array or prints the table.
    pub fn finish_list(mut self) -> io::Result<()> {
        match self.format {
            Format::Table => self.table.finish(&mut self.out)?,
            Format::Json => self.json.finish(&mut self.out)?,
            Format::Jsonl => {}
        }
        self.out.flush()
    }

    /// `--count`: the number of items alone, whatever the format.
    pub fn count(mut self, count: u64) -> io::Result<()> {
        writeln!(self.out, "{count}")?;
        self.out.flush()
    }

    /// The one item of a `get`: a one-row table, or the object alone.
    pub fn single(mut self, item: &RawJson) -> io::Result<()> {
        match self.format {
            Format::Table => {
                self.table.push(item, &mut self.out)?;
                self.table.finish(&mut self.out)?;
            }
            Format::Json | Format::Jsonl => {
                let text = self.text(item);
                json::line(&mut self.out, &text)?;
            }
        }
        self.out.flush()
    }

    /// The item's JSON text as sent, secrets masked to their first 4
    /// characters (`HZ4M…`) unless `--show-secrets`: the SDK's one redaction
    /// routine, so the CLI hides exactly what errors and logs hide.
    fn text<'a>(&self, item: &'a RawJson) -> std::borrow::Cow<'a, str> {
        if self.show_secrets {
            std::borrow::Cow::Borrowed(item.as_str())
        } else {
            Redactor::new().mask(Mask::Prefix).redact(item.as_str())
        }
    }
}
