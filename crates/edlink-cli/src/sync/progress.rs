//! The progress line of a sync, on stderr when it is a terminal.
//!
//! The same approach as the listings' [`crate::progress::Progress`]: one
//! `\r`-rewritten line, silent unless stderr is a terminal and `--quiet` was
//! not given, so pipes and logs never see it. The engine reports from any
//! of its tasks, hence the mutex.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use edlink_sync::{Progress, ResourceKind};
use uuid::Uuid;

/// How often the line is rewritten at most.
const EVERY: Duration = Duration::from_millis(100);

/// `sync: 1/3 integrations done, 12000 objects, 40 events…`.
#[derive(Debug)]
pub struct SyncProgress {
    enabled: bool,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    total: usize,
    done: usize,
    /// Objects stored so far, per integration and collection (the engine
    /// reports running totals).
    objects: HashMap<Uuid, BTreeMap<ResourceKind, u64>>,
    events: HashMap<Uuid, u64>,
    shown: bool,
    last: Option<Instant>,
}

impl SyncProgress {
    /// A progress line, shown only where it helps.
    pub fn new(quiet: bool) -> Self {
        Self {
            enabled: !quiet && io::stderr().is_terminal(),
            state: Mutex::new(State::default()),
        }
    }

    /// A pass over `total` integrations begins.
    pub fn begin(&self, total: usize) {
        if let Ok(mut state) = self.state.lock() {
            *state = State {
                total,
                shown: state.shown,
                ..State::default()
            };
        }
    }

    /// One step of the engine.
    pub fn step(&self, progress: &Progress) {
        if !self.enabled {
            return;
        }
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        match progress {
            Progress::Objects {
                integration,
                resource,
                stored,
                ..
            } => {
                state
                    .objects
                    .entry(*integration)
                    .or_default()
                    .insert(*resource, *stored);
            }
            Progress::Events {
                integration,
                applied,
            } => {
                state.events.insert(*integration, *applied);
            }
            Progress::Finished { .. } | Progress::Skipped { .. } | Progress::Failed { .. } => {
                state.done += 1;
            }
            _ => return,
        }
        if state.last.is_some_and(|at| at.elapsed() < EVERY) {
            return;
        }
        state.last = Some(Instant::now());
        let objects: u64 = state.objects.values().flat_map(BTreeMap::values).sum();
        let events: u64 = state.events.values().sum();
        let mut stderr = io::stderr().lock();
        let _ = write!(
            stderr,
            "\r\x1b[2Ksync: {}/{} integrations done, {objects} objects, {events} events…",
            state.done, state.total
        );
        let _ = stderr.flush();
        state.shown = true;
    }

    /// Erases the line, before other output goes to the same terminal.
    pub fn clear(&self) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if state.shown {
            let mut stderr = io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
            state.shown = false;
        }
    }
}

impl Drop for SyncProgress {
    fn drop(&mut self) {
        self.clear();
    }
}
