//! Opaque `$cursor` values: the original paging parameters plus the position, the issue
//! sequence number and time, and a checksum, as lowercase hex.
//!
//! Version 1 (v1 routes) is 62 bytes. Version 2 (Graph routes) adds the scope: the
//! integration, the nested list and its parent, and the `$filter`, `$expand` and `$fields`
//! texts, which is how a filter "persists across pages via the `$cursor`" (edlink-graph.md
//! §4) while the `$next` URL carries only `$cursor`.

use crate::collection::Collection;
use crate::graph::relation::Relation;
use crate::paging::{Direction, PageSpec};

const V1: u8 = 1;
const V2: u8 = 2;
/// Bytes of a version 1 cursor (and of the common head of a version 2 one, checksum apart).
const LEN: usize = 62;
const NO_RELATION: u8 = 0xff;

/// What a Graph cursor carries besides the paging state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct GraphScope {
    pub(crate) integration: u128,
    /// The nested list and its parent's id, for `/{parent}/:id/{relation}`.
    pub(crate) nested: Option<(Relation, u128)>,
    /// The decoded `$filter` (empty: none).
    pub(crate) filter: String,
    /// The decoded `$expand` (empty: none).
    pub(crate) expand: String,
    /// The decoded `$fields` (`None`: every field).
    pub(crate) fields: Option<String>,
}

/// What a cursor carries.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// `Some` on Graph routes (version 2).
    pub(crate) scope: Option<GraphScope>,
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

fn put_text(b: &mut Vec<u8>, text: &str) {
    b.extend_from_slice(&(text.len() as u32).to_be_bytes());
    b.extend_from_slice(text.as_bytes());
}

/// Reads what [`put_text`] wrote at `*at`, moving `*at` past it.
fn take_text(body: &[u8], at: &mut usize) -> Option<String> {
    let len = u32::from_be_bytes(body.get(*at..*at + 4)?.try_into().ok()?) as usize;
    let text = body.get(*at + 4..(*at + 4).checked_add(len)?)?;
    *at += 4 + len;
    String::from_utf8(text.to_vec()).ok()
}

impl Cursor {
    /// Encodes as lowercase hex: 124 digits for a v1 cursor, more for a Graph one.
    pub(crate) fn encode(&self, key: u64) -> String {
        let mut b = Vec::with_capacity(LEN);
        b.push(if self.scope.is_some() { V2 } else { V1 });
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
        if let Some(scope) = &self.scope {
            b.extend_from_slice(&scope.integration.to_be_bytes());
            let (relation, parent) = scope
                .nested
                .map_or((NO_RELATION, 0), |(r, p)| (r.index(), p));
            b.push(relation);
            b.extend_from_slice(&parent.to_be_bytes());
            put_text(&mut b, &scope.filter);
            put_text(&mut b, &scope.expand);
            b.push(u8::from(scope.fields.is_some()));
            put_text(&mut b, scope.fields.as_deref().unwrap_or(""));
        }
        let sum = checksum(&b, key);
        b.extend_from_slice(&sum.to_be_bytes());
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Decodes, or `None` for anything malformed or tampered with.
    pub(crate) fn decode(text: &str, key: u64) -> Option<Self> {
        if text.len() < LEN * 2 || text.len() % 2 != 0 || !text.is_ascii() {
            return None;
        }
        let bytes: Vec<u8> = (0..text.len() / 2)
            .map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
            .collect::<Option<_>>()?;
        let (body, sum) = bytes.split_at(bytes.len() - 4);
        if checksum(body, key).to_be_bytes() != sum {
            return None;
        }
        let version = *body.first()?;
        if !(version == V1 && bytes.len() == LEN || version == V2) {
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
        let scope = if version == V2 {
            let integration = u128_at(LEN - 4)?;
            let nested = match *body.get(LEN + 12)? {
                NO_RELATION => None,
                r => Some((Relation::from_index(r)?, u128_at(LEN + 13)?)),
            };
            let mut at = LEN + 29;
            let filter = take_text(body, &mut at)?;
            let expand = take_text(body, &mut at)?;
            let has_fields = *body.get(at)? != 0;
            at += 1;
            let fields = take_text(body, &mut at)?;
            if at != body.len() {
                return None;
            }
            Some(GraphScope {
                integration,
                nested,
                filter,
                expand,
                fields: has_fields.then_some(fields),
            })
        } else {
            None
        };
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
            scope,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v1() -> Cursor {
        Cursor {
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
            scope: None,
        }
    }

    #[test]
    fn round_trip_and_tamper() {
        let c = v1();
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

    #[test]
    fn graph_cursors_carry_their_scope() {
        for scope in [
            GraphScope {
                integration: 0xabc,
                nested: Some((Relation::Teachers, 0xdef)),
                filter: r#"{"roles":[{"operator":"equals","value":"student"}]}"#.into(),
                expand: "schools".into(),
                fields: Some(String::new()),
            },
            GraphScope {
                integration: 1,
                ..GraphScope::default()
            },
        ] {
            let c = Cursor {
                collection: Collection::People,
                scope: Some(scope),
                ..v1()
            };
            let text = c.encode(7);
            assert_eq!(Cursor::decode(&text, 7), Some(c.clone()));
            assert_eq!(Cursor::decode(&text[..text.len() - 2], 7), None);
            assert_eq!(Cursor::decode(&text, 6), None);
        }
    }
}
