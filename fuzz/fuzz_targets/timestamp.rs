//! `Timestamp` from any string, through `FromStr` and through serde (a JSON
//! string, escapes included).
//!
//! Properties:
//! - never panics;
//! - a parsed timestamp's `Display` parses back to the same instant with the
//!   same number of fractional digits, and writes the same text again;
//!   `Serialize` writes that text as a JSON string, which decodes back equal;
//! - a date already in Edlink's form (`…T…Z`, 3 to 9 fractional digits)
//!   writes back byte for byte;
//! - whatever the hand-written parser accepts, the `time` crate's RFC 3339
//!   parser accepts too, with the same instant;
//! - an error echoes at most 64 characters of the value.
#![no_main]

use edlink_model::Timestamp;
use libfuzzer_sys::fuzz_target;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn check(input: &str, t: Timestamp) {
    let text = t.to_string();
    let digits = usize::from(t.fractional_digits());
    assert!((3..=9).contains(&digits), "{digits} fractional digits");
    assert_eq!(text.len(), 21 + digits, "{input:?} wrote {text:?}");
    let back: Timestamp = match text.parse() {
        Ok(back) => back,
        Err(e) => panic!("{input:?} wrote {text:?}, which does not parse: {e}"),
    };
    assert_eq!(back, t, "{input:?} wrote {text:?}");
    assert_eq!(back.fractional_digits(), t.fractional_digits());
    assert_eq!(back.to_string(), text);

    let json = serde_json::to_string(&t).expect("serializing a timestamp");
    assert_eq!(json, format!("\"{text}\""));
    let from_json: Timestamp = serde_json::from_str(&json).expect("decoding a written timestamp");
    assert_eq!(from_json, t);

    let b = input.as_bytes();
    let edlink_form = b.len() >= 24
        && b[10] == b'T'
        && b[19] == b'.'
        && b[b.len() - 1] == b'Z'
        && b[20..b.len() - 1].iter().all(u8::is_ascii_digit);
    if edlink_form {
        assert_eq!(
            text, input,
            "a date in Edlink's form did not write back as it came"
        );
    }

    // The `time` crate's RFC 3339 parser only knows `T`/`Z` in upper case.
    let upper = input.to_ascii_uppercase();
    match OffsetDateTime::parse(&upper, &Rfc3339) {
        Ok(reference) => assert_eq!(
            t.as_offset_date_time(),
            reference,
            "{input:?}: a different instant than the time crate's"
        ),
        Err(e) => panic!("{input:?} accepted, but the time crate refuses it: {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = std::str::from_utf8(data) {
        match input.parse::<Timestamp>() {
            Ok(t) => check(input, t),
            Err(e) => {
                assert!(e.value().chars().count() <= 64);
                let _ = e.to_string();
            }
        }
    }
    // Through serde: the input as a JSON value (a string with escapes, or not a string).
    if let Ok(t) = serde_json::from_slice::<Timestamp>(data) {
        let s: String =
            serde_json::from_slice(data).expect("a timestamp decodes from a JSON string");
        check(&s, t);
    }
});
