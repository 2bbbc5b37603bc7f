//! The generated API of lossless objects: constructors, null tracking,
//! `extra`, equality.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use edlink_model::{
    AccessToken, Integration, IntegrationScope, IntegrationSource, Permission, Provider, RawJson,
    Team,
};
use serde_json::json;
use uuid::Uuid;

const ID: &str = "77a69705-41a7-49cb-0fe8-ffd425f9716f";

#[test]
fn constructors_build_values_outside_the_crate() {
    let id = Uuid::parse_str(ID).unwrap();
    let mut i = Integration::new(id);
    i.scope = Some(IntegrationScope::All);
    i.access_token = Some(AccessToken::new("t"));
    i.source = Some(IntegrationSource::default());
    i.extra.insert("later", RawJson::from_value(&json!(1)));
    assert_eq!(
        serde_json::to_value(&i).unwrap(),
        json!({"id": ID, "scope": "all", "access_token": "t", "source": {}, "later": 1})
    );
    assert_eq!(Team::new(), Team::default());
    assert_eq!(Provider::new(id).id, id);
    assert_eq!(Permission::new(id).name, None);
}

#[test]
fn nulls_are_tracked_and_can_be_set() {
    let mut i: Integration =
        serde_json::from_value(json!({"id": ID, "entity": null, "team": null})).unwrap();
    assert!(i.is_null("entity") && i.is_null("team"));
    assert!(!i.is_null("scope") && !i.is_null("id") && !i.is_null("no_such_field"));
    // Setting a field that arrived as null makes it a value again.
    i.team = Some(Team::new());
    assert!(!i.is_null("team"));
    assert!(i.set_null("scope"));
    assert!(!i.set_null("id") && !i.set_null("no_such_field"));
    assert_eq!(
        serde_json::to_value(&i).unwrap(),
        json!({"id": ID, "scope": null, "team": {}, "entity": null})
    );
    assert_eq!(
        format!("{i:?}"),
        format!("Integration {{ id: {ID}, scope: null, team: Team, entity: null }}")
    );
}

#[test]
fn equality_is_as_on_the_wire() {
    let a: Integration = serde_json::from_value(json!({"id": ID, "locked": null})).unwrap();
    let b: Integration = serde_json::from_value(json!({"id": ID})).unwrap();
    assert_ne!(a, b, "null differs from missing");
    let mut c = a.clone();
    c.locked = Some(true);
    let d: Integration = serde_json::from_value(json!({"id": ID, "locked": true})).unwrap();
    assert_eq!(c, d, "a null field set later equals one that arrived set");
}

#[test]
fn extra_never_duplicates_a_known_key() {
    let mut t = Team::new();
    t.name = Some("Edlink University".into());
    t.extra
        .insert("name", RawJson::from_value(&json!("shadow")));
    t.extra.insert("phone", RawJson::from_value(&json!("555")));
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        r#"{"name":"Edlink University","phone":"555"}"#
    );
}

#[test]
fn fields_lists_the_known_keys_in_output_order() {
    assert_eq!(Integration::FIELDS[0], "id");
    assert!(Integration::FIELDS.contains(&"district_sharing"));
    assert!(Team::FIELDS.contains(&"type"));
    assert_eq!(IntegrationSource::FIELDS.len(), 7);
}

#[test]
fn objects_refuse_other_json_types_with_a_clear_message() {
    let err = serde_json::from_value::<Integration>(json!([1])).unwrap_err();
    assert!(err.to_string().contains("an integration object"), "{err}");
    let err = serde_json::from_value::<Integration>(json!({"scope": "all"})).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}

#[test]
fn unknown_members_come_back_byte_for_byte_in_their_order() {
    // Numbers `serde_json::Value` would change, keys it would sort, and
    // spacing inside a value: all kept.
    let body = r#"{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","zeta":123456789012345678901234567890,"alpha":1.10,"obj":{ "b" : 1e2, "a":[ 1 ,2 ] },"mid":"\u00e9"}"#;
    let i: Integration = serde_json::from_str(body).unwrap();
    assert_eq!(
        i.extra.keys().collect::<Vec<_>>(),
        ["zeta", "alpha", "obj", "mid"]
    );
    assert_eq!(serde_json::to_string(&i).unwrap(), body);
    // JSON kept as text comes back byte for byte too.
    let body = r#"{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","entity":{"n":1.10, "z":[]}}"#;
    let i: Integration = serde_json::from_str(body).unwrap();
    assert_eq!(
        i.entity.as_ref().map(RawJson::as_str),
        Some(r#"{"n":1.10, "z":[]}"#)
    );
    assert_eq!(serde_json::to_string(&i).unwrap(), body);
}
