//! `decode_response::<serde_json::Value>` on any status, content type and body
//! (first byte: status, second: content type; see `edlink_fuzz::split_response`).
//!
//! Properties:
//! - never panics;
//! - `Ok` only for a 2xx status and a body that is JSON (syntax);
//! - an error reports the status it was given, and its body excerpt holds at
//!   most `EXCERPT_CHARS` characters plus an ellipsis;
//! - an error's `Display`/`Debug` never contains the value of an
//!   `access_token` key of the body (when the body is JSON; see
//!   `edlink_fuzz::distinctive_access_tokens` for which values are checked).
#![no_main]

use edlink_fuzz::{assert_no_token_leak, distinctive_access_tokens, split_response};
use edlink_model::{EXCERPT_CHARS, ResponseError, decode_response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let r = split_response(data);
    match decode_response::<serde_json::Value>(r.status, r.content_type, r.body) {
        Ok(_) => {
            assert!((200..300).contains(&r.status), "Ok on HTTP {}", r.status);
            // Syntax only: serde_json skips unknown members without checking
            // their strings' UTF-8 or surrogate escapes (finding F4), so a
            // body `Value` refuses can still decode.
            assert!(
                serde_json::from_slice::<serde::de::IgnoredAny>(r.body).is_ok(),
                "Ok for a body that is not JSON"
            );
        }
        Err(err) => {
            assert_eq!(err.status(), r.status);
            let _ = err.request_id();
            if let ResponseError::Api { errors, .. } = &err {
                assert!(!errors.is_empty(), "an Api error without $errors");
            }
            match &err {
                ResponseError::Status { excerpt, .. }
                | ResponseError::NotJson { excerpt, .. }
                | ResponseError::Malformed { excerpt, .. } => assert!(
                    excerpt.chars().count() <= EXCERPT_CHARS + 1,
                    "excerpt of {} characters",
                    excerpt.chars().count()
                ),
                _ => {}
            }
            assert_no_token_leak(&err, &distinctive_access_tokens(r.body));
        }
    }
});
