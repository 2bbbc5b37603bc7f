//! `GET /sso/login`: the login page, played without a page. It signs in a person of a
//! generated district and redirects to the application's `redirect_uri` with a code.

use http::StatusCode;

use crate::collection::Collection;
use crate::graph::raw;
use crate::graph::routes::OPEN_STATES;
use crate::reply::{ApiError, Reply};
use crate::routes::Incoming;
use crate::sso::tokens::Grant;
use crate::state::State;
use crate::text::{parse_uuid, query_pairs};

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `redirect_uri` with `params` added to its query.
fn with_query(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    let mut url = redirect_uri.to_owned();
    let mut sep = if url.contains('?') { '&' } else { '?' };
    for (name, value) in params {
        url.push(sep);
        url.push_str(name);
        url.push('=');
        url.push_str(&encode(value));
        sep = '&';
    }
    url
}

/// The person a default sign-in picks in `integration`'s district: the first with the
/// role `role` (by id), if any.
pub(crate) fn person_with_role(state: &State, integration: u128, role: &str) -> Option<u128> {
    let district = state.graph.district(&state.data, integration)?;
    let people = district.items(Collection::People);
    people
        .keys()
        .iter()
        .zip(people.items())
        .find(|(_, item)| {
            raw::member(item, "roles")
                .and_then(|r| serde_json::from_slice::<Vec<String>>(r).ok())
                .is_some_and(|roles| roles.iter().any(|r| r == role))
        })
        .map(|(id, _)| *id)
}

/// The first integration (by id) whose token opens its data.
fn first_open_integration(state: &State) -> Option<u128> {
    OPEN_STATES
        .iter()
        .flat_map(|s| state.graph.with_status(&state.data, s))
        .min()
}

/// Whether `person` is a person of `integration`'s district.
fn has_person(state: &State, integration: u128, person: u128) -> bool {
    state
        .graph
        .district(&state.data, integration)
        .is_some_and(|d| d.position(Collection::People, person).is_some())
}

/// The redirect back to `redirect_uri` after `grant` signed in: `code` and `state`.
pub(crate) fn signed_in(
    state: &State,
    grant: Grant,
    client_id: &str,
    redirect_uri: &str,
    login_state: Option<&str>,
) -> String {
    let code = state
        .tokens
        .issue_code(grant, client_id, redirect_uri, state.now_ms());
    let mut params = vec![("code", code.as_str())];
    if let Some(s) = login_state {
        params.push(("state", s));
    }
    with_query(redirect_uri, &params)
}

fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::bad_request(code, message)
}

/// The answer to `GET /sso/login?client_id=…&redirect_uri=…&state=…&response_type=code`,
/// with the mock's own `integration`, `person` and `decline` parameters.
pub(crate) fn answer(state: &State, req: &Incoming<'_>) -> Result<Reply, ApiError> {
    let pairs = query_pairs(req.query.unwrap_or(""));
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let required = |name: &str| {
        get(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| bad("MISSING_REQUIRED_FIELD", format!("`{name}` is required.")))
    };
    let client_id = required("client_id")?;
    if client_id != state.config.sso.client_id {
        return Err(bad(
            "INVALID_TOKEN",
            "The client_id is not an application known to this server.",
        ));
    }
    let redirect_uri = required("redirect_uri")?;
    if !(redirect_uri.starts_with("https://") || redirect_uri.starts_with("http://")) {
        return Err(bad(
            "INVALID_REQUEST_BODY",
            "The redirect_uri must be an absolute http(s) URL.",
        ));
    }
    if required("response_type")? != "code" {
        return Err(bad(
            "UNSUPPORTED_OPERATION",
            "Only response_type=code is supported.",
        ));
    }
    let login_state = get("state");
    if get("decline").is_some_and(|v| v == "true" || v == "1") {
        let mut params = vec![("error", "declined_authorization")];
        params.extend(login_state.map(|s| ("state", s)));
        return Ok(redirect(&with_query(redirect_uri, &params)));
    }
    let integration = match get("integration") {
        Some(text) => {
            parse_uuid(text).ok_or_else(|| bad("INVALID_UUID", "`integration` must be a UUID."))?
        }
        None => first_open_integration(state).ok_or_else(|| {
            bad(
                "NOT_FOUND",
                "No integration is active or paused: nobody can sign in.",
            )
        })?,
    };
    let person = match get("person") {
        Some(text) => {
            parse_uuid(text).ok_or_else(|| bad("INVALID_UUID", "`person` must be a UUID."))?
        }
        None => person_with_role(state, integration, "teacher")
            .or_else(|| person_with_role(state, integration, "student"))
            .ok_or_else(|| {
                bad(
                    "NOT_FOUND",
                    "The integration's district has nobody to sign in.",
                )
            })?,
    };
    if !has_person(state, integration, person) {
        return Err(bad(
            "NOT_FOUND",
            "No such person in the integration's district.",
        ));
    }
    let grant = Grant {
        integration,
        person,
    };
    let location = signed_in(state, grant, client_id, redirect_uri, login_state);
    Ok(redirect(&location))
}

fn redirect(location: &str) -> Reply {
    Reply::json(StatusCode::FOUND, bytes::Bytes::new()).header("location", location)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("a b&c=d/é~"), "a%20b%26c%3Dd%2F%C3%A9~");
        assert_eq!(
            with_query("https://app/cb", &[("code", "x"), ("state", "s 1")]),
            "https://app/cb?code=x&state=s%201"
        );
        assert_eq!(
            with_query("https://app/cb?k=v", &[("code", "x")]),
            "https://app/cb?k=v&code=x"
        );
    }
}
