//! `edlink login --open`: hands the login URL to the user's browser, as
//! `gh auth login` offers to. `$BROWSER` first (the convention of many Unix
//! tools, and the way a test or a headless box substitutes its own), else
//! the platform's opener. No crate: it is one process to start.

use std::ffi::OsString;
use std::io;
use std::process::{Command, Stdio};

/// The command that opens `url`: `$BROWSER URL`, else `open` (macOS),
/// `cmd /C start "" URL` (Windows) or `xdg-open` (elsewhere).
fn opener(browser: Option<OsString>, url: &str) -> Command {
    if let Some(browser) = browser.filter(|b| !b.is_empty()) {
        let mut command = Command::new(browser);
        command.arg(url);
        return command;
    }
    if cfg!(target_os = "macos") {
        let mut command = Command::new("open");
        command.arg(url);
        command
    } else if cfg!(windows) {
        let mut command = Command::new("cmd");
        command.args(["/C", "start", "", url]);
        command
    } else {
        let mut command = Command::new("xdg-open");
        command.arg(url);
        command
    }
}

/// Starts the browser on `url` without waiting for it (the sign-in goes on
/// through the loopback redirect whatever it does). Its output is dropped:
/// openers chatter, and the URL is already on stderr.
pub fn browser(url: &str) -> io::Result<()> {
    opener(std::env::var_os("BROWSER"), url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_variable_first_then_the_platform_opener() {
        let with = opener(Some("firefox".into()), "https://ed.link/x");
        assert_eq!(with.get_program(), "firefox");
        assert_eq!(with.get_args().collect::<Vec<_>>(), ["https://ed.link/x"]);
        let without = opener(Some(OsString::new()), "https://ed.link/x");
        assert_ne!(without.get_program(), "");
        assert_eq!(without.get_args().last().unwrap(), "https://ed.link/x");
    }
}
