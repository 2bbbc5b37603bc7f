//! The network benchmark's results: tables, the summary line, markdown.

use super::decode::Decoding;
use super::timeline::Timeline;
use super::variants::NetVariant;
use super::wire::Wire;
use super::{BYTES_PER_SECOND, FIRST_BYTE, PAGE, PER_ITEM, WORK_PER_ITEM};
use crate::bench::report::thousands;
use crate::bench::stats::{Summary, ratio, summarize};
use crate::bench::table::Table;

/// Everything one `--network` run measured.
#[derive(Debug)]
pub(crate) struct NetResults {
    items: usize,
    runs: usize,
    wire: Wire,
    /// Per variant (in `NetVariant::ALL` order): seconds of each timed run,
    /// and the client's CPU seconds summed over them.
    seconds: Vec<Vec<f64>>,
    cpu_s: Vec<f64>,
    /// The last id the first sdk listing saw, which every listing must see.
    last_id: Option<String>,
    pub(crate) decode: Decoding,
    pub(crate) timeline: Timeline,
    pub(crate) context: Vec<String>,
}

fn index(variant: NetVariant) -> usize {
    NetVariant::ALL
        .iter()
        .position(|v| *v == variant)
        .unwrap_or(0)
}

impl NetResults {
    pub(crate) fn new(items: usize, runs: usize, wire: Wire) -> Self {
        Self {
            items,
            runs,
            wire,
            seconds: vec![Vec::new(); NetVariant::ALL.len()],
            cpu_s: vec![0.0; NetVariant::ALL.len()],
            last_id: None,
            decode: Decoding::default(),
            timeline: Timeline::default(),
            context: Vec::new(),
        }
    }

    pub(crate) fn record(&mut self, variant: NetVariant, seconds: f64, cpu_s: f64) {
        self.seconds[index(variant)].push(seconds);
        self.cpu_s[index(variant)] += cpu_s;
    }

    /// Every listing that keeps ids must end on the same one.
    pub(crate) fn check_last_id(
        &mut self,
        variant: NetVariant,
        last: Option<&str>,
    ) -> Result<(), String> {
        let Some(last) = last else { return Ok(()) };
        match &self.last_id {
            None => self.last_id = Some(last.to_owned()),
            Some(expected) if expected == last => {}
            Some(expected) => {
                return Err(format!(
                    "{}: last id {last}, another listing ended on {expected}",
                    variant.name()
                ));
            }
        }
        Ok(())
    }

    fn summary(&self, variant: NetVariant) -> Option<Summary> {
        summarize(&self.seconds[index(variant)])
    }

    fn median(&self, variant: NetVariant) -> f64 {
        self.summary(variant).map_or(f64::NAN, |s| s.median)
    }

    /// The time the link alone takes to deliver every page (first byte, then
    /// the body at the bandwidth), for `bytes` of bodies in all.
    fn link_seconds(&self, bytes: u64) -> f64 {
        let pages = self.wire.pages as f64;
        let first_bytes =
            pages * FIRST_BYTE.as_secs_f64() + self.wire.items as f64 * PER_ITEM.as_secs_f64();
        first_bytes + bytes as f64 / BYTES_PER_SECOND as f64
    }

    fn listing_table(&self) -> Table {
        let mut t = Table::new(
            &format!(
                "Listing {} integrations over the shaped link ({} timed runs each, alternating; median, min–max)",
                thousands(self.items as u64),
                self.runs
            ),
            &[
                "variant",
                "median s",
                "min–max s",
                "items/s",
                "client CPU s/run",
                "vs floor",
            ],
        );
        let floor = self.median(NetVariant::Floor);
        for variant in NetVariant::ALL {
            let Some(s) = self.summary(variant) else {
                continue;
            };
            t.row(vec![
                variant.name().to_owned(),
                format!("{:.3}", s.median),
                format!("{:.3}–{:.3}", s.min, s.max),
                thousands((self.items as f64 / s.median) as u64),
                format!("{:.3}", self.cpu_s[index(variant)] / s.count as f64),
                format!("{:.2}", ratio(s.median, floor)),
            ]);
        }
        t.note(format!(
            "link: {} ms + {} µs per item to the first byte ({} ms for a page of {}), {} Mbit/s per response, gzip when asked (level 6)",
            FIRST_BYTE.as_millis(),
            PER_ITEM.as_micros(),
            (FIRST_BYTE + PER_ITEM * PAGE as u32).as_millis(),
            thousands(PAGE as u64),
            BYTES_PER_SECOND * 8 / 1_000_000
        ));
        t.note(format!(
            "floor: hyper by hand, no gzip, one page at a time, bodies only scanned (IgnoredAny) for $next; sdk: the default client (gzip, one page ahead), typed items, a consumer that waits {} µs per item (an async write: no CPU); then the same with HyperTransport::builder().gzip(false), and with prefetch(0)",
            WORK_PER_ITEM.as_micros()
        ));
        let floor_link = self.link_seconds(self.wire.identity_bytes);
        let gzip_link = self.link_seconds(self.wire.gzip_bytes);
        t.note(format!(
            "the link alone (first bytes + bodies at the bandwidth, from the bytes counted below): {floor_link:.3} s uncompressed, {gzip_link:.3} s gzip-encoded. Each $next comes in the page before, so pages cannot overlap: no client can list in less than {gzip_link:.3} s, i.e. sdk/floor ≥ {:.3} against this run's floor and ≥ {:.3} against a floor that costs nothing but the link",
            ratio(gzip_link, floor),
            ratio(gzip_link, floor_link)
        ));
        t
    }

    fn timeline_table(&self) -> Table {
        let tl = &self.timeline;
        let mut t = Table::new(
            "Where the sdk's time goes (one more sdk listing, no consumer work, through a transport that timestamps each request)",
            &["part", "per request ms (median)", "whole listing s"],
        );
        let pages = self.wire.pages.max(1) as f64;
        let link_page_ms = 1e3 * self.link_seconds(self.wire.gzip_bytes) / pages;
        t.row(vec![
            "the link alone (first byte, gzip body at the bandwidth)".to_owned(),
            format!("{link_page_ms:.1}"),
            format!("{:.3}", self.link_seconds(self.wire.gzip_bytes)),
        ]);
        t.row(vec![
            "in the transport (request sent to body decoded from gzip)".to_owned(),
            format!("{:.1}", tl.transport_ms),
            format!("{:.3}", tl.transport_total_s),
        ]);
        t.row(vec![
            "between a response and the next request (typed decode, paging, hand-offs)".to_owned(),
            format!("{:.1}", tl.between_ms),
            format!("{:.3}", tl.total_s - tl.transport_total_s),
        ]);
        let extra = if tl.requests > self.wire.pages {
            " (one more than the pages: the last page is full and has no $next, so the paging \
             rules ask once more, with $after, and get an empty page)"
        } else {
            ""
        };
        t.note(format!(
            "{} requests{extra}; listing {:.3} s",
            tl.requests, tl.total_s
        ));
        t
    }

    fn wire_table(&self) -> Table {
        let mut t = Table::new(
            "Bytes on the wire (response bodies, the whole listing)",
            &["encoding", "bytes", "per page", "time at the bandwidth s"],
        );
        let pages = self.wire.pages.max(1) as u64;
        for (name, bytes) in [
            ("identity", self.wire.identity_bytes),
            ("gzip", self.wire.gzip_bytes),
        ] {
            t.row(vec![
                name.to_owned(),
                thousands(bytes),
                thousands(bytes / pages),
                format!("{:.3}", bytes as f64 / BYTES_PER_SECOND as f64),
            ]);
        }
        t.note(format!(
            "{} pages; gzip / identity = {:.3}",
            self.wire.pages,
            self.wire.ratio()
        ));
        t
    }

    fn decode_table(&self) -> Table {
        let mut t = Table::new(
            "Decoding one page in place (fastest of 30; this process, no I/O)",
            &["items", "bytes", "typed ms", "serde_json::Value ms"],
        );
        for c in &self.decode.costs {
            t.row(vec![
                thousands(c.items as u64),
                thousands(c.bytes as u64),
                format!("{:.3}", c.typed_ms),
                format!("{:.3}", c.value_ms),
            ]);
        }
        t.note(format!(
            "a round trip to tokio's blocking pool (spawn_blocking of nothing, awaited): {:.0} µs (median of 2,000); the client decodes bodies over 64 KiB there",
            self.decode.hop_us
        ));
        t
    }

    pub(crate) fn tables(&self) -> Vec<Table> {
        vec![
            self.listing_table(),
            self.timeline_table(),
            self.wire_table(),
            self.decode_table(),
        ]
    }

    /// `bench-net: sdk/floor=… gzip_gain=… prefetch_gain=… wire_bytes_ratio=…
    /// link/floor=…`. The last is the least `sdk/floor` any client could
    /// reach in this run: the link's own time for the gzip-encoded pages, one
    /// after the other (each `$next` comes in the page before), over the floor.
    pub(crate) fn summary_line(&self) -> String {
        let sdk = self.median(NetVariant::Sdk);
        let floor = self.median(NetVariant::Floor);
        format!(
            "bench-net: sdk/floor={:.2} gzip_gain={:.2} prefetch_gain={:.2} wire_bytes_ratio={:.2} link/floor={:.2}",
            ratio(sdk, floor),
            ratio(self.median(NetVariant::SdkGzipOff), sdk),
            ratio(self.median(NetVariant::SdkPrefetchOff), sdk),
            self.wire.ratio(),
            ratio(self.link_seconds(self.wire.gzip_bytes), floor)
        )
    }

    /// The generated section of docs/performance.md.
    pub(crate) fn markdown(&self, command: &str) -> String {
        let mut out = format!("_Generated by `{command}`; do not edit by hand._\n\n");
        for line in &self.context {
            out.push_str(&format!("- {line}\n"));
        }
        out.push('\n');
        for table in self.tables() {
            out.push_str(&table.markdown());
            out.push('\n');
        }
        out.push_str(&format!("```text\n{}\n```\n", self.summary_line()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_takes_the_ratios_of_the_medians() {
        let wire = Wire {
            pages: 2,
            items: 2_000,
            identity_bytes: 2_000_000,
            gzip_bytes: 500_000,
        };
        let mut r = NetResults::new(2_000, 3, wire);
        for (variant, times) in [
            (NetVariant::Floor, [4.0, 5.0, 6.0]),
            (NetVariant::Sdk, [2.0, 2.5, 9.0]),
            (NetVariant::SdkGzipOff, [5.0, 5.0, 5.0]),
            (NetVariant::SdkPrefetchOff, [1.0, 3.0, 3.0]),
        ] {
            for t in times {
                r.record(variant, t, 0.1);
            }
        }
        assert_eq!(
            r.summary_line(),
            // link: 2 × 20 ms + 2,000 × 20 µs + 0.5 MB at 12.5 MB/s = 0.12 s; floor 5 s.
            "bench-net: sdk/floor=0.50 gzip_gain=2.00 prefetch_gain=1.20 wire_bytes_ratio=0.25 \
             link/floor=0.02"
        );
        assert!(r.check_last_id(NetVariant::Sdk, Some("a")).is_ok());
        assert!(r.check_last_id(NetVariant::Floor, None).is_ok());
        assert!(r.check_last_id(NetVariant::SdkGzipOff, Some("b")).is_err());
        // 2 pages × 20 ms + 2,000 × 20 µs + 2 MB at 12.5 MB/s.
        let link = r.link_seconds(2_000_000);
        assert!((link - (0.04 + 0.04 + 0.16)).abs() < 1e-9, "{link}");
    }
}
