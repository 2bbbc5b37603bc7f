//! Peak memory of one listing: each runs in a child process of its own
//! (`xtask bench __rss VARIANT URL ITEMS PAGE [--people TOKEN] [--mark M]`),
//! which reports its `VmHWM` and its heap peak (`heap`), at the end and (sdk
//! only) once the first M items are in hand. The same mode is the handle for
//! profilers (see docs/performance.md): one listing, nothing else.
//!
//! Why a mark inside the listing rather than a shorter listing of its own:
//! the allocator's worst moment (two threads' arenas each holding a
//! page-sized block at once) comes once, within the first ~20 pages at page
//! size 10,000. A 10-page listing in its own process usually ends before it,
//! a 100-page one never does, so their ratio measured that one-time transient,
//! not growth. The peak after the first M items (M at least 30 pages) of the
//! same process is what a listing of M items would reach, start-up included;
//! the peak at the end over it is what the rest of the listing added.

use std::path::Path;
use std::process::Command;

use super::listing::Listing;
use super::mock::KEY;
use super::timing::Variant;
use super::{floor, heap, prefetch, procfs, raw, sdk, typed};

/// What one child measured.
#[derive(Clone, Debug)]
pub(crate) struct Rss {
    pub(crate) listing: Listing,
    /// Items listed in all.
    pub(crate) items: usize,
    pub(crate) page: usize,
    /// Resident set before the listing started (runtime and client built).
    pub(crate) start_kb: u64,
    /// Peak resident set of the whole process (`VmHWM`) at the end.
    pub(crate) peak_kb: u64,
    /// The first items, after which `mark_kb` was read.
    pub(crate) mark_items: usize,
    /// Peak resident set once the first `mark_items` items were in hand.
    pub(crate) mark_kb: u64,
    /// The most bytes held on the heap at once, at the end and once the
    /// first `mark_items` items were in hand (see `heap`).
    pub(crate) heap_peak_kb: u64,
    pub(crate) heap_mark_kb: u64,
    pub(crate) seconds: f64,
    /// The growth of every run of this row, in order (this one is the median).
    pub(crate) growths: Vec<f64>,
    /// The heap's growth in every run of this row, in order.
    pub(crate) heap_growths: Vec<f64>,
}

impl Rss {
    pub(crate) fn peak_mb(&self) -> f64 {
        self.peak_kb as f64 / 1024.0
    }

    pub(crate) fn mark_mb(&self) -> f64 {
        self.mark_kb as f64 / 1024.0
    }

    /// The peak at the end over the peak at the mark.
    pub(crate) fn growth(&self) -> f64 {
        super::stats::ratio(self.peak_kb as f64, self.mark_kb as f64)
    }

    /// The heap's peak at the end over its peak at the mark.
    pub(crate) fn heap_growth(&self) -> f64 {
        super::stats::ratio(self.heap_peak_kb as f64, self.heap_mark_kb as f64)
    }

    /// The median of [`Rss::heap_growths`]: the heap figure of the row.
    pub(crate) fn heap_growth_median(&self) -> f64 {
        super::stats::summarize(&self.heap_growths).map_or(f64::NAN, |s| s.median)
    }
}

/// Items to have in hand before reading the first peak: at least `short`
/// and at least 30 pages (so the allocator's start-up is behind), at most
/// the whole listing.
pub(crate) fn mark(short: usize, page: usize, items: usize) -> usize {
    short.max(30 * page).min(items)
}

const USAGE: &str = "usage: xtask bench __rss raw|floor|typed|sdk|prefetch URL ITEMS PAGE [--people TOKEN] [--mark M]";

/// The hidden mode. Lists once on a default multi-thread runtime and prints
/// `start_kb=… peak_kb=… mark_kb=… heap_peak_kb=… heap_mark_kb=… seconds=…`.
pub(crate) fn child(args: &[String]) -> Result<(), String> {
    let [variant, url, items, page, options @ ..] = args else {
        return Err(USAGE.into());
    };
    let variant = Variant::ALL
        .into_iter()
        .find(|v| v.name() == variant)
        .ok_or_else(|| {
            format!("unknown variant {variant:?}: raw, floor, typed, sdk or prefetch")
        })?;
    let items: usize = items.parse().map_err(|e| format!("ITEMS {items:?}: {e}"))?;
    let page: usize = page.parse().map_err(|e| format!("PAGE {page:?}: {e}"))?;
    let mut listing = Listing::integrations();
    let mut mark_items = items;
    let mut options = options.iter();
    while let Some(option) = options.next() {
        let value = options.next().ok_or(USAGE)?;
        match option.as_str() {
            "--people" => listing = Listing::people(value),
            "--mark" => mark_items = value.parse().map_err(|e| format!("--mark: {e}"))?,
            _ => return Err(USAGE.into()),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let client = sdk::client(url, KEY)?;
    let http = raw::client();
    let start_kb = procfs::status_kb("VmRSS")?;
    heap::start();
    let started = std::time::Instant::now();
    let mut mark_kb = None;
    let mut heap_mark_kb = None;
    let count = runtime.block_on(async {
        match variant {
            Variant::Raw => raw::list(&http, url, &listing, page)
                .await
                .map(|ids| ids.len()),
            Variant::Floor => floor::list(&http, url, &listing, page).await,
            Variant::Typed => typed::list(&http, url, &listing, page)
                .await
                .map(|(n, _)| n),
            Variant::Prefetch => prefetch::list(&http, url, &listing, page)
                .await
                .map(|(n, _)| n),
            Variant::Sdk => sdk::list_observed(&client, &listing, page as u64, |n| {
                if n == mark_items {
                    mark_kb = procfs::status_kb("VmHWM").ok();
                    heap_mark_kb = Some(heap::peak_kb());
                }
            })
            .await
            .map(|(n, _)| n),
        }
    })?;
    let seconds = started.elapsed().as_secs_f64();
    if count != items {
        return Err(format!("listed {count} items, expected {items}"));
    }
    let peak_kb = procfs::status_kb("VmHWM")?;
    let mark_kb = mark_kb.unwrap_or(peak_kb);
    let heap_peak_kb = heap::peak_kb();
    let heap_mark_kb = heap_mark_kb.unwrap_or(heap_peak_kb);
    println!(
        "start_kb={start_kb} peak_kb={peak_kb} mark_kb={mark_kb} \
         heap_peak_kb={heap_peak_kb} heap_mark_kb={heap_mark_kb} seconds={seconds:.3}"
    );
    Ok(())
}

/// Children per memory row. One listing's peaks vary from run to run: at page
/// size 10,000 the growth of the same build spread over 1.02–1.36 in six runs,
/// depending on whether two page-sized transients (a body arriving, a page
/// decoding) happen to meet after the mark. A row is the run with the median
/// growth of this many, with the spread beside it.
pub(crate) const RUNS: usize = 3;

/// [`measure`] [`RUNS`] times: the run with the median growth, carrying every
/// run's growth.
pub(crate) fn measure_median(
    exe: &Path,
    url: &str,
    listing: &Listing,
    items: usize,
    page: usize,
    mark_items: usize,
) -> Result<Rss, String> {
    let mut runs = (0..RUNS)
        .map(|_| measure(exe, url, listing, items, page, mark_items))
        .collect::<Result<Vec<_>, _>>()?;
    let growths = runs.iter().map(Rss::growth).collect();
    let heap_growths = runs.iter().map(Rss::heap_growth).collect();
    runs.sort_by(|a, b| a.growth().total_cmp(&b.growth()));
    let mut median = runs.swap_remove(runs.len() / 2);
    median.growths = growths;
    median.heap_growths = heap_growths;
    Ok(median)
}

/// Runs one sdk child against the mock at `url` (listing `items` items of
/// `listing`, its peak read after `mark_items` and at the end) and reads its
/// report.
pub(crate) fn measure(
    exe: &Path,
    url: &str,
    listing: &Listing,
    items: usize,
    page: usize,
    mark_items: usize,
) -> Result<Rss, String> {
    let mut command = Command::new(exe);
    command.args([
        "bench",
        "__rss",
        "sdk",
        url,
        &items.to_string(),
        &page.to_string(),
        "--mark",
        &mark_items.to_string(),
    ]);
    if listing.kind == super::listing::Kind::People {
        command.args(["--people", &listing.credential]);
    }
    let output = command
        .output()
        .map_err(|e| format!("starting the rss child: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "the rss child ({items} {}, page {page}) failed with {}: {}{}",
            listing.noun(),
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
    let mut rss = Rss {
        listing: listing.clone(),
        items,
        page,
        start_kb: number("start_kb")?,
        peak_kb: number("peak_kb")?,
        mark_items,
        mark_kb: number("mark_kb")?,
        heap_peak_kb: number("heap_peak_kb")?,
        heap_mark_kb: number("heap_mark_kb")?,
        seconds: field("seconds")?
            .parse()
            .map_err(|e| format!("seconds: {e}"))?,
        growths: Vec::new(),
        heap_growths: Vec::new(),
    };
    rss.growths.push(rss.growth());
    rss.heap_growths.push(rss.heap_growth());
    Ok(rss)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_covers_start_up_and_stays_in_the_listing() {
        assert_eq!(mark(100_000, 1_000, 1_000_000), 100_000);
        assert_eq!(mark(100_000, 10_000, 1_000_000), 300_000);
        assert_eq!(mark(5_000, 10_000, 50_000), 50_000);
    }
}
