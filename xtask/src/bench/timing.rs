//! The timed listings: raw, floor, typed and sdk (and prefetch) in turn (A B C D A B C D …),
//! each run timed alone, with the CPU time of this process and of the mock around it.

use std::time::Instant;

use tokio::runtime::Runtime;

use super::listing::Listing;
use super::mock::{KEY, MockProcess};
use super::stats::{Summary, summarize};
use super::{floor, prefetch, procfs, raw, sdk, typed};

/// One way of listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Variant {
    Raw,
    Floor,
    Typed,
    Sdk,
    /// A prototype of the sdk with one page prefetched (see `prefetch.rs`).
    Prefetch,
}

impl Variant {
    pub(crate) const ALL: [Variant; 5] = [
        Variant::Raw,
        Variant::Floor,
        Variant::Typed,
        Variant::Sdk,
        Variant::Prefetch,
    ];

    /// The variants timed for Graph people: the prefetch prototype is for
    /// integrations only.
    pub(crate) const GRAPH: [Variant; 4] =
        [Variant::Raw, Variant::Floor, Variant::Typed, Variant::Sdk];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Variant::Raw => "raw",
            Variant::Floor => "floor",
            Variant::Typed => "typed",
            Variant::Prefetch => "prefetch",
            Variant::Sdk => "sdk",
        }
    }
}

/// Every timed run of one variant at one page size.
#[derive(Clone, Debug)]
pub(crate) struct Timings {
    pub(crate) variant: Variant,
    pub(crate) page: usize,
    pub(crate) seconds: Vec<f64>,
    /// Sums over the timed runs.
    pub(crate) wall_s: f64,
    pub(crate) client_cpu_s: f64,
    pub(crate) mock_cpu_s: f64,
}

impl Timings {
    pub(crate) fn summary(&self) -> Option<Summary> {
        summarize(&self.seconds)
    }
}

/// What one listing saw, to check every variant got everything.
#[derive(Debug, PartialEq)]
struct Seen {
    count: usize,
    last: Option<String>,
}

async fn list_once(
    variant: Variant,
    base: &str,
    listing: &Listing,
    page: usize,
) -> Result<(Seen, Sample), String> {
    // Clients are built before the clock starts; connecting is timed (once per run).
    let (raw_http, sdk_client) = match variant {
        Variant::Sdk => (None, Some(sdk::client(base, KEY)?)),
        _ => (Some(raw::client()), None),
    };
    let start = Sample::now()?;
    let seen = match (variant, &raw_http, &sdk_client) {
        (Variant::Raw, Some(http), _) => {
            let ids = raw::list(http, base, listing, page).await?;
            if ids.windows(2).any(|w| w[0] >= w[1]) {
                return Err("raw: ids out of order".into());
            }
            Seen {
                count: ids.len(),
                last: ids.last().cloned(),
            }
        }
        (Variant::Floor, Some(http), _) => Seen {
            count: floor::list(http, base, listing, page).await?,
            last: None,
        },
        (Variant::Typed, Some(http), _) => {
            let (count, last) = typed::list(http, base, listing, page).await?;
            Seen { count, last }
        }
        (Variant::Prefetch, Some(http), _) => {
            let (count, last) = prefetch::list(http, base, listing, page).await?;
            Seen { count, last }
        }
        (Variant::Sdk, _, Some(client)) => {
            let (count, last) = sdk::list(client, listing, page as u64).await?;
            Seen { count, last }
        }
        _ => return Err("no client for this variant".into()),
    };
    let elapsed = Sample::now()?.minus(&start);
    Ok((seen, elapsed))
}

/// Wall and CPU time of this process at one moment (or, after `minus`,
/// between two).
#[derive(Clone, Copy, Debug)]
struct Sample {
    at: Instant,
    wall_s: f64,
    client_cpu_s: f64,
}

impl Sample {
    fn now() -> Result<Self, String> {
        Ok(Self {
            at: Instant::now(),
            wall_s: 0.0,
            client_cpu_s: procfs::cpu_seconds(None)?,
        })
    }

    fn minus(&self, earlier: &Sample) -> Sample {
        Sample {
            at: earlier.at,
            wall_s: self.at.duration_since(earlier.at).as_secs_f64(),
            client_cpu_s: self.client_cpu_s - earlier.client_cpu_s,
        }
    }
}

/// `runs` timed rounds (after one untimed warm-up round) of `variants` at page
/// size `page`, each listing `items` items of `listing` from the mock.
pub(crate) fn measure(
    runtime: &Runtime,
    mock: &MockProcess,
    listing: &Listing,
    variants: &[Variant],
    items: usize,
    page: usize,
    runs: usize,
) -> Result<Vec<Timings>, String> {
    let mut timings: Vec<Timings> = variants
        .iter()
        .map(|&variant| Timings {
            variant,
            page,
            seconds: Vec::new(),
            wall_s: 0.0,
            client_cpu_s: 0.0,
            mock_cpu_s: 0.0,
        })
        .collect();
    let mut reference: Option<Option<String>> = None;
    for round in 0..=runs {
        for t in &mut timings {
            let mock_before = mock.cpu_seconds()?;
            let (seen, sample) =
                runtime.block_on(list_once(t.variant, mock.url(), listing, page))?;
            let mock_cpu = mock.cpu_seconds()? - mock_before;
            if seen.count != items {
                return Err(format!(
                    "{} at page size {page}: {} items, expected {items}",
                    t.variant.name(),
                    seen.count
                ));
            }
            match (&reference, seen.last) {
                (_, None) => {}
                (None, last) => reference = Some(last),
                (Some(expected), last) if *expected == last => {}
                (Some(expected), last) => {
                    return Err(format!(
                        "{}: last id {last:?}, raw saw {expected:?}",
                        t.variant.name()
                    ));
                }
            }
            if round == 0 {
                continue; // warm-up
            }
            t.seconds.push(sample.wall_s);
            t.wall_s += sample.wall_s;
            t.client_cpu_s += sample.client_cpu_s;
            t.mock_cpu_s += mock_cpu;
        }
    }
    Ok(timings)
}
