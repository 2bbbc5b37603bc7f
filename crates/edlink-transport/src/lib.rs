//! The HTTP layer of the Edlink SDK: one [`Transport`] trait, its default
//! implementation on hyper 1 + rustls ([`HyperTransport`], features `hyper` and
//! `rustls`, both on by default), and a [`TestTransport`] for tests (always
//! available).
//!
//! The trait speaks plain HTTP (`http::Request<Bytes>` in, `http::Response<Bytes>`
//! out) and knows nothing of Edlink, so a transport never repeats status handling:
//! that lives once, in `edlink-client`.
//!
//! ```
//! // `http` and `bytes` are re-exported: a custom transport needs no other dependency.
//! use edlink_transport::bytes::Bytes;
//! use edlink_transport::{BoxFuture, Transport, TransportError, http};
//!
//! /// Answers every request with `204 No Content`.
//! struct NoContent;
//!
//! impl Transport for NoContent {
//!     fn send(
//!         &self,
//!         _request: http::Request<Bytes>,
//!     ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
//!         Box::pin(async {
//!             Ok(http::Response::builder().status(204).body(Bytes::new()).unwrap())
//!         })
//!     }
//! }
//! ```
//!
//! # Features
//!
//! - `hyper` (default): [`HyperTransport`], on tokio. Plain `http://` to
//!   loopback hosts only; gzip; HTTP proxies.
//! - `rustls` (default, implies `hyper`): HTTPS for [`HyperTransport`] through
//!   rustls with the ring provider and the webpki public roots.
//! - `reqwest`: `ReqwestTransport`, over your own `reqwest::Client`.
//! - `tower`: `TowerTransport`, over any `tower::Service`.
//!
//! With no features the crate has no tokio, hyper or TLS dependency: the
//! trait, the errors and [`TestTransport`] remain.

// Docs link to items of the default features; without them the links dangle.
#![cfg_attr(not(feature = "rustls"), allow(rustdoc::broken_intra_doc_links))]

#[cfg(any(feature = "hyper", feature = "reqwest", feature = "tower"))]
mod body;
#[cfg(any(feature = "hyper", feature = "reqwest", feature = "tower"))]
mod cause;
mod error;
#[cfg(feature = "hyper")]
mod hyper;
mod limits;
mod loopback;
#[cfg(feature = "reqwest")]
mod reqwest_transport;
mod sensitive;
mod test_transport;
#[cfg(feature = "tower")]
mod tower_transport;
mod transport;

/// The `http` crate this crate's API is written in (`http::Request`,
/// `http::Response`, `http::HeaderMap`), re-exported so a custom transport
/// needs no dependency of its own, and always at the same version.
///
/// ```
/// let request = edlink_transport::http::Request::get("https://ed.link/")
///     .body(edlink_transport::bytes::Bytes::new())?;
/// # let _ = request;
/// # Ok::<(), edlink_transport::http::Error>(())
/// ```
pub use http;

/// The `bytes` crate (request and response bodies are `bytes::Bytes`),
/// re-exported for the same reason as [`http`].
///
/// ```
/// let body = edlink_transport::bytes::Bytes::from_static(b"{}");
/// assert_eq!(body.len(), 2);
/// ```
pub use bytes;

pub use error::{TransportError, TransportErrorKind};
pub use loopback::{ensure_https_or_loopback, is_loopback_host};
pub use sensitive::mark_sensitive_headers;
pub use test_transport::{RecordedRequest, TestTransport};
pub use transport::{BoxFuture, Transport};

#[cfg(feature = "hyper")]
pub use self::hyper::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_POOL_IDLE_TIMEOUT, HyperTransport, HyperTransportBuilder,
};
pub use limits::{DEFAULT_MAX_BODY_BYTES, DEFAULT_REQUEST_TIMEOUT};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::ReqwestTransport;
#[cfg(feature = "tower")]
pub use tower_transport::TowerTransport;

/// The README's and docs/transport.md's examples, compiled as doc tests.
#[cfg(all(doctest, feature = "rustls"))]
#[doc = include_str!("../README.md")]
#[doc = include_str!("../../../docs/transport.md")]
struct ReadmeAndGuideDoctests;
