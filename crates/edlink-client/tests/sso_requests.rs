//! The token endpoint's requests as sent (a `TestTransport` records them):
//! their shape, the rule that a token request is sent again only when no
//! connection was made, lenient answers, and which credential the User API's
//! requests carry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use edlink_client::model::{AuthorizationCode, Timestamp};
use edlink_client::{Client, ErrorKind, TestTransport};
use edlink_transport::{TransportError, TransportErrorKind};
use serde_json::{Value, json};

const APP_KEY: &str = "sk_app_key_0123456789";

fn client(t: &TestTransport) -> Client {
    Client::builder()
        .application_key(APP_KEY)
        .transport(t.clone())
        .build()
        .unwrap()
}

fn token_answer(access: &str) -> String {
    json!({"$data": {"access_token": access, "refresh_token": "rt-1", "token_type": "Bearer", "expires_in": 3600}, "$request": "r-t"})
        .to_string()
}

fn fixed_clock() -> impl Fn() -> Timestamp + Send + Sync + 'static {
    let base: Timestamp = "2026-03-01T08:00:00.000Z".parse().unwrap();
    let start = tokio::time::Instant::now();
    move || Timestamp::from(base.as_offset_date_time() + start.elapsed())
}

#[tokio::test]
async fn a_code_exchange_posts_the_documented_json_without_authorization() {
    let t = TestTransport::new();
    t.push_json(200, &token_answer("at-1"));
    let sso = client(&t).sso("client-1", "cs-1");
    let tokens = sso
        .exchange_code(AuthorizationCode::new("code-1"), "https://app.example/cb")
        .await
        .unwrap();
    assert_eq!(tokens.access_token().expose_secret(), "at-1");
    let request = t.last_request().unwrap();
    assert_eq!(request.method, http::Method::POST);
    assert_eq!(request.uri, "https://ed.link/api/authentication/token");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("authorization"),
        None,
        "never the application key"
    );
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        json!({"code": "code-1", "client_id": "client-1", "client_secret": "cs-1",
               "redirect_uri": "https://app.example/cb", "grant_type": "authorization_code"})
    );
}

/// A token request is not idempotent: it is sent again only after a failure
/// that proves it never reached the server (no connection was made).
#[tokio::test(start_paused = true)]
async fn a_token_request_is_sent_again_only_when_no_connection_was_made() {
    let connect = || TransportError::new(TransportErrorKind::Connect, "refused");
    let t = TestTransport::new();
    t.push_error(connect())
        .push_json(200, &token_answer("at-1"));
    let sso = client(&t).sso("client-1", "cs-1");
    let code = || AuthorizationCode::new("code-1");
    sso.exchange_code(code(), "https://a.example/cb")
        .await
        .unwrap();
    assert_eq!(t.take_requests().len(), 2);

    for (failure, status) in [
        (Some(TransportErrorKind::Io), None),
        (Some(TransportErrorKind::Timeout), None),
        (None, Some(503)),
        (None, Some(502)),
    ] {
        match (failure, status) {
            (Some(kind), _) => {
                t.push_error(TransportError::new(kind, "cut"));
            }
            (_, Some(status)) => {
                t.push_json(status, r#"{"$errors":[{"code":"INTERNAL","message":"x"}]}"#);
            }
            _ => unreachable!(),
        }
        // Nothing else queued: a second attempt would show in the count.
        let err = sso
            .exchange_code(code(), "https://a.example/cb")
            .await
            .unwrap_err();
        assert_eq!(
            t.take_requests().len(),
            1,
            "{failure:?} {status:?}: sent once"
        );
        assert!(!err.is_sign_in_required());
    }
}

#[tokio::test]
async fn a_refused_code_is_an_authentication_error_not_a_sign_in_required() {
    let t = TestTransport::new();
    t.push_json(
        400,
        r#"{"$request":"r-1","$errors":[{"code":"INVALID_TOKEN","message":"The authorization code has already been used."}]}"#,
    );
    let err = client(&t)
        .sso("client-1", "cs-1")
        .exchange_code(AuthorizationCode::new("code-1"), "https://a.example/cb")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.request_id(), Some("r-1"));
    assert_eq!(t.request_count(), 1);
}

/// The answer is read leniently; without `expires_in` the expiry is unknown,
/// and the session refreshes only when Edlink refuses the token.
#[tokio::test(start_paused = true)]
async fn an_answer_without_expires_in_gives_a_set_refreshed_only_on_refusal() {
    let t = TestTransport::new();
    t.push_json(
        200,
        r#"{"$data":{"access_token":"at-1","refresh_token":"rt-1"}}"#,
    );
    let sso = client(&t).sso("client-1", "cs-1").clock(fixed_clock());
    let tokens = sso
        .exchange_code(AuthorizationCode::new("c"), "https://a.example/cb")
        .await
        .unwrap();
    assert_eq!(tokens.expires_at(), None);
    assert_eq!(tokens.token_type(), None);
    assert_eq!(t.take_requests().len(), 1);
    let user = sso.user(tokens).build();

    tokio::time::advance(Duration::from_secs(10 * 3600)).await;
    let me = r#"{"$data":{"id":"00000000-0000-0000-0000-000000000001"}}"#;
    t.push_json(200, me);
    user.profile().await.unwrap();
    let sent = t.take_requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("authorization"), Some("Bearer at-1"));

    // A refusal refreshes it.
    t.push_json(
        401,
        r#"{"$errors":[{"code":"EXPIRED_TOKEN","message":"expired"}]}"#,
    )
    .push_json(200, &token_answer("at-2"))
    .push_json(200, me);
    user.profile().await.unwrap();
    let sent = t.take_requests();
    let paths: Vec<_> = sent.iter().map(|r| r.path().to_owned()).collect();
    assert_eq!(
        paths,
        [
            "/api/v2/my/profile",
            "/api/authentication/token",
            "/api/v2/my/profile"
        ]
    );
    assert_eq!(sent[2].header("authorization"), Some("Bearer at-2"));
    let body: Value = serde_json::from_slice(&sent[1].body).unwrap();
    assert_eq!(body["grant_type"], "refresh_token");
    assert_eq!(body["refresh_token"], "rt-1");
    assert_eq!(user.tokens().access_token().expose_secret(), "at-2");
}

/// The User API's requests carry the person's token, never the application
/// key, and the key still goes to its own routes only.
#[tokio::test]
async fn the_person_token_goes_to_the_user_api_only() {
    let t = TestTransport::new();
    let c = client(&t);
    let user = c
        .sso("client-1", "cs-1")
        .user(edlink_client::model::TokenSet::new("person-token"))
        .build();
    t.push_json(200, r#"{"$data":[]}"#);
    user.classes().list().collect_all().await.unwrap();
    t.push_json(200, r#"{"$data":[]}"#);
    c.integrations().list().collect_all().await.unwrap();
    let sent = t.take_requests();
    assert_eq!(sent[0].uri, "https://ed.link/api/v2/my/classes?$first=1000");
    assert_eq!(sent[0].header("authorization"), Some("Bearer person-token"));
    assert_eq!(
        sent[1].header("authorization"),
        Some(format!("Bearer {APP_KEY}").as_str())
    );
    // A token that cannot be sent fails before any request.
    let bad = c
        .sso("client-1", "cs-1")
        .user(edlink_client::model::TokenSet::new("bad\ntoken"))
        .build();
    assert_eq!(
        bad.profile().await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(t.request_count(), 0);
}
