//! End to end: `edlink graph …` against `edlink-mock`: every resource, fetch
//! and nested list in every format, filters (combined, checked before any
//! request), expansions, fields, paging. Expected results come from the
//! mock's own data (`MockServer::graph`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeSet, HashSet};

use common::{
    KEY, Run, assert_hidden, edlink, first_active, graph_args, graph_server, ids_of_lines,
};
use edlink_mock::{Collection, GraphData, Relation};
use serde_json::Value;
use uuid::Uuid;

const RESOURCES: [(&str, Collection); 11] = [
    ("districts", Collection::Districts),
    ("schools", Collection::Schools),
    ("sessions", Collection::Sessions),
    ("courses", Collection::Courses),
    ("classes", Collection::Classes),
    ("sections", Collection::Sections),
    ("people", Collection::People),
    ("enrollments", Collection::Enrollments),
    ("agents", Collection::Agents),
    ("licenses", Collection::Licenses),
    ("events", Collection::Events),
];

/// The ids of the mock's objects of `collection` for which `keep` holds.
fn expected(data: &GraphData, collection: Collection, keep: impl Fn(&Value) -> bool) -> Vec<Uuid> {
    data.json(collection)
        .iter()
        .filter(|o| keep(o))
        .map(|o| o["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

fn text<'a>(object: &'a Value, member: &str) -> Option<&'a str> {
    object.get(member).and_then(Value::as_str)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_resource_is_listed_and_fetched_in_every_format() {
    let server = graph_server().await;
    let (_, token, data) = first_active(&server);
    for (resource, collection) in RESOURCES {
        let ids = data.ids(collection);
        assert!(!ids.is_empty(), "{resource}");

        let table = edlink(graph_args(
            &server,
            &token,
            &[resource, "list", "--first", "7"],
        ))
        .await;
        table.ok();
        assert_hidden(&table, &token);
        assert_eq!(
            table.lines().len(),
            ids.len() + 1,
            "{resource}: titles + rows"
        );
        assert!(table.lines()[0].starts_with("ID  "), "{}", table.stdout);
        for (line, id) in table.lines()[1..].iter().zip(&ids) {
            assert!(line.starts_with(&id.to_string()), "{resource}: {line}");
        }

        // Byte for byte what the mock holds, in order.
        let jsonl = edlink(graph_args(
            &server,
            &token,
            &[resource, "list", "--format", "jsonl"],
        ))
        .await;
        jsonl.ok();
        let sent: Vec<String> = data
            .bytes(collection)
            .iter()
            .map(|b| String::from_utf8(b.to_vec()).unwrap())
            .collect();
        assert_eq!(jsonl.lines(), sent, "{resource}");

        let json = edlink(graph_args(
            &server,
            &token,
            &[resource, "list", "--format", "json"],
        ))
        .await;
        json.ok();
        let array: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(array, data.json(collection), "{resource}");

        let id = ids[ids.len() - 1].to_string();
        let before = server.request_count();
        let get = edlink(graph_args(
            &server,
            &token,
            &[resource, "get", &id, "--format", "json"],
        ))
        .await;
        if collection == Collection::Licenses {
            // Edlink documents no `/licenses/:id`: no such command.
            get.expect_code(2);
            assert!(
                get.stderr.contains("unrecognized subcommand 'get'"),
                "{}",
                get.stderr
            );
            assert_eq!(server.request_count(), before);
            continue;
        }
        get.ok();
        let object: Value = serde_json::from_str(&get.stdout).unwrap();
        assert_eq!(Some(object), data.object(collection, ids[ids.len() - 1]));
        let row = edlink(graph_args(&server, &token, &[resource, "get", &id])).await;
        row.ok();
        assert_eq!(row.lines().len(), 2);
        assert!(row.lines()[1].starts_with(&id));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_nested_list_holds_what_the_mock_serves() {
    let server = graph_server().await;
    let (_, token, data) = first_active(&server);
    let nested: [(&str, &str, Collection, Relation); 24] = [
        (
            "districts",
            "administrators",
            Collection::Districts,
            Relation::Administrators,
        ),
        ("schools", "classes", Collection::Schools, Relation::Classes),
        ("schools", "courses", Collection::Schools, Relation::Courses),
        (
            "schools",
            "sessions",
            Collection::Schools,
            Relation::Sessions,
        ),
        ("schools", "people", Collection::Schools, Relation::People),
        (
            "schools",
            "administrators",
            Collection::Schools,
            Relation::Administrators,
        ),
        (
            "schools",
            "teachers",
            Collection::Schools,
            Relation::Teachers,
        ),
        (
            "schools",
            "students",
            Collection::Schools,
            Relation::Students,
        ),
        ("courses", "classes", Collection::Courses, Relation::Classes),
        (
            "classes",
            "sections",
            Collection::Classes,
            Relation::Sections,
        ),
        (
            "classes",
            "enrollments",
            Collection::Classes,
            Relation::Enrollments,
        ),
        ("classes", "people", Collection::Classes, Relation::People),
        (
            "classes",
            "teachers",
            Collection::Classes,
            Relation::Teachers,
        ),
        (
            "classes",
            "students",
            Collection::Classes,
            Relation::Students,
        ),
        (
            "sections",
            "enrollments",
            Collection::Sections,
            Relation::Enrollments,
        ),
        ("sections", "people", Collection::Sections, Relation::People),
        (
            "sections",
            "teachers",
            Collection::Sections,
            Relation::Teachers,
        ),
        (
            "sections",
            "students",
            Collection::Sections,
            Relation::Students,
        ),
        (
            "people",
            "enrollments",
            Collection::People,
            Relation::Enrollments,
        ),
        (
            "people",
            "districts",
            Collection::People,
            Relation::Districts,
        ),
        ("people", "schools", Collection::People, Relation::Schools),
        ("people", "classes", Collection::People, Relation::Classes),
        ("people", "sections", Collection::People, Relation::Sections),
        ("people", "agents", Collection::People, Relation::Agents),
    ];
    let mut checked = HashSet::new();
    for (resource, list, parent, relation) in nested {
        // The first parent with a non-empty list, so the check means something.
        let (id, want) = data
            .ids(parent)
            .into_iter()
            .find_map(|id| {
                let ids = data.nested_ids(parent, id, relation)?;
                (!ids.is_empty()).then_some((id, ids))
            })
            .unwrap_or_else(|| panic!("no {resource} has {list}"));
        let id = id.to_string();
        let run = edlink(graph_args(
            &server,
            &token,
            &[resource, list, &id, "--first", "3", "--format", "jsonl"],
        ))
        .await;
        run.ok();
        assert_eq!(ids_of_lines(&run.stdout), want, "{resource} {list}");
        checked.insert((parent, relation));
    }
    let served: HashSet<(Collection, Relation)> = RESOURCES
        .iter()
        .flat_map(|(_, p)| Relation::of_parent(*p).iter().map(move |r| (*p, *r)))
        .collect();
    assert_eq!(checked, served, "every nested list the mock serves");
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expansions_and_fields() {
    let server = graph_server().await;
    let (_, token, data) = first_active(&server);
    let run = edlink(graph_args(
        &server,
        &token,
        &[
            "people",
            "list",
            "--expand",
            "schools,district",
            "--format",
            "jsonl",
        ],
    ))
    .await;
    run.ok();
    assert_eq!(run.lines().len(), data.len(Collection::People));
    for line in run.lines() {
        let person: Value = serde_json::from_str(line).unwrap();
        let schools: Vec<&str> = person["schools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        let school_ids: Vec<&str> = person["school_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(schools, school_ids);
        assert_eq!(person["district"]["id"], person["district_id"]);
    }

    let run = edlink(graph_args(
        &server,
        &token,
        &[
            "people",
            "list",
            "--fields",
            "first_name",
            "--fields",
            "email",
            "--format",
            "jsonl",
        ],
    ))
    .await;
    run.ok();
    for line in run.lines() {
        let person: Value = serde_json::from_str(line).unwrap();
        let keys: BTreeSet<&str> = person
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert!(keys.contains("id"), "{line}");
        assert!(
            keys.is_subset(&BTreeSet::from(["id", "first_name", "email"])),
            "{line}"
        );
    }
    // The table shows the fields asked for.
    let table = edlink(graph_args(
        &server,
        &token,
        &[
            "people",
            "list",
            "--fields",
            "first_name,email",
            "--limit",
            "3",
        ],
    ))
    .await;
    table.ok();
    assert!(table.lines()[0].starts_with("ID  "), "{}", table.stdout);
    assert!(
        table.lines()[0].ends_with("FIRST NAME  EMAIL"),
        "{}",
        table.stdout
    );
    assert_eq!(table.lines().len(), 4);

    let id = data.ids(Collection::People)[0].to_string();
    let one = edlink(graph_args(
        &server,
        &token,
        &[
            "people",
            "get",
            &id,
            "--expand",
            "district",
            "--fields",
            "first_name",
            "--format",
            "json",
        ],
    ))
    .await;
    one.ok();
    let person: Value = serde_json::from_str(&one.stdout).unwrap();
    let keys: BTreeSet<&str> = person
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["id", "first_name", "district"]));
    assert_eq!(
        person["district"]["id"].as_str(),
        Some(data.district_id().to_string().as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_limit_count_and_warnings() {
    let server = graph_server().await;
    let (_, token, data) = first_active(&server);
    let people = data.ids(Collection::People);
    let count = edlink(graph_args(
        &server,
        &token,
        &["people", "list", "--first", "7", "--count"],
    ))
    .await;
    count.ok();
    assert_eq!(count.stdout, format!("{}\n", people.len()));

    server.clear_requests();
    let limited = edlink(graph_args(
        &server,
        &token,
        &["people", "list", "--limit", "5", "--format", "jsonl"],
    ))
    .await;
    limited.ok();
    assert_eq!(ids_of_lines(&limited.stdout), people[..5]);
    let log = server.requests();
    assert_eq!(log.len(), 1, "one request");
    assert_eq!(log[0].param("$first").as_deref(), Some("5"));

    let after = people[9].to_string();
    let run = edlink(graph_args(
        &server,
        &token,
        &[
            "people", "list", "--after", &after, "--first", "4", "--format", "jsonl",
        ],
    ))
    .await;
    run.ok();
    assert_eq!(ids_of_lines(&run.stdout), people[10..]);

    // An expired cursor mid-listing, with a filter: nothing lost or repeated.
    let want = expected(&data, Collection::People, |p| {
        text(p, "last_name").is_some()
    });
    server.expire_next_cursors(1);
    let run = edlink(graph_args(
        &server,
        &token,
        &[
            "people",
            "list",
            "--first",
            "5",
            "--filter",
            "last_name is known",
            "--format",
            "jsonl",
        ],
    ))
    .await;
    run.ok();
    assert_eq!(ids_of_lines(&run.stdout), want);

    let warned = edlink(graph_args(
        &server,
        &token,
        &["schools", "list", "--expand", "bogus", "--count"],
    ))
    .await;
    warned.expect_code(0);
    assert!(
        warned.stderr.starts_with("warning: INVALID_EXPANSION: "),
        "{}",
        warned.stderr
    );
    let quiet = edlink(graph_args(
        &server,
        &token,
        &["-q", "schools", "list", "--expand", "bogus", "--count"],
    ))
    .await;
    quiet.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_lists_the_resources_and_each_listings_filterable_fields() {
    let help = edlink(vec!["graph".into(), "--help".into()]).await;
    help.ok();
    for (resource, _) in RESOURCES {
        assert!(
            help.stdout.contains(&format!("  {resource}")),
            "{resource}: {}",
            help.stdout
        );
    }
    assert!(help.stdout.contains("--access-token"));
    let list = edlink(
        ["graph", "people", "list", "--help"]
            .map(String::from)
            .to_vec(),
    )
    .await;
    list.ok();
    assert!(list.stdout.contains("Filterable fields"), "{}", list.stdout);
    assert!(
        list.stdout
            .contains("  email          equals, starts with, contains"),
        "{}",
        list.stdout
    );
    let nested = edlink(
        ["graph", "classes", "enrollments", "--help"]
            .map(String::from)
            .to_vec(),
    )
    .await;
    nested.ok();
    assert!(
        nested
            .stdout
            .contains("  role           equals, in, not in, is known, is unknown")
    );
    let licenses = edlink(["graph", "licenses", "--help"].map(String::from).to_vec()).await;
    licenses.ok();
    assert!(!licenses.stdout.contains("  get"), "{}", licenses.stdout);
}
