//! Where each SIGKILL lands, and the proof that it landed there: the lines
//! the worker printed before it died, and the checkpoints it left.

use std::path::Path;
use std::time::Duration;

use edlink_mock::MockServer;
use edlink_sync::{AnyStore, Phase, Store};
use uuid::Uuid;

use super::child::{Tally, Worker, field, text};

/// Mutation steps per district before the pass an incremental kill lands in
/// (each step writes one event or more; a page holds `EVENT_PAGE`).
pub(super) const BURST: u64 = 20;

/// Where a kill lands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum KillAt {
    /// The first full read, after a quarter of the objects.
    Full,
    /// An incremental pass, at its first page of events (after a burst of
    /// changes).
    Incremental,
    /// The full sync that follows the aged-out checkpoint.
    FallbackFull,
}

/// The first kill in the full read, the second in incremental sync, the
/// third in the fallback full sync, the others in incremental sync.
pub(super) fn plan(kills: usize) -> Vec<KillAt> {
    (0..kills)
        .map(|k| match k {
            0 => KillAt::Full,
            2 => KillAt::FallbackFull,
            _ => KillAt::Incremental,
        })
        .collect()
}

/// What the kills need to know, and what they count.
pub(super) struct Kills<'a> {
    pub(super) server: &'a MockServer,
    /// The synced integrations, ascending.
    pub(super) ids: &'a [Uuid],
    /// Objects per district at the start.
    pub(super) sizes: &'a [usize],
    pub(super) db: &'a Path,
    pub(super) page_size: u32,
    /// How long one wait for a worker may take.
    pub(super) limit: Duration,
    pub(super) tally: Tally,
    /// Mutation steps of the bursts.
    pub(super) burst_steps: u64,
}

impl Kills<'_> {
    /// Once a quarter of the objects are stored; the store must hold an
    /// unfinished full read.
    pub(super) fn kill_full(&mut self, mut worker: Worker) -> Result<(), String> {
        let total: usize = self.sizes.iter().sum();
        let at_least = (total / 4).max(1) as u64;
        worker.wait_for(
            "a quarter of the full read",
            self.limit,
            &mut self.tally,
            |l| l.starts_with("phase=full ") && field(l, "entities=") >= Some(at_least),
        )?;
        let run = worker.run;
        let after = worker.kill(&mut self.tally)?;
        let phases = phases(self.db, self.ids)?;
        if after.iter().any(|l| l.starts_with("pass ")) || !phases.iter().any(is_full) {
            return Err(format!(
                "kill {run}: the full read finished before the kill landed (checkpoints {phases:?}): use more --students"
            ));
        }
        println!(
            "sync-soak: kill {run}: during the full read, after {at_least}+ of {total} objects"
        );
        Ok(())
    }

    /// After the worker's first pass (which ends any full sync it resumed),
    /// a burst of changes, then the next pass is killed at its first page of
    /// events; the pass must not have ended.
    pub(super) fn kill_incremental(&mut self, mut worker: Worker) -> Result<(), String> {
        worker.auto = false;
        worker.wait_for("a first pass", self.limit, &mut self.tally, |l| {
            l.starts_with("pass ")
        })?;
        for id in self.ids {
            self.burst_steps += self.server.mutate(*id, BURST).map_or(0, |r| r.steps);
        }
        worker.next_pass()?;
        let line = worker.wait_for("a page of events", self.limit, &mut self.tally, |l| {
            l.starts_with("phase=incremental ")
        })?;
        let run = worker.run;
        let after = worker.kill(&mut self.tally)?;
        let phases = phases(self.db, self.ids)?;
        let incremental = |p: &Option<Phase>| matches!(p, Some(Phase::Incremental { .. }));
        if after.iter().any(|l| l.starts_with("pass ")) || !phases.iter().all(incremental) {
            return Err(format!(
                "kill {run}: the incremental pass ended before the kill landed (checkpoints {phases:?})"
            ));
        }
        println!(
            "sync-soak: kill {run}: during incremental sync ({} events into a pass of {})",
            field(&line, "events=").unwrap_or(0),
            text(&line, "integration=").unwrap_or("?")
        );
        Ok(())
    }

    /// The worker must fall back to a full sync for `aged` (whose events
    /// were aged out); killed a quarter into that read, which must be left
    /// unfinished.
    pub(super) fn kill_fallback(&mut self, mut worker: Worker, aged: Uuid) -> Result<(), String> {
        let target = format!("integration={aged}");
        worker.wait_for(
            "the fallback to a full sync",
            self.limit,
            &mut self.tally,
            |l| l.starts_with("phase=fell-back ") && l.contains(&target),
        )?;
        let at = self.ids.iter().position(|id| *id == aged).unwrap_or(0);
        let pages = (self.sizes[at] / self.page_size as usize / 4).max(1);
        let mut seen = 0;
        worker.wait_for(
            "a quarter of the fallback full read",
            self.limit,
            &mut self.tally,
            |l| {
                seen += usize::from(l.starts_with("phase=full ") && l.contains(&target));
                seen >= pages
            },
        )?;
        let run = worker.run;
        worker.kill(&mut self.tally)?;
        let phases = phases(self.db, self.ids)?;
        if !is_full(&phases[at]) {
            return Err(format!(
                "kill {run}: the fallback full sync finished before the kill landed (checkpoint {:?}): use more --students",
                phases[at]
            ));
        }
        println!("sync-soak: kill {run}: during the fallback full sync of {aged}");
        Ok(())
    }
}

fn is_full(phase: &Option<Phase>) -> bool {
    matches!(phase, Some(Phase::Full { .. }))
}

/// The phases of the checkpoints (`None`: no checkpoint yet), read while no
/// worker runs.
fn phases(db: &Path, ids: &[Uuid]) -> Result<Vec<Option<Phase>>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let store = AnyStore::open(&db.display().to_string())
            .await
            .map_err(|e| format!("opening the mirror: {e}"))?;
        let mut out = Vec::new();
        for id in ids {
            let stored = store.checkpoint(*id).await.map_err(|e| e.to_string())?;
            out.push(stored.map(|s| s.checkpoint.phase));
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan() {
        use KillAt::{FallbackFull, Full, Incremental};
        assert_eq!(plan(2), vec![Full, Incremental]);
        assert_eq!(
            plan(5),
            vec![Full, Incremental, FallbackFull, Incremental, Incremental]
        );
    }
}
