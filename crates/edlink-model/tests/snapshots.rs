//! What each hand-written fixture parses into, as insta snapshots
//! (`tests/snapshots/`). See docs/fixtures.md for the insta workflow.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Kind, hand_written_fixtures, kind_of};
use edlink_model::{Integration, Permission, Provider, Response, ResponseError, decode_response};
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
        };
        let name = rel.trim_end_matches(".json").replace('/', "__");
        insta::with_settings!({ description => format!("fixtures/{rel}"), omit_expression => true }, {
            insta::assert_snapshot!(name, parsed);
        });
    }
}
