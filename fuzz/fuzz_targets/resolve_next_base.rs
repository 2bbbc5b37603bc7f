//! `resolve_next(collection_url, next)` with both arguments arbitrary: a
//! public function of the model, so it must not panic whatever the caller
//! passes (a base URL without a scheme from a config file, say). The
//! `paging` target covers it with well-formed collection URLs.
//!
//! Input: the bytes up to the first NUL are the collection URL, the rest is
//! `next` (both lossy UTF-8).
#![no_main]

use edlink_model::resolve_next;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (base, next) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let base = String::from_utf8_lossy(base);
    let next = String::from_utf8_lossy(next);
    let resolved = resolve_next(&base, &next);
    let _ = resolved.len();
});
