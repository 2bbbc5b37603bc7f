//! `POST /api/authentication/token`: the code exchange and the refresh.

use bytes::Bytes;
use http::StatusCode;
use serde_json::{Map, Value};

use crate::json::Obj;
use crate::reply::{self, ApiError, Reply};
use crate::routes::Incoming;
use crate::sso::tokens::{Issued, Refused};
use crate::state::State;
use crate::text::query_pairs;

/// The body's members as strings: a JSON object, or a form (`a=b&c=d`), both accepted
/// by Edlink since 2020.
fn fields(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| invalid_body("it is not UTF-8"))?;
    if text.trim_start().starts_with(['{', '[']) {
        return match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(invalid_body("it is not a JSON object")),
        };
    }
    Ok(query_pairs(text.trim())
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect())
}

fn invalid_body(why: &str) -> ApiError {
    ApiError::bad_request(
        "INVALID_REQUEST_BODY",
        format!("The request body must be a JSON object or a form: {why}."),
    )
}

/// The string member `name`, or `400 MISSING_REQUIRED_FIELD`.
fn required<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    body.get(name)
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            ApiError::bad_request(
                "MISSING_REQUIRED_FIELD",
                format!("The field `{name}` is required."),
            )
        })
}

fn refused(why: Refused) -> ApiError {
    let message = match why {
        Refused::UnknownCode => "The authorization code is invalid.",
        Refused::UsedCode => "The authorization code has already been used.",
        Refused::ExpiredCode => "The authorization code has expired.",
        Refused::CodeMismatch => {
            "The authorization code was issued for another client_id or redirect_uri."
        }
        Refused::UnknownRefreshToken => "The refresh token is invalid.",
        Refused::RevokedRefreshToken => "The refresh token has been revoked.",
        Refused::RefreshMismatch => "The refresh token was issued to another client_id.",
    };
    ApiError::bad_request("INVALID_TOKEN", message)
}

/// `{"$data":{access_token, refresh_token, token_type, expires_in},"$request":…}`, in the
/// order of the live sample.
fn token_body(issued: &Issued, expires_in: u64, request_id: &str) -> Bytes {
    let mut data = String::with_capacity(160);
    let mut o = Obj::new(&mut data);
    o.str("access_token", &issued.access_token);
    if let Some(refresh) = &issued.refresh_token {
        o.str("refresh_token", refresh);
    }
    o.str("token_type", "Bearer")
        .num("expires_in", expires_in)
        .end();
    reply::fetch_body(&Bytes::from(data), request_id, &[])
}

/// The answer to a token request.
pub(crate) fn answer(state: &State, req: &Incoming<'_>) -> Result<Reply, ApiError> {
    let sso = &state.config.sso;
    let body = fields(req.body)?;
    let grant_type = required(&body, "grant_type")?;
    let client_id = required(&body, "client_id")?;
    let client_secret = required(&body, "client_secret")?;
    if client_id != sso.client_id || client_secret != sso.client_secret {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_TOKEN",
            "The client_id or client_secret is invalid.",
        ));
    }
    let now = state.now_ms();
    let ttl_ms = u64::try_from(sso.token_ttl.as_millis()).unwrap_or(u64::MAX);
    let result = match grant_type {
        "authorization_code" => state.tokens.redeem(
            required(&body, "code")?,
            client_id,
            required(&body, "redirect_uri")?,
            now,
            ttl_ms,
        ),
        "refresh_token" => state.tokens.refresh(
            required(&body, "refresh_token")?,
            client_id,
            now,
            ttl_ms,
            sso.refresh_tokens,
        ),
        other => {
            return Err(ApiError::bad_request(
                "INVALID_REQUEST_BODY",
                format!(
                    "grant_type must be authorization_code or refresh_token, not {:?}.",
                    other.chars().take(40).collect::<String>()
                ),
            ));
        }
    };
    let (_grant, issued) = result.map_err(refused)?;
    let body = token_body(&issued, sso.token_ttl.as_secs(), req.request_id);
    Ok(Reply::json(StatusCode::OK, body))
}
