//! Mutated fixture bytes (flipped, inserted, deleted bytes; truncation) and
//! arbitrary strings never make a decoder panic: `Ok` or `Err`, nothing else.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use edlink_model::{
    Agent, Class, District, Event, Filter, Integration, Permission, Person, Provider, School,
    Timestamp, decode_response,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Mutation {
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Bytes that matter to JSON are inserted more often than random ones.
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"{}[]\",:0-9.eE+ \\nulltrue".to_vec())
    ];
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<prop::sample::Index>(), byte).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<prop::sample::Index>().prop_map(Mutation::Delete),
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut body: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        if body.is_empty() {
            break;
        }
        match m {
            Mutation::Flip(i, mask) => {
                let i = i.index(body.len());
                body[i] ^= mask;
            }
            Mutation::Insert(i, b) => {
                let i = i.index(body.len() + 1);
                body.insert(i, *b);
            }
            Mutation::Delete(i) => {
                let i = i.index(body.len());
                body.remove(i);
            }
            Mutation::Truncate(i) => {
                let i = i.index(body.len());
                body.truncate(i);
            }
        }
    }
    body
}

fn decode_all(body: &[u8]) {
    for status in [200, 400, 500] {
        let _ = decode_response::<Vec<Integration>>(status, Some("application/json"), body);
        let _ = decode_response::<Integration>(status, None, body);
        let _ = decode_response::<Vec<Provider>>(status, None, body);
        let _ = decode_response::<Permission>(status, Some("text/html"), body);
    }
    // The v2 models (scalar-or-array lists, birthdays, expansions) and
    // event data.
    let _ = decode_response::<Vec<Person>>(200, None, body);
    let _ = decode_response::<Vec<School>>(200, None, body);
    let _ = decode_response::<Class>(200, None, body);
    let _ = decode_response::<Vec<District>>(200, None, body);
    let _ = serde_json::from_slice::<Agent>(body);
    if let Ok(page) = decode_response::<Vec<Event>>(200, None, body) {
        for event in &page.data {
            if let Err(e) = event.decode_data() {
                let _ = format!("{e} {e:?}");
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(body) {
        if let Err(e) = Filter::<Person>::from_json(text) {
            let _ = e.to_string();
        }
        if let Err(e) = Filter::<Person>::parse(text) {
            let _ = e.to_string();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_fixtures_never_panic(
        which in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let fixtures = common::all_fixtures();
        let (_, body) = &fixtures[which.index(fixtures.len())];
        let mutated = apply(body.clone(), &mutations);
        decode_all(&mutated);
        // Errors render (Display and Debug) without panicking either.
        if let Err(e) = decode_response::<Vec<Integration>>(200, None, &mutated) {
            let _ = format!("{e} {e:?}");
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_all(&body);
    }

    #[test]
    fn timestamp_parsing_never_panics(s in "\\PC{0,40}|[0-9Tt:.Zz+-]{0,40}") {
        if let Ok(t) = s.parse::<Timestamp>() {
            // Whatever parses writes a form that parses to the same instant.
            let written = t.to_string();
            prop_assert_eq!(written.parse::<Timestamp>().unwrap(), t);
        }
    }

    #[test]
    fn near_valid_dates_never_panic(
        y in 0u32..10000, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..62, s in 0u32..62,
        frac in "(\\.[0-9]{0,11})?", zone in "Z|z|[+-][0-9]{2}:[0-9]{2}|",
    ) {
        let input = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{zone}");
        let ours = input.parse::<Timestamp>();
        let theirs = time::OffsetDateTime::parse(&input, &time::format_description::well_known::Rfc3339);
        if let Ok(t) = &ours {
            // Anything we accept, `time` accepts as the same instant.
            prop_assert_eq!(Ok(t.as_offset_date_time()), theirs.map(|x| x.to_offset(time::UtcOffset::UTC)), "{}", input);
        }
    }
}
