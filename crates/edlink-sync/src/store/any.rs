//! [`AnyStore`]: one store type for callers that take `--db PATH_OR_URL`.
#![cfg_attr(
    not(any(feature = "sqlite", feature = "postgres")),
    allow(unused_variables)
)]

use std::io::Write;

use uuid::Uuid;

use super::{Change, ExportOptions, Store, StoreError};
use crate::{Checkpoint, StoredCheckpoint, StoredObject};

/// A store chosen when the program runs, from a path or a URL:
///
/// - `postgres://…` or `postgresql://…`: [`PostgresStore`](crate::PostgresStore)
///   (feature `postgres`; without it, [`StoreError::NotBuiltIn`] says how to
///   get it);
/// - any other `scheme://…`: refused ([`StoreError::Open`]), rather than
///   taken for a file name;
/// - anything else: a [`SqliteStore`](crate::SqliteStore) file path
///   (feature `sqlite`, the default).
///
/// It implements [`Store`] by handing each call to the store inside, so an
/// [`Engine<AnyStore>`](crate::Engine) works with either.
///
/// ```
/// use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
/// use edlink_sync::{AnyStore, Engine};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let db = dir.path().join("roster.sqlite3");
/// let store = AnyStore::open(db.to_str().unwrap()).await?;
/// assert_eq!(store.backend(), "sqlite");
///
/// let engine = Engine::builder(store).build();
/// let world = FakeWorld::seeded(7, WorldSize::tiny());
/// engine.sync(uuid::Uuid::from_u128(1), &FakeSource::new(world)).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AnyStore {
    /// A SQLite file.
    #[cfg(feature = "sqlite")]
    Sqlite(crate::SqliteStore),
    /// A Postgres database.
    #[cfg(feature = "postgres")]
    Postgres(crate::PostgresStore),
}

/// What a `--db` value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target<'a> {
    Postgres(&'a str),
    Sqlite(&'a str),
    /// `scheme://…` with a scheme no store knows (the scheme).
    Unknown(&'a str),
}

fn target(path_or_url: &str) -> Target<'_> {
    if path_or_url.starts_with("postgres://") || path_or_url.starts_with("postgresql://") {
        return Target::Postgres(path_or_url);
    }
    // A URL scheme: a letter, then letters, digits, `+`, `-` or `.`.
    if let Some((scheme, _)) = path_or_url.split_once("://") {
        let mut chars = scheme.chars();
        let is_scheme = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if is_scheme {
            return Target::Unknown(scheme);
        }
    }
    Target::Sqlite(path_or_url)
}

impl AnyStore {
    /// Opens the store `path_or_url` names (see [`AnyStore`]) and migrates
    /// its schema. A database that cannot be opened or migrated is an error
    /// that says what and where (never a password), and nothing stored in
    /// it is lost.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let err = edlink_sync::AnyStore::open("mysql://me:hunter2@db.internal/roster").await.unwrap_err();
    /// assert_eq!(err.to_string(), "cannot open the database mysql://…");
    /// let why = std::error::Error::source(&err).unwrap().to_string();
    /// assert_eq!(why, "unknown scheme mysql: give a postgres:// URL or a SQLite file path");
    ///
    /// let err = edlink_sync::AnyStore::open("/no/such/directory/roster.sqlite3").await.unwrap_err();
    /// assert_eq!(err.to_string(), "cannot open the SQLite database /no/such/directory/roster.sqlite3");
    /// # }
    /// ```
    pub async fn open(path_or_url: &str) -> Result<Self, StoreError> {
        match target(path_or_url) {
            Target::Postgres(url) => Self::open_postgres(url).await,
            Target::Sqlite(path) => Self::open_sqlite(path).await,
            // Only the scheme: the rest may hold a password.
            Target::Unknown(scheme) => Err(StoreError::Open {
                what: format!("database {scheme}://…"),
                source: format!(
                    "unknown scheme {scheme}: give a postgres:// URL or a SQLite file path"
                )
                .into(),
            }),
        }
    }

    #[cfg(feature = "postgres")]
    async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        crate::PostgresStore::connect(url).await.map(Self::Postgres)
    }

    #[cfg(not(feature = "postgres"))]
    async fn open_postgres(_url: &str) -> Result<Self, StoreError> {
        Err(StoreError::NotBuiltIn {
            what: "Postgres database".into(),
            feature: "postgres",
        })
    }

    #[cfg(feature = "sqlite")]
    async fn open_sqlite(path: &str) -> Result<Self, StoreError> {
        let owned = path.to_owned();
        // Opening reads and may migrate the file: off the async threads.
        tokio::task::spawn_blocking(move || crate::SqliteStore::open(owned))
            .await
            .map_err(|e| StoreError::Open {
                what: format!("SQLite database {path}"),
                source: e.into(),
            })?
            .map(Self::Sqlite)
    }

    #[cfg(not(feature = "sqlite"))]
    async fn open_sqlite(path: &str) -> Result<Self, StoreError> {
        Err(StoreError::NotBuiltIn {
            what: format!("SQLite database {path}"),
            feature: "sqlite",
        })
    }

    /// `"sqlite"` or `"postgres"`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), edlink_sync::StoreError> {
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("m.sqlite3");
    /// let store = edlink_sync::AnyStore::open(&path.to_string_lossy()).await?;
    /// assert_eq!(store.backend(), "sqlite");
    /// # Ok(())
    /// # }
    /// ```
    pub fn backend(&self) -> &'static str {
        match *self {
            #[cfg(feature = "sqlite")]
            Self::Sqlite(_) => "sqlite",
            #[cfg(feature = "postgres")]
            Self::Postgres(_) => "postgres",
        }
    }
}

#[cfg(feature = "sqlite")]
impl From<crate::SqliteStore> for AnyStore {
    fn from(store: crate::SqliteStore) -> Self {
        Self::Sqlite(store)
    }
}

#[cfg(feature = "postgres")]
impl From<crate::PostgresStore> for AnyStore {
    fn from(store: crate::PostgresStore) -> Self {
        Self::Postgres(store)
    }
}

/// Calls `$call` on the store inside.
macro_rules! delegate {
    ($self:ident, $store:ident => $call:expr) => {
        // `*self`: without any store feature the enum is empty, and only a
        // place of an empty type can be matched with no arm.
        match *$self {
            #[cfg(feature = "sqlite")]
            Self::Sqlite(ref $store) => $call,
            #[cfg(feature = "postgres")]
            Self::Postgres(ref $store) => $call,
        }
    };
}

impl Store for AnyStore {
    async fn checkpoint(&self, integration: Uuid) -> Result<Option<StoredCheckpoint>, StoreError> {
        delegate!(self, s => s.checkpoint(integration).await)
    }

    async fn begin_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.begin_full(integration, checkpoint).await)
    }

    async fn apply_objects(
        &self,
        integration: Uuid,
        objects: Vec<StoredObject>,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.apply_objects(integration, objects, checkpoint).await)
    }

    async fn apply_events(
        &self,
        integration: Uuid,
        changes: Vec<Change>,
        checkpoint: Checkpoint,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.apply_events(integration, changes, checkpoint).await)
    }

    async fn finish_full(
        &self,
        integration: Uuid,
        checkpoint: Checkpoint,
    ) -> Result<u64, StoreError> {
        delegate!(self, s => s.finish_full(integration, checkpoint).await)
    }

    async fn export<W: Write + Send + 'static>(
        &self,
        options: ExportOptions,
        out: W,
    ) -> Result<(W, u64), StoreError> {
        delegate!(self, s => s.export(options, out).await)
    }

    async fn try_lock(&self, integration: Uuid) -> Result<bool, StoreError> {
        delegate!(self, s => s.try_lock(integration).await)
    }

    async fn unlock(&self, integration: Uuid) -> Result<(), StoreError> {
        delegate!(self, s => s.unlock(integration).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_paths_are_told_apart() {
        let pg = "postgres://u:p@h/db";
        assert_eq!(target(pg), Target::Postgres(pg));
        let pgql = "postgresql:///db?host=/run/postgresql";
        assert_eq!(target(pgql), Target::Postgres(pgql));
        for path in [
            "roster.sqlite3",
            "/var/lib/edlink/roster.sqlite3",
            "./a://b",
            "C:\\data\\roster.db",
            "file:roster.db?mode=rwc",
            "",
        ] {
            assert_eq!(target(path), Target::Sqlite(path), "{path}");
        }
        assert_eq!(target("mysql://h/db"), Target::Unknown("mysql"));
        assert_eq!(target("sqlite://roster.db"), Target::Unknown("sqlite"));
        // libpq's schemes are lower case.
        assert_eq!(target("POSTGRES://h/db"), Target::Unknown("POSTGRES"));
    }
}
