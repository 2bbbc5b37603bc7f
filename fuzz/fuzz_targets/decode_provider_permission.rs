//! `serde_json::from_slice` into `Provider` and into `Permission`, on the
//! same bytes.
//!
//! Properties: never panics; a decoded value serializes, decodes back equal
//! (`PartialEq`) and serializes to the same bytes again; its `Debug` never
//! shows an `access_token` of the input (e.g. one nested in an unknown key).
#![no_main]

use edlink_fuzz::{assert_debug_hides_tokens, assert_round_trip, distinctive_access_tokens};
use edlink_model::{Permission, Provider};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let provider = serde_json::from_slice::<Provider>(data).ok();
    let permission = serde_json::from_slice::<Permission>(data).ok();
    if provider.is_none() && permission.is_none() {
        return;
    }
    let tokens = distinctive_access_tokens(data);
    if let Some(provider) = provider {
        assert_round_trip(&provider);
        assert_debug_hides_tokens(&provider, &tokens);
    }
    if let Some(permission) = permission {
        assert_round_trip(&permission);
        assert_debug_hides_tokens(&permission, &tokens);
    }
});
