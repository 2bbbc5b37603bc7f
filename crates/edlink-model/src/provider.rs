//! [`Provider`] (`GET /api/v1/providers`) and [`IntegrationProvider`], the
//! cut-down provider embedded in an integration.

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{Auth, RawJson, Record, Resource, Timestamp};

lossless_struct! {
    /// A data provider (an LMS or SIS such as Canvas), as listed by the public
    /// `GET /api/v1/providers` (only active providers are listed). Every field
    /// but `id` may be missing or `null`; unknown keys are kept in `extra`.
    ///
    /// ```
    /// use edlink_model::{decode_response, Provider};
    ///
    /// let body = br#"{"$data":[{"id":"035d6dd6-1569-47b2-8ed8-63435be58078","application":"canvas","configuration":{"url":{}}}]}"#;
    /// let providers = decode_response::<Vec<Provider>>(200, None, body)?.data;
    /// assert_eq!(providers[0].application.as_deref(), Some("canvas"));
    /// let configuration = providers[0].configuration.as_ref().map(|c| c.as_str());
    /// assert_eq!(configuration, Some(r#"{"url":{}}"#));
    /// # Ok::<(), edlink_model::ResponseError>(())
    /// ```
    pub struct Provider("a provider object") {
        required {
            /// `id`: required.
            id: Uuid = "id",
        }
        optional {
            /// `created_date`.
            created_date: Timestamp = "created_date",
            /// `updated_date`.
            updated_date: Timestamp = "updated_date",
            /// `application`: Edlink's internal slug, e.g. `canvas`.
            application: String = "application",
            /// `name`, e.g. `Canvas`.
            name: String = "name",
            /// `icon_url`.
            icon_url: String = "icon_url",
            /// `configuration`: a JSON schema of the fields needed to connect
            /// (an object, kept as JSON).
            configuration: RawJson = "configuration",
            /// `requires_administrator_login`.
            requires_administrator_login: bool = "requires_administrator_login",
            /// `requires_administrator_consent`.
            requires_administrator_consent: bool = "requires_administrator_consent",
            /// `allows_data_sync`.
            allows_data_sync: bool = "allows_data_sync",
            /// `requires_remote_configuration`.
            requires_remote_configuration: bool = "requires_remote_configuration",
            /// `active` (sent on providers embedded in v2 sources).
            active: bool = "active",
        }
    }
}

impl Record for Provider {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Provider {
    const PATH: &'static str = "/api/v1/providers";
    const AUTH: Auth = Auth::None;
    const NAME: &'static str = "provider";
}

lossless_struct! {
    /// The provider embedded in an integration's `provider`: a cut-down
    /// [`Provider`]. Every field may be missing or `null`; the fields of the
    /// full form, when sent, are kept in `extra`.
    ///
    /// ```
    /// use edlink_model::IntegrationProvider;
    ///
    /// let p: IntegrationProvider = serde_json::from_str(r#"{"name":"Canvas","allows_data_sync":true,"icon_url":"x"}"#)?;
    /// assert_eq!(p.allows_data_sync, Some(true));
    /// assert_eq!(p.extra.get("icon_url").map(|v| v.as_str()), Some(r#""x""#));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub struct IntegrationProvider("an integration provider object") {
        optional {
            /// `id`.
            id: Uuid = "id",
            /// `name`, e.g. `Canvas`.
            name: String = "name",
            /// `application`: Edlink's internal slug, e.g. `canvas`.
            application: String = "application",
            /// `allows_data_sync`.
            allows_data_sync: bool = "allows_data_sync",
        }
    }
}
