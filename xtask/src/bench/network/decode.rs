//! Where decoding a page starts to hold a worker thread for more than about
//! a millisecond: the time to decode pages of generated integrations (typed,
//! and as `serde_json::Value`) by size, and the cost of handing the work to
//! tokio's blocking pool. The client decodes bodies over 64 KiB on that pool
//! (`edlink-client/src/offload.rs`); this is the measurement behind it.

use std::time::Instant;

use edlink_client::Integration;
use edlink_client::model::decode_response;
use edlink_mock::{Collection, MockData};

use crate::bench::mock::SEED;
use crate::bench::stats::summarize;

/// Items per page measured.
const SIZES: [usize; 6] = [10, 30, 60, 100, 300, 1_000];
/// Repetitions of each decode (the fastest counts: the machine is shared).
const REPEATS: usize = 30;
/// Round trips to the blocking pool (the median counts).
const HOPS: usize = 2_000;

/// Decoding one page.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DecodeCost {
    pub(crate) items: usize,
    pub(crate) bytes: usize,
    pub(crate) typed_ms: f64,
    pub(crate) value_ms: f64,
}

/// The costs by page size, and the median round trip to the blocking pool in µs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Decoding {
    pub(crate) costs: Vec<DecodeCost>,
    pub(crate) hop_us: f64,
}

fn page(items: &[bytes::Bytes]) -> Vec<u8> {
    let mut body = b"{\"$data\":[".to_vec();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(item);
    }
    body.extend_from_slice(b"],\"$request\":\"r\"}");
    body
}

fn fastest_ms(mut decode: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    let mut best = f64::INFINITY;
    for _ in 0..REPEATS {
        let start = Instant::now();
        decode()?;
        best = best.min(start.elapsed().as_secs_f64() * 1e3);
    }
    Ok(best)
}

/// Runs on the benchmark's runtime (the hop needs one).
pub(crate) async fn measure() -> Result<Decoding, String> {
    let largest = SIZES.iter().copied().max().unwrap_or(0);
    let data = MockData::generated(largest, SEED);
    let items = data.bytes(Collection::Integrations);
    let mut costs = Vec::new();
    for n in SIZES {
        let body = page(&items[..n.min(items.len())]);
        let typed_ms = fastest_ms(|| {
            decode_response::<Vec<Integration>>(200, None, &body)
                .map(drop)
                .map_err(|e| e.to_string())
        })?;
        let value_ms = fastest_ms(|| {
            decode_response::<Vec<serde_json::Value>>(200, None, &body)
                .map(drop)
                .map_err(|e| e.to_string())
        })?;
        costs.push(DecodeCost {
            items: n,
            bytes: body.len(),
            typed_ms,
            value_ms,
        });
    }
    let mut hops = Vec::with_capacity(HOPS);
    for _ in 0..HOPS {
        let start = Instant::now();
        tokio::task::spawn_blocking(|| ())
            .await
            .map_err(|e| format!("blocking pool: {e}"))?;
        hops.push(start.elapsed().as_secs_f64() * 1e6);
    }
    let hop_us = summarize(&hops).map_or(f64::NAN, |s| s.median);
    Ok(Decoding { costs, hop_us })
}
