//! Where the sdk's time goes on the shaped link: one more listing of the
//! `sdk` variant through a transport that timestamps each request, so the
//! listing splits into time inside the transport (first byte, transfer,
//! gzip decoding as the body streams) and time between a response and the
//! next request (decoding the page into typed items, the paging rules, the
//! hand-offs between tasks and threads). Pages are chained, so the second
//! part is on the critical path whatever the prefetch.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use edlink_client::transport::BoxFuture;
use edlink_client::{Client, HyperTransport, Transport, TransportError};
use futures_util::TryStreamExt;

use super::PAGE;
use crate::bench::mock::KEY;
use crate::bench::stats::summarize;

/// When each request was sent and its response complete.
type Log = Arc<Mutex<Vec<(Instant, Instant)>>>;

struct Timed {
    inner: HyperTransport,
    log: Log,
}

impl Transport for Timed {
    fn send(
        &self,
        request: http::Request<bytes::Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<bytes::Bytes>, TransportError>> {
        Box::pin(async move {
            let sent = Instant::now();
            let response = self.inner.send(request).await;
            if let Ok(mut log) = self.log.lock() {
                log.push((sent, Instant::now()));
            }
            response
        })
    }
}

/// Medians per request, in milliseconds.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Timeline {
    pub(crate) requests: usize,
    /// Sent to complete (decoded from gzip, in memory).
    pub(crate) transport_ms: f64,
    /// Complete to the next request sent.
    pub(crate) between_ms: f64,
    pub(crate) total_s: f64,
    pub(crate) transport_total_s: f64,
}

/// Lists everything once through the timing transport (no consumer work:
/// with one page ahead it is hidden anyway, and it would blur the gaps).
pub(crate) async fn measure(base: &str) -> Result<Timeline, String> {
    let log: Log = Arc::default();
    let inner = HyperTransport::builder()
        .build()
        .map_err(|e| format!("building the transport: {e}"))?;
    let client = Client::builder()
        .application_key(KEY)
        .base_url(base)
        .transport(Timed {
            inner,
            log: Arc::clone(&log),
        })
        .build()
        .map_err(|e| format!("building the client: {e}"))?;
    let start = Instant::now();
    let mut items = client.integrations().list().first(PAGE as u64).items();
    while items
        .try_next()
        .await
        .map_err(|e| format!("sdk: {e}"))?
        .is_some()
    {}
    let total_s = start.elapsed().as_secs_f64();
    let log = log.lock().map_err(|_| "the log's lock")?.clone();
    let ms = |a: Instant, b: Instant| b.duration_since(a).as_secs_f64() * 1e3;
    let transport: Vec<f64> = log.iter().map(|(s, e)| ms(*s, *e)).collect();
    let between: Vec<f64> = log.windows(2).map(|w| ms(w[0].1, w[1].0)).collect();
    let median = |v: &[f64]| summarize(v).map_or(f64::NAN, |s| s.median);
    Ok(Timeline {
        requests: log.len(),
        transport_ms: median(&transport),
        between_ms: median(&between),
        total_s,
        transport_total_s: transport.iter().sum::<f64>() / 1e3,
    })
}
