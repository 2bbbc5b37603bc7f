//! The Graph side of a server: who each access token belongs to, and the districts, each
//! generated on its first use and kept (and changed by mutation steps).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::collection::Collection;
use crate::data::MockData;
use crate::graph::data::GraphData;
use crate::graph::district::Origin;
use crate::graph::live::{Live, MutationReport};
use crate::graph::raw;
use crate::graph::size::GraphSize;

/// What the v1 integration object says about access.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Access {
    pub(crate) token: Option<String>,
    pub(crate) status: Option<String>,
}

#[derive(Debug, Default)]
struct Tokens {
    by_token: HashMap<String, u128>,
    by_id: HashMap<u128, Access>,
}

/// Edlink keeps events 30 days (edlink-graph.md §5).
pub(crate) const DEFAULT_EVENT_RETENTION: Duration = Duration::from_secs(30 * 86_400);

/// The access tokens and the generated districts of one server.
#[derive(Debug)]
pub(crate) struct GraphStore {
    size: GraphSize,
    seed: u64,
    /// How long events are kept, on the districts' calendars.
    retention: Duration,
    /// Read through tokio's clock, so `tokio::time::pause()` and `advance()` age events in
    /// tests.
    started: tokio::time::Instant,
    /// Read from the v1 integrations on first use (a v1-only test never pays for it).
    tokens: OnceLock<Tokens>,
    /// One cell per integration: generating one district never blocks another's requests.
    districts: Mutex<HashMap<u128, Arc<OnceLock<Live>>>>,
}

impl GraphStore {
    pub(crate) fn new(size: GraphSize, seed: u64, retention: Duration) -> Self {
        Self {
            size,
            seed,
            retention,
            started: tokio::time::Instant::now(),
            tokens: OnceLock::new(),
            districts: Mutex::new(HashMap::new()),
        }
    }

    /// How long events are kept.
    pub(crate) fn retention(&self) -> Duration {
        self.retention
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn tokens(&self, data: &MockData) -> &Tokens {
        self.tokens.get_or_init(|| {
            let items = data.items_of(Collection::Integrations);
            let mut tokens = Tokens::default();
            for (id, item) in items.keys().iter().zip(items.items()) {
                let members = raw::members(item).unwrap_or_default();
                let access = Access {
                    token: raw::string(members.get("access_token")),
                    // v1 says `status`, the v2 model `state`.
                    status: raw::string(members.get("status"))
                        .or_else(|| raw::string(members.get("state"))),
                };
                if let Some(token) = &access.token {
                    // The first integration with a token keeps it (duplicates are fixtures' doing).
                    tokens.by_token.entry(token.clone()).or_insert(*id);
                }
                tokens.by_id.insert(*id, access);
            }
            tokens
        })
    }

    /// The integration whose access token is `token`.
    pub(crate) fn integration_of(&self, data: &MockData, token: &str) -> Option<u128> {
        self.tokens(data).by_token.get(token).copied()
    }

    /// The access facts of an integration.
    pub(crate) fn access(&self, data: &MockData, id: u128) -> Option<&Access> {
        self.tokens(data).by_id.get(&id)
    }

    /// The integrations with this `status`, ascending.
    pub(crate) fn with_status(&self, data: &MockData, status: &str) -> Vec<u128> {
        let mut ids: Vec<u128> = self
            .tokens(data)
            .by_id
            .iter()
            .filter(|(_, a)| a.status.as_deref() == Some(status))
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }

    fn cell(&self, id: u128) -> Arc<OnceLock<Live>> {
        let mut map = self
            .districts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(map.entry(id).or_default())
    }

    /// Whether the district of `id` has been generated already.
    pub(crate) fn is_ready(&self, id: u128) -> bool {
        self.cell(id).get().is_some()
    }

    /// The integrations whose districts have been generated, ascending.
    pub(crate) fn generated(&self) -> Vec<u128> {
        let map = self
            .districts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut ids: Vec<u128> = map
            .iter()
            .filter(|(_, cell)| cell.get().is_some())
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Runs `f` on the live district of integration `id`, generated on first use; `None`
    /// when the server lists no such integration.
    fn with_live<R>(&self, data: &MockData, id: u128, f: impl FnOnce(&Live) -> R) -> Option<R> {
        let item = data.items_of(Collection::Integrations).get(id)?;
        let cell = self.cell(id);
        let live = cell.get_or_init(|| {
            let origin = Origin::from_integration(id, item);
            let (district, template) = GraphData::generate(&origin, self.seed, &self.size);
            Live::new(district, template, self.now_ms())
        });
        Some(f(live))
    }

    /// The current snapshot of the district of integration `id`, generated on first use
    /// (events past the retention left out); `None` when the server lists no such
    /// integration.
    pub(crate) fn district(&self, data: &MockData, id: u128) -> Option<GraphData> {
        self.with_live(data, id, |live| {
            live.snapshot(self.now_ms(), self.retention)
        })
    }

    /// Runs `steps` mutation steps on the district of integration `id`.
    pub(crate) fn mutate(&self, data: &MockData, id: u128, steps: u64) -> Option<MutationReport> {
        self.with_live(data, id, |live| {
            live.mutate(steps, self.seed, self.now_ms(), self.retention)
        })
    }

    /// Purges every event of the district of integration `id` so far; how many there were.
    pub(crate) fn age_out(&self, data: &MockData, id: u128) -> Option<usize> {
        self.with_live(data, id, Live::age_out)
    }
}
