//! The results as tables, the ratios, and the one summary line.

use super::concurrency::{self, Level};
use super::listing::Kind;
use super::rss::Rss;
use super::stats::ratio;
use super::table::Table;
use super::timing::{Timings, Variant};

/// Everything one benchmark run measured.
#[derive(Debug, Default)]
pub(crate) struct Results {
    /// Integrations per timed listing.
    pub(crate) items: usize,
    pub(crate) runs: usize,
    pub(crate) timings: Vec<Timings>,
    /// Graph people per timed listing (0: the Graph rows were not run).
    pub(crate) graph_items: usize,
    pub(crate) graph_timings: Vec<Timings>,
    /// Integrations and Graph people alike (each says which).
    pub(crate) rss: Vec<Rss>,
    pub(crate) concurrency: Vec<Level>,
    pub(crate) context: Vec<String>,
}

/// `1234567` as `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn median(timings: &[Timings], variant: Variant, page: usize) -> Option<f64> {
    timings
        .iter()
        .find(|t| t.variant == variant && t.page == page)
        .and_then(Timings::summary)
        .map(|s| s.median)
}

fn pages(timings: &[Timings]) -> Vec<usize> {
    let mut pages: Vec<usize> = timings.iter().map(|t| t.page).collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// `(sdk/raw, sdk/floor, sdk/typed)` of the medians at one page size.
fn ratios(timings: &[Timings], page: usize) -> (f64, f64, f64) {
    let get = |v| median(timings, v, page).unwrap_or(f64::NAN);
    let sdk = get(Variant::Sdk);
    (
        ratio(sdk, get(Variant::Raw)),
        ratio(sdk, get(Variant::Floor)),
        ratio(sdk, get(Variant::Typed)),
    )
}

/// The worst (largest) of `values`, NaN for none.
fn worst(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(f64::NAN, f64::max)
}

/// The table of one listing's timings.
fn listing_table(timings: &[Timings], noun: &str, items: usize, runs: usize) -> Table {
    let mut t = Table::new(
        &format!(
            "Listing {} {noun} ({runs} timed runs each, alternating; median, min–max)",
            thousands(items as u64),
        ),
        &[
            "page size",
            "variant",
            "median s",
            "min–max s",
            "items/s",
            "client CPU s/run",
            "mock CPU s/run",
            "mock share of CPU",
        ],
    );
    for timing in timings {
        let Some(s) = timing.summary() else { continue };
        let runs = s.count as f64;
        t.row(vec![
            thousands(timing.page as u64),
            timing.variant.name().to_owned(),
            format!("{:.3}", s.median),
            format!("{:.3}–{:.3}", s.min, s.max),
            thousands((items as f64 / s.median) as u64),
            format!("{:.3}", timing.client_cpu_s / runs),
            format!("{:.3}", timing.mock_cpu_s / runs),
            format!(
                "{:.0} %",
                100.0 * ratio(timing.mock_cpu_s, timing.mock_cpu_s + timing.client_cpu_s)
            ),
        ]);
    }
    for page in pages(timings) {
        let (raw, floor, typed) = ratios(timings, page);
        t.note(format!(
            "page size {}: sdk/raw = {raw:.2} (target ≤ 1.00), sdk/floor = {floor:.2} (target ≤ 2.0 at page size 1,000), sdk/typed = {typed:.2}",
            thousands(page as u64)
        ));
    }
    t
}

impl Results {
    /// The memory children of one listing.
    fn rss_of(&self, kind: Kind) -> impl Iterator<Item = &Rss> {
        self.rss.iter().filter(move |r| r.listing.kind == kind)
    }

    fn listing_table(&self) -> Table {
        let mut t = listing_table(&self.timings, "integrations", self.items, self.runs);
        t.note(
            "raw: hyper-util by hand, pages decoded into serde_json::Value; floor: the same \
             requests, bodies only scanned (IgnoredAny) for $next; typed: the same loop decoding \
             with the SDK's own decode_response::<Vec<Integration>>, no client; sdk: \
             edlink-client's item stream with the default HyperTransport; prefetch: a prototype, \
             the typed loop requesting page n+1 (its $next found by a quick scan) while page n \
             is decoded"
                .to_owned(),
        );
        t.note(
            "client CPU: this process (user + system, all threads) during the listing; mock CPU: \
             the mock's own process (/proc/<pid>/stat); share = mock / (mock + client)"
                .to_owned(),
        );
        t
    }

    fn graph_table(&self) -> Table {
        let mut t = listing_table(
            &self.graph_timings,
            "Graph people",
            self.graph_items,
            self.runs,
        );
        t.note(
            "GET /api/v2/graph/people of one district (students, teachers, staff, guardians) \
             with the integration's access token; raw, floor and typed as above (typed: \
             decode_response::<Vec<Person>>); sdk: client.graph(token).people().list() items"
                .to_owned(),
        );
        t
    }

    fn rss_table(&self) -> Table {
        let mut t = Table::new(
            "Peak resident memory of the sdk item stream (one child process per listing)",
            &[
                "listing",
                "items",
                "page size",
                "RSS before MB",
                "peak after the first items (pages) MB",
                "peak at the end (VmHWM) MB",
                "end / first (median; all runs)",
                "heap peak: first, end MB",
                "heap end / first (median; all runs)",
                "listing s",
            ],
        );
        for r in &self.rss {
            t.row(vec![
                r.listing.noun().to_owned(),
                thousands(r.items as u64),
                thousands(r.page as u64),
                format!("{:.1}", r.start_kb as f64 / 1024.0),
                format!(
                    "{:.1} ({} items, {} pages)",
                    r.mark_mb(),
                    thousands(r.mark_items as u64),
                    r.mark_items.div_ceil(r.page.max(1))
                ),
                format!("{:.1}", r.peak_mb()),
                format!("{:.2} ({})", r.growth(), list(&r.growths)),
                format!(
                    "{:.1}, {:.1}",
                    r.heap_mark_kb as f64 / 1024.0,
                    r.heap_peak_kb as f64 / 1024.0
                ),
                format!("{:.2} ({})", r.heap_growth_median(), list(&r.heap_growths)),
                format!("{:.2}", r.seconds),
            ]);
        }
        t.note(format!(
            "end / first: the listing's peak at the end over its peak once the first items \
                 (at least 30 pages, so the allocator's start-up transient is behind) were in \
                 hand, in the same process: what the rest of the listing added (target ≤ 1.2, \
                 judged on the heap's; see docs/performance.md, \"Memory\"). \
                 Each row is the run with the median (resident) end / first of {} runs, each \
                 its own process; the other columns are that run's, but for the heap's end / \
                 first, the median of the runs' own. heap: the most bytes the process held at once \
                 (allocated and not yet freed, counted by the global allocator), which is what \
                 the SDK holds; the resident peaks add what glibc's malloc keeps after a free \
                 (an arena per thread, and a threshold for returning large blocks that rises \
                 as they are freed), which moves from run to run",
            super::rss::RUNS
        ));
        t
    }

    fn concurrency_table(&self) -> Table {
        let mut t = Table::new(
            &format!(
                "Concurrency: one shared Client, a listing of {} integrations in pages of {}",
                concurrency::ITEMS,
                concurrency::PAGE
            ),
            &[
                "tasks",
                "listings in all",
                "sdk seconds (median)",
                "sdk items/s",
                "sdk listings/s",
                "raw items/s",
            ],
        );
        for level in &self.concurrency {
            t.row(vec![
                level.tasks.to_string(),
                level.listings.to_string(),
                format!("{:.3}", level.seconds),
                thousands(level.items_per_s as u64),
                format!("{:.0}", level.listings as f64 / level.seconds),
                thousands(level.raw_items_per_s as u64),
            ]);
        }
        t
    }

    /// Every table, in order.
    pub(crate) fn tables(&self) -> Vec<Table> {
        let mut tables = vec![self.listing_table()];
        if !self.graph_timings.is_empty() {
            tables.push(self.graph_table());
        }
        tables.push(self.rss_table());
        tables.push(self.concurrency_table());
        tables
    }

    /// `bench: sdk/raw=… sdk/floor=… rss_1m/rss_100k=… peak_rss_1m_mb=…
    /// heap_1m/heap_100k=… graph_sdk/raw=… graph_sdk/floor=… graph_rss=…
    /// graph_peak_rss_mb=… graph_heap=…`: the worst page size for each figure.
    pub(crate) fn summary_line(&self) -> String {
        let figures = |timings: &[Timings], kind: Kind| {
            let pages = pages(timings);
            let sdk_raw = worst(pages.iter().map(|&p| ratios(timings, p).0));
            let sdk_floor = worst(pages.iter().map(|&p| ratios(timings, p).1));
            let growth = worst(self.rss_of(kind).map(Rss::growth));
            let peak = worst(self.rss_of(kind).map(Rss::peak_mb));
            let heap = worst(self.rss_of(kind).map(Rss::heap_growth_median));
            (sdk_raw, sdk_floor, growth, peak.round() as u64, heap)
        };
        let (sdk_raw, sdk_floor, rss, peak, heap) = figures(&self.timings, Kind::Integrations);
        let mut line = format!(
            "bench: sdk/raw={sdk_raw:.2} sdk/floor={sdk_floor:.2} rss_1m/rss_100k={rss:.2} \
             peak_rss_1m_mb={peak} heap_1m/heap_100k={heap:.2}"
        );
        if !self.graph_timings.is_empty() {
            let (sdk_raw, sdk_floor, rss, peak, heap) = figures(&self.graph_timings, Kind::People);
            line.push_str(&format!(
                " graph_sdk/raw={sdk_raw:.2} graph_sdk/floor={sdk_floor:.2} graph_rss={rss:.2} \
                 graph_peak_rss_mb={peak} graph_heap={heap:.2}"
            ));
        }
        line
    }
}

/// `1.02, 1.36, 1.11`.
fn list(figures: &[f64]) -> String {
    figures
        .iter()
        .map(|g| format!("{g:.2}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
