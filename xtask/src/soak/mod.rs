//! `cargo xtask soak [--items N] [--fault-rate R] [--seed S] [--page P]`: the
//! SDK lists every integration of an `edlink-mock` that fails a share of the
//! requests (429 with `Retry-After`, 502/503 as HTML and JSON, connections
//! closed mid-body or before answering, truncated JSON, answers slower than
//! the client's request timeout) and expires one cursor half-way. Passes when
//! every id arrives exactly once, in the mock's order, and the run ends.
//!
//! Mock and client share one tokio runtime in this process.
//!
//! `cargo xtask soak --sync …` is the sync engine's soak run instead: see
//! [`sync`].

mod counts;
mod plan;
mod sync;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use edlink_client::{Client, RetryPolicy};
use edlink_mock::MockServer;
use futures_util::TryStreamExt;

const USAGE: &str = "usage: cargo xtask soak [--items N] [--fault-rate R] [--seed S] [--page P] [--exclude FAULT,...]";
const KEY: &str = "soak-secret-key";
/// The client's timeout of one attempt; [`plan`]'s slow answers exceed it.
const REQUEST_TIMEOUT: Duration = Duration::from_millis(500);
/// The whole listing must end within this.
const RUN_LIMIT: Duration = Duration::from_secs(600);

#[derive(Clone, Debug, PartialEq)]
struct Options {
    items: usize,
    fault_rate: f64,
    seed: u64,
    page: Option<u64>,
    /// Fault names (`Fault::name`) left out of the mix.
    exclude: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            items: 100_000,
            fault_rate: 0.10,
            seed: 42,
            page: None,
            exclude: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
            };
            let bad = |v: &str| format!("{arg} {v:?}: not a valid value\n{USAGE}");
            match arg.as_str() {
                "--items" => {
                    let v = value()?;
                    options.items = v.replace('_', "").parse().map_err(|_| bad(&v))?;
                }
                "--fault-rate" => {
                    let v = value()?;
                    options.fault_rate = match v.parse::<f64>() {
                        Ok(r) if (0.0..=0.5).contains(&r) => r,
                        _ => return Err(format!("--fault-rate {v:?}: expected 0 to 0.5")),
                    };
                }
                "--seed" => {
                    let v = value()?;
                    options.seed = v.replace('_', "").parse().map_err(|_| bad(&v))?;
                }
                "--page" => {
                    let v = value()?;
                    options.page = Some(
                        v.parse()
                            .ok()
                            .filter(|p| (1..=10_000).contains(p))
                            .ok_or_else(|| bad(&v))?,
                    );
                }
                "--exclude" => {
                    let v = value()?;
                    options
                        .exclude
                        .extend(v.split(',').map(|n| n.trim().to_owned()));
                    plan::check_names(&options.exclude)?;
                }
                _ => return Err(format!("unknown option {arg:?}\n{USAGE}")),
            }
        }
        Ok(options)
    }

    /// About 200 pages whatever the size (10 to 1,000 items each), so a short
    /// CI run meets as many faults as a long one.
    fn page_size(&self) -> u64 {
        self.page
            .unwrap_or_else(|| (self.items / 200).clamp(10, 1_000) as u64)
    }
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("__sync-worker") {
        return sync::worker::run(&args[1..]);
    }
    if args.iter().any(|a| a == "--sync") {
        let rest: Vec<String> = args.iter().filter(|a| *a != "--sync").cloned().collect();
        return sync::run(&rest);
    }
    let options = Options::parse(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    runtime.block_on(soak(options))
}

async fn soak(options: Options) -> Result<(), String> {
    let page = options.page_size();
    let server = MockServer::builder()
        .secret_key(KEY)
        .generated(options.items, options.seed)
        .seed(options.seed)
        .log_capacity(1_000_000)
        .faults(plan::faults(
            options.fault_rate,
            options.seed,
            REQUEST_TIMEOUT,
            &options.exclude,
        ))
        .start()
        .await
        .map_err(|e| format!("starting the mock: {e}"))?;
    let server = Arc::new(server);
    let expected: Vec<String> = server
        .integration_ids()
        .iter()
        .map(ToString::to_string)
        .collect();
    let client = Client::builder()
        .application_key(KEY)
        .base_url(server.base_url())
        .request_timeout(REQUEST_TIMEOUT)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(12)
                .base_delay(Duration::from_millis(10))
                .max_delay(Duration::from_millis(200)),
        )
        .build()
        .map_err(|e| format!("building the client: {e}"))?;

    // Half-way, the cursor of the next request expires (see plan::expire_next_cursor).
    let pages = Arc::new(AtomicU64::new(0));
    let expire_at = (options.items as u64).div_ceil(page) / 2;
    let hook = {
        let (server, pages) = (Arc::clone(&server), Arc::clone(&pages));
        move |p: &edlink_client::PageProgress| {
            pages.fetch_add(1, Ordering::Relaxed);
            if p.page == expire_at.max(1) && p.more {
                plan::expire_next_cursor(&server);
            }
        }
    };
    let started = Instant::now();
    let mut stream = client
        .integrations()
        .list()
        .first(page)
        .on_page(hook)
        .items();
    let mut got = Vec::with_capacity(expected.len());
    let listing = async {
        while let Some(integration) = stream.try_next().await? {
            got.push(integration.id.to_string());
        }
        Ok::<(), edlink_client::Error>(())
    };
    let outcome = tokio::time::timeout(RUN_LIMIT, listing).await;
    let elapsed = started.elapsed().as_secs_f64();
    drop(stream);

    let counts = counts::Counts::read(&server, pages.load(Ordering::Relaxed));
    let verdict = match outcome {
        Err(_) => Err(format!("the listing did not end within {RUN_LIMIT:?}")),
        Ok(Err(err)) => Err(format!(
            "the listing failed after {} items: {err} [{:?}]",
            got.len(),
            err.kind()
        )),
        Ok(Ok(())) => counts::check(&got, &expected, &counts),
    };
    if let Ok(server) = Arc::try_unwrap(server) {
        server.shutdown().await;
    }
    println!("{}", counts.breakdown());
    if verdict.is_ok() {
        println!("soak: pass: every id once, in the mock's order; the expired cursor was resumed");
    }
    // The summary line comes last, pass or fail.
    println!(
        "soak: items={} unique={} faults={} retries={} resumed={} elapsed_s={elapsed:.1}",
        got.len(),
        counts::unique(&got),
        counts.faults,
        counts.retries,
        counts.resumed
    );
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(&args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn options() {
        let o = parse(&[]).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            (o.items, o.fault_rate, o.seed, o.page_size()),
            (100_000, 0.1, 42, 500)
        );
        let o = parse(&["--items", "5_000", "--fault-rate", "0.2", "--seed", "7"]);
        assert_eq!(
            o.map(|o| (o.items, o.fault_rate, o.seed, o.page_size())),
            Ok((5_000, 0.2, 7, 25))
        );
        assert_eq!(
            parse(&["--items", "100", "--page", "7"]).map(|o| o.page_size()),
            Ok(7)
        );
        assert!(parse(&["--fault-rate", "0.9"]).is_err());
        assert!(parse(&["--items"]).is_err());
        assert!(parse(&["--what"]).is_err());
        let o = parse(&["--exclude", "truncated_body,delay"]).map(|o| o.exclude);
        assert_eq!(o, Ok(vec!["truncated_body".to_owned(), "delay".to_owned()]));
        assert!(parse(&["--exclude", "nope"]).is_err());
    }
}
