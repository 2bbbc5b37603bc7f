//! The progress line of a long listing, on stderr when it is a terminal.

use std::io::{self, IsTerminal, Write};

/// A `\r`-rewritten line: `N pages, M items so far`. Silent unless stderr is a
/// terminal and `--quiet` was not given, so pipes and logs never see it.
#[derive(Debug)]
pub struct Progress {
    enabled: bool,
    shown: bool,
}

impl Progress {
    /// A progress line, shown only where it helps.
    pub fn new(quiet: bool) -> Self {
        Self {
            enabled: !quiet && io::stderr().is_terminal(),
            shown: false,
        }
    }

    /// Shows the counts after a page (only while more pages are coming).
    pub fn update(&mut self, pages: u64, items: u64, more: bool) {
        if !self.enabled || !more {
            return;
        }
        let mut stderr = io::stderr().lock();
        let _ = write!(stderr, "\r\x1b[2Kpage {pages}, {items} items so far…");
        let _ = stderr.flush();
        self.shown = true;
    }

    /// Erases the line, before output goes to the same terminal or at the end.
    pub fn clear(&mut self) {
        if self.shown {
            let mut stderr = io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
            self.shown = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}
