//! [`IntegrationSource`]: the school data source embedded in an integration.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{SourceStatus, Timestamp};

lossless_struct! {
    /// The source (an LMS or SIS connection of a school district) embedded in
    /// an integration's `source`. Every field may be missing or `null`;
    /// unknown keys are kept in `extra`.
    ///
    /// `import_interval` and `log_retention_time` are whole seconds, decoded
    /// as `u64`: a fractional or negative number is refused.
    ///
    /// ```
    /// use edlink_model::{IntegrationSource, SourceStatus};
    ///
    /// let s: IntegrationSource = serde_json::from_str(
    ///     r#"{"id":"5d149266-95d2-42cf-8660-8b528b3bfba3","status":"active","import_interval":3600,"region":"eu"}"#,
    /// )?;
    /// assert_eq!(s.status, Some(SourceStatus::Active));
    /// assert_eq!(s.import_interval, Some(3600));
    /// assert_eq!(s.extra.value("region"), Some(serde_json::json!("eu")));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct IntegrationSource("an integration source object") {
        optional {
            /// `id`.
            id: Uuid = "id",
            /// `status` (the v2 Source calls it `state`).
            status: SourceStatus = "status",
            /// `name`, e.g. `Edlink University Canvas`.
            name: String = "name",
            /// `created_date`.
            created_date: Timestamp = "created_date",
            /// `updated_date`.
            updated_date: Timestamp = "updated_date",
            /// `import_interval`: seconds between syncs, e.g. `3600`.
            import_interval: u64 = "import_interval",
            /// `log_retention_time`: seconds logs are kept, e.g. `604800` (7 days).
            log_retention_time: u64 = "log_retention_time",
        }
    }
}
