//! The v2 Graph API: a generated district behind each integration, served at
//! `/api/v2/graph/…` to the integration's access token.
//!
//! | File | Job |
//! |---|---|
//! | `size.rs` | [`GraphSize`]: how big each district is. |
//! | `district/` | The deterministic generator, one file per stage. |
//! | `data.rs` | [`GraphData`]: one district, sorted and pre-serialized. |
//! | `live.rs` | A district that changes: snapshots, mutation steps, its calendar and retention. |
//! | `ticker.rs` | `--mutate-every`: a step for every generated district, on a timer. |
//! | `dump.rs` | The dump: the JSONL form of `edlink sync export`. |
//! | `admin.rs` | The `/__mock/…` routes: dump, mutate, age out. |
//! | `index.rs` | The nested lists, derived from the objects' `_id` members. |
//! | `store.rs` | Access tokens and the lazily generated districts of a server. |
//! | `relation.rs` | [`Relation`]: the nested list names. |
//! | `schema.rs` | Fields and `$expand` names per collection. |
//! | `raw.rs` | Reading serialized objects member by member. |
//! | `filter.rs` | `$filter`. |
//! | `shape.rs` | `$expand` and `$fields`. |
//! | `routes.rs` | Auth and the answers of the Graph routes. |

pub(crate) mod admin;
pub(crate) mod data;
pub(crate) mod district;
pub(crate) mod dump;
pub(crate) mod filter;
pub(crate) mod index;
pub(crate) mod live;
pub(crate) mod raw;
pub(crate) mod relation;
pub(crate) mod routes;
pub(crate) mod schema;
pub(crate) mod shape;
pub(crate) mod size;
pub(crate) mod store;
pub(crate) mod ticker;

pub use data::GraphData;
pub use live::MutationReport;
pub use relation::Relation;
pub use size::GraphSize;
