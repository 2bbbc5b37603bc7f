//! [`StoreError`]: why a store could not be opened, migrated, read or
//! written.

use crate::source::BoxError;

/// Why a store operation failed. A failed write changed nothing (its
/// transaction was rolled back); a failed open or migration left the
/// database as it was.
///
/// `Display` says what was being done; the database's own error is the
/// [`source`](std::error::Error::source). Connection strings (which may hold
/// a password) never appear.
///
/// ```
/// use edlink_sync::StoreError;
///
/// let err = edlink_sync::SqliteStore::open("/no/such/directory/roster.sqlite3").unwrap_err();
/// assert!(matches!(err, StoreError::Open { .. }));
/// assert_eq!(err.to_string(), "cannot open the SQLite database /no/such/directory/roster.sqlite3");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be opened or connected to, or its schema
    /// version could not be read.
    #[error("cannot open the {what}")]
    Open {
        /// What was being opened and where, e.g. `SQLite database
        /// roster.sqlite3` or `Postgres database roster on db.internal:5432
        /// as sync` (never a password), sometimes with what failed, e.g.
        /// `(reading its schema version)`.
        what: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// The database needs a store this build of edlink-sync does not have
    /// (e.g. a `postgres://` URL without the `postgres` feature).
    #[error(
        "cannot open the {what}: this edlink-sync was built without its `{feature}` feature (rebuild with it, e.g. `cargo build --features edlink-sync/{feature}`)"
    )]
    NotBuiltIn {
        /// The database, as in [`StoreError::Open`].
        what: String,
        /// The Cargo feature of edlink-sync that brings the store.
        feature: &'static str,
    },
    /// The database was written by a newer edlink-sync.
    #[error(
        "the {what} has schema version {found}, newer than the {supported} this edlink-sync supports: upgrade edlink-sync (nothing was changed)"
    )]
    TooNew {
        /// The database, as in [`StoreError::Open`].
        what: String,
        /// The version found.
        found: i64,
        /// [`crate::SCHEMA_VERSION`].
        supported: i64,
    },
    /// A migration failed; it was rolled back and nothing stored was lost.
    #[error(
        "migrating the {what} to schema version {version} failed (rolled back, nothing was changed)"
    )]
    Migration {
        /// The database, as in [`StoreError::Open`].
        what: String,
        /// The version being migrated to.
        version: i64,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// A query or transaction failed (rolled back).
    #[error("database error while {doing}")]
    Database {
        /// What the store was doing, e.g. `applying a page of people`.
        doing: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// A stored row is not what this code wrote (edited by hand?).
    #[error("unexpected data in the database: {0}")]
    Corrupt(String),
    /// Writing the export failed.
    #[error("writing the export failed")]
    Write(#[source] std::io::Error),
}

impl StoreError {
    pub(crate) fn database(doing: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self::Database {
            doing: doing.into(),
            source: source.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_never_repeats_the_source() {
        let err = StoreError::database("applying a page of people", "disk I/O error");
        let shown = err.to_string();
        assert_eq!(shown, "database error while applying a page of people");
        let source = std::error::Error::source(&err).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("disk I/O error"));
    }
}
