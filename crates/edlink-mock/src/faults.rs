//! Fault injection: what can go wrong ([`Fault`]), when ([`FaultPlan`], [`FaultRate`]), and
//! the run-time handle ([`Faults`]) that tests use to add faults and count them.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use crate::collection::Collection;
use crate::prng::SplitMix64;
use crate::routes::Route;

/// The value of a `Retry-After` header, in either RFC 9110 form, or garbage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: 3` (delay-seconds).
    Seconds(u64),
    /// An HTTP-date this far in the future (rounded up to a whole second), computed when sent.
    HttpDateIn(Duration),
    /// A fixed HTTP-date, e.g. one in the past (which means "retry now").
    HttpDate(SystemTime),
    /// Any text as it is, e.g. `"soon"`, to check that clients ignore garbage.
    Raw(String),
}

/// One thing that goes wrong with one response.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `429 Too Many Requests`, `$errors` code `RATE_LIMITED`, with an optional `Retry-After`.
    RateLimited(Option<RetryAfter>),
    /// This status (e.g. 500, 503, 408, 501) with an Edlink JSON `$errors` body
    /// (code `INTERNAL` for 5xx, `UNKNOWN` otherwise).
    Status(u16),
    /// This status (e.g. 502, 504) with an HTML page and `content-type: text/html`, as a
    /// proxy in front of the API sends.
    ProxyPage(u16),
    /// Wait this long before sending the headers, then answer normally.
    Delay(Duration),
    /// Declare the full `Content-Length`, send half the body, then close the connection.
    CloseMidBody,
    /// Close the connection without sending a byte of the response.
    DropConnection,
    /// Send the headers and half the body, wait this long, then send the rest.
    StallBody(Duration),
    /// A complete response (valid headers, matching `Content-Length`) whose body is the first
    /// half of the JSON.
    TruncatedBody,
    /// `200` JSON whose declared and sent body is this many bytes (streamed in 64 KiB chunks,
    /// so the server's memory stays small).
    Oversized {
        /// Size of the body in bytes.
        bytes: u64,
    },
    /// `200` JSON with a chunked body that never ends (until the client hangs up).
    EndlessBody,
    /// A normal page whose `$next` points at this other origin instead (same path and cursor),
    /// e.g. `"http://127.0.0.2:8080"` or `"https://evil.example"`.
    ForeignNext(String),
    /// A normal page whose `$next` is exactly this text (relative, `//host`, userinfo, other
    /// scheme or port: anything a hostile-URL table needs).
    NextUrl(String),
    /// A page with `$data: []` that still carries a `$next` (which serves the real page).
    EmptyPage,
    /// Adds this `$warnings` entry to the normal answer (success or error).
    Warning {
        /// The warning code, e.g. `PROVIDER_IGNORED_PAGE_SIZE`.
        code: String,
        /// The message.
        message: String,
    },
    /// A normal page whose `$next` is the URL of the page served before it on this route
    /// (A→B→A), or its own URL when there is none.
    RepeatNext,
    /// `200 OK` whose body is an `$errors` envelope (code `INTERNAL`).
    ErrorsOn200,
    /// A redirect with this status (301, 302, 307, 308) to `location`.
    Redirect {
        /// The status code.
        status: u16,
        /// The `Location` header.
        location: String,
    },
}

impl Fault {
    /// A short name for logs, e.g. `"status_503"` or `"close_mid_body"`.
    pub fn name(&self) -> String {
        match self {
            Fault::RateLimited(_) => "rate_limited".into(),
            Fault::Status(s) => format!("status_{s}"),
            Fault::ProxyPage(s) => format!("proxy_page_{s}"),
            Fault::Delay(_) => "delay".into(),
            Fault::CloseMidBody => "close_mid_body".into(),
            Fault::DropConnection => "drop_connection".into(),
            Fault::StallBody(_) => "stall_body".into(),
            Fault::TruncatedBody => "truncated_body".into(),
            Fault::Oversized { .. } => "oversized".into(),
            Fault::EndlessBody => "endless_body".into(),
            Fault::ForeignNext(_) => "foreign_next".into(),
            Fault::RepeatNext => "repeat_next".into(),
            Fault::NextUrl(_) => "next_url".into(),
            Fault::EmptyPage => "empty_page".into(),
            Fault::Warning { .. } => "warning".into(),
            Fault::ErrorsOn200 => "errors_on_200".into(),
            Fault::Redirect { .. } => "redirect".into(),
        }
    }
}

/// Which requests a fault applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultTarget {
    /// Every route, unknown ones included.
    Any,
    /// Exactly this route.
    Route(Route),
    /// The list and the fetch route of this collection, and the nested lists under it
    /// (`Collection::Schools` matches `/schools/:id/teachers`).
    Collection(Collection),
    /// Every known Graph route (`/api/v2/graph/…`).
    Graph,
}

impl FaultTarget {
    /// Whether a request on `route` is targeted.
    pub fn matches(&self, route: Route) -> bool {
        match self {
            FaultTarget::Any => true,
            FaultTarget::Route(r) => *r == route,
            FaultTarget::Collection(c) => route.collection() == Some(*c),
            FaultTarget::Graph => route.is_graph(),
        }
    }
}

impl From<Route> for FaultTarget {
    fn from(route: Route) -> Self {
        FaultTarget::Route(route)
    }
}

impl From<Collection> for FaultTarget {
    fn from(collection: Collection) -> Self {
        FaultTarget::Collection(collection)
    }
}

/// Random faults: each targeted request fails with probability `rate`, with a fault drawn
/// uniformly from `mix`, from a seeded generator (same seed and request order, same faults).
#[derive(Clone, Debug, PartialEq)]
pub struct FaultRate {
    /// Probability in `0.0..=1.0` that a targeted request gets a fault.
    pub rate: f64,
    /// Seed of the generator.
    pub seed: u64,
    /// The faults to draw from (an empty mix injects nothing).
    pub mix: Vec<Fault>,
    /// Which requests are eligible.
    pub target: FaultTarget,
}

impl FaultRate {
    /// `rate` on every route with the [`transient`](Self::transient_mix) mix.
    pub fn new(rate: f64, seed: u64) -> Self {
        Self {
            rate,
            seed,
            mix: Self::transient_mix(),
            target: FaultTarget::Any,
        }
    }

    /// Replaces the mix.
    pub fn mix(mut self, mix: Vec<Fault>) -> Self {
        self.mix = mix;
        self
    }

    /// Restricts the faults to some requests.
    pub fn target(mut self, target: impl Into<FaultTarget>) -> Self {
        self.target = target.into();
        self
    }

    /// Faults a correct client survives by retrying: 429 (no hint, `Retry-After: 0`, a past
    /// HTTP-date), 500, 503 (JSON), 502 and 504 (HTML), a 20 ms delay, a connection closed
    /// mid-body and one dropped before answering.
    pub fn transient_mix() -> Vec<Fault> {
        vec![
            Fault::RateLimited(None),
            Fault::RateLimited(Some(RetryAfter::Seconds(0))),
            Fault::RateLimited(Some(RetryAfter::HttpDate(SystemTime::UNIX_EPOCH))),
            Fault::Status(500),
            Fault::Status(503),
            Fault::ProxyPage(502),
            Fault::ProxyPage(504),
            Fault::Delay(Duration::from_millis(20)),
            Fault::CloseMidBody,
            Fault::DropConnection,
        ]
    }
}

/// A description of faults to install when the server starts (see
/// [`MockServerBuilder::faults`](crate::MockServerBuilder::faults)); the same operations
/// exist at run time on [`Faults`].
#[derive(Clone, Debug, Default)]
pub struct FaultPlan {
    queue: Vec<(FaultTarget, Fault)>,
    on_request: Vec<(u64, Fault)>,
    rate: Option<FaultRate>,
}

impl FaultPlan {
    /// No faults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next request that `target` matches gets `fault`.
    pub fn next(mut self, target: impl Into<FaultTarget>, fault: Fault) -> Self {
        self.queue.push((target.into(), fault));
        self
    }

    /// The next `n` requests that `target` matches get `fault`.
    pub fn fail_next(mut self, target: impl Into<FaultTarget>, n: usize, fault: Fault) -> Self {
        let target = target.into();
        self.queue.extend((0..n).map(|_| (target, fault.clone())));
        self
    }

    /// Request number `k` (the server's 1-based count of all requests) gets `fault`.
    pub fn on_request(mut self, k: u64, fault: Fault) -> Self {
        self.on_request.push((k, fault));
        self
    }

    /// Random faults at a rate.
    pub fn rate(mut self, rate: FaultRate) -> Self {
        self.rate = Some(rate);
        self
    }
}

#[derive(Debug, Default)]
struct FaultState {
    queue: VecDeque<(FaultTarget, Fault)>,
    on_request: BTreeMap<u64, Fault>,
    rate: Option<(FaultRate, SplitMix64)>,
}

/// The run-time fault controller of a running server (cheap to clone; all clones share state).
///
/// Precedence for each request: a fault set for its request number, then the oldest queued
/// fault whose target matches, then the random rate.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use edlink_mock::{Fault, MockServer, Collection, Route};
/// let server = MockServer::builder().start().await?;
/// server.faults().fail_next(Route::List(Collection::Integrations), 2, Fault::Status(503));
/// // ... run the client ...
/// assert_eq!(server.faults_injected(), 2);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Faults {
    state: Arc<Mutex<FaultState>>,
    injected: Arc<AtomicU64>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, FaultState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Installs everything a plan describes (added to what is already there; a plan's rate
    /// replaces the current rate).
    pub fn apply(&self, plan: FaultPlan) {
        let mut s = self.lock();
        s.queue.extend(plan.queue);
        s.on_request.extend(plan.on_request);
        if let Some(rate) = plan.rate {
            let rng = SplitMix64::new(rate.seed);
            s.rate = Some((rate, rng));
        }
    }

    /// The next request that `target` matches gets `fault`.
    pub fn push(&self, target: impl Into<FaultTarget>, fault: Fault) {
        self.lock().queue.push_back((target.into(), fault));
    }

    /// The next `n` requests that `target` matches get `fault`.
    pub fn fail_next(&self, target: impl Into<FaultTarget>, n: usize, fault: Fault) {
        self.apply(FaultPlan::new().fail_next(target, n, fault));
    }

    /// Request number `k` (1-based, counting every request the server received) gets `fault`.
    pub fn on_request(&self, k: u64, fault: Fault) {
        self.lock().on_request.insert(k, fault);
    }

    /// Sets (or with `None` removes) the random fault rate; the generator restarts from the seed.
    pub fn set_rate(&self, rate: Option<FaultRate>) {
        self.lock().rate = rate.map(|r| {
            let rng = SplitMix64::new(r.seed);
            (r, rng)
        });
    }

    /// Removes every pending fault and the rate (the injected count stays).
    pub fn clear(&self) {
        let mut s = self.lock();
        s.queue.clear();
        s.on_request.clear();
        s.rate = None;
    }

    /// How many queued and per-request faults have not fired yet.
    pub fn pending(&self) -> usize {
        let s = self.lock();
        s.queue.len() + s.on_request.len()
    }

    /// How many faults have been injected so far.
    pub fn injected(&self) -> u64 {
        self.injected.load(Ordering::Relaxed)
    }

    /// The fault for request number `seq` on `route`, if any (and counts it).
    pub(crate) fn pick(&self, seq: u64, route: Route) -> Option<Fault> {
        let fault = {
            let mut s = self.lock();
            if let Some(f) = s.on_request.remove(&seq) {
                Some(f)
            } else if let Some(i) = s.queue.iter().position(|(t, _)| t.matches(route)) {
                s.queue.remove(i).map(|(_, f)| f)
            } else if let Some((rate, rng)) = s.rate.as_mut() {
                if rate.target.matches(route) && !rate.mix.is_empty() && rng.chance(rate.rate) {
                    rng.pick(&rate.mix).cloned()
                } else {
                    None
                }
            } else {
                None
            }
        };
        if fault.is_some() {
            self.injected.fetch_add(1, Ordering::Relaxed);
        }
        fault
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_counting() {
        let faults = Faults::default();
        let list = Route::List(Collection::Integrations);
        faults.apply(
            FaultPlan::new()
                .fail_next(Collection::Providers, 1, Fault::Status(500))
                .next(list, Fault::Status(503))
                .on_request(2, Fault::TruncatedBody),
        );
        assert_eq!(faults.pending(), 3);
        assert_eq!(faults.pick(1, list), Some(Fault::Status(503)));
        assert_eq!(faults.pick(2, list), Some(Fault::TruncatedBody));
        assert_eq!(faults.pick(3, list), None);
        assert_eq!(
            faults.pick(4, Route::Fetch(Collection::Providers)),
            Some(Fault::Status(500))
        );
        assert_eq!(faults.injected(), 3);
        assert_eq!(faults.pending(), 0);
    }

    #[test]
    fn rate_is_seeded() {
        let draw = || {
            let f = Faults::default();
            f.set_rate(Some(FaultRate::new(0.3, 5)));
            (1..=200)
                .map(|k| f.pick(k, Route::Unknown).map(|x| x.name()))
                .collect::<Vec<_>>()
        };
        let a = draw();
        assert_eq!(a, draw());
        let n = a.iter().flatten().count();
        assert!((30..=90).contains(&n), "{n}");
    }
}
