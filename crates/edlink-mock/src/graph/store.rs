//! The Graph side of a server: who each access token belongs to, and the districts, each
//! generated on its first use and kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::collection::Collection;
use crate::data::MockData;
use crate::graph::data::GraphData;
use crate::graph::district::Origin;
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

/// The access tokens and the generated districts of one server.
#[derive(Debug)]
pub(crate) struct GraphStore {
    size: GraphSize,
    seed: u64,
    /// Read from the v1 integrations on first use (a v1-only test never pays for it).
    tokens: OnceLock<Tokens>,
    /// One cell per integration: generating one district never blocks another's requests.
    districts: Mutex<HashMap<u128, Arc<OnceLock<GraphData>>>>,
}

fn text(raw: Option<&[u8]>) -> Option<String> {
    raw.and_then(|r| serde_json::from_slice::<String>(r).ok())
}

impl GraphStore {
    pub(crate) fn new(size: GraphSize, seed: u64) -> Self {
        Self {
            size,
            seed,
            tokens: OnceLock::new(),
            districts: Mutex::new(HashMap::new()),
        }
    }

    fn tokens(&self, data: &MockData) -> &Tokens {
        self.tokens.get_or_init(|| {
            let items = data.items_of(Collection::Integrations);
            let mut tokens = Tokens::default();
            for (id, item) in items.keys().iter().zip(items.items()) {
                let members = raw::members(item).unwrap_or_default();
                let access = Access {
                    token: text(members.get("access_token")),
                    // v1 says `status`, the v2 model `state`.
                    status: text(members.get("status")).or_else(|| text(members.get("state"))),
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

    fn cell(&self, id: u128) -> Arc<OnceLock<GraphData>> {
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

    /// The district of integration `id`, generated on first use; `None` when the server
    /// lists no such integration.
    pub(crate) fn district(&self, data: &MockData, id: u128) -> Option<GraphData> {
        let item = data.items_of(Collection::Integrations).get(id)?;
        let cell = self.cell(id);
        Some(
            cell.get_or_init(|| {
                GraphData::generate(&Origin::from_integration(id, item), self.seed, &self.size)
            })
            .clone(),
        )
    }
}
