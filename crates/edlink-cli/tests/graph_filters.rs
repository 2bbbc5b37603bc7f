//! End to end: `edlink graph … --filter/--filter-json` against `edlink-mock`:
//! filters combined into one `$filter`, and invalid ones refused before any
//! request. Expected results come from the mock's own data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{
    KEY, Run, edlink, expected, first_active, graph_args, graph_server, ids_of_lines, text,
};
use edlink_mock::{Collection, Relation};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_combine_and_ride_on_the_request() {
    let server = graph_server().await;
    let (_, token, data) = first_active(&server);
    let want = expected(&data, Collection::People, |p| {
        text(p, "first_name").is_some_and(|n| n.to_lowercase().starts_with('a'))
            && text(p, "last_name").is_some()
            && text(p, "email").is_some_and(|e| e.contains('.'))
    });
    assert!(!want.is_empty());
    server.clear_requests();
    let run = edlink(graph_args(
        &server,
        &token,
        &[
            "people",
            "list",
            "--filter",
            "first_name starts with \"A\"",
            "--filter",
            "last_name is known",
            "--filter-json",
            r#"{ "email": [ { "operator": "contains", "value": "." } ] }"#,
            "--format",
            "jsonl",
        ],
    ))
    .await;
    run.ok();
    assert_eq!(ids_of_lines(&run.stdout), want);
    let sent = server.requests()[0].param("$filter");
    assert_eq!(
        sent.as_deref(),
        Some(
            r#"{"first_name":[{"operator":"starts with","value":"A"}],"last_name":[{"operator":"is known"}],"email":[{"operator":"contains","value":"."}]}"#
        )
    );

    // `in` with a list, on a nested listing.
    let class = data
        .ids(Collection::Classes)
        .into_iter()
        .find(|c| {
            data.nested_ids(Collection::Classes, *c, Relation::Enrollments)
                .is_some_and(|e| e.len() > 2)
        })
        .unwrap();
    let want: Vec<Uuid> = data
        .nested_ids(Collection::Classes, class, Relation::Enrollments)
        .unwrap()
        .into_iter()
        .filter(|e| {
            let e = data.object(Collection::Enrollments, *e).unwrap();
            matches!(text(&e, "role"), Some("teacher" | "ta"))
        })
        .collect();
    assert!(!want.is_empty());
    let class = class.to_string();
    let run = edlink(graph_args(
        &server,
        &token,
        &[
            "classes",
            "enrollments",
            &class,
            "--filter",
            "role in teacher, ta",
            "--format",
            "jsonl",
        ],
    ))
    .await;
    run.ok();
    assert_eq!(ids_of_lines(&run.stdout), want);
}

/// An invalid filter: exit 2, one `error: --filter…` line, nothing sent.
fn assert_refused(run: &Run, needles: &[&str]) {
    run.expect_code(2);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: --filter"), "{}", run.stderr);
    for needle in needles {
        assert!(run.stderr.contains(needle), "{needle:?} in {}", run.stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_filters_exit_2_before_any_request() {
    let server = graph_server().await;
    let (integration, token, _) = first_active(&server);
    let cases: [(&[&str], &[&str]); 8] = [
        (
            &["people", "list", "--filter", "shoe_size equals 9"],
            &["no field `shoe_size`", "first_name"],
        ),
        (
            &["people", "list", "--filter", "updated_date contains 2021"],
            &["does not take the operator `contains`", "gte"],
        ),
        (
            &["people", "list", "--filter", "id equals 12"],
            &["`id`", "\"12\""],
        ),
        (
            &["sessions", "list", "--filter", "start_date gt yesterday"],
            &["`start_date`"],
        ),
        (
            &[
                "people",
                "list",
                "--filter-json",
                r#"{"first_name":[{"operator":"in","value":["a,b"]}]}"#,
            ],
            &["contains a comma", "`first_name in`"],
        ),
        (
            &["people", "list", "--filter-json", "{\"first_name\":"],
            &["invalid $filter JSON"],
        ),
        (
            &["districts", "list", "--filter", "name equals x"],
            &["district filter has no field"],
        ),
        (
            &[
                "classes",
                "enrollments",
                "00000000-0000-0000-0000-000000000001",
                "--filter",
                "role",
            ],
            &["no operator after `role`"],
        ),
    ];
    for (args, needles) in cases {
        assert_refused(&edlink(graph_args(&server, &token, args)).await, needles);
    }
    // Not even the integration is fetched for `--integration`.
    let id = integration.to_string();
    let run = edlink(
        [
            "--base-url",
            &server.base_url(),
            "--secret-key",
            KEY,
            "--integration",
            &id,
            "graph",
            "people",
            "list",
            "--filter",
            "email is known",
        ]
        .map(String::from)
        .to_vec(),
    )
    .await;
    assert_refused(&run, &["`email` does not take the operator `is known`"]);
    assert_eq!(server.request_count(), 0, "nothing was sent");
}
