//! [`Event`]: one change to a rostering object, for incremental sync, and
//! [`EventData`], its `data` decoded into the target's model.

use std::fmt;

use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{
    Agent, Auth, Class, Course, District, Enrollment, EventTarget, EventType, Person, RawJson,
    Record, Resource, School, Section, Session, Timestamp,
};

lossless_struct! {
    /// An event (`GET /api/v2/graph/events`): an object of the district was
    /// created, updated or deleted. Events come oldest first and must be
    /// applied in that order; page forward with `$first` + `$after`. They are
    /// kept 30 days.
    ///
    /// `data` (the target's new value) is kept as exact JSON text;
    /// [`Event::decode_data`] turns it into the target's typed model. The
    /// OpenAPI schema and the TypeScript SDK add `created_date`,
    /// `updated_date` and `properties`.
    ///
    /// ```
    /// use edlink_model::{Event, EventData, EventTarget, EventType};
    ///
    /// let e: Event = serde_json::from_str(r#"{
    ///     "id": "00000000-0000-0000-0000-000000000001",
    ///     "date": "2021-07-26T06:15:47.179Z", "type": "updated", "target": "person",
    ///     "target_id": "00000000-0000-0000-0000-000000000002",
    ///     "data": {"id": "00000000-0000-0000-0000-000000000002", "first_name": "Dipper"}
    /// }"#)?;
    /// assert_eq!(e.event_type, Some(EventType::Updated));
    /// match e.decode_data()? {
    ///     Some(EventData::Person(p)) => assert_eq!(p.first_name.as_deref(), Some("Dipper")),
    ///     other => panic!("{other:?}"),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct Event("an event object") {
        required {
            /// `id`: required; page forward with `$after=<the last id applied>`.
            id: Uuid = "id",
        }
        optional {
            /// `date`: when the change happened.
            date: Timestamp = "date",
            /// `type`: created, updated or deleted.
            event_type: EventType = "type",
            /// `target`: the kind of object changed.
            target: EventTarget = "target",
            /// `target_id`: the id of the object changed.
            target_id: Uuid = "target_id",
            /// `integration_id`.
            integration_id: Uuid = "integration_id",
            /// `materialization_id`: the materialization that produced it.
            materialization_id: Uuid = "materialization_id",
            /// `data`: the target's new value, as exact JSON text; see
            /// [`Event::decode_data`].
            data: RawJson = "data",
            /// `created_date` (OpenAPI schema, TypeScript SDK).
            created_date: Timestamp = "created_date",
            /// `updated_date` (OpenAPI schema, TypeScript SDK).
            updated_date: Timestamp = "updated_date",
            /// `properties` (OpenAPI schema, TypeScript SDK), as exact JSON text.
            properties: RawJson = "properties",
        }
    }
}

/// An event's `data` decoded into the model of its `target`.
///
/// ```
/// use edlink_model::{EventData, EventTarget, RawJson};
///
/// let other = EventData::Other { target: Some(EventTarget::from("period")), data: RawJson::from_text("{}".into())? };
/// assert!(matches!(other, EventData::Other { .. }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventData {
    /// `target: agent`.
    Agent(Box<Agent>),
    /// `target: class`.
    Class(Box<Class>),
    /// `target: course`.
    Course(Box<Course>),
    /// `target: district`.
    District(Box<District>),
    /// `target: enrollment`.
    Enrollment(Box<Enrollment>),
    /// `target: person`.
    Person(Box<Person>),
    /// `target: school`.
    School(Box<School>),
    /// `target: section`.
    Section(Box<Section>),
    /// `target: session`.
    Session(Box<Session>),
    /// A target this version of the SDK has no model for (or no `target` at
    /// all): the data as sent.
    Other {
        /// The event's `target`, when sent.
        target: Option<EventTarget>,
        /// `data`, byte for byte.
        data: RawJson,
    },
}

/// Why an event's `data` does not fit the model of its `target`: which event,
/// which model, where in `data` and what was wrong.
///
/// ```
/// use edlink_model::Event;
///
/// let e: Event = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000001","target":"person",
///     "data":{"id":"00000000-0000-0000-0000-000000000002","demographics":{"birthday":"soon"}}}"#)?;
/// let err = e.decode_data().unwrap_err();
/// assert_eq!(err.path(), "data.demographics.birthday");
/// assert!(err.to_string().starts_with("event 00000000-0000-0000-0000-000000000001: data does not fit the person model at data.demographics.birthday: invalid birthday"), "{err}");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDataError {
    event_id: Uuid,
    target: EventTarget,
    path: String,
    message: String,
}

impl EventDataError {
    /// The event's id.
    ///
    /// ```
    /// use edlink_model::Event;
    ///
    /// let e: Event = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000001","target":"class","data":{"name":"x"}}"#)?;
    /// let err = e.decode_data().unwrap_err();
    /// assert_eq!(err.event_id(), e.id);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn event_id(&self) -> Uuid {
        self.event_id
    }

    /// The event's target, which chose the model.
    ///
    /// ```
    /// use edlink_model::Event;
    ///
    /// let e: Event = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000001","target":"class","data":{"name":"x"}}"#)?;
    /// let err = e.decode_data().unwrap_err();
    /// assert_eq!(err.target(), &edlink_model::EventTarget::Class);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn target(&self) -> &EventTarget {
        &self.target
    }

    /// Where decoding failed, from the event: `data.demographics.birthday`.
    ///
    /// ```
    /// use edlink_model::Event;
    ///
    /// let e: Event = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000001","target":"class","data":{"name":"x"}}"#)?;
    /// let err = e.decode_data().unwrap_err();
    /// assert_eq!(err.path(), "data");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong there (serde's message, with line and column).
    ///
    /// ```
    /// use edlink_model::Event;
    ///
    /// let e: Event = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000001","target":"class","data":{"name":"x"}}"#)?;
    /// let err = e.decode_data().unwrap_err();
    /// assert_eq!(err.message(), "missing field `id` at line 1 column 12");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EventDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "event {}: data does not fit the {} model at {}: {}",
            self.event_id, self.target, self.path, self.message
        )
    }
}

impl std::error::Error for EventDataError {}

/// `{}` (with any whitespace): no field at all.
fn is_empty_object(text: &str) -> bool {
    text.trim()
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|inner| inner.trim().is_empty())
}

impl Event {
    /// Decodes `data` into the model of `target`.
    ///
    /// - `Ok(None)`: `data` is missing, `null` or `{}` (e.g. some deletes).
    /// - `Ok(Some(EventData::Other { .. }))`: `target` is missing or one this
    ///   SDK has no model for; the data is kept as sent.
    /// - `Err`: `data` does not fit the model of a known target; the error
    ///   names the event, the model and the JSON path inside `data`.
    ///
    /// ```
    /// use edlink_model::{Event, EventData};
    ///
    /// let deleted: Event = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000001","type":"deleted","target":"class","data":null}"#)?;
    /// assert_eq!(deleted.decode_data()?, None);
    ///
    /// let new_kind: Event = serde_json::from_str(r#"{"id":"00000000-0000-0000-0000-000000000001","target":"period","data":{"id":"x"}}"#)?;
    /// assert!(matches!(new_kind.decode_data()?, Some(EventData::Other { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decode_data(&self) -> Result<Option<EventData>, EventDataError> {
        let Some(data) = &self.data else {
            return Ok(None);
        };
        if is_empty_object(data.as_str()) {
            return Ok(None);
        }
        let Some(target) = &self.target else {
            return Ok(Some(EventData::Other {
                target: None,
                data: data.clone(),
            }));
        };
        let decoded = match target {
            EventTarget::Agent => EventData::Agent(self.decode_as(target, data)?),
            EventTarget::Class => EventData::Class(self.decode_as(target, data)?),
            EventTarget::Course => EventData::Course(self.decode_as(target, data)?),
            EventTarget::District => EventData::District(self.decode_as(target, data)?),
            EventTarget::Enrollment => EventData::Enrollment(self.decode_as(target, data)?),
            EventTarget::Person => EventData::Person(self.decode_as(target, data)?),
            EventTarget::School => EventData::School(self.decode_as(target, data)?),
            EventTarget::Section => EventData::Section(self.decode_as(target, data)?),
            EventTarget::Session => EventData::Session(self.decode_as(target, data)?),
            EventTarget::Unknown(_) => EventData::Other {
                target: Some(target.clone()),
                data: data.clone(),
            },
        };
        Ok(Some(decoded))
    }

    fn decode_as<T: DeserializeOwned>(
        &self,
        target: &EventTarget,
        data: &RawJson,
    ) -> Result<Box<T>, EventDataError> {
        let mut de = serde_json::Deserializer::from_str(data.as_str());
        serde_path_to_error::deserialize::<_, T>(&mut de)
            .map(Box::new)
            .map_err(|e| {
                let inner = e.path().to_string();
                EventDataError {
                    event_id: self.id,
                    target: target.clone(),
                    path: if inner == "." {
                        "data".to_owned()
                    } else {
                        format!("data.{inner}")
                    },
                    message: e.into_inner().to_string(),
                }
            })
    }
}

impl Record for Event {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Event {
    const PATH: &'static str = "/api/v2/graph/events";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "event";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_objects_are_recognised_whatever_the_spacing() {
        assert!(is_empty_object("{}"));
        assert!(is_empty_object(" {\n  }\n"));
        assert!(!is_empty_object(r#"{"a":1}"#));
        assert!(!is_empty_object("[]"));
        assert!(!is_empty_object("null"));
    }
}
