//! Paging: every parameter, every paging error, cursors, and full walks of 25,000 items.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{KEY, client, get, id_strings, page_ids, walk_bounds, walk_next};
use edlink_mock::{MockData, MockServer};

const NIL: &str = "00000000-0000-0000-0000-000000000000";

fn rev(ids: &[String]) -> Vec<String> {
    ids.iter().rev().cloned().collect()
}

#[tokio::test]
async fn page_sizes_and_bounds() {
    let server = MockServer::builder()
        .generated(250, 1)
        .start()
        .await
        .unwrap();
    let ids = id_strings(server.integration_ids());
    let c = client();
    let page = |q: String| {
        let url = server.url(&format!("/api/v1/integrations{q}"));
        let c = c.clone();
        async move { page_ids(&get(&c, &url, Some(KEY)).await) }
    };
    // Default page size 100, ascending.
    let (got, next) = page(String::new()).await;
    assert_eq!(got, ids[..100]);
    assert!(next.is_some());
    let (got, _) = page("?$first=7".into()).await;
    assert_eq!(got, ids[..7]);
    let (got, _) = page(format!("?$first=5&$after={}", ids[9])).await;
    assert_eq!(got, ids[10..15]);
    let (got, _) = page(format!("?$first=5&$after={NIL}")).await;
    assert_eq!(got, ids[..5]);
    // $after with an id that is not in the set: the items after it in id order.
    let (got, _) = page("?$first=3&$after=ffffffff-ffff-ffff-ffff-fffffffffffe".into()).await;
    assert!(
        got.is_empty()
            || got
                .iter()
                .all(|id| id.as_str() > "ffffffff-ffff-ffff-ffff-fffffffffffe")
    );
    // $last: the newest (highest ids) first, descending.
    let (got, _) = page("?$last=4".into()).await;
    assert_eq!(got, rev(&ids[246..]));
    let (got, _) = page(format!("?$last=4&$before={}", ids[10])).await;
    assert_eq!(got, rev(&ids[6..10]));
    let (got, next) = page(format!("?$last=4&$before={}", ids[2])).await;
    assert_eq!((got, next), (rev(&ids[..2]), None));
    let (got, _) = page(format!("?$last=2&$before={NIL}")).await;
    assert_eq!(
        got,
        rev(&ids[248..]),
        "nil $before means from the newest end"
    );
    // Both bounds: a window.
    let (got, next) = page(format!(
        "?$first=100&$after={}&$before={}",
        ids[20], ids[30]
    ))
    .await;
    assert_eq!((got, next), (ids[21..30].to_vec(), None));
    let (got, _) = page(format!("?$last=3&$after={}&$before={}", ids[20], ids[30])).await;
    assert_eq!(got, rev(&ids[27..30]));
    // Past the end: empty, no $next.
    let (got, next) = page(format!("?$first=10&$after={}", ids[249])).await;
    assert_eq!((got.len(), next), (0, None));
    // Limits are inclusive.
    assert_eq!(page("?$first=10000".into()).await.0.len(), 250);
    assert_eq!(page("?$first=1".into()).await.0.len(), 1);
    assert_eq!(
        page("?%24first=2".into()).await.0,
        ids[..2],
        "percent-encoded $ works"
    );
}

#[tokio::test]
async fn configured_default_page_size() {
    let server = MockServer::builder()
        .generated(50, 1)
        .page_size_default(20)
        .start()
        .await
        .unwrap();
    let (got, _) = page_ids(&get(&client(), &server.url("/api/v1/integrations"), Some(KEY)).await);
    assert_eq!(got.len(), 20);
}

#[tokio::test]
async fn paging_errors() {
    let server = MockServer::builder().start().await.unwrap();
    let c = client();
    let cases = [
        ("$first=0", "INVALID_PAGE_SIZE"),
        ("$first=10001", "INVALID_PAGE_SIZE"),
        ("$last=0", "INVALID_PAGE_SIZE"),
        ("$last=10001", "INVALID_PAGE_SIZE"),
        ("$first=abc", "INVALID_PAGE_SIZE"),
        ("$first=-5", "INVALID_PAGE_SIZE"),
        ("$first=", "INVALID_PAGE_SIZE"),
        ("$first=2.5", "INVALID_PAGE_SIZE"),
        ("$first=5&$last=5", "INVALID_PAGE_SIZE"),
        ("$after=abc", "INVALID_UUID"),
        ("$before=77a6970541a749cb0fe8ffd425f9716f", "INVALID_UUID"),
        ("$after=", "INVALID_UUID"),
        ("$cursor=", "INVALID_CURSOR"),
        ("$cursor=not-a-cursor", "INVALID_CURSOR"),
    ];
    for (path, auth) in [
        ("/api/v1/integrations", Some(KEY)),
        ("/api/v1/providers", None),
    ] {
        for (q, code) in cases {
            let r = get(&c, &server.url(&format!("{path}?{q}")), auth).await;
            assert_eq!((r.status, r.code().as_str()), (400, code), "{path}?{q}");
            assert!(r.json().get("$next").is_none());
        }
    }
}

#[tokio::test]
async fn next_and_cursor() {
    let server = MockServer::builder()
        .generated(25, 2)
        .start()
        .await
        .unwrap();
    let ids = id_strings(server.integration_ids());
    let c = client();
    let r = get(&c, &server.url("/api/v1/integrations?$first=10"), Some(KEY)).await;
    let (got, next) = page_ids(&r);
    assert_eq!(got, ids[..10]);
    let next = next.unwrap();
    let prefix = format!("{}/api/v1/integrations?$cursor=", server.base_url());
    assert!(next.starts_with(&prefix), "{next}");
    assert!(!next.contains("$first"));
    // The cursor carries the page size and the position.
    let (got2, next2) = page_ids(&get(&c, &next, Some(KEY)).await);
    assert_eq!(got2, ids[10..20]);
    let (got3, next3) = page_ids(&get(&c, &next2.unwrap(), Some(KEY)).await);
    assert_eq!((got3, next3), (ids[20..].to_vec(), None));
    assert_eq!(server.cursors_issued(), 2);

    // A cursor is reusable (the same page again) until it expires.
    assert_eq!(page_ids(&get(&c, &next, Some(KEY)).await).0, ids[10..20]);

    // Extra paging parameters beside $cursor: ignored, with PAGING_IGNORED.
    let r = get(&c, &format!("{next}&$first=2&$after={}", ids[0]), Some(KEY)).await;
    let v = r.json();
    assert_eq!(page_ids(&r).0, ids[10..20]);
    assert_eq!(v["$warnings"][0]["code"], "PAGING_IGNORED");
    // Without extra parameters: no warnings at all.
    assert!(
        get(&c, &next, Some(KEY))
            .await
            .json()
            .get("$warnings")
            .is_none()
    );

    // Tampered, or used on another route: INVALID_CURSOR.
    let mut tampered = next.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == '0' { '1' } else { '0' });
    let r = get(&c, &tampered, Some(KEY)).await;
    assert_eq!((r.status, r.code().as_str()), (400, "INVALID_CURSOR"));
    let cursor = next.split("$cursor=").nth(1).unwrap();
    let r = get(
        &c,
        &server.url(&format!("/api/v1/providers?$cursor={cursor}")),
        None,
    )
    .await;
    assert_eq!(r.code(), "INVALID_CURSOR");

    // Backward: $next continues descending.
    let (got, next) =
        page_ids(&get(&c, &server.url("/api/v1/integrations?$last=10"), Some(KEY)).await);
    assert_eq!(got, rev(&ids[15..]));
    let (got, _) = page_ids(&get(&c, &next.unwrap(), Some(KEY)).await);
    assert_eq!(got, rev(&ids[5..15]));
}

#[tokio::test]
async fn cursors_expire_on_demand() {
    let server = MockServer::builder()
        .generated(30, 2)
        .start()
        .await
        .unwrap();
    let ids = id_strings(server.integration_ids());
    let c = client();
    let first = server.url("/api/v1/integrations?$first=10");
    let next = page_ids(&get(&c, &first, Some(KEY)).await).1.unwrap();

    // expire_next_cursors(n): the next n cursor requests fail, then they work again.
    server.expire_next_cursors(2);
    for _ in 0..2 {
        let r = get(&c, &next, Some(KEY)).await;
        assert_eq!((r.status, r.code().as_str()), (400, "INVALID_CURSOR"));
        assert!(r.json().get("$next").is_none());
    }
    assert_eq!(get(&c, &next, Some(KEY)).await.status, 200);

    // expire_cursor_on_request(k): only request number k (if it carries a cursor).
    let k = server.request_count() + 2;
    server.expire_cursor_on_request(k);
    assert_eq!(get(&c, &next, Some(KEY)).await.status, 200); // k - 1
    assert_eq!(get(&c, &next, Some(KEY)).await.code(), "INVALID_CURSOR"); // k
    assert_eq!(get(&c, &next, Some(KEY)).await.status, 200); // k + 1

    // expire_all_cursors: old cursors die, new ones work; the resume recipe works.
    server.expire_all_cursors();
    assert_eq!(get(&c, &next, Some(KEY)).await.code(), "INVALID_CURSOR");
    let resume = server.url(&format!("/api/v1/integrations?$first=10&$after={}", ids[9]));
    let (got, fresh) = page_ids(&get(&c, &resume, Some(KEY)).await);
    assert_eq!(got, ids[10..20]);
    assert_eq!(
        page_ids(&get(&c, &fresh.unwrap(), Some(KEY)).await).0,
        ids[20..30]
    );
}

/// Cursor ages run on tokio's clock: paused time makes the TTL exact and the test instant.
#[tokio::test(start_paused = true)]
async fn cursors_age_out() {
    let server = MockServer::builder()
        .generated(30, 2)
        .cursor_ttl(Duration::from_millis(1_000))
        .start()
        .await
        .unwrap();
    let c = client();
    let next = page_ids(&get(&c, &server.url("/api/v1/integrations?$first=10"), Some(KEY)).await)
        .1
        .unwrap();
    assert_eq!(get(&c, &next, Some(KEY)).await.status, 200);
    tokio::time::advance(Duration::from_millis(999)).await;
    assert_eq!(get(&c, &next, Some(KEY)).await.status, 200, "still young");
    tokio::time::advance(Duration::from_millis(2)).await;
    let r = get(&c, &next, Some(KEY)).await;
    assert_eq!((r.status, r.code().as_str()), (400, "INVALID_CURSOR"));
    // A fresh cursor works again.
    let fresh = page_ids(&get(&c, &server.url("/api/v1/integrations?$first=10"), Some(KEY)).await)
        .1
        .unwrap();
    assert_eq!(get(&c, &fresh, Some(KEY)).await.status, 200);
}

#[tokio::test]
async fn no_next_mode() {
    let server = MockServer::builder()
        .generated(30, 2)
        .no_next(true)
        .start()
        .await
        .unwrap();
    let r = get(
        &client(),
        &server.url("/api/v1/integrations?$first=10"),
        Some(KEY),
    )
    .await;
    let v = r.json();
    assert_eq!(v["$data"].as_array().unwrap().len(), 10);
    assert!(v.get("$next").is_none());
    assert_eq!(server.cursors_issued(), 0);
}

#[tokio::test]
async fn next_base_url_override() {
    let server = MockServer::builder()
        .generated(30, 2)
        .next_base_url("https://ed.link/")
        .start()
        .await
        .unwrap();
    let (_, next) = page_ids(
        &get(
            &client(),
            &server.url("/api/v1/integrations?$first=10"),
            Some(KEY),
        )
        .await,
    );
    assert!(
        next.unwrap()
            .starts_with("https://ed.link/api/v1/integrations?$cursor=")
    );
}

/// 25,000 items, four ways: every item exactly once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_walks_of_25000() {
    let data = MockData::generated(25_000, 2026);
    let with_next = MockServer::builder()
        .data(data.clone())
        .start()
        .await
        .unwrap();
    let without = MockServer::builder()
        .data(data)
        .no_next(true)
        .start()
        .await
        .unwrap();
    let ids = id_strings(with_next.integration_ids());
    assert_eq!(ids.len(), 25_000);
    let descending = rev(&ids);
    let c = client();
    let fwd_url = with_next.url("/api/v1/integrations?$first=2500");
    let back_url = with_next.url("/api/v1/integrations?$last=5000");
    let plain = without.base_url();
    let (fwd, back, after, before) = tokio::join!(
        walk_next(&c, &fwd_url, Some(KEY)),
        walk_next(&c, &back_url, Some(KEY)),
        walk_bounds(&c, &plain, true, 2000),
        walk_bounds(&c, &plain, false, 5000),
    );
    assert_eq!(fwd.1, 10, "pages");
    assert!(fwd.0 == ids, "forward $next walk differs");
    assert_eq!(back.1, 5);
    assert!(back.0 == descending, "backward $next walk differs");
    assert!(after == ids, "$after walk differs");
    assert!(before == descending, "$before walk differs");
    // Every $next request carried only $cursor.
    for r in with_next
        .requests()
        .iter()
        .filter(|r| r.param("$cursor").is_some())
    {
        assert_eq!(r.query.as_deref().map(|q| q.matches('&').count()), Some(0));
    }
}
