//! Peak resident memory of one listing: each runs in a child process of its
//! own (`xtask bench __rss VARIANT URL ITEMS PAGE`), which reports its
//! `VmHWM`. The same mode is the handle for profilers (see
//! docs/performance.md): one listing, nothing else.

use std::path::Path;
use std::process::Command;

use super::mock::KEY;
use super::timing::Variant;
use super::{floor, prefetch, procfs, raw, sdk, typed};

/// What one child measured.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rss {
    pub(crate) items: usize,
    pub(crate) page: usize,
    /// Resident set before the listing started (runtime and client built).
    pub(crate) start_kb: u64,
    /// Peak resident set of the whole process (`VmHWM`).
    pub(crate) peak_kb: u64,
    pub(crate) seconds: f64,
}

impl Rss {
    pub(crate) fn peak_mb(&self) -> f64 {
        self.peak_kb as f64 / 1024.0
    }
}

/// The hidden mode: `__rss raw|floor|typed|sdk|prefetch URL ITEMS PAGE`. Lists once on a
/// default multi-thread runtime and prints `start_kb=… peak_kb=… seconds=…`.
pub(crate) fn child(args: &[String]) -> Result<(), String> {
    let [variant, url, items, page] = args else {
        return Err("usage: xtask bench __rss raw|floor|typed|sdk|prefetch URL ITEMS PAGE".into());
    };
    let variant = Variant::ALL
        .into_iter()
        .find(|v| v.name() == variant)
        .ok_or_else(|| {
            format!("unknown variant {variant:?}: raw, floor, typed, sdk or prefetch")
        })?;
    let items: usize = items.parse().map_err(|e| format!("ITEMS {items:?}: {e}"))?;
    let page: usize = page.parse().map_err(|e| format!("PAGE {page:?}: {e}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let client = sdk::client(url, KEY)?;
    let http = raw::client();
    let start_kb = procfs::status_kb("VmRSS")?;
    let started = std::time::Instant::now();
    let count = runtime.block_on(async {
        match variant {
            Variant::Raw => raw::list(&http, url, KEY, page).await.map(|ids| ids.len()),
            Variant::Floor => floor::list(&http, url, KEY, page).await,
            Variant::Typed => typed::list(&http, url, KEY, page).await.map(|(n, _)| n),
            Variant::Prefetch => prefetch::list(&http, url, KEY, page).await.map(|(n, _)| n),
            Variant::Sdk => sdk::list(&client, page as u64).await.map(|(n, _)| n),
        }
    })?;
    let seconds = started.elapsed().as_secs_f64();
    if count != items {
        return Err(format!("listed {count} items, expected {items}"));
    }
    let peak_kb = procfs::status_kb("VmHWM")?;
    println!("start_kb={start_kb} peak_kb={peak_kb} seconds={seconds:.3}");
    Ok(())
}

/// Runs one child against the mock at `url` and reads its report.
pub(crate) fn measure(exe: &Path, url: &str, items: usize, page: usize) -> Result<Rss, String> {
    let output = Command::new(exe)
        .args([
            "bench",
            "__rss",
            "sdk",
            url,
            &items.to_string(),
            &page.to_string(),
        ])
        .output()
        .map_err(|e| format!("starting the rss child: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "the rss child ({items} items, page {page}) failed with {}: {}{}",
            output.status,
            stdout.trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let field = |name: &str| -> Result<&str, String> {
        stdout
            .split_whitespace()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
            .ok_or_else(|| format!("the rss child printed no {name}: {stdout:?}"))
    };
    let number = |name: &str| -> Result<u64, String> {
        field(name)?.parse().map_err(|e| format!("{name}: {e}"))
    };
    Ok(Rss {
        items,
        page,
        start_kb: number("start_kb")?,
        peak_kb: number("peak_kb")?,
        seconds: field("seconds")?
            .parse()
            .map_err(|e| format!("seconds: {e}"))?,
    })
}
