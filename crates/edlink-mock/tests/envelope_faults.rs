//! Faults that bend the envelope: foreign, literal, repeating `$next`; empty pages that
//! still carry `$next`; extra `$warnings`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{KEY, client, get, id_strings, page_ids};
use edlink_mock::{Collection, Fault, FaultTarget, MockServer, Route};

const LIST: Route = Route::List(Collection::Integrations);

async fn server() -> MockServer {
    MockServer::builder()
        .generated(40, 4)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn foreign_and_repeating_next() {
    let server = server().await;
    let c = client();
    let port = server.addr().port();
    server
        .faults()
        .push(LIST, Fault::ForeignNext(format!("http://127.0.0.2:{port}")));
    let (_, next) =
        page_ids(&get(&c, &server.url("/api/v1/integrations?$first=10"), Some(KEY)).await);
    let next = next.unwrap();
    assert!(
        next.starts_with(&format!(
            "http://127.0.0.2:{port}/api/v1/integrations?$cursor="
        )),
        "{next}"
    );
    // The cursor itself is valid on the real origin.
    let cursor = next.split("$cursor=").nth(1).unwrap();
    let (ids, _) = page_ids(
        &get(
            &c,
            &server.url(&format!("/api/v1/integrations?$cursor={cursor}")),
            Some(KEY),
        )
        .await,
    );
    assert_eq!(ids, id_strings(server.integration_ids())[10..20]);
    // Even on the last page (no natural $next) a foreign $next is sent.
    server
        .faults()
        .push(LIST, Fault::ForeignNext("https://evil.example/".into()));
    let (_, next) = page_ids(
        &get(
            &c,
            &server.url("/api/v1/integrations?$first=100"),
            Some(KEY),
        )
        .await,
    );
    assert!(
        next.unwrap()
            .starts_with("https://evil.example/api/v1/integrations?$cursor=")
    );

    // A → B → A.
    let a = server.url("/api/v1/integrations?$first=10");
    let (_, b) = page_ids(&get(&c, &a, Some(KEY)).await);
    server.faults().push(LIST, Fault::RepeatNext);
    let (ids_b, back_to_a) = page_ids(&get(&c, &b.unwrap(), Some(KEY)).await);
    assert_eq!(ids_b, id_strings(server.integration_ids())[10..20]);
    assert_eq!(back_to_a.as_deref(), Some(a.as_str()));
}

#[tokio::test]
async fn literal_next_urls() {
    let server = server().await;
    let c = client();
    for url in [
        "/api/v1/integrations?$cursor=relative",
        "//evil.example/api/v1/integrations",
        "https://ed.link@evil.example/api/v1/integrations",
        "http://ed.link.evil.example/",
    ] {
        server.faults().push(LIST, Fault::NextUrl(url.to_owned()));
        let (ids, next) =
            page_ids(&get(&c, &server.url("/api/v1/integrations?$first=5"), Some(KEY)).await);
        assert_eq!(ids.len(), 5);
        assert_eq!(next.as_deref(), Some(url));
    }
}

#[tokio::test]
async fn empty_page_with_next() {
    let server = server().await;
    let c = client();
    server.faults().push(LIST, Fault::EmptyPage);
    let (ids, next) =
        page_ids(&get(&c, &server.url("/api/v1/integrations?$first=5"), Some(KEY)).await);
    assert!(ids.is_empty());
    let (ids, next) = page_ids(&get(&c, &next.unwrap(), Some(KEY)).await);
    assert_eq!(ids, id_strings(server.integration_ids())[..5]);
    assert!(next.is_some());
}

#[tokio::test]
async fn extra_warnings_on_success_and_error() {
    let server = server().await;
    let c = client();
    let warning = || Fault::Warning {
        code: "PROVIDER_IGNORED_PAGE_SIZE".into(),
        message: "The provider ignored $first.".into(),
    };
    server.faults().push(FaultTarget::Any, warning());
    let v = get(&c, &server.url("/api/v1/integrations?$first=5"), Some(KEY))
        .await
        .json();
    assert_eq!(v["$data"].as_array().unwrap().len(), 5);
    assert_eq!(v["$warnings"][0]["code"], "PROVIDER_IGNORED_PAGE_SIZE");
    server.faults().push(FaultTarget::Any, warning());
    let id = &id_strings(server.integration_ids())[0];
    let v = get(
        &c,
        &server.url(&format!("/api/v1/integrations/{id}")),
        Some(KEY),
    )
    .await
    .json();
    assert_eq!(v["$data"]["id"], id.as_str());
    assert_eq!(v["$warnings"][0]["message"], "The provider ignored $first.");
    server.faults().push(FaultTarget::Any, warning());
    let r = get(&c, &server.url("/api/v1/integrations?$first=0"), Some(KEY)).await;
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(v["$errors"][0]["code"], "INVALID_PAGE_SIZE");
    assert_eq!(v["$warnings"][0]["code"], "PROVIDER_IGNORED_PAGE_SIZE");
}
