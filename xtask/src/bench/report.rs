//! The results as tables, the ratios, and the one summary line.

use super::concurrency::{self, Level};
use super::rss::Rss;
use super::stats::ratio;
use super::table::Table;
use super::timing::{Timings, Variant};

/// Everything one benchmark run measured.
#[derive(Debug, Default)]
pub(crate) struct Results {
    pub(crate) items: usize,
    pub(crate) runs: usize,
    pub(crate) timings: Vec<Timings>,
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

impl Results {
    fn median(&self, variant: Variant, page: usize) -> Option<f64> {
        self.timings
            .iter()
            .find(|t| t.variant == variant && t.page == page)
            .and_then(Timings::summary)
            .map(|s| s.median)
    }

    fn pages(&self) -> Vec<usize> {
        let mut pages: Vec<usize> = self.timings.iter().map(|t| t.page).collect();
        pages.sort_unstable();
        pages.dedup();
        pages
    }

    /// `(sdk/raw, sdk/floor, sdk/typed)` of the medians at one page size.
    fn ratios(&self, page: usize) -> (f64, f64, f64) {
        let get = |v| self.median(v, page).unwrap_or(f64::NAN);
        let sdk = get(Variant::Sdk);
        (
            ratio(sdk, get(Variant::Raw)),
            ratio(sdk, get(Variant::Floor)),
            ratio(sdk, get(Variant::Typed)),
        )
    }

    /// `peak(10 N) / peak(N)` at one page size, and the larger peak.
    fn rss_ratio(&self, page: usize) -> Option<(f64, &Rss)> {
        let mut at_page: Vec<&Rss> = self.rss.iter().filter(|r| r.page == page).collect();
        at_page.sort_by_key(|r| r.items);
        let (small, large) = (at_page.first()?, at_page.last()?);
        Some((ratio(large.peak_kb as f64, small.peak_kb as f64), *large))
    }

    fn listing_table(&self) -> Table {
        let mut t = Table::new(
            &format!(
                "Listing {} integrations ({} timed runs each, alternating; median, min–max)",
                thousands(self.items as u64),
                self.runs
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
        for timing in &self.timings {
            let Some(s) = timing.summary() else { continue };
            let runs = s.count as f64;
            t.row(vec![
                thousands(timing.page as u64),
                timing.variant.name().to_owned(),
                format!("{:.3}", s.median),
                format!("{:.3}–{:.3}", s.min, s.max),
                thousands((self.items as f64 / s.median) as u64),
                format!("{:.3}", timing.client_cpu_s / runs),
                format!("{:.3}", timing.mock_cpu_s / runs),
                format!(
                    "{:.0} %",
                    100.0 * ratio(timing.mock_cpu_s, timing.mock_cpu_s + timing.client_cpu_s)
                ),
            ]);
        }
        for page in self.pages() {
            let (raw, floor, typed) = self.ratios(page);
            t.note(format!(
                "page size {}: sdk/raw = {raw:.2} (target ≤ 1.00), sdk/floor = {floor:.2} (target ≤ 1.25), sdk/typed = {typed:.2}",
                thousands(page as u64)
            ));
        }
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

    fn rss_table(&self) -> Table {
        let mut t = Table::new(
            "Peak resident memory of the sdk item stream (one child process per listing)",
            &[
                "items",
                "page size",
                "RSS before MB",
                "peak RSS (VmHWM) MB",
                "listing s",
            ],
        );
        for r in &self.rss {
            t.row(vec![
                thousands(r.items as u64),
                thousands(r.page as u64),
                format!("{:.1}", r.start_kb as f64 / 1024.0),
                format!("{:.1}", r.peak_mb()),
                format!("{:.2}", r.seconds),
            ]);
        }
        let mut pages: Vec<usize> = self.rss.iter().map(|r| r.page).collect();
        pages.sort_unstable();
        pages.dedup();
        for page in pages {
            if let Some((ratio, _)) = self.rss_ratio(page) {
                t.note(format!(
                    "page size {}: peak ratio (largest / smallest listing) = {ratio:.2} (target ≤ 1.2)",
                    thousands(page as u64)
                ));
            }
        }
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
        vec![
            self.listing_table(),
            self.rss_table(),
            self.concurrency_table(),
        ]
    }

    /// `bench: sdk/raw=… sdk/floor=… rss_1m/rss_100k=… peak_rss_1m_mb=…`: the
    /// worst page size for each figure.
    pub(crate) fn summary_line(&self) -> String {
        let worst = |values: Vec<f64>| values.into_iter().fold(f64::NAN, f64::max);
        let pages = self.pages();
        let sdk_raw = worst(pages.iter().map(|&p| self.ratios(p).0).collect());
        let sdk_floor = worst(pages.iter().map(|&p| self.ratios(p).1).collect());
        let mut rss_pages: Vec<usize> = self.rss.iter().map(|r| r.page).collect();
        rss_pages.sort_unstable();
        rss_pages.dedup();
        let rss = rss_pages.iter().filter_map(|&p| self.rss_ratio(p));
        let (rss_ratio, peak_mb) = rss.fold((f64::NAN, f64::NAN), |(r, m), (ratio, large)| {
            (r.max(ratio), m.max(large.peak_mb()))
        });
        format!(
            "bench: sdk/raw={sdk_raw:.2} sdk/floor={sdk_floor:.2} rss_1m/rss_100k={rss_ratio:.2} peak_rss_1m_mb={}",
            peak_mb.round() as u64
        )
    }
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
