//! Property tests: the `Retry-After` parser never panics and reads both forms
//! exactly; the origin check never lets another host through.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use edlink_client::{Error, TestTransport, parse_retry_after};
use proptest::prelude::*;

fn epoch(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

proptest! {
    #[test]
    fn any_text_is_parsed_or_ignored_never_a_panic(text in "\\PC{0,40}", now in 0u64..4_000_000_000) {
        let _ = parse_retry_after(&text, epoch(now));
    }

    #[test]
    fn delay_seconds_read_exactly(n in any::<u64>(), pad in "[ \t]{0,2}") {
        let text = format!("{pad}{n}{pad}");
        prop_assert_eq!(parse_retry_after(&text, epoch(0)), Some(Duration::from_secs(n)));
    }

    #[test]
    fn http_dates_read_exactly(at in 0u64..253_402_300_799, now in 0u64..253_402_300_799) {
        let text = httpdate::fmt_http_date(epoch(at));
        let expected = Duration::from_secs(at.saturating_sub(now));
        prop_assert_eq!(parse_retry_after(&text, epoch(now)), Some(expected));
    }

    #[test]
    fn mutated_dates_never_panic(at in 0u64..4_000_000_000, i in 0usize..29, b in any::<u8>()) {
        let mut bytes = httpdate::fmt_http_date(epoch(at)).into_bytes();
        bytes[i] = b;
        let _ = parse_retry_after(&String::from_utf8_lossy(&bytes), epoch(0));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever `$next` a server sends, a request goes out only to ed.link or
    /// an https subdomain of it, never with user info. The alphabet has the
    /// classic bypasses: user info (`@`), backslashes, percent-encoded dots
    /// and at-signs, IPv6 literals, trailing dots, mixed case and ports.
    #[test]
    fn no_next_url_reaches_another_host(next in "(https?:|HTTPS:|hTtP:)?(//|\\\\|/\\\\|\\\\/)?([a-zA-Z0-9@:.%\\-\\[\\]\\\\]{0,12}(ed\\.link|ED\\.LINK|ed%2[eE]link|ed\\.link\\.|\\[::1\\])?[a-zA-Z0-9@:.%\\-\\\\]{0,8}(%40|@)?(evil\\.example)?)(:[0-9]{1,5})?([/\\\\][a-z$=?%.]{0,10})?") {
        let t = TestTransport::new();
        t.push_json(200, &page([1], Some(&next)));
        t.push_json(200, &page([2], None));
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let result = rt.block_on(client(&t).integrations().list().first(5).collect_all());
        for request in t.requests() {
            let host = request.uri.host().unwrap_or_default().to_ascii_lowercase();
            prop_assert!(host == "ed.link" || host.ends_with(".ed.link"), "sent to {}", request.uri);
            prop_assert_eq!(request.uri.scheme_str(), Some("https"));
            prop_assert!(!request.uri.authority().unwrap().as_str().contains('@'), "{}", request.uri);
            let port = request.uri.port_u16();
            prop_assert!(port.is_none() || port == Some(443), "{}", request.uri);
        }
        if let Err(err) = result {
            prop_assert!(matches!(err, Error::OffOrigin { .. } | Error::Paging { .. } | Error::Transport { .. }), "{err:?}");
        }
    }
}
