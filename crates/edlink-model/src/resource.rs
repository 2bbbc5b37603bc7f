//! What the generic machinery needs to know about a kind of Edlink object.

use serde::de::DeserializeOwned;
use uuid::Uuid;

/// Which credential an endpoint wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Auth {
    /// No credential: public endpoints (providers, permissions).
    None,
    /// The application secret key (the v1 meta endpoints).
    ApplicationKey,
    /// An integration access token (the Graph API).
    AccessToken,
    /// A signed-in person's access token (the User API, `/api/v2/my/…`).
    UserToken,
}

/// An object with an Edlink id, so a listing can continue after it.
///
/// ```
/// use edlink_model::Record;
///
/// let v = serde_json::json!({"id": "77a69705-41a7-49cb-0fe8-ffd425f9716f"});
/// assert!(v.record_id().is_some());
/// assert!(serde_json::json!({"id": 5}).record_id().is_none());
/// ```
pub trait Record {
    /// The object's id, when it has a valid one.
    fn record_id(&self) -> Option<Uuid>;
}

impl Record for serde_json::Value {
    fn record_id(&self) -> Option<Uuid> {
        self.get("id")
            .and_then(serde_json::Value::as_str)
            .and_then(|s| crate::parse_id("id", s).ok())
    }
}

/// A kind of object served by a collection endpoint (`GET <PATH>`) and a fetch
/// endpoint (`GET <PATH>/<id>`). Adding an endpoint to the SDK is implementing
/// this trait: the client's listing, streaming, paging and retries come with it.
///
/// ```
/// use edlink_model::{Auth, Integration, Resource};
///
/// assert_eq!(Integration::PATH, "/api/v1/integrations");
/// assert_eq!(Integration::AUTH, Auth::ApplicationKey);
/// ```
pub trait Resource: DeserializeOwned + Record + Send + 'static {
    /// The collection's path from the API root, e.g. `/api/v1/integrations`.
    const PATH: &'static str;
    /// The credential the endpoint wants.
    const AUTH: Auth;
    /// A name for messages and logs, e.g. `integration`.
    const NAME: &'static str;
}
