//! The engine's scenarios, written once over any `Store`: `tests/engine.rs`
//! runs them on SQLite files, `tests/postgres.rs` on a real Postgres.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod crashing;
#[cfg(feature = "postgres")]
pub mod pg;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use edlink_sync::fake::{FakeFactory, FakeSource, FakeWorld, WorldSize};
use edlink_sync::{
    Engine, EngineBuilder, ExportOptions, Phase, Progress, ResourceKind, Store, SyncError,
};
use uuid::Uuid;

use crashing::{CrashMode, CrashingStore};

pub const INTEGRATION: Uuid = Uuid::from_u128(0x1111_2222_3333_4444_5555_6666_7777_8888);

/// A builder with quick retries, so tests with injected failures stay fast.
pub fn engine<S: Store>(store: S) -> EngineBuilder<S> {
    Engine::builder(store)
        .page_size(37)
        .event_page_size(23)
        .retries(4, Duration::from_millis(1))
}

pub async fn export<S: Store>(store: &S, integration: Uuid) -> String {
    let (bytes, _) = store
        .export(ExportOptions::new().integration(integration), Vec::new())
        .await
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

pub async fn export_all<S: Store>(store: &S) -> String {
    let (bytes, _) = store
        .export(ExportOptions::new(), Vec::new())
        .await
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

/// Lines of a dump per type.
pub fn count_type(dump: &str, table: &str) -> u64 {
    let needle = format!("\"type\":\"{table}\"");
    dump.lines().filter(|l| l.contains(&needle)).count() as u64
}

fn recorder() -> (
    Arc<Mutex<Vec<Progress>>>,
    impl Fn(&Progress) + Send + Sync + 'static,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |p: &Progress| {
        sink.lock().unwrap().push(p.clone())
    })
}

pub async fn full_sync_mirrors_the_world<S: Store + Clone>(store: S) {
    let world = FakeWorld::seeded(11, WorldSize::small());
    let (seen, sink) = recorder();
    let engine = engine(store.clone()).on_progress(sink).build();
    let report = engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    let dump = world.dump(INTEGRATION);
    assert_eq!(export(&store, INTEGRATION).await, dump);
    assert_eq!(report.full_syncs, 1);
    assert!(!report.resumed && !report.fell_back);
    assert_eq!(report.entities(), dump.lines().count() as u64);
    for kind in ResourceKind::ALL {
        let want = count_type(&dump, kind.table());
        assert!(want > 0, "the fake has no {kind}");
        assert_eq!(
            report.objects.get(&kind).copied().unwrap_or(0),
            want,
            "{kind}"
        );
    }
    // The three events the fake had before the sync are older than its
    // start: none is applied.
    assert_eq!(report.events_applied, 0);
    let cp = store.checkpoint(INTEGRATION).await.unwrap().unwrap();
    assert_eq!(cp.checkpoint.generation, 1);
    assert!(matches!(
        cp.checkpoint.phase,
        Phase::Incremental {
            after_event: Some(_)
        }
    ));
    assert!(
        cp.full_started_at.is_some() && cp.full_finished_at.is_some() && cp.updated_at.is_some()
    );

    let seen = seen.lock().unwrap();
    assert!(matches!(
        seen.first(),
        Some(Progress::FullSyncStarted {
            resumed: false,
            generation: 1,
            ..
        })
    ));
    assert!(
        seen.iter()
            .any(|p| matches!(p, Progress::FullSyncFinished { removed: 0, .. }))
    );
    assert!(
        matches!(seen.last(), Some(Progress::Finished { entities, .. }) if *entities == report.entities())
    );
    // The last Objects step of each collection carries its total.
    for kind in ResourceKind::ALL {
        let last = seen.iter().rev().find_map(|p| match p {
            Progress::Objects {
                resource, stored, ..
            } if *resource == kind => Some(*stored),
            _ => None,
        });
        assert_eq!(last, Some(count_type(&dump, kind.table())), "{kind}");
    }
}

pub async fn events_are_applied_in_order<S: Store + Clone>(store: S) {
    let world = FakeWorld::seeded(12, WorldSize::small());
    let engine = engine(store.clone()).build();
    engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    let mut total_events = 0;
    for round in 0..4 {
        let before = world.event_count();
        world.mutate(150);
        let new_events = (world.event_count() - before) as u64;
        let report = engine
            .sync(INTEGRATION, &FakeSource::new(world.clone()))
            .await
            .unwrap();
        assert_eq!(report.full_syncs, 0, "round {round}");
        assert_eq!(report.events_applied, new_events, "round {round}");
        total_events += new_events;
        assert_eq!(
            export(&store, INTEGRATION).await,
            world.dump(INTEGRATION),
            "round {round}"
        );
    }
    assert!(total_events > 500, "{total_events}");
    // Up to date: nothing to apply.
    let idle = engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert_eq!((idle.events_applied, idle.full_syncs), (0, 0));
}

pub async fn changes_during_the_full_read_are_replayed<S: Store + Clone>(store: S) {
    let world = FakeWorld::seeded(13, WorldSize::small());
    // Every third call changes 25 objects: the district moves while it is read.
    world.mutate_every(Some((3, 25)));
    let engine = engine(store.clone()).build();
    let first = engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert_eq!(first.full_syncs, 1);
    assert!(first.events_applied > 100, "{}", first.events_applied);
    world.mutate_every(None);
    engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert_eq!(export(&store, INTEGRATION).await, world.dump(INTEGRATION));
}

pub async fn an_aged_out_checkpoint_falls_back_to_a_full_sync<S: Store + Clone>(store: S) {
    let world = FakeWorld::seeded(14, WorldSize::small());
    let (seen, sink) = recorder();
    let engine = engine(store.clone()).on_progress(sink).build();
    engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    world.mutate(100);
    world.expire_all_events();
    world.mutate(100);
    let report = engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert!(report.fell_back);
    assert_eq!(report.full_syncs, 1);
    assert_eq!(report.generation, 2);
    assert!(
        report.removed > 0,
        "deletions before the fallback are swept"
    );
    assert_eq!(export(&store, INTEGRATION).await, world.dump(INTEGRATION));
    let steps = seen.lock().unwrap().clone();
    assert!(
        steps
            .iter()
            .any(|p| matches!(p, Progress::FellBackToFull { .. }))
    );
    assert!(steps.iter().any(|p| matches!(
        p,
        Progress::FullSyncStarted {
            generation: 2,
            resumed: false,
            ..
        }
    )));
    let cp = store.checkpoint(INTEGRATION).await.unwrap().unwrap();
    assert_eq!(cp.checkpoint.generation, 2);
}

pub async fn a_feed_that_keeps_aging_out_gives_up<S: Store + Clone>(store: S) {
    let world = FakeWorld::seeded(15, WorldSize::tiny());
    // Retention of zero steps: every mutate drops the events it made, so
    // every start event is gone by the time incremental sync asks for it.
    world.set_retention(Some(0));
    world.mutate_every(Some((2, 3)));
    let engine = engine(store.clone()).build();
    let err = engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::KeepsAgingOut { .. }), "{err}");
}

pub async fn unusable_integrations_are_skipped_and_others_go_on<S: Store + Clone>(store: S) {
    let factory = FakeFactory::new();
    let (good, revoked, dying, missing) = (
        Uuid::from_u128(1),
        Uuid::from_u128(2),
        Uuid::from_u128(3),
        Uuid::from_u128(4),
    );
    for (n, id) in [good, revoked, dying].into_iter().enumerate() {
        factory.insert(id, FakeWorld::seeded(20 + n as u64, WorldSize::tiny()));
    }
    factory.revoke(revoked);
    factory.world(dying).unwrap().set_revoked(true);
    let (seen, sink) = recorder();
    let engine = engine(store.clone())
        .concurrency(3)
        .on_progress(sink)
        .build();
    let summary = engine
        .sync_all(&factory, [good, revoked, dying, missing, good])
        .await;
    assert_eq!(summary.outcomes.len(), 4);
    assert_eq!(
        (summary.synced(), summary.skipped(), summary.failed()),
        (1, 3, 0)
    );
    assert_eq!(summary.outcomes[0].0, good);
    for (id, outcome) in &summary.outcomes[1..] {
        assert!(
            matches!(outcome, Err(SyncError::Unusable(_))),
            "{id}: {outcome:?}"
        );
    }
    assert_eq!(summary.full_syncs(), 1);
    let good_world = factory.world(good).unwrap();
    assert_eq!(export_all(&store).await, good_world.dump(good));
    let skipped: Vec<Uuid> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| matches!(p, Progress::Skipped { .. }))
        .map(Progress::integration)
        .collect();
    assert_eq!(skipped.len(), 3);
}

pub async fn transient_failures_are_retried_and_resumed<S: Store + Clone>(store: S) {
    let world = FakeWorld::seeded(16, WorldSize::small());
    // Every third call fails once: the retries absorb it.
    world.fail_every(Some(3));
    let (seen, sink) = recorder();
    let engine = engine(store.clone()).on_progress(sink).build();
    engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert_eq!(export(&store, INTEGRATION).await, world.dump(INTEGRATION));
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|p| matches!(p, Progress::Retrying { attempt: 1, .. }))
    );

    // Edlink down for good: the run stops after its 4 attempts…
    world.mutate(30);
    world.fail_every(Some(1));
    let calls = world.calls();
    let err = engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SyncError::Source { source, .. } if source.is_transient()),
        "{err}"
    );
    assert_eq!(world.calls() - calls, 4);
    // …and the next run, once Edlink answers again, catches up.
    world.fail_every(None);
    let report = engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert_eq!(report.full_syncs, 0);
    assert_eq!(export(&store, INTEGRATION).await, world.dump(INTEGRATION));
}

pub async fn a_full_sync_resumes_within_its_collection<S: Store + Clone>(store: S) {
    let world = FakeWorld::seeded(18, WorldSize::small());
    let total = world.object_count() as u64;
    // Crash at the 12th write: well inside the full read (page size 37).
    let crashing = CrashingStore::new(store.clone(), 12, CrashMode::AfterCommit);
    let err = engine(crashing)
        .build()
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Store(_)), "{err}");
    let cp = store.checkpoint(INTEGRATION).await.unwrap().unwrap();
    let Phase::Full {
        resource, after, ..
    } = cp.checkpoint.phase
    else {
        panic!("{cp:?}")
    };
    assert!(
        after.is_some() || resource != ResourceKind::Districts,
        "{cp:?}"
    );

    let report = engine(store.clone())
        .build()
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    assert!(report.resumed);
    assert_eq!(report.full_syncs, 1);
    assert!(
        report.entities() < total,
        "resumed from scratch: {} of {total}",
        report.entities()
    );
    assert_eq!(export(&store, INTEGRATION).await, world.dump(INTEGRATION));
}

/// Crashes at each given write in turn (a new engine each time, as after a
/// restart) until a run completes.
pub async fn sync_through_crashes<S: Store + Clone>(
    store: &S,
    world: &FakeWorld,
    crash_points: &[(u64, CrashMode)],
) -> usize {
    let mut crashes = 0;
    for (at, mode) in crash_points {
        let crashing = CrashingStore::new(store.clone(), *at, *mode);
        match engine(crashing)
            .build()
            .sync(INTEGRATION, &FakeSource::new(world.clone()))
            .await
        {
            Ok(_) => {}
            Err(SyncError::Store(_)) => crashes += 1,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    engine(store.clone())
        .build()
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    crashes
}

/// The exactly-once property, in process: with crashes before and after
/// commits at the given writes, the store ends equal to an uninterrupted
/// run's and to the source.
pub async fn crashes_leave_the_same_store<S, F, Fut>(
    open: F,
    seed: u64,
    size: WorldSize,
    crash_points: Vec<(u64, CrashMode)>,
) -> Vec<usize>
where
    S: Store + Clone,
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
{
    let reference_world = FakeWorld::seeded(seed, size);
    let reference = open().await;
    let crashy_world = FakeWorld::seeded(seed, size);
    let crashy = open().await;
    type Change = Box<dyn Fn(&FakeWorld)>;
    let rounds: [Change; 3] = [
        Box::new(|_| {}),
        Box::new(|w| w.mutate(150)),
        Box::new(|w| {
            w.mutate(40);
            w.expire_all_events();
            w.mutate(40);
        }),
    ];
    let mut crashes = Vec::new();
    for (round, change) in rounds.iter().enumerate() {
        change(&reference_world);
        change(&crashy_world);
        engine(reference.clone())
            .build()
            .sync(INTEGRATION, &FakeSource::new(reference_world.clone()))
            .await
            .unwrap();
        crashes.push(sync_through_crashes(&crashy, &crashy_world, &crash_points).await);
        let want = export(&reference, INTEGRATION).await;
        assert_eq!(want, reference_world.dump(INTEGRATION), "round {round}");
        assert_eq!(
            export(&crashy, INTEGRATION).await,
            want,
            "round {round}, crash points {crash_points:?}"
        );
    }
    crashes
}

pub async fn the_lock_keeps_a_second_sync_out<S: Store + Clone>(store: S) {
    let world = FakeWorld::seeded(19, WorldSize::tiny());
    assert!(store.try_lock(INTEGRATION).await.unwrap());
    let engine = engine(store.clone()).build();
    let err = engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Locked), "{err}");
    assert!(store.checkpoint(INTEGRATION).await.unwrap().is_none());
    store.unlock(INTEGRATION).await.unwrap();
    engine
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    // The engine released its lock when done.
    assert!(store.try_lock(INTEGRATION).await.unwrap());
    store.unlock(INTEGRATION).await.unwrap();
}

pub async fn exports_mask_tokens_unless_asked<S: Store + Clone>(store: S) {
    let world = FakeWorld::seeded(21, WorldSize::tiny());
    engine(store.clone())
        .build()
        .sync(INTEGRATION, &FakeSource::new(world.clone()))
        .await
        .unwrap();
    let masked = export(&store, INTEGRATION).await;
    assert!(
        masked.contains(r#""portal_access_token":"pat_…""#),
        "{masked}"
    );
    let (clear, n) = store
        .export(ExportOptions::new().unmasked(), Vec::new())
        .await
        .unwrap();
    let clear = String::from_utf8(clear).unwrap();
    assert_eq!(n, masked.lines().count() as u64);
    assert!(!clear.contains("pat_…"));
    assert!(clear.contains(r#""portal_access_token":"pat_"#));
    // Each line is one JSON object of the documented shape, sorted.
    let mut keys = Vec::new();
    for line in clear.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let obj = v.as_object().unwrap();
        assert_eq!(
            obj.keys().cloned().collect::<Vec<_>>(),
            ["data", "id", "integration_id", "type"]
        );
        assert_eq!(v["data"]["id"], v["id"]);
        keys.push((
            v["integration_id"].as_str().unwrap().to_owned(),
            v["type"].as_str().unwrap().to_owned(),
            v["id"].as_str().unwrap().to_owned(),
        ));
    }
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

/// The relations a mirror's link tables and joins must give, computed from
/// a dump (the source's own state), as sorted `(a, b)` text pairs.
pub struct Relations {
    pub people_schools: Vec<(String, String)>,
    pub classes_sessions: Vec<(String, String)>,
    /// `(teacher, class)` for every teacher enrollment in an existing class.
    pub teacher_classes: Vec<(String, String)>,
}

pub fn expected_relations(dump: &str) -> Relations {
    use std::collections::BTreeSet;
    let lines: Vec<serde_json::Value> = dump
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of_type = |t: &'static str| lines.iter().filter(move |v| v["type"] == t);
    let links = |t: &'static str, field: &str| -> Vec<(String, String)> {
        let mut set = BTreeSet::new();
        for v in of_type(t) {
            for other in v["data"][field].as_array().into_iter().flatten() {
                set.insert((
                    v["id"].as_str().unwrap().to_owned(),
                    other.as_str().unwrap().to_owned(),
                ));
            }
        }
        set.into_iter().collect()
    };
    let classes: BTreeSet<&str> = of_type("classes")
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    let teacher_classes: BTreeSet<(String, String)> = of_type("enrollments")
        .filter(|v| v["data"]["role"] == "teacher")
        .filter(|v| classes.contains(v["data"]["class_id"].as_str().unwrap()))
        .map(|v| {
            (
                v["data"]["person_id"].as_str().unwrap().to_owned(),
                v["data"]["class_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    Relations {
        people_schools: links("people", "school_ids"),
        classes_sessions: links("classes", "session_ids"),
        teacher_classes: teacher_classes.into_iter().collect(),
    }
}

pub const PEOPLE_SCHOOLS_SQL_PG: &str =
    "SELECT person_id, school_id FROM people_schools WHERE integration_id = $1";
pub const CLASSES_SESSIONS_SQL_PG: &str =
    "SELECT class_id, session_id FROM classes_sessions WHERE integration_id = $1";
/// "The classes of each teacher": a join on the indexed `class_id`.
pub const TEACHER_CLASSES_SQL_PG: &str = "SELECT DISTINCT e.person_id, c.id FROM enrollments e \
     JOIN classes c ON c.integration_id = e.integration_id AND c.id = e.class_id \
     WHERE e.integration_id = $1 AND e.data->>'role' = 'teacher'";
