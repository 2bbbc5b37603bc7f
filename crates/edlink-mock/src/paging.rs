//! Edlink paging: `$first`/`$last`/`$after`/`$before`/`$cursor`, parsed and applied.

use crate::reply::ApiError;
use crate::text::parse_uuid;

/// The largest `$first`/`$last` Edlink accepts.
pub const MAX_PAGE_SIZE: usize = 10_000;

/// Which way a listing walks the id order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// `$first`: ascending ids.
    Forward,
    /// `$last`: descending ids (newest first).
    Backward,
}

/// A page request with everything resolved: direction, size and exclusive id bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PageSpec {
    pub(crate) direction: Direction,
    pub(crate) size: usize,
    /// Only ids greater than this (`$after`).
    pub(crate) after: Option<u128>,
    /// Only ids less than this (`$before`).
    pub(crate) before: Option<u128>,
}

/// What the query asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PageQuery {
    /// Plain paging parameters.
    Fresh(PageSpec),
    /// A `$cursor`; `ignored` is true when other paging parameters came with it.
    Cursor { text: String, ignored: bool },
}

fn page_size(name: &str, value: &str) -> Result<usize, ApiError> {
    let size = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        value.parse::<usize>().ok()
    } else {
        None
    };
    match size {
        Some(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
        _ => Err(ApiError::bad_request(
            "INVALID_PAGE_SIZE",
            format!("{name} must be a whole number from 1 to {MAX_PAGE_SIZE}."),
        )),
    }
}

fn bound(name: &str, value: &str) -> Result<Option<u128>, ApiError> {
    match parse_uuid(value) {
        // The nil UUID means "from the start" (Edlink's events guide starts `$after` there).
        Some(0) => Ok(None),
        Some(id) => Ok(Some(id)),
        None => Err(ApiError::bad_request(
            "INVALID_UUID",
            format!("{name} must be a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx."),
        )),
    }
}

/// Reads the paging parameters. The first occurrence of a repeated parameter wins.
pub(crate) fn parse(
    pairs: &[(String, String)],
    default_size: usize,
) -> Result<PageQuery, ApiError> {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let (first, last, after, before) = (get("$first"), get("$last"), get("$after"), get("$before"));
    if let Some(cursor) = get("$cursor") {
        let ignored = first.is_some() || last.is_some() || after.is_some() || before.is_some();
        return Ok(PageQuery::Cursor {
            text: cursor.to_owned(),
            ignored,
        });
    }
    let (direction, size) = match (first, last) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "INVALID_PAGE_SIZE",
                "Use either $first or $last, not both.",
            ));
        }
        (Some(n), None) => (Direction::Forward, page_size("$first", n)?),
        (None, Some(n)) => (Direction::Backward, page_size("$last", n)?),
        (None, None) => (Direction::Forward, default_size.clamp(1, MAX_PAGE_SIZE)),
    };
    Ok(PageQuery::Fresh(PageSpec {
        direction,
        size,
        after: after.map(|v| bound("$after", v)).transpose()?.flatten(),
        before: before.map(|v| bound("$before", v)).transpose()?.flatten(),
    }))
}

/// The items of one page and where the next page starts, if anything remains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    /// Positions in the listed sequence, in the order to serve them (descending for `$last`).
    pub(crate) positions: Vec<usize>,
    /// The spec of the next page, when more matching items remain in this direction.
    pub(crate) next: Option<PageSpec>,
}

/// The first position in `0..len` where `pred` turns false (`pred` is true, then false).
fn partition(len: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Applies a spec to a sequence of `len` items whose keys `key(i)` ascend, keeping only the
/// positions `keep` accepts (a `$filter`; `|_| true` for none). A page that ends at the last
/// matching item has no `next`, so no empty page follows.
pub(crate) fn select(
    len: usize,
    key: impl Fn(usize) -> u128,
    spec: &PageSpec,
    keep: impl Fn(usize) -> bool,
) -> Page {
    let low = spec.after.map_or(0, |a| partition(len, |i| key(i) <= a));
    let high = spec
        .before
        .map_or(len, |b| partition(len, |i| key(i) < b))
        .max(low);
    let window: Box<dyn Iterator<Item = usize>> = match spec.direction {
        Direction::Forward => Box::new(low..high),
        Direction::Backward => Box::new((low..high).rev()),
    };
    let mut positions = Vec::with_capacity(spec.size.min(high - low));
    let mut more = false;
    for i in window.filter(|i| keep(*i)) {
        if positions.len() == spec.size {
            // One match past a full page: there is a next page.
            more = true;
            break;
        }
        positions.push(i);
    }
    let next = match (more, positions.last()) {
        (true, Some(last)) => Some(match spec.direction {
            Direction::Forward => PageSpec {
                after: Some(key(*last)),
                ..*spec
            },
            Direction::Backward => PageSpec {
                before: Some(key(*last)),
                ..*spec
            },
        }),
        _ => None,
    };
    Page { positions, next }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Result<PageQuery, ApiError> {
        parse(&crate::text::query_pairs(s), 100)
    }

    fn code(r: Result<PageQuery, ApiError>) -> &'static str {
        r.err().map_or("ok", |e| e.code)
    }

    #[test]
    fn sizes() {
        for bad in [
            "0",
            "10001",
            "-1",
            "abc",
            "",
            "1.5",
            "99999999999999999999999",
        ] {
            assert_eq!(
                code(q(&format!("$first={bad}"))),
                "INVALID_PAGE_SIZE",
                "{bad}"
            );
            assert_eq!(
                code(q(&format!("$last={bad}"))),
                "INVALID_PAGE_SIZE",
                "{bad}"
            );
        }
        assert_eq!(code(q("$first=1&$last=1")), "INVALID_PAGE_SIZE");
        assert_eq!(code(q("$first=10000")), "ok");
        assert_eq!(code(q("$after=nope")), "INVALID_UUID");
        assert_eq!(code(q("$before=nope")), "INVALID_UUID");
        assert_eq!(
            q("$after=00000000-0000-0000-0000-000000000000").ok(),
            Some(PageQuery::Fresh(PageSpec {
                direction: Direction::Forward,
                size: 100,
                after: None,
                before: None
            }))
        );
        assert_eq!(
            q("$cursor=x&$first=5").ok(),
            Some(PageQuery::Cursor {
                text: "x".into(),
                ignored: true
            })
        );
    }

    #[test]
    fn select_walks() {
        let keys: Vec<u128> = (1..=10).map(|k| k * 10).collect();
        let spec = |direction, after, before| PageSpec {
            direction,
            size: 4,
            after,
            before,
        };
        let all = |spec: PageSpec| select(keys.len(), |i| keys[i], &spec, |_| true);
        let p = all(spec(Direction::Forward, None, None));
        assert_eq!(p.positions, [0, 1, 2, 3]);
        assert_eq!(p.next.and_then(|n| n.after), Some(40));
        let p = all(spec(Direction::Forward, Some(80), None));
        assert_eq!((p.positions, p.next), (vec![8, 9], None));
        let p = all(spec(Direction::Forward, Some(35), Some(75)));
        assert_eq!(p.positions, [3, 4, 5, 6]);
        assert_eq!(p.next, None);
        let p = all(spec(Direction::Backward, None, None));
        assert_eq!(p.positions, [9, 8, 7, 6]);
        assert_eq!(p.next.and_then(|n| n.before), Some(70));
        let p = all(spec(Direction::Backward, None, Some(30)));
        assert_eq!((p.positions, p.next), (vec![1, 0], None));
        let p = all(spec(Direction::Forward, Some(100), None));
        assert_eq!((p.positions, p.next), (vec![], None));
        let p = all(spec(Direction::Forward, Some(90), Some(20)));
        assert_eq!((p.positions, p.next), (vec![], None));
    }

    #[test]
    fn select_filters_and_looks_one_match_ahead() {
        let keys: Vec<u128> = (1..=10).map(|k| k * 10).collect();
        let even = |i: usize| keys[i] % 20 == 0;
        let spec = PageSpec {
            direction: Direction::Forward,
            size: 2,
            after: None,
            before: None,
        };
        let p = select(keys.len(), |i| keys[i], &spec, even);
        assert_eq!(p.positions, [1, 3]);
        let next = p.next.unwrap_or(spec);
        assert_eq!(next.after, Some(40));
        let p = select(keys.len(), |i| keys[i], &next, even);
        assert_eq!(p.positions, [5, 7]);
        let p = select(keys.len(), |i| keys[i], &p.next.unwrap_or(spec), even);
        // The last match ends the page exactly: no next page.
        assert_eq!((p.positions, p.next), (vec![9], None));
        let back = PageSpec {
            direction: Direction::Backward,
            ..spec
        };
        let p = select(keys.len(), |i| keys[i], &back, |i| i < 3);
        assert_eq!(p.positions, [2, 1]);
        assert_eq!(p.next.and_then(|n| n.before), Some(20));
    }
}
