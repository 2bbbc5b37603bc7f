//! The public names sit beside the SDK's without clashes, and ids use the SDK's id type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// Stands for `edlink_model::Resource`, the SDK's trait, imported by name in users' tests.
mod sdk_model {
    pub trait Resource {
        fn path() -> &'static str;
    }
}

use edlink_mock::{Collection, FaultTarget, Route};
use sdk_model::Resource;

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
