//! End to end: where `edlink graph` gets its access token (flag,
//! environment, `--integration`, `--demo`), that the token never shows, and
//! the Graph errors with their exit codes and hints.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{
    KEY, Run, assert_hidden, edlink, edlink_env, first_active, graph_args, graph_server,
    ids_of_lines,
};
use edlink_mock::{Collection, Credential, Fault, FaultTarget, MockServer, Relation};

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| (*a).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integration_reads_the_token_with_the_key_and_never_shows_it() {
    let server = graph_server().await;
    let (integration, token, data) = first_active(&server);
    let id = integration.to_string();
    let base = server.base_url();
    for verbose in [false, true] {
        server.clear_requests();
        let mut line = vec!["--base-url", &base, "--secret-key", KEY];
        if verbose {
            line.push("-v");
        }
        line.extend([
            "graph",
            "schools",
            "list",
            "--integration",
            &id,
            "--format",
            "jsonl",
        ]);
        let run = edlink(args(&line)).await;
        run.expect_code(0);
        assert_hidden(&run, &token);
        assert!(!run.stderr.contains("Bearer"), "{}", run.stderr);
        assert_eq!(ids_of_lines(&run.stdout), data.ids(Collection::Schools));
        let log = server.requests();
        assert_eq!(log[0].path, format!("/api/v1/integrations/{id}"));
        assert_eq!(log[0].credential, Credential::ApplicationKey);
        assert_eq!(log[1].path, "/api/v2/graph/schools");
        assert_eq!(log[1].credential, Credential::AccessToken(integration));
        assert_eq!(log.len(), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_gives_way_to_flags_and_conflicting_flags_are_refused() {
    let server = graph_server().await;
    let (integration, token, data) = first_active(&server);
    let other = server.integrations_with_status("active")[1];
    let url = server.base_url();
    let base = ["--base-url", url.as_str()];

    // EDLINK_ACCESS_TOKEN alone.
    let run = edlink_env(
        args(
            &[
                &base[..],
                &["graph", "districts", "list", "--format", "jsonl"],
            ]
            .concat(),
        ),
        vec![("EDLINK_ACCESS_TOKEN", token.clone())],
    )
    .await;
    run.ok();
    assert_eq!(ids_of_lines(&run.stdout), [data.district_id()]);

    // The environment's token gives way to an --integration flag.
    server.clear_requests();
    let other_id = other.to_string();
    let run = edlink_env(
        args(
            &[
                &base[..],
                &[
                    "--secret-key",
                    KEY,
                    "--integration",
                    &other_id,
                    "graph",
                    "districts",
                    "list",
                ],
            ]
            .concat(),
        ),
        vec![("EDLINK_ACCESS_TOKEN", token.clone())],
    )
    .await;
    run.ok();
    assert_eq!(
        server.requests()[1].credential,
        Credential::AccessToken(other)
    );

    // Two flags: refused before any request.
    let before = server.request_count();
    let id = integration.to_string();
    let both = edlink(args(
        &[
            &base[..],
            &[
                "--secret-key",
                KEY,
                "--access-token",
                &token,
                "graph",
                "schools",
                "list",
            ],
            &["--integration", &id],
        ]
        .concat(),
    ))
    .await;
    assert_usage(
        &both,
        &["--access-token and --integration cannot be used together"],
    );
    assert_hidden(&both, &token);

    // No token at all, and --integration without the key.
    let none = edlink(args(&[&base[..], &["graph", "schools", "list"]].concat())).await;
    assert_usage(
        &none,
        &[
            "--access-token TOKEN",
            "EDLINK_ACCESS_TOKEN",
            "--integration UUID",
        ],
    );
    let no_key = edlink(args(
        &[
            &base[..],
            &["graph", "schools", "list", "--integration", &id],
        ]
        .concat(),
    ))
    .await;
    assert_usage(&no_key, &["--integration needs the application secret key"]);
    assert_eq!(
        server.request_count(),
        before,
        "the refused runs sent nothing"
    );
}

fn assert_usage(run: &Run, needles: &[&str]) {
    run.expect_code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    for needle in needles {
        assert!(run.stderr.contains(needle), "{needle:?} in {}", run.stderr);
    }
}

/// Exit 3, the error line with `needles`, and a hint about the access token.
fn assert_graph_error(run: &Run, needles: &[&str], hint: &str) {
    run.expect_code(3);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(lines[0].starts_with("error: "), "{}", run.stderr);
    for needle in needles {
        assert!(lines[0].contains(needle), "{needle:?} in {}", run.stderr);
    }
    assert!(
        lines[1].starts_with("hint: ") && lines[1].contains(hint),
        "{}",
        run.stderr
    );
    assert!(
        !lines[1].contains("secret key (--secret-key"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graph_errors_exit_3_with_hints_about_the_token() {
    let server = graph_server().await;
    let (_, token, data) = first_active(&server);
    let wrong = edlink(graph_args(
        &server,
        "wrong-token-0123456789",
        &["people", "list"],
    ))
    .await;
    assert_graph_error(&wrong, &["INVALID_TOKEN", "HTTP 401"], "--access-token");
    assert!(
        !wrong.stderr.contains("wrong-token-0123456789"),
        "{}",
        wrong.stderr
    );

    let inactive = ["inactive", "disabled", "requested", "scheduled"]
        .iter()
        .flat_map(|s| server.integrations_with_status(s))
        .next()
        .unwrap();
    let inactive_token = server.access_token(inactive).unwrap();
    let run = edlink(graph_args(&server, &inactive_token, &["schools", "list"])).await;
    assert_graph_error(
        &run,
        &["INVALID_INTEGRATION_STATE"],
        "edlink integrations list",
    );
    assert_hidden(&run, &inactive_token);

    // A 401 without `$errors` (a proxy's page): still the token's fault.
    server
        .faults()
        .push(FaultTarget::Graph, Fault::ProxyPage(401));
    let run = edlink(graph_args(&server, &token, &["schools", "list"])).await;
    assert_graph_error(&run, &["HTTP 401"], "--access-token");

    // Another district's id.
    let other = server.integrations_with_status("active")[1];
    let foreign = server.graph(other).unwrap().ids(Collection::People)[0].to_string();
    let run = edlink(graph_args(&server, &token, &["people", "get", &foreign])).await;
    run.expect_code(3);
    assert!(run.stderr.contains("NOT_FOUND"), "{}", run.stderr);
    let _ = data;

    // The key's own failures still hint at the key.
    let id = other.to_string();
    let run = edlink(args(&[
        "--base-url",
        &server.base_url(),
        "--secret-key",
        "wrong-key-0123456789",
        "graph",
        "schools",
        "list",
        "--integration",
        &id,
    ]))
    .await;
    run.expect_code(3);
    assert!(
        run.stderr
            .contains("hint: check the application secret key"),
        "{}",
        run.stderr
    );
}

/// The demo server's data, built the same way (`--demo` is deterministic):
/// the tests know its first active integration and token without asking it.
async fn demo_replica() -> MockServer {
    MockServer::builder()
        .generated(250, 42)
        .seed(42)
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_reads_its_first_active_integration_for_every_graph_command() {
    let replica = demo_replica().await;
    let (integration, token, data) = first_active(&replica);

    let run = edlink(args(&["--demo", "graph", "people", "list", "--limit", "5"])).await;
    run.expect_code(0);
    assert_hidden(&run, &token);
    assert_eq!(run.lines().len(), 6, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        format!(
            "demo: reading integration {integration}, the first active one (--integration UUID \
             picks another)\n"
        )
    );
    let people = data.ids(Collection::People);
    for (line, id) in run.lines()[1..].iter().zip(&people) {
        assert!(line.starts_with(&id.to_string()), "{line}");
    }

    // Filtered, expanded, nested; -q silences the notice; the environment's
    // token is ignored, like its key.
    let (class, enrollments) = data
        .ids(Collection::Classes)
        .into_iter()
        .find_map(|c| {
            let e = data.nested_ids(Collection::Classes, c, Relation::Enrollments)?;
            (!e.is_empty()).then_some((c, e))
        })
        .unwrap();
    let class = class.to_string();
    let run = edlink_env(
        args(&[
            "--demo",
            "-q",
            "graph",
            "classes",
            "enrollments",
            &class,
            "--expand",
            "person",
            "--format",
            "jsonl",
        ]),
        vec![("EDLINK_ACCESS_TOKEN", "not-the-demo-token".to_owned())],
    )
    .await;
    run.ok();
    assert_eq!(ids_of_lines(&run.stdout), enrollments);
    assert!(run.lines().iter().all(|l| l.contains("\"person\":{")));

    // --integration works in demo mode with the demo's own key.
    let id = integration.to_string();
    let run = edlink(args(&[
        "--demo",
        "graph",
        "districts",
        "list",
        "--integration",
        &id,
    ]))
    .await;
    run.ok();
    assert!(run.stdout.contains(&data.district_id().to_string()));

    // The README's command is unchanged.
    let run = edlink(args(&["--demo", "integrations", "list", "--limit", "2"])).await;
    run.ok();
    assert!(run.lines()[0].starts_with("ID  "));
}
