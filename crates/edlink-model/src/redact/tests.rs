use super::*;

const TOKEN: &str = "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7";

fn full(text: &str) -> String {
    redact(text).into_owned()
}

#[test]
fn every_notation_is_masked() {
    let cases = [
        // JSON members, any depth, any spacing.
        (
            format!(r#"{{"access_token":"{TOKEN}","name":"x"}}"#),
            r#"{"access_token":"[redacted]","name":"x"}"#.to_owned(),
        ),
        (
            format!(r#"{{"a":{{"lti_shared_secret" :  "{TOKEN}"}}}}"#),
            r#"{"a":{"lti_shared_secret" :  "[redacted]"}}"#.to_owned(),
        ),
        // An escaped key name.
        (
            format!(r#"{{"access_\u0074oken":"{TOKEN}","n":1}}"#),
            r#"{"access_\u0074oken":"[redacted]","n":1}"#.to_owned(),
        ),
        (
            format!(r#"{{"\u0074oken":"{TOKEN}"}}"#),
            r#"{"\u0074oken":"[redacted]"}"#.to_owned(),
        ),
        // JSON inside a JSON string, and one level deeper.
        (
            format!(
                r#"{{"message":"upstream said {{\"access_token\":\"{TOKEN}\",\"ok\":false}}"}}"#
            ),
            r#"{"message":"upstream said {\"access_token\":\"[redacted]\",\"ok\":false}"}"#
                .to_owned(),
        ),
        (
            format!(r#""{{\"m\":\"{{\\\"refresh_token\\\":\\\"{TOKEN}\\\"}}\"}}""#),
            r#""{\"m\":\"{\\\"refresh_token\\\":\\\"[redacted]\\\"}\"}""#.to_owned(),
        ),
        // Plain text: key=value, key: value, Bearer.
        (
            format!("Internal error; access_token={TOKEN}; retry later"),
            "Internal error; access_token=[redacted]; retry later".to_owned(),
        ),
        (
            format!("GET /x?client_secret={TOKEN}&state=abc"),
            "GET /x?client_secret=[redacted]&state=abc".to_owned(),
        ),
        (
            format!("Authorization: Bearer {TOKEN}\r\nAccept: */*"),
            "Authorization: Bearer [redacted]\r\nAccept: */*".to_owned(),
        ),
        (
            format!("proxy said: bearer {TOKEN} refused"),
            "proxy said: bearer [redacted] refused".to_owned(),
        ),
        (
            format!("Proxy-Authorization: Basic {TOKEN}"),
            "Proxy-Authorization: Basic [redacted]".to_owned(),
        ),
        (
            format!("password: {TOKEN}"),
            "password: [redacted]".to_owned(),
        ),
        (
            format!("<p>api_key='{TOKEN}'</p>"),
            "<p>api_key='[redacted]'</p>".to_owned(),
        ),
        // An OAuth code in a query string.
        (
            format!("redirect to https://app.example/cb?code={TOKEN}&state=s1"),
            "redirect to https://app.example/cb?code=[redacted]&state=s1".to_owned(),
        ),
        // A secret number stays valid JSON.
        (
            r#"{"pin_secret": 123456, "n": 1}"#.to_owned(),
            r#"{"pin_secret": "[redacted]", "n": 1}"#.to_owned(),
        ),
        // Cut short: masked to the end.
        (
            format!(r#"{{"access_token": "{}"#, &TOKEN[..10]),
            r#"{"access_token": "[redacted]"#.to_owned(),
        ),
        (
            format!(r#"{{"access_token":"ab\"cd{TOKEN}","n":1}}"#),
            r#"{"access_token":"[redacted]","n":1}"#.to_owned(),
        ),
    ];
    for (input, expected) in cases {
        let got = full(&input);
        assert_eq!(got, expected, "input: {input}");
        assert!(!got.contains(&TOKEN[..8]), "leak in {got}");
    }
}

#[test]
fn what_is_not_secret_is_kept() {
    for text in [
        r#"{"$errors":[{"code":"NOT_FOUND","message":"No such integration."}]}"#,
        r#"{"token_type":"Bearer","expires_in":3600}"#,
        r#"{"access_token":null,"secret_count":{"a":1},"tokens":[1,2]}"#,
        "You must supply a valid access token to access this endpoint.",
        "The provided bearer token is not valid.",
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "",
        "é ü 中文 \u{1F600}",
    ] {
        assert_eq!(redact(text), text);
        assert!(matches!(redact(text), Cow::Borrowed(_)), "{text}");
    }
}

#[test]
fn prefix_mask_keeps_four_characters_and_valid_json() {
    let r = Redactor::new().mask(Mask::Prefix);
    let text = format!(
        r#"{{"z":1.50, "access_token" : "{TOKEN}","b":"access_token","n":{{"access_token":"abcdefghijk"}},"s":"12345678"}}"#
    );
    let got = r.redact(&text);
    assert_eq!(
        got,
        r#"{"z":1.50, "access_token" : "HZ4M…","b":"access_token","n":{"access_token":"abcd…"},"s":"12345678"}"#
    );
    assert!(serde_json::from_str::<serde_json::Value>(&got).is_ok());
    assert_eq!(r.redact(r#"{"api_key":"short"}"#), r#"{"api_key":"…"}"#);
    assert_eq!(
        r.redact(r#"{"api_key":"\u00e9\u00e9\u00e9\u00e9xx"}"#),
        r#"{"api_key":"…"}"#
    );
}

#[test]
fn known_secrets_are_masked_anywhere() {
    let r = Redactor::new()
        .known_secret("k3y/with\"quote")
        .known_secret("");
    assert_eq!(
        r.redact(r#"echo k3y/with"quote and {"x":"k3y/with\"quote"}"#),
        r#"echo [redacted] and {"x":"[redacted]"}"#
    );
    assert_eq!(r.redact("nothing"), "nothing");
}

#[test]
fn names_are_judged_whole_and_in_any_case() {
    assert!(is_secret_name("Access_Token"));
    assert!(is_secret_name("X-API-KEY"));
    assert!(is_secret_name("client_secret"));
    assert!(is_secret_name("refresh_token"));
    assert!(is_secret_name("proxy-authorization"));
    assert!(!is_secret_name("TOKEN_TYPE"));
    assert!(!is_secret_name("code"));
    assert!(!is_secret_name("display_name"));
    // Edlink's error codes name tokens but hold none; an unknown one might.
    assert!(!is_secret_name("INVALID_TOKEN"));
    assert!(!is_secret_name("EXPIRED_TOKEN"));
    assert!(is_secret_name("SHARED_TOKEN"));
    assert!(is_secret_name("invalid_token"));
}

#[test]
fn an_error_code_and_its_message_stay_readable() {
    let text = "INVALID_TOKEN: The bearer token is not valid. EXPIRED_TOKEN: Token expired.";
    assert_eq!(redact(text), text);
    // The secret after it is still masked.
    assert_eq!(
        redact(&format!("INVALID_TOKEN: access_token={TOKEN}")),
        "INVALID_TOKEN: access_token=[redacted]"
    );
}

/// Arbitrary text never panics and never grows a secret: a cheap fuzz over
/// every prefix of hostile inputs (the cargo-fuzz target runs far longer).
#[test]
fn every_prefix_of_hostile_text_is_safe() {
    let inputs = [
        format!(r#"{{"a":"{{\"access_token\":\"{TOKEN}\"}}","b":"\\\"token\\\":\\\"{TOKEN}"}}"#),
        format!("x\\u0074oken=\\\"{TOKEN}\u{e9}\\u00"),
        format!("Bearer\t{TOKEN} Basic 'x' password:'{TOKEN}"),
    ];
    for input in &inputs {
        for (i, _) in input.char_indices() {
            let _ = redact(&input[..i]);
            let _ = Redactor::new().mask(Mask::Prefix).redact(&input[..i]);
        }
        assert!(!redact(input).contains(&TOKEN[..8]), "{input}");
    }
}
