//! The Graph routes: access-token auth, then lists (plain and nested) with `$filter`,
//! `$expand`, `$fields` and cursors that carry them, and fetches.

use http::StatusCode;

use crate::collection::Collection;
use crate::cursor::{Cursor, GraphScope};
use crate::faults::Fault;
use crate::graph::data::GraphData;
use crate::graph::filter::{self, Filter};
use crate::graph::relation::Relation;
use crate::graph::schema;
use crate::graph::shape::Shape;
use crate::log::Credential;
use crate::paging::{self, PageQuery, PageSpec};
use crate::reply::{self, ApiError, Reply, Warning};
use crate::routes::{
    Incoming, Listing, Route, invalid_token, list_reply, next_link, open_cursor, paging_ignored,
    path_id,
};
use crate::state::State;
use crate::text::{query_pairs, uuid_string};

/// The integration states whose access tokens open the Graph API.
pub(crate) const OPEN_STATES: [&str; 2] = ["active", "paused"];

/// The status of `INVALID_INTEGRATION_STATE` answers: the token is known, access is refused.
pub(crate) const INTEGRATION_STATE_STATUS: StatusCode = StatusCode::FORBIDDEN;

/// The integration a request's credential opens, or why not.
fn authorize(state: &State, credential: Credential) -> Result<u128, ApiError> {
    let Credential::AccessToken(id) = credential else {
        return Err(invalid_token(state, "integration access token"));
    };
    let id = id.as_u128();
    let status = state
        .graph
        .access(&state.data, id)
        .and_then(|a| a.status.clone())
        .unwrap_or_default();
    if !OPEN_STATES.contains(&status.as_str()) {
        return Err(ApiError::new(
            INTEGRATION_STATE_STATUS,
            "INVALID_INTEGRATION_STATE",
            format!("The integration must be active or paused; it is {status:?}."),
        ));
    }
    Ok(id)
}

fn not_found(collection: Collection, id: u128) -> ApiError {
    ApiError::bad_request(
        "NOT_FOUND",
        format!(
            "{} with id {} not found for this integration.",
            schema::singular(collection),
            uuid_string(id)
        ),
    )
}

/// The answer to a Graph route (the method is already known to be GET).
pub(crate) fn answer(
    state: &State,
    req: &Incoming<'_>,
    fault: Option<&Fault>,
    warnings: &mut Vec<Warning>,
) -> Result<Reply, ApiError> {
    let integration = authorize(state, req.credential)?;
    let district = state
        .graph
        .district(&state.data, integration)
        .ok_or_else(|| invalid_token(state, "integration access token"))?;
    match req.route {
        Route::Fetch(collection) => fetch(req, &district, collection, warnings),
        Route::List(collection) => list(state, req, &district, collection, None, fault, warnings),
        Route::Nested(parent, relation) => {
            let id = path_id(req)?;
            let at = district
                .position(parent, id)
                .ok_or_else(|| not_found(parent, id))?;
            let view = district.nested(parent, relation, at);
            list(
                state,
                req,
                &district,
                relation.lists(),
                Some(view),
                fault,
                warnings,
            )
        }
        _ => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("No route matches {} {}.", req.method, req.path),
        )),
    }
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn fetch(
    req: &Incoming<'_>,
    district: &GraphData,
    collection: Collection,
    warnings: &mut Vec<Warning>,
) -> Result<Reply, ApiError> {
    let id = path_id(req)?;
    fetch_object(req, district, collection, id, warnings)
}

/// One object of the district, shaped by the request's `$expand` and `$fields`
/// (`400 NOT_FOUND` when the district has no such object).
pub(crate) fn fetch_object(
    req: &Incoming<'_>,
    district: &GraphData,
    collection: Collection,
    id: u128,
    warnings: &mut Vec<Warning>,
) -> Result<Reply, ApiError> {
    let item = district
        .lookup(collection, id)
        .ok_or_else(|| not_found(collection, id))?;
    let pairs = query_pairs(req.query.unwrap_or(""));
    let shape = Shape::parse(
        collection,
        param(&pairs, "$expand"),
        param(&pairs, "$fields"),
        warnings,
    );
    let item = shape.apply(item, |c, id| district.lookup(c, id));
    let body = reply::fetch_body(&item, req.request_id, warnings);
    Ok(Reply::json(StatusCode::OK, body))
}

/// The paging state and scope of a list request, from its query or its cursor.
fn resolve(
    state: &State,
    req: &Incoming<'_>,
    pairs: &[(String, String)],
    collection: Collection,
    scope: GraphScope,
    warnings: &mut Vec<Warning>,
) -> Result<(PageSpec, GraphScope), ApiError> {
    Ok(
        match paging::parse(pairs, state.config.default_page_size)? {
            PageQuery::Fresh(spec) => {
                let scope = GraphScope {
                    filter: param(pairs, "$filter").unwrap_or("").to_owned(),
                    expand: param(pairs, "$expand").unwrap_or("").to_owned(),
                    fields: param(pairs, "$fields").map(str::to_owned),
                    ..scope
                };
                (spec, scope)
            }
            PageQuery::Cursor { text, ignored } => {
                // The cursor carries the filter, expansions and fields: new ones are ignored.
                let shaped = ["$filter", "$expand", "$fields"]
                    .iter()
                    .any(|p| param(pairs, p).is_some());
                if ignored || shaped {
                    warnings.push(paging_ignored());
                }
                let belongs = |c: &Cursor| {
                    c.collection == collection
                        && c.scope.as_ref().is_some_and(|s| {
                            s.integration == scope.integration && s.nested == scope.nested
                        })
                };
                let cursor = open_cursor(state, &text, req.seq, belongs)?;
                (cursor.spec, cursor.scope.unwrap_or(scope))
            }
        },
    )
}

/// Edlink keeps events for 30 days, and an `$after` naming a purged event is an error whose
/// code it does not document (edlink-graph.md §5). The mock answers `400 INVALID_CURSOR`
/// for an `$after` (or a cursor's position) that is not an event the feed holds now: purged,
/// or never one of this district's. Reading on would silently skip the purged changes.
fn check_events_after(
    state: &State,
    district: &GraphData,
    after: Option<u128>,
) -> Result<(), ApiError> {
    match after {
        Some(id) if district.position(Collection::Events, id).is_none() => {
            let kept = span(state.graph.retention());
            Err(ApiError::bad_request(
                "INVALID_CURSOR",
                format!(
                    "The event {} is not in the events feed: events are kept for {kept}, and this one has aged out (or never was an event of this integration). Read the data again, then follow the events from the newest.",
                    uuid_string(id)
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// A duration in the largest whole unit: `30 days`, `2 hours`, `90 seconds`.
fn span(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    let (n, unit) = match secs {
        0 => (0, "second"),
        s if s % 86_400 == 0 => (s / 86_400, "day"),
        s if s % 3_600 == 0 => (s / 3_600, "hour"),
        s => (s, "second"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// A list page of `collection`: every object, or only those at the positions of `view`.
fn list(
    state: &State,
    req: &Incoming<'_>,
    district: &GraphData,
    collection: Collection,
    view: Option<&[u32]>,
    fault: Option<&Fault>,
    warnings: &mut Vec<Warning>,
) -> Result<Reply, ApiError> {
    let nested = match req.route {
        Route::Nested(_, relation) => Some((relation, path_id(req)?)),
        _ => None,
    };
    let path = match nested {
        Some((relation, parent)) => format!(
            "{}/{}/{}",
            req.route
                .collection()
                .map_or(collection.path(), Collection::path),
            uuid_string(parent),
            relation.segment()
        ),
        None => collection.path().to_owned(),
    };
    let target = ListView {
        collection,
        view,
        nested,
        path,
        pairs: query_pairs(req.query.unwrap_or("")),
    };
    list_view(state, req, district, target, fault, warnings)
}

/// What one list request lists.
pub(crate) struct ListView<'a> {
    /// The collection its objects belong to.
    pub(crate) collection: Collection,
    /// Only the objects at these positions of the collection (`None`: all).
    pub(crate) view: Option<&'a [u32]>,
    /// The nested list and its parent's id, which cursors are bound to.
    pub(crate) nested: Option<(Relation, u128)>,
    /// The path `$next` URLs use.
    pub(crate) path: String,
    /// The decoded query parameters.
    pub(crate) pairs: Vec<(String, String)>,
}

/// A list page of `target`, with `$filter`, `$expand`, `$fields` and cursors that carry
/// them: the one list answer of the Graph and User APIs.
pub(crate) fn list_view(
    state: &State,
    req: &Incoming<'_>,
    district: &GraphData,
    target: ListView<'_>,
    fault: Option<&Fault>,
    warnings: &mut Vec<Warning>,
) -> Result<Reply, ApiError> {
    let ListView {
        collection,
        view,
        nested,
        path,
        pairs,
    } = target;
    let base = GraphScope {
        integration: district.integration_id().as_u128(),
        nested,
        ..GraphScope::default()
    };
    let (spec, scope) = resolve(state, req, &pairs, collection, base, warnings)?;
    if collection == Collection::Events && nested.is_none() {
        check_events_after(state, district, spec.after)?;
    }
    let filter = match scope.filter.as_str() {
        "" => Filter::default(),
        text => filter::parse(text, collection).map_err(|why| {
            ApiError::bad_request(
                "INVALID_FILTER",
                format!("The provided value for $filter is invalid: {why}."),
            )
        })?,
    };
    let shape = Shape::parse(
        collection,
        Some(scope.expand.as_str()),
        scope.fields.as_deref(),
        warnings,
    );
    let items = district.items(collection);
    let (keys, all) = (items.keys(), items.items());
    let at = |i: usize| -> usize {
        match view {
            Some(v) => v.get(i).map_or(usize::MAX, |p| *p as usize),
            None => i,
        }
    };
    let len = view.map_or(keys.len(), <[u32]>::len);
    let key = |i: usize| keys.get(at(i)).copied().unwrap_or(u128::MAX);
    let keep = |i: usize| filter.is_empty() || all.get(at(i)).is_some_and(|b| filter.matches(b));
    let mut page = paging::select(len, key, &spec, keep);
    let issue = |spec: PageSpec| state.issue_cursor(collection, spec, Some(scope.clone()));
    let listing = Listing {
        route_key: format!("{}:{path}", uuid_string(scope.integration)),
        path,
        issue: &issue,
    };
    let next = next_link(state, req, &listing, &spec, &mut page, fault);
    let served = page.positions.iter().filter_map(|i| all.get(at(*i)));
    if shape.is_plain() {
        return Ok(list_reply(served, next.as_deref(), req, warnings));
    }
    let shaped: Vec<bytes::Bytes> = served
        .map(|item| shape.apply(item, |c, id| district.lookup(c, id)))
        .collect();
    Ok(list_reply(shaped.iter(), next.as_deref(), req, warnings))
}
