//! [`MockServerBuilder`]: every knob of the fake server, with test-friendly defaults.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::num::NonZeroU64;
use std::time::Duration;

use http::StatusCode;

use crate::data::MockData;
use crate::faults::{FaultPlan, FaultRate};
use crate::graph::GraphSize;
use crate::link::Shape;
use crate::server::{DEFAULT_AUTH_STATUS, MockServer};

/// The default secret key.
pub const DEFAULT_SECRET_KEY: &str = "test-key";
/// How many items the server puts in a page when a request names no size (neither `$first`
/// nor `$last`): Edlink's own default, 100 (observed by the membean/ed_link gem; Edlink does not
/// document it). Change it per server with
/// [`page_size_default`](MockServerBuilder::page_size_default).
///
/// This is the server's choice, not a client's: a client that always sends `$first` (e.g.
/// `edlink_model::DEFAULT_PAGE_SIZE`, 1,000) never sees it.
///
/// ```
/// assert_eq!(edlink_mock::SERVER_DEFAULT_PAGE_SIZE, 100);
/// ```
pub const SERVER_DEFAULT_PAGE_SIZE: usize = 100;

/// Server settings that the handlers read.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) addr: SocketAddr,
    pub(crate) secret_key: Option<String>,
    pub(crate) default_page_size: usize,
    pub(crate) no_next: bool,
    pub(crate) cursor_ttl: Option<Duration>,
    pub(crate) auth_status: StatusCode,
    pub(crate) seed: u64,
    pub(crate) cursor_key: u64,
    pub(crate) next_base_url: Option<String>,
    pub(crate) log_capacity: usize,
    pub(crate) shutdown_grace: Duration,
    /// Sign-in with Edlink: the SSO application, token lifetimes (`sso/config.rs`).
    pub(crate) sso: crate::sso::config::SsoConfig,
    pub(crate) event_retention: Duration,
    pub(crate) mutate_every: Option<Duration>,
    /// Answer with `Content-Encoding: gzip` when the request accepts it.
    pub(crate) gzip: bool,
    pub(crate) shape: Shape,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            secret_key: Some(DEFAULT_SECRET_KEY.to_owned()),
            default_page_size: SERVER_DEFAULT_PAGE_SIZE,
            no_next: false,
            cursor_ttl: None,
            auth_status: DEFAULT_AUTH_STATUS,
            seed: 0,
            cursor_key: 0x5EED_C0DE,
            next_base_url: None,
            log_capacity: 100_000,
            shutdown_grace: Duration::from_secs(1),
            sso: crate::sso::config::SsoConfig::default(),
            event_retention: crate::graph::store::DEFAULT_EVENT_RETENTION,
            mutate_every: None,
            gzip: true,
            shape: Shape::default(),
        }
    }
}

/// Configures and starts a [`MockServer`].
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// use edlink_mock::{Fault, FaultPlan, FaultRate, MockServer, Collection, Route};
/// let server = MockServer::builder()
///     .secret_key("test-key")
///     .generated(1_000, 42)
///     .page_size_default(100)
///     .cursor_ttl(Duration::from_secs(7_200))
///     .faults(FaultPlan::new()
///         .fail_next(Route::List(Collection::Integrations), 2, Fault::Status(503))
///         .rate(FaultRate::new(0.05, 7)))
///     .start()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default)]
pub struct MockServerBuilder {
    pub(crate) config: Config,
    data: Option<MockData>,
    graph_size: GraphSize,
    faults: FaultPlan,
}

impl MockServerBuilder {
    /// Address to bind (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.config.addr = addr;
        self
    }

    /// Port on `127.0.0.1` (0 picks a free one).
    pub fn port(self, port: u16) -> Self {
        self.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
    }

    /// The data to serve (default: [`MockData::default`], 100 integrations from seed 1).
    pub fn data(mut self, data: MockData) -> Self {
        self.data = Some(data);
        self
    }

    /// Serve `count` generated integrations from `seed` (see [`MockData::generated`]).
    pub fn generated(self, count: usize, seed: u64) -> Self {
        self.data(MockData::generated(count, seed))
    }

    /// The application secret key that `/api/v1/integrations` wants as `Bearer` (default
    /// `test-key`).
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.config.secret_key = Some(key.into());
        self
    }

    /// Lets every request into the integrations routes, with or without a key.
    pub fn no_auth(mut self) -> Self {
        self.config.secret_key = None;
        self
    }

    /// Status of `INVALID_TOKEN` answers (default 401; Edlink's error table says 400).
    pub fn auth_error_status(mut self, status: u16) -> Self {
        self.config.auth_status = StatusCode::from_u16(status).unwrap_or(DEFAULT_AUTH_STATUS);
        self
    }

    /// Page size when neither `$first` nor `$last` is given (default 100, clamped to 1..=10,000).
    pub fn page_size_default(mut self, size: usize) -> Self {
        self.config.default_page_size = size;
        self
    }

    /// Old v1 behaviour: never send `$next`; clients must page with `$after` = last id.
    pub fn no_next(mut self, no_next: bool) -> Self {
        self.config.no_next = no_next;
        self
    }

    /// Cursors older than this are `400 INVALID_CURSOR` (Edlink: 2 hours). Default: they never
    /// age (and carry no timestamp, so runs are byte-for-byte repeatable).
    pub fn cursor_ttl(mut self, ttl: Duration) -> Self {
        self.config.cursor_ttl = Some(ttl);
        self
    }

    /// Seed of the `$request` ids (same seed and request order, same ids) and of the Graph
    /// districts (same seed, sizes and integrations, same bytes). Default 0.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// Origin written into `$next` URLs instead of `http://<bound address>`.
    pub fn next_base_url(mut self, origin: impl Into<String>) -> Self {
        self.config.next_base_url = Some(origin.into());
        self
    }

    /// How big the district behind each integration is (default: [`GraphSize::default`],
    /// 40 students). Districts are generated on their first Graph request, so a large size
    /// costs nothing for integrations nobody asks about.
    ///
    /// ```
    /// use edlink_mock::{GraphSize, MockServer};
    /// let builder = MockServer::builder()
    ///     .graph_size(GraphSize::default().students(100_000).schools(12));
    /// ```
    pub fn graph_size(mut self, size: GraphSize) -> Self {
        self.graph_size = size;
        self
    }

    /// Shorthand for [`graph_size`](Self::graph_size) with only the students changed.
    pub fn students(mut self, students: usize) -> Self {
        self.graph_size.students = students;
        self
    }

    /// How long events are kept (default 30 days, as Edlink): older ones leave the feed, and
    /// a `$after` naming one is `400 INVALID_CURSOR`. Ages are read on tokio's clock, so a
    /// test under paused time ages events with `tokio::time::advance`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = edlink_mock::MockServer::builder().event_retention(Duration::from_secs(3_600));
    /// ```
    pub fn event_retention(mut self, retention: Duration) -> Self {
        self.config.event_retention = retention;
        self
    }

    /// Every `every`, each district generated so far takes one mutation step (see
    /// [`MockServer::mutate`]), off the runtime's threads. Default: districts change only when
    /// asked.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = edlink_mock::MockServer::builder().mutate_every(Duration::from_millis(100));
    /// ```
    pub fn mutate_every(mut self, every: Duration) -> Self {
        self.config.mutate_every = Some(every);
        self
    }

    /// Faults installed at start (more can be added at run time with [`MockServer::faults`]).
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.faults = plan;
        self
    }

    /// Shorthand for a plan with only a random rate.
    pub fn fault_rate(self, rate: FaultRate) -> Self {
        let plan = self.faults.clone().rate(rate);
        self.faults(plan)
    }

    /// How many requests the log keeps (the oldest go first; default 100,000; 0 keeps none).
    pub fn log_capacity(mut self, capacity: usize) -> Self {
        self.config.log_capacity = capacity;
        self
    }

    /// How long [`MockServer::shutdown`] waits for open connections (default 1 s).
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.config.shutdown_grace = grace;
        self
    }

    /// Whether to answer with `Content-Encoding: gzip` when the request's `Accept-Encoding`
    /// allows it (default on, as most servers do). Bodies under 1 KiB are always sent as
    /// they are. A list page's `$data` is compressed once and cached, so serving it again
    /// costs little more than serving it plain. Faults apply as without gzip: `TruncatedBody`
    /// is a complete gzip stream of half the document, `CloseMidBody` a gzip stream cut
    /// short.
    ///
    /// ```
    /// let builder = edlink_mock::MockServer::builder().gzip(false); // always identity
    /// # let _ = builder;
    /// ```
    pub fn gzip(mut self, on: bool) -> Self {
        self.config.gzip = on;
        self
    }

    /// A time to first byte: every answer waits `first_byte`, plus `per_item` for each item
    /// of a list page, before its headers, as a server that builds each page does (default:
    /// none). On tokio's clock: with `tokio::time::pause()` a test takes no real time.
    ///
    /// ```
    /// use std::time::Duration;
    /// // 20 ms, plus 2 ms per 100 items: a 1,000-item page starts after 40 ms.
    /// let builder = edlink_mock::MockServer::builder()
    ///     .latency(Duration::from_millis(20), Duration::from_micros(20));
    /// # let _ = builder;
    /// ```
    pub fn latency(mut self, first_byte: Duration, per_item: Duration) -> Self {
        self.config.shape.first_byte = first_byte;
        self.config.shape.per_item = per_item;
        self
    }

    /// A bandwidth limit: each response body is sent at `bytes_per_second` at most, in
    /// slices of 16 KiB, each released when the bytes before its end would have crossed such
    /// a link (default, or 0: no limit). The limit is per response, like nginx's
    /// `limit_rate`: concurrent answers each get the whole rate. On tokio's clock.
    ///
    /// ```
    /// // 100 Mbit/s.
    /// let builder = edlink_mock::MockServer::builder().bandwidth(12_500_000);
    /// # let _ = builder;
    /// ```
    pub fn bandwidth(mut self, bytes_per_second: u64) -> Self {
        self.config.shape.bytes_per_second = NonZeroU64::new(bytes_per_second);
        self
    }

    /// Starts the server on its own OS thread, with a current-thread tokio runtime (one core),
    /// for code without a runtime and for benchmarks that keep the server off the client's
    /// threads. Stop it with [`MockServer::shutdown_blocking`] (or `shutdown().await`).
    ///
    /// ```
    /// let server = edlink_mock::MockServer::builder().start_background().unwrap();
    /// assert!(server.base_url().starts_with("http://127.0.0.1:"));
    /// server.shutdown_blocking();
    /// ```
    pub fn start_background(self) -> io::Result<MockServer> {
        MockServer::start_background(self)
    }

    /// Binds and starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<MockServer> {
        let data = self.data.unwrap_or_default();
        MockServer::start(self.config, data, self.graph_size, self.faults).await
    }
}
