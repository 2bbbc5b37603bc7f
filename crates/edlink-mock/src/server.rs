//! The [`MockServer`] handle: starting (on the caller's runtime or a thread of
//! its own), what a test reads and steers, and graceful shutdown. Serving
//! itself is in `serve`.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use http::StatusCode;
use http_body_util::{BodyExt, Limited};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::builder::Config;
use crate::collection::Collection;
use crate::data::MockData;
use crate::faults::Faults;
use crate::graph::store::GraphStore;
use crate::graph::{GraphData, GraphSize, MutationReport};
use crate::log::LoggedRequest;
use crate::serve::{MAX_REQUEST_BODY, accept_loop, dispatch, too_large};
use crate::state::State;

/// The largest response body [`MockServer::call`] collects.
const MAX_IN_PROCESS_BODY: usize = 256 * 1024 * 1024;

/// A running fake Edlink server on a local port. Dropping it stops accepting connections;
/// [`shutdown`](Self::shutdown) also waits for open connections to finish.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use edlink_mock::MockServer;
/// let server = MockServer::builder()
///     .secret_key("test-key")
///     .generated(25_000, 42)
///     .page_size_default(1_000)
///     .start()
///     .await?;
/// let url = format!("{}/api/v1/integrations?$first=500", server.base_url());
/// // ... GET `url` with `Authorization: Bearer test-key` ...
/// println!("{} requests on {} connections", server.requests().len(), server.connections_accepted());
/// server.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    pub(crate) state: Arc<State>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MockServer {
    /// A builder with the defaults: `127.0.0.1:0`, secret key `test-key`, 100 generated
    /// integrations (seed 1), default page size 100, `$next` on, no faults, gzip when asked,
    /// no latency or bandwidth limit.
    pub fn builder() -> crate::MockServerBuilder {
        crate::MockServerBuilder::default()
    }

    pub(crate) async fn start(
        config: Config,
        data: MockData,
        graph_size: GraphSize,
        faults: crate::FaultPlan,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let next_base = config
            .next_base_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        let handle = Faults::default();
        handle.apply(faults);
        let grace = config.shutdown_grace;
        let graph = GraphStore::new(graph_size, config.seed, config.event_retention);
        let mutate_every = config.mutate_every;
        let state = Arc::new(State::new(data, graph, config, next_base, handle));
        let (stop, stop_rx) = watch::channel(false);
        if let Some(every) = mutate_every {
            tokio::spawn(crate::graph::ticker::run(
                Arc::clone(&state),
                every,
                stop_rx.clone(),
            ));
        }
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&state), stop_rx, grace));
        Ok(Self {
            addr,
            state,
            stop,
            task: Some(task),
            thread: None,
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Answers `request` in this process, exactly as it would over a connection (routing,
    /// faults, the log, which records it on connection 0), without a socket: for tests
    /// that run on tokio's paused clock, where real sockets and timers do not mix. The
    /// response body is collected whole (up to 256 MiB): a fault that streams forever
    /// ([`Fault::EndlessBody`](crate::Fault::EndlessBody)) ends in an error, and one that
    /// drops the connection is an `Err`.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let server = edlink_mock::MockServer::builder().start().await?;
    /// let request = http::Request::get("/api/v1/providers?$first=1")
    ///     .body(bytes::Bytes::new())
    ///     .map_err(std::io::Error::other)?;
    /// let response = server.call(request).await?;
    /// assert_eq!(response.status(), 200);
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, request: http::Request<Bytes>) -> io::Result<http::Response<Bytes>> {
        let (parts, body) = request.into_parts();
        let body = if body.len() > MAX_REQUEST_BODY {
            Err(too_large())
        } else {
            Ok(body)
        };
        let response = dispatch(Arc::clone(&self.state), 0, parts, body).await?;
        let (parts, body) = response.into_parts();
        let bytes = Limited::new(body, MAX_IN_PROCESS_BODY)
            .collect()
            .await
            .map_err(io::Error::other)?
            .to_bytes();
        Ok(http::Response::from_parts(parts, bytes))
    }

    /// `base_url() + path_and_query`, e.g. `server.url("/api/v1/providers?$first=2")`.
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base_url())
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The secret key the integrations routes want (`None`: they are open).
    pub fn secret_key(&self) -> Option<&str> {
        self.state.config.secret_key.as_deref()
    }

    /// The data being served.
    pub fn data(&self) -> &MockData {
        &self.state.data
    }

    /// The integration ids, ascending (the `$first`/`$after` order).
    pub fn integration_ids(&self) -> Vec<Uuid> {
        self.state.data.ids(Collection::Integrations)
    }

    /// The integrations as JSON values, ascending by id (parsed on each call).
    pub fn integrations_json(&self) -> Vec<Value> {
        self.state.data.json(Collection::Integrations)
    }

    /// The access token of an integration (`None` for an unknown id, or an integration
    /// without one). It opens `/api/v2/graph/…` when the integration is `active` or `paused`.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let server = edlink_mock::MockServer::builder().start().await?;
    /// let id = server.integrations_with_status("active")[0];
    /// let token = server.access_token(id).expect("generated integrations have one");
    /// // GET {base}/api/v2/graph/people with `Authorization: Bearer {token}`
    /// # Ok(()) }
    /// ```
    pub fn access_token(&self, integration: Uuid) -> Option<String> {
        self.state
            .graph
            .access(&self.state.data, integration.as_u128())
            .and_then(|a| a.token.clone())
    }

    /// The integrations whose `status` is exactly `status` (e.g. `"active"`, `"paused"`,
    /// `"inactive"`), ascending.
    pub fn integrations_with_status(&self, status: &str) -> Vec<Uuid> {
        self.state
            .graph
            .with_status(&self.state.data, status)
            .into_iter()
            .map(Uuid::from_u128)
            .collect()
    }

    /// The district behind an integration (generated now if no request asked for it yet),
    /// whatever the integration's status; `None` for an id the server does not list.
    ///
    /// Generating blocks the calling thread: milliseconds for the default size, seconds for
    /// 100,000 students (from async code, call it in `tokio::task::spawn_blocking` then).
    pub fn graph(&self, integration: Uuid) -> Option<GraphData> {
        self.state
            .graph
            .district(&self.state.data, integration.as_u128())
    }

    /// Changes the district behind an integration by `steps` mutation steps and appends
    /// their events (one per change); `None` for an id the server does not list. Which
    /// objects change, and how, follows from the builder's seed and the step numbers; the
    /// dates are the district's clock (the server's tokio clock, so under paused time the
    /// bytes repeat too). Requests in flight keep the snapshot they started with; the next
    /// ones see the new state everywhere (lists, fetches, nested lists, filters, cursors).
    ///
    /// `mutate(integration, 0)` changes nothing and reports the district's `total_steps`.
    ///
    /// A step is CPU work (under a millisecond on the default size in a release build, about
    /// 2 s on a 100,000-student district): from async code with many steps or a big
    /// district, call it in `spawn_blocking`.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// use edlink_mock::{Collection, MockServer};
    /// let server = MockServer::builder().start().await?;
    /// let integration = server.integrations_with_status("active")[0];
    /// let before = server.graph(integration).expect("a listed integration");
    /// let report = server.mutate(integration, 25).expect("a listed integration");
    /// let after = server.graph(integration).expect("a listed integration");
    /// assert_eq!(after.len(Collection::Events), before.len(Collection::Events) + report.events);
    /// # Ok(()) }
    /// ```
    pub fn mutate(&self, integration: Uuid, steps: u64) -> Option<MutationReport> {
        self.state
            .graph
            .mutate(&self.state.data, integration.as_u128(), steps)
    }

    /// Ages out every event of an integration's district written so far, as if the
    /// retention window had passed over them ("age out everything before now"): a `$after`
    /// naming one of them is then `400 INVALID_CURSOR`, which the client reads as
    /// `EventsAgedOut`. Returns how many events were purged (`None` for an id the server does
    /// not list). Events written later are kept as usual.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let server = edlink_mock::MockServer::builder().start().await?;
    /// let integration = server.integrations_with_status("active")[0];
    /// let purged = server.age_out_events(integration).expect("a listed integration");
    /// println!("{purged} events aged out");
    /// # Ok(()) }
    /// ```
    pub fn age_out_events(&self, integration: Uuid) -> Option<usize> {
        self.state
            .graph
            .age_out(&self.state.data, integration.as_u128())
    }

    /// The current state of an integration's district in the JSONL form of
    /// `edlink sync export` (see [`GraphData::dump`]): a mirror synced from this server
    /// exports exactly these bytes. `None` for an id the server does not list. The binary
    /// serves it at `GET /__mock/dump/:integration`.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let server = edlink_mock::MockServer::builder().start().await?;
    /// let integration = server.integrations_with_status("active")[0];
    /// let dump = server.dump(integration).expect("a listed integration");
    /// assert!(dump.lines().all(|line| line.starts_with("{\"integration_id\":")));
    /// # Ok(()) }
    /// ```
    pub fn dump(&self, integration: Uuid) -> Option<String> {
        self.graph(integration).map(|graph| graph.dump())
    }

    /// The fault controller: add or clear faults while the server runs.
    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    /// How many faults have been injected so far.
    pub fn faults_injected(&self) -> u64 {
        self.state.faults.injected()
    }

    /// The logged requests, oldest first (bounded by the builder's `log_capacity`).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.log.snapshot()
    }

    /// Empties the request log (counters keep counting).
    pub fn clear_requests(&self) {
        self.state.log.clear();
    }

    /// How many requests have arrived (not bounded by the log's capacity).
    pub fn request_count(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }

    /// How many TCP connections have been accepted.
    pub fn connections_accepted(&self) -> u64 {
        self.state.connections.load(Ordering::Relaxed)
    }

    /// How many `$cursor` values have been handed out.
    pub fn cursors_issued(&self) -> u64 {
        self.state.cursors_issued.load(Ordering::Relaxed)
    }

    /// Every cursor issued so far becomes invalid (`400 INVALID_CURSOR`); new ones work.
    pub fn expire_all_cursors(&self) {
        self.state.cursor_epoch.fetch_add(1, Ordering::Relaxed);
    }

    /// The next `n` requests that carry a `$cursor` are answered `400 INVALID_CURSOR`.
    pub fn expire_next_cursors(&self, n: u64) {
        self.state.expire_next.fetch_add(n, Ordering::Relaxed);
    }

    /// Request number `k` (1-based, all requests counted) is answered `400 INVALID_CURSOR`
    /// if it carries a `$cursor`.
    pub fn expire_cursor_on_request(&self, k: u64) {
        if let Ok(mut set) = self.state.expire_on.lock() {
            set.insert(k);
        }
    }

    /// Stops accepting, lets open connections finish their current exchange (up to the
    /// builder's `shutdown_grace`, 1 s by default), then closes them.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }

    /// [`shutdown`](Self::shutdown) for code without a runtime, e.g. a server started with
    /// [`start_background`](crate::MockServerBuilder::start_background). Blocks until done.
    pub fn shutdown_blocking(mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Starts `builder` on a new OS thread with a current-thread runtime (one core).
    pub(crate) fn start_background(builder: crate::MockServerBuilder) -> io::Result<Self> {
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("edlink-mock".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(err) => {
                        let _ = tx.send(Err(err));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match builder.start().await {
                        Ok(mut server) => {
                            let task = server.task.take();
                            let _ = tx.send(Ok(server));
                            // Serve until stopped and drained.
                            if let Some(task) = task {
                                let _ = task.await;
                            }
                        }
                        Err(err) => {
                            let _ = tx.send(Err(err));
                        }
                    }
                });
            })?;
        let mut server = rx
            .recv()
            .map_err(|_| io::Error::other("the mock server thread stopped before starting"))??;
        server.thread = Some(thread);
        Ok(server)
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// The status used for authentication failures unless configured otherwise.
pub(crate) const DEFAULT_AUTH_STATUS: StatusCode = StatusCode::UNAUTHORIZED;
