//! The listings timed over the shaped link.

use std::time::{Duration, Instant};

use edlink_client::{Client, HyperTransport};
use futures_util::TryStreamExt;

use super::{PAGE, WORK_PER_ITEM};
use crate::bench::listing::Listing;
use crate::bench::mock::KEY;
use crate::bench::{floor, procfs, raw, sdk};

/// One way of listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NetVariant {
    /// The bare transfer: the loopback benchmark's floor (no gzip, one page
    /// at a time, bodies only scanned, no work per item).
    Floor,
    /// The default client, typed items, the consumer's work per item.
    Sdk,
    /// The same, with a transport that does not ask for gzip.
    SdkGzipOff,
    /// The same, with `prefetch(0)`.
    SdkPrefetchOff,
}

impl NetVariant {
    pub(crate) const ALL: [NetVariant; 4] = [
        NetVariant::Floor,
        NetVariant::Sdk,
        NetVariant::SdkGzipOff,
        NetVariant::SdkPrefetchOff,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            NetVariant::Floor => "floor",
            NetVariant::Sdk => "sdk",
            NetVariant::SdkGzipOff => "sdk, gzip off",
            NetVariant::SdkPrefetchOff => "sdk, prefetch off",
        }
    }
}

/// What one listing saw and took.
pub(crate) struct Run {
    pub(crate) count: usize,
    pub(crate) last: Option<String>,
    pub(crate) seconds: f64,
    pub(crate) client_cpu_s: f64,
}

/// A consumer that spends [`WORK_PER_ITEM`] on each item, waiting rather
/// than computing (an async write to a database, say): the figure then
/// depends on the link and the client, not on how busy the shared machine
/// is. Its work is scheduled on tokio's clock: each item ends 20 µs after the
/// previous one ended or after it arrived, whichever is later, and the
/// consumer sleeps whenever it is more than a millisecond ahead of its
/// schedule (tokio's timer counts milliseconds).
struct Consumer {
    busy_until: tokio::time::Instant,
}

impl Consumer {
    /// A gap longer than this between the schedule and the clock is the
    /// consumer waiting for items, not the timer's lateness.
    const SLACK: Duration = Duration::from_millis(2);

    fn new() -> Self {
        Self {
            busy_until: tokio::time::Instant::now(),
        }
    }

    async fn work_on_item(&mut self) {
        let now = tokio::time::Instant::now();
        let start = if now > self.busy_until + Self::SLACK {
            now
        } else {
            self.busy_until
        };
        self.busy_until = start + WORK_PER_ITEM;
        if self.busy_until > now + Duration::from_millis(1) {
            tokio::time::sleep_until(self.busy_until).await;
        }
    }
}

fn sdk_client(base: &str, gzip: bool) -> Result<Client, String> {
    if gzip {
        return sdk::client(base, KEY);
    }
    let transport = HyperTransport::builder()
        .gzip(false)
        .build()
        .map_err(|e| format!("building the transport: {e}"))?;
    Client::builder()
        .application_key(KEY)
        .base_url(base)
        .transport(transport)
        .build()
        .map_err(|e| format!("building the client: {e}"))
}

async fn sdk_list(
    client: &Client,
    prefetch: Option<usize>,
) -> Result<(usize, Option<String>), String> {
    let mut request = client.integrations().list().first(PAGE as u64);
    if let Some(pages) = prefetch {
        request = request.prefetch(pages);
    }
    let mut items = request.items();
    let (mut count, mut last) = (0, None);
    let mut consumer = Consumer::new();
    while let Some(integration) = items.try_next().await.map_err(|e| format!("sdk: {e}"))? {
        consumer.work_on_item().await;
        count += 1;
        last = Some(integration.id);
    }
    Ok((count, last.map(|id| id.to_string())))
}

/// One listing of `variant`; clients are built before the clock starts.
pub(crate) async fn list_once(variant: NetVariant, base: &str) -> Result<Run, String> {
    let http = raw::client();
    let client = sdk_client(base, variant != NetVariant::SdkGzipOff)?;
    let cpu_before = procfs::cpu_seconds(None)?;
    let start = Instant::now();
    let (count, last) = match variant {
        NetVariant::Floor => (
            floor::list(&http, base, &Listing::integrations(), PAGE).await?,
            None,
        ),
        NetVariant::Sdk | NetVariant::SdkGzipOff => sdk_list(&client, None).await?,
        NetVariant::SdkPrefetchOff => sdk_list(&client, Some(0)).await?,
    };
    let seconds = start.elapsed().as_secs_f64();
    let client_cpu_s = procfs::cpu_seconds(None)? - cpu_before;
    Ok(Run {
        count,
        last,
        seconds,
        client_cpu_s,
    })
}
