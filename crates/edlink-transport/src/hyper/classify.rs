//! Sorting hyper, hyper-util and rustls errors into [`TransportErrorKind`]s.

use std::error::Error as StdError;
use std::io;
use std::iter;

use crate::{TransportError, TransportErrorKind};

use super::connect::ConnectTimeout;

/// The error and its causes, outermost first. Unlike `source()` alone, this
/// also steps into the error an `io::Error` wraps (`io::Error::source` skips
/// it), which is where tokio-rustls puts the `rustls::Error`.
fn chain<'a>(
    err: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    iter::successors(Some(err), |&e: &&'a (dyn StdError + 'static)| {
        if let Some(inner) = e.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            return Some(inner as &(dyn StdError + 'static));
        }
        e.source()
    })
}

/// The first error of type `T` in `err`'s chain.
pub(crate) fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    chain(err).find_map(|e| e.downcast_ref::<T>())
}

/// The innermost cause's message (e.g. "Connection refused (os error 111)").
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    chain(err)
        .last()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Classifies a failure of `Client::request`: no response headers arrived.
pub(crate) fn request_error(err: hyper_util::client::legacy::Error) -> TransportError {
    use TransportErrorKind::{Connect, Io, Other};

    if let Some(timeout) = find::<ConnectTimeout>(&err) {
        let message = format!("no connection within {:?}", timeout.0);
        return TransportError::with_source(Connect, message, err);
    }
    #[cfg(feature = "rustls")]
    if let Some(tls) = find::<rustls::Error>(&err) {
        let message = tls.to_string();
        return TransportError::with_source(TransportErrorKind::Tls, message, err);
    }
    if err.is_connect() {
        let message = root_cause(&err);
        return TransportError::with_source(Connect, message, err);
    }
    if find::<hyper::Error>(&err).is_some_and(hyper::Error::is_parse) {
        let message = format!("malformed HTTP response: {}", root_cause(&err));
        return TransportError::with_source(Other, message, err);
    }
    let message = format!("before the response headers: {}", root_cause(&err));
    TransportError::with_source(Io, message, err)
}

/// Classifies a failure while reading the response body.
pub(crate) fn body_error(err: Box<dyn StdError + Send + Sync>) -> TransportError {
    let message = format!("reading the response body: {}", root_cause(&*err));
    TransportError::with_source(TransportErrorKind::Io, message, err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Marker;
    impl std::fmt::Display for Marker {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("marker")
        }
    }
    impl StdError for Marker {}

    #[test]
    fn finds_errors_wrapped_in_io_errors() {
        // The shape hyper-rustls produces: io::Error::other(io::Error(InvalidData, inner)).
        let inner = io::Error::new(io::ErrorKind::InvalidData, Marker);
        let outer = io::Error::other(inner);
        assert!(find::<Marker>(&outer).is_some());
        assert_eq!(root_cause(&outer), "marker");
    }

    #[test]
    fn body_errors_are_io() {
        let err = body_error(Box::new(io::Error::other("gone")));
        assert_eq!(err.kind(), TransportErrorKind::Io);
        assert!(err.message().contains("gone"));
    }
}
