//! `decode_response::<Vec<Integration>>` on any status, content type and body
//! (first byte: status, second: content type; see `edlink_fuzz::split_response`).
//!
//! Properties:
//! - never panics;
//! - every decoded integration serializes, decodes back equal (`PartialEq`:
//!   typed fields, explicit nulls and unknown keys) and serializes to the same
//!   bytes again;
//! - neither the decoded value's `Debug` nor an error's `Display`/`Debug`
//!   shows an `access_token` of the body.
#![no_main]

use edlink_fuzz::{
    assert_debug_hides_tokens, assert_no_token_leak, assert_round_trip, distinctive_access_tokens,
    split_response,
};
use edlink_model::{Integration, decode_response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let r = split_response(data);
    let decoded = decode_response::<Vec<Integration>>(r.status, r.content_type, r.body);
    let tokens = distinctive_access_tokens(r.body);
    match decoded {
        Ok(response) => {
            for integration in &response.data {
                assert_round_trip(integration);
            }
            assert_debug_hides_tokens(&response, &tokens);
        }
        Err(err) => assert_no_token_leak(&err, &tokens),
    }
});
