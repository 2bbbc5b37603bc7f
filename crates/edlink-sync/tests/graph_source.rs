//! The real source end to end: the engine syncs the mock's districts through
//! `edlink-client` over HTTP into SQLite, and the mirror equals the mock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use edlink_client::Client;
use edlink_mock::{Collection, MockServer};
use edlink_sync::{Engine, ExportOptions, GraphSources, ResourceKind, SqliteStore, Store};
use serde_json::Value;
use uuid::Uuid;

const KEY: &str = "sync-e2e-key";

fn collection(kind: ResourceKind) -> Collection {
    match kind {
        ResourceKind::Districts => Collection::Districts,
        ResourceKind::Schools => Collection::Schools,
        ResourceKind::Sessions => Collection::Sessions,
        ResourceKind::Courses => Collection::Courses,
        ResourceKind::People => Collection::People,
        ResourceKind::Classes => Collection::Classes,
        ResourceKind::Sections => Collection::Sections,
        ResourceKind::Enrollments => Collection::Enrollments,
        ResourceKind::Agents => Collection::Agents,
        _ => panic!("a new resource kind: map it"),
    }
}

/// (type, id) → object, from the export lines.
fn mirror(export: &[u8]) -> BTreeMap<(String, Uuid), Value> {
    String::from_utf8_lossy(export)
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let id = v["id"].as_str().unwrap().parse().unwrap();
            (
                (v["type"].as_str().unwrap().to_owned(), id),
                v["data"].clone(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_mirrors_the_mocks_districts_and_skips_unusable_ones() {
    let server = MockServer::builder()
        .secret_key(KEY)
        .generated(40, 5)
        .students(40)
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .application_key(KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let active = server.integrations_with_status("active");
    let inactive = server.integrations_with_status("disabled");
    assert!(
        !active.is_empty() && !inactive.is_empty(),
        "the seed has both"
    );
    let chosen = [active[0], inactive[0]];

    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("mirror.sqlite3")).unwrap();
    let engine = Engine::builder(store).page_size(25).build();
    let summary = engine.sync_all(&GraphSources::new(client), chosen).await;
    let skipped = summary.outcomes[1].1.as_ref().unwrap_err();
    assert!(
        chain(skipped).contains("disabled, not active or paused"),
        "{}",
        chain(skipped)
    );
    assert_eq!(
        (summary.synced(), summary.skipped(), summary.failed()),
        (1, 1, 0)
    );

    let (export, _) = engine
        .store()
        .export(
            ExportOptions::new().integration(active[0]).unmasked(),
            Vec::new(),
        )
        .await
        .unwrap();
    let mirror = mirror(&export);
    let district = server.graph(active[0]).unwrap();
    let mut expected = BTreeMap::new();
    for kind in ResourceKind::ALL {
        for object in district.json(collection(kind)) {
            let id = object["id"].as_str().unwrap().parse().unwrap();
            expected.insert((kind.table().to_owned(), id), object);
        }
    }
    assert!(expected.len() > 100, "a real district: {}", expected.len());
    assert_eq!(mirror.len(), expected.len());
    assert!(mirror == expected, "the mirror differs from the mock");
    // The Graph requests carried the integration's token, never the key.
    for request in server.requests() {
        if request.path.starts_with("/api/v2/graph") {
            assert_eq!(
                request.credential.integration(),
                Some(active[0]),
                "{request:?}"
            );
        }
    }
}

fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}
