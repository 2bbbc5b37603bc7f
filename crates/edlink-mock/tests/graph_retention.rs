//! Event retention on tokio's clock: events older than the window leave the feed, and an
//! `$after` (or a cursor) naming an event the feed no longer holds is `400 INVALID_CURSOR`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{client, get, graph_url, ids, integration};
use edlink_mock::{Collection, MockServer};
use serde_json::Value;
use uuid::Uuid;

const DAY: Duration = Duration::from_secs(86_400);

fn data(v: &Value) -> Vec<Uuid> {
    ids(v["$data"].as_array().unwrap())
}

fn refused(r: &common::Resp) -> String {
    assert_eq!(
        (r.status, r.code()),
        (400, "INVALID_CURSOR".to_owned()),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()["$errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(start_paused = true)]
async fn events_age_out_after_thirty_days_and_their_ids_are_refused() {
    let server = MockServer::builder()
        .generated(12, 3)
        .start()
        .await
        .unwrap();
    let (id, token) = integration(&server, "active");
    let c = client();
    let url = |query: String| graph_url(&server, &format!("/events?{query}"));
    let history = server.graph(id).unwrap().ids(Collection::Events);
    assert!(history.len() > 5);

    // Fresh: `$after` an event gives the ones after it.
    let v = get(
        &c,
        &url(format!("$first=100&$after={}", history[2])),
        Some(&token),
    )
    .await
    .json();
    assert_eq!(data(&v), history[3..]);
    // An id that never was an event of this feed.
    let r = get(
        &c,
        &url(format!("$first=5&$after={}", Uuid::from_u128(12_345))),
        Some(&token),
    )
    .await;
    let message = refused(&r);
    assert!(message.contains("not in the events feed"), "{message}");
    assert!(message.contains("30 days"), "{message}");

    // 29 days on: nothing has aged out; new events are dated on the district's calendar.
    tokio::time::advance(29 * DAY).await;
    let report = server.mutate(id, 4).unwrap();
    let all = server.graph(id).unwrap().json(Collection::Events);
    assert_eq!(all.len(), history.len() + report.events);
    let newest_history = all[history.len() - 1]["date"].as_str().unwrap().to_owned();
    let first_new = all[history.len()]["date"].as_str().unwrap().to_owned();
    assert!(newest_history.starts_with("2026-01-15"), "{newest_history}");
    assert!(
        first_new.starts_with("2026-02-13"),
        "29 days later: {first_new}"
    );

    // 31 days on: the history has aged out of the feed, and naming it is refused.
    tokio::time::advance(2 * DAY).await;
    let fresh: Vec<Uuid> = ids(&all[history.len()..]);
    let v = get(&c, &url("$first=100".into()), Some(&token))
        .await
        .json();
    assert_eq!(data(&v), fresh);
    assert_eq!(server.graph(id).unwrap().ids(Collection::Events), fresh);
    let r = get(
        &c,
        &url(format!("$first=5&$after={}", history[2])),
        Some(&token),
    )
    .await;
    assert!(refused(&r).contains("aged out"));
    let r = get(
        &c,
        &graph_url(&server, &format!("/events/{}", history[0])),
        Some(&token),
    )
    .await;
    assert_eq!((r.status, r.code()), (400, "NOT_FOUND".to_owned()));
    // What is left reads as before: after a kept event, from the start, the newest.
    let v = get(
        &c,
        &url(format!("$first=100&$after={}", fresh[0])),
        Some(&token),
    )
    .await
    .json();
    assert_eq!(data(&v), fresh[1..]);
    let nil = Uuid::nil();
    let v = get(&c, &url(format!("$first=100&$after={nil}")), Some(&token))
        .await
        .json();
    assert_eq!(data(&v), fresh);
    let v = get(&c, &url("$last=1".into()), Some(&token)).await.json();
    assert_eq!(data(&v), fresh[fresh.len() - 1..]);

    // Forced: everything so far ages out, even a position a cursor holds.
    let v = get(&c, &url("$first=1".into()), Some(&token)).await.json();
    let next = v["$next"].as_str().unwrap().to_owned();
    assert_eq!(server.age_out_events(id), Some(fresh.len()));
    assert_eq!(server.age_out_events(Uuid::from_u128(3)), None);
    let r = get(&c, &next, Some(&token)).await;
    refused(&r);
    let r = get(
        &c,
        &url(format!("$first=5&$after={}", fresh[fresh.len() - 1])),
        Some(&token),
    )
    .await;
    refused(&r);
    let v = get(&c, &url("$first=10".into()), Some(&token)).await.json();
    assert!(data(&v).is_empty() && v.get("$next").is_none(), "{v}");
    // Later events are kept and read from the start.
    let report = server.mutate(id, 2).unwrap();
    let v = get(&c, &url("$first=100".into()), Some(&token))
        .await
        .json();
    assert_eq!(data(&v).len(), report.events);
}

#[tokio::test(start_paused = true)]
async fn the_retention_window_is_a_setting() {
    let server = MockServer::builder()
        .generated(12, 3)
        .event_retention(Duration::from_secs(3_600))
        .start()
        .await
        .unwrap();
    let (id, token) = integration(&server, "active");
    // The generated history spans hours: out of the way first.
    assert!(server.age_out_events(id).unwrap() > 0);
    let early = server.mutate(id, 2).unwrap().events;
    tokio::time::advance(Duration::from_secs(30 * 60)).await;
    let late = server.mutate(id, 2).unwrap().events;
    assert_eq!(
        server.graph(id).unwrap().len(Collection::Events),
        early + late
    );
    // 75 minutes after the start: what was written at the start is older than an hour.
    tokio::time::advance(Duration::from_secs(45 * 60)).await;
    let kept = server.graph(id).unwrap().json(Collection::Events);
    assert_eq!(kept.len(), late);
    let r = get(
        &client(),
        &graph_url(&server, "/events?$first=50"),
        Some(&token),
    )
    .await;
    assert_eq!(data(&r.json()), ids(&kept));
    let gone = Uuid::from_u128(1);
    let r = get(
        &client(),
        &graph_url(&server, &format!("/events?$after={gone}")),
        Some(&token),
    )
    .await;
    assert!(refused(&r).contains("kept for 1 hour"));
}
