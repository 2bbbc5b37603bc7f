//! A short, secret-free excerpt of a response body, for error messages.
//!
//! Integration bodies carry `access_token`s, proxies echo `Authorization`
//! headers, and future models carry LTI secrets, so the body goes through
//! [`crate::redact`] before it is cut.

/// At most this many characters of body go into an error.
pub const EXCERPT_CHARS: usize = 512;

// Redaction scans a little more than is shown, so a secret that starts inside
// the excerpt is masked even when it ends past the cut.
const SCAN_BYTES: usize = 16 * 1024;

/// The start of `body` as text: secrets masked, whitespace runs folded to one
/// space, cut to [`EXCERPT_CHARS`] characters with `…` when longer.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let window = &body[..body.len().min(SCAN_BYTES)];
    let text = String::from_utf8_lossy(window);
    let redacted = crate::redact::redact(&text);
    let mut out = String::with_capacity(EXCERPT_CHARS + 4);
    let mut count = 0;
    let mut last_space = true;
    for c in redacted.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        if count == EXCERPT_CHARS {
            out.push('…');
            return out;
        }
        out.push(c);
        count += 1;
    }
    if body.len() > window.len() {
        out.push('…');
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_access_tokens_and_keeps_the_rest() {
        let body = br#"{"$data":[{"id":"a","access_token":"HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7","name":"x"}]}"#;
        let e = excerpt(body);
        assert!(!e.contains("HZ4M"), "{e}");
        assert!(e.contains(r#""access_token":"[redacted]""#), "{e}");
        assert!(e.contains(r#""name":"x""#), "{e}");
    }

    #[test]
    fn masks_an_unterminated_secret() {
        let e = excerpt(br#"{"lti_shared_secret": "abcdefgh"#);
        assert!(!e.contains("abcd"), "{e}");
    }

    #[test]
    fn escaped_quotes_do_not_end_a_secret() {
        let e = excerpt(br#"{"access_token":"ab\"cd","n":1}"#);
        assert!(!e.contains("cd"), "{e}");
        assert!(e.contains(r#""n":1"#), "{e}");
    }

    #[test]
    fn escaped_key_names_are_unescaped_before_judging() {
        // Found while fuzzing `decode_error_body`.
        let e = excerpt(br#"{"access_\u0074oken":"ABCDEFGHIJKLMNOP","n":1}"#);
        assert!(!e.contains("ABCD"), "{e}");
        assert!(e.contains(r#""n":1"#), "{e}");
    }

    #[test]
    fn a_long_body_is_cut_with_an_ellipsis() {
        let body = "x".repeat(5000);
        let e = excerpt(body.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
    }

    #[test]
    fn whitespace_is_folded() {
        assert_eq!(
            excerpt(b"<html>\n\n  <b>502</b>\n</html>\n"),
            "<html> <b>502</b> </html>"
        );
    }

    #[test]
    fn invalid_utf8_never_panics() {
        let e = excerpt(&[0xff, b'"', 0xfe, b'"', b':', b'"']);
        assert!(!e.is_empty());
    }
}
