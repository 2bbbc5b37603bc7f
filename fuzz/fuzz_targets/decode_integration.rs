//! `serde_json::from_slice::<Integration>` on any bytes (one object, as in a
//! webhook payload or a stored export).
//!
//! Properties:
//! - never panics;
//! - a decoded integration serializes, decodes back equal (`PartialEq`) and
//!   serializes to the same bytes again;
//! - its `Debug` never shows an `access_token` of the input (the typed field
//!   or one nested in an unknown key).
#![no_main]

use edlink_fuzz::{assert_debug_hides_tokens, assert_round_trip, distinctive_access_tokens};
use edlink_model::Integration;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(integration) = serde_json::from_slice::<Integration>(data) {
        assert_round_trip(&integration);
        assert_debug_hides_tokens(&integration, &distinctive_access_tokens(data));
    }
});
