//! The "HTTPS, or plain HTTP to loopback only" rule.

use std::net::IpAddr;

use http::Uri;

use crate::{TransportError, TransportErrorKind};

/// Whether `host` (as in a URL: a name, an IPv4 address or a bracketed IPv6
/// address) is a loopback host: `localhost`, `127.0.0.0/8`, `::1` or
/// `::ffff:127.x.y.z`.
///
/// Only literal addresses and the name `localhost` count; other spellings
/// (`127.1`, `foo.localhost`) are not loopback here, to stay on the safe side.
///
/// ```
/// use edlink_transport::is_loopback_host;
///
/// assert!(is_loopback_host("localhost"));
/// assert!(is_loopback_host("127.0.0.1"));
/// assert!(is_loopback_host("127.8.9.10"));
/// assert!(is_loopback_host("[::1]"));
/// assert!(!is_loopback_host("10.1.2.3"));
/// assert!(!is_loopback_host("localhost.example.com"));
/// ```
pub fn is_loopback_host(host: &str) -> bool {
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// Checks that `uri` is absolute and either `https://`, or plain `http://` to a
/// [loopback host](is_loopback_host). Anything else is refused with
/// [`TransportErrorKind::InvalidRequest`] (nothing is sent: the check needs no
/// network).
///
/// [`HyperTransport`](crate::HyperTransport) runs this on every request; a
/// client can run it once on its base URL when it is built.
///
/// ```
/// use edlink_transport::{ensure_https_or_loopback, TransportErrorKind};
///
/// let ok = |s: &str| ensure_https_or_loopback(&s.parse().unwrap()).is_ok();
/// assert!(ok("https://ed.link/api/v2/graph/people"));
/// assert!(ok("http://127.0.0.1:8080/"));
/// assert!(ok("http://[::1]:8080/"));
/// assert!(!ok("http://ed.link/"));
/// assert!(!ok("ftp://127.0.0.1/"));
/// assert!(!ok("/relative/path"));
///
/// let err = ensure_https_or_loopback(&"http://10.1.2.3/".parse().unwrap()).unwrap_err();
/// assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
/// ```
pub fn ensure_https_or_loopback(uri: &Uri) -> Result<(), TransportError> {
    let refuse = |message: String| {
        Err(TransportError::new(
            TransportErrorKind::InvalidRequest,
            message,
        ))
    };
    let Some(host) = uri.host().filter(|h| !h.is_empty()) else {
        return refuse("the request URL must be absolute (scheme and host)".to_owned());
    };
    match uri.scheme_str() {
        Some(scheme) if scheme.eq_ignore_ascii_case("https") => Ok(()),
        Some(scheme) if scheme.eq_ignore_ascii_case("http") => {
            if is_loopback_host(host) {
                Ok(())
            } else {
                refuse(format!(
                    "plain http:// is allowed only to loopback hosts \
                     (127.0.0.0/8, ::1, localhost), not to {host}; use https://"
                ))
            }
        }
        Some(scheme) => refuse(format!(
            "unsupported URL scheme {scheme:?}: only https:// (or http:// to loopback) is allowed"
        )),
        None => refuse("the request URL must be absolute (scheme and host)".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "LOCALHOST",
            "localhost.",
            "127.0.0.1",
            "127.255.255.254",
            "[::1]",
            "::1",
            "[0:0:0:0:0:0:0:1]",
            "[::ffff:127.0.0.1]",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "example.com",
            "10.1.2.3",
            "128.0.0.1",
            "0.0.0.0",
            "[::]",
            "[::2]",
            "127.1",
            "localhost.example.com",
            "foo.localhost",
            "[::ffff:10.0.0.1]",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn refusals_name_the_host_and_the_rule() {
        let err = ensure_https_or_loopback(&"http://example.com/x".parse().unwrap()).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
        assert!(err.message().contains("example.com"), "{err}");
        assert!(err.message().contains("loopback"), "{err}");
    }

    #[test]
    fn scheme_is_case_insensitive() {
        assert!(ensure_https_or_loopback(&"HTTPS://ed.link/".parse().unwrap()).is_ok());
        assert!(ensure_https_or_loopback(&"HTTP://localhost/".parse().unwrap()).is_ok());
    }
}
