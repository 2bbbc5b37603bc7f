//! Reading a response body into memory, up to a size cap.

use bytes::{Bytes, BytesMut};
use http::HeaderMap;
use http::header::CONTENT_LENGTH;
use http_body_util::BodyExt;
use hyper::body::Body;

use crate::{TransportError, TransportErrorKind};

use super::classify;

/// The most memory reserved up front from a declared `Content-Length`; a
/// longer body grows the buffer as it arrives.
const MAX_PREALLOCATION: usize = 1024 * 1024;

/// Reads `body` whole, failing with [`TransportErrorKind::BodyTooLarge`] as soon
/// as it is known to exceed `max` bytes: up front from `Content-Length` (or the
/// body's exact size hint), otherwise after the frame that passes the cap. The
/// rest is never read; dropping the body closes the connection.
pub(crate) async fn read_capped<B>(
    headers: &HeaderMap,
    mut body: B,
    max: usize,
) -> Result<Bytes, TransportError>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let declared = content_length(headers).or_else(|| body.size_hint().exact());
    if let Some(declared) = declared {
        if declared > max as u64 {
            return Err(too_large(format!(
                "Content-Length is {declared} bytes, the limit is {max}"
            )));
        }
    }
    let reserve = declared.map_or(0, |d| usize::try_from(d).unwrap_or(usize::MAX));
    let mut buffer = BytesMut::with_capacity(reserve.min(MAX_PREALLOCATION));

    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|err| classify::body_error(err.into()))?;
        // Trailers are not part of the body.
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if buffer.len().saturating_add(data.len()) > max {
            return Err(too_large(format!(
                "the body passed the limit of {max} bytes; the rest was not read"
            )));
        }
        buffer.extend_from_slice(&data);
    }
    Ok(buffer.freeze())
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

    use http_body_util::Full;
    use hyper::body::Frame;

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn reads_a_body_within_the_cap() {
        let body = Full::new(Bytes::from_static(b"hello"));
        let bytes = block_on(read_capped(&HeaderMap::new(), body, 5)).unwrap();
        assert_eq!(&bytes[..], b"hello");
    }

    #[test]
    fn refuses_a_declared_length_over_the_cap_without_reading() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_LENGTH, "6".parse().unwrap());
        let body = Full::new(Bytes::new());
        let err = block_on(read_capped(&headers, body, 5)).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
        assert!(err.message().contains("Content-Length"));
    }

    #[test]
    fn stops_at_the_frame_that_passes_the_cap() {
        let mut endless = Endless { polled: 0 };
        let err = block_on(read_capped(&HeaderMap::new(), &mut endless, 25)).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
        // Frames of 10 bytes: the third passed the cap, nothing more was read.
        assert_eq!(endless.polled, 3);
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
