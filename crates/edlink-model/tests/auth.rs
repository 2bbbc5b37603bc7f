//! Sign-in with Edlink, sans IO: the token samples become token sets with the
//! expiry their `expires_in` gives, the refresh keeps whichever refresh token
//! came back, no token shows in any output, the login URL carries its four
//! parameters, the redirect is checked state first, and the User API's
//! paging rules hold.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use edlink_model::auth::{LoginUrl, Redirect, RedirectError, TokenRequest, TokenResponse};
use edlink_model::{
    AccessToken, AuthorizationCode, ClientSecret, ListParams, LoginState, Origin, PageOutcome,
    Paginator, PagingError, PagingRules, ParamError, RefreshToken, Timestamp, TokenSet,
    decode_response,
};
use serde_json::Value;
use uuid::Uuid;

/// Every token answer among the fixtures: `(path, body, parsed JSON)`.
fn token_fixtures() -> Vec<(String, Vec<u8>, Value)> {
    let fixtures: Vec<_> = common::all_fixtures()
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("v2/token-") || rel.starts_with("v2/drift/tokens/"))
        .map(|(rel, body)| {
            let json = serde_json::from_slice(&body).unwrap();
            (rel, body, json)
        })
        .collect();
    assert!(fixtures.len() >= 7, "{} token fixtures", fixtures.len());
    fixtures
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn every_token_sample_becomes_a_set_expiring_after_its_expires_in() {
    let now = at("2026-03-01T08:00:00.000Z");
    for (rel, body, json) in token_fixtures() {
        let data = &json["$data"];
        let response = decode_response::<TokenResponse>(200, Some("application/json"), &body)
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
            .data;
        let set = TokenSet::from_response(response, now);
        assert_eq!(
            set.access_token().expose_secret(),
            data["access_token"].as_str().unwrap(),
            "{rel}"
        );
        assert_eq!(
            set.refresh_token().map(RefreshToken::expose_secret),
            data["refresh_token"].as_str(),
            "{rel}"
        );
        assert_eq!(set.token_type(), data["token_type"].as_str(), "{rel}");
        assert_eq!(set.obtained_at(), Some(now), "{rel}");
        // The expiry is `now + expires_in`, computed here independently.
        let expected = data["expires_in"].as_u64().map(|s| {
            Timestamp::from(now.as_offset_date_time() + time::Duration::seconds(s as i64))
        });
        assert_eq!(set.expires_at(), expected, "{rel}");
        if expected.is_none() {
            assert!(!set.needs_refresh(at("2100-01-01T00:00:00.000Z"), Duration::ZERO));
        }

        // No token in Debug, of the answer or the set; serde keeps them all.
        let debug = format!("{set:?} {set:#?}");
        for secret in ["access_token", "refresh_token", "id_token"] {
            if let Some(value) = data[secret].as_str() {
                assert!(!debug.contains(value), "{rel}: {secret} in {debug}");
                let answer = decode_response::<TokenResponse>(200, None, &body).unwrap();
                assert!(!format!("{answer:#?}").contains(value), "{rel}: {secret}");
            }
        }
        let stored = serde_json::to_string(&set).unwrap();
        assert!(stored.contains(data["access_token"].as_str().unwrap()));
        let back: TokenSet = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, set, "{rel}");
    }
}

#[test]
fn a_refresh_keeps_whichever_refresh_token_came_back() {
    let t0 = at("2026-03-01T08:00:00.000Z");
    let t1 = at("2026-03-01T08:58:00.000Z");
    let old = TokenSet::new("a-1").with_refresh_token("r-1");

    // None came back (a drift fixture): the old one stays.
    let body = std::fs::read(
        common::fixtures_dir().join("v2/drift/tokens/refresh-without-refresh-token.json"),
    )
    .unwrap();
    let response = decode_response::<TokenResponse>(200, None, &body)
        .unwrap()
        .data;
    let next = old.refreshed(response, t1);
    assert_eq!(next.refresh_token().unwrap().expose_secret(), "r-1");
    assert_ne!(next.access_token(), old.access_token());
    assert_eq!(next.expires_at(), Some(at("2026-03-01T09:28:00.000Z")));

    // A new one came back: it replaces the old one.
    let body = std::fs::read(common::fixtures_dir().join("v2/token-refresh.json")).unwrap();
    let response = decode_response::<TokenResponse>(200, None, &body)
        .unwrap()
        .data;
    let next = old.refreshed(response, t0);
    assert_eq!(
        next.refresh_token().unwrap().expose_secret(),
        "av439q8nlbl0l4309fp39q8nf0mkn43943f09f"
    );
    // 3600 s from the answer, not assumed.
    assert_eq!(next.expires_at(), Some(at("2026-03-01T09:00:00.000Z")));
}

#[test]
fn stored_token_sets_read_back_leniently() {
    // Only the access token is required: a set stored by an older version, or
    // made by hand, still reads.
    let set: TokenSet = serde_json::from_str(r#"{"access_token":"a"}"#).unwrap();
    assert_eq!(set, TokenSet::new("a"));
    let full: TokenSet = serde_json::from_str(
        r#"{"access_token":"a","refresh_token":"r","expires_at":"2026-03-01T09:00:00.000Z","obtained_at":"2026-03-01T08:00:00.000Z","token_type":"Bearer"}"#,
    )
    .unwrap();
    assert_eq!(full.expires_at(), Some(at("2026-03-01T09:00:00.000Z")));
    assert!(full.needs_refresh(at("2026-03-01T08:55:00.000Z"), Duration::from_secs(300)));
    assert!(!full.needs_refresh(at("2026-03-01T08:54:59.999Z"), Duration::from_secs(300)));
    assert!(!full.is_expired(at("2026-03-01T08:59:59.999Z")));
    assert!(full.is_expired(at("2026-03-01T09:00:00.000Z")));
    assert!(serde_json::from_str::<TokenSet>(r#"{"refresh_token":"r"}"#).is_err());
}

#[test]
fn token_requests_carry_the_documented_members() {
    let code = TokenRequest::authorization_code(
        "client-1",
        ClientSecret::new("cs-1"),
        AuthorizationCode::new("code-1"),
        "https://app.example/cb",
    );
    let json: Value = serde_json::from_str(&code.to_json()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"code": "code-1", "client_id": "client-1", "client_secret": "cs-1",
                           "redirect_uri": "https://app.example/cb", "grant_type": "authorization_code"})
    );
    let refresh = TokenRequest::refresh(
        "client-1",
        ClientSecret::new("cs-1"),
        RefreshToken::new("r-1"),
    );
    let json: Value = serde_json::from_str(&refresh.to_json()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"client_id": "client-1", "client_secret": "cs-1",
                           "grant_type": "refresh_token", "refresh_token": "r-1"})
    );
    for request in [&code, &refresh] {
        let debug = format!("{request:?} {request:#?}");
        for secret in ["cs-1", "code-1", "r-1"] {
            assert!(!debug.contains(secret), "{debug}");
        }
    }
}

#[test]
fn the_login_url_carries_its_four_parameters_and_a_fresh_state() {
    let state = LoginState::generate().unwrap();
    let url = LoginUrl::new("client 1", "https://app.example/cb?tenant=7", &state)
        .build()
        .unwrap();
    assert_eq!(url.scheme(), "https");
    assert_eq!(url.host_str(), Some("ed.link"));
    assert_eq!(url.path(), "/sso/login");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let expected = [
        ("client_id", "client 1"),
        ("redirect_uri", "https://app.example/cb?tenant=7"),
        ("state", state.expose_secret()),
        ("response_type", "code"),
    ];
    assert_eq!(pairs.len(), 4);
    for ((name, value), (en, ev)) in pairs.iter().zip(expected) {
        assert_eq!((name.as_str(), value.as_str()), (en, ev));
    }
    // The state goes in the URL, but never in Debug.
    let login = LoginUrl::new("c", "https://app.example/cb", &state);
    assert!(!format!("{login:?}").contains(state.expose_secret()));
    assert!(!format!("{state:?}").contains(&state.expose_secret()[..8]));
}

#[test]
fn the_redirect_is_checked_state_first() {
    let state = LoginState::new("st-42");
    let cases: &[(&str, Result<&str, RedirectError>)] = &[
        ("code=c0de&state=st-42", Ok("c0de")),
        ("?state=st-42&code=c%2F0+de&tenant=7", Ok("c/0 de")),
        (
            "error=declined_authorization&state=st-42",
            Err(RedirectError::Declined),
        ),
        (
            "error=access_denied&error_description=no+way&state=st-42",
            Err(RedirectError::Refused {
                error: "access_denied".into(),
                description: Some("no way".into()),
            }),
        ),
        // Nothing in a redirect this sign-in did not start is believed.
        (
            "error=declined_authorization&state=st-43",
            Err(RedirectError::StateMismatch),
        ),
        ("code=c0de&state=st-4", Err(RedirectError::StateMismatch)),
        ("code=c0de&state=", Err(RedirectError::StateMismatch)),
        ("code=c0de", Err(RedirectError::MissingState)),
        ("state=st-42", Err(RedirectError::MissingCode)),
        (
            "code=a&state=st-42&code=b",
            Err(RedirectError::Repeated { name: "code" }),
        ),
        (
            "code=a&state=st-42&state=st-42",
            Err(RedirectError::Repeated { name: "state" }),
        ),
        ("", Err(RedirectError::MissingState)),
    ];
    for (query, expected) in cases {
        let got = state.check_redirect(query);
        match (got, expected) {
            (Ok(code), Ok(want)) => assert_eq!(code.expose_secret(), *want, "{query}"),
            (Err(e), Err(want)) => {
                assert_eq!(&e, want, "{query}");
                let message = e.to_string();
                assert!(
                    !message.contains("c0de") && !message.contains("st-4"),
                    "{message}"
                );
            }
            (got, want) => panic!("{query}: got {got:?}, expected {want:?}"),
        }
    }
    // An empty expected state accepts nothing.
    assert_eq!(
        LoginState::new("").check_redirect("code=c&state="),
        Err(RedirectError::StateMismatch)
    );
    let parsed = Redirect::parse("code=c0de&state=st-42").unwrap();
    let debug = format!("{parsed:?}");
    assert!(
        !debug.contains("c0de") && !debug.contains("st-42"),
        "{debug}"
    );
}

#[test]
fn secret_types_of_sign_in_print_nothing_and_serialize_in_full() {
    for (debug, value) in [
        (
            format!("{:?}", RefreshToken::new("rt-secret-1")),
            "rt-secret-1",
        ),
        (
            format!("{:#?}", ClientSecret::new("cs-secret-1")),
            "cs-secret-1",
        ),
        (
            format!("{:?}", AuthorizationCode::new("code-secret-1")),
            "code-secret-1",
        ),
        (
            format!("{:?}", LoginState::new("state-secret-1")),
            "state-secret-1",
        ),
        (
            format!("{:?}", Some(AccessToken::new("at-secret-1"))),
            "at-secret-1",
        ),
    ] {
        assert!(
            !debug.contains(value) && !debug.contains(&value[..4]),
            "{debug}"
        );
        assert!(debug.contains("[redacted]"));
    }
    let code: AuthorizationCode = serde_json::from_str(r#""abc""#).unwrap();
    assert_eq!(serde_json::to_string(&code).unwrap(), r#""abc""#);
}

#[test]
fn the_user_api_pages_with_first_and_next_only() {
    let origin = Origin::new("https://ed.link").unwrap();
    let rules = PagingRules::NextOnly;
    for (params, name) in [
        (ListParams::new().last(5), "$last"),
        (ListParams::new().after(Uuid::nil()), "$after"),
        (ListParams::new().first(5).before(Uuid::nil()), "$before"),
    ] {
        let err = rules.check(&params.validate().unwrap()).unwrap_err();
        assert_eq!(err, ParamError::Unsupported { name });
        assert!(err.to_string().contains("$first and $next only"), "{err}");
    }
    let params = ListParams::new().first(2).validate().unwrap();
    assert_eq!(rules.check(&params), Ok(()));
    let mut p = Paginator::new(&origin, "/api/v2/my/classes", params).with_rules(rules);
    assert_eq!(p.first_url(), "https://ed.link/api/v2/my/classes?$first=2");
    let id = Some(Uuid::from_u128(9));
    // `$next` is followed as sent.
    let next = "https://ed.link/api/v2/my/classes?$cursor=abc";
    assert_eq!(
        p.advance(PageOutcome {
            items: 2,
            last_id: id,
            next: Some(next)
        })
        .unwrap()
        .as_deref(),
        Some(next)
    );
    // A page larger than asked (the provider ignored `$first`) and no `$next`: done.
    assert_eq!(
        p.advance(PageOutcome {
            items: 7,
            last_id: id,
            next: None
        })
        .unwrap(),
        None
    );
    assert_eq!(p.resume(), Err(PagingError::CannotResume));
    assert!(
        PagingError::CannotResume
            .to_string()
            .contains("start the listing again")
    );
    // The Graph API's rules are unchanged: a full page without `$next` goes on with `$after`.
    let full = ListParams::new().first(2).validate().unwrap();
    let mut g = Paginator::new(&origin, "/api/v2/graph/classes", full);
    assert_eq!(g.rules(), PagingRules::Full);
    assert!(
        g.advance(PageOutcome {
            items: 2,
            last_id: id,
            next: None
        })
        .unwrap()
        .is_some()
    );
}
