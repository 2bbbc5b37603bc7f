//! Reading a response body into memory, decoding gzip as it streams, up to a
//! cap on the decoded size. One reader for every transport of this crate.

mod encoding;
mod gzip;

use std::error::Error as StdError;
use std::pin::pin;

use bytes::{Buf, Bytes, BytesMut};
use http::HeaderMap;
use http::header::{CONTENT_ENCODING, CONTENT_LENGTH};
use http_body::Body;
use http_body_util::BodyExt;

use crate::{TransportError, TransportErrorKind};

pub(crate) use encoding::Encoding;
use gzip::GzipSink;

type BoxError = Box<dyn StdError + Send + Sync>;

/// The most memory reserved up front from a declared `Content-Length`; a
/// longer body grows the buffer as it arrives.
const MAX_PREALLOCATION: usize = 1024 * 1024;

/// What a transport accepts and how it names body failures.
pub(crate) struct BodyRules<F> {
    /// The decoded body's size cap, in bytes.
    pub(crate) max_bytes: usize,
    /// Whether `Content-Encoding: gzip` is accepted (and decoded).
    pub(crate) gzip: bool,
    /// Turns an error of the body stream (a broken connection, a timeout)
    /// into a [`TransportError`].
    pub(crate) on_error: F,
}

/// Reads `response`'s body whole. A gzip body is decoded as it arrives and
/// handed out without `Content-Encoding` and `Content-Length` (which
/// described the encoded bytes).
pub(crate) async fn read_response<B, F>(
    response: http::Response<B>,
    rules: BodyRules<F>,
) -> Result<http::Response<Bytes>, TransportError>
where
    B: Body,
    B::Error: Into<BoxError>,
    F: Fn(BoxError) -> TransportError,
{
    let (mut parts, body) = response.into_parts();
    let encoding = Encoding::of(&parts.headers, rules.gzip)?;
    let body = read_capped(&parts.headers, body, &rules, encoding).await?;
    if encoding == Encoding::Gzip {
        parts.headers.remove(CONTENT_ENCODING);
        parts.headers.remove(CONTENT_LENGTH);
    }
    Ok(http::Response::from_parts(parts, body))
}

/// Reads `body` whole, failing with [`TransportErrorKind::BodyTooLarge`] as
/// soon as the decoded body is known to exceed the cap: up front from
/// `Content-Length` (or the body's exact size hint) when it is not encoded,
/// otherwise after the frame (or the 16 KiB of decoded output) that passes the
/// cap. The rest is never read; dropping the body closes the connection.
async fn read_capped<B, F>(
    headers: &HeaderMap,
    body: B,
    rules: &BodyRules<F>,
    encoding: Encoding,
) -> Result<Bytes, TransportError>
where
    B: Body,
    B::Error: Into<BoxError>,
    F: Fn(BoxError) -> TransportError,
{
    let max = rules.max_bytes;
    let mut body = pin!(body);
    let mut sink = match encoding {
        Encoding::Identity => {
            // The declared length is the decoded length only without encoding.
            let declared = content_length(headers).or_else(|| body.size_hint().exact());
            if let Some(declared) = declared {
                if declared > max as u64 {
                    return Err(too_large(format!(
                        "Content-Length is {declared} bytes, the limit is {max}"
                    )));
                }
            }
            let reserve = declared.map_or(0, |d| usize::try_from(d).unwrap_or(usize::MAX));
            Sink::Identity(BytesMut::with_capacity(reserve.min(MAX_PREALLOCATION)))
        }
        Encoding::Gzip => Sink::Gzip(Box::new(GzipSink::new())),
    };

    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|err| (rules.on_error)(err.into()))?;
        // Trailers are not part of the body.
        let Ok(mut data) = frame.into_data() else {
            continue;
        };
        let data = data.copy_to_bytes(data.remaining());
        sink.push(data, max)?;
    }
    sink.finish(max)
}

/// Where the body's bytes go: kept as they are, or through the gzip decoder.
enum Sink {
    Identity(BytesMut),
    // Boxed: the decoder's state is large, and most bodies are not gzip.
    Gzip(Box<GzipSink>),
}

impl Sink {
    fn push(&mut self, data: Bytes, max: usize) -> Result<(), TransportError> {
        match self {
            Self::Identity(buffer) => {
                if buffer.len().saturating_add(data.len()) > max {
                    return Err(too_large(format!(
                        "the body passed the limit of {max} bytes; the rest was not read"
                    )));
                }
                buffer.extend_from_slice(&data);
                Ok(())
            }
            Self::Gzip(gzip) => gzip.push(data, max),
        }
    }

    fn finish(self, max: usize) -> Result<Bytes, TransportError> {
        match self {
            Self::Identity(buffer) => Ok(buffer.freeze()),
            Self::Gzip(gzip) => (*gzip).finish(max),
        }
    }
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn too_large(message: String) -> TransportError {
    TransportError::new(TransportErrorKind::BodyTooLarge, message)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::convert::Infallible;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use http_body::Frame;
    use http_body_util::Full;

    pub(super) fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    pub(super) fn rules(max_bytes: usize) -> BodyRules<fn(BoxError) -> TransportError> {
        BodyRules {
            max_bytes,
            gzip: true,
            on_error: |err| TransportError::with_source(TransportErrorKind::Io, "test", err),
        }
    }

    fn read(
        headers: &HeaderMap,
        body: impl Body<Data = Bytes, Error = Infallible>,
        max: usize,
    ) -> Result<Bytes, TransportError> {
        block_on(read_capped(headers, body, &rules(max), Encoding::Identity))
    }

    #[test]
    fn reads_a_body_within_the_cap() {
        let body = Full::new(Bytes::from_static(b"hello"));
        let bytes = read(&HeaderMap::new(), body, 5).unwrap();
        assert_eq!(&bytes[..], b"hello");
    }

    #[test]
    fn refuses_a_declared_length_over_the_cap_without_reading() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_LENGTH, "6".parse().unwrap());
        let body = Full::new(Bytes::new());
        let err = read(&headers, body, 5).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
        assert!(err.message().contains("Content-Length"));
    }

    #[test]
    fn stops_at_the_frame_that_passes_the_cap() {
        let mut endless = Endless { polled: 0 };
        let err = read(&HeaderMap::new(), &mut endless, 25).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
        // Frames of 10 bytes: the third passed the cap, nothing more was read.
        assert_eq!(endless.polled, 3);
    }

    #[test]
    fn a_gzip_response_loses_its_encoding_headers() {
        let encoded = gzip::tests::gzip(b"{\"$data\":[]}");
        let response = http::Response::builder()
            .header(CONTENT_ENCODING, "gzip")
            .header(CONTENT_LENGTH, encoded.len())
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(encoded)))
            .unwrap();
        let decoded = block_on(read_response(response, rules(100))).unwrap();
        assert_eq!(&decoded.body()[..], b"{\"$data\":[]}");
        assert!(!decoded.headers().contains_key(CONTENT_ENCODING));
        assert!(!decoded.headers().contains_key(CONTENT_LENGTH));
        assert_eq!(decoded.headers()["content-type"], "application/json");
    }

    #[test]
    fn an_identity_response_keeps_its_headers() {
        let response = http::Response::builder()
            .header(CONTENT_LENGTH, 2)
            .body(Full::new(Bytes::from_static(b"{}")))
            .unwrap();
        let read = block_on(read_response(response, rules(100))).unwrap();
        assert_eq!(read.headers()[CONTENT_LENGTH], "2");
    }

    /// An endless body of 10-byte frames that counts how often it was polled.
    struct Endless {
        polled: usize,
    }

    impl Body for Endless {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            self.polled += 1;
            Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"0123456789")))))
        }
    }
}
