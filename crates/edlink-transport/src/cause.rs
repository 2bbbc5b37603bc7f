//! Walking an error's causes, and naming a request's target in messages:
//! shared by every transport of this crate when it sorts failures into
//! [`TransportErrorKind`](crate::TransportErrorKind)s.

use http::Uri;

/// Chains are walked by the transports whose errors come from other crates
/// (reqwest's errors say what they are themselves).
#[cfg(any(feature = "hyper", feature = "tower"))]
pub(crate) mod walk {
    use std::error::Error as StdError;
    use std::io;
    use std::iter;

    /// The error and its causes, outermost first. Unlike `source()` alone, this
    /// also steps into the error an `io::Error` wraps (`io::Error::source` skips
    /// it), which is where tokio-rustls puts the `rustls::Error`.
    pub(crate) fn chain<'a>(
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
    #[cfg_attr(not(feature = "hyper"), allow(dead_code))]
    pub(crate) fn find<'a, T: StdError + 'static>(
        err: &'a (dyn StdError + 'static),
    ) -> Option<&'a T> {
        chain(err).find_map(|e| e.downcast_ref::<T>())
    }
}

/// `host:port` of `uri` (the port from the scheme when absent), for messages.
/// Never the userinfo, path or query: only what a connection is made to.
pub(crate) fn target(uri: &Uri) -> String {
    let host = uri.host().unwrap_or("?");
    let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("http") => 80,
        _ => 443,
    });
    format!("{host}:{port}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    #[cfg(feature = "hyper")]
    fn finds_errors_wrapped_in_io_errors() {
        use std::io;

        #[derive(Debug)]
        struct Marker;
        impl std::fmt::Display for Marker {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("marker")
            }
        }
        impl std::error::Error for Marker {}

        // The shape hyper-rustls produces: io::Error::other(io::Error(InvalidData, inner)).
        let inner = io::Error::new(io::ErrorKind::InvalidData, Marker);
        let outer = io::Error::other(inner);
        assert!(walk::find::<Marker>(&outer).is_some());
    }

    #[test]
    fn target_is_host_and_port_only() {
        let t = |s: &str| target(&s.parse().unwrap());
        assert_eq!(t("https://user:pw@ed.link/api?x=1"), "ed.link:443");
        assert_eq!(t("http://127.0.0.1/"), "127.0.0.1:80");
        assert_eq!(t("http://[::1]:8080/"), "[::1]:8080");
    }
}
