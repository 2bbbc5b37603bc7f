//! The sans-IO paging state machine: given the page that just came back, it
//! decides the next request. Every client of this SDK pages through it, so
//! the rules live in this one place.

use std::collections::HashSet;
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};

use uuid::Uuid;

use crate::{Direction, ValidParams};

/// How many expired-cursor resumes in a row, with no page in between, end a
/// listing: a server that expires every cursor at once would otherwise loop.
pub const MAX_RESUMES_WITHOUT_PROGRESS: u32 = 3;

/// How many empty pages in a row end a listing. An empty page that carries
/// `$next` is followed (a filtered source may serve some), but a server that
/// hands out fresh cursors over empty pages forever would never trip the
/// repeated-URL guard.
pub const MAX_EMPTY_PAGES_IN_A_ROW: u32 = 100;

/// Why a listing cannot go on safely.
///
/// ```
/// use edlink_model::{ListParams, Paginator, PageOutcome, PagingError};
///
/// let mut p = Paginator::new("https://ed.link/api/v1/integrations", ListParams::new().validate()?);
/// let a = "https://ed.link/api/v1/integrations?$cursor=a";
/// p.advance(PageOutcome { items: 1, last_id: None, next: Some(a) })?;
/// let err = p.advance(PageOutcome { items: 1, last_id: None, next: Some(a) }).unwrap_err();
/// assert!(matches!(err, PagingError::Loop { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingError {
    /// The server sent a next page that this listing already requested.
    Loop {
        /// The repeated URL.
        url: String,
    },
    /// A full page came without `$next`, and its last item has no id to
    /// continue `$after`/`$before` from.
    MissingId,
    /// The cursor expired again and again with no item served in between.
    CursorKeepsExpiring {
        /// How many resumes were tried.
        resumes: u32,
    },
    /// Too many empty pages in a row, each with a new `$next`.
    NoProgress {
        /// How many empty pages came in a row.
        empty_pages: u32,
    },
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Loop { url } => write!(f, "paging loop: the server sent {url} again"),
            Self::MissingId => f.write_str(
                "paging cannot continue: a full page came without $next and its last item has no id",
            ),
            Self::CursorKeepsExpiring { resumes } => write!(
                f,
                "the paging cursor expired {resumes} times in a row with no item in between"
            ),
            Self::NoProgress { empty_pages } => write!(
                f,
                "paging made no progress: {empty_pages} empty pages in a row, each with a new $next"
            ),
        }
    }
}

impl std::error::Error for PagingError {}

/// What came back for one page, as the paginator needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageOutcome<'a> {
    /// How many items the page held.
    pub items: usize,
    /// The id of the page's last item, when it has one.
    pub last_id: Option<Uuid>,
    /// `$next` as sent: absolute, or relative to the collection URL.
    pub next: Option<&'a str>,
}

/// Decides each request of one listing.
///
/// Rules, in order, after each page:
/// 1. `$next` present: follow it (resolved against the collection URL when
///    relative), unless this listing already requested it: then
///    [`PagingError::Loop`]. An empty page with `$next` is followed.
/// 2. No `$next`, and the page was full (as many items as asked for): ask again
///    with the original parameters plus `$after` (forward) or `$before`
///    (backward) = the last item's id. This serves servers that send no `$next`.
/// 3. Otherwise the listing is complete.
///
/// After `400 INVALID_CURSOR`, [`Paginator::resume`] gives the original
/// parameters plus `$after`/`$before` = the last item handed out, so nothing
/// is lost or repeated.
///
/// It never adds the original parameters to a `$next` URL: the cursor carries
/// them, and Edlink warns `PAGING_IGNORED` when both are sent.
///
/// ```
/// use edlink_model::{ListParams, PageOutcome, Paginator};
/// use uuid::Uuid;
///
/// let params = ListParams::new().first(2).validate()?;
/// let mut p = Paginator::new("https://ed.link/api/v1/integrations", params);
/// assert_eq!(p.first_url(), "https://ed.link/api/v1/integrations?$first=2");
///
/// let id = Uuid::from_u128(7);
/// // A full page and no `$next`: fall back to `$after`.
/// let next = p.advance(PageOutcome { items: 2, last_id: Some(id), next: None })?;
/// assert_eq!(next.as_deref(), Some(format!("https://ed.link/api/v1/integrations?$first=2&$after={id}").as_str()));
/// // A short page: done.
/// assert_eq!(p.advance(PageOutcome { items: 1, last_id: Some(Uuid::from_u128(8)), next: None })?, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Paginator {
    collection_url: String,
    params: ValidParams,
    // Hashes, not URLs, so memory stays at 8 bytes a page whatever their length.
    requested: HashSet<u64>,
    last_handed_out: Option<Uuid>,
    pages: u64,
    resumes_in_a_row: u32,
    empty_pages_in_a_row: u32,
}

fn fingerprint(url: &str) -> u64 {
    let mut h = DefaultHasher::new();
    url.hash(&mut h);
    h.finish()
}

impl Paginator {
    /// A paginator for the collection at `collection_url` (absolute, with no
    /// query, e.g. `https://ed.link/api/v1/integrations`).
    pub fn new(collection_url: impl Into<String>, params: ValidParams) -> Self {
        let mut p = Self {
            collection_url: collection_url.into(),
            params,
            requested: HashSet::new(),
            last_handed_out: None,
            pages: 0,
            resumes_in_a_row: 0,
            empty_pages_in_a_row: 0,
        };
        let first = p.first_url();
        p.requested.insert(fingerprint(&first));
        p
    }

    /// The URL of the first page: the collection with the original parameters.
    pub fn first_url(&self) -> String {
        self.url_for(&self.params)
    }

    /// How many pages have been advanced past.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// The id of the last item of the last page advanced past: the last item a
    /// listing has handed out, since items go out only after their whole page
    /// decoded.
    pub fn last_handed_out(&self) -> Option<Uuid> {
        self.last_handed_out
    }

    fn url_for(&self, params: &ValidParams) -> String {
        format!("{}?{}", self.collection_url, params.to_query())
    }

    /// Records a page and returns the URL of the next one, or `None` when the
    /// listing is complete.
    pub fn advance(&mut self, page: PageOutcome<'_>) -> Result<Option<String>, PagingError> {
        self.pages += 1;
        // Only items are progress: a resume answered by empty pages with fresh
        // cursors must still count towards the limits.
        if page.items > 0 {
            self.resumes_in_a_row = 0;
            self.empty_pages_in_a_row = 0;
        } else {
            self.empty_pages_in_a_row += 1;
            if self.empty_pages_in_a_row >= MAX_EMPTY_PAGES_IN_A_ROW && page.next.is_some() {
                return Err(PagingError::NoProgress {
                    empty_pages: self.empty_pages_in_a_row,
                });
            }
        }
        if page.last_id.is_some() {
            self.last_handed_out = page.last_id;
        }
        let next = match page.next.filter(|n| !n.trim().is_empty()) {
            Some(raw) => resolve(&self.collection_url, raw.trim()),
            None if page.items as u64 >= u64::from(self.params.direction().page_size()) => {
                let id = page.last_id.ok_or(PagingError::MissingId)?;
                self.url_for(&self.params.continuing_past(id))
            }
            None => return Ok(None),
        };
        if !self.requested.insert(fingerprint(&next)) {
            return Err(PagingError::Loop { url: next });
        }
        Ok(Some(next))
    }

    /// The URL to ask after the server refused a cursor as expired or invalid
    /// (`INVALID_CURSOR`): the original parameters, continuing past the last
    /// item handed out (or from the original start, when none was).
    pub fn resume(&mut self) -> Result<String, PagingError> {
        self.resumes_in_a_row += 1;
        if self.resumes_in_a_row > MAX_RESUMES_WITHOUT_PROGRESS {
            return Err(PagingError::CursorKeepsExpiring {
                resumes: self.resumes_in_a_row - 1,
            });
        }
        let params = match self.last_handed_out {
            Some(id) => self.params.continuing_past(id),
            None => self.params,
        };
        let url = self.url_for(&params);
        // A resumed URL may equal one asked before (the `$after` fallback):
        // that is progress from a known point, not a loop.
        self.requested.insert(fingerprint(&url));
        Ok(url)
    }

    /// The listing's direction and page size.
    pub fn direction(&self) -> Direction {
        self.params.direction()
    }
}

/// Resolves `next` against `collection_url` (RFC 3986 reference resolution for
/// the forms a server sends: absolute, `//host/…`, `/path…`, `?query`, or a
/// path relative to the collection's folder). The result is only a string:
/// deciding whether it is safe to send credentials there is the caller's job.
///
/// ```
/// use edlink_model::resolve_next;
///
/// let base = "https://ed.link/api/v1/integrations";
/// assert_eq!(resolve_next(base, "?$cursor=x"), "https://ed.link/api/v1/integrations?$cursor=x");
/// assert_eq!(resolve_next(base, "/api/v1/integrations?$cursor=x"), "https://ed.link/api/v1/integrations?$cursor=x");
/// assert_eq!(resolve_next(base, "//eu.ed.link/a"), "https://eu.ed.link/a");
/// assert_eq!(resolve_next(base, "https://ed.link/b"), "https://ed.link/b");
/// ```
pub fn resolve_next(collection_url: &str, next: &str) -> String {
    resolve(collection_url, next)
}

fn resolve(base: &str, next: &str) -> String {
    // Every index below comes from `find` on an ASCII byte or from a prefix
    // length, so each slice falls on a character boundary, whatever `base` is
    // (the client always passes a validated URL; this function is public).
    let (scheme, after_scheme) = match base.split_once("://") {
        Some((scheme, rest)) => (scheme, rest),
        None => ("https", base),
    };
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let origin_len = base.len() - after_scheme.len() + authority_end;
    let origin = &base[..origin_len];
    let rest = &base[origin_len..];
    let path = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    if has_scheme(next) {
        next.to_owned()
    } else if let Some(after) = next.strip_prefix("//") {
        format!("{scheme}://{after}")
    } else if next.starts_with('/') {
        format!("{origin}{next}")
    } else if next.starts_with('?') {
        format!("{origin}{path}{next}")
    } else {
        let folder = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let folder = if folder.is_empty() { "/" } else { folder };
        format!("{origin}{folder}{next}")
    }
}

/// `scheme:` per RFC 3986: a letter, then letters, digits, `+`, `-`, `.`.
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests;
