//! Many tasks sharing one `Client`: a listing of 200 integrations (pages of
//! 50) fetched over and over, for a fixed number of listings in all, by 1, 4,
//! 16 and 64 tasks. The hand-written hyper client ("raw") does the same, as a
//! reference for what the machine and the mock allow.

use std::time::Instant;

use edlink_client::Client;
use tokio::runtime::Runtime;

use super::listing::Listing;
use super::stats::summarize;
use super::{mock::KEY, raw, sdk};

/// Integrations in the listing.
pub(crate) const ITEMS: usize = 200;
/// Page size of each listing.
pub(crate) const PAGE: u64 = 50;
/// Task counts tried.
pub(crate) const TASKS: [usize; 4] = [1, 4, 16, 64];

/// One task count's result.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Level {
    pub(crate) tasks: usize,
    pub(crate) listings: usize,
    /// Median of the repetitions.
    pub(crate) seconds: f64,
    pub(crate) items_per_s: f64,
    /// The same with the hand-written hyper client.
    pub(crate) raw_items_per_s: f64,
}

/// One shared client of either kind.
#[derive(Clone)]
enum Shared {
    Sdk(Client),
    Raw(Box<raw::Http>, String),
}

impl Shared {
    async fn list(&self) -> Result<usize, String> {
        match self {
            Shared::Sdk(client) => Ok(sdk::list(client, &Listing::integrations(), PAGE).await?.0),
            Shared::Raw(http, url) => {
                Ok(
                    raw::list(http, url, &Listing::integrations(), PAGE as usize)
                        .await?
                        .len(),
                )
            }
        }
    }
}

async fn run_level(client: &Shared, tasks: usize, listings: usize) -> Result<f64, String> {
    let per_task = listings / tasks;
    let started = Instant::now();
    let mut handles = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let client = client.clone();
        handles.push(tokio::spawn(async move {
            for _ in 0..per_task {
                let count = client.list().await?;
                if count != ITEMS {
                    return Err(format!("a listing gave {count} items, expected {ITEMS}"));
                }
            }
            Ok::<(), String>(())
        }));
    }
    for handle in handles {
        handle.await.map_err(|e| format!("a task failed: {e}"))??;
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Every task count, `repeats` times each (median kept), `listings` in all per
/// run (a multiple of 64), against a mock serving [`ITEMS`] integrations.
pub(crate) fn measure(
    runtime: &Runtime,
    url: &str,
    listings: usize,
    repeats: usize,
) -> Result<Vec<Level>, String> {
    let sdk = Shared::Sdk(sdk::client(url, KEY)?);
    let raw = Shared::Raw(Box::new(raw::client()), url.to_owned());
    // Warm-up: connections and allocator.
    runtime.block_on(run_level(&sdk, 4, 16))?;
    runtime.block_on(run_level(&raw, 4, 16))?;
    let mut levels = Vec::new();
    for tasks in TASKS {
        let (mut sdk_s, mut raw_s) = (Vec::new(), Vec::new());
        for _ in 0..repeats.max(1) {
            sdk_s.push(runtime.block_on(run_level(&sdk, tasks, listings))?);
            raw_s.push(runtime.block_on(run_level(&raw, tasks, listings))?);
        }
        let seconds = summarize(&sdk_s).map_or(f64::NAN, |s| s.median);
        let raw_seconds = summarize(&raw_s).map_or(f64::NAN, |s| s.median);
        levels.push(Level {
            tasks,
            listings,
            seconds,
            items_per_s: (listings * ITEMS) as f64 / seconds,
            raw_items_per_s: (listings * ITEMS) as f64 / raw_seconds,
        });
    }
    Ok(levels)
}
