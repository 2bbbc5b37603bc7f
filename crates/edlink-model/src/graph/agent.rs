//! [`Agent`]: a relationship between two people (parent and student…).

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{
    AgentFlag, Auth, Identifier, Person, RawJson, Record, Relationship, Resource, Timestamp,
};

lossless_struct! {
    /// An agent (`GET /api/v2/graph/agents`): the relationship of an observer
    /// (typically a parent or guardian) to a target (typically a student);
    /// emergency contacts are agents too. The 2022 samples have no dates or
    /// identifiers; the live ones add `flags`, `created_date`, `updated_date`.
    /// `$expand=observer` / `$expand=target` fill `observer` / `target`.
    ///
    /// ```
    /// use edlink_model::{Agent, AgentFlag, Relationship};
    ///
    /// let a: Agent = serde_json::from_str(r#"{
    ///     "id": "0a5c73b7-ef15-40e2-9295-8540914db235", "relationship": "mother",
    ///     "flags": ["emergency_contact"],
    ///     "observer": {"id": "725b31b5-8563-4b51-8df8-419b222e1779", "first_name": "Wendy"}
    /// }"#)?;
    /// assert_eq!(a.relationship, Some(Relationship::Mother));
    /// assert_eq!(a.flags.as_deref(), Some(&[AgentFlag::EmergencyContact][..]));
    /// assert_eq!(a.observer.and_then(|p| p.first_name), Some("Wendy".to_owned()));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Agent("an agent object") {
        required {
            /// `id`: required.
            id: Uuid = "id",
        }
        optional {
            /// `created_date` (live docs).
            created_date: Timestamp = "created_date",
            /// `updated_date` (live docs).
            updated_date: Timestamp = "updated_date",
            /// `relationship`: what the observer is to the target.
            relationship: Relationship = "relationship",
            /// `flags` (live docs).
            flags: Vec<AgentFlag> = "flags",
            /// `properties`: non-standard data from the source, as exact JSON text.
            properties: RawJson = "properties",
            /// `identifiers`: ids in other systems.
            identifiers: Vec<Identifier> = "identifiers",
            /// `observer_id`: the person who observes (a parent, a guardian).
            observer_id: Uuid = "observer_id",
            /// `target_id`: the person observed (a student).
            target_id: Uuid = "target_id",
            /// `observer`: the observer, with `$expand=observer`.
            observer: Box<Person> = "observer",
            /// `target`: the target, with `$expand=target`.
            target: Box<Person> = "target",
        }
    }
}

impl Record for Agent {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Agent {
    const PATH: &'static str = "/api/v2/graph/agents";
    const AUTH: Auth = Auth::AccessToken;
    const NAME: &'static str = "agent";
}
