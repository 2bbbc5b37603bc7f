//! Routing and the normal (fault-free) answers: lists, fetches, errors.

use std::sync::atomic::Ordering;

use http::{Method, StatusCode};

use crate::collection::Collection;
use crate::cursor::Cursor;
use crate::faults::Fault;
use crate::paging::{self, PageQuery, PageSpec};
use crate::reply::{self, ApiError, Reply, Warning};
use crate::server::State;
use crate::text::{parse_uuid, query_pairs};

/// The route a request matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// `GET /api/v1/<collection>`.
    List(Collection),
    /// `GET /api/v1/<collection>/:id`.
    Fetch(Collection),
    /// Anything else (answered `404 NOT_FOUND`).
    Unknown,
}

impl Route {
    /// Matches a path (one trailing `/` is ignored). Returns the id text of a fetch route.
    pub fn parse(path: &str) -> (Route, Option<&str>) {
        let path = path.strip_suffix('/').unwrap_or(path);
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
        (Route::Unknown, None)
    }

    /// The collection of a list or fetch route.
    pub fn collection(self) -> Option<Collection> {
        match self {
            Route::List(r) | Route::Fetch(r) => Some(r),
            Route::Unknown => None,
        }
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
    pub(crate) request_id: &'a str,
    pub(crate) seq: u64,
}

/// The normal answer to a request; `fault` only matters for the faults that change the
/// envelope (`$next` rewrites, empty page, extra warning).
pub(crate) fn answer(state: &State, req: &Incoming<'_>, fault: Option<&Fault>) -> Reply {
    let mut warnings: Vec<Warning> = Vec::new();
    if let Some(Fault::Warning { code, message }) = fault {
        warnings.push((code.clone(), message.clone()));
    }
    let result = match req.route {
        Route::Unknown => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("No route matches {} {}.", req.method, req.path),
        )),
        _ if req.method != Method::GET => Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "UNSUPPORTED_OPERATION",
            format!("{} is not supported on {}; use GET.", req.method, req.path),
        )),
        Route::List(Collection::Integrations) | Route::Fetch(Collection::Integrations)
            if state.config.secret_key.is_some() && !req.authorization_valid =>
        {
            Err(ApiError::new(
                state.config.auth_status,
                "INVALID_TOKEN",
                "The application secret key is missing or invalid.",
            ))
        }
        Route::List(collection) => list(state, req, collection, fault, &mut warnings),
        Route::Fetch(collection) => fetch(state, req, collection, &warnings),
    };
    match result {
        Ok(reply) => reply,
        Err(err) => {
            let mut reply = reply::error_reply(&err, req.request_id, &warnings);
            if err.status == StatusCode::METHOD_NOT_ALLOWED {
                reply = reply.header("allow", "GET");
            }
            if err.status == StatusCode::UNAUTHORIZED {
                reply = reply.header("www-authenticate", "Bearer");
            }
            reply
        }
    }
}

fn fetch(
    state: &State,
    req: &Incoming<'_>,
    collection: Collection,
    warnings: &[Warning],
) -> Result<Reply, ApiError> {
    let id = req.id.and_then(parse_uuid).ok_or_else(|| {
        ApiError::bad_request(
            "INVALID_UUID",
            "The id must be a UUID in 8-4-4-4-12 hex form.",
        )
    })?;
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

/// Decodes and checks a cursor: tampering, route, expiry by epoch, age and test switches.
fn open_cursor(
    state: &State,
    text: &str,
    collection: Collection,
    seq: u64,
) -> Result<PageSpec, ApiError> {
    let cursor =
        Cursor::decode(text, state.config.cursor_key).ok_or_else(|| invalid_cursor("malformed"))?;
    if cursor.collection != collection {
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
    Ok(cursor.spec)
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
                warnings.push((
                    "PAGING_IGNORED".to_owned(),
                    "Paging parameters are ignored when $cursor is present.".to_owned(),
                ));
            }
            open_cursor(state, &text, collection, req.seq)?
        }
    };
    let items_all = state.data.items_of(collection);
    let mut page = paging::select(items_all.keys(), &spec);
    let self_url = match req.query {
        Some(q) => format!("{}{}?{q}", state.next_base, req.path),
        None => format!("{}{}", state.next_base, req.path),
    };
    let cursor_url = |origin: &str, spec: &PageSpec| {
        let cursor = state.issue_cursor(collection, *spec);
        format!("{origin}{}?$cursor={cursor}", collection.path())
    };
    let previous = state.remember_page(collection, self_url.clone());
    let next = match fault {
        Some(Fault::ForeignNext(origin)) => Some(cursor_url(
            origin.trim_end_matches('/'),
            page.next.as_ref().unwrap_or(&spec),
        )),
        Some(Fault::NextUrl(url)) => Some(url.clone()),
        Some(Fault::RepeatNext) => Some(previous.unwrap_or(self_url)),
        Some(Fault::EmptyPage) => {
            // No items, and a `$next` that serves this very page.
            page.range = page.range.start..page.range.start;
            Some(cursor_url(&state.next_base, &spec))
        }
        _ if state.config.no_next => None,
        _ => page.next.as_ref().map(|s| cursor_url(&state.next_base, s)),
    };
    let items = items_all.items().get(page.range.clone()).unwrap_or(&[]);
    let body = if page.reverse {
        reply::list_body(
            items.iter().rev(),
            next.as_deref(),
            req.request_id,
            warnings,
        )
    } else {
        reply::list_body(items.iter(), next.as_deref(), req.request_id, warnings)
    };
    Ok(Reply::json(StatusCode::OK, body))
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
    }
}
