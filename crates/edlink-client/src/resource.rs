//! [`Resources`]: the endpoints of one kind of object, for any [`Resource`].

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use edlink_model::{Resource, Response};
use uuid::Uuid;

use crate::endpoint::{Credential, Endpoint};
use crate::{Client, Error, GetRequest, ListRequest};

/// The endpoints of one kind of object: `GET <PATH>/<id>` and `GET <PATH>`,
/// with the credential of the handle it came from (the client's key, or a
/// [`Graph`](crate::Graph)'s access token). The futures and streams it
/// returns own a client clone: they are `Send + 'static` and can be spawned.
/// Get one from [`Client::integrations`], [`Client::providers`],
/// [`Client::permissions`], the [`Graph`](crate::Graph) methods or, for any
/// [`Resource`], [`Client::resource`].
///
/// ```
/// use edlink_client::{Client, TestTransport};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), edlink_client::Error> {
/// let transport = TestTransport::new();
/// transport.push_json(200, r#"{"$data":{"id":"77a69705-41a7-49cb-0fe8-ffd425f9716f","status":"active"},"$request":"r-9"}"#);
/// let client = Client::builder().application_key("key").transport(transport.clone()).build()?;
///
/// let id = uuid::Uuid::parse_str("77a69705-41a7-49cb-0fe8-ffd425f9716f").unwrap();
/// let integration = client.integrations().get(id).await?;
/// assert_eq!(integration.id, id);
/// assert_eq!(transport.last_request().unwrap().path(), "/api/v1/integrations/77a69705-41a7-49cb-0fe8-ffd425f9716f");
/// # Ok(())
/// # }
/// ```
pub struct Resources<R> {
    client: Client,
    endpoint: Endpoint,
    _resource: PhantomData<fn() -> R>,
}

impl<R> Clone for Resources<R> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            endpoint: self.endpoint.clone(),
            _resource: PhantomData,
        }
    }
}

impl<R> fmt::Debug for Resources<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resources")
            .field("path", &self.endpoint.path)
            .field("credential", &self.endpoint.credential)
            .finish_non_exhaustive()
    }
}

impl<R: Resource> Resources<R> {
    /// The collection of `R` with the client's own credential (the key).
    pub(crate) fn new(client: Client) -> Self {
        Self::with(client, Endpoint::of::<R>(Credential::Client))
    }

    pub(crate) fn with(client: Client, endpoint: Endpoint) -> Self {
        Self {
            client,
            endpoint,
            _resource: PhantomData,
        }
    }

    /// A nested collection of `N` under the object `id` of this one
    /// (`/schools/<id>/classes`), with the same credential.
    pub(crate) fn nested<N: Resource>(&self, id: Uuid, segment: &str) -> ListRequest<N> {
        ListRequest::new(self.client.clone(), self.endpoint.nested::<N>(id, segment))
    }

    /// Fetches the object with this id: await it, or set
    /// [`expand`](GetRequest::expand)/[`fields`](GetRequest::fields) first.
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
    /// let integration = client.integrations().get(id).await?;
    /// println!("{:?}", integration.status);
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, id: Uuid) -> GetRequest<R> {
        GetRequest::new(self.client.clone(), self.endpoint.clone(), id)
    }

    /// Fetches the object with this id, with the response's `$request` id
    /// and `$warnings` (`get(id).with_meta()`).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
    /// let response = client.providers().get_with_meta(id).await?;
    /// println!("request {:?}, {} warnings", response.request_id, response.warnings.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_with_meta(
        &self,
        id: Uuid,
    ) -> impl Future<Output = Result<Response<R>, Error>> + Send + 'static {
        self.get(id).with_meta()
    }

    /// Fetches the object with this id as any JSON value, unknown fields and
    /// all (`get(id).raw().with_meta()`).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
    /// let raw = client.permissions().get_raw(id).await?;
    /// println!("{}", raw.data);
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_raw(
        &self,
        id: Uuid,
    ) -> impl Future<Output = Result<Response<serde_json::Value>, Error>> + Send + 'static {
        self.get(id).raw().with_meta()
    }

    /// Fetches the object with this id as [`RawJson`](crate::RawJson): the
    /// exact bytes Edlink sent for `$data` (`get(id).raw_exact().with_meta()`).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
    /// let raw = client.integrations().get_raw_exact(id).await?;
    /// println!("{}", raw.data.as_str());
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_raw_exact(
        &self,
        id: Uuid,
    ) -> impl Future<Output = Result<Response<crate::RawJson>, Error>> + Send + 'static {
        self.get(id).raw_exact().with_meta()
    }

    /// A listing of the collection, to configure and run (see [`ListRequest`]).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client) -> Result<(), edlink_client::Error> {
    /// let providers = client.providers().list().first(100).collect_all().await?;
    /// # let _ = providers;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListRequest<R> {
        ListRequest::new(self.client.clone(), self.endpoint.clone())
    }
}
