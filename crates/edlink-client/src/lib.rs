//! A client for the Edlink API: integrations, providers and permissions, with
//! safe paging, retries and errors that say what happened.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), edlink_client::Error> {
//!     // The application secret key, from EDLINK_SECRET_KEY.
//!     let client = edlink_client::Client::from_env()?;
//!
//!     // Every integration, one page in memory at a time.
//!     let mut integrations = client.integrations().list().items();
//!     while let Some(integration) = integrations.try_next().await? {
//!         let source = integration.source.as_ref().and_then(|s| s.name.as_deref());
//!         println!("{} {:?} {:?}", integration.id, source, integration.status);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! - **One generic path**: [`Client::resource`] gives [`Resources`] for any
//!   [`edlink_model::Resource`]; [`Client::integrations`],
//!   [`Client::providers`] and [`Client::permissions`] are shorthands.
//! - **Paging** ([`ListRequest`]): one page ([`ListRequest::page`]), a
//!   [`PageStream`], an [`ItemStream`] holding at most two pages (one fetched
//!   ahead while you work: [`ListRequest::prefetch`]), or
//!   [`ListRequest::collect_all`]; progress through [`ListRequest::on_page`];
//!   raw JSON items through [`ListRequest::raw`] and [`ListRequest::raw_exact`].
//!   The rules live in [`edlink_model::Paginator`].
//! - **Retries** ([`RetryPolicy`]): 3 attempts, full-jitter backoff, `Retry-After`.
//! - **Security**: the key goes only to the base URL's origin (every `$next`
//!   is checked), redirects are not followed, secrets never reach `Debug`,
//!   `Display`, errors or logs.
//! - **Errors** ([`Error`]): the status, every Edlink code and message, the
//!   `$request` id and the attempts made.
//! - **Tracing**: a `debug` span per HTTP request (`edlink_request`: method,
//!   path without query, attempt, status, elapsed ms), retries at `info`,
//!   every `$warnings` entry at `warn`. Nothing is printed unless you install
//!   a subscriber.
//!
//! See `docs/client.md` in the repository for the full guide.
//!
//! # Features
//!
//! - `hyper` (default): the default transport, `HyperTransport`.
//! - `rustls` (default): HTTPS for it.
//!
//! Without `hyper`, pass a transport with [`ClientBuilder::transport`].

mod builder;
mod client;
mod default_transport;
mod endpoint;
mod error;
mod events;
mod execute;
mod flight;
mod get;
mod graph;
mod graph_nested;
mod list;
mod offload;
mod origin;
mod prefetch;
mod query;
mod redact;
mod resource;
mod retry;
mod retry_after;
mod session;
mod sso;
mod stream;
mod user;

pub use builder::{ClientBuilder, USER_AGENT};
pub use client::{Client, DEFAULT_BASE_URL, DEFAULT_CALL_TIMEOUT, SECRET_KEY_ENV};
pub use error::{Error, ErrorKind};
pub use get::GetRequest;
pub use graph::Graph;
pub use list::{ListRequest, PageProgress};
pub use prefetch::DEFAULT_PREFETCH;
pub use resource::Resources;
pub use retry::{
    DEFAULT_BASE_DELAY, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_DELAY, DEFAULT_MAX_RETRY_AFTER,
    RetryPolicy,
};
pub use retry_after::parse_retry_after;
pub use session::DEFAULT_REFRESH_MARGIN;
pub use sso::Sso;
pub use stream::{ItemStream, PageStream};
pub use user::{User, UserBuilder, UserResources};

/// The data model this client returns (re-exported).
pub use edlink_model as model;
pub use edlink_model::{
    AccessToken, ApiError, ApiWarning, ApplicationKey, AuthorizationCode, ClientSecret, ErrorCode,
    Integration, LoginState, Page, Permission, Provider, RawJson, RefreshToken, Response, TokenSet,
    WarningCode,
};
/// The transport layer (re-exported): plug in your own, or test with
/// [`TestTransport`].
pub use edlink_transport as transport;
#[cfg(feature = "hyper")]
pub use edlink_transport::HyperTransport;
pub use edlink_transport::{TestTransport, Transport, TransportError, TransportErrorKind};

#[cfg(test)]
mod assertions {
    use super::*;

    fn send_sync_static<T: Send + Sync + 'static>() {}
    fn send_static<T: Send + 'static>() {}

    #[test]
    fn public_types_are_thread_safe() {
        send_sync_static::<Client>();
        send_sync_static::<Error>();
        send_sync_static::<Resources<Integration>>();
        send_sync_static::<ListRequest<Integration>>();
        send_sync_static::<Sso>();
        send_sync_static::<User>();
        send_sync_static::<UserBuilder>();
        send_sync_static::<UserResources<edlink_model::Class>>();
        send_static::<PageStream<Integration>>();
        send_static::<ItemStream<serde_json::Value>>();
    }
}

// The crate README's example is compiled with the doc tests, so it cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

// The repository README's example, and docs/graph.md's, too.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct RepositoryReadmeDoctests;

#[doc = include_str!("../../../docs/graph.md")]
#[cfg(doctest)]
pub struct GraphGuideDoctests;

/// docs/client.md's examples.
#[doc = include_str!("../../../docs/client.md")]
#[cfg(doctest)]
pub struct ClientGuideDoctests;
