//! The one origin check: where the client may send a request (and its key).

use edlink_transport::is_loopback_host;
use url::{Host, Url};

use crate::Error;

/// The base URL's origin, and the check every request URL passes before it is
/// sent: the first page, each `$next`, the `$after` fallback, resume URLs and
/// single-object fetches.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    base: Url,
    scheme: String,
    host: Host<String>,
    port: u16,
}

/// Whether `host` is a loopback host, by the transport's one rule
/// (`Host`'s `Display` brackets IPv6 addresses, as the rule expects).
fn is_loopback(host: &Host<String>) -> bool {
    is_loopback_host(&host.to_string())
}

impl Origin {
    /// Validates a base URL: `https`, or `http` for a loopback host only; no
    /// user info, no query, no fragment. A path prefix is kept.
    pub(crate) fn for_base_url(base: &str) -> Result<Self, Error> {
        // User info may hold a password: never echo it.
        let shown = describe(base);
        let bad = |why: &str| Error::invalid(format!("invalid base URL {shown:?}: {why}"));
        let url = Url::parse(base)
            .map_err(|e| Error::invalid_because(format!("invalid base URL {shown:?}: {e}"), e))?;
        let host = url
            .host()
            .map(|h| h.to_owned())
            .ok_or_else(|| bad("it has no host"))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => {
                return Err(bad(
                    "plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https",
                ));
            }
            _ => return Err(bad("the scheme must be https")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("it must not contain user info"));
        }
        if url.query().is_some() {
            return Err(bad("it must not contain a query"));
        }
        if url.fragment().is_some() {
            return Err(bad("it must not contain a fragment"));
        }
        let port = url
            .port_or_known_default()
            .ok_or_else(|| bad("it has no port"))?;
        Ok(Self {
            scheme: url.scheme().to_owned(),
            host,
            port,
            base: url,
        })
    }

    /// The collection URL of `path` (`/api/v1/integrations`), under the base
    /// URL's path prefix.
    pub(crate) fn join(&self, path: &str) -> String {
        let base = self.base.as_str().trim_end_matches('/');
        format!("{base}{path}")
    }

    /// The base URL, normalized (`https://ed.link/`).
    pub(crate) fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// `scheme://host[:port]`, for messages.
    pub(crate) fn display(&self) -> String {
        self.base.origin().ascii_serialization()
    }

    /// Parses `candidate` (an absolute URL) with the WHATWG parser and returns
    /// it if the key may be sent there:
    /// - the same scheme, host and port as the base URL, or
    /// - `https` on a subdomain of the base host (`eu.ed.link` for
    ///   `ed.link`), on the default port,
    ///
    /// and never with user info. Otherwise [`Error::OffOrigin`]; the caller
    /// sends nothing.
    pub(crate) fn check(&self, candidate: &str) -> Result<Url, Error> {
        let refused = || Error::OffOrigin {
            url: describe(candidate),
            origin: self.display(),
        };
        let url = Url::parse(candidate).map_err(|_| refused())?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refused());
        }
        let Some(host) = url.host().map(|h| h.to_owned()) else {
            return Err(refused());
        };
        let port = url.port_or_known_default();
        let same = url.scheme() == self.scheme && host == self.host && port == Some(self.port);
        if same || self.is_https_subdomain(&url, &host) {
            Ok(url)
        } else {
            Err(refused())
        }
    }

    fn is_https_subdomain(&self, url: &Url, host: &Host<String>) -> bool {
        let (Host::Domain(base), Host::Domain(name)) = (&self.host, host) else {
            return false;
        };
        // The length check comes first, so the index below is in bounds.
        url.scheme() == "https"
            && url.port().is_none()
            && name.len() > base.len() + 1
            && name.ends_with(base.as_str())
            && name.as_bytes()[name.len() - base.len() - 1] == b'.'
    }
}

/// A refused URL for an error message: user info removed (it may hold a
/// password), cut to 200 characters.
fn describe(candidate: &str) -> String {
    let cleaned = match Url::parse(candidate) {
        Ok(mut url) => {
            // Both setters fail only for URLs that cannot have user info,
            // which then has none to remove.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        // Not a URL: drop everything up to an `@`, where user info would end.
        Err(_) => match candidate.rsplit_once('@') {
            Some((_, rest)) => format!("…@{rest}"),
            None => candidate.to_owned(),
        },
    };
    let mut out: String = cleaned.chars().take(200).collect();
    if cleaned.chars().nth(200).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
