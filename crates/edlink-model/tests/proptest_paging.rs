//! Paging through `Paginator`: a hostile server (random page lengths, `$next`
//! present, absent or repeated) never makes a listing loop forever, and an
//! honest server's ids all come out exactly once, in order.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;

use edlink_model::{ListParams, Origin, PageOutcome, Paginator, PagingError};
use proptest::prelude::*;
use uuid::Uuid;

const BASE: &str = "https://ed.link/api/v1/integrations";

fn paginator(page_size: u64) -> Paginator {
    let origin = Origin::new("https://ed.link").unwrap();
    Paginator::new(
        &origin,
        "/api/v1/integrations",
        ListParams::new().first(page_size).validate().unwrap(),
    )
}

/// What the hostile server answers for one URL it was asked.
#[derive(Debug, Clone)]
struct Answer {
    items: usize,
    last_id: Option<usize>,
    next: Option<usize>,
}

fn answer(pool: usize) -> impl Strategy<Value = Answer> {
    (
        0usize..12,
        prop::option::of(0..pool),
        prop::option::weighted(0.7, 0..pool),
    )
        .prop_map(|(items, last_id, next)| Answer {
            items,
            last_id,
            next,
        })
}

/// The `$next` forms a server may send for pool entry `i`.
fn next_url(i: usize) -> String {
    match i % 4 {
        0 => format!("{BASE}?$cursor=c{i}"),
        1 => format!("?$cursor=c{i}"),
        2 => format!("/api/v1/integrations?$cursor=c{i}"),
        _ => format!("  {BASE}?$cursor=c{i}  "),
    }
}

/// `$first`/`$after`/`$cursor` of a URL the paginator built.
fn query(url: &str) -> HashMap<String, String> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The paginator never asks the same URL twice, so it can ask at most
    /// one URL per distinct `$next` and per distinct `$after` id, plus the first.
    #[test]
    fn a_hostile_server_cannot_make_a_listing_loop(
        page_size in 1u64..10,
        pool in 1usize..8,
        answers in prop::collection::vec(answer(8), 1..40),
    ) {
        let ids: Vec<Uuid> = (0..pool as u128).map(|n| Uuid::from_u128(n + 1)).collect();
        let mut p = paginator(page_size);
        let mut url = p.first_url().to_owned();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let bound = 2 * pool + 2;
        let mut steps = 0;
        loop {
            steps += 1;
            prop_assert!(steps <= bound, "more than {} requests", bound);
            // The server answers a URL the same way each time it is asked.
            let n = seen.len();
            let a = &answers[*seen.entry(url.clone()).or_insert(n) % answers.len()];
            let next = a.next.map(|i| next_url(i % pool));
            let outcome = PageOutcome {
                items: a.items,
                last_id: a.last_id.map(|i| ids[i % pool]),
                next: next.as_deref(),
            };
            match p.advance(outcome) {
                Ok(Some(u)) => url = u,
                Ok(None) => break,
                Err(PagingError::Loop { .. } | PagingError::MissingId) => break,
                Err(e) => return Err(TestCaseError::fail(format!("unexpected {e}"))),
            }
        }
    }

    /// A server with a sorted id list serving `$first`/`$after` (with or
    /// without `$next` cursors): every id comes out once, in order.
    #[test]
    fn an_honest_server_yields_every_id_once_in_order(
        mut raw in prop::collection::btree_set(any::<u128>(), 0..60),
        page_size in 1u64..12,
        with_next in any::<bool>(),
        relative in any::<bool>(),
    ) {
        let ids: Vec<Uuid> = std::mem::take(&mut raw).into_iter().map(Uuid::from_u128).collect();
        let mut p = paginator(page_size);
        let mut url = p.first_url().to_owned();
        let mut out = Vec::new();
        let mut ended = false;
        for _ in 0..ids.len() + 3 {
            let q = query(&url);
            let after = q.get("$cursor").or(q.get("$after")).map(|s| Uuid::parse_str(s).unwrap());
            if q.contains_key("$cursor") {
                prop_assert!(!q.contains_key("$first"), "original parameters added to $next: {}", url);
            } else {
                prop_assert_eq!(q.get("$first").cloned(), Some(page_size.to_string()));
            }
            let start = after.map_or(0, |a| ids.partition_point(|id| *id <= a));
            let page = &ids[start..(start + page_size as usize).min(ids.len())];
            let more = start + page.len() < ids.len();
            let next = (with_next && more).then(|| {
                let last = page[page.len() - 1];
                if relative { format!("?$cursor={last}") } else { format!("{BASE}?$cursor={last}") }
            });
            out.extend_from_slice(page);
            match p.advance(PageOutcome { items: page.len(), last_id: page.last().copied(), next: next.as_deref() }) {
                Ok(Some(u)) => url = u,
                Ok(None) => {
                    ended = true;
                    break;
                }
                Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
            }
        }
        prop_assert!(ended, "the listing did not end");
        prop_assert_eq!(&out, &ids);
    }
}
