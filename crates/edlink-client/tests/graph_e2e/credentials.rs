//! Which credential each route gets, and the token errors.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_never_cross_between_meta_and_graph_routes() {
    let f = fixture().await;
    let active = f.server.integrations_with_status("active");
    let other = active[1];
    f.server.clear_requests();
    let integrations = f
        .client
        .integrations()
        .list()
        .first(10)
        .collect_all()
        .await
        .unwrap();
    f.graph.schools().list().collect_all().await.unwrap();
    let from_listing = integrations.iter().find(|i| i.id == other).unwrap();
    let graph = f.client.graph_for(from_listing).unwrap();
    graph.people().list().first(50).collect_all().await.unwrap();
    f.client.providers().list().collect_all().await.unwrap();

    let log = f.server.requests();
    assert!(log.len() >= 6);
    for request in &log {
        let shown = request.path_and_query();
        if request.path.starts_with("/api/v2/graph/") {
            let integration = if request.path.ends_with("/schools") {
                f.integration
            } else {
                other
            };
            assert_eq!(
                request.credential,
                Credential::AccessToken(integration),
                "{shown}"
            );
        } else if request.path.starts_with("/api/v1/integrations") {
            assert_eq!(request.credential, Credential::ApplicationKey, "{shown}");
        } else {
            // Public meta routes: never a token.
            assert!(
                !matches!(request.credential, Credential::AccessToken(_)),
                "{shown}"
            );
        }
    }
    assert!(
        log.iter()
            .any(|r| r.credential == Credential::AccessToken(other))
    );
    // A token opens its own district only.
    let foreign = f.data.ids(Collection::People)[0];
    let err = graph.people().get(foreign).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inactive_integration_is_unavailable_and_a_wrong_token_is_refused() {
    let f = fixture().await;
    let inactive = ["inactive", "disabled", "requested", "scheduled"]
        .iter()
        .flat_map(|s| f.server.integrations_with_status(s))
        .next()
        .expect("the generated data has an unusable integration");
    let graph = f.client.graph(f.server.access_token(inactive).unwrap());
    let err = graph.schools().list().collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IntegrationUnavailable, "{err}");
    assert!(err.has_code(ErrorCode::InvalidIntegrationState));
    assert!(err.is_unusable_integration() && !err.is_retryable());
    let err = graph.people().get(Uuid::nil()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IntegrationUnavailable, "{err}");

    if let Some(paused) = f.server.integrations_with_status("paused").first() {
        let graph = f.client.graph(f.server.access_token(*paused).unwrap());
        assert!(
            !ids(graph.schools().list()).await.is_empty(),
            "paused is readable"
        );
    }

    let wrong = f.client.graph("not-a-token-of-anyone-0123456789");
    let err = wrong.people().list().collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    assert!(err.has_code(ErrorCode::InvalidToken));
    // The application key is no Graph token either (and never sent as one).
    let err = f
        .client
        .graph(KEY)
        .districts()
        .list()
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    assert!(!err.to_string().contains(KEY));
}
