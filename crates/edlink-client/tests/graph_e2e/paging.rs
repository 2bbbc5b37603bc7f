//! Paging with Graph options: an expired cursor mid-listing, and `$next`
//! followed as sent.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_cursor_mid_listing_loses_nothing_and_keeps_the_filter() {
    let f = fixture().await;
    let (g, d) = (&f.graph, &f.data);
    let filter = people::last_name()
        .is_known()
        .and(people::email().contains("."));
    let want = expected(d, Collection::People, |p| {
        text(p, "last_name").is_some() && text(p, "email").is_some_and(|e| e.contains('.'))
    });
    assert!(want.len() > 10, "several pages");
    f.server.clear_requests();
    // The listing's second request is its first with a `$cursor`: expired.
    f.server
        .expire_cursor_on_request(f.server.request_count() + 2);
    let got = ids(g.people().list().first(5).filter(filter.clone())).await;
    assert_eq!(got, want, "nothing lost, nothing repeated");

    let log = f.server.requests();
    assert_eq!(log[1].status, Some(400), "the expired cursor");
    assert!(log[1].param("$cursor").is_some());
    let resumed = &log[2];
    let last_before = want[4];
    assert_eq!(resumed.param("$after"), Some(last_before.to_string()));
    assert_eq!(
        resumed.param("$filter"),
        Some(filter.to_json()),
        "the filter kept"
    );
    assert_eq!(resumed.param("$first").as_deref(), Some("5"));
    assert_eq!(resumed.param("$cursor"), None);
    for later in &log[3..] {
        assert!(
            later.param("$cursor").is_some(),
            "{}",
            later.path_and_query()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_is_followed_as_sent_and_never_appended_to() {
    let f = fixture().await;
    let g = &f.graph;
    f.server.clear_requests();
    let mut pages = g
        .people()
        .list()
        .first(4)
        .filter(people::first_name().is_known())
        .expand(["schools"])
        .fields(["first_name"])
        .pages();
    let mut count = 0;
    while let Some(page) = futures_util::TryStreamExt::try_next(&mut pages)
        .await
        .unwrap()
    {
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
        count += 1;
    }
    let log = f.server.requests();
    assert_eq!(log.len(), count);
    assert!(count > 3);
    let first = &log[0];
    for name in ["$filter", "$expand", "$fields", "$first"] {
        assert!(first.param(name).is_some(), "{name} on the first request");
    }
    for later in &log[1..] {
        let shown = later.path_and_query();
        if later.param("$cursor").is_some() {
            // A `$next`, as sent: nothing appended.
            for name in ["$filter", "$expand", "$fields", "$first", "$after"] {
                assert_eq!(later.param(name), None, "{name} beside $cursor: {shown}");
            }
        } else {
            // A full last page without `$next`: the `$after` fallback is a
            // URL the client builds, with every option of the first.
            assert!(later.param("$after").is_some(), "{shown}");
            for name in ["$filter", "$expand", "$fields", "$first"] {
                assert_eq!(later.param(name), first.param(name), "{name}: {shown}");
            }
        }
    }
}
