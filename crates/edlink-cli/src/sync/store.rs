//! Opening `--db`, and the exit codes of sync errors.

use std::error::Error as StdError;

use edlink_sync::{AnyStore, StoreError};

use crate::exit::{self, Failure};

/// What to check when a store cannot be opened.
const DB_HINT: &str = "--db takes a SQLite file path (its directory must exist) or a postgres:// \
                       URL; nothing stored in it was changed";

/// Opens and migrates the mirror `--db` names. The error says which
/// database (the library's `Display` names the SQLite path, or the Postgres
/// host, database and user, never a password) and why; the database is left
/// as it was.
pub async fn open(db: &str) -> Result<AnyStore, Failure> {
    AnyStore::open(db).await.map_err(|err| store_failure(&err))
}

/// A store error as a failure: exit 2 when this build cannot open that kind
/// of database (a usage matter), 1 otherwise; an export whose output broke
/// is an output failure (a closed pipe exits 0).
pub fn store_failure(err: &StoreError) -> Failure {
    match err {
        StoreError::Write(io) => Failure::Output(std::io::Error::new(io.kind(), io.to_string())),
        StoreError::NotBuiltIn { .. } => Failure::Sync {
            code: exit::USAGE,
            message: chain(err),
            hint: Some(
                "for the CLI: cargo install edlink-cli --features postgres (or build it with                  --features postgres)",
            ),
        },
        StoreError::Open { .. } | StoreError::TooNew { .. } | StoreError::Migration { .. } => {
            Failure::Sync {
                code: exit::OTHER,
                message: chain(err),
                hint: Some(DB_HINT),
            }
        }
        _ => Failure::Sync {
            code: exit::OTHER,
            message: chain(err),
            hint: None,
        },
    }
}

/// The exit code of one integration's failure: the client's mapping
/// ([`exit::exit_code`]) when an Edlink request failed, 1 otherwise (the
/// store).
pub fn exit_code(err: &(dyn StdError + 'static)) -> u8 {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(client) = e.downcast_ref::<edlink_client::Error>() {
            return exit::exit_code(client);
        }
        next = e.source();
    }
    exit::OTHER
}

/// An error and its causes on one line: `a: b: c` (each once).
pub fn chain(err: &(dyn StdError + 'static)) -> String {
    let mut out = err.to_string();
    let mut next = err.source();
    while let Some(e) = next {
        let text = e.to_string();
        // A wrapper may repeat its cause's text; say it once.
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = e.source();
    }
    out
}
