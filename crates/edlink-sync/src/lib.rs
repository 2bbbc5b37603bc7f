//! A crash-safe local mirror of each Edlink district's Graph data.
//!
//! The [`Engine`] reads an integration's districts, schools, sessions,
//! courses, people, classes, sections, enrollments and agents from a
//! [`Source`] into a [`Store`] (SQLite by default, Postgres with the
//! `postgres` feature), then follows the events feed. Every page is written
//! in one transaction together with the checkpoint that describes it, so a
//! crash at any point followed by a rerun leaves exactly what an
//! uninterrupted run would have.
//!
//! ```
//! use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
//! use edlink_sync::{Engine, ExportOptions, SqliteStore, Store};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let store = SqliteStore::open(dir.path().join("roster.sqlite3"))?;
//! let engine = Engine::builder(store.clone()).build();
//!
//! // A deterministic fake district stands in for Edlink here.
//! let world = FakeWorld::seeded(7, WorldSize::tiny());
//! let integration = uuid::Uuid::from_u128(1);
//! engine.sync(integration, &FakeSource::new(world.clone())).await?;
//!
//! // Changes arrive as events and are applied in order.
//! world.mutate(20);
//! let report = engine.sync(integration, &FakeSource::new(world.clone())).await?;
//! assert!(report.events_applied > 0);
//!
//! let (mirror, _) = store.export(ExportOptions::new(), Vec::new()).await?;
//! assert_eq!(String::from_utf8(mirror)?, world.dump(integration));
//! # Ok(())
//! # }
//! ```
//!
//! `docs/sync.md` describes the algorithm, the guarantees and the schema.

mod checkpoint;
mod engine;
pub mod fake;
#[cfg(feature = "client")]
mod graph_source;
mod object;
mod progress;
mod resource;
mod schema;
mod source;
mod store;
pub mod timing;

pub use checkpoint::{Checkpoint, Phase, StoredCheckpoint};
pub use engine::{
    DEFAULT_PAGE_SIZE, Engine, EngineBuilder, IntegrationReport, SyncError, SyncSummary,
};
#[cfg(feature = "client")]
pub use graph_source::{GraphSource, GraphSources, is_readable};
pub use object::{InvalidObject, StoredObject};
pub use progress::Progress;
pub use resource::{ResourceKind, UnknownResource};
pub use source::{BoxError, EventPage, ObjectPage, Source, SourceError, SourceFactory};
#[cfg(feature = "postgres")]
pub use store::PostgresStore;
#[cfg(feature = "sqlite")]
pub use store::SqliteStore;
pub use store::{AnyStore, Change, ExportOptions, SCHEMA_VERSION, Store, StoreError, export_line};

/// The README's example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
/// The `tokio-postgres` this crate was built with, for
/// [`PostgresStore::from_client`] (e.g. with a TLS connector).
#[cfg(feature = "postgres")]
pub use tokio_postgres;
