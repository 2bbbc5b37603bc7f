//! The mirror's export against the mock's dump, line by line.

use serde::Deserialize;

/// How the two JSONL texts compare.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Comparison {
    /// Lines of the mock's dump (its objects).
    pub(crate) entities: usize,
    /// Lines equal byte for byte on both sides.
    pub(crate) matched: usize,
    /// Objects that differ, or that only one side has.
    pub(crate) mismatched: usize,
    /// The first differences, for the report (at most [`SHOWN`]).
    pub(crate) first: Vec<String>,
}

/// How many differences are kept for the report.
const SHOWN: usize = 5;

#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct Key<'a> {
    integration_id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    id: &'a str,
}

/// The (integration, type, id) of a line, both sides sort by it; a line
/// that does not parse (or whose key is escaped) sorts first and never
/// matches. `data` is skipped unread.
fn key(line: &str) -> Option<Key<'_>> {
    serde_json::from_str::<Key<'_>>(line).ok()
}

/// Walks both sorted texts together: an object on both sides matches when
/// its lines are equal byte for byte; one on a single side is a mismatch.
pub(crate) fn compare(mirror: &str, dump: &str) -> Comparison {
    let mut out = Comparison {
        entities: dump.lines().count(),
        ..Comparison::default()
    };
    let note = |out: &mut Comparison, what: String| {
        out.mismatched += 1;
        if out.first.len() < SHOWN {
            out.first.push(what);
        }
    };
    let (mut a, mut b) = (mirror.lines().peekable(), dump.lines().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(m), None) => {
                note(&mut out, format!("only in the mirror: {m}"));
                a.next();
            }
            (None, Some(d)) => {
                note(&mut out, format!("only in the mock: {d}"));
                b.next();
            }
            (Some(m), Some(d)) => match key(m).cmp(&key(d)) {
                std::cmp::Ordering::Less => {
                    note(&mut out, format!("only in the mirror: {m}"));
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    note(&mut out, format!("only in the mock: {d}"));
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    if m == d {
                        out.matched += 1;
                    } else {
                        note(&mut out, format!("mirror: {m}\n    mock: {d}"));
                    }
                    a.next();
                    b.next();
                }
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, data: &str) -> String {
        format!(
            "{{\"integration_id\":\"i1\",\"type\":\"people\",\"id\":\"{id}\",\"data\":{data}}}\n"
        )
    }

    #[test]
    fn counts_matches_and_differences() {
        let dump = [line("a", "{}"), line("b", "{}"), line("c", "{\"x\":1}")].concat();
        let same = compare(&dump, &dump);
        assert_eq!((same.entities, same.matched, same.mismatched), (3, 3, 0));

        // b missing, c changed, d extra.
        let mirror = [line("a", "{}"), line("c", "{\"x\":2}"), line("d", "{}")].concat();
        let c = compare(&mirror, &dump);
        assert_eq!((c.entities, c.matched, c.mismatched), (3, 1, 3));
        assert!(c.first[0].starts_with("only in the mock"), "{:?}", c.first);
        assert!(c.first[1].starts_with("mirror: "), "{:?}", c.first);
        assert!(
            c.first[2].starts_with("only in the mirror"),
            "{:?}",
            c.first
        );
    }
}
