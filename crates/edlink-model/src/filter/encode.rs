//! Percent-encoding of a query value (RFC 3986).
//!
//! Ten lines do not justify a dependency for this sans-IO crate; the client's
//! URL handling stays in the client.

/// Escapes every byte of `text` but RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) as `%XX` (uppercase hex), so the result is safe
/// anywhere in a query string.
pub(crate) fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() * 3);
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `%XX` back, to check the encoding is reversible.
    fn decode(text: &str) -> Vec<u8> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        out
    }

    #[test]
    fn only_unreserved_characters_stay() {
        assert_eq!(percent_encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            percent_encode(r#"{"a b":"+&=%/?#"}"#),
            "%7B%22a%20b%22%3A%22%2B%26%3D%25%2F%3F%23%22%7D"
        );
        assert_eq!(percent_encode("é"), "%C3%A9");
        let all: String = (0u8..=127)
            .map(char::from)
            .chain(['é', '€', '😀'])
            .collect();
        let encoded = percent_encode(&all);
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b))
        );
        assert_eq!(decode(&encoded), all.as_bytes());
    }
}
