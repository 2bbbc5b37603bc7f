//! Helpers of the `sync` tests: the summary line, the arguments, the
//! expected export (the mock's dumps).

use std::collections::BTreeMap;
use std::path::Path;

use edlink_mock::MockServer;
use uuid::Uuid;

use super::{Run, against, edlink};

/// The figures of the summary line, which must have exactly the fixed form.
pub fn summary(run: &Run) -> BTreeMap<String, String> {
    let line = run
        .lines()
        .into_iter()
        .rfind(|l| l.starts_with("sync: "))
        .unwrap_or_else(|| panic!("no summary line in:\n{}", run.stdout));
    let figures: BTreeMap<String, String> = line["sync: ".len()..]
        .split(' ')
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("key=value");
            (k.to_owned(), v.to_owned())
        })
        .collect();
    let keys: Vec<&str> = figures.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "elapsed_s",
            "entities",
            "events",
            "full_syncs",
            "integrations",
            "skipped"
        ],
        "{line}"
    );
    figures
}

pub fn figure(run: &Run, name: &str) -> u64 {
    let figures = summary(run);
    figures[name].parse().expect("a whole number")
}

pub fn db_arg(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_owned()
}

/// `sync --db DB --integration A --integration B …` against the server.
pub fn sync_args(server: &MockServer, db: &str, ids: &[Uuid], extra: &[&str]) -> Vec<String> {
    let mut args = vec!["sync".to_owned(), "--db".to_owned(), db.to_owned()];
    for id in ids {
        args.push("--integration".to_owned());
        args.push(id.to_string());
    }
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    against(server, &refs)
}

/// The mock's dumps of `ids`, in the export's order (integration id text).
pub fn dumps(server: &MockServer, ids: &[Uuid]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_by_key(|id| id.hyphenated().to_string());
    ids.iter()
        .map(|id| server.dump(*id).expect("a listed integration"))
        .collect()
}

pub async fn export(db: &str) -> Run {
    let run = edlink(vec![
        "sync".into(),
        "export".into(),
        "--db".into(),
        db.into(),
    ])
    .await;
    run.ok();
    run
}
