use super::*;
use crate::ListParams;

const BASE: &str = "https://ed.link/api/v1/integrations";

fn paginator(params: ListParams) -> Paginator {
    Paginator::new(BASE, params.validate().unwrap())
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

#[test]
fn next_wins_over_the_after_fallback() {
    let mut p = paginator(ListParams::new().first(2));
    let next = p
        .advance(PageOutcome {
            items: 2,
            last_id: Some(id(2)),
            next: Some("?$cursor=abc"),
        })
        .unwrap();
    assert_eq!(
        next.as_deref(),
        Some("https://ed.link/api/v1/integrations?$cursor=abc")
    );
}

#[test]
fn an_empty_page_with_next_is_followed() {
    let mut p = paginator(ListParams::new());
    let next = p
        .advance(PageOutcome {
            items: 0,
            last_id: None,
            next: Some("https://ed.link/x?$cursor=1"),
        })
        .unwrap();
    assert_eq!(next.as_deref(), Some("https://ed.link/x?$cursor=1"));
}

#[test]
fn a_short_page_without_next_ends_the_listing() {
    let mut p = paginator(ListParams::new().first(3));
    assert_eq!(
        p.advance(PageOutcome {
            items: 2,
            last_id: Some(id(9)),
            next: None
        })
        .unwrap(),
        None
    );
    let mut empty = paginator(ListParams::new());
    assert_eq!(
        empty
            .advance(PageOutcome {
                items: 0,
                last_id: None,
                next: None
            })
            .unwrap(),
        None
    );
}

#[test]
fn backward_listings_fall_back_to_before() {
    let mut p = paginator(ListParams::new().last(2));
    let next = p
        .advance(PageOutcome {
            items: 2,
            last_id: Some(id(5)),
            next: None,
        })
        .unwrap();
    assert_eq!(next, Some(format!("{BASE}?$last=2&$before={}", id(5))));
}

#[test]
fn a_full_page_without_ids_or_next_is_an_error() {
    let mut p = paginator(ListParams::new().first(1));
    let err = p
        .advance(PageOutcome {
            items: 1,
            last_id: None,
            next: None,
        })
        .unwrap_err();
    assert_eq!(err, PagingError::MissingId);
}

#[test]
fn loops_are_caught_including_back_to_the_first_url() {
    let mut p = paginator(ListParams::new().first(2));
    let first = p.first_url();
    let err = p
        .advance(PageOutcome {
            items: 2,
            last_id: Some(id(1)),
            next: Some(&first),
        })
        .unwrap_err();
    assert_eq!(err, PagingError::Loop { url: first });

    let mut p = paginator(ListParams::new());
    let a = "https://ed.link/api/v1/integrations?$cursor=a";
    let b = "https://ed.link/api/v1/integrations?$cursor=b";
    p.advance(PageOutcome {
        items: 1,
        last_id: None,
        next: Some(a),
    })
    .unwrap();
    p.advance(PageOutcome {
        items: 1,
        last_id: None,
        next: Some(b),
    })
    .unwrap();
    let err = p
        .advance(PageOutcome {
            items: 1,
            last_id: None,
            next: Some(a),
        })
        .unwrap_err();
    assert!(matches!(err, PagingError::Loop { .. }));
}

#[test]
fn a_relative_next_equal_to_an_absolute_one_is_a_loop() {
    let mut p = paginator(ListParams::new());
    p.advance(PageOutcome {
        items: 1,
        last_id: None,
        next: Some("?$cursor=a"),
    })
    .unwrap();
    let err = p
        .advance(PageOutcome {
            items: 1,
            last_id: None,
            next: Some("https://ed.link/api/v1/integrations?$cursor=a"),
        })
        .unwrap_err();
    assert!(matches!(err, PagingError::Loop { .. }));
}

#[test]
fn the_after_fallback_repeating_an_id_is_a_loop() {
    let mut p = paginator(ListParams::new().first(1));
    p.advance(PageOutcome {
        items: 1,
        last_id: Some(id(1)),
        next: None,
    })
    .unwrap();
    let err = p
        .advance(PageOutcome {
            items: 1,
            last_id: Some(id(1)),
            next: None,
        })
        .unwrap_err();
    assert!(matches!(err, PagingError::Loop { .. }));
}

#[test]
fn resume_continues_after_the_last_item_handed_out_with_the_original_parameters() {
    let mut p = paginator(ListParams::new().first(2));
    assert_eq!(p.resume().unwrap(), format!("{BASE}?$first=2"));
    p.advance(PageOutcome {
        items: 2,
        last_id: Some(id(4)),
        next: Some("?$cursor=x"),
    })
    .unwrap();
    assert_eq!(
        p.resume().unwrap(),
        format!("{BASE}?$first=2&$after={}", id(4))
    );
    assert_eq!(p.last_handed_out(), Some(id(4)));
}

#[test]
fn resume_keeps_a_caller_given_after_until_an_item_was_handed_out() {
    let start = id(100);
    let mut p = paginator(ListParams::new().first(2).after(start));
    assert_eq!(
        p.resume().unwrap(),
        format!("{BASE}?$first=2&$after={start}")
    );
}

#[test]
fn a_cursor_that_keeps_expiring_ends_the_listing() {
    let mut p = paginator(ListParams::new());
    for _ in 0..MAX_RESUMES_WITHOUT_PROGRESS {
        p.resume().unwrap();
    }
    assert!(matches!(
        p.resume(),
        Err(PagingError::CursorKeepsExpiring { .. })
    ));
    // A page with items in between resets the count.
    let mut p = paginator(ListParams::new());
    for _ in 0..10 {
        p.resume().unwrap();
        p.advance(PageOutcome {
            items: 1,
            last_id: None,
            next: Some(&format!("?c={}", p.pages())),
        })
        .unwrap();
    }
}

#[test]
fn resolution_forms() {
    let r = |n| resolve(BASE, n);
    assert_eq!(
        r("integrations?$cursor=1"),
        "https://ed.link/api/v1/integrations?$cursor=1"
    );
    assert_eq!(r("/x"), "https://ed.link/x");
    assert_eq!(r("//evil.example/x"), "https://evil.example/x");
    assert_eq!(r("HTTP://ed.link/x"), "HTTP://ed.link/x");
    assert_eq!(resolve("http://127.0.0.1:9", "?a"), "http://127.0.0.1:9?a");
    assert_eq!(resolve("http://127.0.0.1:9", "b"), "http://127.0.0.1:9/b");
}

#[test]
fn empty_pages_answering_resumes_do_not_reset_the_count() {
    let mut p = paginator(ListParams::new());
    let mut outcome = Ok(String::new());
    for n in 0..10 {
        outcome = p.resume();
        if outcome.is_err() {
            break;
        }
        p.advance(PageOutcome {
            items: 0,
            last_id: None,
            next: Some(&format!("?c={n}")),
        })
        .unwrap();
    }
    assert!(
        matches!(outcome, Err(PagingError::CursorKeepsExpiring { .. })),
        "{outcome:?}"
    );
}

#[test]
fn endless_empty_pages_with_fresh_cursors_end_the_listing() {
    let mut p = paginator(ListParams::new());
    let mut result = Ok(None);
    let mut pages = 0;
    while pages < 10 * MAX_EMPTY_PAGES_IN_A_ROW {
        pages += 1;
        result = p.advance(PageOutcome {
            items: 0,
            last_id: None,
            next: Some(&format!("?c={pages}")),
        });
        if result.is_err() {
            break;
        }
    }
    assert_eq!(pages, MAX_EMPTY_PAGES_IN_A_ROW);
    assert_eq!(
        result,
        Err(PagingError::NoProgress {
            empty_pages: MAX_EMPTY_PAGES_IN_A_ROW
        })
    );
    // A page with items in between starts the count again.
    let mut p = paginator(ListParams::new());
    for n in 0..(3 * MAX_EMPTY_PAGES_IN_A_ROW) {
        let items = usize::from(n % (MAX_EMPTY_PAGES_IN_A_ROW - 1) == 0);
        p.advance(PageOutcome {
            items,
            last_id: None,
            next: Some(&format!("?c={n}")),
        })
        .unwrap();
    }
}

#[test]
fn resolution_never_panics_on_a_base_without_a_scheme() {
    // Found by the `resolve_next_base` fuzz target: the base was sliced with the
    // length of a scheme it did not have.
    assert_eq!(resolve("", ""), "/");
    assert_eq!(
        resolve("ed.link/api/v1", "?$cursor=a"),
        "ed.link/api/v1?$cursor=a"
    );
    assert_eq!(resolve("ed.link/api/v1/integrations", "/x"), "ed.link/x");
    assert_eq!(resolve("é/ü", "x"), "é/x");
    assert_eq!(
        resolve("https://ed.link?q=1", "?c=2"),
        "https://ed.link?c=2"
    );
}
