//! Every rule of a person's token lifecycle, on tokio's paused clock, against
//! the mock answering in process (its token expiry runs on the same clock):
//! the expiry read from `expires_in`, no refresh of a fresh set, the refresh
//! before expiry (the margin), the one refresh and repeat after a refusal
//! (fetches and every page), single flight over fifty tasks, every new set to
//! the callback, the typed sign-in-again error, a refresh that survives its
//! caller's cancellation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sso_support;

use std::sync::Arc;
use std::time::Duration;

use edlink_client::model::{Timestamp, TokenSet};
use edlink_client::{Error, ErrorCode, ErrorKind};
use edlink_mock::{Collection, Fault, MockServer, MyRoute, RefreshTokens, Relation, Route};
use futures_util::TryStreamExt;
use sso_support::{Rig, serial};

/// The same instant `sso_support::tokio_clock` started at, plus `secs`.
fn clock_at(secs: u64) -> Timestamp {
    let base: Timestamp = "2026-03-01T08:00:00.000Z".parse().unwrap();
    Timestamp::from(base.as_offset_date_time() + Duration::from_secs(secs))
}

fn server() -> edlink_mock::MockServerBuilder {
    MockServer::builder().generated(12, 5)
}

#[tokio::test(start_paused = true)]
async fn the_first_token_set_expires_after_its_expires_in_and_is_used_as_is() {
    let rig = Rig::new(server().person_token_ttl(Duration::from_secs(1800))).await;
    let tokens = rig.sign_in().await;
    // The expiry comes from `expires_in` (1800 s here, not an assumed 3600 s).
    assert_eq!(tokens.obtained_at(), Some(clock_at(0)));
    assert_eq!(tokens.expires_at(), Some(clock_at(1800)));
    assert_eq!(tokens.token_type(), Some("Bearer"));
    assert!(tokens.refresh_token().is_some());

    // A fresh set is not refreshed on first use (the Node SDK's first bug).
    let user = rig.sso.user(tokens).build();
    let me = user.profile().await.unwrap();
    assert_eq!(me.id, rig.person);
    assert_eq!(rig.token_requests().len(), 1, "only the exchange");
    let my = rig.my_requests();
    assert_eq!(my.len(), 1);
    assert_eq!(serial(&my[0]), Some(1));
}

#[tokio::test(start_paused = true)]
async fn a_token_is_refreshed_a_margin_before_it_expires_and_the_request_uses_the_new_one() {
    let rig = Rig::new(server().person_token_ttl(Duration::from_secs(1800))).await;
    let tokens = rig.sign_in().await;
    let user = rig
        .sso
        .user(tokens)
        .refresh_margin(Duration::from_secs(300))
        .build();

    // One second before the margin: no refresh.
    tokio::time::advance(Duration::from_secs(1800 - 300 - 1)).await;
    user.profile().await.unwrap();
    assert_eq!(rig.token_requests().len(), 1);

    // At the margin: refreshed first, and the request goes with the new token
    // (the Node SDK's second bug sent the old one).
    tokio::time::advance(Duration::from_secs(1)).await;
    user.profile().await.unwrap();
    assert_eq!(rig.token_requests().len(), 2);
    let serials: Vec<_> = rig.my_requests().iter().map(serial).collect();
    assert_eq!(serials, [Some(1), Some(2)]);
    // The new expiry comes from the answer's `expires_in` (the third bug assumed 3600 s).
    let refreshed = user.tokens();
    assert_eq!(refreshed.obtained_at(), Some(clock_at(1500)));
    assert_eq!(refreshed.expires_at(), Some(clock_at(1500 + 1800)));

    // So the next refresh comes 1500 s later, not 3300 s.
    tokio::time::advance(Duration::from_secs(1499)).await;
    user.profile().await.unwrap();
    assert_eq!(rig.token_requests().len(), 2);
    tokio::time::advance(Duration::from_secs(1)).await;
    user.profile().await.unwrap();
    assert_eq!(rig.token_requests().len(), 3);
}

/// A token the server refuses (expired on demand while the client thinks it
/// fine) is refreshed once, and the request goes again with the new token;
/// whichever status the server uses for it.
#[tokio::test(start_paused = true)]
async fn a_refused_token_is_refreshed_once_and_the_request_sent_again() {
    for status in [401, 400] {
        let rig = Rig::new(server().expired_token_status(status)).await;
        let (user, collected) = rig.user().await;
        user.profile().await.unwrap();
        rig.server.expire_person_tokens();

        let me = user.profile().await.unwrap();
        assert_eq!(me.id, rig.person);
        let my = rig.my_requests();
        let seen: Vec<_> = my.iter().map(|r| (serial(r), r.status)).collect();
        assert_eq!(
            seen,
            [
                (Some(1), Some(200)),
                (Some(1), Some(status)),
                (Some(2), Some(200))
            ],
            "HTTP {status}"
        );
        assert_eq!(rig.token_requests().len(), 2);
        assert_eq!(collected.sets().len(), 1);
        assert_eq!(collected.sets()[0], user.tokens());
    }
}

#[tokio::test(start_paused = true)]
async fn every_page_of_a_listing_is_refreshed_and_repeated_the_same_way() {
    let rig = Rig::new(server()).await;
    let (user, _) = rig.user().await;
    let expected = rig
        .server
        .graph(rig.integration)
        .unwrap()
        .nested_ids(Collection::People, rig.person, Relation::Classes)
        .unwrap();
    assert!(expected.len() >= 3, "{} classes", expected.len());

    // Lazy, so that page 2 is surely asked for after the token expires (one page
    // ahead, its request may leave while page 1 decodes).
    let mut pages = user.classes().list().first(1).prefetch(0).pages();
    let first = pages.try_next().await.unwrap().unwrap();
    // The token expires between two pages.
    rig.server.expire_person_tokens();
    let mut ids: Vec<_> = first.items.iter().map(|c| c.id).collect();
    while let Some(page) = pages.try_next().await.unwrap() {
        ids.extend(page.items.iter().map(|c| c.id));
    }
    assert_eq!(ids, expected);

    let my = rig.my_requests();
    assert_eq!(my[1].status, Some(401));
    assert_eq!(serial(&my[1]), Some(1));
    // The refused page is asked again, with the same URL and the new token.
    assert_eq!(my[2].path_and_query(), my[1].path_and_query());
    assert_eq!((serial(&my[2]), my[2].status), (Some(2), Some(200)));
    assert!(my[2..].iter().all(|r| serial(r) == Some(2)));
    assert_eq!(my.len(), expected.len() + 1);
    assert_eq!(rig.token_requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_second_refusal_after_the_refresh_is_the_error() {
    let rig = Rig::new(server()).await;
    let (user, _) = rig.user().await;
    let route = Route::My(MyRoute::Profile);
    rig.server.faults().fail_next(route, 2, Fault::Status(401));
    let err = user.profile().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.status(), Some(401));
    // Sent, refused, refreshed once, sent again, refused: no second refresh.
    assert_eq!(rig.my_requests().len(), 2);
    assert_eq!(rig.token_requests().len(), 2);
}

/// Fifty tasks find the token expired at the same moment: exactly one refresh
/// request, and all fifty requests carry the new token; none the stale one.
#[tokio::test(start_paused = true)]
async fn fifty_tasks_on_an_expired_token_make_one_refresh_and_no_stale_request() {
    let rig = Rig::new(server()).await;
    let (user, collected) = rig.user().await;
    // Both clocks move past the expiry: the client knows the token is stale.
    tokio::time::advance(Duration::from_secs(3600)).await;

    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (user, barrier) = (user.clone(), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                user.profile().await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().id, rig.person);
    }
    assert_eq!(
        rig.token_requests().len(),
        2,
        "the exchange and one refresh"
    );
    let my = rig.my_requests();
    assert_eq!(my.len(), 50);
    assert!(
        my.iter()
            .all(|r| serial(r) == Some(2) && r.status == Some(200))
    );
    assert_eq!(collected.sets().len(), 1);
}

/// The same when only the server knows the token expired: every task may send
/// it once and be refused, but one refresh serves them all, and each repeats
/// its request with the new token.
#[tokio::test(start_paused = true)]
async fn fifty_tasks_refused_at_once_share_one_refresh() {
    let rig = Rig::new(server()).await;
    let (user, collected) = rig.user().await;
    rig.server.expire_person_tokens();

    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (user, barrier) = (user.clone(), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                user.profile().await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(rig.token_requests().len(), 2);
    let my = rig.my_requests();
    let stale: Vec<_> = my.iter().filter(|r| serial(r) == Some(1)).collect();
    let fresh: Vec<_> = my.iter().filter(|r| serial(r) == Some(2)).collect();
    assert!(!stale.is_empty() && stale.iter().all(|r| r.status == Some(401)));
    assert_eq!(fresh.len(), 50);
    assert!(fresh.iter().all(|r| r.status == Some(200)));
    assert_eq!(collected.sets().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_callback_sees_every_new_token_set_in_order() {
    for policy in [
        RefreshTokens::Same,
        RefreshTokens::Rotate,
        RefreshTokens::Omit,
    ] {
        let rig = Rig::new(server().refresh_tokens(policy)).await;
        let first = rig.sign_in().await;
        let collected = sso_support::Collected::default();
        let sink = collected.clone();
        let user = rig
            .sso
            .user(first.clone())
            .on_refresh(move |t| sink.0.lock().unwrap().push(t.clone()))
            .build();
        let mut used = Vec::new();
        for round in 0..3 {
            if round == 1 {
                // A refusal, not the clock, triggers this one.
                rig.server.expire_person_tokens();
            } else {
                tokio::time::advance(Duration::from_secs(3600)).await;
            }
            user.profile().await.unwrap();
            used.push(user.tokens());
        }
        let sets = collected.sets();
        assert_eq!(sets, used, "{policy:?}");
        let mut access: Vec<_> = sets
            .iter()
            .map(|t| t.access_token().expose_secret().to_owned())
            .collect();
        access.push(first.access_token().expose_secret().to_owned());
        access.sort();
        access.dedup();
        assert_eq!(access.len(), 4, "{policy:?}: four distinct access tokens");
        let refresh: Vec<_> = sets
            .iter()
            .map(|t| t.refresh_token().unwrap().expose_secret())
            .collect();
        let original = first.refresh_token().unwrap().expose_secret();
        match policy {
            // Kept when none came back, or the same came back.
            RefreshTokens::Same | RefreshTokens::Omit => {
                assert!(refresh.iter().all(|r| *r == original), "{policy:?}")
            }
            // A rotated one is used for the next refresh (the old one is revoked).
            _ => {
                assert!(refresh.iter().all(|r| *r != original));
                assert_ne!(refresh[0], refresh[1]);
                assert_ne!(refresh[1], refresh[2]);
            }
        }
        let my = rig.my_requests();
        assert_eq!(serial(my.last().unwrap()), Some(4), "{policy:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_refused_refresh_token_means_sign_in_again() {
    let rig = Rig::new(server()).await;
    let (user, collected) = rig.user().await;
    rig.server.revoke_refresh_tokens();
    tokio::time::advance(Duration::from_secs(3600)).await;

    let err = user.profile().await.unwrap_err();
    assert!(err.is_sign_in_required(), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::SignInRequired);
    assert!(
        err.to_string().contains("sign in with Edlink again"),
        "{err}"
    );
    assert!(matches!(err, Error::SignInRequired { .. }));
    let source = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<Error>())
        .unwrap();
    assert!(source.has_code(ErrorCode::InvalidToken), "{source:?}");
    assert!(err.chain().contains("revoked"), "{}", err.chain());
    assert!(collected.sets().is_empty());
    // No request went out with the expired token.
    assert!(rig.my_requests().is_empty());

    // The session has ended: later calls fail the same way, without a request.
    let count = rig.server.request_count();
    let again = user.classes().list().collect_all().await.unwrap_err();
    assert!(again.is_sign_in_required());
    assert!(user.refresh().await.unwrap_err().is_sign_in_required());
    assert_eq!(rig.server.request_count(), count);

    // Refreshing the set outside a session says the same.
    let direct = rig.sso.refresh(&user.tokens()).await.unwrap_err();
    assert!(direct.is_sign_in_required());
    // A set without a refresh token cannot be refreshed: no request at all.
    let count = rig.server.request_count();
    let bare = rig
        .sso
        .user(TokenSet::new(user.tokens().access_token().clone()))
        .build();
    assert!(bare.refresh().await.unwrap_err().is_sign_in_required());
    assert_eq!(rig.server.request_count(), count);
}

#[tokio::test(start_paused = true)]
async fn a_refresh_that_fails_in_a_way_that_may_pass_keeps_the_session() {
    let rig = Rig::new(server()).await;
    let (user, collected) = rig.user().await;
    tokio::time::advance(Duration::from_secs(3600)).await;
    rig.server
        .faults()
        .fail_next(Route::Token, 1, Fault::Status(503));
    let err = user.profile().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(!err.is_sign_in_required());
    // A token request is not sent again once it may have reached the server.
    assert_eq!(rig.token_requests().len(), 2);
    assert!(rig.my_requests().is_empty());

    user.profile().await.unwrap();
    assert_eq!(rig.token_requests().len(), 3);
    assert_eq!(collected.sets().len(), 1);
    // The mock issued token 2 before its 503 replaced the answer (a refresh
    // that reached the server and whose answer was lost): the session uses 3.
    assert_eq!(serial(&rig.my_requests()[0]), Some(3));
}

/// The caller that started a refresh is cancelled mid-way: the refresh still
/// finishes, the new set is stored and handed to the callback, and nobody
/// refreshes again.
#[tokio::test(start_paused = true)]
async fn a_cancelled_caller_does_not_lose_the_refreshed_token_set() {
    let rig = Rig::new(server()).await;
    let (user, collected) = rig.user().await;
    tokio::time::advance(Duration::from_secs(3600)).await;
    rig.server
        .faults()
        .fail_next(Route::Token, 1, Fault::Delay(Duration::from_secs(10)));

    let caller = tokio::spawn({
        let user = user.clone();
        async move { user.profile().await }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    caller.abort();
    assert!(caller.await.unwrap_err().is_cancelled());
    assert!(
        collected.sets().is_empty(),
        "the refresh is still in flight"
    );

    tokio::time::sleep(Duration::from_secs(20)).await;
    assert_eq!(collected.sets().len(), 1);
    assert_eq!(collected.sets()[0], user.tokens());
    user.profile().await.unwrap();
    assert_eq!(rig.token_requests().len(), 2);
    assert_eq!(serial(&rig.my_requests()[0]), Some(2));
}

/// A set without a refresh token is used until it has expired (there is no
/// refresh to make early); then the person must sign in again, and no request
/// goes out with the expired token.
#[tokio::test(start_paused = true)]
async fn a_set_without_a_refresh_token_is_used_until_it_expires() {
    let rig = Rig::new(server()).await;
    let signed_in = rig.sign_in().await;
    let bare = TokenSet::new(signed_in.access_token().clone())
        .expiring(clock_at(0), Duration::from_secs(3600));
    let user = rig.sso.user(bare).build();
    tokio::time::advance(Duration::from_secs(3599)).await;
    user.profile().await.unwrap();
    assert_eq!(rig.token_requests().len(), 1, "only the exchange");
    tokio::time::advance(Duration::from_secs(1)).await;
    let err = user.profile().await.unwrap_err();
    assert!(err.is_sign_in_required(), "{err}");
    assert!(err.to_string().contains("no refresh token"), "{err}");
    assert_eq!(rig.my_requests().len(), 1);
    assert_eq!(rig.token_requests().len(), 1);
}
