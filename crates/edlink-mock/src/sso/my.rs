//! The User API's answers (`/api/v2/my/…`): a person's own data, read from their
//! integration's generated district with the same lists, cursors, `$filter`, `$expand`
//! and `$fields` as the Graph API.

use bytes::Bytes;
use http::StatusCode;
use serde_json::Value;

use crate::collection::Collection;
use crate::faults::Fault;
use crate::graph::data::GraphData;
use crate::graph::relation::Relation;
use crate::graph::routes::{ListView, OPEN_STATES, fetch_object, list_view};
use crate::graph::schema;
use crate::json::Obj;
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
fn own(district: &GraphData, person_at: usize, collection: Collection) -> &[u32] {
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

/// The member `key` of `value` as JSON text (`null` when missing).
fn member(value: &Value, key: &str) -> String {
    value.get(key).unwrap_or(&Value::Null).to_string()
}

fn reply_of(data: String, req: &Incoming<'_>, warnings: &[Warning]) -> Reply {
    let body = reply::fetch_body(&Bytes::from(data), req.request_id, warnings);
    Reply::json(StatusCode::OK, body)
}

/// `/my/integration`: the v2 form of the person's integration, in the order of the live
/// sample (edlink-api.md §1.4): `state`, not `status`, and no access token.
fn integration(
    state: &State,
    req: &Incoming<'_>,
    grant: Grant,
    warnings: &[Warning],
) -> Result<Reply, ApiError> {
    let v1 = integration_object(state, grant.integration)
        .ok_or_else(|| crate::routes::invalid_token(state, "person access token"))?;
    let or = |key: &str, default: &str| {
        v1.get(key)
            .map_or_else(|| default.to_owned(), Value::to_string)
    };
    let status = v1.get("status").or_else(|| v1.get("state"));
    let source = v1.get("source").cloned().unwrap_or(Value::Null);
    let mut data = String::with_capacity(512);
    Obj::new(&mut data)
        .raw("state", &status.unwrap_or(&Value::Null).to_string())
        .raw("created_date", &member(&v1, "created_date"))
        .raw("updated_date", &member(&v1, "updated_date"))
        .raw("permissions", &or("permissions", "[]"))
        .raw("district_sharing", &or("district_sharing", "\"all\""))
        .raw("developer_sharing", &or("developer_sharing", "\"all\""))
        .raw(
            "district_licensing_enabled",
            &or("district_licensing_enabled", "false"),
        )
        .raw("start_date", &or("start_date", "null"))
        .raw("end_date", &or("end_date", "null"))
        .uuid("application_id", application_id(state))
        .raw("source_id", &member(&source, "id"))
        .null("destination_id")
        .str("region_id", REGION_ID)
        .uuid("id", grant.integration)
        .end();
    Ok(reply_of(data, req, warnings))
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

/// `/my/source`: the integration's source in the v2 form of the sample, in its order
/// (`state`, `sync_interval`, `provider_id`, `team_id`, the embedded `provider`).
fn source(
    state: &State,
    req: &Incoming<'_>,
    grant: Grant,
    warnings: &[Warning],
) -> Result<Reply, ApiError> {
    let v1 = integration_object(state, grant.integration)
        .ok_or_else(|| crate::routes::invalid_token(state, "person access token"))?;
    let empty = Value::Object(serde_json::Map::new());
    let source = v1.get("source").unwrap_or(&empty);
    let provider = v1.get("provider").unwrap_or(&empty);
    let team = v1.get("team").unwrap_or(&empty);
    let mut embedded = String::with_capacity(256);
    Obj::new(&mut embedded)
        .bool("active", true)
        .bool("requires_administrator_login", false)
        .bool("requires_administrator_consent", false)
        .bool("requires_remote_configuration", false)
        .raw(
            "allows_data_sync",
            &provider
                .get("allows_data_sync")
                .map_or_else(|| "true".to_owned(), Value::to_string),
        )
        .raw("id", &member(provider, "id"))
        .raw("name", &member(provider, "name"))
        .raw("application", &member(provider, "application"))
        .end();
    let mut data = String::with_capacity(768);
    Obj::new(&mut data)
        .raw("state", &member(source, "status"))
        .raw("id", &member(source, "id"))
        .raw("created_date", &member(source, "created_date"))
        .raw("updated_date", &member(source, "updated_date"))
        .raw("name", &member(source, "name"))
        .raw("sync_interval", &member(source, "import_interval"))
        .raw("provider_id", &member(provider, "id"))
        .raw("properties", "{}")
        .raw("team_id", &member(team, "id"))
        .raw("provider", &embedded)
        .end();
    Ok(reply_of(data, req, warnings))
}
