//! The standard paging parameters `$first`, `$last`, `$before`, `$after`.

use std::fmt;

use uuid::Uuid;

/// The largest page Edlink serves (`$first`/`$last`), since 2020-09-14.
pub const MAX_PAGE_SIZE: u32 = 10_000;

/// The page size this SDK asks for when the caller names none.
///
/// Edlink's own default is undocumented, and the `$after` fallback must know
/// what a full page is, so the first request of a listing always carries a size.
/// 1,000 keeps a page of integrations near 1.5 MB: few round trips, flat memory.
pub const DEFAULT_PAGE_SIZE: u32 = 1_000;

/// Why paging parameters were refused before any request.
///
/// ```
/// use edlink_model::{ListParams, ParamError};
///
/// let err = ListParams::new().first(0).validate().unwrap_err();
/// assert_eq!(err, ParamError::PageSize { name: "$first", value: 0 });
/// assert_eq!(err.to_string(), "$first must be between 1 and 10000, got 0");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamError {
    /// `$first` or `$last` outside `1..=10000`.
    PageSize {
        /// `$first` or `$last`.
        name: &'static str,
        /// The value given.
        value: u64,
    },
    /// `$first` and `$last` were both given.
    FirstAndLast,
    /// A query parameter that the paging parameters own (`$first`, `$last`,
    /// `$after`, `$before`, `$cursor`), or a name that is empty or not made of
    /// `$`, letters, digits and `_`, was given as an extra parameter.
    ReservedParameter {
        /// The name given.
        name: String,
    },
    /// A paging parameter the endpoint does not honour: the User API
    /// (`/api/v2/my/…`) pages with `$first` and `$next` only
    /// ([`PagingRules::NextOnly`](crate::PagingRules::NextOnly)).
    Unsupported {
        /// `$last`, `$after` or `$before`.
        name: &'static str,
    },
    /// `$before` or `$after` is not an 8-4-4-4-12 hex UUID.
    InvalidUuid {
        /// `$before`, `$after` or the argument's name.
        name: &'static str,
        /// The value given (ids are not secret).
        value: String,
    },
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PageSize { name, value } => {
                write!(
                    f,
                    "{name} must be between 1 and {MAX_PAGE_SIZE}, got {value}"
                )
            }
            Self::FirstAndLast => f.write_str("$first and $last cannot be used together"),
            Self::ReservedParameter { name }
                if !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'$' || b == b'_')
                    || name.is_empty() =>
            {
                write!(
                    f,
                    "{name:?} is not a query parameter name ($, letters, digits, _)"
                )
            }
            Self::ReservedParameter { name } => write!(
                f,
                "{name} is a paging parameter: set it with first/last/after/before, not as a query parameter"
            ),
            Self::Unsupported { name } => write!(
                f,
                "{name} cannot be used here: these endpoints (the User API) page with $first and $next only"
            ),
            Self::InvalidUuid { name, value } => write!(
                f,
                "{name} must be a UUID like 77a69705-41a7-49cb-0fe8-ffd425f9716f, got {value:?}"
            ),
        }
    }
}

impl std::error::Error for ParamError {}

/// Parses an Edlink id: exactly 8-4-4-4-12 hex digits, any version or variant
/// (Edlink's own sample ids break the v4 variant bits; the nil UUID is a valid
/// starting cursor). Braces, URNs and the 32-digit form are refused, as Edlink
/// refuses them with `INVALID_UUID`.
///
/// ```
/// use edlink_model::parse_id;
///
/// assert!(parse_id("id", "77a69705-41a7-49cb-0fe8-ffd425f9716f").is_ok());
/// assert!(parse_id("id", "77a6970541a749cb0fe8ffd425f9716f").is_err());
/// assert!(parse_id("id", "not-a-uuid").is_err());
/// ```
pub fn parse_id(name: &'static str, value: &str) -> Result<Uuid, ParamError> {
    let bytes = value.as_bytes();
    let shape_ok = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    let invalid = || ParamError::InvalidUuid {
        name,
        value: value.chars().take(64).collect(),
    };
    if !shape_ok {
        return Err(invalid());
    }
    Uuid::try_parse(value).map_err(|_| invalid())
}

/// Which way a listing pages, and how many items per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Direction {
    /// `$first=n`: oldest first, continued with `$after`.
    Forward(u32),
    /// `$last=n`: newest first, continued with `$before`.
    Backward(u32),
}

impl Direction {
    /// Items per page.
    pub fn page_size(self) -> u32 {
        match self {
            Self::Forward(n) | Self::Backward(n) => n,
        }
    }
}

/// The parameters of a listing, as the caller gives them: the standard paging
/// parameters, and the other query parameters every request of the listing
/// carries (`$filter`, `$expand`, `$fields`).
///
/// Setters never fail; [`ListParams::validate`] checks everything at once and
/// says what was wrong, before any request is made.
///
/// ```
/// use edlink_model::ListParams;
///
/// let params = ListParams::new().first(500).validate()?;
/// assert_eq!(params.to_query(), "$first=500");
/// # Ok::<(), edlink_model::ParamError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListParams {
    /// `$first`: page forward, this many per page.
    pub first: Option<u64>,
    /// `$last`: page backward, this many per page.
    pub last: Option<u64>,
    /// `$after`: start after this id.
    pub after: Option<Uuid>,
    /// `$before`: start before this id.
    pub before: Option<Uuid>,
    /// Other query parameters (`$filter`, `$expand`, `$fields`), as
    /// `(name, value)` before URL encoding, in order. They go on the first
    /// request and on every request built from the parameters (the `$after`
    /// fallback, a resume after an expired cursor), never on a server's
    /// `$next`: the cursor carries them.
    pub query: Vec<(String, String)>,
}

impl ListParams {
    /// No parameters: [`DEFAULT_PAGE_SIZE`] forward from the start.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `$first`.
    pub fn first(mut self, n: u64) -> Self {
        self.first = Some(n);
        self
    }

    /// Sets `$last`.
    pub fn last(mut self, n: u64) -> Self {
        self.last = Some(n);
        self
    }

    /// Sets `$after`.
    pub fn after(mut self, id: Uuid) -> Self {
        self.after = Some(id);
        self
    }

    /// Sets `$before`.
    pub fn before(mut self, id: Uuid) -> Self {
        self.before = Some(id);
        self
    }

    /// Adds a query parameter (`$filter`, `$expand`, `$fields`…); `value`
    /// is URL-encoded when the URL is built. A second value for the same name
    /// replaces the first.
    ///
    /// ```
    /// use edlink_model::ListParams;
    ///
    /// let p = ListParams::new().first(10).param("$fields", "id,first_name").validate()?;
    /// assert_eq!(p.to_query(), "$first=10&$fields=id%2Cfirst_name");
    /// # Ok::<(), edlink_model::ParamError>(())
    /// ```
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        match self.query.iter_mut().find(|(n, _)| *n == name) {
            Some((_, slot)) => *slot = value,
            None => self.query.push((name, value)),
        }
        self
    }

    /// Checks the parameters and fills in the default page size.
    pub fn validate(&self) -> Result<ValidParams, ParamError> {
        let size = |name, value: u64| {
            u32::try_from(value)
                .ok()
                .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                .ok_or(ParamError::PageSize { name, value })
        };
        let direction = match (self.first, self.last) {
            (Some(_), Some(_)) => return Err(ParamError::FirstAndLast),
            (Some(n), None) => Direction::Forward(size("$first", n)?),
            (None, Some(n)) => Direction::Backward(size("$last", n)?),
            (None, None) => Direction::Forward(DEFAULT_PAGE_SIZE),
        };
        if let Some((name, _)) = self.query.iter().find(|(name, _)| {
            name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'$' || b == b'_')
                || ["$first", "$last", "$after", "$before", "$cursor"].contains(&name.as_str())
        }) {
            return Err(ParamError::ReservedParameter { name: name.clone() });
        }
        Ok(ValidParams {
            direction,
            after: self.after,
            before: self.before,
            query: self.query.clone(),
        })
    }
}

/// Paging parameters that passed [`ListParams::validate`]: they always carry a
/// page size and a direction.
///
/// ```
/// use edlink_model::{Direction, ListParams};
///
/// let p = ListParams::new().validate()?;
/// assert_eq!(p.direction(), Direction::Forward(edlink_model::DEFAULT_PAGE_SIZE));
/// # Ok::<(), edlink_model::ParamError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValidParams {
    direction: Direction,
    after: Option<Uuid>,
    before: Option<Uuid>,
    query: Vec<(String, String)>,
}

impl ValidParams {
    /// The direction and page size.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// `$after`, if any.
    pub fn after(&self) -> Option<Uuid> {
        self.after
    }

    /// `$before`, if any.
    pub fn before(&self) -> Option<Uuid> {
        self.before
    }

    /// The other query parameters, before URL encoding.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The same parameters, continuing past `id` in the listing's direction
    /// (`$after` forward, `$before` backward).
    pub fn continuing_past(&self, id: Uuid) -> Self {
        let mut next = self.clone();
        match self.direction {
            Direction::Forward(_) => next.after = Some(id),
            Direction::Backward(_) => next.before = Some(id),
        }
        next
    }

    /// The query string, without the leading `?`: paging parameters, then the
    /// other parameters with their values URL-encoded.
    ///
    /// The `$` of names is written as is: RFC 3986 allows it in a query, and
    /// Edlink's own docs and `$next` URLs use it unencoded (Edlink also accepts
    /// `%24`). UUIDs need no escaping.
    pub fn to_query(&self) -> String {
        let mut q = String::with_capacity(96);
        match self.direction {
            Direction::Forward(n) => q.push_str(&format!("$first={n}")),
            Direction::Backward(n) => q.push_str(&format!("$last={n}")),
        }
        if let Some(id) = self.after {
            q.push_str(&format!("&$after={}", id.hyphenated()));
        }
        if let Some(id) = self.before {
            q.push_str(&format!("&$before={}", id.hyphenated()));
        }
        if !self.query.is_empty() {
            q.push('&');
            // Names were checked by `validate` (`$`, letters, digits, `_`).
            q.push_str(&encode_query(
                self.query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            ));
        }
        q
    }
}

/// `name=value&…` with each value percent-encoded ([`encode_component`]);
/// names are written as they are (`$filter`: give only plain names).
///
/// ```
/// assert_eq!(
///     edlink_model::encode_query([("$expand", "schools"), ("$fields", "id,name")]),
///     "$expand=schools&$fields=id%2Cname"
/// );
/// ```
pub fn encode_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut q = String::new();
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            q.push('&');
        }
        q.push_str(name);
        q.push('=');
        q.push_str(&encode_component(value));
    }
    q
}

/// Percent-encodes a query value: RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) stay, every other byte becomes `%XX` (uppercase
/// hex; a space is `%20`, never `+`), so the result is safe anywhere in a
/// query string. The one encoder of the SDK (`$filter`, `$fields`, …).
///
/// ```
/// assert_eq!(
///     edlink_model::encode_component(r#"{"first_name":[{"operator":"starts with","value":"So"}]}"#),
///     "%7B%22first_name%22%3A%5B%7B%22operator%22%3A%22starts%20with%22%2C%22value%22%3A%22So%22%7D%5D%7D"
/// );
/// ```
pub fn encode_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
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

    #[test]
    fn page_size_bounds() {
        for ok in [1, 10, 10_000] {
            assert!(ListParams::new().first(ok).validate().is_ok(), "{ok}");
            assert!(ListParams::new().last(ok).validate().is_ok(), "{ok}");
        }
        for bad in [0, 10_001, u64::MAX] {
            assert_eq!(
                ListParams::new().first(bad).validate(),
                Err(ParamError::PageSize {
                    name: "$first",
                    value: bad
                })
            );
            assert_eq!(
                ListParams::new().last(bad).validate(),
                Err(ParamError::PageSize {
                    name: "$last",
                    value: bad
                })
            );
        }
    }

    #[test]
    fn first_and_last_together_are_refused() {
        let err = ListParams::new().first(1).last(1).validate().unwrap_err();
        assert_eq!(err, ParamError::FirstAndLast);
    }

    #[test]
    fn query_rendering() {
        let id = parse_id("$after", "77a69705-41a7-49cb-0fe8-ffd425f9716f").unwrap();
        let p = ListParams::new().last(5).before(id).validate().unwrap();
        assert_eq!(
            p.to_query(),
            "$last=5&$before=77a69705-41a7-49cb-0fe8-ffd425f9716f"
        );
        let fwd = ListParams::new().validate().unwrap().continuing_past(id);
        assert_eq!(
            fwd.to_query(),
            format!("$first={DEFAULT_PAGE_SIZE}&$after={id}")
        );
    }

    #[test]
    fn ids_accept_any_version_and_nil_but_only_the_hyphenated_shape() {
        assert_eq!(
            parse_id("x", "00000000-0000-0000-0000-000000000000"),
            Ok(Uuid::nil())
        );
        assert!(parse_id("x", "77A69705-41A7-49CB-0FE8-FFD425F9716F").is_ok());
        for bad in [
            "",
            "{77a69705-41a7-49cb-0fe8-ffd425f9716f}",
            "urn:uuid:77a69705-41a7-49cb-0fe8-ffd425f9716f",
            "77a69705-41a7-49cb-0fe8-ffd425f9716g",
            "77a69705-41a7-49cb-0fe8-ffd425f9716",
            "77a69705_41a7_49cb_0fe8_ffd425f9716f",
            "../../admin",
        ] {
            let err = parse_id("$after", bad).unwrap_err();
            assert!(
                err.to_string().starts_with("$after must be a UUID"),
                "{bad}: {err}"
            );
        }
    }

    mod encoding {

        use crate::encode_component as percent_encode;

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
}
