//! `decode_response::<Vec<R>>` for every Graph resource `R` on any status,
//! content type and body. The first byte picks the resource; the rest is a
//! response as `edlink_fuzz::split_response` reads it.
//!
//! Properties:
//! - never panics;
//! - every decoded item serializes, decodes back equal (`PartialEq`: typed
//!   fields, open enums' unknown values, explicit nulls, unknown members) and
//!   serializes to the same bytes again;
//! - an error's `Display`/`Debug` never shows an `access_token` of the body.
#![no_main]

use edlink_fuzz::{assert_no_token_leak, assert_round_trip, distinctive_access_tokens, split_response};
use edlink_model::{
    Agent, Class, Course, District, Enrollment, Event, License, Person, School, Section, Session,
    decode_response,
};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

fn check<R>(data: &[u8])
where
    R: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let r = split_response(data);
    match decode_response::<Vec<R>>(r.status, r.content_type, r.body) {
        Ok(response) => response.data.iter().for_each(assert_round_trip),
        Err(err) => assert_no_token_leak(&err, &distinctive_access_tokens(r.body)),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    match pick % 11 {
        0 => check::<District>(rest),
        1 => check::<School>(rest),
        2 => check::<Session>(rest),
        3 => check::<Course>(rest),
        4 => check::<Class>(rest),
        5 => check::<Section>(rest),
        6 => check::<Person>(rest),
        7 => check::<Enrollment>(rest),
        8 => check::<Agent>(rest),
        9 => check::<License>(rest),
        _ => check::<Event>(rest),
    }
});
