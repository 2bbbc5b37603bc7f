//! Marking credential headers as sensitive before a request leaves the SDK.

use http::HeaderMap;
use http::header::{AUTHORIZATION, PROXY_AUTHORIZATION};

/// Marks every `Authorization` and `Proxy-Authorization` value in `headers` as
/// [sensitive](http::HeaderValue::set_sensitive).
///
/// A sensitive value prints as `Sensitive` in `Debug` output (so a
/// `{:?}` of the header map never shows a token) and is never added to the
/// HTTP/2 HPACK compression table. Every transport in this crate calls this on
/// each request it forwards, in case the caller forgot; custom transports may
/// call it too.
///
/// ```
/// use http::{HeaderMap, HeaderValue, header::AUTHORIZATION};
/// use edlink_transport::mark_sensitive_headers;
///
/// let mut headers = HeaderMap::new();
/// headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer s3cr3t"));
/// mark_sensitive_headers(&mut headers);
///
/// assert!(headers[AUTHORIZATION].is_sensitive());
/// assert!(!format!("{headers:?}").contains("s3cr3t"));
/// ```
pub fn mark_sensitive_headers(headers: &mut HeaderMap) {
    for name in [AUTHORIZATION, PROXY_AUTHORIZATION] {
        if let http::header::Entry::Occupied(mut entry) = headers.entry(name) {
            for value in entry.iter_mut() {
                value.set_sensitive(true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn marks_every_value_and_leaves_others_alone() {
        let mut headers = HeaderMap::new();
        headers.append(AUTHORIZATION, HeaderValue::from_static("Bearer one"));
        headers.append(AUTHORIZATION, HeaderValue::from_static("Bearer two"));
        headers.insert(PROXY_AUTHORIZATION, HeaderValue::from_static("Basic three"));
        headers.insert("x-request-id", HeaderValue::from_static("abc"));

        mark_sensitive_headers(&mut headers);

        assert!(
            headers
                .get_all(AUTHORIZATION)
                .iter()
                .all(HeaderValue::is_sensitive)
        );
        assert!(headers[PROXY_AUTHORIZATION].is_sensitive());
        assert!(!headers["x-request-id"].is_sensitive());
        let debug = format!("{headers:?}");
        for secret in ["one", "two", "three"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("abc"));
    }

    #[test]
    fn no_authorization_is_fine() {
        let mut headers = HeaderMap::new();
        mark_sensitive_headers(&mut headers);
        assert!(headers.is_empty());
    }
}
