//! `Content-Encoding: gzip`: whether a request accepts it, and the encoder.
//!
//! A list page is `{"$data":[…]` (the same bytes every time that page is served) followed by
//! a short tail that changes with each request (`$next` carries a fresh cursor, `$request` a
//! fresh id). The data part is deflated once and cached; each answer is then one gzip member
//! built from the cached deflate blocks (ended by a sync flush, so they stop on a byte
//! boundary and are not final), the tail as a final *stored* block (RFC 1951 §3.2.4: a
//! five-byte header and the bytes as they are), and a trailer whose CRC-32 combines the
//! cached part's with the tail's. A repeated page then costs a checksum, a lookup and a copy;
//! the server is never the bottleneck of a client that decodes what it receives.
//!
//! The cache is keyed by the data part's CRC-32 and length, and a hit is compared byte for
//! byte, so two pages can never be confused, whatever produced them (v1 lists, Graph lists
//! with `$fields` or `$expand`).

use std::collections::{HashMap, VecDeque};
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::{BufMut, Bytes, BytesMut};
use flate2::{Compress, Compression, Crc, FlushCompress};
use http::HeaderMap;
use http::header::ACCEPT_ENCODING;

/// Bodies shorter than this are sent as they are: gzip would save a few bytes at most (most
/// servers have such a floor, e.g. 1 KiB in Express's `compression`).
pub(crate) const MIN_BYTES: usize = 1024;

/// A cacheable part shorter than this is compressed with the rest, on the spot: a fetch, an
/// error, a small page.
const CACHE_MIN_BYTES: usize = 16 * 1024;

/// Parts longer than this are deflated on a blocking thread, so a first request for a large
/// page (about 10 ms per MiB) does not stall the other connections.
const BLOCKING_BYTES: usize = 256 * 1024;

/// How much the cache holds (data parts and their deflated form), oldest out first.
const CACHE_LIMIT_BYTES: usize = 256 * 1024 * 1024;

/// zlib's default level (6), what a server compressing on the fly typically uses.
fn level() -> Compression {
    Compression::default()
}

/// Whether `Accept-Encoding` allows gzip: `gzip` or `x-gzip` (or `*`, when gzip is not named)
/// with a quality above zero (RFC 9110 §12.5.3). No header means no encoding.
pub(crate) fn accepted(headers: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    for value in headers.get_all(ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for entry in value.split(',') {
            let mut parts = entry.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                gzip = Some(quality > 0.0);
            } else if coding == "*" {
                any = Some(quality > 0.0);
            }
        }
    }
    gzip.or(any).unwrap_or(false)
}

/// A data part, deflated.
#[derive(Debug)]
struct Deflated {
    /// The data part itself, to tell it from another part with the same CRC and length.
    plain: Bytes,
    /// Raw deflate blocks, ended by a sync flush (byte-aligned, not final).
    blocks: Bytes,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<(u32, usize), Arc<Deflated>>,
    order: VecDeque<(u32, usize)>,
    bytes: usize,
}

/// The cache of deflated data parts, shared by every connection of a server.
#[derive(Debug, Default)]
pub(crate) struct GzipCache {
    entries: Mutex<Entries>,
}

impl GzipCache {
    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `body` as one gzip member; `cacheable` bytes at its start are the part that repeats
    /// between requests (0: nothing to cache).
    pub(crate) async fn encode(&self, body: &Bytes, cacheable: usize) -> io::Result<Bytes> {
        let cacheable = cacheable.min(body.len());
        if cacheable < CACHE_MIN_BYTES {
            let blocks = deflate(body, level())?;
            let mut crc = Crc::new();
            crc.update(body);
            return Ok(member(&blocks, crc.sum(), &[], body.len()));
        }
        let plain = body.slice(..cacheable);
        let mut prefix_crc = Crc::new();
        prefix_crc.update(&plain);
        let key = (prefix_crc.sum(), plain.len());
        let cached = self.lock().map.get(&key).cloned();
        let deflated = match cached {
            Some(hit) if hit.plain == plain => hit,
            _ => {
                let deflated = Arc::new(Deflated {
                    blocks: deflate_blocking(plain.clone()).await?,
                    plain,
                });
                self.insert(key, Arc::clone(&deflated));
                deflated
            }
        };
        let tail = &body[cacheable..];
        let mut tail_crc = Crc::new();
        tail_crc.update(tail);
        let mut crc = prefix_crc;
        crc.combine(&tail_crc);
        Ok(member(&deflated.blocks, crc.sum(), tail, body.len()))
    }

    fn insert(&self, key: (u32, usize), deflated: Arc<Deflated>) {
        let size = deflated.plain.len() + deflated.blocks.len();
        let mut entries = self.lock();
        if let Some(old) = entries.map.insert(key, deflated) {
            // Same CRC and length, other bytes: the newer page wins.
            entries.bytes -= old.plain.len() + old.blocks.len();
        } else {
            entries.order.push_back(key);
        }
        entries.bytes += size;
        while entries.bytes > CACHE_LIMIT_BYTES {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            if let Some(old) = entries.map.remove(&oldest) {
                entries.bytes -= old.plain.len() + old.blocks.len();
            }
        }
    }

    /// How many data parts are cached.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().map.len()
    }
}

async fn deflate_blocking(plain: Bytes) -> io::Result<Bytes> {
    if plain.len() < BLOCKING_BYTES {
        return deflate(&plain, level()).map(Bytes::from);
    }
    tokio::task::spawn_blocking(move || deflate(&plain, level()))
        .await
        .map_err(io::Error::other)?
        .map(Bytes::from)
}

/// Raw deflate blocks of `data`, ended by a sync flush: an empty stored block that leaves the
/// stream byte-aligned and open, so more blocks can follow.
fn deflate(data: &[u8], level: Compression) -> io::Result<Vec<u8>> {
    let mut compress = Compress::new(level, false);
    let mut out = Vec::with_capacity(data.len() / 4 + 1024);
    let mut input = data;
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.capacity().max(1024));
        }
        let before = compress.total_in();
        compress
            .compress_vec(input, &mut out, FlushCompress::Sync)
            .map_err(io::Error::other)?;
        let consumed = usize::try_from(compress.total_in() - before).unwrap_or(input.len());
        input = &input[consumed.min(input.len())..];
        // The flush is complete once it stopped with output space to spare.
        if input.is_empty() && out.len() < out.capacity() {
            return Ok(out);
        }
    }
}

/// One gzip member (RFC 1952): header, `blocks`, `tail` as final stored blocks, CRC-32 and
/// size of the whole plain text.
fn member(blocks: &[u8], crc: u32, tail: &[u8], plain_len: usize) -> Bytes {
    const STORED_MAX: usize = u16::MAX as usize;
    let mut out = BytesMut::with_capacity(blocks.len() + tail.len() + 32);
    // Magic, CM = deflate, no flags, no modification time, no extra flags, OS unknown.
    out.put_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    out.put_slice(blocks);
    let mut chunks = tail.chunks(STORED_MAX).peekable();
    if chunks.peek().is_none() {
        stored(&mut out, &[], true);
    }
    while let Some(chunk) = chunks.next() {
        stored(&mut out, chunk, chunks.peek().is_none());
    }
    out.put_u32_le(crc);
    // ISIZE is the length modulo 2^32.
    out.put_u32_le(plain_len as u32);
    out.freeze()
}

/// A stored block (BTYPE 00): after a sync flush the stream is byte-aligned, so the block
/// header's three bits fill one byte with padding.
fn stored(out: &mut BytesMut, data: &[u8], last: bool) {
    let len = data.len() as u16;
    out.put_u8(u8::from(last));
    out.put_u16_le(len);
    out.put_u16_le(!len);
    out.put_slice(data);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Read;

    use flate2::read::GzDecoder;

    fn gunzip(encoded: &[u8]) -> io::Result<Vec<u8>> {
        // `GzDecoder` reads one member: what a client that ignores multi-member gzip sees.
        let mut decoder = GzDecoder::new(encoded);
        let mut out = Vec::new();
        decoder.read_to_end(&mut out)?;
        Ok(out)
    }

    fn page(items: usize, tail: &str) -> (Bytes, usize) {
        let mut body = b"{\"$data\":[".to_vec();
        for i in 0..items {
            if i > 0 {
                body.push(b',');
            }
            body.extend(format!("{{\"id\":{i},\"name\":\"item number {i}\"}}").bytes());
        }
        body.push(b']');
        let cacheable = body.len();
        body.extend(tail.bytes());
        (Bytes::from(body), cacheable)
    }

    fn accepts(values: &[&str]) -> bool {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(ACCEPT_ENCODING, v.parse().unwrap());
        }
        accepted(&headers)
    }

    #[test]
    fn negotiation_follows_the_qualities() {
        assert!(!accepts(&[]));
        for yes in [
            "gzip",
            "GZip",
            "x-gzip",
            "gzip, deflate, br",
            "br;q=1.0, gzip;q=0.5",
            "*",
            "identity, *;q=0.1",
        ] {
            assert!(accepts(&[yes]), "{yes}");
        }
        for no in ["identity", "br", "gzip;q=0", "gzip; q=0.0, *", "*;q=0", ""] {
            assert!(!accepts(&[no]), "{no}");
        }
        assert!(accepts(&["br", "gzip"]), "several headers count together");
    }

    #[tokio::test]
    async fn small_and_cached_bodies_decode_to_the_same_bytes() {
        let cache = GzipCache::default();
        for (items, tail) in [
            (0, "}"),
            (3, ",\"$request\":\"r\"}"),
            (
                2_000,
                ",\"$next\":\"http://h/p?$cursor=1\",\"$request\":\"a\"}",
            ),
        ] {
            let (body, cacheable) = page(items, tail);
            let encoded = cache.encode(&body, cacheable).await.unwrap();
            assert_eq!(gunzip(&encoded).unwrap(), body, "{items} items");
        }
        assert_eq!(cache.len(), 1, "only the large page is cached");
    }

    #[tokio::test]
    async fn a_cached_page_is_reused_with_each_tail() {
        let cache = GzipCache::default();
        let (first, cacheable) = page(3_000, ",\"$request\":\"first\"}");
        let (second, _) = page(3_000, ",\"$next\":\"x\",\"$request\":\"second\"}");
        let a = cache.encode(&first, cacheable).await.unwrap();
        let b = cache.encode(&second, cacheable).await.unwrap();
        assert_eq!(gunzip(&a).unwrap(), first);
        assert_eq!(gunzip(&b).unwrap(), second);
        assert_eq!(cache.len(), 1);
        // The same deflate blocks: the members differ only after them.
        let common = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
        assert!(common > a.len() - 40, "{common} of {}", a.len());
        assert!(
            a.len() * 4 < first.len(),
            "compressed: {} of {}",
            a.len(),
            first.len()
        );
    }

    #[tokio::test]
    async fn a_tail_longer_than_a_stored_block_is_split() {
        let cache = GzipCache::default();
        let tail = format!(",\"$request\":\"{}\"}}", "r".repeat(150_000));
        let (body, cacheable) = page(1_000, &tail);
        let encoded = cache.encode(&body, cacheable).await.unwrap();
        assert_eq!(gunzip(&encoded).unwrap(), body);
    }

    #[tokio::test]
    async fn a_cut_member_fails_to_decode() {
        let cache = GzipCache::default();
        let (body, cacheable) = page(2_000, "}");
        let encoded = cache.encode(&body, cacheable).await.unwrap();
        let err = gunzip(&encoded[..encoded.len() / 2]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
