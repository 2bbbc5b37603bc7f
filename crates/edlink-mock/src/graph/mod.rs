//! The v2 Graph API: a generated district behind each integration, served at
//! `/api/v2/graph/…` to the integration's access token.
//!
//! | File | Job |
//! |---|---|
//! | `size.rs` | [`GraphSize`]: how big each district is. |
//! | `district/` | The deterministic generator, one file per stage. |
//! | `data.rs` | [`GraphData`]: one district, sorted and pre-serialized. |
//! | `index.rs` | The nested lists, derived from the objects' `_id` members. |
//! | `store.rs` | Access tokens and the lazily generated districts of a server. |
//! | `relation.rs` | [`Relation`]: the nested list names. |
//! | `schema.rs` | Fields and `$expand` names per collection. |
//! | `raw.rs` | Reading serialized objects member by member. |
//! | `filter.rs` | `$filter`. |
//! | `shape.rs` | `$expand` and `$fields`. |
//! | `routes.rs` | Auth and the answers of the Graph routes. |

pub(crate) mod data;
pub(crate) mod district;
pub(crate) mod filter;
pub(crate) mod index;
pub(crate) mod raw;
pub(crate) mod relation;
pub(crate) mod routes;
pub(crate) mod schema;
pub(crate) mod shape;
pub(crate) mod size;
pub(crate) mod store;

pub use data::GraphData;
pub use relation::Relation;
pub use size::GraphSize;
