//! `edlink_model::peek_next` on any bytes: the hand-written scan of a body's
//! edges that lets the client send the next page's request early.
//!
//! Properties:
//! - never panics;
//! - on a body that is a JSON object with one `"$next"` (as written), any
//!   answer is that member's string value: a value from inside an item is
//!   never read as the page's `$next`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let found = edlink_model::peek_next(data);
    let Some(found) = found else {
        return;
    };
    let Ok(serde_json::Value::Object(members)) = serde_json::from_slice(data) else {
        return; // Not JSON: the answer means nothing, and the page fails to decode.
    };
    let written = data.windows(7).filter(|w| w == b"\"$next\"").count();
    if written == 1 {
        assert_eq!(
            members.get("$next").and_then(|v| v.as_str()),
            Some(found.as_str()),
            "a $next that is not the envelope's"
        );
    }
});
