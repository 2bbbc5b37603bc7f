//! The sync worker of `cargo xtask soak --sync`, a child process the parent
//! kills with SIGKILL: `xtask soak __sync-worker --url URL --key KEY --db PATH
//! [--page-size N] [--event-page-size N] [--pause-ms MS] [--passes N]`.
//!
//! It lists the mock's integrations through `edlink-client`, keeps the
//! readable ones (`active`, `paused`), and syncs them with `edlink-sync`
//! (`GraphSources` into the store `--db` names) pass after pass: the first
//! pass is a full sync (or resumes one), the next ones are incremental. The
//! parent drives it on stdin: after each pass the worker waits for a line
//! `pass` (then pauses `--pause-ms` and runs the next one); when stdin closes
//! it runs one last pass, prints `done` and exits. `--passes N` stops after N
//! passes whatever stdin says.
//!
//! Every step is a line on stdout, for the parent to choose when to kill:
//!
//! ```text
//! worker integrations=2
//! phase=full-start integration=… generation=1 resumed=false
//! phase=full integration=… resource=people stored=150 entities=612
//! phase=full-done integration=… generation=1 removed=0
//! phase=incremental integration=… events=20
//! phase=fell-back integration=…
//! pass n=1 synced=2 skipped=0 failed=0 full_syncs=2 events=37 entities=4310
//! done
//! ```
//!
//! A failed integration (after the client's and the engine's retries) is an
//! error: the worker prints it on stderr and exits with a failure.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Mutex;
use std::time::Duration;

use edlink_client::{Client, RetryPolicy};
use edlink_sync::{AnyStore, Engine, GraphSources, Progress, ResourceKind, is_readable};
use futures_util::TryStreamExt;
use uuid::Uuid;

const USAGE: &str = "usage: xtask soak __sync-worker --url URL --key KEY --db PATH [--page-size N] [--event-page-size N] [--pause-ms MS] [--passes N]";

#[derive(Debug)]
struct Args {
    url: String,
    key: String,
    db: String,
    page_size: u32,
    event_page_size: u32,
    pause: Duration,
    passes: u64,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        url: String::new(),
        key: String::new(),
        db: String::new(),
        page_size: 50,
        event_page_size: 10,
        pause: Duration::from_millis(100),
        passes: 0,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|e| format!("{arg} {value:?}: {e}"))
        };
        match arg.as_str() {
            "--url" => parsed.url.clone_from(value),
            "--key" => parsed.key.clone_from(value),
            "--db" => parsed.db.clone_from(value),
            "--page-size" => parsed.page_size = number()?.clamp(1, 10_000) as u32,
            "--event-page-size" => parsed.event_page_size = number()?.clamp(1, 10_000) as u32,
            "--pause-ms" => parsed.pause = Duration::from_millis(number()?),
            "--passes" => parsed.passes = number()?,
            _ => return Err(format!("unknown option {arg:?}\n{USAGE}")),
        }
    }
    if parsed.url.is_empty() || parsed.key.is_empty() || parsed.db.is_empty() {
        return Err(format!("--url, --key and --db are required\n{USAGE}"));
    }
    Ok(parsed)
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    // The parent's commands: a line per pass; the end of stdin asks for the last one.
    let (send, commands) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    runtime.block_on(work(args, commands))?;
    println!("done");
    Ok(())
}

/// The progress lines, and the objects stored per (integration, collection)
/// by this process (their sum is the `entities=` of a `phase=full` line).
fn on_progress() -> impl Fn(&Progress) + Send + Sync + 'static {
    let stored: Mutex<HashMap<(Uuid, ResourceKind), u64>> = Mutex::new(HashMap::new());
    move |p: &Progress| match p {
        Progress::FullSyncStarted {
            integration,
            generation,
            resumed,
        } => println!(
            "phase=full-start integration={integration} generation={generation} resumed={resumed}"
        ),
        Progress::Objects {
            integration,
            resource,
            stored: n,
        } => {
            let entities: u64 = match stored.lock() {
                Ok(mut map) => {
                    map.insert((*integration, *resource), *n);
                    map.values().sum()
                }
                Err(_) => 0,
            };
            println!(
                "phase=full integration={integration} resource={resource} stored={n} entities={entities}"
            );
        }
        Progress::FullSyncFinished {
            integration,
            generation,
            removed,
        } => println!(
            "phase=full-done integration={integration} generation={generation} removed={removed}"
        ),
        Progress::Events {
            integration,
            applied,
        } => println!("phase=incremental integration={integration} events={applied}"),
        Progress::FellBackToFull { integration, .. } => {
            println!("phase=fell-back integration={integration}");
        }
        _ => {}
    }
}

async fn work(
    args: Args,
    mut commands: tokio::sync::mpsc::UnboundedReceiver<String>,
) -> Result<(), String> {
    let client = Client::builder()
        .application_key(args.key.as_str())
        .base_url(&args.url)
        .request_timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(10)
                .base_delay(Duration::from_millis(10))
                .max_delay(Duration::from_millis(200)),
        )
        .build()
        .map_err(|e| format!("building the client: {e}"))?;
    let store = AnyStore::open(&args.db)
        .await
        .map_err(|e| format!("opening {}: {e}", args.db))?;
    let engine = Engine::builder(store)
        .page_size(args.page_size)
        .event_page_size(args.event_page_size)
        .retries(6, Duration::from_millis(20))
        .on_progress(on_progress())
        .build();

    let mut ids: Vec<Uuid> = Vec::new();
    let mut listing = client.integrations().list().first(100).items();
    while let Some(integration) = listing
        .try_next()
        .await
        .map_err(|e| format!("listing the integrations: {e}"))?
    {
        if is_readable(&integration) {
            ids.push(integration.id);
        }
    }
    drop(listing);
    println!("worker integrations={}", ids.len());
    let sources = GraphSources::new(client);

    let mut pass = 0u64;
    let mut last = false;
    loop {
        pass += 1;
        let summary = engine.sync_all(&sources, ids.iter().copied()).await;
        println!(
            "pass n={pass} synced={} skipped={} failed={} full_syncs={} events={} entities={}",
            summary.synced(),
            summary.skipped(),
            summary.failed(),
            summary.full_syncs(),
            summary.events(),
            summary.entities()
        );
        if let Some((id, Err(e))) = summary.outcomes.iter().find(|(_, r)| r.is_err()) {
            return Err(format!("pass {pass}: integration {id}: {}", chain(e)));
        }
        if last || (args.passes > 0 && pass >= args.passes) {
            return Ok(());
        }
        match commands.recv().await {
            Some(command) if command == "pass" => tokio::time::sleep(args.pause).await,
            Some(other) => return Err(format!("unknown command {other:?} on stdin")),
            // Stdin closed: one last pass, with no pause.
            None => last = true,
        }
    }
}

fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        out.push_str(": ");
        out.push_str(&e.to_string());
        next = e.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let args = |v: &[&str]| parse(&v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        let a = args(&[
            "--url", "http://x", "--key", "k", "--db", "m.db", "--passes", "2",
        ]);
        let a = a.unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((a.passes, a.page_size, a.db.as_str()), (2, 50, "m.db"));
        assert!(args(&["--url", "http://x"]).is_err());
        assert!(args(&["--what", "1"]).is_err());
    }
}
