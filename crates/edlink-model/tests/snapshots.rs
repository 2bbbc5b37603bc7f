//! What each hand-written fixture parses into, as insta snapshots
//! (`tests/snapshots/`). See docs/fixtures.md for the insta workflow.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::{Graph, Kind, hand_written_fixtures, kind_of};
use edlink_model::auth::TokenResponse;
use edlink_model::filter::Filterable;
use edlink_model::{
    Event, Filter, Integration, Permission, Provider, Response, ResponseError, Source,
    decode_response,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn decode<T: DeserializeOwned + std::fmt::Debug>(body: &[u8], list: bool) -> String {
    if list {
        format!(
            "{:#?}",
            decode_response::<Vec<T>>(200, Some("application/json"), body)
        )
    } else {
        format!(
            "{:#?}",
            decode_response::<T>(200, Some("application/json"), body)
        )
    }
}

/// A v2 fixture: an envelope, or a bare object.
fn decode_graph<T: DeserializeOwned + std::fmt::Debug>(body: &[u8], input: &Value) -> String {
    if input.get("$data").is_some() {
        decode::<T>(body, input["$data"].is_array())
    } else {
        format!("{:#?}", serde_json::from_slice::<T>(body))
    }
}

/// Events also show what each one's `data` decodes to.
fn decode_events(body: &[u8], input: &Value) -> String {
    let mut out = decode_graph::<Event>(body, input);
    if let Ok(page) = decode_response::<Vec<Event>>(200, Some("application/json"), body) {
        for event in &page.data {
            out.push_str(&format!(
                "\n\ndecode_data of {}: {:#?}",
                event.id,
                event.decode_data()
            ));
        }
    }
    out
}

/// A `$filter`: what it parses into, and how it is sent.
fn decode_filter<T: Filterable>(body: &[u8], _input: &Value) -> String {
    let text = std::str::from_utf8(body).unwrap();
    match Filter::<T>::from_json(text) {
        Ok(f) => format!("{f:#?}\n{}", f.to_query()),
        Err(e) => format!("Err({e})"),
    }
}

#[test]
fn hand_written_fixtures_parse_as_reviewed() {
    for (rel, body) in hand_written_fixtures() {
        let input: Value = serde_json::from_slice(&body).unwrap();
        let list = input.get("$data").is_some_and(Value::is_array);
        let parsed = match kind_of(&rel, &input) {
            Kind::Errors => {
                let r: Result<Response<Value>, ResponseError> =
                    decode_response(400, Some("application/json"), &body);
                format!("{r:#?}")
            }
            Kind::Integrations => decode::<Integration>(&body, list),
            Kind::Providers => decode::<Provider>(&body, list),
            Kind::Permissions => decode::<Permission>(&body, list),
            Kind::Graph(Graph::Events) => decode_events(&body, &input),
            Kind::Graph(graph) => with_graph_model!(graph, decode_graph(&body, &input)),
            Kind::Filter(graph) => with_graph_model!(graph, decode_filter(&body, &input)),
            Kind::Token => decode::<TokenResponse>(&body, list),
            Kind::Source => decode::<Source>(&body, list),
        };
        let name = rel.trim_end_matches(".json").replace('/', "__");
        insta::with_settings!({ description => format!("fixtures/{rel}"), omit_expression => true }, {
            insta::assert_snapshot!(name, parsed);
        });
    }
}
