//! The client's base-URL policy: which origins it may be built for. Where a
//! request may then go is the model's one rule ([`edlink_model::Origin`]),
//! used by the paginator for every `$next` and by the client for every URL.

use edlink_model::Origin;
use edlink_transport::is_loopback_host;

use crate::Error;

/// Validates a base URL: `https`, or plain `http` for a loopback host only
/// (the transport's one loopback rule) unless `allow_plain_http` (the loudly
/// named builder switch) says otherwise; no user info, no query, no fragment.
pub(crate) fn for_base_url(base: &str, allow_plain_http: bool) -> Result<Origin, Error> {
    let origin =
        Origin::new(base).map_err(|e| Error::invalid_because("the base URL was refused", e))?;
    if origin.scheme() == "http" && !allow_plain_http && !is_loopback_host(&origin.host()) {
        return Err(Error::invalid(format!(
            "invalid base URL {:?}: plain http is allowed only for loopback hosts \
             (127.0.0.0/8, ::1, localhost); use https, or \
             ClientBuilder::danger_allow_plain_http for a trusted network",
            origin.base_url()
        )));
    }
    Ok(origin)
}

impl From<edlink_model::OffOrigin> for Error {
    fn from(refused: edlink_model::OffOrigin) -> Self {
        Self::OffOrigin {
            url: refused.url().to_owned(),
            origin: refused.origin().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_accepted() {
        for base in [
            "https://ed.link",
            "https://ed.link/",
            "https://ED.link:443",
            "https://proxy.example/edlink/",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9000",
            "http://localhost:3000",
            "http://LOCALHOST",
        ] {
            assert!(for_base_url(base, false).is_ok(), "{base}");
        }
    }

    #[test]
    fn base_urls_refused() {
        for base in [
            "http://ed.link",
            "http://10.0.0.1",
            "http://localhost.evil.example",
            "ftp://ed.link",
            "https://user:pass@ed.link",
            "https://user@ed.link",
            "https://ed.link/?a=1",
            "https://ed.link/#x",
            "ed.link",
            "",
            "https://",
            "file:///etc/passwd",
        ] {
            let err = for_base_url(base, false).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument, "{base}");
            let chain = format!("{err} {:?}", std::error::Error::source(&err));
            assert!(!chain.contains("pass@"), "{chain}");
        }
    }

    #[test]
    fn plain_http_to_any_host_only_when_asked() {
        assert!(for_base_url("http://mock:8080", false).is_err());
        let origin = for_base_url("http://mock:8080", true).unwrap();
        assert_eq!(origin.base_url(), "http://mock:8080/");
        // The switch does not open other schemes.
        assert!(for_base_url("ftp://mock", true).is_err());
    }
}
