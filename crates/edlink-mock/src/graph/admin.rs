//! The mock's own routes, `/__mock/…`: what a test or a soak run needs from a mock running
//! in another process (the binary). They want the application secret key (unless the server
//! runs with `.no_auth()`), and faults never touch them.
//!
//! | Request | Answer |
//! |---|---|
//! | `GET /__mock/dump/:integration` | `200`, `application/x-ndjson`: [`GraphData::dump`](crate::GraphData::dump) |
//! | `POST /__mock/mutate/:integration?steps=N` | `200` `{"steps":N,"total_steps":…,"created":…,"updated":…,"deleted":…,"events":…}` (`N` from 1 to 10,000, default 1) |
//! | `POST /__mock/age-out/:integration` | `200` `{"purged":N}`: every event so far aged out |

use bytes::Bytes;
use http::{Method, StatusCode};

use crate::graph::live::MutationReport;
use crate::reply::{ApiError, Reply};
use crate::routes::{Incoming, invalid_token};
use crate::state::State;
use crate::text::{parse_uuid, query_pairs, uuid_string};

/// The most steps one request may ask for.
const MAX_STEPS: u64 = 10_000;

/// The actions, with their methods.
const ACTIONS: [(&str, Method); 3] = [
    ("dump", Method::GET),
    ("mutate", Method::POST),
    ("age-out", Method::POST),
];

fn split<'a>(req: &Incoming<'a>) -> Option<(&'a str, &'a str)> {
    req.id?.split_once('/').filter(|(_, id)| !id.contains('/'))
}

/// The method an admin route takes (for `Allow`).
pub(crate) fn allowed(req: &Incoming<'_>) -> &'static str {
    let action = split(req).map(|(action, _)| action);
    match ACTIONS.iter().find(|(a, _)| Some(*a) == action) {
        Some((_, Method::GET)) => "GET",
        _ => "POST",
    }
}

/// The answer to a `/__mock/…` request.
pub(crate) fn answer(state: &State, req: &Incoming<'_>) -> Result<Reply, ApiError> {
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!(
                "No route matches {} {}; the mock's routes are GET /__mock/dump/:integration, POST /__mock/mutate/:integration?steps=N and POST /__mock/age-out/:integration.",
                req.method, req.path
            ),
        )
    };
    let (action, id) = split(req).ok_or_else(not_found)?;
    let (_, method) = ACTIONS
        .iter()
        .find(|(a, _)| *a == action)
        .ok_or_else(not_found)?;
    if req.method != method {
        return Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "UNSUPPORTED_OPERATION",
            format!(
                "{} is not supported on {}; use {method}.",
                req.method, req.path
            ),
        ));
    }
    if state.config.secret_key.is_some() && !req.authorization_valid {
        return Err(invalid_token(state, "application secret key"));
    }
    let id = parse_uuid(id).ok_or_else(|| {
        ApiError::bad_request(
            "INVALID_UUID",
            "The integration id must be a UUID in 8-4-4-4-12 hex form.",
        )
    })?;
    let unknown = || {
        ApiError::bad_request(
            "NOT_FOUND",
            format!("Integration with id {} not found.", uuid_string(id)),
        )
    };
    let graph = &state.graph;
    match action {
        "dump" => {
            let dump = graph.district(&state.data, id).ok_or_else(unknown)?.dump();
            Ok(Reply {
                status: StatusCode::OK,
                content_type: "application/x-ndjson; charset=utf-8",
                headers: Vec::new(),
                body: Bytes::from(dump),
                cacheable: 0,
                items: 0,
            })
        }
        "mutate" => {
            let steps = steps(req)?;
            let report = graph.mutate(&state.data, id, steps).ok_or_else(unknown)?;
            Ok(json(&report_json(&report)))
        }
        _ => {
            let purged = graph.age_out(&state.data, id).ok_or_else(unknown)?;
            Ok(json(&format!("{{\"purged\":{purged}}}")))
        }
    }
}

fn json(body: &str) -> Reply {
    Reply::json(StatusCode::OK, Bytes::from(body.to_owned()))
}

fn steps(req: &Incoming<'_>) -> Result<u64, ApiError> {
    let pairs = query_pairs(req.query.unwrap_or(""));
    match pairs.iter().find(|(k, _)| k == "steps") {
        None => Ok(1),
        Some((_, v)) => v
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_STEPS).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "INVALID_STEPS",
                    format!("steps must be a whole number from 1 to {MAX_STEPS}, not {v:?}."),
                )
            }),
    }
}

fn report_json(r: &MutationReport) -> String {
    format!(
        "{{\"steps\":{},\"total_steps\":{},\"created\":{},\"updated\":{},\"deleted\":{},\"events\":{}}}",
        r.steps, r.total_steps, r.created, r.updated, r.deleted, r.events
    )
}
