//! The HTTP layer of the Edlink SDK: one [`Transport`] trait, and its default
//! implementation on hyper 1 + rustls.
//!
//! The trait speaks plain HTTP (`http::Request<Bytes>` in, `http::Response<Bytes>`
//! out) and knows nothing of Edlink, so a transport never repeats status handling:
//! that lives once, in `edlink-client`.
//!
//! ```
//! use bytes::Bytes;
//! use edlink_transport::{BoxFuture, Transport, TransportError};
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

mod error;
mod transport;

pub use error::{TransportError, TransportErrorKind};
pub use transport::{BoxFuture, Transport};
