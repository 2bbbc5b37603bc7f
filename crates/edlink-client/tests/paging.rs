//! Every paging rule, through the client, on a `TestTransport`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use edlink_client::{Error, ErrorKind, TestTransport};
use edlink_model::{Integration, PagingError, WarningCode};
use futures_util::{StreamExt, TryStreamExt};

const CURSOR_B: &str = "https://ed.link/api/v1/integrations?$cursor=b";
const CURSOR_A: &str = "https://ed.link/api/v1/integrations?$cursor=a";
const CURSOR_C: &str = "https://ed.link/api/v1/integrations?$cursor=c";

async fn all(transport: &TestTransport, first: u64) -> Result<Vec<Integration>, Error> {
    client(transport)
        .integrations()
        .list()
        .first(first)
        .collect_all()
        .await
}

#[tokio::test]
async fn follows_next_as_sent_without_re_adding_parameters() {
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], Some(CURSOR_B)));
    t.push_json(200, &page([3, 4], Some(CURSOR_C)));
    t.push_json(200, &page([5], None));
    let items = client(&t)
        .integrations()
        .list()
        .first(2)
        .after(id(0))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(numbers(&items), [1, 2, 3, 4, 5]);
    assert_eq!(
        urls(&t),
        [
            format!("{INTEGRATIONS}?$first=2&$after={}", id(0)),
            CURSOR_B.to_owned(),
            CURSOR_C.to_owned(),
        ]
    );
    assert_eq!(t.pending(), 0);
}

#[tokio::test]
async fn relative_next_urls_resolve_against_the_collection() {
    for (next, expected) in [
        (
            "/api/v1/integrations?$cursor=r",
            "https://ed.link/api/v1/integrations?$cursor=r",
        ),
        (
            "?$cursor=q",
            "https://ed.link/api/v1/integrations?$cursor=q",
        ),
        (
            "integrations?$cursor=f",
            "https://ed.link/api/v1/integrations?$cursor=f",
        ),
        (
            "https://eu.ed.link/api/v1/integrations?$cursor=eu",
            "https://eu.ed.link/api/v1/integrations?$cursor=eu",
        ),
        (
            "https://ed.link/api/v1/integrations?$cursor=h#fragment",
            "https://ed.link/api/v1/integrations?$cursor=h",
        ),
    ] {
        let t = TestTransport::new();
        t.push_json(200, &page([1], Some(next)));
        t.push_json(200, &page([2], None));
        assert_eq!(numbers(&all(&t, 10).await.unwrap()), [1, 2], "{next}");
        assert_eq!(urls(&t)[1], expected, "{next}");
    }
}

#[tokio::test]
async fn a_full_page_without_next_continues_with_after() {
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], None));
    t.push_json(200, &page([3, 4], None));
    t.push_json(200, &page([5], None));
    assert_eq!(numbers(&all(&t, 2).await.unwrap()), [1, 2, 3, 4, 5]);
    assert_eq!(
        urls(&t),
        [
            format!("{INTEGRATIONS}?$first=2"),
            format!("{INTEGRATIONS}?$first=2&$after={}", id(2)),
            format!("{INTEGRATIONS}?$first=2&$after={}", id(4)),
        ]
    );
}

#[tokio::test]
async fn backward_listings_continue_with_before() {
    let t = TestTransport::new();
    t.push_json(200, &page([9, 8], None));
    t.push_json(200, &page([7], None));
    let items = client(&t)
        .integrations()
        .list()
        .last(2)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(numbers(&items), [9, 8, 7]);
    assert_eq!(
        urls(&t)[1],
        format!("{INTEGRATIONS}?$last=2&$before={}", id(8))
    );
}

#[tokio::test]
async fn a_short_page_without_next_ends_the_listing() {
    let t = TestTransport::new();
    t.push_json(200, &page([1], None));
    assert_eq!(numbers(&all(&t, 2).await.unwrap()), [1]);
    assert_eq!(t.request_count(), 1);

    // A full page, then an empty one: done, no third request.
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], None));
    t.push_json(200, &page([], None));
    assert_eq!(numbers(&all(&t, 2).await.unwrap()), [1, 2]);
    assert_eq!(t.request_count(), 2);
}

#[tokio::test]
async fn an_empty_page_with_next_is_followed() {
    let t = TestTransport::new();
    t.push_json(200, &page([], Some(CURSOR_B)));
    t.push_json(200, &page([], Some(CURSOR_C)));
    t.push_json(200, &page([1], None));
    assert_eq!(numbers(&all(&t, 5).await.unwrap()), [1]);
    assert_eq!(t.request_count(), 3);
}

#[tokio::test]
async fn a_loop_is_an_error_after_the_last_good_page() {
    let t = TestTransport::new();
    t.push_json(200, &page([1], Some(CURSOR_B)));
    t.push_json(200, &page([2], Some(CURSOR_C)));
    t.push_json(200, &page([3], Some(CURSOR_B)));
    let results: Vec<_> = client(&t)
        .integrations()
        .list()
        .first(5)
        .items()
        .collect()
        .await;
    let (ok, err): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    let items: Vec<Integration> = ok.into_iter().map(Result::unwrap).collect();
    assert_eq!(numbers(&items), [1, 2, 3]);
    assert_eq!(err.len(), 1);
    let err = err.into_iter().next().unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Paging { source: PagingError::Loop { url }, .. } if url == CURSOR_B),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::Paging);
    assert_eq!(t.request_count(), 3, "nothing is sent to the repeated URL");

    // A page pointing to itself, too.
    let t = TestTransport::new();
    t.push_json(200, &page([1], Some(CURSOR_B)));
    t.push_json(200, &page([2], Some(CURSOR_B)));
    assert!(matches!(all(&t, 5).await, Err(Error::Paging { .. })));
    assert_eq!(t.request_count(), 2);
}

const HOSTILE: &[&str] = &[
    "http://ed.link/api/v1/integrations?$cursor=x",
    "https://ed.link:8443/api/v1/integrations?$cursor=x",
    "//evil.example/api/v1/integrations?$cursor=x",
    "https://ed.link@evil.example/api/v1/integrations?$cursor=x",
    "https://user:pass@ed.link/api/v1/integrations?$cursor=x",
    "https://ed.link.evil.example/api/v1/integrations?$cursor=x",
    "https://evil-ed.link/api/v1/integrations?$cursor=x",
    "https://evil.example/api/v1/integrations?$cursor=x",
    "http://eu.ed.link/api/v1/integrations?$cursor=x",
    "http:evil.example/x",
    r"\\evil.example/api/v1/integrations?$cursor=x",
    r"/\evil.example/x",
    "https://evil.example\\@ed.link/x",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "https://127.0.0.1/api/v1/integrations",
];

#[tokio::test]
async fn an_off_origin_next_is_refused_and_nothing_is_sent_there() {
    for hostile in HOSTILE {
        let t = TestTransport::new();
        t.push_json(200, &page([1], Some(hostile)));
        let mut items = client(&t).integrations().list().first(5).items();
        assert_eq!(items.next().await.unwrap().unwrap().id, id(1));
        let err = items.next().await.unwrap().unwrap_err();
        assert!(matches!(err, Error::OffOrigin { .. }), "{hostile}: {err:?}");
        assert!(err.to_string().contains("nothing was sent"), "{err}");
        assert!(!err.to_string().contains("pass@"), "{err}");
        assert!(
            items.next().await.is_none(),
            "the stream ends after the error"
        );
        assert_eq!(t.request_count(), 1, "{hostile}: a request was sent");
    }
}

/// `https:evil.example/x` on an https page is, to the WHATWG parser that
/// sends the request, a relative path: it stays on ed.link (the one resolver
/// decides, and the request goes where it decided).
#[tokio::test]
async fn a_scheme_relative_path_stays_on_the_origin() {
    let t = TestTransport::new();
    t.push_json(200, &page([1], Some("https:evil.example/x")));
    t.push_json(200, &page([2], None));
    let items = client(&t)
        .integrations()
        .list()
        .first(5)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(numbers(&items), [1, 2]);
    assert_eq!(urls(&t)[1], "https://ed.link/api/v1/evil.example/x");
}

#[tokio::test]
async fn an_expired_cursor_resumes_after_the_last_item_handed_out() {
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], Some(CURSOR_B)));
    t.push_json(
        400,
        &error_body("INVALID_CURSOR", "The cursor has expired."),
    );
    t.push_json(200, &page([3, 4], Some(CURSOR_C)));
    t.push_json(200, &page([5], None));
    let items = all(&t, 2).await.unwrap();
    assert_eq!(
        numbers(&items),
        [1, 2, 3, 4, 5],
        "nothing lost, nothing repeated"
    );
    assert_eq!(
        urls(&t),
        [
            format!("{INTEGRATIONS}?$first=2"),
            CURSOR_B.to_owned(),
            format!("{INTEGRATIONS}?$first=2&$after={}", id(2)),
            CURSOR_C.to_owned(),
        ]
    );
}

#[tokio::test]
async fn a_cursor_that_keeps_expiring_ends_the_listing() {
    // Every cursor expires, and every resume leads back to the same cursor.
    let t = TestTransport::new();
    t.push_json(200, &page([1], Some(CURSOR_B)));
    t.respond_with(|request| {
        let (status, body) = if request.query().is_some_and(|q| q.contains("$cursor")) {
            (400, error_body("INVALID_CURSOR", "expired"))
        } else {
            (200, page([], Some(CURSOR_B)))
        };
        let mut response = http::Response::new(bytes::Bytes::from(body));
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        Ok(response)
    });
    let err = all(&t, 5).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Paging, "{err:?}");
    assert_eq!(t.request_count(), 3, "{:?}", urls(&t));
}

#[tokio::test]
async fn invalid_cursor_on_a_resumed_request_is_an_api_error() {
    let t = TestTransport::new();
    t.push_json(200, &page([1], Some(CURSOR_B)));
    t.push_json(400, &error_body("INVALID_CURSOR", "expired"));
    t.push_json(400, &error_body("INVALID_CURSOR", "expired again"));
    let err = all(&t, 5).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { errors, .. } if errors[0].code == edlink_model::ErrorCode::InvalidCursor),
        "{err:?}"
    );
    assert_eq!(t.request_count(), 3);
}

#[tokio::test]
async fn invalid_cursor_on_a_first_request_is_an_api_error() {
    let t = TestTransport::new();
    t.push_json(400, &error_body("INVALID_CURSOR", "bad"));
    let err = all(&t, 5).await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 400, .. }), "{err:?}");
    assert_eq!(t.request_count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_retried_page_is_asked_again_with_the_same_url_and_never_duplicates_items() {
    // A document of the wrong shape is not retried: it would fail again…
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], Some(CURSOR_B)));
    t.push_json(200, r#"{"$data": [{"id": 5}]}"#);
    let err = all(&t, 2).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(!err.is_retryable(), "{err}");
    assert_eq!(t.request_count(), 2);

    // …but one cut on its way (a complete 200 whose JSON ends early) is, like
    // a broken connection, with the same URL and no item twice.
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], Some(CURSOR_B)));
    t.push_response(200, "{\"$data\": [{\"id\": \"truncated");
    t.push_json(200, &page([3], None));
    let items = all(&t, 2).await.unwrap();
    assert_eq!(numbers(&items), [1, 2, 3]);
    assert_eq!(urls(&t)[1..], [CURSOR_B, CURSOR_B]);

    // Retried only while attempts remain; then the error says what happened.
    let t = TestTransport::new();
    for _ in 0..3 {
        t.push_response(200, "{\"$data\": [");
    }
    let err = all(&t, 2).await.unwrap_err();
    assert!(err.chain().contains("ended early"), "{}", err.chain());
    assert!(err.is_retryable());
    assert_eq!(t.request_count(), 3);

    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], Some(CURSOR_B)));
    t.push_json(503, "{}");
    t.push_json(200, &page([3, 4], None));
    t.push_json(200, &page([], None));
    let items = all(&t, 2).await.unwrap();
    assert_eq!(numbers(&items), [1, 2, 3, 4]);
    let sent = urls(&t);
    assert_eq!(sent[1], CURSOR_B);
    assert_eq!(sent[2], CURSOR_B, "the retry uses exactly the same URL");
}

#[tokio::test]
async fn the_item_stream_fetches_a_page_only_when_the_consumer_reaches_it() {
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], Some(CURSOR_B)));
    t.push_json(200, &page([3], None));
    // Lazy, as asked: the default fetches one page ahead (tests/prefetch.rs).
    let mut items = client(&t)
        .integrations()
        .list()
        .first(2)
        .prefetch(0)
        .items();
    assert_eq!(
        t.request_count(),
        0,
        "nothing is sent before the first poll"
    );
    items.next().await.unwrap().unwrap();
    items.next().await.unwrap().unwrap();
    assert_eq!(t.request_count(), 1, "page 2 is not fetched ahead");
    items.next().await.unwrap().unwrap();
    assert_eq!(t.request_count(), 2);
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn streams_are_static_and_send_and_run_in_a_task() {
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], Some(CURSOR_B)));
    t.push_json(200, &page([3], None));
    let pages = client(&t).integrations().list().first(2).pages();
    let counts = tokio::spawn(async move {
        pages
            .map_ok(|p| p.items.len())
            .try_collect::<Vec<_>>()
            .await
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(counts, [2, 1]);
}

#[tokio::test]
async fn one_page_carries_next_request_id_and_warnings() {
    let t = TestTransport::new();
    t.push_json(
        200,
        &serde_json::json!({
            "$data": [{"id": id(1)}],
            "$next": CURSOR_B,
            "$request": "req-one",
            "$warnings": [{"code": "PAGING_IGNORED", "message": "The cursor wins."}]
        })
        .to_string(),
    );
    let page = client(&t)
        .integrations()
        .list()
        .first(1)
        .page()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next.as_deref(), Some(CURSOR_B));
    assert_eq!(page.request_id.as_deref(), Some("req-one"));
    assert_eq!(page.warnings[0].code, WarningCode::PagingIgnored);
    assert_eq!(t.request_count(), 1);
}

#[tokio::test]
async fn progress_is_reported_for_each_page() {
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], Some(CURSOR_B)));
    t.push_json(200, &page([3], None));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let items = client(&t)
        .integrations()
        .list()
        .first(2)
        .on_page(move |p| {
            sink.lock()
                .unwrap()
                .push((p.page, p.items, p.items_so_far, p.more))
        })
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(*seen.lock().unwrap(), [(1, 2, 2, true), (2, 1, 3, false)]);
}

#[tokio::test]
async fn raw_items_go_through_the_same_paging() {
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], None));
    t.push_json(200, &page([3], None));
    let values = client(&t)
        .integrations()
        .list()
        .first(2)
        .raw()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(values.len(), 3);
    assert_eq!(values[2]["n"], 3);
    assert_eq!(
        urls(&t)[1],
        format!("{INTEGRATIONS}?$first=2&$after={}", id(2))
    );

    let t = TestTransport::new();
    let body = r#"{"$data":[{"z":1,  "id":"00000000-0000-0000-0000-000000000001","a":1.50}]}"#;
    t.push_json(200, body);
    let raw = client(&t)
        .integrations()
        .list()
        .raw_exact()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        raw[0].as_str(),
        r#"{"z":1,  "id":"00000000-0000-0000-0000-000000000001","a":1.50}"#
    );
}

#[tokio::test]
async fn bad_parameters_fail_before_any_request() {
    let t = TestTransport::new();
    for request in [
        client(&t).integrations().list().first(0),
        client(&t).integrations().list().first(10_001),
        client(&t).integrations().list().first(5).last(5),
    ] {
        let err = request.collect_all().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err:?}");
        assert!(std::error::Error::source(&err).is_some());
    }
    assert_eq!(t.request_count(), 0);
}

#[tokio::test]
async fn a_full_page_without_next_and_without_ids_is_an_error() {
    let t = TestTransport::new();
    t.push_json(200, r#"{"$data":[{"name":"a"},{"name":"b"}]}"#);
    let results: Vec<_> = client(&t)
        .integrations()
        .list()
        .first(2)
        .raw()
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert!(matches!(
        results[2],
        Err(Error::Paging {
            source: PagingError::MissingId,
            ..
        })
    ));
}

#[tokio::test]
async fn any_resource_type_gets_the_same_paging() {
    let t = TestTransport::new();
    t.push_json(200, &page([1, 2], None));
    t.push_json(200, &page([3], None));
    let widgets = client(&t)
        .resource::<Widget>()
        .list()
        .first(2)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(widgets.len(), 3);
    assert_eq!(
        urls(&t)[1],
        format!("https://ed.link/api/v1/widgets?$first=2&$after={}", id(2))
    );
}

#[tokio::test]
async fn a_listing_continues_from_a_next_value() {
    let t = TestTransport::new();
    t.push_json(200, &page([3, 4], Some(CURSOR_B)));
    t.push_json(200, &page([5], None));
    let items = client(&t)
        .integrations()
        .list()
        .first(2)
        .starting_at(CURSOR_A)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(numbers(&items), [3, 4, 5]);
    assert_eq!(urls(&t), [CURSOR_A, CURSOR_B]);

    // The same origin rule as any `$next`: nothing is sent elsewhere.
    let t = TestTransport::new();
    let err = client(&t)
        .integrations()
        .list()
        .starting_at("https://evil.example/api/v1/integrations?$cursor=a")
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OffOrigin { .. }), "{err:?}");
    assert_eq!(t.request_count(), 0);

    // An expired cursor resumes only from a place the caller gives.
    let t = TestTransport::new();
    t.push_json(400, &error_body("INVALID_CURSOR", "expired"));
    let err = client(&t)
        .integrations()
        .list()
        .first(2)
        .starting_at(CURSOR_A)
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        err.has_code(edlink_client::ErrorCode::InvalidCursor),
        "{err:?}"
    );
    assert_eq!(t.request_count(), 1, "nothing restarts from the beginning");
    let t = TestTransport::new();
    t.push_json(400, &error_body("INVALID_CURSOR", "expired"));
    t.push_json(200, &page([3], None));
    let items = client(&t)
        .integrations()
        .list()
        .first(2)
        .after(id(2))
        .starting_at(CURSOR_A)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(numbers(&items), [3]);
    assert_eq!(
        urls(&t)[1],
        format!("{INTEGRATIONS}?$first=2&$after={}", id(2))
    );
}
