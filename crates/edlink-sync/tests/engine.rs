//! The engine's scenarios on real SQLite files in a temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use common::crashing::CrashMode;
use edlink_sync::SqliteStore;
use edlink_sync::fake::WorldSize;
use proptest::prelude::*;

fn open(dir: &Path) -> SqliteStore {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    SqliteStore::open(dir.join(format!("mirror-{n}.sqlite3"))).unwrap()
}

macro_rules! scenario {
    ($name:ident) => {
        #[tokio::test]
        async fn $name() {
            let dir = tempfile::tempdir().unwrap();
            common::$name(open(dir.path())).await;
        }
    };
}

scenario!(full_sync_mirrors_the_world);
scenario!(events_are_applied_in_order);
scenario!(changes_during_the_full_read_are_replayed);
scenario!(an_aged_out_checkpoint_falls_back_to_a_full_sync);
scenario!(a_feed_that_keeps_aging_out_gives_up);
scenario!(unusable_integrations_are_skipped_and_others_go_on);
scenario!(transient_failures_are_retried_and_resumed);
scenario!(a_full_sync_resumes_within_its_collection);
scenario!(the_lock_keeps_a_second_sync_out);
scenario!(exports_mask_tokens_unless_asked);

#[tokio::test]
async fn crashes_at_every_kind_of_write_leave_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    // Writes 1 (begin), 2–4 (first pages), a late page, the finish, and
    // (on later rounds) event pages: before and after each commit.
    let mut points = Vec::new();
    for at in [1, 2, 3, 7, 11, 16, 18, 19, 20] {
        points.push((at, CrashMode::BeforeCommit));
        points.push((at, CrashMode::AfterCommit));
    }
    let crashes = common::crashes_leave_the_same_store(
        || async { open(dir.path()) },
        5,
        WorldSize::small(),
        points,
    )
    .await;
    // Each round (first full sync, incremental, fallback full sync) crashed
    // several times; each crashed run made progress, so once the round's work
    // is done the later points find no write to crash at.
    assert!(
        crashes.iter().all(|n| *n >= 5),
        "crashes per round: {crashes:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Any seed, any sequence of crash points (each before or after its
    /// commit): the store ends equal to an uninterrupted run's.
    #[test]
    fn exactly_once_effect_after_any_crashes(
        seed in 0u64..1_000,
        points in proptest::collection::vec((1u64..40, any::<bool>()), 0..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let points: Vec<_> = points
            .into_iter()
            .map(|(at, after)| (at, if after { CrashMode::AfterCommit } else { CrashMode::BeforeCommit }))
            .collect();
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(common::crashes_leave_the_same_store(|| async { open(dir.path()) }, seed, WorldSize::tiny(), points));
    }
}
