//! Sign-in with Edlink end to end: the client's default `HyperTransport`
//! against `edlink-mock` on `http://127.0.0.1`, on a multi-threaded runtime.
//! The login page (a redirect with a code), the exchange, the User API, fifty
//! concurrent tasks on a stale token (one refresh, no stale request), fifty on
//! a token the server refuses (one refresh, every request repeated), a
//! revoked refresh token, a declined sign-in. No test touches the internet.
#![cfg(feature = "hyper")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use edlink_client::model::auth::RedirectError;
use edlink_client::model::{LoginState, Timestamp};
use edlink_client::{Client, ErrorKind, HyperTransport, Transport, User};
use edlink_mock::{Collection, LoggedRequest, MockServer, Relation, Route};
use futures_util::future::join_all;

const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// Follows the login URL like a browser would, once: the mock's login page
/// answers with a redirect to `redirect_uri`; the query of its `Location`.
async fn visit(url: &str) -> String {
    let transport = HyperTransport::new();
    let request = http::Request::get(url).body(Bytes::new()).unwrap();
    let response = transport.send(request).await.unwrap();
    assert_eq!(response.status(), 302, "{:?}", response.body());
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    location.split_once('?').unwrap().1.to_owned()
}

fn of_route(server: &MockServer, pick: impl Fn(&LoggedRequest) -> bool) -> Vec<LoggedRequest> {
    server.requests().into_iter().filter(|r| pick(r)).collect()
}

/// Fifty tasks read the profile at the same moment.
async fn fifty_profiles(user: &User) {
    let barrier = Arc::new(tokio::sync::Barrier::new(50));
    let tasks = (0..50).map(|_| {
        let (user, barrier) = (user.clone(), Arc::clone(&barrier));
        tokio::spawn(async move {
            barrier.wait().await;
            user.profile().await
        })
    });
    for result in join_all(tasks).await {
        result.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_in_read_and_refresh_over_http() {
    let server = MockServer::builder()
        .generated(12, 5)
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    // The client's clock, moved on by the test to make the token look stale.
    let offset = Arc::new(AtomicU64::new(0));
    let sso = client
        .sso(server.sso_client_id(), server.sso_client_secret())
        .clock({
            let offset = Arc::clone(&offset);
            move || {
                let later = Duration::from_secs(offset.load(Ordering::SeqCst));
                Timestamp::from(Timestamp::now().as_offset_date_time() + later)
            }
        });

    // The login page, the redirect back, the state check, the exchange.
    let state = LoginState::generate().unwrap();
    let url = sso.login_url(REDIRECT, &state).unwrap();
    assert!(
        url.as_str()
            .starts_with(&format!("{}/sso/login?", server.base_url()))
    );
    let code = state.check_redirect(&visit(url.as_str()).await).unwrap();
    let tokens = sso.exchange_code(code, REDIRECT).await.unwrap();
    let user = sso.user(tokens).build();

    // Whom the login page signed in (its default: the first teacher of the
    // first active integration), and their data.
    let me = user.profile().await.unwrap();
    let integration = user.integration().await.unwrap();
    assert_eq!(
        server.person_with_role(integration.id, "teacher"),
        Some(me.id)
    );
    let graph = server.graph(integration.id).unwrap();
    let classes = user.classes().list().first(2).collect_all().await.unwrap();
    let expected = graph
        .nested_ids(Collection::People, me.id, Relation::Classes)
        .unwrap();
    assert_eq!(classes.iter().map(|c| c.id).collect::<Vec<_>>(), expected);
    let students = user
        .classes()
        .students(classes[0].id)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        students.iter().map(|s| s.id).collect::<Vec<_>>(),
        graph
            .nested_ids(Collection::Classes, classes[0].id, Relation::Students)
            .unwrap()
    );
    assert!(user.source().await.unwrap().name.is_some());
    let is_token = |r: &LoggedRequest| r.route == Route::Token;
    assert_eq!(of_route(&server, is_token).len(), 1);

    // The client's clock passes the expiry: fifty tasks, one refresh, and no
    // request with the stale token.
    server.clear_requests();
    offset.store(3600, Ordering::SeqCst);
    fifty_profiles(&user).await;
    assert_eq!(of_route(&server, is_token).len(), 1);
    let my = of_route(&server, |r| r.route.is_my());
    assert_eq!(my.len(), 50);
    assert!(
        my.iter()
            .all(|r| r.credential.person_token() == Some(2) && r.status == Some(200))
    );

    // The server expires the token while the client thinks it fine: one
    // refresh for all fifty, each request repeated with the new token.
    server.clear_requests();
    server.expire_person_tokens();
    fifty_profiles(&user).await;
    assert_eq!(of_route(&server, is_token).len(), 1);
    let my = of_route(&server, |r| r.route.is_my());
    let stale = my.iter().filter(|r| r.credential.person_token() == Some(2));
    assert!(stale.clone().count() >= 1);
    assert!(stale.into_iter().all(|r| r.status == Some(401)));
    let fresh: Vec<_> = my
        .iter()
        .filter(|r| r.credential.person_token() == Some(3))
        .collect();
    assert_eq!(fresh.len(), 50);
    assert!(fresh.iter().all(|r| r.status == Some(200)));

    // The refresh token is revoked: sign in again.
    server.revoke_refresh_tokens();
    server.expire_person_tokens();
    let err = user.profile().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignInRequired);

    // A person who declines: the redirect says so, with the state.
    let state = LoginState::generate().unwrap();
    let url = sso.login_url(REDIRECT, &state).unwrap();
    let query = visit(&format!("{url}&decline=true")).await;
    assert_eq!(
        state.check_redirect(&query).unwrap_err(),
        RedirectError::Declined
    );
    server.shutdown().await;
}
