//! [`ProxyError`]: why a connection through a proxy failed.

use std::error::Error as StdError;
use std::fmt;

use crate::TransportErrorKind;

use super::Proxy;

type BoxError = Box<dyn StdError + Send + Sync>;

/// Why a connection through a proxy failed: carried through hyper-util's
/// error chain and found again to classify it.
#[derive(Debug)]
pub(crate) struct ProxyError {
    pub(crate) kind: TransportErrorKind,
    /// `host:port` of the proxy (never its credentials).
    pub(crate) proxy: String,
    message: String,
    source: Option<BoxError>,
}

impl ProxyError {
    pub(crate) fn new(
        kind: TransportErrorKind,
        proxy: &Proxy,
        message: impl Into<String>,
        source: Option<BoxError>,
    ) -> Self {
        Self {
            kind,
            proxy: proxy.address(),
            message: message.into(),
            source,
        }
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for ProxyError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}
