//! `edlink sync`: one pass over the chosen integrations, or one every
//! `--watch` seconds until Ctrl-C.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use edlink_sync::{AnyStore, Engine, GraphSources, SyncError, SyncSummary, is_readable};
use uuid::Uuid;

use super::args::{Selection, SyncArgs, selection};
use super::progress::SyncProgress;
use super::store::{chain, exit_code, open};
use crate::exit::{Failure, one_line, report};
use crate::run::Context;

/// Exit code of a watch stopped by Ctrl-C in the middle of a pass (128 +
/// SIGINT, as shells report it); between passes Ctrl-C exits 0.
const INTERRUPTED: u8 = 130;

/// Runs `edlink sync`.
pub async fn run(context: &Context, args: &SyncArgs) -> Result<(), Failure> {
    let selection = selection(&context.cli, args.all)?;
    let selection = match selection {
        Selection::DemoFirst => demo_first(context)?,
        other => other,
    };
    let Some(db) = args.db.as_deref() else {
        return Err(Failure::Usage("sync needs --db PATH_OR_URL".to_owned()));
    };
    let store = open(db).await?;
    let progress = Arc::new(SyncProgress::new(context.cli.quiet));
    let on_step = Arc::clone(&progress);
    let engine = Engine::builder(store)
        .concurrency(usize::from(args.concurrency))
        .on_progress(move |step| on_step.step(step))
        .build();
    let pass = Pass {
        context,
        engine: &engine,
        sources: GraphSources::new(context.client.clone()),
        selection: &selection,
        progress: &progress,
    };
    match args.watch {
        None => pass.run().await,
        Some(every) => pass.watch(every).await,
    }
}

/// What every pass of one command line shares.
struct Pass<'a> {
    context: &'a Context,
    engine: &'a Engine<AnyStore>,
    sources: GraphSources,
    selection: &'a Selection,
    progress: &'a SyncProgress,
}

impl Pass<'_> {
    /// One pass: every chosen integration brought up to date (at most
    /// `--concurrency` at once), skips and failures on stderr, the summary
    /// line on stdout. An error when any integration failed: what it stored
    /// stays, and the next run resumes from its checkpoint.
    async fn run(&self) -> Result<(), Failure> {
        let started = Instant::now();
        let ids = self.integrations().await?;
        self.progress.begin(ids.len());
        let summary = self.engine.sync_all(&self.sources, ids).await;
        self.progress.clear();
        let failure = self.report_outcomes(&summary);
        let line = summary_line(&summary, started.elapsed());
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "{line}")?;
        stdout.flush()?;
        failure.map_or(Ok(()), Err)
    }

    /// `--watch`: a pass, then another every `every` until Ctrl-C. A pass
    /// that fails is reported and the watch goes on (the next pass resumes
    /// it); only a closed stdout ends it. Ctrl-C between passes exits 0; in
    /// the middle of one it stops the pass (every page stored so far stays,
    /// with its checkpoint) and exits 130.
    async fn watch(&self, every: Duration) -> Result<(), Failure> {
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        loop {
            tokio::select! {
                outcome = self.run() => match outcome {
                    Ok(()) => {}
                    Err(failure @ Failure::Output(_)) => return Err(failure),
                    Err(failure) => {
                        report(&failure, &self.context.secrets);
                    }
                },
                _ = &mut ctrl_c => {
                    self.progress.clear();
                    return Err(Failure::Sync {
                        code: INTERRUPTED,
                        message: "interrupted during a sync pass".to_owned(),
                        hint: Some("what was stored stays; the next run resumes where this one stopped"),
                    });
                }
            }
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                _ = &mut ctrl_c => return Ok(()),
            }
        }
    }

    /// The integrations of this pass. `--all` lists them again each pass,
    /// so a watch picks up new ones and drops those no longer readable.
    async fn integrations(&self) -> Result<Vec<Uuid>, Failure> {
        match self.selection {
            Selection::Ids(ids) => Ok(ids.clone()),
            // Resolved to its id before the first pass.
            Selection::DemoFirst => Ok(Vec::new()),
            Selection::All => {
                let listed = self
                    .context
                    .client
                    .integrations()
                    .list()
                    .collect_all()
                    .await?;
                Ok(listed
                    .iter()
                    .filter(|i| is_readable(i))
                    .map(|i| i.id)
                    .collect())
            }
        }
    }

    /// Skips and failures on stderr, one line each (secrets masked); the
    /// failure to return when any integration failed.
    fn report_outcomes(&self, summary: &SyncSummary) -> Option<Failure> {
        let secrets = &self.context.secrets;
        let mut stderr = io::stderr().lock();
        let mut first_code = None;
        for (id, outcome) in &summary.outcomes {
            let Err(err) = outcome else { continue };
            if err.is_skip() {
                let _ = writeln!(stderr, "skipped: {id}: {}", one_line(&reason(err), secrets));
            } else {
                first_code.get_or_insert_with(|| exit_code(err));
                let _ = writeln!(stderr, "failed: {id}: {}", one_line(&chain(err), secrets));
            }
        }
        let code = first_code?;
        Some(Failure::Sync {
            code,
            message: format!(
                "{} of {} integrations failed to sync",
                summary.failed(),
                summary.outcomes.len()
            ),
            hint: Some(
                "what each one stored stays; the next run resumes where it stopped \
                 (-v logs every request)",
            ),
        })
    }
}

/// Why an integration was skipped, without the engine's bare `skipped`.
fn reason(err: &SyncError) -> String {
    match err {
        SyncError::Unusable(source) => chain(source),
        other => chain(other),
    }
}

/// `sync: integrations=N entities=M events=K full_syncs=F skipped=S
/// elapsed_s=T`: N integrations brought up to date, M objects read by full
/// syncs, K events applied (a fixed form, for scripts and logs).
fn summary_line(summary: &SyncSummary, elapsed: Duration) -> String {
    format!(
        "sync: integrations={} entities={} events={} full_syncs={} skipped={} elapsed_s={:.2}",
        summary.synced(),
        summary.entities(),
        summary.events(),
        summary.full_syncs(),
        summary.skipped(),
        elapsed.as_secs_f64()
    )
}

/// `--demo` with neither `--integration` nor `--all`: the demo's first
/// active integration, named on stderr (unless `--quiet`), as `graph` does.
fn demo_first(context: &Context) -> Result<Selection, Failure> {
    let first = context
        .demo
        .as_ref()
        .and_then(crate::demo::Demo::first_active);
    let Some((id, _token)) = first else {
        return Err(Failure::Other(
            "the demo server has no active integration".to_owned(),
        ));
    };
    if !context.cli.quiet {
        let _ = writeln!(
            io::stderr().lock(),
            "demo: syncing integration {id}, the first active one (--integration UUID or --all \
             picks others)"
        );
    }
    Ok(Selection::Ids(vec![id]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_has_a_fixed_form() {
        let line = summary_line(&SyncSummary::default(), Duration::from_millis(1234));
        assert_eq!(
            line,
            "sync: integrations=0 entities=0 events=0 full_syncs=0 skipped=0 elapsed_s=1.23"
        );
        assert_eq!(crate::exit::OTHER, exit_code(&SyncError::Locked));
    }
}
