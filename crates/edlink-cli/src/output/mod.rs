//! Writing items to stdout in the chosen format.

pub mod json;
pub mod table;

use std::io::{self, Write};

use edlink_client::RawJson;
use edlink_client::model::redact::{Mask, Redactor};

use crate::args::Format;
use crate::run::Kind;

/// Writes the items of a listing (or the one item of a `get`) in one format.
///
/// `json` and `jsonl` stream: each item is written as it comes and the output
/// is flushed after each page. `table` keeps one short row per item and
/// prints the aligned table at the end.
#[derive(Debug)]
pub struct Printer<W: Write> {
    out: W,
    format: Format,
    show_secrets: bool,
    table: table::Table,
    json: json::JsonArray,
}

impl<W: Write> Printer<W> {
    /// A printer of `kind` items to `out`.
    pub fn new(out: W, format: Format, kind: Kind, show_secrets: bool) -> Self {
        Self {
            out,
            format,
            show_secrets,
            table: table::Table::new(kind),
            json: json::JsonArray::default(),
        }
    }

    /// One item of a listing.
    pub fn item(&mut self, item: &RawJson) -> io::Result<()> {
        match self.format {
            Format::Table => {
                self.table.push(item);
                Ok(())
            }
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
        match self.format {
            Format::Table => Ok(()),
            Format::Json | Format::Jsonl => self.out.flush(),
        }
    }

    /// The end of a listing: closes the array or prints the table.
    pub fn finish_list(mut self) -> io::Result<()> {
        match self.format {
            Format::Table => self.table.write(&mut self.out)?,
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
                self.table.push(item);
                self.table.write(&mut self.out)?;
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
