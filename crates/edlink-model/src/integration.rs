//! [`Integration`]: the connection between an application and a school's data
//! source (`GET /api/v1/integrations`).

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{
    AccessToken, Auth, IntegrationProvider, IntegrationScope, IntegrationSource, IntegrationState,
    IntegrationStatus, RawJson, Record, Resource, Team, Timestamp,
};

lossless_struct! {
    /// An integration: one school district's data source shared with your
    /// application, listed by `GET /api/v1/integrations` (application secret
    /// key). It hands out the [`AccessToken`] of the Graph API.
    ///
    /// Its shape has drifted over the years, so this type is a union of every
    /// documented form: the 2020 v1 sample (`status`, `scope`, `targets`,
    /// `source`, `provider`, `team`, `entity`), the newer live sample
    /// (`district_sharing`, `developer_sharing`, `district_licensing_enabled`)
    /// and the v2 model (`state`, `start_date`, `application_id`, …). Every
    /// field but `id` may be missing or `null` (kept apart: see
    /// [`Integration::is_null`]); keys nobody documented are kept in `extra`,
    /// and serializing writes back the JSON that came in.
    ///
    /// `Debug` never shows the access token (nor secret-named `extra` keys).
    ///
    /// ```
    /// use edlink_model::{decode_response, Integration, IntegrationStatus};
    ///
    /// let body = br#"{"$data":[{
    ///     "id": "77a69705-41a7-49cb-0fe8-ffd425f9716f",
    ///     "status": "active",
    ///     "created_date": "2020-02-14T19:26:00.188Z",
    ///     "access_token": "HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7",
    ///     "entity": null,
    ///     "brand_new_field": 1
    /// }]}"#;
    /// let integrations = decode_response::<Vec<Integration>>(200, Some("application/json"), body)?.data;
    /// let i = &integrations[0];
    /// assert_eq!(i.status, Some(IntegrationStatus::Active));
    /// assert_eq!(i.access_token.as_ref().map(|t| t.expose_secret()), Some("HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7"));
    /// assert!(i.is_null("entity") && i.entity.is_none());
    /// assert!(!format!("{i:?}").contains("HZ4M"));
    ///
    /// let json = serde_json::to_value(i).unwrap();
    /// assert_eq!(json["entity"], serde_json::Value::Null);
    /// assert_eq!(json["brand_new_field"], 1);
    /// assert!(json.get("scope").is_none());
    /// # Ok::<(), edlink_model::ResponseError>(())
    /// ```
    pub struct Integration("an integration object") {
        required {
            /// `id`: required. Any 8-4-4-4-12 hex UUID (Edlink's own sample id
            /// breaks the v4 variant bits).
            id: Uuid = "id",
        }
        optional {
            /// `status` (v1 meta API).
            status: IntegrationStatus = "status",
            /// `state`: the v2 name of the status.
            state: IntegrationState = "state",
            /// `scope`: v1 sharing scope (`all` or `selected`); replaced by
            /// `district_sharing`/`developer_sharing` in newer responses.
            scope: IntegrationScope = "scope",
            /// `district_sharing`: the district's sharing strategy.
            district_sharing: IntegrationScope = "district_sharing",
            /// `developer_sharing`: the developer's sharing strategy.
            developer_sharing: IntegrationScope = "developer_sharing",
            /// `district_licensing_enabled`: whether the district may set its
            /// own licensing rules.
            district_licensing_enabled: bool = "district_licensing_enabled",
            /// `created_date`.
            created_date: Timestamp = "created_date",
            /// `updated_date`.
            updated_date: Timestamp = "updated_date",
            /// `start_date`: when the integration starts (v2; often `null`).
            start_date: Timestamp = "start_date",
            /// `end_date`: when the integration ends (v2; often `null`).
            end_date: Timestamp = "end_date",
            /// `permissions`: ids of the granted [`crate::Permission`]s.
            permissions: Vec<Uuid> = "permissions",
            /// `targets`: ids of the shared objects when `scope` is `selected`.
            targets: Vec<Uuid> = "targets",
            /// `access_token`: the Graph API credential for this integration.
            access_token: AccessToken = "access_token",
            /// `source`: the district's data source.
            source: IntegrationSource = "source",
            /// `provider`: the source's provider (cut down).
            provider: IntegrationProvider = "provider",
            /// `team`: the district's team.
            team: Team = "team",
            /// `entity`: an undocumented object, usually `null`; kept as JSON.
            entity: RawJson = "entity",
            /// `application`: the undocumented "Application" object (internal;
            /// Clever/ClassLink connections only); kept as JSON.
            application: RawJson = "application",
            /// `application_id` (v2).
            application_id: Uuid = "application_id",
            /// `source_id` (v2).
            source_id: Uuid = "source_id",
            /// `destination_id` (v2; often `null`).
            destination_id: Uuid = "destination_id",
            /// `region_id` (v2): the data region.
            region_id: Uuid = "region_id",
            /// `locked` (v2).
            locked: bool = "locked",
            /// `configuration` (v2): the integration's settings, kept as JSON.
            configuration: RawJson = "configuration",
        }
    }
}

impl Record for Integration {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Integration {
    const PATH: &'static str = "/api/v1/integrations";
    const AUTH: Auth = Auth::ApplicationKey;
    const NAME: &'static str = "integration";
}
