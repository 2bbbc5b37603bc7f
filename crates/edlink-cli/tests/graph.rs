//! End to end: `edlink graph …` against `edlink-mock`: every resource, fetch
//! and nested list in every format, expansions, fields, paging, help. Expected
//! results come from the mock's own data (`MockServer::graph`). Filters:
//! `graph_filters.rs`; credentials and errors: `graph_auth.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeSet, HashSet};

use common::{
    assert_hidden, edlink, expected, first_active, graph_args, graph_server, ids_of_lines, text,
};
use edlink_mock::{Collection, Relation};
use serde_json::Value;

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
    // An expansion adds a column: the district by name.
    let table = edlink(graph_args(
        &server,
        &token,
        &["people", "list", "--expand", "district", "--limit", "2"],
    ))
    .await;
    table.ok();
    let district = data
        .object(Collection::Districts, data.district_id())
        .unwrap();
    let name = text(&district, "name").unwrap();
    assert!(table.lines()[0].ends_with("  DISTRICT"), "{}", table.stdout);
    for row in &table.lines()[1..] {
        assert!(row.ends_with(&format!("  {name}")), "{row}");
    }

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
