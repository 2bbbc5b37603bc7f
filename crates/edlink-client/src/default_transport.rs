//! The settings of the default transport that a [`ClientBuilder`] passes on,
//! and building it (feature `hyper`).
//!
//! [`ClientBuilder`]: crate::ClientBuilder

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use edlink_transport::Transport;

use crate::Error;

/// What the builder knows of the default transport's settings: `None`/empty
/// keeps the transport's own default.
#[derive(Clone, Default)]
pub(crate) struct DefaultTransport {
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) proxy: Option<String>,
    pub(crate) no_proxy: Option<String>,
    pub(crate) gzip: Option<bool>,
}

impl fmt::Debug for DefaultTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultTransport")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            // A proxy URL may carry a password: say only whether one is set.
            .field("proxy", &self.proxy.as_ref().map(|_| "[set]"))
            .field("no_proxy", &self.no_proxy)
            .field("gzip", &self.gzip)
            .finish()
    }
}

impl DefaultTransport {
    /// The names of the settings given, for the error that says they do not
    /// apply to a custom transport.
    pub(crate) fn given(&self) -> Vec<&'static str> {
        [
            ("connect_timeout", self.connect_timeout.is_some()),
            ("request_timeout", self.request_timeout.is_some()),
            ("proxy", self.proxy.is_some()),
            ("no_proxy", self.no_proxy.is_some()),
            ("gzip", self.gzip.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }

    /// The default `HyperTransport` with these settings; `allow_plain_http`
    /// lifts its loopback rule along with the client's.
    #[cfg(feature = "hyper")]
    pub(crate) fn build(&self, allow_plain_http: bool) -> Result<Arc<dyn Transport>, Error> {
        let mut builder =
            edlink_transport::HyperTransport::builder().danger_allow_plain_http(allow_plain_http);
        if let Some(timeout) = self.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        if let Some(timeout) = self.request_timeout {
            builder = builder.request_timeout(timeout);
        }
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(proxy.clone());
        }
        if let Some(hosts) = &self.no_proxy {
            builder = builder.no_proxy(hosts.clone());
        }
        if let Some(gzip) = self.gzip {
            builder = builder.gzip(gzip);
        }
        let transport = builder
            .build()
            .map_err(|e| Error::invalid_because("cannot build the default transport", e))?;
        Ok(Arc::new(transport))
    }

    #[cfg(not(feature = "hyper"))]
    pub(crate) fn build(&self, _allow_plain_http: bool) -> Result<Arc<dyn Transport>, Error> {
        Err(Error::invalid(
            "no transport: enable the `hyper` feature of edlink-client, or pass one with ClientBuilder::transport",
        ))
    }
}
