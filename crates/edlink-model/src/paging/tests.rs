use super::*;
use crate::ListParams;

const BASE: &str = "https://ed.link/api/v1/integrations";

fn origin() -> Origin {
    Origin::new("https://ed.link").unwrap()
}

fn paginator(params: ListParams) -> Paginator {
    Paginator::new(
        &origin(),
        "/api/v1/integrations",
        params.validate().unwrap(),
    )
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
    let first = p.first_url().to_owned();
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
fn relative_next_resolves_against_the_page_that_sent_it() {
    let mut p = paginator(ListParams::new());
    let next = p
        .advance(PageOutcome {
            items: 1,
            last_id: None,
            next: Some("integrations?$cursor=1"),
        })
        .unwrap();
    assert_eq!(
        next.as_deref(),
        Some("https://ed.link/api/v1/integrations?$cursor=1")
    );
    let next = p
        .advance(PageOutcome {
            items: 1,
            last_id: None,
            next: Some("/x"),
        })
        .unwrap();
    assert_eq!(next.as_deref(), Some("https://ed.link/x"));
}

#[test]
fn an_off_origin_next_is_an_error_never_a_url() {
    for hostile in [
        "//evil.example/x",
        "https://evil.example/api/v1/integrations?$cursor=a",
        "http://ed.link/api/v1/integrations?$cursor=a",
        "https://ed.link@evil.example/x",
        r"\\evil.example/x",
        "HTTP://ed.link/x",
    ] {
        let mut p = paginator(ListParams::new());
        let err = p
            .advance(PageOutcome {
                items: 1,
                last_id: None,
                next: Some(hostile),
            })
            .unwrap_err();
        assert!(
            matches!(err, PagingError::OffOrigin(_)),
            "{hostile}: {err:?}"
        );
        assert!(
            err.to_string().starts_with("refused to follow $next"),
            "{err}"
        );
    }
}

#[test]
fn extra_parameters_go_on_built_urls_never_on_next() {
    let params = ListParams::new().first(2).param(
        "$filter",
        r#"{"name":[{"operator":"starts with","value":"A b"}]}"#,
    );
    let mut p = paginator(params);
    let filter = "%24filter=%7B%22name%22%3A%5B%7B%22operator%22%3A%22starts%20with%22%2C%22value%22%3A%22A%20b%22%7D%5D%7D";
    let filter = filter.replace("%24", "$");
    assert_eq!(p.first_url(), format!("{BASE}?$first=2&{filter}"));
    let next = p
        .advance(PageOutcome {
            items: 2,
            last_id: Some(id(2)),
            next: Some("?$cursor=c"),
        })
        .unwrap();
    assert_eq!(
        next.as_deref(),
        Some("https://ed.link/api/v1/integrations?$cursor=c")
    );
    assert_eq!(
        p.resume().unwrap(),
        format!("{BASE}?$first=2&$after={}&{filter}", id(2))
    );
}

#[test]
fn continuing_from_a_next_value() {
    let params = ListParams::new().first(2).validate().unwrap();
    let mut p = Paginator::starting_at(
        &origin(),
        "/api/v1/integrations",
        params.clone(),
        "?$cursor=abc",
    )
    .unwrap();
    assert_eq!(
        p.first_url(),
        "https://ed.link/api/v1/integrations?$cursor=abc"
    );
    // Asking the same URL again is a loop, as in any listing.
    let err = p
        .advance(PageOutcome {
            items: 2,
            last_id: Some(id(1)),
            next: Some("https://ed.link/api/v1/integrations?$cursor=abc"),
        })
        .unwrap_err();
    assert!(matches!(err, PagingError::Loop { .. }));
    let err = Paginator::starting_at(
        &origin(),
        "/api/v1/integrations",
        params,
        "https://evil.example/x",
    )
    .unwrap_err();
    assert!(matches!(err, PagingError::OffOrigin(_)));
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
fn next_url_for_agrees_with_advance_and_records_nothing() {
    let mut p = paginator(ListParams::new().first(2));
    let a = "https://ed.link/api/v1/integrations?$cursor=a";
    assert_eq!(p.next_url_for(" ").unwrap(), None);
    assert_eq!(p.next_url_for(a).unwrap().as_deref(), Some(a));
    assert_eq!(
        p.next_url_for(a).unwrap().as_deref(),
        Some(a),
        "asking twice is no loop"
    );
    let page = |next| PageOutcome {
        items: 2,
        last_id: Some(id(2)),
        next: Some(next),
    };
    assert_eq!(p.advance(page(a)).unwrap().as_deref(), Some(a));
    // Relative to the page that sends it, like `advance`.
    let early = p.next_url_for("?$cursor=b").unwrap();
    assert_eq!(
        early.as_deref(),
        Some("https://ed.link/api/v1/integrations?$cursor=b")
    );
    assert!(matches!(p.next_url_for(a), Err(PagingError::Loop { .. })));
    assert!(matches!(
        p.next_url_for("//evil.example/api/v1/integrations"),
        Err(PagingError::OffOrigin(_))
    ));
    assert_eq!(p.advance(page("?$cursor=b")).unwrap(), early);
}
