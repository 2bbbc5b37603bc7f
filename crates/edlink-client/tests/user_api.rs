//! The User API's reads against the mock (in process): the person's profile,
//! integration and source, their own districts, schools, classes, sections,
//! agents and enrollments and the nested lists of a class and a section, each
//! equal to what the mock's district says; and the User API's paging rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod sso_support;

use std::collections::BTreeSet;

use edlink_client::ErrorKind;
use edlink_client::model::{IntegrationState, Record, SourceStatus};
use edlink_mock::{Collection, Fault, MockServer, MyRoute, Relation, Route};
use futures_util::TryStreamExt;
use serde_json::Value;
use sso_support::Rig;
use uuid::Uuid;

fn ids<T: Record>(items: &[T]) -> Vec<Uuid> {
    items.iter().filter_map(Record::record_id).collect()
}

async fn rig() -> Rig {
    Rig::new(MockServer::builder().generated(12, 5)).await
}

#[tokio::test]
async fn profile_integration_and_source_are_the_persons() {
    let rig = rig().await;
    let (user, _) = rig.user().await;
    let graph = rig.server.graph(rig.integration).unwrap();

    let me = user.profile().raw().await.unwrap();
    assert_eq!(
        me,
        graph.object(Collection::People, rig.person).unwrap(),
        "the profile is the person object, every field"
    );
    let typed = user.profile().await.unwrap();
    assert_eq!(typed.id, rig.person);

    let v1 = rig
        .server
        .integrations_json()
        .into_iter()
        .find(|i| i["id"] == rig.integration.to_string())
        .unwrap();
    let integration = user.integration().await.unwrap();
    assert_eq!(integration.id, rig.integration);
    assert_eq!(integration.state, Some(IntegrationState::Active));
    assert!(integration.status.is_none() && integration.access_token.is_none());
    assert_eq!(
        integration.source_id.map(|id| id.to_string()),
        v1["source"]["id"].as_str().map(str::to_owned)
    );

    let source = user.source().await.unwrap();
    assert_eq!(source.name.as_deref(), v1["source"]["name"].as_str());
    assert_eq!(
        source.state.as_ref().map(SourceStatus::as_str),
        v1["source"]["status"].as_str()
    );
    let provider = source.provider.unwrap();
    assert_eq!(provider.name.as_deref(), v1["provider"]["name"].as_str());
    assert_eq!(
        Some(provider.id.to_string().as_str()),
        v1["provider"]["id"].as_str()
    );
}

#[tokio::test]
async fn the_persons_own_collections_page_by_next_and_match_the_district() {
    let rig = rig().await;
    let (user, _) = rig.user().await;
    let graph = rig.server.graph(rig.integration).unwrap();
    let own = |relation| {
        graph
            .nested_ids(Collection::People, rig.person, relation)
            .unwrap()
    };
    assert_eq!(
        ids(&user
            .districts()
            .list()
            .first(1)
            .collect_all()
            .await
            .unwrap()),
        own(Relation::Districts)
    );
    assert_eq!(
        ids(&user.schools().list().first(1).collect_all().await.unwrap()),
        own(Relation::Schools)
    );
    let classes = user.classes().list().first(1).collect_all().await.unwrap();
    assert!(classes.len() >= 3);
    assert_eq!(ids(&classes), own(Relation::Classes));
    assert_eq!(
        ids(&user.sections().list().first(2).collect_all().await.unwrap()),
        own(Relation::Sections)
    );
    assert_eq!(
        ids(&user.agents().list().collect_all().await.unwrap()),
        own(Relation::Agents)
    );
    assert_eq!(
        ids(&user
            .enrollments()
            .list()
            .first(1)
            .collect_all()
            .await
            .unwrap()),
        own(Relation::Enrollments)
    );

    // Pages after the first follow `$next` as sent: `$cursor`, nothing re-added.
    let classes_requests: Vec<_> = rig
        .my_requests()
        .into_iter()
        .filter(|r| r.route == Route::My(MyRoute::List(Collection::Classes)))
        .collect();
    // One item a page; the last page carries no `$next`.
    assert_eq!(classes_requests.len(), classes.len());
    assert_eq!(classes_requests[0].query.as_deref(), Some("$first=1"));
    for r in &classes_requests[1..] {
        assert!(
            r.param("$cursor").is_some() && r.param("$first").is_none(),
            "{r:?}"
        );
        assert_eq!(r.path, "/api/v2/my/classes");
    }
}

#[tokio::test]
async fn the_nested_lists_of_a_class_and_a_section() {
    let mut rig = rig().await;
    let graph = rig.server.graph(rig.integration).unwrap();
    // A teacher with a class that has sections.
    rig.person = graph
        .json(Collection::People)
        .iter()
        .filter(|p| {
            p["roles"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r == "teacher"))
        })
        .filter_map(|p| p["id"].as_str()?.parse::<Uuid>().ok())
        .find(|p| {
            !graph
                .nested_ids(Collection::People, *p, Relation::Sections)
                .unwrap()
                .is_empty()
        })
        .unwrap();
    let (user, _) = rig.user().await;
    let sections = user.sections().list().collect_all().await.unwrap();
    assert!(!sections.is_empty());
    // A class of theirs with sections.
    let class = user
        .classes()
        .list()
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .find(|c| {
            !graph
                .nested_ids(Collection::Classes, *c, Relation::Sections)
                .unwrap()
                .is_empty()
        })
        .unwrap();

    let expect = |parent, id, relation| graph.nested_ids(parent, id, relation).unwrap();
    let c = user.classes();
    assert_eq!(
        ids(&c.people(class).collect_all().await.unwrap()),
        expect(Collection::Classes, class, Relation::People)
    );
    assert_eq!(
        ids(&c.teachers(class).collect_all().await.unwrap()),
        expect(Collection::Classes, class, Relation::Teachers)
    );
    assert_eq!(
        ids(&c.students(class).first(2).collect_all().await.unwrap()),
        expect(Collection::Classes, class, Relation::Students)
    );
    assert_eq!(
        ids(&c.enrollments(class).collect_all().await.unwrap()),
        expect(Collection::Classes, class, Relation::Enrollments)
    );
    assert_eq!(
        ids(&c.sections(class).collect_all().await.unwrap()),
        expect(Collection::Classes, class, Relation::Sections)
    );
    let teachers = c.teachers(class).collect_all().await.unwrap();
    assert!(
        teachers.iter().any(|t| t.id == rig.person),
        "the teacher teaches it"
    );

    let section = sections[0].id;
    let s = user.sections();
    assert_eq!(
        ids(&s.people(section).collect_all().await.unwrap()),
        expect(Collection::Sections, section, Relation::People)
    );
    assert_eq!(
        ids(&s.teachers(section).collect_all().await.unwrap()),
        expect(Collection::Sections, section, Relation::Teachers)
    );
    assert_eq!(
        ids(&s.students(section).collect_all().await.unwrap()),
        expect(Collection::Sections, section, Relation::Students)
    );
    assert_eq!(
        ids(&s.enrollments(section).collect_all().await.unwrap()),
        expect(Collection::Sections, section, Relation::Enrollments)
    );
    assert_eq!(user.sections().get(section).await.unwrap().id, section);
}

#[tokio::test]
async fn only_the_persons_own_objects_can_be_fetched() {
    let rig = rig().await;
    let (user, _) = rig.user().await;
    let graph = rig.server.graph(rig.integration).unwrap();
    let own: BTreeSet<Uuid> = graph
        .nested_ids(Collection::People, rig.person, Relation::Classes)
        .unwrap()
        .into_iter()
        .collect();
    let mine = *own.iter().next().unwrap();
    assert_eq!(user.classes().get(mine).await.unwrap().id, mine);
    let other = graph
        .ids(Collection::Classes)
        .into_iter()
        .find(|c| !own.contains(c))
        .unwrap();
    let err = user.classes().get(other).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string().contains("not found for this person"),
        "{err}"
    );
    let err = user
        .classes()
        .students(other)
        .collect_all()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn paging_parameters_the_user_api_ignores_are_refused_before_any_request() {
    let rig = rig().await;
    let (user, _) = rig.user().await;
    let count = rig.server.request_count();
    for request in [
        user.classes().list().last(5),
        user.classes().list().after(Uuid::nil()),
        user.classes().list().first(5).before(Uuid::nil()),
    ] {
        let err = request.collect_all().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(
            err.chain().contains("$first and $next only"),
            "{}",
            err.chain()
        );
    }
    assert_eq!(rig.server.request_count(), count);
}

/// Without `$next` the listing ends, even after a full page: the User API may
/// ignore `$first` and `$after`, so there is nothing safe to continue with.
/// (The Graph API would go on with `$after`.)
#[tokio::test]
async fn a_page_without_next_ends_a_user_api_listing() {
    let rig = Rig::new(MockServer::builder().generated(12, 5).no_next(true)).await;
    let (user, _) = rig.user().await;
    let page = user.classes().list().first(1).collect_all().await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(rig.my_requests().len(), 1);
}

#[tokio::test]
async fn an_expired_cursor_ends_a_user_api_listing_with_a_clear_error() {
    let rig = rig().await;
    let (user, _) = rig.user().await;
    // Lazy, so that page 2 is surely asked for after the cursors expire.
    let mut pages = user.classes().list().first(1).prefetch(0).pages();
    pages.try_next().await.unwrap().unwrap();
    rig.server.expire_all_cursors();
    let err = pages.try_next().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Paging);
    assert!(
        err.chain().contains("start the listing again"),
        "{}",
        err.chain()
    );
}

#[tokio::test]
async fn an_ignored_page_size_is_a_warning() {
    let rig = rig().await;
    let (user, _) = rig.user().await;
    rig.server.faults().fail_next(
        Route::My(MyRoute::List(Collection::Classes)),
        1,
        Fault::Warning {
            code: "PROVIDER_IGNORED_PAGE_SIZE".into(),
            message: "The provider ignored $first.".into(),
        },
    );
    let page = user.classes().list().first(2).page().await.unwrap();
    assert!(!page.items.is_empty());
    assert_eq!(page.warnings.len(), 1);
    assert_eq!(page.warnings[0].code.as_str(), "PROVIDER_IGNORED_PAGE_SIZE");
}

#[tokio::test]
async fn expand_and_fields_work_on_the_user_api() {
    let rig = rig().await;
    let (user, _) = rig.user().await;
    let classes = user
        .classes()
        .list()
        .fields(["name"])
        .raw()
        .collect_all()
        .await
        .unwrap();
    for class in &classes {
        let keys: BTreeSet<&str> = class
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, BTreeSet::from(["id", "name"]));
    }
    let me: Value = user.profile().expand(["schools"]).raw().await.unwrap();
    assert!(
        me["schools"].as_array().is_some_and(|s| !s.is_empty()),
        "{me}"
    );
}
