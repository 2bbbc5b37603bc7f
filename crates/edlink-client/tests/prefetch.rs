//! The streams' prefetch: the bound on pages held, cancellation on drop,
//! `prefetch(0)` laziness, unchanged order, errors and retries, and large
//! pages decoded off the runtime's worker thread.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

use common::pager::{Pager, client_on, let_others_run};
use common::*;
use edlink_client::{Error, ErrorKind, TestTransport};
use edlink_model::{Integration, Record};
use futures_util::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use uuid::Uuid;

const CURSOR_B: &str = "https://ed.link/api/v1/integrations?$cursor=b";

#[tokio::test(start_paused = true)]
async fn pages_held_never_pass_prefetch_plus_one_and_the_prefetch_fills_them() {
    for prefetch in [1, 3] {
        let pager = Pager::new(8, 2);
        let mut pages = client_on(&pager)
            .integrations()
            .list()
            .first(2)
            .prefetch(prefetch)
            .pages();
        let mut received = 0;
        while let Some(page) = pages.try_next().await.unwrap() {
            received += 1;
            // This page, plus the ones in flight or waiting.
            assert!(
                pager.started() <= received + prefetch,
                "{prefetch}: {received}"
            );
            let_others_run().await;
            assert_eq!(
                pager.started(),
                (received + prefetch).min(8),
                "{prefetch}: fetched ahead while the consumer works on page {received}"
            );
            assert_eq!(page.items.len(), if received == 8 { 1 } else { 2 });
        }
        assert_eq!(received, 8);
        assert_eq!(
            pager.max_in_flight.load(Ordering::SeqCst),
            1,
            "one request at a time"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn the_item_stream_holds_prefetch_plus_one_pages() {
    let pager = Pager::new(5, 3);
    let mut items = client_on(&pager)
        .integrations()
        .list()
        .first(3)
        .prefetch(2)
        .items();
    let mut n = 0u128;
    while let Some(item) = items.try_next().await.unwrap() {
        n += 1;
        assert_eq!(item.id, id(n), "in order");
        let page = (n as usize - 1) / 3 + 1;
        assert!(pager.started() <= page + 2, "item {n}");
        let_others_run().await;
        assert_eq!(pager.started(), (page + 2).min(5), "item {n}");
    }
    assert_eq!(n, 14);
}

#[tokio::test(start_paused = true)]
async fn prefetch_zero_asks_for_a_page_only_when_the_consumer_reaches_it() {
    let pager = Pager::new(3, 2);
    let mut items = client_on(&pager)
        .integrations()
        .list()
        .first(2)
        .prefetch(0)
        .items();
    let_others_run().await;
    assert_eq!(pager.started(), 0, "nothing before the first poll");
    for (n, expected_started) in [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3)] {
        let item = items.next().await.unwrap().unwrap();
        assert_eq!(item.id, id(n));
        let_others_run().await;
        assert_eq!(pager.started(), expected_started, "after item {n}");
    }
    assert!(items.next().await.is_none());

    // The default fetches ahead: the contrast that makes the test above mean something.
    let pager = Pager::new(3, 2);
    let mut items = client_on(&pager).integrations().list().first(2).items();
    items.next().await.unwrap().unwrap();
    let_others_run().await;
    assert_eq!(pager.started(), 2);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_stream_drops_the_request_in_flight() {
    for prefetch in [0, 1, 4] {
        // Page 1 answers; the request for page 2 never does.
        let pager = Pager::hanging(3, 2, Some(2));
        let mut items = client_on(&pager)
            .integrations()
            .list()
            .first(2)
            .prefetch(prefetch)
            .items();
        items.next().await.unwrap().unwrap();
        items.next().await.unwrap().unwrap();
        if prefetch == 0 {
            // The consumer itself waits for page 2, then gives up.
            let waited = tokio::time::timeout(Duration::from_secs(1), items.next()).await;
            assert!(waited.is_err());
        }
        let_others_run().await;
        assert_eq!(pager.started(), 2, "{prefetch}");
        assert_eq!(pager.in_flight.load(Ordering::SeqCst), 1, "{prefetch}");
        drop(items);
        let_others_run().await;
        assert_eq!(pager.in_flight.load(Ordering::SeqCst), 0, "{prefetch}");
        assert_eq!(pager.dropped.load(Ordering::SeqCst), 1, "{prefetch}");
        assert_eq!(
            pager.started(),
            2,
            "{prefetch}: nothing sent after the drop"
        );
    }
}

/// What a listing hands out: item numbers and errors, in order.
#[derive(Debug, PartialEq)]
enum Seen {
    Item(u128),
    Failed(ErrorKind, Option<u16>),
}

async fn run(transport: &TestTransport, prefetch: usize) -> Vec<Seen> {
    let mut items = client(transport)
        .integrations()
        .list()
        .first(2)
        .prefetch(prefetch)
        .items();
    let mut seen = Vec::new();
    while let Some(next) = items.next().await {
        seen.push(match next {
            Ok(item) => Seen::Item(item.id.as_u128()),
            Err(err) => Seen::Failed(err.kind(), err.status()),
        });
    }
    seen
}

fn script(transport: &TestTransport) {
    const CURSOR_C: &str = "https://ed.link/api/v1/integrations?$cursor=c";
    transport.push_json(200, &page([1, 2], Some(CURSOR_B)));
    transport.push_json(503, "{}"); // retried
    transport.push_json(200, &page([3, 4], Some(CURSOR_C)));
    transport.push_json(400, &error_body("INVALID_PAGE_SIZE", "no"));
    transport.push_json(200, &page([5], None)); // never asked for
}

#[tokio::test(start_paused = true)]
async fn order_errors_and_retries_are_the_same_at_every_depth() {
    let lazy = TestTransport::new();
    script(&lazy);
    let expected = run(&lazy, 0).await;
    assert_eq!(
        expected,
        [
            Seen::Item(1),
            Seen::Item(2),
            Seen::Item(3),
            Seen::Item(4),
            Seen::Failed(ErrorKind::Api, Some(400)),
        ]
    );
    for prefetch in [1, 2, 5] {
        let t = TestTransport::new();
        script(&t);
        assert_eq!(run(&t, prefetch).await, expected, "{prefetch}");
        assert_eq!(urls(&t), urls(&lazy), "{prefetch}: the same requests");
        assert_eq!(t.pending(), 1, "{prefetch}: nothing asked after the error");
    }
}

#[tokio::test(start_paused = true)]
async fn on_page_is_called_once_per_page_in_order() {
    let pager = Pager::new(4, 2);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let items: Vec<Integration> = client_on(&pager)
        .integrations()
        .list()
        .first(2)
        .prefetch(2)
        .on_page(move |p| sink.lock().unwrap().push((p.page, p.items_so_far, p.more)))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers(&items), (1..=7).collect::<Vec<_>>());
    assert_eq!(
        *seen.lock().unwrap(),
        [(1, 2, true), (2, 4, true), (3, 6, true), (4, 7, false)]
    );
}

#[tokio::test(start_paused = true)]
async fn a_panic_in_the_prefetch_task_reaches_the_consumer() {
    let pager = Pager::new(3, 2);
    let mut items = client_on(&pager)
        .integrations()
        .list()
        .first(2)
        .on_page(|p| assert!(p.page < 2, "on_page refuses page {}", p.page))
        .items();
    let consumer = tokio::spawn(async move {
        let mut n = 0;
        while let Some(item) = items.next().await {
            item.unwrap();
            n += 1;
        }
        n
    });
    let err = consumer.await.unwrap_err();
    assert!(err.is_panic(), "the listing must not end as if complete");
}

// --- Decoding large pages off the worker thread -------------------------

/// Which threads decoded a `Probe`, and whether the runtime's other tasks
/// ran while one was decoded.
static DECODED_ON: Mutex<Option<HashSet<ThreadId>>> = Mutex::new(None);
static TICKS: AtomicU64 = AtomicU64::new(0);
static WAIT_FOR_TICKS: AtomicBool = AtomicBool::new(false);
static SAW_TICKS: AtomicBool = AtomicBool::new(false);

/// An item whose decoding records its thread and, when asked, waits (up to
/// 10 s) for a ticking task of the runtime to tick: it can only tick if the
/// runtime's thread is free while this item is decoded.
struct Probe {
    id: Uuid,
}

impl Record for Probe {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Probe;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with an id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
                let mut id = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "id" {
                        id = Some(map.next_value::<Uuid>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Probe {
                    id: id.unwrap_or_default(),
                })
            }
        }
        DECODED_ON
            .lock()
            .unwrap()
            .get_or_insert_with(HashSet::new)
            .insert(std::thread::current().id());
        if WAIT_FOR_TICKS.swap(false, Ordering::SeqCst) {
            let before = TICKS.load(Ordering::SeqCst);
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while TICKS.load(Ordering::SeqCst) < before + 3 && std::time::Instant::now() < deadline
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            SAW_TICKS.store(TICKS.load(Ordering::SeqCst) >= before + 3, Ordering::SeqCst);
        }
        deserializer.deserialize_map(V)
    }
}

/// A page of `n` probes, padded so each item is about 100 bytes.
fn probe_page(n: u128) -> String {
    let items: Vec<_> = (1..=n)
        .map(|i| serde_json::json!({"id": id(i), "padding": "x".repeat(60)}))
        .collect();
    serde_json::json!({"$data": items}).to_string()
}

async fn decode_probes(body: &str, wait_for_ticks: bool) -> (HashSet<ThreadId>, bool) {
    let t = TestTransport::new();
    t.push_json(200, body);
    *DECODED_ON.lock().unwrap() = None;
    SAW_TICKS.store(false, Ordering::SeqCst);
    WAIT_FOR_TICKS.store(wait_for_ticks, Ordering::SeqCst);
    let ticker = tokio::spawn(async {
        loop {
            tokio::time::sleep(Duration::from_millis(1)).await;
            TICKS.fetch_add(1, Ordering::SeqCst);
        }
    });
    let probes: Vec<Probe> = client(&t)
        .resource::<Widget>()
        .list()
        .first(5_000)
        .items_as::<Probe>()
        .collect_all()
        .await
        .unwrap();
    ticker.abort();
    assert!(!probes.is_empty());
    let threads = DECODED_ON.lock().unwrap().take().unwrap();
    (threads, SAW_TICKS.load(Ordering::SeqCst))
}

// One test, so that the statics are not shared between tests running at once.
#[tokio::test(flavor = "current_thread")]
async fn a_large_page_is_decoded_off_the_runtime_thread_and_a_small_one_in_place() {
    let runtime_thread = std::thread::current().id();

    // About 100 KB: past the 64 KiB threshold.
    let large = probe_page(1_000);
    assert!(large.len() > 64 * 1024);
    let (threads, ticked) = decode_probes(&large, true).await;
    assert!(
        !threads.contains(&runtime_thread),
        "decoded on the runtime's thread"
    );
    assert!(
        ticked,
        "the runtime's other tasks stalled while the page was decoded"
    );

    // About 1 KB: not worth the hop.
    let small = probe_page(10);
    let (threads, _) = decode_probes(&small, false).await;
    assert_eq!(threads, HashSet::from([runtime_thread]));
}

#[tokio::test]
async fn the_default_is_one_page_ahead() {
    assert_eq!(edlink_client::DEFAULT_PREFETCH, 1);
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], Some(CURSOR_B)));
    t.push_json(200, &page([3], None));
    let request = client(&t).integrations().list().first(2);
    assert!(
        format!("{request:?}").contains("prefetch: 1"),
        "{request:?}"
    );
    let err: Error = client(&t)
        .integrations()
        .list()
        .first(0)
        .prefetch(3)
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::InvalidArgument,
        "bad parameters still fail first"
    );
    assert_eq!(t.request_count(), 0);
}
