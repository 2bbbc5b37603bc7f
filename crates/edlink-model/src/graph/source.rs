//! [`Source`]: the data source behind a person's integration
//! (`GET /api/v2/my/source`).

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{Provider, RawJson, Record, SourceStatus, Timestamp};

lossless_struct! {
    /// The source (the district's LMS or SIS connection) behind the
    /// integration a person signed in through, as `GET /api/v2/my/source`
    /// gives it: the v2 Source model (`state`, `provider_id`, `team_id`,
    /// `configuration`) with the sample's extra `sync_interval` and embedded
    /// `provider`. Every field may be missing or `null`; unknown keys are
    /// kept in `extra`.
    ///
    /// `configuration` may hold the source's credentials: its `Debug` masks
    /// secret-named keys, like every JSON field of the model.
    ///
    /// ```
    /// use edlink_model::{Source, SourceStatus};
    ///
    /// let s: Source = serde_json::from_str(r#"{
    ///     "state": "active", "name": "Springfield School District Canvas", "sync_interval": 86400,
    ///     "provider": {"id": "00000000-0000-0000-0000-000000000000", "name": "Canvas", "active": true}
    /// }"#)?;
    /// assert_eq!(s.state, Some(SourceStatus::Active));
    /// assert_eq!(s.sync_interval, Some(86400));
    /// assert_eq!(s.provider.as_ref().and_then(|p| p.active), Some(true));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct Source("a source object") {
        optional {
            /// `id`.
            id: Uuid = "id",
            /// `state` (v1 calls it `status`; the same values).
            state: SourceStatus = "state",
            /// `created_date`.
            created_date: Timestamp = "created_date",
            /// `updated_date`.
            updated_date: Timestamp = "updated_date",
            /// `name`, e.g. `Springfield School District Canvas`.
            name: String = "name",
            /// `sync_interval`: seconds between syncs, e.g. `86400` (in the
            /// sample, not in the model).
            sync_interval: u64 = "sync_interval",
            /// `provider_id`.
            provider_id: Uuid = "provider_id",
            /// `team_id`: the district's team.
            team_id: Uuid = "team_id",
            /// `configuration`: the connection's settings, kept as JSON.
            configuration: RawJson = "configuration",
            /// `properties`: non-standard data, as exact JSON text.
            properties: RawJson = "properties",
            /// `provider`: the source's provider (in the sample, not in the
            /// model).
            provider: Provider = "provider",
        }
    }
}

impl Record for Source {
    fn record_id(&self) -> Option<Uuid> {
        self.id
    }
}
