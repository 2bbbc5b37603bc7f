//! [`Origin`]: the one rule for where a request (and its credential) may go,
//! and the one URL resolver (the WHATWG parser of the `url` crate, which is
//! also what sends the request, so the URL checked is the URL used).

use std::fmt;

use url::{Host, Url};

/// A URL a listing was about to follow was refused: it is not on the base
/// URL's origin. Nothing was sent there.
///
/// ```
/// use edlink_model::Origin;
///
/// let origin = Origin::new("https://ed.link")?;
/// let err = origin.check("https://evil.example/api/v1/integrations").unwrap_err();
/// assert_eq!(err.to_string(), "https://evil.example/api/v1/integrations is outside https://ed.link");
/// # Ok::<(), edlink_model::InvalidBaseUrl>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffOrigin {
    url: String,
    origin: String,
}

impl OffOrigin {
    /// The refused URL (user info removed, cut to 200 characters).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The allowed origin, e.g. `https://ed.link`.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

impl fmt::Display for OffOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is outside {}", self.url, self.origin)
    }
}

impl std::error::Error for OffOrigin {}

/// A base URL that cannot be one: not an absolute `http(s)` URL with a host,
/// or with user info, a query or a fragment.
///
/// ```
/// let err = edlink_model::Origin::new("https://user:pw@ed.link").unwrap_err();
/// assert!(!err.to_string().contains("pw"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidBaseUrl {
    shown: String,
    reason: String,
}

impl InvalidBaseUrl {
    fn new(base: &str, reason: impl Into<String>) -> Self {
        Self {
            shown: describe(base),
            reason: reason.into(),
        }
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidBaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base URL {:?}: {}", self.shown, self.reason)
    }
}

impl std::error::Error for InvalidBaseUrl {}

/// The base URL's origin, and the check every URL passes before a request
/// goes there: the first page, each `$next` (resolved against the page that
/// sent it), the `$after` fallback, resumes and single fetches.
///
/// A URL passes when it has no user info and is either
/// - on the same scheme, host and port as the base URL, or
/// - `https` on a subdomain of the base host (`eu.ed.link` for `ed.link`),
///   on the default port (Edlink may route regions to other hosts).
///
/// Which schemes a *base* URL may use (https, or plain http to loopback
/// hosts) is the client's policy, not this type's.
///
/// ```
/// use edlink_model::Origin;
///
/// let origin = Origin::new("https://ed.link")?;
/// assert!(origin.check("https://ed.link/api/v1/integrations?$cursor=a").is_ok());
/// assert!(origin.check("https://eu.ed.link/api/v1/integrations").is_ok());
/// for hostile in [
///     "http://ed.link/x",                  // scheme downgrade
///     "https://ed.link:8443/x",            // another port
///     "https://ed.link@evil.example/x",    // user info
///     "https://ed.link.evil.example/x",    // lookalike
///     "https://evil.example/x",
/// ] {
///     assert!(origin.check(hostile).is_err(), "{hostile}");
/// }
/// // Relative `$next` values are resolved the way the request would be sent.
/// let page = "https://ed.link/api/v1/integrations";
/// assert_eq!(origin.resolve(page, "?$cursor=b")?.as_str(), "https://ed.link/api/v1/integrations?$cursor=b");
/// assert!(origin.resolve(page, r"\\evil.example/x").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    base: Url,
    host: Host<String>,
    port: u16,
}

impl Origin {
    /// The origin of `base_url`: an absolute `http` or `https` URL with a
    /// host, and no user info, query or fragment. A path prefix is kept for
    /// [`join`](Self::join).
    pub fn new(base_url: &str) -> Result<Self, InvalidBaseUrl> {
        let base =
            Url::parse(base_url).map_err(|e| InvalidBaseUrl::new(base_url, e.to_string()))?;
        if !matches!(base.scheme(), "https" | "http") {
            return Err(InvalidBaseUrl::new(base_url, "the scheme must be https"));
        }
        let host = base
            .host()
            .map(|h| h.to_owned())
            .ok_or_else(|| InvalidBaseUrl::new(base_url, "it has no host"))?;
        if !base.username().is_empty() || base.password().is_some() {
            return Err(InvalidBaseUrl::new(
                base_url,
                "it must not contain user info",
            ));
        }
        if base.query().is_some() {
            return Err(InvalidBaseUrl::new(base_url, "it must not contain a query"));
        }
        if base.fragment().is_some() {
            return Err(InvalidBaseUrl::new(
                base_url,
                "it must not contain a fragment",
            ));
        }
        let port = base
            .port_or_known_default()
            .ok_or_else(|| InvalidBaseUrl::new(base_url, "it has no port"))?;
        Ok(Self { base, host, port })
    }

    /// The base URL, normalized (`https://ed.link/`).
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The scheme, `https` or `http`.
    pub fn scheme(&self) -> &str {
        self.base.scheme()
    }

    /// The host, as the `url` crate normalizes it (IPv6 in brackets).
    pub fn host(&self) -> String {
        self.host.to_string()
    }

    /// `path` (`/api/v1/integrations`) under the base URL's path prefix.
    ///
    /// ```
    /// let origin = edlink_model::Origin::new("https://proxy.example/edlink/")?;
    /// assert_eq!(origin.join("/api/v1/x"), "https://proxy.example/edlink/api/v1/x");
    /// # Ok::<(), edlink_model::InvalidBaseUrl>(())
    /// ```
    pub fn join(&self, path: &str) -> String {
        let base = self.base.as_str().trim_end_matches('/');
        format!("{base}{path}")
    }

    /// `scheme://host[:port]`, e.g. `https://ed.link`.
    pub fn display(&self) -> String {
        self.base.origin().ascii_serialization()
    }

    /// `candidate` (an absolute URL) parsed, if a request may go there.
    pub fn check(&self, candidate: &str) -> Result<Url, OffOrigin> {
        let url = Url::parse(candidate).map_err(|_| self.refuse(candidate))?;
        self.check_url(url)
    }

    /// `reference` (a server's `$next`: absolute, `//host/…`, `/path`,
    /// `?query` or a relative path) resolved against `page_url` (the URL of
    /// the page that sent it), if a request may go there.
    pub fn resolve(&self, page_url: &str, reference: &str) -> Result<Url, OffOrigin> {
        let page = Url::parse(page_url).map_err(|_| self.refuse(page_url))?;
        let url = page.join(reference).map_err(|_| self.refuse(reference))?;
        self.check_url(url)
    }

    fn check_url(&self, url: Url) -> Result<Url, OffOrigin> {
        if !url.username().is_empty() || url.password().is_some() {
            return Err(self.refuse(url.as_str()));
        }
        let Some(host) = url.host().map(|h| h.to_owned()) else {
            return Err(self.refuse(url.as_str()));
        };
        let same = url.scheme() == self.base.scheme()
            && host == self.host
            && url.port_or_known_default() == Some(self.port);
        if same || self.is_https_subdomain(&url, &host) {
            Ok(url)
        } else {
            Err(self.refuse(url.as_str()))
        }
    }

    fn refuse(&self, candidate: &str) -> OffOrigin {
        OffOrigin {
            url: describe(candidate),
            origin: self.display(),
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

/// A URL for a message: user info removed (it may hold a password), cut to
/// 200 characters.
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
