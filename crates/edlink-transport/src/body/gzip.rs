//! Decoding a gzip body as its frames arrive, with a cap on the decoded size.
//!
//! flate2's `bufread` decoders are pull-based: they read compressed bytes from
//! a `BufRead`. The frames arrive asynchronously, so [`Pending`] hands the
//! decoder the frames received so far and answers `WouldBlock` when it needs
//! more: flate2 keeps its state (header, deflate stream, trailer) and resumes
//! on the next read. Its error kinds tell a stream cut short
//! (`UnexpectedEof`) from a corrupt one.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use bytes::{Buf, Bytes, BytesMut};
use flate2::bufread::MultiGzDecoder;

use crate::{TransportError, TransportErrorKind};

/// Decoded bytes are taken from the decoder this many at a time, so the cap
/// is passed by at most this much before the decoding stops.
const STEP: usize = 16 * 1024;

/// A gzip decoder fed frame by frame, collecting the decoded body.
pub(super) struct GzipSink {
    decoder: MultiGzDecoder<Pending>,
    decoded: BytesMut,
    scratch: Box<[u8]>,
    /// Whether any encoded byte arrived (an empty body is an empty body).
    received: bool,
}

impl GzipSink {
    pub(super) fn new() -> Self {
        Self {
            decoder: MultiGzDecoder::new(Pending::default()),
            decoded: BytesMut::new(),
            scratch: vec![0; STEP].into_boxed_slice(),
            received: false,
        }
    }

    /// Decodes what `encoded` makes available.
    pub(super) fn push(&mut self, encoded: Bytes, max: usize) -> Result<(), TransportError> {
        if encoded.is_empty() {
            return Ok(());
        }
        self.received = true;
        self.decoder.get_mut().frames.push_back(encoded);
        self.drain(max)
    }

    /// The body ended: decodes the rest and checks the stream was complete.
    pub(super) fn finish(mut self, max: usize) -> Result<Bytes, TransportError> {
        if !self.received {
            return Ok(Bytes::new());
        }
        self.decoder.get_mut().ended = true;
        self.drain(max)?;
        Ok(self.decoded.freeze())
    }

    /// Decodes until the decoder needs more input or the stream ends.
    fn drain(&mut self, max: usize) -> Result<(), TransportError> {
        loop {
            match self.decoder.read(&mut self.scratch) {
                // The gzip stream ended (only once `Pending::ended` is set:
                // before that, the decoder asks for more with `WouldBlock`).
                Ok(0) => return Ok(()),
                Ok(n) => {
                    if self.decoded.len().saturating_add(n) > max {
                        return Err(TransportError::new(
                            TransportErrorKind::BodyTooLarge,
                            format!(
                                "the decompressed body passed the limit of {max} bytes; \
                                 the rest was not read"
                            ),
                        ));
                    }
                    self.decoded.extend_from_slice(&self.scratch[..n]);
                }
                Err(err) => match err.kind() {
                    io::ErrorKind::WouldBlock => return Ok(()),
                    io::ErrorKind::Interrupted => {}
                    // Cut short: what a connection closed mid-body produces.
                    io::ErrorKind::UnexpectedEof => {
                        return Err(TransportError::with_source(
                            TransportErrorKind::Io,
                            "the gzip-encoded body ended before the gzip stream did",
                            err,
                        ));
                    }
                    _ => {
                        return Err(TransportError::with_source(
                            TransportErrorKind::Other,
                            "the gzip-encoded body is not valid gzip",
                            err,
                        ));
                    }
                },
            }
        }
    }
}

/// The encoded frames received and not yet decoded, as a `BufRead` that says
/// `WouldBlock` (rather than end of file) while the body has not ended.
#[derive(Default)]
struct Pending {
    frames: VecDeque<Bytes>,
    ended: bool,
}

impl BufRead for Pending {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.frames.front().is_some_and(Bytes::is_empty) {
            self.frames.pop_front();
        }
        match self.frames.front() {
            Some(frame) => Ok(frame),
            None if self.ended => Ok(&[]),
            None => Err(io::ErrorKind::WouldBlock.into()),
        }
    }

    fn consume(&mut self, amount: usize) {
        if let Some(frame) = self.frames.front_mut() {
            frame.advance(amount.min(frame.len()));
        }
    }
}

impl Read for Pending {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
pub(super) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    /// Feeds `encoded` in frames of `frame` bytes.
    fn decode(encoded: &[u8], frame: usize, max: usize) -> Result<Bytes, TransportError> {
        let mut sink = GzipSink::new();
        for chunk in encoded.chunks(frame) {
            sink.push(Bytes::copy_from_slice(chunk), max)?;
        }
        sink.finish(max)
    }

    fn sample() -> Vec<u8> {
        (0..50_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect()
    }

    #[test]
    fn decodes_whatever_the_frame_boundaries() {
        let plain = sample();
        let encoded = gzip(&plain);
        // One-byte frames split the header, the deflate stream and the trailer.
        for frame in [1, 7, 1000, encoded.len()] {
            let decoded = decode(&encoded, frame, usize::MAX).unwrap();
            assert_eq!(decoded, plain, "frames of {frame}");
        }
    }

    #[test]
    fn concatenated_members_are_one_body() {
        let mut encoded = gzip(b"hello, ");
        encoded.extend(gzip(b"world"));
        assert_eq!(&decode(&encoded, 5, 100).unwrap()[..], b"hello, world");
    }

    #[test]
    fn a_stream_cut_anywhere_is_io() {
        let encoded = gzip(b"{\"$data\":[{\"id\":1},{\"id\":2}]}");
        // Every cut: inside the header, the deflate data and the trailer.
        for cut in 1..encoded.len() {
            let err = decode(&encoded[..cut], 3, 1000).unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::Io, "cut at {cut}: {err}");
            assert!(err.is_retryable());
        }
    }

    #[test]
    fn an_empty_body_is_empty() {
        assert!(decode(b"", 1, 10).unwrap().is_empty());
    }

    #[test]
    fn corrupt_data_is_other() {
        let mut encoded = gzip(&sample());
        let last = encoded.len() - 1;
        encoded[last] ^= 0xff; // the length in the trailer
        let err = decode(&encoded, 100, usize::MAX).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other, "{err}");

        let err = decode(b"this is not gzip at all", 100, usize::MAX).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other, "{err}");
        let mut trailing = gzip(b"ok");
        trailing.extend_from_slice(b"garbage after the stream");
        let err = decode(&trailing, 100, usize::MAX).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other, "{err}");
    }

    #[test]
    fn a_bomb_is_refused_early_without_inflating_it_all() {
        // 16 MiB of zeros compress to about 16 KiB.
        let encoded = gzip(&vec![0; 16 << 20]);
        assert!(encoded.len() < 64 * 1024, "{}", encoded.len());
        let max = 64 * 1024;

        let mut sink = GzipSink::new();
        let mut frames_fed = 0;
        let mut result = Ok(());
        for chunk in encoded.chunks(1024) {
            frames_fed += 1;
            result = sink.push(Bytes::copy_from_slice(chunk), max);
            if result.is_err() {
                break;
            }
        }
        let err = result.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");
        // It stopped at the first KiB frames, long before the end.
        let frames = encoded.len().div_ceil(1024);
        assert!(frames_fed <= 2, "{frames_fed} of {frames} frames were fed");
        // And it never held much more than the cap.
        assert!(sink.decoded.len() <= max, "{}", sink.decoded.len());
    }
}
