//! Writing items to stdout in the chosen format.

pub mod json;
pub mod table;

use std::io::{self, Write};

use edlink_client::RawJson;
use edlink_client::model::redact::Redactor;

use crate::args::Format;
use table::Column;

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
pub struct Printer<'s, W: Write> {
    out: W,
    format: Format,
    /// Masks secrets in what is printed; `None` with `--show-secrets`.
    redactor: Option<Redactor<'s>>,
    table: table::Table,
    json: json::JsonArray,
}

impl<'s, W: Write> Printer<'s, W> {
    /// A printer to `out`; a table has these columns and fits `width`
    /// terminal columns when given (writing to a terminal). Every item passes
    /// `redactor` (`None`: printed as sent, `--show-secrets`).
    pub fn new(
        out: W,
        format: Format,
        columns: Vec<Column>,
        redactor: Option<Redactor<'s>>,
        width: Option<usize>,
    ) -> Self {
        Self {
            out,
            format,
            redactor,
            table: table::Table::new(columns, width),
            json: json::JsonArray::default(),
        }
    }

    /// One item of a listing.
    pub fn item(&mut self, item: &RawJson) -> io::Result<()> {
        match self.format {
            Format::Table => self.table.push(item, self.redactor.as_ref(), &mut self.out),
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
                self.table
                    .push(item, self.redactor.as_ref(), &mut self.out)?;
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
        match &self.redactor {
            Some(redactor) => redactor.redact(item.as_str()),
            None => std::borrow::Cow::Borrowed(item.as_str()),
        }
    }
}
