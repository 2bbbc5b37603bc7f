//! The parent's handle on one sync worker process: its progress lines (read
//! on a thread), SIGKILL, and a clean stop.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// What the parent counts from every worker's lines, killed ones included.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Full syncs finished (the `full_syncs=` of the `pass` lines).
    pub(crate) full_syncs: u64,
    /// Events applied (the `events=` of the `pass` lines).
    pub(crate) events: u64,
    /// `phase=fell-back` lines: aged-out checkpoints the engine fell back from.
    pub(crate) fallbacks: u64,
    /// Passes finished.
    pub(crate) passes: u64,
}

impl Tally {
    fn count(&mut self, line: &str) {
        if line.starts_with("pass ") {
            self.passes += 1;
            self.full_syncs += field(line, "full_syncs=").unwrap_or(0);
            self.events += field(line, "events=").unwrap_or(0);
        } else if line.starts_with("phase=fell-back ") {
            self.fallbacks += 1;
        }
    }
}

/// The number after `name` in a `key=value` line.
pub(crate) fn field(line: &str, name: &str) -> Option<u64> {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(name))
        .and_then(|v| v.parse().ok())
}

/// The text after `name` in a `key=value` line.
pub(crate) fn text<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    line.split_whitespace().find_map(|w| w.strip_prefix(name))
}

/// A running worker.
pub(crate) struct Worker {
    /// Which run this is (1 for the first), for messages.
    pub(crate) run: usize,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    /// Every line read so far.
    pub(crate) seen: Vec<String>,
    /// Whether each `pass` line is answered with a command for the next
    /// pass (otherwise the worker waits for [`Worker::next_pass`]).
    pub(crate) auto: bool,
}

impl Worker {
    /// Starts `exe soak __sync-worker ARGS…`.
    pub(crate) fn spawn(exe: &Path, run: usize, args: &[String]) -> Result<Self, String> {
        let mut child = Command::new(exe)
            .args(["soak", "__sync-worker"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("starting worker {run} ({}): {e}", exe.display()))?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or("the worker's stdout is not piped")?;
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Self {
            run,
            child,
            stdin,
            lines,
            seen: Vec::new(),
            auto: true,
        })
    }

    /// Reads lines until one satisfies `want` (returned), counting each in
    /// `tally`. Fails when the worker ends first or `limit` passes.
    pub(crate) fn wait_for(
        &mut self,
        what: &str,
        limit: Duration,
        tally: &mut Tally,
        mut want: impl FnMut(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    tally.count(&line);
                    self.seen.push(line.clone());
                    if self.auto && line.starts_with("pass ") {
                        self.next_pass()?;
                    }
                    if want(&line) {
                        return Ok(line);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    return Err(format!(
                        "worker {}: no {what} within {limit:?}; last lines:\n{}",
                        self.run,
                        self.tail()
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = self.child.wait().map_err(|e| e.to_string())?;
                    return Err(format!(
                        "worker {} ended ({status}) before {what}; last lines:\n{}",
                        self.run,
                        self.tail()
                    ));
                }
            }
        }
    }

    /// Asks for one more pass (after the worker's pause).
    pub(crate) fn next_pass(&mut self) -> Result<(), String> {
        let stdin = self.stdin.as_mut().ok_or("the worker's stdin is closed")?;
        writeln!(stdin, "pass")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("worker {}: writing a command: {e}", self.run))
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then the lines it printed
    /// before dying. Fails unless the worker died of that signal.
    pub(crate) fn kill(mut self, tally: &mut Tally) -> Result<Vec<String>, String> {
        self.child.kill().map_err(|e| format!("kill: {e}"))?;
        let status = self.child.wait().map_err(|e| e.to_string())?;
        let after = self.drain(tally);
        if status.signal() != Some(9) {
            return Err(format!(
                "worker {} was not killed by SIGKILL ({status}): it ended first; last lines:\n{}",
                self.run,
                self.tail()
            ));
        }
        Ok(after)
    }

    /// Closes stdin (the worker then runs one last pass) and waits for
    /// `done` and a successful exit.
    pub(crate) fn finish(mut self, tally: &mut Tally) -> Result<(), String> {
        drop(self.stdin.take());
        let _ = self.drain(tally);
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if !status.success() || self.seen.last().map(String::as_str) != Some("done") {
            return Err(format!(
                "worker {} failed ({status}); last lines:\n{}",
                self.run,
                self.tail()
            ));
        }
        Ok(())
    }

    /// Every line left in the pipe, until the worker's stdout closes.
    fn drain(&mut self, tally: &mut Tally) -> Vec<String> {
        let mut after = Vec::new();
        while let Ok(line) = self.lines.recv() {
            tally.count(&line);
            self.seen.push(line.clone());
            after.push(line);
        }
        after
    }

    fn tail(&self) -> String {
        let from = self.seen.len().saturating_sub(12);
        self.seen[from..].join("\n")
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // On an early error: no worker outlives the soak run.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_tally() {
        let line = "pass n=3 synced=2 skipped=0 failed=0 full_syncs=1 events=40 entities=9";
        assert_eq!(field(line, "full_syncs="), Some(1));
        assert_eq!(text(line, "n="), Some("3"));
        let mut tally = Tally::default();
        tally.count(line);
        tally.count("phase=fell-back integration=x");
        tally.count("phase=full integration=x resource=people stored=1 entities=1");
        assert_eq!(
            (
                tally.passes,
                tally.full_syncs,
                tally.events,
                tally.fallbacks
            ),
            (1, 1, 40, 1)
        );
    }
}
