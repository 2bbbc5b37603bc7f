//! `Filter::<R>::parse` (the `FIELD OPERATOR VALUE` text a CLI takes) and
//! `Filter::<R>::from_json` (the `$filter` JSON) on any text, for a resource
//! with text, date, enum and list fields (`Person`) and one with enums and
//! ids (`Enrollment`). The first byte picks the resource and the reader.
//!
//! Properties:
//! - never panics;
//! - a filter that was accepted encodes to JSON that `from_json` accepts and
//!   encodes to the same bytes (what the SDK sends, it would read back the
//!   same), and its query value is that JSON percent-encoded;
//! - a refusal says so in at most a few hundred characters whatever the
//!   input's size (the input is clipped in the message).
#![no_main]

use edlink_model::filter::{FilterError, Filterable};
use edlink_model::{Enrollment, Filter, Person};
use libfuzzer_sys::fuzz_target;

/// Longest refusal message: the clipped input plus the fixed text and the
/// names of the fields or operators it lists.
const MAX_MESSAGE: usize = 2_000;

fn check<R: Filterable>(text: &str, json: bool) {
    let read = if json {
        Filter::<R>::from_json(text)
    } else {
        Filter::<R>::parse(text)
    };
    match read {
        Ok(filter) => {
            let sent = filter.to_json();
            let back = match Filter::<R>::from_json(&sent) {
                Ok(back) => back,
                Err(e) => panic!("the encoded filter does not read back: {e}\n{sent}"),
            };
            assert_eq!(back.to_json(), sent, "the encoded filter changed on the way back");
            let _ = filter.to_query();
        }
        Err(err) => refusal(&err),
    }
}

fn refusal(err: &FilterError) {
    let message = err.to_string();
    assert!(!message.is_empty());
    assert!(
        message.chars().count() <= MAX_MESSAGE,
        "a refusal of {} characters",
        message.chars().count()
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match pick % 4 {
        0 => check::<Person>(text, false),
        1 => check::<Person>(text, true),
        2 => check::<Enrollment>(text, false),
        _ => check::<Enrollment>(text, true),
    }
});
