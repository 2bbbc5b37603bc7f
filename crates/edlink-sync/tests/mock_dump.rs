//! The mock's dump is the export form: a mirror synced through the real client from a mock
//! district that changes (before, during and between syncs, its events aged out once) exports
//! exactly the bytes of the mock's dump, masked and unmasked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use edlink_client::Client;
use edlink_mock::{Collection, FaultRate, MockServer};
use edlink_sync::{Engine, ExportOptions, GraphSources, SqliteStore, Store};
use uuid::Uuid;

const KEY: &str = "mock-dump-key";

async fn mock(faults: Option<FaultRate>) -> Arc<MockServer> {
    let mut builder = MockServer::builder()
        .secret_key(KEY)
        .generated(30, 11)
        .seed(5)
        .students(60);
    if let Some(rate) = faults {
        builder = builder.fault_rate(rate);
    }
    Arc::new(builder.start().await.unwrap())
}

fn sources(server: &MockServer) -> GraphSources {
    let client = Client::builder()
        .application_key(KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    GraphSources::new(client)
}

fn engine(dir: &tempfile::TempDir) -> Engine<SqliteStore> {
    let store = SqliteStore::open(dir.path().join("mirror.sqlite3")).unwrap();
    Engine::builder(store)
        .page_size(9)
        .event_page_size(7)
        .retries(6, Duration::from_millis(5))
        .build()
}

async fn export(engine: &Engine<SqliteStore>, options: ExportOptions) -> String {
    let (bytes, _) = engine.store().export(options, Vec::new()).await.unwrap();
    String::from_utf8(bytes).unwrap()
}

/// Mutates until a person of the district carries a secret (so masking is exercised).
fn until_a_secret(server: &MockServer, id: Uuid) {
    for _ in 0..60 {
        server.mutate(id, 10).unwrap();
        let graph = server.graph(id).unwrap();
        let secret = graph
            .json(Collection::People)
            .iter()
            .any(|p| p["properties"]["portal_access_token"].is_string());
        if secret {
            return;
        }
    }
    panic!("no secret in 600 steps");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mirror_of_mutated_districts_exports_the_mocks_dump() {
    let server = mock(None).await;
    let active = server.integrations_with_status("active");
    let ids = [active[0], active[1]];
    for id in ids {
        until_a_secret(&server, id);
    }
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let sources = sources(&server);
    let summary = engine.sync_all(&sources, ids).await;
    assert_eq!((summary.synced(), summary.failed()), (2, 0), "{summary:?}");

    let check = |label: &'static str| {
        let server = Arc::clone(&server);
        let engine = &engine;
        async move {
            for id in ids {
                let graph = server.graph(id).unwrap();
                let masked = export(engine, ExportOptions::new().integration(id)).await;
                assert!(
                    masked == graph.dump(),
                    "{label}: masked export of {id} differs"
                );
                assert!(masked.contains("…"), "{label}: nothing masked");
                let clear = export(engine, ExportOptions::new().integration(id).unmasked()).await;
                assert!(
                    clear == graph.dump_unmasked(),
                    "{label}: unmasked export differs"
                );
            }
            // Every integration at once: the dumps in integration order.
            let mut sorted = ids;
            sorted.sort();
            let all: String = sorted.iter().map(|id| server.dump(*id).unwrap()).collect();
            assert!(
                export(engine, ExportOptions::new()).await == all,
                "{label}: all"
            );
        }
    };
    check("after the full sync").await;

    // More changes: an incremental sync replays them.
    let steps = server.mutate(ids[0], 80).unwrap();
    let report = engine
        .sync(ids[0], &sources_open(&sources, ids[0]).await)
        .await;
    let report = report.unwrap();
    assert_eq!(report.full_syncs, 0);
    assert_eq!(report.events_applied, steps.events as u64);
    check("after the incremental sync").await;

    // The events since the checkpoint age out, and the district changes meanwhile: the
    // engine falls back to a full sync by itself.
    server.mutate(ids[1], 40).unwrap();
    assert!(server.age_out_events(ids[1]).unwrap() > 0);
    server.mutate(ids[1], 20).unwrap();
    let report = engine
        .sync(ids[1], &sources_open(&sources, ids[1]).await)
        .await
        .unwrap();
    assert!(report.fell_back && report.full_syncs == 1, "{report:?}");
    check("after the fallback").await;
}

async fn sources_open(sources: &GraphSources, id: Uuid) -> impl edlink_sync::Source + use<> {
    use edlink_sync::SourceFactory;
    sources.open(id).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_while_the_mock_mutates_converges_on_its_dump() {
    // 10 % transient faults too, as in the soak.
    let server = mock(Some(FaultRate::new(0.1, 3))).await;
    let id = server.integrations_with_status("active")[0];
    server.graph(id).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let mutator = {
        let (server, stop) = (Arc::clone(&server), Arc::clone(&stop));
        tokio::spawn(async move {
            let mut steps = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let server = Arc::clone(&server);
                let report = tokio::task::spawn_blocking(move || server.mutate(id, 1))
                    .await
                    .unwrap()
                    .unwrap();
                steps = report.total_steps;
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            steps
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let sources = sources(&server);
    let before = server.mutate(id, 0).unwrap().total_steps;
    let first = engine.sync_all(&sources, [id]).await;
    assert_eq!(first.synced(), 1, "{first:?}");
    let during = server.mutate(id, 0).unwrap().total_steps - before;
    assert!(
        during >= 5,
        "the district changed only {during} times during the sync"
    );
    stop.store(true, Ordering::Relaxed);
    let total = mutator.await.unwrap();
    assert!(total > 0);

    // The full read and its replay, then the events since: the mirror is the district.
    let second = engine.sync_all(&sources, [id]).await;
    assert_eq!(second.synced(), 1, "{second:?}");
    assert_eq!(second.full_syncs(), 0);
    server.faults().set_rate(None);
    let masked = export(&engine, ExportOptions::new().integration(id)).await;
    let dump = server.dump(id).unwrap();
    assert_eq!(masked.lines().count(), dump.lines().count());
    assert!(masked == dump, "the mirror differs from the mock's dump");
    assert!(server.faults_injected() > 0);
}
