//! [`Permission`]: one permission an application can request
//! (`GET /api/v1/permissions`).

use uuid::Uuid;

use crate::lossless::lossless_struct;
use crate::{Auth, Record, Resource, Timestamp};

lossless_struct! {
    /// A permission, as listed by the public `GET /api/v1/permissions`. Its id
    /// is stable and safe to cache; an integration's `permissions` lists these
    /// ids. Every field but `id` may be missing or `null`; unknown keys are
    /// kept in `extra`.
    ///
    /// ```
    /// use edlink_model::{decode_response, Permission};
    ///
    /// let body = br#"{"$data":{"id":"8a5c2e39-aa7a-4229-99b3-6a4d46de9c0b","scoped":true,"name":"Single Sign On"}}"#;
    /// let p = decode_response::<Permission>(200, None, body)?.data;
    /// assert_eq!(p.scoped, Some(true));
    /// assert_eq!(p.name.as_deref(), Some("Single Sign On"));
    /// # Ok::<(), edlink_model::ResponseError>(())
    /// ```
    pub struct Permission("a permission object") {
        required {
            /// `id`: required.
            id: Uuid = "id",
        }
        optional {
            /// `created_date`.
            created_date: Timestamp = "created_date",
            /// `updated_date`.
            updated_date: Timestamp = "updated_date",
            /// `scoped`: `true` for a user-level (User API) permission, `false`
            /// for an application-level (Graph API) one.
            scoped: bool = "scoped",
            /// `group`, e.g. `authentication`.
            group: String = "group",
            /// `name`, e.g. `Single Sign On`.
            name: String = "name",
            /// `description`: what the permission allows.
            description: String = "description",
            /// `active`: documented as always `true`.
            active: bool = "active",
        }
    }
}

impl Record for Permission {
    fn record_id(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Resource for Permission {
    const PATH: &'static str = "/api/v1/permissions";
    const AUTH: Auth = Auth::None;
    const NAME: &'static str = "permission";
}
