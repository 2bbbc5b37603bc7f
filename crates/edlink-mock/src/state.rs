//! [`State`]: what the request handlers share, and the per-request services built on it
//! (cursor issue and expiry switches, credentials, request ids, lazy Graph districts).

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use crate::builder::Config;
use crate::collection::Collection;
use crate::cursor::{Cursor, GraphScope};
use crate::data::MockData;
use crate::faults::Faults;
use crate::graph::routes::OPEN_STATES;
use crate::graph::store::GraphStore;
use crate::gzip::GzipCache;
use crate::log::{Credential, RequestLog};
use crate::paging::PageSpec;
use crate::prng::SplitMix64;
use crate::routes::Route;
use crate::sso::tokens::TokenStore;
use crate::text::uuid_string;

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) data: MockData,
    pub(crate) graph: GraphStore,
    pub(crate) config: Config,
    pub(crate) next_base: String,
    pub(crate) faults: Faults,
    pub(crate) log: RequestLog,
    pub(crate) requests: AtomicU64,
    pub(crate) connections: AtomicU64,
    pub(crate) cursors_issued: AtomicU64,
    pub(crate) cursor_epoch: AtomicU32,
    pub(crate) expire_next: AtomicU64,
    pub(crate) expire_on: Mutex<BTreeSet<u64>>,
    /// The person tokens (codes, access and refresh tokens) issued so far.
    pub(crate) tokens: TokenStore,
    /// Deflated list pages, for gzip answers.
    pub(crate) gzip: GzipCache,
    /// The URL of the last page served, per route (for `Fault::RepeatNext`).
    last_page: Mutex<HashMap<String, String>>,
    /// Read through tokio's clock, so `tokio::time::pause()` and `advance()` drive cursor
    /// ages in tests (outside a paused runtime it is the monotonic wall clock).
    started: tokio::time::Instant,
}

impl State {
    /// Fresh state: no requests, connections or cursors yet.
    pub(crate) fn new(
        data: MockData,
        graph: GraphStore,
        config: Config,
        next_base: String,
        faults: Faults,
    ) -> Self {
        let tokens = TokenStore::new(config.seed);
        Self {
            data,
            graph,
            log: RequestLog::new(config.log_capacity),
            config,
            next_base,
            faults,
            requests: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            cursors_issued: AtomicU64::new(0),
            cursor_epoch: AtomicU32::new(0),
            expire_next: AtomicU64::new(0),
            expire_on: Mutex::new(BTreeSet::new()),
            tokens,
            gzip: GzipCache::default(),
            last_page: Mutex::new(HashMap::new()),
            started: tokio::time::Instant::now(),
        }
    }

    /// Milliseconds since the server started, on tokio's clock.
    pub(crate) fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Issues a new cursor for `spec`.
    pub(crate) fn issue_cursor(
        &self,
        collection: Collection,
        spec: PageSpec,
        scope: Option<GraphScope>,
    ) -> String {
        let cursor = Cursor {
            collection,
            spec,
            scope,
            epoch: self.cursor_epoch.load(Ordering::Relaxed),
            seq: self.cursors_issued.fetch_add(1, Ordering::Relaxed) + 1,
            // Only stamped when cursors can age, so default runs are byte-for-byte repeatable.
            issued_ms: if self.config.cursor_ttl.is_some() {
                self.now_ms() + 1
            } else {
                0
            },
        };
        cursor.encode(self.config.cursor_key)
    }

    /// Whether the test switches say the cursor on request `seq` has expired (consumes them).
    pub(crate) fn take_forced_expiry(&self, seq: u64) -> bool {
        let on = self
            .expire_on
            .lock()
            .map(|mut s| s.remove(&seq))
            .unwrap_or(false);
        on || self
            .expire_next
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
    }

    /// Records the URL of a served list page; returns the one served before it on this route.
    pub(crate) fn remember_page(&self, route: &str, url: String) -> Option<String> {
        self.last_page
            .lock()
            .ok()
            .and_then(|mut m| m.insert(route.to_owned(), url))
    }

    /// Which credential an `Authorization` header value is (never logged as text).
    pub(crate) fn credential(&self, value: Option<&http::HeaderValue>) -> Credential {
        let Some(value) = value else {
            return Credential::None;
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token);
        match token {
            Some(t) if self.config.secret_key.as_deref() == Some(t) => Credential::ApplicationKey,
            Some(t) => match self.graph.integration_of(&self.data, t) {
                Some(id) => Credential::AccessToken(Uuid::from_u128(id)),
                None => self
                    .tokens
                    .lookup(t)
                    .map_or(Credential::Unknown, |(serial, grant)| {
                        Credential::PersonToken {
                            integration: Uuid::from_u128(grant.integration),
                            person: Uuid::from_u128(grant.person),
                            serial,
                        }
                    }),
            },
            None => Credential::Unknown,
        }
    }

    /// Generates, off the runtime's threads, the district a Graph request is about to read,
    /// so a first request for a big district does not stall every other connection.
    pub(crate) async fn prepare_graph(self: &Arc<Self>, route: Route, credential: Credential) {
        let Some(id) = credential.integration().map(|id| id.as_u128()) else {
            return;
        };
        if !(route.is_graph() || route.is_my()) || self.graph.is_ready(id) {
            return;
        }
        let open = self
            .graph
            .access(&self.data, id)
            .and_then(|a| a.status.as_deref())
            .is_some_and(|s| OPEN_STATES.contains(&s));
        if !open {
            return;
        }
        let state = Arc::clone(self);
        let _ = tokio::task::spawn_blocking(move || state.graph.district(&state.data, id)).await;
    }

    pub(crate) fn request_id(&self, seq: u64) -> String {
        // A stream of its own (not a shifted copy of the data generator's stream).
        let mut mix = SplitMix64::new(self.config.seed ^ 0xD1B5_4A32_D192_ED03);
        let base = mix.next_u64();
        let mut rng = SplitMix64::new(base ^ seq.wrapping_mul(0x2545_F491_4F6C_DD1D));
        uuid_string(rng.uuid())
    }
}
