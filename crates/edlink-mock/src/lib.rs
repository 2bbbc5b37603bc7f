//! A faithful fake of the Edlink v1 meta API (`/api/v1/integrations`, `/providers`,
//! `/permissions`), of the v2 Graph API (`/api/v2/graph/…`, a generated district behind
//! each integration, opened by its access token, with `$filter`, `$expand` and `$fields`),
//! and of sign-in with Edlink and the User API (`/sso/login`, `/api/authentication/token`,
//! `/api/v2/my/…` for a person of a generated district, tokens that expire on demand),
//! with Edlink's envelope, paging, errors and a fault injector, for tests and benchmarks of
//! Edlink clients. It does not depend on the SDK's model: it serves pre-serialized JSON.
//!
//! ```no_run
//! use edlink_mock::{Collection, Fault, MockServer, Route};
//!
//! #[tokio::main]
//! async fn main() -> std::io::Result<()> {
//!     let server = MockServer::builder()
//!         .secret_key("test-key")
//!         .generated(2_500, 42)
//!         .start()
//!         .await?;
//!     server.faults().fail_next(Route::List(Collection::Integrations), 1, Fault::Status(503));
//!     println!("try: curl -H 'Authorization: Bearer test-key' '{}/api/v1/integrations?$first=2'",
//!              server.base_url());
//!     // ... run the client under test, then:
//!     for r in server.requests() {
//!         println!("{} {} -> {:?} fault={:?}", r.method, r.path_and_query(), r.status, r.fault);
//!     }
//!     // The Graph API: the district behind an active integration, and its access token.
//!     let integration = server.integrations_with_status("active")[0];
//!     let token = server.access_token(integration).expect("generated integrations have one");
//!     let graph = server.graph(integration).expect("a listed integration");
//!     println!("GET {}/api/v2/graph/people with Bearer {token}: {} people",
//!              server.base_url(), graph.len(Collection::People));
//!     server.shutdown().await;
//!     Ok(())
//! }
//! ```
//!
//! See `docs/mock.md` in the repository for every behaviour and the choices made where
//! Edlink's docs are silent or contradictory.

mod body;
mod builder;
mod catalog;
mod collection;
mod cursor;
mod data;
mod faults;
mod generate;
mod graph;
mod gzip;
mod json;
mod link;
mod log;
mod paging;
mod prng;
mod reply;
mod respond;
mod routes;
mod serve;
mod server;
mod sso;
mod state;
mod text;

pub use builder::{DEFAULT_SECRET_KEY, MockServerBuilder, SERVER_DEFAULT_PAGE_SIZE};
pub use collection::Collection;
pub use data::{DataError, MockData};
pub use faults::{Fault, FaultPlan, FaultRate, FaultTarget, Faults, RetryAfter};
pub use graph::{GraphData, GraphSize, MutationReport, Relation};
pub use log::{Credential, LoggedRequest};
pub use paging::MAX_PAGE_SIZE;
pub use routes::Route;
pub use server::MockServer;
pub use sso::{
    CODE_TTL, DEFAULT_PERSON_TOKEN_TTL, DEFAULT_SSO_CLIENT_ID, DEFAULT_SSO_CLIENT_SECRET, MyRoute,
    RefreshTokens,
};

#[cfg(test)]
mod tests {
    fn send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn handles_are_send_and_sync() {
        send_sync::<crate::MockServer>();
        send_sync::<crate::Faults>();
        send_sync::<crate::MockData>();
        send_sync::<crate::LoggedRequest>();
        send_sync::<crate::MockServerBuilder>();
        send_sync::<crate::GraphData>();
        send_sync::<crate::GraphSize>();
        send_sync::<crate::MutationReport>();
        send_sync::<crate::Credential>();
    }
}
