//! `json` and `jsonl`: items exactly as Edlink sent them, one per line.

use std::io::{self, Write};

/// One JSON array written item by item: `[`, the items one per line separated
/// by commas, `]`. Memory stays flat whatever the number of items.
#[derive(Debug, Default)]
pub struct JsonArray {
    started: bool,
}

impl JsonArray {
    /// Writes one item (already masked).
    pub fn item(&mut self, out: &mut impl Write, text: &str) -> io::Result<()> {
        out.write_all(if self.started { b",\n" } else { b"[\n" })?;
        self.started = true;
        out.write_all(text.as_bytes())
    }

    /// Closes the array (`[]` when there was no item).
    pub fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(if self.started { b"\n]\n" } else { b"[]\n" })
    }
}

/// Writes one item (already masked) and a line break.
pub fn line(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays() -> io::Result<()> {
        let mut out = Vec::new();
        let mut array = JsonArray::default();
        array.finish(&mut out)?;
        assert_eq!(out, b"[]\n");
        let mut out = Vec::new();
        let mut array = JsonArray::default();
        array.item(&mut out, "{\"a\":1}")?;
        array.item(&mut out, "2")?;
        array.finish(&mut out)?;
        assert_eq!(String::from_utf8_lossy(&out), "[\n{\"a\":1},\n2\n]\n");
        Ok(())
    }
}
