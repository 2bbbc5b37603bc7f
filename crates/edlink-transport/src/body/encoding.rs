//! Which `Content-Encoding` a response body has, and whether it was asked for.

use http::HeaderMap;
use http::header::CONTENT_ENCODING;

use crate::{TransportError, TransportErrorKind};

/// How a response body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// As it is (no `Content-Encoding`, or `identity`).
    Identity,
    /// `gzip` (or its old alias `x-gzip`).
    Gzip,
}

impl Encoding {
    /// The encoding `headers` declare. `identity` entries are ignored; one
    /// `gzip` is accepted when `gzip_accepted`; anything else (`br`,
    /// `deflate`, `zstd`, gzip twice, gzip not asked for) is refused with a
    /// message naming it, since the body could not be read.
    pub(crate) fn of(headers: &HeaderMap, gzip_accepted: bool) -> Result<Self, TransportError> {
        let mut codings = Vec::new();
        for value in headers.get_all(CONTENT_ENCODING) {
            let value = value.to_str().map_err(|_| {
                refuse("the response's Content-Encoding is not readable text".to_owned())
            })?;
            codings.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case("identity")),
            );
        }
        let is_gzip = |c: &&str| c.eq_ignore_ascii_case("gzip") || c.eq_ignore_ascii_case("x-gzip");
        match codings.as_slice() {
            [] => Ok(Self::Identity),
            [one] if is_gzip(one) && gzip_accepted => Ok(Self::Gzip),
            [one] if is_gzip(one) => Err(refuse(
                "the response is gzip-encoded, but gzip was not asked for \
                 (HyperTransportBuilder::gzip is off)"
                    .to_owned(),
            )),
            _ => Err(refuse(format!(
                "the response's Content-Encoding is {:?}, which was not asked for \
                 (only gzip is decoded)",
                codings.join(", ")
            ))),
        }
    }
}

fn refuse(message: String) -> TransportError {
    TransportError::new(TransportErrorKind::Other, message)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn of(values: &[&str], gzip: bool) -> Result<Encoding, TransportError> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(CONTENT_ENCODING, value.parse().unwrap());
        }
        Encoding::of(&headers, gzip)
    }

    #[test]
    fn identity_and_gzip_are_recognised() {
        assert_eq!(of(&[], true).unwrap(), Encoding::Identity);
        assert_eq!(of(&[], false).unwrap(), Encoding::Identity);
        assert_eq!(of(&["identity"], false).unwrap(), Encoding::Identity);
        for gzip in ["gzip", "GZIP", " gzip ", "x-gzip", "identity, gzip"] {
            assert_eq!(of(&[gzip], true).unwrap(), Encoding::Gzip, "{gzip}");
        }
        assert_eq!(of(&["identity", "gzip"], true).unwrap(), Encoding::Gzip);
    }

    #[test]
    fn other_codings_are_refused_by_name() {
        for (values, named) in [
            (&["br"][..], "br"),
            (&["deflate"][..], "deflate"),
            (&["gzip, br"][..], "gzip, br"),
            (&["gzip", "gzip"][..], "gzip, gzip"),
        ] {
            let err = of(values, true).unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::Other);
            assert!(err.message().contains(named), "{err}");
            assert!(!err.is_retryable());
        }
    }

    #[test]
    fn gzip_not_asked_for_is_refused() {
        let err = of(&["gzip"], false).unwrap_err();
        assert!(err.message().contains("not asked for"), "{err}");
    }
}
