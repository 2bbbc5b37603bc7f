//! Sorting hyper, hyper-util and rustls errors into [`TransportErrorKind`]s.

use std::error::Error as StdError;

use crate::cause::target;
use crate::cause::walk::find;
use crate::{TransportError, TransportErrorKind};

use super::connect::ConnectTimeout;
use super::proxy::ProxyError;

/// Classifies a failure of `Client::request` for `uri`: no response headers
/// arrived. Messages say what was being done; the cause stays in `source()`
/// and is never repeated in the message.
pub(crate) fn request_error(
    err: hyper_util::client::legacy::Error,
    uri: &http::Uri,
) -> TransportError {
    use TransportErrorKind::{Connect, Io, Other};

    let target = target(uri);
    if let Some(timeout) = find::<ConnectTimeout>(&err) {
        let message = format!("no connection within {:?} to {target}", timeout.0);
        return TransportError::with_source(Connect, message, err);
    }
    if let Some(proxy) = find::<ProxyError>(&err) {
        let message = format!(
            "connecting to {target} through the proxy at {}",
            proxy.proxy
        );
        return TransportError::with_source(proxy.kind, message, err);
    }
    #[cfg(feature = "rustls")]
    if find::<rustls::Error>(&err).is_some() {
        let message = format!("connecting to {target}");
        return TransportError::with_source(TransportErrorKind::Tls, message, err);
    }
    if err.is_connect() {
        let message = format!("connecting to {target}");
        return TransportError::with_source(Connect, message, err);
    }
    if find::<hyper::Error>(&err).is_some_and(hyper::Error::is_parse) {
        let message = format!("the response from {target} is not valid HTTP");
        return TransportError::with_source(Other, message, err);
    }
    let message = format!("waiting for the response from {target}");
    TransportError::with_source(Io, message, err)
}

/// Classifies a failure while reading the response body.
pub(crate) fn body_error(err: Box<dyn StdError + Send + Sync>) -> TransportError {
    TransportError::with_source(TransportErrorKind::Io, "reading the response body", err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_errors_are_io_and_keep_the_cause_out_of_the_message() {
        let err = body_error(Box::new(std::io::Error::other("gone")));
        assert_eq!(err.kind(), TransportErrorKind::Io);
        assert!(!err.to_string().contains("gone"), "{err}");
        assert_eq!(
            StdError::source(&err).map(ToString::to_string).as_deref(),
            Some("gone")
        );
    }
}
