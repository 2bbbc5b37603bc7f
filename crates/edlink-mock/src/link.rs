//! A shaped link: a time to first byte (fixed, plus a time per item of a list page, as a
//! server that builds each page), and a bandwidth limit on each response body. Both run on
//! tokio's clock, so tests with `tokio::time::pause()` take no real time.

use std::io;
use std::num::NonZeroU64;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::{Buf, Bytes};
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use tokio::time::{Instant, Sleep};

use crate::body::MockBody;

/// A body is released in slices of at most this many bytes (1.3 ms each at 100 Mbit/s).
const SLICE: usize = 16 * 1024;

/// A frame that comes this long after the previous one was due means the body's producer
/// stalled (a fault): the link starts again from now instead of sending a burst to catch
/// up. Smaller gaps are the timer's own lateness (tokio's timer has a 1 ms resolution) and
/// are absorbed, so the pace does not drift.
const STALL: Duration = Duration::from_millis(5);

/// How the server's answers are slowed down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    /// Before the headers of every answer.
    pub(crate) first_byte: Duration,
    /// Before the headers, for each item of a list page.
    pub(crate) per_item: Duration,
    /// Body bytes per second, per response (`None`: as fast as the socket takes them).
    pub(crate) bytes_per_second: Option<NonZeroU64>,
}

impl Shape {
    /// The wait before the headers of an answer with `items` items.
    pub(crate) fn first_byte(&self, items: usize) -> Duration {
        let items = u32::try_from(items).unwrap_or(u32::MAX);
        self.first_byte
            .saturating_add(self.per_item.saturating_mul(items))
    }

    /// `body`, released no faster than the bandwidth allows.
    pub(crate) fn pace(&self, body: MockBody) -> MockBody {
        match self.bytes_per_second {
            None => body,
            Some(rate) => Paced {
                inner: body,
                rate,
                pending: Bytes::new(),
                due: None,
                clock: None,
                released: Bytes::new(),
            }
            .boxed(),
        }
    }
}

/// A body whose bytes come out at a fixed rate: slice `k` of a frame is released when the
/// bytes up to its end would have crossed the link, counted from when the frame's first
/// byte could start (so rounding of each timer does not add up).
struct Paced {
    inner: MockBody,
    rate: NonZeroU64,
    /// The rest of the frame being paced.
    pending: Bytes,
    /// The slice waiting for its time, and that time.
    due: Option<Pin<Box<Sleep>>>,
    /// When the bytes released or scheduled so far will have crossed the link.
    clock: Option<Instant>,
    released: Bytes,
}

impl Paced {
    fn transfer_time(&self, bytes: usize) -> Duration {
        let nanos = (bytes as u128 * 1_000_000_000) / u128::from(self.rate.get());
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// Schedules the next slice of `pending`.
    fn schedule(&mut self) {
        let now = Instant::now();
        let start = match self.clock {
            Some(clock) if now <= clock + STALL => clock,
            _ => now,
        };
        let slice = self.pending.split_to(self.pending.len().min(SLICE));
        let at = start + self.transfer_time(slice.len());
        self.clock = Some(at);
        self.released = slice;
        self.due = Some(Box::pin(tokio::time::sleep_until(at)));
    }
}

impl Body for Paced {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        loop {
            if let Some(due) = self.due.as_mut() {
                ready!(due.as_mut().poll(cx));
                self.due = None;
                let slice = std::mem::take(&mut self.released);
                return Poll::Ready(Some(Ok(Frame::data(slice))));
            }
            if !self.pending.is_empty() {
                self.schedule();
                continue;
            }
            match ready!(Pin::new(&mut self.inner).poll_frame(cx)) {
                Some(Ok(frame)) => match frame.into_data() {
                    Ok(data) if data.has_remaining() => self.pending = data,
                    Ok(_) => {}
                    Err(frame) => return Poll::Ready(Some(Ok(frame))),
                },
                other => return Poll::Ready(other),
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.due.is_none() && self.pending.is_empty() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let held = (self.pending.len() + self.released.len()) as u64;
        let inner = self.inner.size_hint();
        let mut hint = SizeHint::new();
        hint.set_lower(inner.lower() + held);
        if let Some(upper) = inner.upper() {
            hint.set_upper(upper + held);
        }
        hint
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn shape(bytes_per_second: u64) -> Shape {
        Shape {
            bytes_per_second: NonZeroU64::new(bytes_per_second),
            ..Shape::default()
        }
    }

    #[test]
    fn the_first_byte_waits_for_each_item() {
        let shape = Shape {
            first_byte: Duration::from_millis(20),
            per_item: Duration::from_micros(20),
            bytes_per_second: None,
        };
        assert_eq!(shape.first_byte(0), Duration::from_millis(20));
        assert_eq!(shape.first_byte(1_000), Duration::from_millis(40));
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_takes_its_size_over_the_rate() {
        // 1 MB at 1 MB/s: one second, in slices of 16 KiB, none early.
        let data = Bytes::from(vec![7u8; 1_000_000]);
        let mut body = shape(1_000_000).pace(crate::body::full(data.clone()));
        assert_eq!(body.size_hint().exact(), Some(1_000_000));
        let start = Instant::now();
        let mut received = Vec::new();
        while let Some(frame) = body.frame().await {
            let chunk = frame.unwrap().into_data().unwrap();
            assert!(chunk.len() <= SLICE);
            received.extend_from_slice(&chunk);
            let due = Duration::from_secs_f64(received.len() as f64 / 1_000_000.0);
            assert!(start.elapsed() >= due, "{} bytes early", received.len());
        }
        assert_eq!(received, data);
        let elapsed = start.elapsed();
        assert!(
            elapsed >= Duration::from_secs(1) && elapsed < Duration::from_millis(1_010),
            "{elapsed:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn no_limit_passes_the_body_through() {
        let mut body = Shape::default().pace(crate::body::full(Bytes::from_static(b"abc")));
        let start = Instant::now();
        let frame = body.frame().await.unwrap().unwrap();
        assert_eq!(frame.into_data().unwrap(), Bytes::from_static(b"abc"));
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_producer_does_not_earn_a_burst() {
        let (tx, inner) = crate::body::channel();
        let mut body = shape(100_000).pace(inner);
        tokio::spawn(async move {
            tx.send(Ok(Bytes::from(vec![1u8; 10_000]))).await.unwrap();
            tokio::time::sleep(Duration::from_secs(1)).await;
            tx.send(Ok(Bytes::from(vec![2u8; 10_000]))).await.unwrap();
        });
        let start = Instant::now();
        let mut total = 0;
        while let Some(frame) = body.frame().await {
            total += frame.unwrap().into_data().unwrap().len();
        }
        assert_eq!(total, 20_000);
        // The second half comes 1 s after the first and then takes its own 0.1 s; sent
        // at once to catch up, it would end at 1 s.
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(1_100), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1_120), "{elapsed:?}");
    }
}
