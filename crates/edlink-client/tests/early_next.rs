//! The next page's request sent while a page decodes (`$next` read from the
//! body's edges): it overlaps the decoding, it is kept only when the decoded
//! page agrees, and dropped (cancelled) otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::pager::{Pager, client_on, let_others_run};
use common::*;
use edlink_client::{Client, ErrorKind, Transport, TransportError};
use edlink_model::{Integration, Record};
use edlink_transport::BoxFuture;
use futures_util::{StreamExt, TryStreamExt};
use serde::de::{Deserialize, Deserializer};
use uuid::Uuid;

// --- The request for page 2 leaves while page 1 decodes ------------------

/// Requests started by `Counted`, read by `Gate` while it decodes.
static SENT: AtomicUsize = AtomicUsize::new(0);
static GATE_WAIT_MS: AtomicUsize = AtomicUsize::new(0);
static SAW_PAGE_2_ASKED: AtomicBool = AtomicBool::new(false);

/// A transport that counts requests in `SENT` and serves `Pager`'s pages.
struct Counted(Arc<Pager>);

impl Transport for Counted {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        SENT.fetch_add(1, Ordering::SeqCst);
        self.0.send(request)
    }
}

/// An item whose decoding, for item 1, waits (up to `GATE_WAIT_MS`) for a
/// second request to start, and records whether one did.
struct Gate {
    id: Uuid,
}

impl Record for Gate {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl<'de> Deserialize<'de> for Gate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let widget = Widget::deserialize(deserializer)?;
        if widget.id == id(1) {
            let deadline =
                Instant::now() + Duration::from_millis(GATE_WAIT_MS.load(Ordering::SeqCst) as u64);
            while SENT.load(Ordering::SeqCst) < 2 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
            SAW_PAGE_2_ASKED.store(SENT.load(Ordering::SeqCst) >= 2, Ordering::SeqCst);
        }
        Ok(Gate { id: widget.id })
    }
}

impl fmt::Debug for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gate({})", self.id)
    }
}

async fn gated_listing(prefetch: usize, wait: Duration) -> (Vec<u128>, bool) {
    SENT.store(0, Ordering::SeqCst);
    SAW_PAGE_2_ASKED.store(false, Ordering::SeqCst);
    GATE_WAIT_MS.store(wait.as_millis() as usize, Ordering::SeqCst);
    let client = Client::builder()
        .application_key(KEY)
        .transport(Counted(Pager::new(3, 2)))
        .build()
        .unwrap();
    let items: Vec<Gate> = client
        .resource::<Widget>()
        .list()
        .first(2)
        .prefetch(prefetch)
        .items_as::<Gate>()
        .collect_all()
        .await
        .unwrap();
    let ids = items.iter().map(|g| g.id.as_u128()).collect();
    (ids, SAW_PAGE_2_ASKED.load(Ordering::SeqCst))
}

// One test, so that the statics are not shared between tests running at once. Two worker
// threads: page 1 decodes on one (it is small), the listing sends page 2 from the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_2_is_asked_for_while_page_1_decodes_and_only_when_fetching_ahead() {
    let (ids, overlapped) = gated_listing(1, Duration::from_secs(10)).await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert!(overlapped, "page 2 was not asked for while page 1 decoded");

    // Lazy: page 2 is asked for only after page 1 is handed out, so the gate waits in vain.
    let (ids, overlapped) = gated_listing(0, Duration::from_millis(200)).await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert!(!overlapped);
}

// --- An early request the decoded page does not confirm is dropped ------

/// Serves a script: for each `$cursor` (none for the first page), the bodies
/// of its successive requests; `None` never answers. Records the requests
/// and the ones dropped unanswered.
#[derive(Default)]
struct Script {
    bodies: Mutex<HashMap<String, Vec<Option<String>>>>,
    asked: Mutex<Vec<String>>,
    dropped: Arc<AtomicUsize>,
}

impl Script {
    fn answer(self, cursor: &str, body: Option<String>) -> Self {
        let mut bodies = self.bodies.lock().unwrap();
        bodies.entry(cursor.to_owned()).or_default().push(body);
        drop(bodies);
        self
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

struct Unanswered(Arc<AtomicUsize>);

impl Drop for Unanswered {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl Transport for Script {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let query = request.uri().query().unwrap_or_default();
        let cursor = query
            .split('&')
            .find_map(|p| p.strip_prefix("$cursor="))
            .unwrap_or_default()
            .to_owned();
        self.asked.lock().unwrap().push(cursor.clone());
        let body = {
            let mut bodies = self.bodies.lock().unwrap();
            let queue = bodies.get_mut(&cursor).expect("a scripted cursor");
            assert!(!queue.is_empty(), "asked for {cursor} once too often");
            queue.remove(0)
        };
        let dropped = Arc::clone(&self.dropped);
        Box::pin(async move {
            let Some(body) = body else {
                let _unanswered = Unanswered(dropped);
                return std::future::pending().await;
            };
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Bytes::from(body))
                .unwrap())
        })
    }
}

fn cursor(k: &str) -> String {
    format!("{INTEGRATIONS}?$cursor={k}")
}

#[tokio::test(start_paused = true)]
async fn a_page_that_fails_to_decode_drops_the_request_sent_early() {
    // Page 1 shows `$next`, but an item is not an integration.
    let bad = format!(
        r#"{{"$data":[{{"id":"{}"}},{{"id":42}}],"$next":"{}"}}"#,
        id(1),
        cursor("2")
    );
    let script = Arc::new(Script::default().answer("", Some(bad)).answer("2", None));
    let client = Client::builder()
        .application_key(KEY)
        .transport(Arc::clone(&script))
        .build()
        .unwrap();
    let mut items = client.integrations().list().first(2).items();
    let err = items.next().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(items.next().await.is_none(), "an error ends the listing");
    let_others_run().await;
    assert_eq!(
        script.asked(),
        ["", "2"],
        "page 2 was asked for while page 1 decoded"
    );
    assert_eq!(
        script.dropped.load(Ordering::SeqCst),
        1,
        "and its request was cancelled"
    );
}

#[tokio::test(start_paused = true)]
async fn an_early_request_for_another_url_than_the_page_decided_is_dropped() {
    // Page 1's first body ends early but already shows a `$next` (at the front); it is
    // retried, and the full body names another cursor: only that one is followed.
    let cut = format!(
        r#"{{"$next":"{}","$data":[{{"id":"{}"}}"#,
        cursor("x"),
        id(1)
    );
    let script = Arc::new(
        Script::default()
            .answer("", Some(cut))
            .answer("", Some(page([1, 2], Some(&cursor("2")))))
            .answer("x", None)
            .answer("2", Some(page([3], None))),
    );
    let client = Client::builder()
        .application_key(KEY)
        .transport(Arc::clone(&script))
        .build()
        .unwrap();
    let items: Vec<Integration> = client
        .integrations()
        .list()
        .first(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers(&items), [1, 2, 3]);
    let_others_run().await;
    let mut asked = script.asked();
    asked.sort();
    assert_eq!(asked, ["", "", "2", "x"]);
    assert_eq!(script.dropped.load(Ordering::SeqCst), 1, "x was cancelled");
}

#[tokio::test(start_paused = true)]
async fn the_early_request_waits_for_the_bound_while_the_consumer_holds_a_page() {
    // Prefetch 1: two pages at most. The consumer holds page 1 and does not ask for more:
    // page 2 arrives and waits, and its `$next` must not send page 3.
    let pager = Pager::new(5, 2);
    let mut pages = client_on(&pager).integrations().list().first(2).pages();
    let first = pages.try_next().await.unwrap().unwrap();
    let_others_run().await;
    assert_eq!(pager.started(), 2);
    assert_eq!(first.items.len(), 2);
    // Asking for page 2 frees page 1's place: page 3 leaves (early or not).
    pages.try_next().await.unwrap().unwrap();
    let_others_run().await;
    assert_eq!(pager.started(), 3);
}

// --- A listing's pages decode one at a time --------------------------------

static DECODING_NOW: AtomicUsize = AtomicUsize::new(0);
static MOST_DECODING: AtomicUsize = AtomicUsize::new(0);

/// An item that takes 2 ms to decode and records how many items of any page
/// were being decoded at once.
struct Slow {
    id: Uuid,
}

impl Record for Slow {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl<'de> Deserialize<'de> for Slow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let now = DECODING_NOW.fetch_add(1, Ordering::SeqCst) + 1;
        MOST_DECODING.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(2));
        let widget = Widget::deserialize(deserializer);
        DECODING_NOW.fetch_sub(1, Ordering::SeqCst);
        Ok(Slow { id: widget?.id })
    }
}

/// A page of `n` widgets from `first`, padded past the 64 KiB that are
/// decoded in place, so that each decodes on the blocking pool.
fn padded_page(first: u128, n: u128, next: Option<&str>) -> String {
    let padding = "x".repeat(1_000);
    let items: Vec<String> = (first..first + n)
        .map(|k| format!(r#"{{"id":"{}","name":"{padding}"}}"#, id(k)))
        .collect();
    let next = next.map_or(String::new(), |n| format!(r#","$next":"{n}""#));
    format!(r#"{{"$data":[{}]{next}}}"#, items.join(","))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listings_pages_decode_one_at_a_time() {
    let widgets = "https://ed.link/api/v1/widgets";
    let script = Arc::new(
        Script::default()
            .answer(
                "",
                Some(padded_page(1, 70, Some(&format!("{widgets}?$cursor=2")))),
            )
            .answer(
                "2",
                Some(padded_page(71, 70, Some(&format!("{widgets}?$cursor=3")))),
            )
            .answer("3", Some(padded_page(141, 69, None))),
    );
    let client = Client::builder()
        .application_key(KEY)
        .transport(Arc::clone(&script))
        .build()
        .unwrap();
    let items: Vec<Slow> = client
        .resource::<Widget>()
        .list()
        .first(70)
        .items_as::<Slow>()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 209);
    assert!(
        items.iter().zip(1..).all(|(s, k)| s.id == id(k)),
        "in order"
    );
    // Page 2 was asked for while page 1 decoded, yet never decoded beside it.
    assert_eq!(script.asked(), ["", "2", "3"]);
    assert_eq!(MOST_DECODING.load(Ordering::SeqCst), 1);
}
