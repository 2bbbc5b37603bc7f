//! Routing and the normal (fault-free) answers of the v1 routes; the Graph routes answer in
//! [`crate::graph::routes`]. Shared here: cursors, `$next` (and its faults), list envelopes.

use std::sync::atomic::Ordering;

use bytes::Bytes;
use http::{Method, StatusCode};

use crate::collection::Collection;
use crate::cursor::Cursor;
use crate::faults::Fault;
use crate::graph::relation::Relation;
use crate::log::Credential;
use crate::paging::{self, Page, PageQuery, PageSpec};
use crate::reply::{self, ApiError, Reply, Warning};
use crate::sso::MyRoute;
use crate::state::State;
use crate::text::{parse_uuid, query_pairs};

/// The route a request matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Route {
    /// `GET /api/v1/<collection>` or `GET /api/v2/graph/<collection>`.
    List(Collection),
    /// `GET /api/v1/<collection>/:id` or `GET /api/v2/graph/<collection>/:id`.
    Fetch(Collection),
    /// `GET /api/v2/graph/<collection>/:id/<relation>`, e.g. `/schools/:id/teachers`.
    Nested(Collection, Relation),
    /// `POST /api/authentication/token`: a code exchange or a refresh.
    Token,
    /// `GET /sso/login`: the login page, which redirects back with a code.
    Login,
    /// `GET /api/v2/my/…`: the User API, with a person's token.
    My(MyRoute),
    /// `/__mock/…`: the mock's own routes (dump, mutate, age out events); never faulted.
    Admin,
    /// Anything else (answered `404 NOT_FOUND`).
    Unknown,
}

/// The prefix of every Graph route.
const GRAPH: &str = "/api/v2/graph/";
/// The token endpoint.
const TOKEN_PATH: &str = "/api/authentication/token";
/// The login page.
const LOGIN_PATH: &str = "/sso/login";
/// The prefix of the mock's own routes.
pub(crate) const ADMIN: &str = "/__mock/";

impl Route {
    /// Matches a path (one trailing `/` is ignored). Returns the id text of a fetch or nested
    /// route.
    ///
    /// ```
    /// use edlink_mock::{Collection, Relation, Route};
    /// assert_eq!(Route::parse("/api/v2/graph/schools/x/teachers"),
    ///            (Route::Nested(Collection::Schools, Relation::Teachers), Some("x")));
    /// assert_eq!(Route::parse("/api/v2/graph/licenses/x").0, Route::Unknown);
    /// ```
    pub fn parse(path: &str) -> (Route, Option<&str>) {
        let path = path.strip_suffix('/').unwrap_or(path);
        match path {
            TOKEN_PATH => return (Route::Token, None),
            LOGIN_PATH => return (Route::Login, None),
            _ => {}
        }
        if path.starts_with("/api/v2/my/") {
            return match crate::sso::route::parse(path) {
                Some((my, id)) => (Route::My(my), id),
                None => (Route::Unknown, None),
            };
        }
        if let Some(rest) = path.strip_prefix(ADMIN) {
            return (Route::Admin, Some(rest));
        }
        for collection in Collection::V1 {
            if let Some(rest) = path.strip_prefix(collection.path()) {
                if rest.is_empty() {
                    return (Route::List(collection), None);
                }
                if let Some(id) = rest.strip_prefix('/') {
                    if !id.is_empty() && !id.contains('/') {
                        return (Route::Fetch(collection), Some(id));
                    }
                }
            }
        }
        let Some(rest) = path.strip_prefix(GRAPH) else {
            return (Route::Unknown, None);
        };
        let mut parts = rest.split('/');
        let name = parts.next().unwrap_or("");
        let Some(collection) = Collection::GRAPH.into_iter().find(|c| c.name() == name) else {
            return (Route::Unknown, None);
        };
        match (parts.next(), parts.next(), parts.next()) {
            (None, _, _) => (Route::List(collection), None),
            // Licenses are list-only.
            (Some(id), None, _) if !id.is_empty() && collection != Collection::Licenses => {
                (Route::Fetch(collection), Some(id))
            }
            (Some(id), Some(segment), None) if !id.is_empty() => {
                match Relation::of(collection, segment) {
                    Some(relation) => (Route::Nested(collection, relation), Some(id)),
                    None => (Route::Unknown, None),
                }
            }
            _ => (Route::Unknown, None),
        }
    }

    /// The collection of a v1 or Graph list or fetch route, or the parent of a nested one
    /// (`None` for the User API's routes: target those with
    /// [`FaultTarget::Route`](crate::FaultTarget::Route)).
    pub fn collection(self) -> Option<Collection> {
        match self {
            Route::List(c) | Route::Fetch(c) | Route::Nested(c, _) => Some(c),
            _ => None,
        }
    }

    /// Whether it is a Graph route (`/api/v2/graph/…`, known).
    pub fn is_graph(self) -> bool {
        self.collection().is_some_and(Collection::is_graph)
    }

    /// Whether it is a User API route (`/api/v2/my/…`, known).
    pub fn is_my(self) -> bool {
        matches!(self, Route::My(_))
    }
}

/// What the handler needs to know about a request.
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a Method,
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) route: Route,
    pub(crate) id: Option<&'a str>,
    pub(crate) authorization_valid: bool,
    pub(crate) credential: Credential,
    pub(crate) request_id: &'a str,
    pub(crate) seq: u64,
    /// The request body (read only for the token endpoint; empty otherwise).
    pub(crate) body: &'a [u8],
}

/// The `INVALID_TOKEN` answer (401 by default, with `WWW-Authenticate: Bearer`).
pub(crate) fn invalid_token(state: &State, what: &str) -> ApiError {
    ApiError::new(
        state.config.auth_status,
        "INVALID_TOKEN",
        format!("The {what} is missing or invalid."),
    )
}

/// The normal answer to a request; `fault` only matters for the faults that change the
/// envelope (`$next` rewrites, empty page, extra warning).
pub(crate) fn answer(state: &State, req: &Incoming<'_>, fault: Option<&Fault>) -> Reply {
    let mut warnings: Vec<Warning> = Vec::new();
    if let Some(Fault::Warning { code, message }) = fault {
        warnings.push((code.clone(), message.clone()));
    }
    let result = match req.route {
        Route::Admin => crate::graph::admin::answer(state, req),
        Route::Unknown => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("No route matches {} {}.", req.method, req.path),
        )),
        Route::Token if req.method == Method::POST => crate::sso::token::answer(state, req),
        Route::Token => Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "UNSUPPORTED_OPERATION",
            format!("{} is not supported on {}; use POST.", req.method, req.path),
        )),
        _ if req.method != Method::GET => Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "UNSUPPORTED_OPERATION",
            format!("{} is not supported on {}; use GET.", req.method, req.path),
        )),
        route if route.is_graph() => crate::graph::routes::answer(state, req, fault, &mut warnings),
        Route::Login => crate::sso::login::answer(state, req),
        Route::My(my) => crate::sso::my::answer(state, req, my, fault, &mut warnings),
        Route::List(Collection::Integrations) | Route::Fetch(Collection::Integrations)
            if state.config.secret_key.is_some() && !req.authorization_valid =>
        {
            Err(invalid_token(state, "application secret key"))
        }
        Route::List(collection) => list(state, req, collection, fault, &mut warnings),
        Route::Fetch(collection) => fetch(state, req, collection, &warnings),
        Route::Nested(..) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("No route matches {} {}.", req.method, req.path),
        )),
    };
    match result {
        Ok(reply) => reply,
        Err(err) => {
            let mut reply = reply::error_reply(&err, req.request_id, &warnings);
            if err.status == StatusCode::METHOD_NOT_ALLOWED {
                let allow = match req.route {
                    Route::Token => "POST",
                    Route::Admin => crate::graph::admin::allowed(req),
                    _ => "GET",
                };
                reply = reply.header("allow", allow);
            }
            if err.status == StatusCode::UNAUTHORIZED {
                reply = reply.header("www-authenticate", "Bearer");
            }
            reply
        }
    }
}

/// The id of a fetch or nested route as 128 bits, or `400 INVALID_UUID`.
pub(crate) fn path_id(req: &Incoming<'_>) -> Result<u128, ApiError> {
    req.id.and_then(parse_uuid).ok_or_else(|| {
        ApiError::bad_request(
            "INVALID_UUID",
            "The id must be a UUID in 8-4-4-4-12 hex form.",
        )
    })
}

fn fetch(
    state: &State,
    req: &Incoming<'_>,
    collection: Collection,
    warnings: &[Warning],
) -> Result<Reply, ApiError> {
    let id = path_id(req)?;
    let item = state
        .data
        .items_of(collection)
        .get(id)
        .ok_or_else(|| ApiError::bad_request("NOT_FOUND", "No object has this id."))?;
    let body = reply::fetch_body(item, req.request_id, warnings);
    Ok(Reply::json(StatusCode::OK, body))
}

fn invalid_cursor(why: &str) -> ApiError {
    ApiError::bad_request("INVALID_CURSOR", format!("The cursor is {why}."))
}

/// Decodes and checks a cursor: tampering, route (`belongs`), expiry by epoch, age and the
/// test switches, in that order.
pub(crate) fn open_cursor(
    state: &State,
    text: &str,
    seq: u64,
    belongs: impl Fn(&Cursor) -> bool,
) -> Result<Cursor, ApiError> {
    let cursor =
        Cursor::decode(text, state.config.cursor_key).ok_or_else(|| invalid_cursor("malformed"))?;
    if !belongs(&cursor) {
        return Err(invalid_cursor("for another endpoint"));
    }
    if cursor.epoch != state.cursor_epoch.load(Ordering::Relaxed) {
        return Err(invalid_cursor("expired"));
    }
    if let Some(ttl) = state.config.cursor_ttl {
        let age = (state.now_ms() + 1).saturating_sub(cursor.issued_ms);
        if u128::from(age) > ttl.as_millis() {
            return Err(invalid_cursor("expired"));
        }
    }
    if state.take_forced_expiry(seq) {
        return Err(invalid_cursor("expired"));
    }
    Ok(cursor)
}

/// The warning for paging parameters that came with a `$cursor`.
pub(crate) fn paging_ignored() -> Warning {
    (
        "PAGING_IGNORED".to_owned(),
        "Paging parameters are ignored when $cursor is present.".to_owned(),
    )
}

/// Where a list page lives and how its `$next` is made.
pub(crate) struct Listing<'a> {
    /// The key of the route for [`Fault::RepeatNext`].
    pub(crate) route_key: String,
    /// The canonical path the `$next` URL uses.
    pub(crate) path: String,
    /// Issues a cursor for a spec.
    pub(crate) issue: &'a dyn Fn(PageSpec) -> String,
}

/// The `$next` of a page, bent by the faults that rewrite it. May empty `page` (`EmptyPage`).
pub(crate) fn next_link(
    state: &State,
    req: &Incoming<'_>,
    listing: &Listing<'_>,
    spec: &PageSpec,
    page: &mut Page,
    fault: Option<&Fault>,
) -> Option<String> {
    let self_url = match req.query {
        Some(q) => format!("{}{}?{q}", state.next_base, req.path),
        None => format!("{}{}", state.next_base, req.path),
    };
    let cursor_url = |origin: &str, spec: &PageSpec| {
        format!(
            "{origin}{}?$cursor={}",
            listing.path,
            (listing.issue)(*spec)
        )
    };
    let previous = state.remember_page(&listing.route_key, self_url.clone());
    match fault {
        Some(Fault::ForeignNext(origin)) => Some(cursor_url(
            origin.trim_end_matches('/'),
            page.next.as_ref().unwrap_or(spec),
        )),
        Some(Fault::NextUrl(url)) => Some(url.clone()),
        Some(Fault::RepeatNext) => Some(previous.unwrap_or(self_url)),
        Some(Fault::EmptyPage) => {
            // No items, and a `$next` that serves this very page.
            page.positions.clear();
            Some(cursor_url(&state.next_base, spec))
        }
        _ if state.config.no_next => None,
        _ => page.next.as_ref().map(|s| cursor_url(&state.next_base, s)),
    }
}

/// A `200` list page of `items` (already in serving order).
pub(crate) fn list_reply<'a>(
    items: impl Iterator<Item = &'a Bytes> + Clone,
    next: Option<&str>,
    req: &Incoming<'_>,
    warnings: &[Warning],
) -> Reply {
    let body = reply::list_body(items, next, req.request_id, warnings);
    Reply {
        cacheable: body.data_end,
        items: body.items,
        ..Reply::json(StatusCode::OK, body.bytes)
    }
}

fn list(
    state: &State,
    req: &Incoming<'_>,
    collection: Collection,
    fault: Option<&Fault>,
    warnings: &mut Vec<Warning>,
) -> Result<Reply, ApiError> {
    let pairs = query_pairs(req.query.unwrap_or(""));
    let spec = match paging::parse(&pairs, state.config.default_page_size)? {
        PageQuery::Fresh(spec) => spec,
        PageQuery::Cursor { text, ignored } => {
            if ignored {
                warnings.push(paging_ignored());
            }
            let belongs = |c: &Cursor| c.collection == collection && c.scope.is_none();
            open_cursor(state, &text, req.seq, belongs)?.spec
        }
    };
    let items = state.data.items_of(collection);
    let keys = items.keys();
    let mut page = paging::select(keys.len(), |i| keys[i], &spec, |_| true);
    let issue = |spec: PageSpec| state.issue_cursor(collection, spec, None);
    let listing = Listing {
        route_key: collection.path().to_owned(),
        path: collection.path().to_owned(),
        issue: &issue,
    };
    let next = next_link(state, req, &listing, &spec, &mut page, fault);
    let all = items.items();
    let served = page.positions.iter().filter_map(|i| all.get(*i));
    Ok(list_reply(served, next.as_deref(), req, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_routes() {
        let r = Collection::Integrations;
        assert_eq!(Route::parse("/api/v1/integrations"), (Route::List(r), None));
        assert_eq!(
            Route::parse("/api/v1/integrations/"),
            (Route::List(r), None)
        );
        assert_eq!(
            Route::parse("/api/v1/integrations/x"),
            (Route::Fetch(r), Some("x"))
        );
        assert_eq!(Route::parse("/api/v1/integrations/x/y").0, Route::Unknown);
        assert_eq!(Route::parse("/api/v1/integrationsx").0, Route::Unknown);
        assert_eq!(
            Route::parse("/api/v1/providers").0,
            Route::List(Collection::Providers)
        );
        assert_eq!(
            Route::parse("/api/v1/permissions/1").0,
            Route::Fetch(Collection::Permissions)
        );
        assert_eq!(Route::parse("/").0, Route::Unknown);
        assert_eq!(
            Route::parse("/__mock/dump/x"),
            (Route::Admin, Some("dump/x"))
        );
        assert_eq!(Route::parse("/__mock").0, Route::Unknown);
        assert!(!Route::Admin.is_graph() && Route::Admin.collection().is_none());
    }

    #[test]
    fn parse_graph_routes() {
        use Collection as C;
        assert_eq!(
            Route::parse("/api/v2/graph/people/").0,
            Route::List(C::People)
        );
        assert_eq!(
            Route::parse("/api/v2/graph/events/e"),
            (Route::Fetch(C::Events), Some("e"))
        );
        assert_eq!(
            Route::parse("/api/v2/graph/people/p/agents"),
            (Route::Nested(C::People, Relation::Agents), Some("p"))
        );
        for unknown in [
            "/api/v2/graph",
            "/api/v2/graph/",
            "/api/v2/graph/teams",
            "/api/v2/graph/licenses/x",
            "/api/v2/graph/people//agents",
            "/api/v2/graph/people/p/teachers",
            "/api/v2/graph/people/p/agents/x",
            "/api/v2/graph/sessions/s/people",
            "/api/v2/graph/integrations",
        ] {
            assert_eq!(Route::parse(unknown).0, Route::Unknown, "{unknown}");
        }
        assert!(Route::List(C::Events).is_graph());
        assert!(!Route::List(C::Providers).is_graph() && !Route::Unknown.is_graph());
    }
}
