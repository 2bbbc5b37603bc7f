//! The public names sit beside the SDK's without clashes, and ids use the SDK's id type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

/// Stands for `edlink_model::Resource`, the SDK's trait, imported by name in users' tests.
mod sdk_model {
    pub trait Resource {
        fn path() -> &'static str;
    }
}

use common::{KEY, client, get};
use edlink_mock::{Collection, FaultTarget, MockServer, Route, SERVER_DEFAULT_PAGE_SIZE};
use sdk_model::Resource;
use uuid::Uuid;

struct Integration;

impl Resource for Integration {
    fn path() -> &'static str {
        "/api/v1/integrations"
    }
}

#[test]
fn the_mock_collection_and_the_sdk_resource_live_side_by_side() {
    assert_eq!(Collection::Integrations.path(), Integration::path());
    let route = Route::List(Collection::Integrations);
    assert_eq!(route.collection(), Some(Collection::Integrations));
    assert!(FaultTarget::from(Collection::Integrations).matches(route));
    assert!(!FaultTarget::from(Collection::Providers).matches(route));
}

#[tokio::test]
async fn ids_are_the_sdk_uuid_type_in_the_paging_order() {
    let server = MockServer::builder()
        .generated(40, 5)
        .start()
        .await
        .unwrap();
    let ids: Vec<Uuid> = server.integration_ids();
    let from_json: Vec<Uuid> = server
        .integrations_json()
        .iter()
        .map(|v| v["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 40);
    assert_eq!(ids, from_json);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending, as paged");
    let providers: Vec<Uuid> = server.data().ids(Collection::Providers);
    assert_eq!(providers.len(), 10);
    // A Graph collection holds nothing in the v1 data (Graph data lives per integration).
    assert!(server.data().ids(Collection::People).is_empty());
}

#[tokio::test]
async fn the_server_default_page_size_says_whose_default_it_is() {
    let server = MockServer::builder()
        .generated(250, 5)
        .start()
        .await
        .unwrap();
    let v = get(&client(), &server.url("/api/v1/integrations"), Some(KEY))
        .await
        .json();
    assert_eq!(SERVER_DEFAULT_PAGE_SIZE, 100, "Edlink's default");
    assert_eq!(
        v["$data"].as_array().unwrap().len(),
        SERVER_DEFAULT_PAGE_SIZE
    );
}
