//! The string enums of integrations, sources and teams.
//!
//! Every value documented anywhere has a variant; anything else is kept in
//! `Unknown` and written back unchanged (Edlink's enums grow).

use crate::string_enum::string_enum;

string_enum! {
    /// `status` of an integration (v1 meta API). The value sets differ between
    /// the v1 model, the live overview and the 2020 changelog; this is their union.
    ///
    /// ```
    /// use edlink_model::IntegrationStatus;
    ///
    /// assert_eq!(IntegrationStatus::from("active"), IntegrationStatus::Active);
    /// assert_eq!(IntegrationStatus::from("archived").as_str(), "archived");
    /// ```
    pub enum IntegrationStatus {
        /// `inactive`: accepted, data being prepared, or scheduled to start later.
        Inactive = "inactive",
        /// `active`: the Graph API works.
        Active = "active",
        /// `requested`: the district asked; waiting for the developer.
        Requested = "requested",
        /// `disabled`: no sign-in, no API.
        Disabled = "disabled",
        /// `error`.
        Error = "error",
        /// `paused`: syncing paused; API calls still work.
        Paused = "paused",
        /// `scheduled`: ready, the start date is in the future.
        Scheduled = "scheduled",
        /// `pending`.
        Pending = "pending",
    }
}

string_enum! {
    /// `state` of an integration (v2 name of the status, `/api/v2/my/integration`).
    ///
    /// ```
    /// use edlink_model::IntegrationState;
    ///
    /// assert_eq!(IntegrationState::from("paused"), IntegrationState::Paused);
    /// ```
    pub enum IntegrationState {
        /// `requested`: the district asked; waiting for the developer.
        Requested = "requested",
        /// `inactive`: accepted, data being prepared.
        Inactive = "inactive",
        /// `scheduled`: ready, the start date is in the future.
        Scheduled = "scheduled",
        /// `active`: the Graph API works.
        Active = "active",
        /// `disabled`: no sign-in, no API.
        Disabled = "disabled",
        /// `paused`: syncing paused; API calls still work.
        Paused = "paused",
        /// `error` (documented as unused).
        Error = "error",
        /// `pending` (documented as unused).
        Pending = "pending",
    }
}

string_enum! {
    /// Which data an integration shares: v1 `scope`, and the v2
    /// `district_sharing` / `developer_sharing` strategies.
    ///
    /// ```
    /// use edlink_model::IntegrationScope;
    ///
    /// assert_eq!(IntegrationScope::from("rules"), IntegrationScope::Rules);
    /// ```
    pub enum IntegrationScope {
        /// `all`: everything in the source.
        All = "all",
        /// `selected`: only the `targets` (v1).
        Selected = "selected",
        /// `rules`: what sharing rules allow (v2).
        Rules = "rules",
        /// `limited` (v2, undocumented meaning).
        Limited = "limited",
    }
}

string_enum! {
    /// `status` of an integration's source.
    ///
    /// ```
    /// use edlink_model::SourceStatus;
    ///
    /// assert_eq!(SourceStatus::from("destroyed"), SourceStatus::Destroyed);
    /// ```
    pub enum SourceStatus {
        /// `inactive`: its configuration is being validated.
        Inactive = "inactive",
        /// `active`.
        Active = "active",
        /// `error`.
        Error = "error",
        /// `disabled`.
        Disabled = "disabled",
        /// `destroyed`: waiting for cleanup.
        Destroyed = "destroyed",
    }
}

string_enum! {
    /// `type` of a team.
    ///
    /// ```
    /// use edlink_model::TeamType;
    ///
    /// assert_eq!(TeamType::from("district"), TeamType::District);
    /// ```
    pub enum TeamType {
        /// `district`: a school district (the data owner).
        District = "district",
        /// `developer`: an application developer.
        Developer = "developer",
    }
}
