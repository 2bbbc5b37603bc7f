//! Opaque `$cursor` values: the original paging parameters plus the position, the issue
//! sequence number and time, and a checksum, as lowercase hex.

use crate::collection::Collection;
use crate::paging::{Direction, PageSpec};

const VERSION: u8 = 1;
const LEN: usize = 62;

/// What a cursor carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub(crate) collection: Collection,
    pub(crate) spec: PageSpec,
    /// The expiry epoch it was issued in ([`crate::MockServer::expire_all_cursors`] bumps it).
    pub(crate) epoch: u32,
    /// Its serial number (1, 2, 3 … per server).
    pub(crate) seq: u64,
    /// 1 + milliseconds since the server started when it was issued, or 0 when cursors never
    /// age (the 1 keeps a cursor issued at the very start apart from an unstamped one).
    pub(crate) issued_ms: u64,
}

fn checksum(bytes: &[u8], key: u64) -> u32 {
    // FNV-1a, keyed: enough to turn any edited cursor into INVALID_CURSOR.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ key;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

impl Cursor {
    /// Encodes as 124 lowercase hex digits.
    pub(crate) fn encode(&self, key: u64) -> String {
        let mut b = Vec::with_capacity(LEN);
        b.push(VERSION);
        b.push(self.collection.index() as u8);
        b.push(match self.spec.direction {
            Direction::Forward => 0,
            Direction::Backward => 1,
        });
        b.extend_from_slice(&(self.spec.size.min(usize::from(u16::MAX)) as u16).to_be_bytes());
        b.push(u8::from(self.spec.after.is_some()) | (u8::from(self.spec.before.is_some()) << 1));
        b.extend_from_slice(&self.spec.after.unwrap_or(0).to_be_bytes());
        b.extend_from_slice(&self.spec.before.unwrap_or(0).to_be_bytes());
        b.extend_from_slice(&self.epoch.to_be_bytes());
        b.extend_from_slice(&self.seq.to_be_bytes());
        b.extend_from_slice(&self.issued_ms.to_be_bytes());
        let sum = checksum(&b, key);
        b.extend_from_slice(&sum.to_be_bytes());
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Decodes, or `None` for anything malformed or tampered with.
    pub(crate) fn decode(text: &str, key: u64) -> Option<Self> {
        if text.len() != LEN * 2 || !text.is_ascii() {
            return None;
        }
        let bytes: Vec<u8> = (0..LEN)
            .map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
            .collect::<Option<_>>()?;
        let (body, sum) = bytes.split_at(LEN - 4);
        if checksum(body, key).to_be_bytes() != sum || body.first() != Some(&VERSION) {
            return None;
        }
        let u128_at = |i: usize| Some(u128::from_be_bytes(body.get(i..i + 16)?.try_into().ok()?));
        let u64_at = |i: usize| Some(u64::from_be_bytes(body.get(i..i + 8)?.try_into().ok()?));
        let collection = Collection::from_index(*body.get(1)?)?;
        let direction = match body.get(2)? {
            0 => Direction::Forward,
            1 => Direction::Backward,
            _ => return None,
        };
        let size = usize::from(u16::from_be_bytes(body.get(3..5)?.try_into().ok()?));
        let flags = *body.get(5)?;
        let after = (flags & 1 != 0).then(|| u128_at(6)).flatten();
        let before = (flags & 2 != 0).then(|| u128_at(22)).flatten();
        let epoch = u32::from_be_bytes(body.get(38..42)?.try_into().ok()?);
        if size == 0 {
            return None;
        }
        Some(Self {
            collection,
            spec: PageSpec {
                direction,
                size,
                after,
                before,
            },
            epoch,
            seq: u64_at(42)?,
            issued_ms: u64_at(50)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper() {
        let c = Cursor {
            collection: Collection::Providers,
            spec: PageSpec {
                direction: Direction::Backward,
                size: 10_000,
                after: Some(5),
                before: Some(u128::MAX),
            },
            epoch: 3,
            seq: 99,
            issued_ms: 12_345,
        };
        let text = c.encode(7);
        assert_eq!(text.len(), 124);
        assert_eq!(Cursor::decode(&text, 7), Some(c));
        assert_eq!(Cursor::decode(&text, 8), None);
        let mut tampered = text.clone().into_bytes();
        tampered[20] = if tampered[20] == b'0' { b'1' } else { b'0' };
        assert_eq!(Cursor::decode(&String::from_utf8_lossy(&tampered), 7), None);
        for bad in [
            "",
            "zz",
            &text[..122],
            &format!("{text}00"),
            &"é".repeat(62),
        ] {
            assert_eq!(Cursor::decode(bad, 7), None);
        }
    }
}
