//! The [`Transport`] trait.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;

use crate::TransportError;

/// A boxed, `Send` future: the return type of [`Transport::send`].
///
/// The future is boxed (rather than `async fn` in the trait) so that the trait
/// stays object-safe: a client can hold an `Arc<dyn Transport>` and still be used
/// from many tokio tasks, because the future is `Send`. One allocation per HTTP
/// request is nothing next to the request itself.
///
/// ```
/// use edlink_transport::BoxFuture;
///
/// fn answer() -> BoxFuture<'static, u32> {
///     Box::pin(async { 42 })
/// }
/// ```
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request with a buffered body and returns the response with
/// its body fully read.
///
/// Implementations decide how bytes move (connection pooling, TLS, proxies,
/// recording); they do not interpret status codes: a `500` is an `Ok` response.
/// An `Err` means no complete response was received, and its
/// [`kind`](TransportError::kind) tells a retry policy why.
///
/// The trait is usable both as a generic bound and as `Arc<dyn Transport>`.
///
/// ```
/// use std::sync::Arc;
/// use bytes::Bytes;
/// use edlink_transport::{BoxFuture, Transport, TransportError};
///
/// struct Echo;
///
/// impl Transport for Echo {
///     fn send(
///         &self,
///         request: http::Request<Bytes>,
///     ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
///         Box::pin(async move { Ok(http::Response::new(request.into_body())) })
///     }
/// }
///
/// let shared: Arc<dyn Transport> = Arc::new(Echo);
/// # let _ = shared;
/// ```
pub trait Transport: Send + Sync {
    /// Sends `request` and resolves to the complete response.
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for &T {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        (**self).send(request)
    }
}
