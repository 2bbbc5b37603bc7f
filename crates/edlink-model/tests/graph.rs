//! The v2 Graph API models: the invalid samples fail with a place, drift is
//! absorbed (address/location, scalar lists, open enums), events decode into
//! their target's model, and each resource has its documented path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use edlink_model::{
    Address, Agent, Auth, Class, Course, Demographics, District, Enrollment, Event, EventData,
    GradeLevel, License, Person, Race, Record, Resource, ResponseError, School, Section, Session,
    decode_response,
};
use serde_json::{Value, json};
use uuid::Uuid;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(common::fixtures_dir().join(rel)).unwrap()
}

/// Decodes a body as one model's response, keeping only the error.
type Decoder = fn(&[u8]) -> Result<(), ResponseError>;

/// The invalid samples (`...` placeholders, a missing comma) fail to decode
/// with an error that names where: a JSON path and a line and column.
#[test]
fn invalid_samples_fail_with_a_place() {
    let envelope_cases: [(&str, Decoder, &str); 3] = [
        (
            "v2/invalid/events-list.txt",
            |b| decode_response::<Vec<Event>>(200, Some("application/json"), b).map(drop),
            "$data[0].data",
        ),
        (
            "v2/invalid/events-fetch.txt",
            |b| decode_response::<Event>(200, Some("application/json"), b).map(drop),
            "$data.data",
        ),
        (
            "v2/invalid/fields-people-list.txt",
            |b| decode_response::<Vec<Person>>(200, Some("application/json"), b).map(drop),
            "$data[2]",
        ),
    ];
    for (rel, decode, place) in envelope_cases {
        let err = decode(&fixture(rel)).unwrap_err();
        let ResponseError::Malformed { path, message, .. } = &err else {
            panic!("{rel}: expected Malformed, got {err:?}");
        };
        assert_eq!(path, place, "{rel}");
        assert!(
            message.contains(" line ") && message.contains(" column "),
            "{rel}: {message}"
        );
        assert!(err.to_string().contains(path.as_str()), "{rel}: {err}");
    }

    // The `$expand` guide's agent has no envelope: decoded on its own, the
    // error names the expanded object and the line.
    let body = fixture("v2/invalid/expand-my-agents-with-observer.txt");
    let mut de = serde_json::Deserializer::from_slice(&body);
    let err = serde_path_to_error::deserialize::<_, Agent>(&mut de).unwrap_err();
    // `?`: the key that could not be read, inside `observer`.
    assert_eq!(err.path().to_string(), "observer.?");
    let message = err.into_inner().to_string();
    assert_eq!(message, "key must be a string at line 10 column 5");
}

#[test]
fn every_top_level_model_has_its_documented_path_and_token() {
    fn check<R: Resource>(path: &str, name: &str) {
        assert_eq!(R::PATH, path);
        assert_eq!(R::NAME, name);
        assert_eq!(R::AUTH, Auth::AccessToken);
    }
    check::<District>("/api/v2/graph/districts", "district");
    check::<School>("/api/v2/graph/schools", "school");
    check::<Session>("/api/v2/graph/sessions", "session");
    check::<Course>("/api/v2/graph/courses", "course");
    check::<Class>("/api/v2/graph/classes", "class");
    check::<Section>("/api/v2/graph/sections", "section");
    check::<Person>("/api/v2/graph/people", "person");
    check::<Enrollment>("/api/v2/graph/enrollments", "enrollment");
    check::<Agent>("/api/v2/graph/agents", "agent");
    check::<License>("/api/v2/graph/licenses", "license");
    check::<Event>("/api/v2/graph/events", "event");
}

#[test]
fn id_is_required_and_is_the_record_id() {
    let id = Uuid::from_u128(42);
    let p: Person = serde_json::from_value(json!({"id": id, "first_name": "A"})).unwrap();
    assert_eq!(p.record_id(), Some(id));
    let err = serde_json::from_value::<Person>(json!({"first_name": "A"})).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
    let err = serde_json::from_value::<Class>(json!({"id": "not-an-id"})).unwrap_err();
    assert!(err.to_string().contains("UUID"), "{err}");
}

#[test]
fn the_address_accessor_prefers_the_live_name_and_falls_back_to_the_documented_one() {
    let page =
        decode_response::<Vec<District>>(200, None, &fixture("v2/drift/districts/address.json"))
            .unwrap();
    let cities: Vec<Option<&str>> = page
        .data
        .iter()
        .map(|d| d.address().and_then(|a| a.city.as_deref()))
        .collect();
    assert_eq!(
        cities,
        [
            Some("Gravity Falls"),
            Some("Live City"),
            Some("Fallback City")
        ]
    );
    // Both members are kept as sent: `null` stays `null`.
    let third = serde_json::to_value(&page.data[2]).unwrap();
    assert_eq!(third["address"], Value::Null);
    assert_eq!(third["location"]["city"], "Fallback City");

    let documented =
        decode_response::<District>(200, None, &fixture("v2/drift/districts/location.json"))
            .unwrap()
            .data;
    assert_eq!(
        documented.address().and_then(|a| a.unit.as_deref()),
        Some("Suite 2")
    );
    let schools = decode_response::<Vec<School>>(
        200,
        None,
        &fixture("v2/drift/schools/grade-levels-scalar.json"),
    )
    .unwrap()
    .data;
    assert_eq!(
        schools[0].address().and_then(|a| a.city.as_deref()),
        Some("Springfield")
    );
    assert_eq!(schools[1].address(), Some(&Address::default()));
    assert_eq!(schools[2].address(), None);
}

#[test]
fn scalar_lists_read_as_slices_and_write_back_in_their_own_form() {
    let schools = decode_response::<Vec<School>>(
        200,
        None,
        &fixture("v2/drift/schools/grade-levels-scalar.json"),
    )
    .unwrap()
    .data;
    let levels = |s: &School| s.grade_levels.as_deref().unwrap_or_default().to_vec();
    assert_eq!(levels(&schools[0]), [GradeLevel::Kindergarten]);
    assert!(levels(&schools[1]).is_empty());
    assert!(schools[1].is_null("grade_levels"));
    assert_eq!(
        levels(&schools[2])[..2],
        [GradeLevel::AdultLearning, GradeLevel::ContinuedLearning]
    );
    assert_eq!(
        serde_json::to_value(&schools[0]).unwrap()["grade_levels"],
        "KG"
    );

    let people =
        decode_response::<Vec<Person>>(200, None, &fixture("v2/drift/people/races-scalar.json"))
            .unwrap()
            .data;
    let races = |p: &Person| {
        p.demographics
            .as_ref()
            .and_then(|d| d.races.as_deref())
            .unwrap_or_default()
            .to_vec()
    };
    assert_eq!(races(&people[0]), [Race::White]);
    assert_eq!(races(&people[1]), []);
    assert_eq!(races(&people[2]), []);
    assert_eq!(races(&people[3]).len(), 5);
    let out: Vec<Value> = people
        .iter()
        .map(|p| serde_json::to_value(p).unwrap()["demographics"]["races"].clone())
        .collect();
    assert_eq!(out[0], json!("white"));
    assert_eq!(out[1], json!([]));
    assert_eq!(out[2], Value::Null);
    assert!(people[2].demographics.as_ref().unwrap().is_null("races"));
}

#[test]
fn birthdays_keep_their_form_and_give_the_written_date() {
    let people =
        decode_response::<Vec<Person>>(200, None, &fixture("v2/drift/people/races-scalar.json"))
            .unwrap()
            .data;
    let birthday = |i: usize| {
        people[i]
            .demographics
            .as_ref()
            .unwrap()
            .birthday
            .clone()
            .unwrap()
    };
    assert_eq!(birthday(0).as_str(), "2012-08-31");
    assert_eq!(birthday(1).as_str(), "2012-08-31T00:00:00.000Z");
    assert_eq!(birthday(0).date(), birthday(1).date());
    assert!(birthday(0).timestamp().is_none() && birthday(1).timestamp().is_some());
    assert_eq!(birthday(2).as_str(), "1990-01-01T08:00:00+00:00");

    let bad = serde_json::from_value::<Demographics>(json!({"birthday": "31/08/2012"}));
    let err = bad.unwrap_err().to_string();
    assert!(err.contains("invalid birthday \"31/08/2012\""), "{err}");
}

#[test]
fn unknown_fields_and_enum_values_are_kept_and_written_back() {
    let body = fixture("v2/drift/people/unknown-enums.json");
    let person = decode_response::<Person>(200, None, &body).unwrap().data;
    assert!(person.roles.as_ref().unwrap()[1].is_unknown());
    let out = serde_json::to_value(&person).unwrap();
    let input: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(out, input["$data"]);
    assert_eq!(out["favourite_constant"], json!(6.02214076e23));
    assert_eq!(out["demographics"]["individualized_educationPlan"], true);
    assert_eq!(out["demographics"]["races"], json!(["asian", "martian"]));
}

#[test]
fn expansions_are_typed() {
    let people = decode_response::<Vec<Person>>(
        200,
        None,
        &fixture("v2/drift/people/expanded-schools.json"),
    )
    .unwrap()
    .data;
    let schools = people[0].schools.as_ref().unwrap();
    assert_eq!(
        schools.iter().map(|s| s.id).collect::<Vec<_>>(),
        people[0].school_ids.clone().unwrap()
    );
    assert_eq!(
        people[0].district.as_ref().unwrap().name.as_deref(),
        Some("Gravity Falls School District")
    );

    let agents = decode_response::<Vec<Agent>>(
        200,
        None,
        &fixture("v2/drift/agents/expanded-observer-target.json"),
    )
    .unwrap()
    .data;
    let agent = &agents[0];
    assert_eq!(agent.observer.as_ref().map(|p| p.id), agent.observer_id);
    assert_eq!(agent.target.as_ref().map(|p| p.id), agent.target_id);
    assert_eq!(
        agent.target.as_ref().unwrap().grade_levels.as_deref(),
        Some(&[GradeLevel::Grade06][..])
    );

    let enrollments = decode_response::<Vec<Enrollment>>(
        200,
        None,
        &fixture("v2/drift/enrollments/unknown-enums.json"),
    )
    .unwrap()
    .data;
    let e = &enrollments[1];
    assert_eq!(e.person.as_ref().map(|p| p.id), e.person_id);
    assert_eq!(e.class.as_ref().map(|c| c.id), e.class_id);
    assert_eq!(e.section.as_ref().map(|s| s.id), e.section_id);
}

#[test]
fn every_event_target_decodes_into_its_model() {
    let events =
        decode_response::<Vec<Event>>(200, None, &fixture("v2/drift/events/every-target.json"))
            .unwrap()
            .data;
    let kinds: Vec<String> = events
        .iter()
        .map(|e| match e.decode_data().unwrap() {
            None => "none".to_owned(),
            Some(EventData::District(d)) => format!("district {}", d.id),
            Some(EventData::School(s)) => format!("school {}", s.id),
            Some(EventData::Session(s)) => format!("session {}", s.id),
            Some(EventData::Course(c)) => format!("course {}", c.id),
            Some(EventData::Class(c)) => format!("class {}", c.id),
            Some(EventData::Section(s)) => format!("section {}", s.id),
            Some(EventData::Person(p)) => format!("person {}", p.id),
            Some(EventData::Enrollment(e)) => format!("enrollment {}", e.id),
            Some(EventData::Agent(a)) => format!("agent {}", a.id),
            Some(EventData::Other { target, data }) => {
                format!("other {} {}", target.unwrap(), data.as_str())
            }
            Some(other) => panic!("unexpected {other:?}"),
        })
        .collect();
    // For each event: what its target and target_id (or missing data) say.
    let expected: Vec<String> = events
        .iter()
        .map(|e| {
            let raw = e.data.as_ref().map(|d| d.as_str()).unwrap_or("null");
            if raw == "null" || raw == "{}" {
                "none".to_owned()
            } else if e.target.as_ref().unwrap().is_unknown() {
                format!("other {} {raw}", e.target.as_ref().unwrap())
            } else {
                format!("{} {}", e.target.as_ref().unwrap(), e.target_id.unwrap())
            }
        })
        .collect();
    assert_eq!(kinds, expected);
    assert_eq!(kinds.iter().filter(|k| *k == "none").count(), 3);
    assert_eq!(
        kinds
            .iter()
            .filter(|k| k.starts_with("other period"))
            .count(),
        1
    );
}

#[test]
fn event_data_that_does_not_fit_names_the_event_the_model_and_the_path() {
    let events =
        decode_response::<Vec<Event>>(200, None, &fixture("v2/drift/events/bad-data.json"))
            .unwrap()
            .data;
    let err = events[0].decode_data().unwrap_err();
    assert_eq!(err.path(), "data.identifiers[0].value");
    assert_eq!(err.event_id(), events[0].id);
    assert_eq!(
        err.to_string(),
        "event e0000000-0000-4000-8000-0000000000f1: data does not fit the person model at \
         data.identifiers[0].value: invalid type: integer `100234`, expected a string at line 1 \
         column 97"
    );
    let err = events[1].decode_data().unwrap_err();
    assert_eq!(err.path(), "data");
    assert!(err.message().contains("missing field `id`"), "{err}");
    // No target at all: the data is kept as sent.
    match events[2].decode_data().unwrap() {
        Some(EventData::Other { target: None, data }) => assert_eq!(data.as_str(), "[1, 2]"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn models_are_send_sync_and_small() {
    fn assert_send_sync<T: Send + Sync + Clone + PartialEq + std::fmt::Debug>() {}
    assert_send_sync::<Person>();
    assert_send_sync::<Event>();
    assert_send_sync::<EventData>();
    assert_send_sync::<License>();
    // Each variant boxes its model, so the enum stays a few words.
    assert!(
        std::mem::size_of::<EventData>() <= 64,
        "{}",
        std::mem::size_of::<EventData>()
    );
}
