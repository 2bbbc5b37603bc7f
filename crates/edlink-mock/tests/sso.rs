//! Sign-in with Edlink and the User API: the token endpoint (codes single-use and
//! bound, refresh policies, expiry on the server's clock, revocation), the login page,
//! `/api/v2/my/…` over the generated districts, and the log. Most requests go in
//! process (`MockServer::call`, so tokio's paused clock drives expiry); a few go over
//! HTTP to prove the same answers there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use bytes::Bytes;
use edlink_mock::{
    CODE_TTL, Collection, Credential, MockServer, MyRoute, RefreshTokens, Relation, Route,
};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use uuid::Uuid;

const REDIRECT: &str = "https://app.example/callback";

struct Answer {
    status: u16,
    headers: http::HeaderMap,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["$errors"][0]["code"].as_str().unwrap_or("")
    }
}

async fn call(server: &MockServer, request: http::Request<Bytes>) -> Answer {
    let response = server.call(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = if response.body().is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(response.body()).unwrap()
    };
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(server: &MockServer, path: &str, token: Option<&str>) -> Answer {
    let mut request = http::Request::get(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    call(server, request.body(Bytes::new()).unwrap()).await
}

async fn post_token(server: &MockServer, body: &Value) -> Answer {
    let request = http::Request::post("/api/authentication/token")
        .header("content-type", "application/json")
        .body(Bytes::from(body.to_string()))
        .unwrap();
    call(server, request).await
}

/// The code of a sign-in of `person` of `integration`, coming back to `REDIRECT`.
fn code(server: &MockServer, integration: Uuid, person: Uuid) -> String {
    let back = server
        .sign_in(integration, person, REDIRECT, "s-1")
        .unwrap();
    let query = back.strip_prefix(&format!("{REDIRECT}?")).unwrap();
    let pairs: Vec<(String, String)> = url_pairs(query);
    assert_eq!(pairs[1], ("state".to_owned(), "s-1".to_owned()));
    pairs[0].1.clone()
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

fn exchange(server: &MockServer, code: &str) -> Value {
    json!({"grant_type": "authorization_code", "client_id": server.sso_client_id(),
           "client_secret": server.sso_client_secret(), "code": code, "redirect_uri": REDIRECT})
}

fn refresh(server: &MockServer, token: &str) -> Value {
    json!({"grant_type": "refresh_token", "client_id": server.sso_client_id(),
           "client_secret": server.sso_client_secret(), "refresh_token": token})
}

/// A server, an active integration and its first teacher, signed in: their tokens.
async fn signed_in(
    builder: edlink_mock::MockServerBuilder,
) -> (MockServer, Uuid, Uuid, String, String) {
    let server = builder.generated(12, 5).start().await.unwrap();
    let integration = server.integrations_with_status("active")[0];
    let person = server.person_with_role(integration, "teacher").unwrap();
    let answer = post_token(
        &server,
        &exchange(&server, &code(&server, integration, person)),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let access = answer.body["$data"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let refresh = answer.body["$data"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    (server, integration, person, access, refresh)
}

#[tokio::test]
async fn the_token_endpoint_answers_like_the_live_sample_over_http() {
    let server = MockServer::builder()
        .generated(12, 5)
        .start()
        .await
        .unwrap();
    let integration = server.integrations_with_status("active")[0];
    let person = server.person_with_role(integration, "student").unwrap();
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();

    // A form body, as Edlink has accepted since 2020.
    let code = code(&server, integration, person);
    let form = format!(
        "grant_type=authorization_code&client_id={}&client_secret={}&code={code}&redirect_uri={}",
        server.sso_client_id(),
        server.sso_client_secret(),
        "https%3A%2F%2Fapp.example%2Fcallback"
    );
    let request = http::Request::post(server.url("/api/authentication/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(form)))
        .unwrap();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&text).unwrap();
    let data = body["$data"].as_object().unwrap();
    // The members in the live sample's order (read on the text: `Value` sorts keys).
    let text = String::from_utf8(text.to_vec()).unwrap();
    let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap();
    assert!(at("access_token") < at("refresh_token"));
    assert!(at("refresh_token") < at("token_type"));
    assert!(at("token_type") < at("expires_in"));
    assert_eq!(data.len(), 4);
    assert_eq!(data["token_type"], "Bearer");
    assert_eq!(data["expires_in"], 3600);
    assert!(body["$request"].is_string());
    let access = data["access_token"].as_str().unwrap();
    assert_eq!(access.len(), 40);

    // The token opens the person's profile, over HTTP too.
    let profile = common::get(
        &common::client(),
        &server.url("/api/v2/my/profile"),
        Some(access),
    )
    .await;
    assert_eq!(profile.status, 200);
    assert_eq!(profile.json()["$data"]["id"], person.to_string());

    // A body past 64 KiB is refused.
    let big = Full::new(Bytes::from(vec![b'a'; 70 * 1024]));
    let request = http::Request::post(server.url("/api/authentication/token"))
        .body(big)
        .unwrap();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.status(), 413);

    // The log knows which person's token each request carried, never the token.
    let log = server.requests();
    let last = log
        .iter()
        .rev()
        .find(|r| r.route == Route::My(MyRoute::Profile))
        .unwrap();
    assert_eq!(
        last.credential,
        Credential::PersonToken {
            integration,
            person,
            serial: 1
        }
    );
    assert!(!format!("{log:?}").contains(access));
    assert!(
        log.iter()
            .filter(|r| r.route == Route::Token)
            .all(|r| r.query.is_none())
    );
    server.shutdown().await;
}

#[tokio::test]
async fn codes_are_single_use_and_bound_to_client_and_redirect_uri() {
    let server = MockServer::builder()
        .generated(12, 5)
        .start()
        .await
        .unwrap();
    let integration = server.integrations_with_status("active")[0];
    let person = server.person_with_role(integration, "teacher").unwrap();

    let c = code(&server, integration, person);
    let mut other_uri = exchange(&server, &c);
    other_uri["redirect_uri"] = json!("https://app.example/callback/");
    let answer = post_token(&server, &other_uri).await;
    assert_eq!((answer.status, answer.code()), (400, "INVALID_TOKEN"));
    assert_eq!(
        post_token(&server, &exchange(&server, &c)).await.status,
        200
    );
    let again = post_token(&server, &exchange(&server, &c)).await;
    assert_eq!((again.status, again.code()), (400, "INVALID_TOKEN"));
    assert!(
        again.body["$errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("already been used")
    );

    let mut bad_secret = exchange(&server, &code(&server, integration, person));
    bad_secret["client_secret"] = json!("nope");
    let answer = post_token(&server, &bad_secret).await;
    assert_eq!((answer.status, answer.code()), (401, "INVALID_TOKEN"));

    let mut missing = exchange(&server, "x");
    missing.as_object_mut().unwrap().remove("redirect_uri");
    let answer = post_token(&server, &missing).await;
    assert_eq!(
        (answer.status, answer.code()),
        (400, "MISSING_REQUIRED_FIELD")
    );
    let mut grant = exchange(&server, "x");
    grant["grant_type"] = json!("password");
    let answer = post_token(&server, &grant).await;
    assert_eq!(
        (answer.status, answer.code()),
        (400, "INVALID_REQUEST_BODY")
    );
    let answer = post_token(&server, &json!([1])).await;
    assert_eq!(
        (answer.status, answer.code()),
        (400, "INVALID_REQUEST_BODY")
    );

    let answer = get(&server, "/api/authentication/token", None).await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.headers["allow"], "POST");
}

#[tokio::test(start_paused = true)]
async fn codes_and_tokens_expire_on_the_servers_clock() {
    let (server, integration, person, access, _) =
        signed_in(MockServer::builder().person_token_ttl(Duration::from_secs(60))).await;
    let late = code(&server, integration, person);
    tokio::time::advance(CODE_TTL).await;
    let answer = post_token(&server, &exchange(&server, &late)).await;
    assert_eq!(answer.code(), "INVALID_TOKEN");
    assert!(
        answer.body["$errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );

    // `access` was issued before the advance: long expired.
    let answer = get(&server, "/api/v2/my/profile", Some(&access)).await;
    assert_eq!((answer.status, answer.code()), (401, "EXPIRED_TOKEN"));

    let (server, _, _, access, _) = signed_in(
        MockServer::builder()
            .person_token_ttl(Duration::from_secs(60))
            .expired_token_status(400),
    )
    .await;
    tokio::time::advance(Duration::from_secs(59)).await;
    assert_eq!(
        get(&server, "/api/v2/my/profile", Some(&access))
            .await
            .status,
        200
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    let answer = get(&server, "/api/v2/my/profile", Some(&access)).await;
    assert_eq!((answer.status, answer.code()), (400, "EXPIRED_TOKEN"));
}

#[tokio::test]
async fn tokens_expire_and_refresh_tokens_are_revoked_on_demand() {
    let (server, _, _, access, refresh_token) = signed_in(MockServer::builder()).await;
    assert_eq!(
        get(&server, "/api/v2/my/profile", Some(&access))
            .await
            .status,
        200
    );
    server.expire_person_tokens();
    assert_eq!(
        get(&server, "/api/v2/my/profile", Some(&access))
            .await
            .code(),
        "EXPIRED_TOKEN"
    );

    let answer = post_token(&server, &refresh(&server, &refresh_token)).await;
    assert_eq!(answer.status, 200);
    // Edlink's guide: the refresh token stays the same.
    assert_eq!(
        answer.body["$data"]["refresh_token"],
        refresh_token.as_str()
    );
    let new = answer.body["$data"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new, access);
    assert_eq!(
        get(&server, "/api/v2/my/profile", Some(&new)).await.status,
        200
    );
    assert_eq!(server.person_tokens_issued(), 2);

    assert!(server.expire_person_token(&new));
    assert!(!server.expire_person_token("never-issued"));
    assert_eq!(
        get(&server, "/api/v2/my/profile", Some(&new)).await.code(),
        "EXPIRED_TOKEN"
    );

    assert!(server.revoke_refresh_token(&refresh_token));
    let answer = post_token(&server, &refresh(&server, &refresh_token)).await;
    assert_eq!((answer.status, answer.code()), (400, "INVALID_TOKEN"));
    assert!(
        answer.body["$errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
}

#[tokio::test]
async fn refresh_tokens_can_rotate_or_be_left_out() {
    let (server, _, _, _, first) =
        signed_in(MockServer::builder().refresh_tokens(RefreshTokens::Rotate)).await;
    let answer = post_token(&server, &refresh(&server, &first)).await;
    let second = answer.body["$data"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(second, first);
    assert_eq!(
        post_token(&server, &refresh(&server, &first)).await.code(),
        "INVALID_TOKEN"
    );
    assert_eq!(
        post_token(&server, &refresh(&server, &second)).await.status,
        200
    );

    let (server, _, _, _, first) =
        signed_in(MockServer::builder().refresh_tokens(RefreshTokens::Omit)).await;
    let answer = post_token(&server, &refresh(&server, &first)).await;
    assert!(answer.body["$data"].get("refresh_token").is_none());
    assert_eq!(
        post_token(&server, &refresh(&server, &first)).await.status,
        200
    );
}

#[tokio::test]
async fn the_login_page_redirects_with_a_code_or_the_refusal() {
    let server = MockServer::builder()
        .generated(12, 5)
        .start()
        .await
        .unwrap();
    let login = |extra: &str| {
        format!(
            "/sso/login?client_id={}&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback%3Ft%3D1&state=s%201&response_type=code{extra}",
            server.sso_client_id()
        )
    };
    let answer = get(&server, &login(""), None).await;
    assert_eq!(answer.status, 302);
    let location = answer.headers["location"].to_str().unwrap().to_owned();
    let query = location
        .strip_prefix("https://app.example/callback?t=1&")
        .unwrap();
    let pairs = url_pairs(query);
    assert_eq!(pairs[0].0, "code");
    assert_eq!(pairs[1], ("state".to_owned(), "s%201".to_owned()));
    // The default person: the first teacher of the first active integration.
    let body = json!({"grant_type": "authorization_code", "client_id": server.sso_client_id(),
        "client_secret": server.sso_client_secret(), "code": pairs[0].1,
        "redirect_uri": "https://app.example/callback?t=1"});
    let tokens = post_token(&server, &body).await;
    let access = tokens.body["$data"]["access_token"].as_str().unwrap();
    let me = get(&server, "/api/v2/my/profile", Some(access)).await;
    let integration = server.integrations_with_status("active")[0];
    assert_eq!(
        me.body["$data"]["id"],
        server
            .person_with_role(integration, "teacher")
            .unwrap()
            .to_string()
    );

    // A chosen person.
    let student = server.person_with_role(integration, "student").unwrap();
    let answer = get(
        &server,
        &login(&format!("&integration={integration}&person={student}")),
        None,
    )
    .await;
    assert_eq!(answer.status, 302);

    let answer = get(&server, &login("&decline=true"), None).await;
    assert_eq!(
        answer.headers["location"],
        "https://app.example/callback?t=1&error=declined_authorization&state=s%201"
    );

    for (path, code) in [
        (
            login("").replace(server.sso_client_id(), "someone-else"),
            "INVALID_TOKEN",
        ),
        (
            login("").replace("&response_type=code", "&response_type=token"),
            "UNSUPPORTED_OPERATION",
        ),
        (
            login("").replace("&response_type=code", ""),
            "MISSING_REQUIRED_FIELD",
        ),
        (
            login(&format!(
                "&integration={integration}&person={}",
                Uuid::nil()
            )),
            "NOT_FOUND",
        ),
    ] {
        let answer = get(&server, &path, None).await;
        assert_eq!((answer.status, answer.code()), (400, code), "{path}");
    }
}

#[tokio::test]
async fn the_user_api_serves_the_persons_own_data_and_nothing_else() {
    let (server, integration, person, access, _) = signed_in(MockServer::builder()).await;
    let graph = server.graph(integration).unwrap();
    let me = get(&server, "/api/v2/my/profile", Some(&access)).await;
    assert_eq!(
        me.body["$data"],
        graph.object(Collection::People, person).unwrap()
    );

    let ids = |answer: &Answer| -> Vec<Uuid> {
        answer.body["$data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap().parse().unwrap())
            .collect()
    };
    for (name, relation) in [
        ("districts", Relation::Districts),
        ("schools", Relation::Schools),
        ("classes", Relation::Classes),
        ("sections", Relation::Sections),
        ("agents", Relation::Agents),
        ("enrollments", Relation::Enrollments),
    ] {
        let answer = get(&server, &format!("/api/v2/my/{name}"), Some(&access)).await;
        assert_eq!(answer.status, 200, "{name}");
        assert_eq!(
            ids(&answer),
            graph
                .nested_ids(Collection::People, person, relation)
                .unwrap(),
            "{name}"
        );
    }

    // Only `$first` is honoured: `$after` is ignored, with a warning, and `$next`
    // stays on the `/my` path.
    let classes = graph
        .nested_ids(Collection::People, person, Relation::Classes)
        .unwrap();
    let answer = get(
        &server,
        &format!("/api/v2/my/classes?$first=1&$after={}", classes[0]),
        Some(&access),
    )
    .await;
    assert_eq!(ids(&answer), classes[..1]);
    assert_eq!(answer.body["$warnings"][0]["code"], "PAGING_IGNORED");
    let next = answer.body["$next"].as_str().unwrap();
    let next = next.strip_prefix(&server.base_url()).unwrap();
    assert!(next.starts_with("/api/v2/my/classes?$cursor="), "{next}");
    assert_eq!(ids(&get(&server, next, Some(&access)).await), classes[1..2]);

    // Nested lists of the person's class; another class is not theirs.
    let answer = get(
        &server,
        &format!("/api/v2/my/classes/{}/students", classes[0]),
        Some(&access),
    )
    .await;
    assert_eq!(
        ids(&answer),
        graph
            .nested_ids(Collection::Classes, classes[0], Relation::Students)
            .unwrap()
    );
    let other = graph
        .ids(Collection::Classes)
        .into_iter()
        .find(|c| !classes.contains(c))
        .unwrap();
    for path in [
        format!("/api/v2/my/classes/{other}"),
        format!("/api/v2/my/classes/{other}/people"),
    ] {
        let answer = get(&server, &path, Some(&access)).await;
        assert_eq!((answer.status, answer.code()), (400, "NOT_FOUND"), "{path}");
        assert!(
            answer.body["$errors"][0]["message"]
                .as_str()
                .unwrap()
                .ends_with("not found for this person.")
        );
    }
    let answer = get(&server, "/api/v2/my/classes/not-a-uuid", Some(&access)).await;
    assert_eq!(answer.code(), "INVALID_UUID");
    assert_eq!(
        get(&server, "/api/v2/my/courses", Some(&access))
            .await
            .status,
        404
    );

    // The v2 integration (state, no access token) and source.
    let mine = get(&server, "/api/v2/my/integration", Some(&access))
        .await
        .body["$data"]
        .clone();
    assert_eq!(mine["id"], integration.to_string());
    assert_eq!(mine["state"], "active");
    assert!(mine.get("access_token").is_none() && mine.get("status").is_none());
    let source = get(&server, "/api/v2/my/source", Some(&access)).await.body["$data"].clone();
    assert_eq!(source["id"], mine["source_id"]);
    assert!(source["provider"]["name"].is_string());
}

#[tokio::test]
async fn the_user_api_wants_a_valid_person_token() {
    let (server, integration, _, access, _) = signed_in(MockServer::builder()).await;
    let graph_token = server.access_token(integration).unwrap();
    for token in [
        None,
        Some("unknown"),
        Some(graph_token.as_str()),
        Some("test-key"),
    ] {
        let answer = get(&server, "/api/v2/my/profile", token).await;
        assert_eq!(
            (answer.status, answer.code()),
            (401, "INVALID_TOKEN"),
            "{token:?}"
        );
        assert_eq!(answer.headers["www-authenticate"], "Bearer");
    }
    // A person token opens neither the Graph API nor the meta API.
    assert_eq!(
        get(&server, "/api/v2/graph/people", Some(&access))
            .await
            .status,
        401
    );
    assert_eq!(
        get(&server, "/api/v1/integrations", Some(&access))
            .await
            .status,
        401
    );
    let post = http::Request::post("/api/v2/my/classes")
        .body(Bytes::new())
        .unwrap();
    assert_eq!(call(&server, post).await.status, 405);

    // A person of an integration that is not active or paused signs in, but reads nothing.
    let inactive: Uuid = server
        .integrations_json()
        .iter()
        .find(|i| !matches!(i["status"].as_str(), Some("active" | "paused")))
        .and_then(|i| i["id"].as_str()?.parse().ok())
        .unwrap();
    let person = server.graph(inactive).unwrap().ids(Collection::People)[0];
    let c = code(&server, inactive, person);
    let tokens = post_token(&server, &exchange(&server, &c)).await;
    let token = tokens.body["$data"]["access_token"].as_str().unwrap();
    let answer = get(&server, "/api/v2/my/profile", Some(token)).await;
    assert_eq!(
        (answer.status, answer.code()),
        (403, "INVALID_INTEGRATION_STATE")
    );
}

#[tokio::test]
async fn the_same_seed_issues_the_same_tokens() {
    let (_, _, _, a, ra) = signed_in(MockServer::builder().seed(9)).await;
    let (_, _, _, b, rb) = signed_in(MockServer::builder().seed(9)).await;
    let (_, _, _, c, _) = signed_in(MockServer::builder().seed(10)).await;
    assert_eq!((a.clone(), ra), (b, rb));
    assert_ne!(a, c);
}
