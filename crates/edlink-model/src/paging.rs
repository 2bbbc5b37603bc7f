//! The sans-IO paging state machine: given the page that just came back, it
//! decides the next request. Every client of this SDK pages through it, so
//! the rules live in this one place.

use std::collections::HashSet;
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};

use uuid::Uuid;

use crate::{Direction, OffOrigin, Origin, ParamError, ValidParams};

mod peek;

pub use peek::peek_next;

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
/// use edlink_model::{ListParams, Origin, Paginator, PageOutcome, PagingError};
///
/// let origin = Origin::new("https://ed.link")?;
/// let mut p = Paginator::new(&origin, "/api/v1/integrations", ListParams::new().validate()?);
/// let a = "https://ed.link/api/v1/integrations?$cursor=a";
/// p.advance(PageOutcome { items: 1, last_id: None, next: Some(a) })?;
/// let err = p.advance(PageOutcome { items: 1, last_id: None, next: Some(a) }).unwrap_err();
/// assert!(matches!(err, PagingError::Loop { .. }));
/// let evil = Some("https://evil.example/api/v1/integrations?$cursor=b");
/// let err = p.advance(PageOutcome { items: 1, last_id: None, next: evil }).unwrap_err();
/// assert!(matches!(err, PagingError::OffOrigin(_)));
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
    /// A `$next` (or a URL to continue from) is not on the base URL's origin:
    /// no request may go there, as it would carry the credential.
    OffOrigin(OffOrigin),
    /// The cursor expired, and this listing cannot resume from the last item
    /// ([`PagingRules::NextOnly`]: the endpoint may ignore `$after`).
    CannotResume,
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
            Self::OffOrigin(refused) => write!(
                f,
                "refused to follow $next: {refused} (the credential goes to that origin only)"
            ),
            Self::CannotResume => f.write_str(
                "the paging cursor expired, and this endpoint cannot resume after the last item \
                 (it may ignore $after): start the listing again",
            ),
        }
    }
}

impl std::error::Error for PagingError {}

/// Which paging rules a listing follows: they differ between the Graph API
/// and the User API.
///
/// ```
/// use edlink_model::{ListParams, PagingRules, ParamError};
///
/// let first = ListParams::new().first(50).validate()?;
/// assert_eq!(PagingRules::NextOnly.check(&first), Ok(()));
/// let after = ListParams::new().after(uuid::Uuid::nil()).validate()?;
/// assert_eq!(PagingRules::NextOnly.check(&after), Err(ParamError::Unsupported { name: "$after" }));
/// assert_eq!(PagingRules::Full.check(&after), Ok(()));
/// # Ok::<(), ParamError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PagingRules {
    /// The v1 meta and Graph API rules: `$first`/`$last`/`$after`/`$before`,
    /// `$next`, the `$after` fallback after a full page without `$next`, and
    /// a resume after an expired cursor (see [`Paginator`]).
    #[default]
    Full,
    /// The User API (`/api/v2/my/…`): many of its endpoints honour only
    /// `$first` (Edlink's paging guide; a provider may even ignore the size,
    /// with the warning `PROVIDER_IGNORED_PAGE_SIZE`), so a listing sends
    /// `$first` alone and follows `$next` as sent, and nothing else: `$last`,
    /// `$after` and `$before` are refused before any request, a page without
    /// `$next` ends the listing however many items it held, and an expired
    /// cursor ends it with [`PagingError::CannotResume`] (an ignored
    /// `$after` would repeat items).
    NextOnly,
}

impl PagingRules {
    /// Whether these rules allow `params`: [`PagingRules::NextOnly`]
    /// refuses `$last`, `$after` and `$before`.
    pub fn check(self, params: &ValidParams) -> Result<(), ParamError> {
        if self == Self::Full {
            return Ok(());
        }
        let unsupported = |name| Err(ParamError::Unsupported { name });
        if matches!(params.direction(), Direction::Backward(_)) {
            return unsupported("$last");
        }
        if params.after().is_some() {
            return unsupported("$after");
        }
        if params.before().is_some() {
            return unsupported("$before");
        }
        Ok(())
    }
}

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
/// It is built with the base URL's [`Origin`], and every URL it hands out
/// passed [`Origin`]'s check: a `$next` on another origin is
/// [`PagingError::OffOrigin`], never a URL, so paging with this crate alone
/// (your own HTTP stack) cannot send a credential elsewhere.
///
/// Rules, in order, after each page:
/// 1. `$next` present: follow it verbatim (resolved against the URL of the
///    page that sent it when relative), unless it is off-origin
///    ([`PagingError::OffOrigin`]) or this listing already requested it
///    ([`PagingError::Loop`]). An empty page with `$next` is followed.
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
/// them (page size, `$filter`, `$expand`, `$fields`), and Edlink warns
/// `PAGING_IGNORED` when both are sent.
///
/// ```
/// use edlink_model::{ListParams, Origin, PageOutcome, Paginator};
/// use uuid::Uuid;
///
/// let origin = Origin::new("https://ed.link")?;
/// let params = ListParams::new().first(2).validate()?;
/// let mut p = Paginator::new(&origin, "/api/v1/integrations", params);
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
    origin: Origin,
    collection_url: String,
    params: ValidParams,
    /// The URL of the first request.
    first: String,
    /// The URL of the page last handed out: relative `$next`s resolve against it.
    current: String,
    // Hashes, not URLs, so memory stays at 8 bytes a page whatever their length.
    requested: HashSet<u64>,
    last_handed_out: Option<Uuid>,
    pages: u64,
    resumes_in_a_row: u32,
    empty_pages_in_a_row: u32,
    rules: PagingRules,
}

fn fingerprint(url: &str) -> u64 {
    let mut h = DefaultHasher::new();
    url.hash(&mut h);
    h.finish()
}

impl Paginator {
    /// A paginator for the collection at `path` (e.g. `/api/v1/integrations`,
    /// under the base URL's path prefix) on `origin`.
    pub fn new(origin: &Origin, path: &str, params: ValidParams) -> Self {
        let collection_url = origin.join(path);
        let first = format!("{collection_url}?{}", params.to_query());
        Self::starting(origin, collection_url, params, first)
    }

    /// A paginator that continues a listing from a `$next` value a previous
    /// listing handed out (a web app's "next page" link), with the same
    /// parameters as that listing (they still decide the page size and what
    /// a resume after an expired cursor asks for). `next` must be on
    /// `origin`, like every `$next`.
    ///
    /// ```
    /// use edlink_model::{ListParams, Origin, Paginator, PagingError};
    ///
    /// let origin = Origin::new("https://ed.link")?;
    /// let params = ListParams::new().first(50).validate()?;
    /// let next = "https://ed.link/api/v1/integrations?$cursor=abc";
    /// let p = Paginator::starting_at(&origin, "/api/v1/integrations", params.clone(), next)?;
    /// assert_eq!(p.first_url(), next);
    /// let err = Paginator::starting_at(&origin, "/api/v1/integrations", params, "https://evil.example/x");
    /// assert!(matches!(err, Err(PagingError::OffOrigin(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn starting_at(
        origin: &Origin,
        path: &str,
        params: ValidParams,
        next: &str,
    ) -> Result<Self, PagingError> {
        let collection_url = origin.join(path);
        let first = origin
            .resolve(&collection_url, next.trim())
            .map_err(PagingError::OffOrigin)?;
        Ok(Self::starting(origin, collection_url, params, first.into()))
    }

    fn starting(
        origin: &Origin,
        collection_url: String,
        params: ValidParams,
        first: String,
    ) -> Self {
        let mut requested = HashSet::new();
        requested.insert(fingerprint(&first));
        Self {
            origin: origin.clone(),
            collection_url,
            params,
            current: first.clone(),
            first,
            requested,
            last_handed_out: None,
            pages: 0,
            resumes_in_a_row: 0,
            empty_pages_in_a_row: 0,
            rules: PagingRules::Full,
        }
    }

    /// The same paginator, following `rules` (default
    /// [`PagingRules::Full`]). Check the parameters with
    /// [`PagingRules::check`] first.
    ///
    /// ```
    /// use edlink_model::{ListParams, Origin, PageOutcome, Paginator, PagingError, PagingRules};
    ///
    /// let origin = Origin::new("https://ed.link")?;
    /// let params = ListParams::new().first(2).validate()?;
    /// let mut p = Paginator::new(&origin, "/api/v2/my/classes", params).with_rules(PagingRules::NextOnly);
    /// // A full page without `$next`: the listing is complete.
    /// let id = Some(uuid::Uuid::from_u128(7));
    /// assert_eq!(p.advance(PageOutcome { items: 2, last_id: id, next: None })?, None);
    /// assert_eq!(p.resume(), Err(PagingError::CannotResume));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_rules(mut self, rules: PagingRules) -> Self {
        self.rules = rules;
        self
    }

    /// The rules this paginator follows.
    pub fn rules(&self) -> PagingRules {
        self.rules
    }

    /// The URL of the first request: the collection with the original
    /// parameters (or the `$next` given to [`starting_at`](Self::starting_at)).
    pub fn first_url(&self) -> &str {
        &self.first
    }

    /// The origin every URL of this listing stays on.
    pub fn origin(&self) -> &Origin {
        &self.origin
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
        let next = match page.next.and_then(|raw| self.resolve_next(raw).transpose()) {
            Some(resolved) => resolved?,
            None if self.rules == PagingRules::Full
                && page.items as u64 >= u64::from(self.params.direction().page_size()) =>
            {
                let id = page.last_id.ok_or(PagingError::MissingId)?;
                self.url_for(&self.params.continuing_past(id))
            }
            None => return Ok(None),
        };
        if !self.requested.insert(fingerprint(&next)) {
            return Err(PagingError::Loop { url: next });
        }
        self.current.clone_from(&next);
        Ok(Some(next))
    }

    /// A `$next` as [`advance`](Self::advance) follows it: `None` when blank, else resolved
    /// against the URL of the page that sent it, on the origin.
    fn resolve_next(&self, raw: &str) -> Result<Option<String>, PagingError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let url = self
            .origin
            .resolve(&self.current, raw)
            .map_err(PagingError::OffOrigin)?;
        Ok(Some(url.into()))
    }

    /// The URL [`advance`](Self::advance) will return after the current page if that page's
    /// `$next` is `next`, without recording anything: a client can send that request while
    /// the page decodes ([`peek_next`] reads `next` from the body's edges), then use its
    /// answer only if `advance` returns the same URL.
    ///
    /// `Ok(None)` for a blank `next` (what comes after depends on the decoded page); the
    /// errors `advance` would give for it otherwise (`OffOrigin`, `Loop`).
    ///
    /// ```
    /// use edlink_model::{ListParams, Origin, PageOutcome, Paginator, PagingError};
    ///
    /// let origin = Origin::new("https://ed.link")?;
    /// let mut p = Paginator::new(&origin, "/api/v1/integrations", ListParams::new().validate()?);
    /// let early = p.next_url_for("?$cursor=b")?;
    /// assert_eq!(early.as_deref(), Some("https://ed.link/api/v1/integrations?$cursor=b"));
    /// assert!(matches!(p.next_url_for("https://evil.example/x"), Err(PagingError::OffOrigin(_))));
    /// // Nothing was recorded: the page's own `$next` gives the same URL.
    /// let next = p.advance(PageOutcome { items: 1, last_id: None, next: Some("?$cursor=b") })?;
    /// assert_eq!(next, early);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_url_for(&self, next: &str) -> Result<Option<String>, PagingError> {
        let url = self.resolve_next(next)?;
        match url {
            Some(url) if self.requested.contains(&fingerprint(&url)) => {
                Err(PagingError::Loop { url })
            }
            url => Ok(url),
        }
    }

    /// The URL to ask after the server refused a cursor as expired or invalid
    /// (`INVALID_CURSOR`): the original parameters, continuing past the last
    /// item handed out (or from the original start, when none was).
    pub fn resume(&mut self) -> Result<String, PagingError> {
        if self.rules == PagingRules::NextOnly {
            return Err(PagingError::CannotResume);
        }
        self.resumes_in_a_row += 1;
        if self.resumes_in_a_row > MAX_RESUMES_WITHOUT_PROGRESS {
            return Err(PagingError::CursorKeepsExpiring {
                resumes: self.resumes_in_a_row - 1,
            });
        }
        let params = match self.last_handed_out {
            Some(id) => self.params.continuing_past(id),
            None => self.params.clone(),
        };
        let url = self.url_for(&params);
        // A resumed URL may equal one asked before (the `$after` fallback):
        // that is progress from a known point, not a loop.
        self.requested.insert(fingerprint(&url));
        self.current.clone_from(&url);
        Ok(url)
    }

    /// The listing's direction and page size.
    pub fn direction(&self) -> Direction {
        self.params.direction()
    }

    /// The listing's parameters, as given.
    ///
    /// ```
    /// use edlink_model::{ListParams, Origin, Paginator};
    ///
    /// let origin = Origin::new("https://ed.link")?;
    /// let p = Paginator::new(&origin, "/api/v2/graph/events", ListParams::new().after(uuid::Uuid::nil()).validate()?);
    /// assert_eq!(p.params().after(), Some(uuid::Uuid::nil()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn params(&self) -> &ValidParams {
        &self.params
    }
}

#[cfg(test)]
mod tests;
