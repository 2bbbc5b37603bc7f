//! Secrets never reach `Debug` or `Display`; serialization keeps them.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use edlink_model::{AccessToken, ApplicationKey, Integration, Response, decode_response};

const TOKEN: &str = "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7";
const KEY: &str = "sk_live_8f2c1e9d7b";
const LTI: &str = "lti-shared-secret-do-not-log";

fn formats(value: &(impl std::fmt::Debug + ?Sized)) -> String {
    format!("{value:?}\n{value:#?}")
}

fn assert_hidden(out: &str, secret: &str) {
    assert!(!out.contains(secret), "the secret leaked: {out}");
    // Not even a prefix.
    assert!(
        !out.contains(&secret[..4]),
        "a prefix of the secret leaked: {out}"
    );
}

#[test]
fn secret_types_print_no_character_of_the_value() {
    let token = AccessToken::new(TOKEN);
    let key = ApplicationKey::from(KEY.to_owned());
    assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
    assert_eq!(format!("{token:#?}"), "AccessToken([redacted])");
    assert_eq!(format!("{key:?}"), "ApplicationKey([redacted])");
    assert_hidden(&formats(&token), TOKEN);
    assert_hidden(&formats(&key), KEY);
    assert_hidden(&format!("{:>40?} {:<5.3?}", token, key), TOKEN);
    assert_hidden(&formats(&Some(vec![token.clone()])), TOKEN);
}

#[test]
fn secret_types_serialize_and_compare_in_full() {
    let token = AccessToken::new(TOKEN);
    assert_eq!(token.expose_secret(), TOKEN);
    assert_eq!(
        serde_json::to_string(&token).unwrap(),
        format!("\"{TOKEN}\"")
    );
    let back: AccessToken = serde_json::from_str(&format!("\"{TOKEN}\"")).unwrap();
    assert_eq!(back, token);
    assert_ne!(back, AccessToken::new("other"));
    let key: ApplicationKey = serde_json::from_str(&format!("\"{KEY}\"")).unwrap();
    assert_eq!(key.expose_secret(), KEY);
    assert_eq!(key.clone(), ApplicationKey::new(KEY));
    assert!(serde_json::from_str::<AccessToken>("42").is_err());
}

#[test]
fn an_integration_never_prints_its_token_or_secret_extras() {
    let body = format!(
        r#"{{"$data":[{{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","access_token":"{TOKEN}",
            "lti_shared_secret":"{LTI}","configuration":{{"client_secret":"{LTI}"}},
            "source":{{"api_token":"{LTI}"}}}}]}}"#
    );
    let response: Response<Vec<Integration>> =
        decode_response(200, Some("application/json"), body.as_bytes()).unwrap();
    let integration = &response.data[0];
    for out in [
        formats(integration),
        formats(&response),
        formats(&response.data),
    ] {
        assert_hidden(&out, TOKEN);
        assert_hidden(&out, LTI);
        assert!(out.contains("AccessToken([redacted])"), "{out}");
    }
    // Serialization is lossless: the token and the extras are written in full.
    let json = serde_json::to_string(integration).unwrap();
    assert!(json.contains(TOKEN) && json.contains(LTI), "{json}");
}

#[test]
fn decode_errors_do_not_echo_the_token() {
    let body = format!(
        r#"{{"$data":[{{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","access_token":"{TOKEN}","created_date":"bad"}}]}}"#
    );
    let err = decode_response::<Vec<Integration>>(200, None, body.as_bytes()).unwrap_err();
    assert_hidden(&format!("{err} {err:?}"), TOKEN);
}
