//! [`Resources`]: the endpoints of one kind of object, for any [`Resource`].

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use edlink_model::{Resource, Response};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::execute::{self, Endpoint};
use crate::{Client, Error, ListRequest};

/// The endpoints of one kind of object: `GET <PATH>/<id>` and `GET <PATH>`.
/// The futures and streams it returns own a client clone: they are
/// `Send + 'static` and can be spawned.
/// Get one from [`Client::integrations`], [`Client::providers`],
/// [`Client::permissions`] or, for any [`Resource`], [`Client::resource`].
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
    _resource: PhantomData<fn() -> R>,
}

impl<R> Clone for Resources<R> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            _resource: PhantomData,
        }
    }
}

impl<R: Resource> fmt::Debug for Resources<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resources")
            .field("path", &R::PATH)
            .finish_non_exhaustive()
    }
}

impl<R: Resource> Resources<R> {
    pub(crate) fn new(client: Client) -> Self {
        Self {
            client,
            _resource: PhantomData,
        }
    }

    fn endpoint() -> Endpoint {
        Endpoint {
            path: R::PATH,
            auth: R::AUTH,
            name: R::NAME,
        }
    }

    /// The future owns a client clone, so it is `'static` (can be spawned).
    fn fetch<T: DeserializeOwned + Send + 'static>(
        &self,
        id: Uuid,
    ) -> impl Future<Output = Result<Response<T>, Error>> + Send + 'static {
        let client = self.client.clone();
        async move {
            // A `Uuid` formats as 8-4-4-4-12 hex digits only: nothing else can
            // reach the path.
            let path = format!("{}/{}", R::PATH, id.hyphenated());
            let inner = &client.inner;
            let url = inner.origin.check(&inner.origin.join(&path))?;
            execute::get::<T>(inner, Self::endpoint(), &url).await
        }
    }

    /// Fetches the object with this id.
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
    /// let integration = client.integrations().get(id).await?;
    /// println!("{:?}", integration.status);
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, id: Uuid) -> impl Future<Output = Result<R, Error>> + Send + 'static {
        let response = self.fetch::<R>(id);
        async move { Ok(response.await?.data) }
    }

    /// Fetches the object with this id, with the response's `$request` id
    /// and `$warnings`.
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
    /// let response = client.providers().get_with_meta(id).await?;
    /// println!("request {:?}, {} warnings", response.request_id, response.warnings.len());
    /// let provider = response.data;
    /// # let _ = provider;
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_with_meta(
        &self,
        id: Uuid,
    ) -> impl Future<Output = Result<Response<R>, Error>> + Send + 'static {
        self.fetch::<R>(id)
    }

    /// Fetches the object with this id as any JSON value, unknown fields and
    /// all (for tools that print what Edlink sent).
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
        self.fetch::<serde_json::Value>(id)
    }

    /// Fetches the object with this id as [`RawJson`](crate::RawJson): the
    /// exact bytes Edlink sent for `$data`.
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
        self.fetch::<crate::RawJson>(id)
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
        ListRequest::new(self.client.clone(), Self::endpoint())
    }
}
