//! No secret of sign-in (the client secret, a code, the state, an access or
//! refresh token) appears in any `Debug`, `Display`, error or log line, even
//! when a server echoes them back by value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use edlink_client::model::auth::{LoginUrl, Redirect, TokenRequest};
use edlink_client::model::{AuthorizationCode, LoginState, TokenSet};
use edlink_client::{Client, RetryPolicy, TestTransport};
use serde_json::json;

const CLIENT_SECRET: &str = "cs_S3CRET-never-log-91d2";
const CODE: &str = "code_C0DE-never-log-7a1";
const ACCESS_1: &str = "at_ACCESS-one-never-log-55";
const ACCESS_2: &str = "at_ACCESS-two-never-log-66";
const REFRESH: &str = "rt_REFRESH-never-log-88";
const STATE: &str = "st_STATE-never-log-3c4";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn assert_clean(what: &str, text: &str) {
    for secret in [CLIENT_SECRET, CODE, ACCESS_1, ACCESS_2, REFRESH, STATE] {
        assert!(!text.contains(secret), "{secret} leaked in {what}: {text}");
        // Not even the distinctive middle part.
        let middle = &secret[3..12];
        assert!(
            !text.contains(middle),
            "part of {secret} leaked in {what}: {text}"
        );
    }
}

fn token_answer(access: &str, warning: Option<&str>) -> String {
    let mut body = json!({
        "$data": {"access_token": access, "refresh_token": REFRESH, "token_type": "Bearer", "expires_in": 3600},
        "$request": "r-token"
    });
    if let Some(message) = warning {
        body["$warnings"] = json!([{"code": "SOMETHING_NEW", "message": message}]);
    }
    body.to_string()
}

fn errors(status_code: &str, message: &str) -> String {
    json!({"$request": "r-err", "$errors": [{"code": status_code, "message": message}]}).to_string()
}

#[tokio::test(start_paused = true)]
async fn no_output_of_sign_in_contains_a_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let t = TestTransport::new();
    let client = Client::builder()
        .transport(t.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let sso = client.sso("client-1", CLIENT_SECRET);
    let state = LoginState::new(STATE);
    let mut outputs = vec![
        format!("{sso:?}"),
        format!("{sso:#?}"),
        format!("{state:?}"),
        format!(
            "{:?}",
            LoginUrl::new("client-1", "https://a.example/cb", &state)
        ),
        format!(
            "{:?}",
            Redirect::parse(&format!("code={CODE}&state={STATE}")).unwrap()
        ),
        format!(
            "{:?}",
            TokenRequest::authorization_code(
                "client-1",
                CLIENT_SECRET.into(),
                CODE.into(),
                "https://a.example/cb"
            )
        ),
        format!(
            "{:?}",
            TokenRequest::refresh("client-1", CLIENT_SECRET.into(), REFRESH.into())
        ),
    ];
    let mut errs = Vec::new();

    // An exchange refused by a server that echoes the secret and the code by value.
    t.push_json(
        400,
        &errors(
            "INVALID_TOKEN",
            &format!("client secret {CLIENT_SECRET} and code {CODE} refused"),
        ),
    );
    errs.push(
        sso.exchange_code(AuthorizationCode::new(CODE), "https://a.example/cb")
            .await
            .unwrap_err(),
    );
    // A proxy page echoing them in a form body.
    t.push_response(
        502,
        format!("<html>bad request: client_secret={CLIENT_SECRET}&code={CODE}</html>"),
    );
    errs.push(
        sso.exchange_code(AuthorizationCode::new(CODE), "https://a.example/cb")
            .await
            .unwrap_err(),
    );
    // A successful exchange whose warning quotes the code.
    t.push_json(
        200,
        &token_answer(ACCESS_1, Some(&format!("code {CODE} used"))),
    );
    let tokens = sso
        .exchange_code(AuthorizationCode::new(CODE), "https://a.example/cb")
        .await
        .unwrap();
    outputs.push(format!("{tokens:?}"));
    outputs.push(format!("{tokens:#?}"));

    let builder = sso.user(tokens.clone()).on_refresh(|_| {});
    outputs.push(format!("{builder:?}"));
    let user = builder.build();
    outputs.push(format!("{user:?}"));
    outputs.push(format!("{:?}", user.classes()));
    outputs.push(format!("{:?}", user.classes().list().first(5)));
    outputs.push(format!("{:?}", user.profile()));

    // The access token refused (quoted back), refreshed (the refresh token
    // quoted in a warning), the request repeated.
    t.push_json(
        401,
        &errors("EXPIRED_TOKEN", &format!("token {ACCESS_1} expired")),
    )
    .push_json(
        200,
        &token_answer(ACCESS_2, Some(&format!("refresh token {REFRESH} kept"))),
    )
    .push_json(
        200,
        r#"{"$data":{"id":"00000000-0000-0000-0000-000000000001"}}"#,
    );
    user.profile().await.unwrap();
    outputs.push(format!("{:?}", user.tokens()));

    // A refresh refused, echoing everything: sign in again.
    t.push_json(
        401,
        &errors("EXPIRED_TOKEN", &format!("token {ACCESS_2} expired")),
    )
    .push_json(
        400,
        &errors(
            "INVALID_TOKEN",
            &format!("refresh token {REFRESH} for {CLIENT_SECRET} revoked; last token {ACCESS_2}"),
        ),
    );
    let signed_out = user.profile().await.unwrap_err();
    assert!(signed_out.is_sign_in_required());
    errs.push(signed_out);
    errs.push(sso.refresh(&TokenSet::new(ACCESS_1)).await.unwrap_err());

    for err in &errs {
        outputs.push(format!("{err}"));
        outputs.push(format!("{err:?}"));
        outputs.push(err.chain());
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            outputs.push(format!("{s} / {s:?}"));
            source = s.source();
        }
    }
    for (i, text) in outputs.iter().enumerate() {
        assert_clean(&format!("output #{i}"), text);
    }
    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert_clean("the tracing output", &logs);
    // The logs say what happened.
    assert!(logs.contains("/api/authentication/token"), "{logs}");
    assert!(logs.contains("refreshing it once"), "{logs}");
    assert!(logs.contains("must sign in again"), "{logs}");
    assert!(logs.contains("SOMETHING_NEW"), "{logs}");
}
