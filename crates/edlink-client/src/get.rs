//! [`GetRequest`]: one object by id, with `$expand`/`$fields`, awaited
//! directly.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use edlink_model::{RawJson, Response};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::endpoint::Endpoint;
use crate::execute;
use crate::query::QueryOptions;
use crate::{Client, Error};

/// A fetch of one object, `GET <path>/<id>` (or `GET <path>` for the User
/// API's single objects, such as `/api/v2/my/profile`). Await it for the object, or
/// first set options ([`expand`](Self::expand), [`fields`](Self::fields)) or
/// pick another form of the answer ([`with_meta`](Self::with_meta),
/// [`raw`](Self::raw), [`raw_exact`](Self::raw_exact)). The future owns a
/// client clone: it is `Send + 'static`.
///
/// ```
/// use edlink_client::{Client, TestTransport};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), edlink_client::Error> {
/// let t = TestTransport::new();
/// t.push_json(200, r#"{"$data":{"id":"00000000-0000-0000-0000-000000000001","first_name":"Sofia"},"$request":"r-1"}"#);
/// let graph = Client::builder().transport(t.clone()).build()?.graph("integration-token");
/// let id = uuid::Uuid::from_u128(1);
/// let person = graph.people().get(id).expand(["schools"]).await?;
/// assert_eq!(person.first_name.as_deref(), Some("Sofia"));
/// assert_eq!(
///     t.last_request().unwrap().uri,
///     "https://ed.link/api/v2/graph/people/00000000-0000-0000-0000-000000000001?$expand=schools"
/// );
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct GetRequest<T> {
    client: Client,
    endpoint: Endpoint,
    /// `None`: the path names the object itself (`/api/v2/my/profile`).
    id: Option<Uuid>,
    pub(crate) options: QueryOptions,
    _item: PhantomData<fn() -> T>,
}

impl<T> Clone for GetRequest<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            endpoint: self.endpoint.clone(),
            id: self.id,
            options: self.options.clone(),
            _item: PhantomData,
        }
    }
}

impl<T> fmt::Debug for GetRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetRequest")
            .field("path", &self.endpoint.path)
            .field("id", &self.id)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> GetRequest<T> {
    pub(crate) fn new(client: Client, endpoint: Endpoint, id: Uuid) -> Self {
        Self {
            client,
            endpoint,
            id: Some(id),
            options: QueryOptions::default(),
            _item: PhantomData,
        }
    }

    /// The object at the endpoint's path itself (`GET /api/v2/my/profile`).
    pub(crate) fn single(client: Client, endpoint: Endpoint) -> Self {
        Self {
            client,
            endpoint,
            id: None,
            options: QueryOptions::default(),
            _item: PhantomData,
        }
    }

    /// The same fetch, decoding `$data` as `U`.
    fn decoded_as<U>(self) -> GetRequest<U> {
        GetRequest {
            client: self.client,
            endpoint: self.endpoint,
            id: self.id,
            options: self.options,
            _item: PhantomData,
        }
    }

    /// The object with the response's `$request` id and `$warnings`.
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
    /// let response = client.providers().get(id).with_meta().await?;
    /// println!("request {:?}, {} warnings", response.request_id, response.warnings.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_meta(self) -> impl Future<Output = Result<Response<T>, Error>> + Send + 'static {
        let client = self.client;
        let endpoint = self.endpoint;
        let path = match self.id {
            Some(id) => format!("{}/{}", endpoint.path, id.hyphenated()),
            None => endpoint.path.to_string(),
        };
        let pairs = self.options.pairs();
        let query = edlink_model::encode_query(pairs.iter().map(|(n, v)| (*n, v.as_str())));
        async move {
            let inner = &client.inner;
            // A `Uuid` formats as 8-4-4-4-12 hex digits only: nothing else can
            // reach the path.
            let mut url = inner.origin.join(&path);
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query);
            }
            let url = inner.origin.check(&url)?;
            execute::get::<T>(inner, &endpoint, &url).await
        }
    }

    /// The object as any JSON value, unknown fields and all.
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
    /// let raw = client.permissions().get(id).raw().await?;
    /// println!("{raw}");
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw(self) -> GetRequest<serde_json::Value> {
        self.decoded_as()
    }

    /// The object as [`RawJson`]: the exact bytes Edlink sent for `$data`.
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
    /// let raw = client.integrations().get(id).raw_exact().await?;
    /// println!("{}", raw.as_str());
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw_exact(self) -> GetRequest<RawJson> {
        self.decoded_as()
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for GetRequest<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let response = self.with_meta();
        Box::pin(async move { Ok(response.await?.data) })
    }
}
