//! `edlink sync export`: the mirror as JSON lines on stdout.
//!
//! The lines are `edlink-sync`'s export ([`edlink_sync::export_line`]): the
//! same format, order and masking (`edlink_model::redact`, the CLI's `HZ4M…`
//! style) as the library and the mock's dump, so a mirror can be compared
//! with its source byte for byte. The CLI adds no format of its own.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use edlink_sync::{ExportOptions, Store};

use super::args::ExportArgs;
use super::store::{open, store_failure};
use crate::exit::Failure;
use crate::run::Context;

/// Streams every stored object (of `--integration`s only, when given) to
/// stdout through one buffer; a closed pipe (`| head`) ends it quietly.
pub async fn run(context: &Context, args: &ExportArgs) -> Result<(), Failure> {
    refuse_missing_file(&args.db)?;
    let store = open(&args.db).await?;
    let mut options = ExportOptions::new();
    if context.cli.show_secrets {
        options = options.unmasked();
    }
    // Several integrations: one export each, in the export's own order
    // (lower-case hyphenated text), so the lines stay sorted.
    let mut ids = context.cli.integration.clone();
    ids.sort_by_key(|id| id.hyphenated().to_string());
    ids.dedup();

    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout());
    if ids.is_empty() {
        out = export(&store, options, out).await?;
    }
    for id in ids {
        out = export(&store, options.integration(id), out).await?;
    }
    out.flush()?;
    Ok(())
}

async fn export<W: Write + Send + 'static>(
    store: &impl Store,
    options: ExportOptions,
    out: W,
) -> Result<W, Failure> {
    match store.export(options, out).await {
        Ok((out, _lines)) => Ok(out),
        Err(err) => Err(store_failure(&err)),
    }
}

/// Opening a SQLite path creates the file: an export of a path that does
/// not exist (a typo) would leave an empty database behind and print
/// nothing. Refused instead (exit 2).
fn refuse_missing_file(db: &str) -> Result<(), Failure> {
    let is_path = !db.contains("://") && !db.starts_with("file:");
    if is_path && !Path::new(db).exists() {
        return Err(Failure::Usage(format!(
            "there is no mirror at --db {db}: create it with `edlink sync --db {db} …` first"
        )));
    }
    Ok(())
}
