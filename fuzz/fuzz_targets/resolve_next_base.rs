//! `Origin::new(base)` and `Origin::resolve(page, next)` with every argument
//! arbitrary: public functions of the model, so they must not panic whatever
//! the caller passes (a base URL from a config file, a server's `$next`), and
//! whatever `resolve` accepts is on the base's origin (or an https
//! subdomain), with no user info. The `paging` target covers well-formed
//! bases.
//!
//! Input: the bytes up to the first NUL are the base URL, the rest is `next`
//! (both lossy UTF-8).
#![no_main]

use edlink_model::Origin;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (base, next) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let base = String::from_utf8_lossy(base);
    let next = String::from_utf8_lossy(next);
    let Ok(origin) = Origin::new(&base) else {
        return;
    };
    for result in [origin.resolve(origin.base_url(), &next), origin.check(&next)] {
        if let Ok(url) = result {
            assert!(url.username().is_empty() && url.password().is_none(), "{url}");
            let host = url.host_str().unwrap_or_default().to_owned();
            let base_host = origin.host();
            let same = url.scheme() == origin.scheme() && host == base_host;
            let sub = url.scheme() == "https" && host.ends_with(&format!(".{base_host}"));
            assert!(same || sub, "{url} is off {}", origin.display());
        }
    }
});
