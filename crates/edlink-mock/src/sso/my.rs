//! The User API's answers (`/api/v2/my/…`): a person's own data, read from their
//! integration's generated district with the same lists, cursors, `$filter`, `$expand`
//! and `$fields` as the Graph API.

use bytes::Bytes;
use http::StatusCode;
use serde_json::{Value, json};

use crate::collection::Collection;
use crate::faults::Fault;
use crate::graph::data::GraphData;
use crate::graph::relation::Relation;
use crate::graph::routes::{ListView, OPEN_STATES, fetch_object, list_view};
use crate::graph::schema;
use crate::log::Credential;
use crate::reply::{self, ApiError, Reply, Warning};
use crate::routes::{Incoming, path_id};
use crate::sso::MyRoute;
use crate::sso::route::relation_of;
use crate::sso::tokens::{Grant, Status};
use crate::state::State;
use crate::text::{query_pairs, uuid_string};

/// The paging parameters the User API does not honour (edlink-api.md §3: many of its
/// endpoints honour only `$first`).
const IGNORED: [&str; 3] = ["$last", "$after", "$before"];

/// The person a request's token signs in, or why not: no person token (`INVALID_TOKEN`),
/// an expired one (`EXPIRED_TOKEN`, 401 unless the builder says otherwise), an
/// integration that is not open (`INVALID_INTEGRATION_STATE`, 403 as on the Graph API).
fn authorize(state: &State, credential: Credential) -> Result<Grant, ApiError> {
    let Credential::PersonToken { serial, .. } = credential else {
        return Err(crate::routes::invalid_token(state, "person access token"));
    };
    let grant = match state.tokens.status(serial, state.now_ms()) {
        Some(Status::Valid(grant)) => grant,
        Some(Status::Expired) => {
            return Err(ApiError::new(
                state.config.sso.expired_status,
                "EXPIRED_TOKEN",
                "The access token has expired; refresh it with the refresh token.",
            ));
        }
        None => return Err(crate::routes::invalid_token(state, "person access token")),
    };
    let status = state
        .graph
        .access(&state.data, grant.integration)
        .and_then(|a| a.status.clone())
        .unwrap_or_default();
    if !OPEN_STATES.contains(&status.as_str()) {
        return Err(ApiError::new(
            crate::graph::routes::INTEGRATION_STATE_STATUS,
            "INVALID_INTEGRATION_STATE",
            format!("The integration must be active or paused; it is {status:?}."),
        ));
    }
    Ok(grant)
}

fn not_found(collection: Collection, id: u128) -> ApiError {
    ApiError::bad_request(
        "NOT_FOUND",
        format!(
            "{} with id {} not found for this person.",
            schema::singular(collection),
            uuid_string(id)
        ),
    )
}

/// The person's own objects of `collection`, as positions in the district.
fn own<'a>(district: &'a GraphData, person_at: usize, collection: Collection) -> &'a [u32] {
    match relation_of(collection) {
        Some(relation) => district.nested(Collection::People, relation, person_at),
        None => &[],
    }
}

/// The position of `id` in `collection` when it is one of the person's own.
fn own_position(
    district: &GraphData,
    person_at: usize,
    collection: Collection,
    id: u128,
) -> Result<usize, ApiError> {
    district
        .position(collection, id)
        .filter(|at| own(district, person_at, collection).contains(&(*at as u32)))
        .ok_or_else(|| not_found(collection, id))
}

/// The answer to a User API route (the method is already known to be GET).
pub(crate) fn answer(
    state: &State,
    req: &Incoming<'_>,
    route: MyRoute,
    fault: Option<&Fault>,
    warnings: &mut Vec<Warning>,
) -> Result<Reply, ApiError> {
    let grant = authorize(state, req.credential)?;
    let district = state
        .graph
        .district(&state.data, grant.integration)
        .ok_or_else(|| crate::routes::invalid_token(state, "person access token"))?;
    let person_at = district
        .position(Collection::People, grant.person)
        .ok_or_else(|| crate::routes::invalid_token(state, "person access token"))?;
    match route {
        MyRoute::Profile => {
            fetch_object(req, &district, Collection::People, grant.person, warnings)
        }
        MyRoute::Integration => integration(state, req, grant, warnings),
        MyRoute::Source => source(state, req, grant, warnings),
        MyRoute::Fetch(collection) => {
            let id = path_id(req)?;
            own_position(&district, person_at, collection, id)?;
            fetch_object(req, &district, collection, id, warnings)
        }
        MyRoute::List(collection) => {
            let view = own(&district, person_at, collection);
            let relation = relation_of(collection).unwrap_or(Relation::People);
            list(
                state,
                req,
                &district,
                collection,
                view,
                (relation, grant.person),
                fault,
                warnings,
            )
        }
        MyRoute::Nested(parent, relation) => {
            let id = path_id(req)?;
            let at = own_position(&district, person_at, parent, id)?;
            let view = district.nested(parent, relation, at);
            list(
                state,
                req,
                &district,
                relation.lists(),
                view,
                (relation, id),
                fault,
                warnings,
            )
        }
    }
}

/// A User API list: the Graph list answer over the person's own objects, its `$next` on the
/// `/my` path, and the paging parameters the User API does not honour dropped (with
/// `PAGING_IGNORED`).
#[allow(clippy::too_many_arguments)]
fn list(
    state: &State,
    req: &Incoming<'_>,
    district: &GraphData,
    collection: Collection,
    view: &[u32],
    nested: (Relation, u128),
    fault: Option<&Fault>,
    warnings: &mut Vec<Warning>,
) -> Result<Reply, ApiError> {
    let mut pairs = query_pairs(req.query.unwrap_or(""));
    let before = pairs.len();
    pairs.retain(|(k, _)| !IGNORED.contains(&k.as_str()));
    if pairs.len() != before {
        warnings.push((
            "PAGING_IGNORED".to_owned(),
            "The User API honours only $first (and $cursor): $last, $after and $before are ignored."
                .to_owned(),
        ));
    }
    let target = ListView {
        collection,
        view: Some(view),
        nested: Some(nested),
        path: req.path.trim_end_matches('/').to_owned(),
        pairs,
    };
    list_view(state, req, district, target, fault, warnings)
}

fn integration_object(state: &State, id: u128) -> Option<Value> {
    let item = state.data.items_of(Collection::Integrations).get(id)?;
    serde_json::from_slice(item).ok()
}

fn text(value: &Value, key: &str) -> Value {
    value.get(key).cloned().unwrap_or(Value::Null)
}

fn reply_of(data: &Value, req: &Incoming<'_>, warnings: &[Warning]) -> Reply {
    let body = reply::fetch_body(&Bytes::from(data.to_string()), req.request_id, warnings);
    Reply::json(StatusCode::OK, body)
}

/// `/my/integration`: the v2 form of the person's integration (edlink-api.md §1.4):
/// `state`, not `status`, and no access token.
fn integration(
    state: &State,
    req: &Incoming<'_>,
    grant: Grant,
    warnings: &[Warning],
) -> Result<Reply, ApiError> {
    let v1 = integration_object(state, grant.integration)
        .ok_or_else(|| crate::routes::invalid_token(state, "person access token"))?;
    let or = |key: &str, default: Value| v1.get(key).cloned().unwrap_or(default);
    let source = v1.get("source").cloned().unwrap_or(Value::Null);
    let data = json!({
        "state": v1.get("status").or_else(|| v1.get("state")).cloned().unwrap_or(Value::Null),
        "created_date": text(&v1, "created_date"),
        "updated_date": text(&v1, "updated_date"),
        "permissions": or("permissions", json!([])),
        "district_sharing": or("district_sharing", json!("all")),
        "developer_sharing": or("developer_sharing", json!("all")),
        "district_licensing_enabled": or("district_licensing_enabled", json!(false)),
        "start_date": or("start_date", Value::Null),
        "end_date": or("end_date", Value::Null),
        "application_id": uuid_string(application_id(state)),
        "source_id": text(&source, "id"),
        "destination_id": Value::Null,
        "region_id": REGION_ID,
        "id": uuid_string(grant.integration),
    });
    Ok(reply_of(&data, req, warnings))
}

/// The one data region of the mock (edlink-api.md §1.4 shows a `region_id`).
const REGION_ID: &str = "8c5475f1-2d1e-4c3b-9a6f-0e7b5d4c3a21";

/// The SSO application's id: derived from its client id, so it is stable.
fn application_id(state: &State) -> u128 {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in state.config.sso.client_id.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
    }
    h
}

/// `/my/source`: the integration's source in the v2 form of the sample
/// (`state`, `sync_interval`, `provider_id`, `team_id`, the embedded `provider`).
fn source(
    state: &State,
    req: &Incoming<'_>,
    grant: Grant,
    warnings: &[Warning],
) -> Result<Reply, ApiError> {
    let v1 = integration_object(state, grant.integration)
        .ok_or_else(|| crate::routes::invalid_token(state, "person access token"))?;
    let source = v1.get("source").cloned().unwrap_or(json!({}));
    let provider = v1.get("provider").cloned().unwrap_or(json!({}));
    let team = v1.get("team").cloned().unwrap_or(json!({}));
    let data = json!({
        "state": text(&source, "status"),
        "id": text(&source, "id"),
        "created_date": text(&source, "created_date"),
        "updated_date": text(&source, "updated_date"),
        "name": text(&source, "name"),
        "sync_interval": text(&source, "import_interval"),
        "provider_id": text(&provider, "id"),
        "properties": {},
        "team_id": text(&team, "id"),
        "provider": {
            "active": true,
            "requires_administrator_login": false,
            "requires_administrator_consent": false,
            "requires_remote_configuration": false,
            "allows_data_sync": provider.get("allows_data_sync").cloned().unwrap_or(json!(true)),
            "id": text(&provider, "id"),
            "name": text(&provider, "name"),
            "application": text(&provider, "application"),
        },
    });
    Ok(reply_of(&data, req, warnings))
}
