//! The paging parameters and the sans-IO paginator.
//!
//! Properties:
//! - `parse_id` never panics, and what it accepts is exactly the 8-4-4-4-12
//!   hex shape, which it gives back (up to case) when formatted;
//! - `ListParams::validate` never panics, refuses `$first` with `$last`, and
//!   what it accepts has a page size in `1..=MAX_PAGE_SIZE`;
//! - `Origin::resolve(base, next)` never panics, and what it accepts is on the
//!   base's origin (or an https subdomain), with no user info;
//! - a listing driven by an arbitrary server (pages of any size, ids and
//!   `$next` values from small pools, expired cursors) never panics, never
//!   hands out a URL it already requested, reports a loop only for a URL it
//!   did request, gives up on expired cursors only after
//!   `MAX_RESUMES_WITHOUT_PROGRESS` resumes with no item in between, reports
//!   `NoProgress` only after `MAX_EMPTY_PAGES_IN_A_ROW` empty pages, never
//!   hands out a URL off the origin (`OffOrigin` instead), and ends within a
//!   bound set by the pools' sizes.
#![no_main]

use std::collections::HashSet;

use edlink_model::{
    ListParams, MAX_EMPTY_PAGES_IN_A_ROW, MAX_PAGE_SIZE, MAX_RESUMES_WITHOUT_PROGRESS, Origin,
    PageOutcome, Paginator, PagingError, ParamError, parse_id,
};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

/// Base URLs and collection paths.
const BASES: &[(&str, &str)] = &[
    ("https://ed.link", "/api/v1/integrations"),
    ("https://ed.link/", "/api/v2/graph/people"),
    ("https://ed.link", ""),
    ("http://127.0.0.1:8080", "/api/v1/integrations"),
    ("https://xn--d-8ga.example/é", "/ß"),
    ("https://[::1]:9443/a/b", "/c/"),
];

/// `$next` values a test server sends: relative and absolute, blank, the
/// first page again, other hosts.
const NEXTS: &[Option<&str>] = &[
    None,
    Some("?$cursor=a"),
    Some("?$cursor=b"),
    Some(""),
    Some("   "),
    Some(" ?$cursor=a "),
    Some("/api/v1/integrations?$cursor=a"),
    Some("https://ed.link/api/v1/integrations?$cursor=a"),
    Some("//ed.link/api/v1/integrations?$cursor=b"),
    Some("page2"),
    Some("../x?$cursor=c"),
    Some("https://ed.link/api/v1/integrations?$first=2"),
    Some("https://ed.link/api/v1/integrations?$first=1000"),
    Some("mailto:x"),
    Some("https://evil.example/steal"),
];

const IDS: &[Option<u128>] = &[None, Some(0), Some(1), Some(2), Some(u128::MAX)];

fn number(u: &mut Unstructured<'_>) -> Result<Option<u64>> {
    Ok(match u.int_in_range(0u8..=3)? {
        0 => None,
        1 => Some(u64::from(u.int_in_range(0u16..=10_002)?)),
        2 => Some(*u.choose(&[
            0,
            1,
            2,
            3,
            999,
            1000,
            1001,
            9_999,
            10_000,
            10_001,
            u64::from(u32::MAX) + 1,
            u64::MAX,
        ])?),
        _ => Some(u.arbitrary()?),
    })
}

fn check_parse_id(s: &str) {
    let shape = s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    match parse_id("$after", s) {
        Ok(id) => {
            assert!(shape, "accepted {s:?}");
            assert!(
                id.hyphenated().to_string().eq_ignore_ascii_case(s),
                "{s:?} -> {id}"
            );
        }
        Err(e) => {
            assert!(!shape, "refused {s:?}: {e}");
            assert!(
                matches!(e, ParamError::InvalidUuid { name: "$after", .. }),
                "{e:?}"
            );
            let _ = e.to_string();
        }
    }
}

fn check_params(u: &mut Unstructured<'_>) -> Result<ListParams> {
    let (first, last) = (number(u)?, number(u)?);
    let mut p = ListParams::new();
    if let Some(n) = first {
        p = p.first(n);
    }
    if let Some(n) = last {
        p = p.last(n);
    }
    if u.arbitrary()? {
        p = p.after(Uuid::from_u128(u.arbitrary()?));
    }
    if u.arbitrary()? {
        p = p.before(Uuid::from_u128(u.arbitrary()?));
    }
    match p.validate() {
        Ok(v) => {
            assert!(
                first.is_none() || last.is_none(),
                "accepted $first with $last"
            );
            let size = v.direction().page_size();
            assert!((1..=MAX_PAGE_SIZE).contains(&size), "page size {size}");
            let q = v.to_query();
            assert!(q.starts_with("$first=") || q.starts_with("$last="), "{q}");
        }
        Err(e) => {
            if first.is_some() && last.is_some() {
                assert_eq!(e, ParamError::FirstAndLast);
            }
            let _ = e.to_string();
        }
    }
    Ok(p)
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let s: &str = u.arbitrary()?;
    check_parse_id(s);

    let params = check_params(u)?;

    let (base, path) = *u.choose(BASES)?;
    let origin = Origin::new(base).expect("the bases are valid");
    let next: &str = u.arbitrary()?;
    if let Ok(url) = origin.resolve(&origin.join(path), next) {
        assert!(url.username().is_empty() && url.password().is_none(), "{url}");
        let host = url.host_str().unwrap_or_default();
        let base_host = origin.host();
        let same = url.scheme() == origin.scheme() && host == base_host;
        let sub = url.scheme() == "https" && host.ends_with(&format!(".{base_host}"));
        assert!(same || sub, "{url} is off {}", origin.display());
    }

    // A listing against a server that answers anything from the pools.
    let params = params.validate().unwrap_or_else(|_| {
        ListParams::new()
            .validate()
            .expect("the default parameters are valid")
    });
    let mut p = Paginator::new(&origin, path, params.clone());
    let mut seen = HashSet::from([p.first_url().to_owned()]);
    let size = u64::from(params.direction().page_size());
    // Every `Ok(Some(url))` from advance is a URL never requested before, taken
    // from at most NEXTS.len() resolved values and IDS.len() `$after` URLs;
    // between two pages with items at most MAX_RESUMES_WITHOUT_PROGRESS resumes
    // succeed.
    let max_advances = NEXTS.len() + IDS.len() + 1;
    let max_steps = (max_advances + 1) * (MAX_RESUMES_WITHOUT_PROGRESS as usize + 2);
    let mut resumes_in_a_row = 0u32;
    let mut empty_in_a_row = 0u32;
    let mut advances = 0usize;
    for step in 0.. {
        assert!(
            step <= max_steps,
            "the listing did not end after {step} steps"
        );
        if u.ratio(1u8, 8)? {
            // 400 INVALID_CURSOR.
            resumes_in_a_row += 1;
            match p.resume() {
                Ok(url) => {
                    assert!(resumes_in_a_row <= MAX_RESUMES_WITHOUT_PROGRESS);
                    seen.insert(url);
                }
                Err(PagingError::CursorKeepsExpiring { .. }) => {
                    assert!(resumes_in_a_row > MAX_RESUMES_WITHOUT_PROGRESS);
                    break;
                }
                Err(e) => panic!("resume: {e}"),
            }
            continue;
        }
        let items = match u.int_in_range(0u8..=5)? {
            0 => 0,
            1 => 1,
            2 => size.saturating_sub(1),
            3 => size,
            4 => size + 1,
            _ => u64::from(u.arbitrary::<u16>()?),
        } as usize;
        let last_id = u.choose(IDS)?.map(Uuid::from_u128);
        let next = *u.choose(NEXTS)?;
        let blank = next.is_none_or(|n| n.trim().is_empty());
        // Only a page with items is progress.
        if items > 0 {
            resumes_in_a_row = 0;
            empty_in_a_row = 0;
        } else {
            empty_in_a_row += 1;
        }
        let pages_before = p.pages();
        let result = p.advance(PageOutcome {
            items,
            last_id,
            next,
        });
        assert_eq!(p.pages(), pages_before + 1);
        match result {
            Ok(Some(url)) => {
                advances += 1;
                assert!(advances <= max_advances, "{advances} pages in one listing");
                assert!(seen.insert(url.clone()), "requested {url} twice");
            }
            Ok(None) => {
                assert!(blank, "ended with $next {next:?}");
                assert!((items as u64) < size, "ended after a full page");
                break;
            }
            Err(PagingError::Loop { url }) => {
                assert!(seen.contains(&url), "a loop on {url}, never requested");
                break;
            }
            Err(PagingError::MissingId) => {
                assert!(blank && last_id.is_none() && items as u64 >= size);
                break;
            }
            Err(PagingError::NoProgress { empty_pages }) => {
                assert!(items == 0 && empty_in_a_row >= MAX_EMPTY_PAGES_IN_A_ROW);
                assert_eq!(empty_pages, empty_in_a_row);
                break;
            }
            Err(PagingError::OffOrigin(refused)) => {
                assert!(!blank, "refused a blank $next: {refused}");
                break;
            }
            Err(e) => panic!("advance: {e}"),
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
