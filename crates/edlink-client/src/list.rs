//! [`ListRequest`]: a listing's parameters, and the ways to run it.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use edlink_model::{ApiWarning, ListParams, Page, Record};
use futures_util::TryStreamExt;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::endpoint::Endpoint;
use crate::query::QueryOptions;
use crate::stream::{Lister, OnPage};
use crate::{Client, Error, ItemStream, PageStream, RawJson};

/// What a listing has done so far, given to the [`ListRequest::on_page`]
/// callback after each page decoded (before its items are handed out).
///
/// ```
/// use edlink_client::PageProgress;
///
/// fn report(p: &PageProgress) {
///     eprintln!("page {}: {} items ({} so far){}", p.page, p.items, p.items_so_far,
///               if p.more { ", more to come" } else { "" });
/// }
/// # let _ = report;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PageProgress {
    /// The number of this page, from 1.
    pub page: u64,
    /// Items in this page.
    pub items: usize,
    /// Items in every page so far, this one included.
    pub items_so_far: u64,
    /// The page's `$request` id.
    pub request_id: Option<String>,
    /// The page's `$warnings` (also returned with the page, and logged).
    pub warnings: Vec<ApiWarning>,
    /// Whether another page will be requested.
    pub more: bool,
}

/// One listing of a collection, generic over the item type `T` (a
/// [`Resource`](edlink_model::Resource) type, [`serde_json::Value`] or
/// [`RawJson`]): set paging parameters, then run it with
/// [`page`](Self::page), [`pages`](Self::pages), [`items`](Self::items) or
/// [`collect_all`](Self::collect_all).
///
/// Every way runs the same paging loop: `$next` is followed as sent (after the
/// origin check), a full page without `$next` continues with `$after`, an
/// expired cursor resumes after the last item handed out, and a repeated URL
/// is an error. Parameters are checked before any request.
///
/// ```
/// use edlink_client::{Client, TestTransport};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), edlink_client::Error> {
/// let transport = TestTransport::new();
/// transport.push_json(200, r#"{"$data":[{"id":"00000000-0000-0000-0000-000000000001","name":"Canvas"}]}"#);
/// let client = Client::builder().transport(transport.clone()).build()?;
///
/// let providers = client.providers().list().first(100).collect_all().await?;
/// assert_eq!(providers.len(), 1);
/// assert_eq!(transport.last_request().unwrap().uri, "https://ed.link/api/v1/providers?$first=100");
/// # Ok(())
/// # }
/// ```
pub struct ListRequest<T> {
    client: Client,
    pub(crate) endpoint: Endpoint,
    params: ListParams,
    /// `$filter`, `$expand`, `$fields`.
    pub(crate) options: QueryOptions,
    /// A `$next` to continue from instead of the first page.
    start: Option<String>,
    on_page: Option<OnPage>,
    /// Pages the streams fetch ahead of the consumer.
    prefetch: usize,
    _items: PhantomData<fn() -> T>,
}

impl<T> Clone for ListRequest<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            endpoint: self.endpoint.clone(),
            params: self.params.clone(),
            options: self.options.clone(),
            start: self.start.clone(),
            on_page: self.on_page.clone(),
            prefetch: self.prefetch,
            _items: PhantomData,
        }
    }
}

impl<T> fmt::Debug for ListRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListRequest")
            .field("path", &self.endpoint.path)
            .field("params", &self.params)
            .field("options", &self.options)
            .field("start", &self.start)
            .field("on_page", &self.on_page.is_some())
            .field("prefetch", &self.prefetch)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Record + Send + 'static> ListRequest<T> {
    pub(crate) fn new(client: Client, endpoint: Endpoint) -> Self {
        Self {
            client,
            endpoint,
            params: ListParams::new(),
            options: QueryOptions::default(),
            start: None,
            on_page: None,
            prefetch: crate::DEFAULT_PREFETCH,
            _items: PhantomData,
        }
    }

    /// `$first`: page forward, `n` items per page (1 to 10,000; default 1,000).
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let request = client.providers().list().first(500);
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn first(mut self, n: u64) -> Self {
        self.params = self.params.first(n);
        self
    }

    /// `$last`: page backward (newest first), `n` items per page.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let request = client.providers().list().last(10);
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn last(mut self, n: u64) -> Self {
        self.params = self.params.last(n);
        self
    }

    /// `$after`: start after the object with this id.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let request = client.providers().list().after(uuid::Uuid::nil());
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn after(mut self, id: Uuid) -> Self {
        self.params = self.params.after(id);
        self
    }

    /// `$before`: start before the object with this id.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let request = client.providers().list().last(10).before(uuid::Uuid::nil());
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn before(mut self, id: Uuid) -> Self {
        self.params = self.params.before(id);
        self
    }

    /// Replaces every paging parameter at once.
    ///
    /// ```
    /// use edlink_model::ListParams;
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let request = client.providers().list().params(ListParams::new().first(20));
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn params(mut self, params: ListParams) -> Self {
        self.params = params;
        self
    }

    /// Continues a listing from a `$next` value that an earlier page of it
    /// handed out (a web app's "next page" link, kept between two requests of
    /// your own users). Give the same parameters as the original listing:
    /// they decide the page size and what a resume after an expired cursor
    /// asks for. The URL must be on the client's origin, like every `$next`
    /// (checked before anything is sent: [`Error::OffOrigin`]).
    ///
    /// Edlink's cursors expire after 2 hours. An expired one fails the listing
    /// with `INVALID_CURSOR`, unless you also give [`after`](Self::after) (or
    /// [`before`](Self::before)) = the last item you showed: then the listing
    /// resumes from there, losing and repeating nothing.
    ///
    /// ```
    /// use edlink_client::{Client, TestTransport};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), edlink_client::Error> {
    /// let transport = TestTransport::new();
    /// transport.push_json(200, r#"{"$data":[{"id":"00000000-0000-0000-0000-000000000002"}]}"#);
    /// let client = Client::builder().transport(transport.clone()).build()?;
    ///
    /// let next = "https://ed.link/api/v1/providers?$cursor=abc"; // from an earlier `Page::next`
    /// let page = client.providers().list().first(1).starting_at(next).page().await?;
    /// assert_eq!(page.items.len(), 1);
    /// assert_eq!(transport.last_request().unwrap().uri, next);
    /// # Ok(())
    /// # }
    /// ```
    pub fn starting_at(mut self, next: impl Into<String>) -> Self {
        self.start = Some(next.into());
        self
    }

    /// Calls `callback` after each page decoded, before its items are handed
    /// out: for progress bars and logs, whichever way the listing is run.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let request = client.providers().list().on_page(|p| eprintln!("{} items so far", p.items_so_far));
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn on_page(mut self, callback: impl Fn(&PageProgress) + Send + Sync + 'static) -> Self {
        self.on_page = Some(Arc::new(callback));
        self
    }

    /// How many pages [`pages`](Self::pages) and [`items`](Self::items) fetch
    /// ahead while you work on the current one (default
    /// [`DEFAULT_PREFETCH`](crate::DEFAULT_PREFETCH), 1; at most 1,024).
    ///
    /// With 1, the next page is requested as soon as you receive a page, so
    /// its round trip overlaps your work on this one: a consumer that writes
    /// each item to a database no longer waits for the network in between.
    /// The stream then holds at most `n + 1` pages (the pages in flight or
    /// waiting, and the one you hold). Requests still go one at a time (each
    /// `$next` comes in the page before); retries, the paging rules, the
    /// order of items and errors, and [`on_page`](Self::on_page) are the same
    /// (`on_page` is called when a page arrives, possibly before you reach
    /// it). Dropping the stream cancels the request in flight.
    ///
    /// `prefetch(0)` requests each page only when you ask for its first item
    /// (or the page): one page in memory, nothing sent ahead.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let lazy = client.integrations().list().prefetch(0).items();
    /// # let _ = lazy;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn prefetch(mut self, pages: usize) -> Self {
        self.prefetch = pages.min(crate::prefetch::MAX_DEPTH);
        self
    }

    /// The same listing with items of another type `U`: the same requests,
    /// the same paging.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let request = client.providers().list().first(5).items_as::<serde_json::Value>();
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn items_as<U: DeserializeOwned + Record + Send + 'static>(self) -> ListRequest<U> {
        ListRequest {
            client: self.client,
            endpoint: self.endpoint,
            params: self.params,
            options: self.options,
            start: self.start,
            on_page: self.on_page,
            prefetch: self.prefetch,
            _items: PhantomData,
        }
    }

    /// The same listing with each item as a [`serde_json::Value`], unknown
    /// fields and all (keys in `serde_json`'s map order).
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let request = client.integrations().list().raw();
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn raw(self) -> ListRequest<serde_json::Value> {
        self.items_as()
    }

    /// The same listing with each item as [`RawJson`]: the exact bytes Edlink
    /// sent for it, to print unchanged.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let request = client.integrations().list().raw_exact();
    /// # let _ = request;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn raw_exact(self) -> ListRequest<RawJson> {
        self.items_as()
    }

    fn lister(self) -> Lister<T> {
        Lister::new(
            self.client,
            self.endpoint,
            &self.options.apply(&self.params),
            self.start.as_deref(),
            self.on_page,
        )
    }

    /// Fetches the first page only: its items, `$next`, `$request` id and
    /// `$warnings`.
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client) -> Result<(), edlink_client::Error> {
    /// let page = client.integrations().list().first(10).page().await?;
    /// println!("{} items, more: {}", page.items.len(), page.next.is_some());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn page(self) -> Result<Page<T>, Error> {
        match self.lister().next_page().await {
            Some(page) => page,
            // A fresh listing always has a first page to ask for.
            None => Ok(Page::new(Vec::new())),
        }
    }

    /// The listing as a stream of pages (see [`PageStream`]).
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn run(client: edlink_client::Client) -> Result<(), edlink_client::Error> {
    /// let mut pages = client.integrations().list().pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     for warning in &page.warnings {
    ///         eprintln!("warning: {warning}");
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages(self) -> PageStream<T> {
        let prefetch = self.prefetch;
        PageStream::new(self.lister(), prefetch)
    }

    /// The listing as a stream of items, `prefetch + 1` pages buffered at
    /// most (see [`ItemStream`]).
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn run(client: edlink_client::Client) -> Result<(), edlink_client::Error> {
    /// let mut items = client.integrations().list().items();
    /// while let Some(integration) = items.try_next().await? {
    ///     println!("{}", integration.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn items(self) -> ItemStream<T> {
        let prefetch = self.prefetch;
        ItemStream::new(self.lister(), prefetch)
    }

    /// Another name for [`items`](Self::items).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client) {
    /// let stream = client.permissions().list().stream();
    /// # let _ = stream;
    /// # }
    /// ```
    pub fn stream(self) -> ItemStream<T> {
        self.items()
    }

    /// Every item of every page, in one `Vec` (memory grows with the total:
    /// prefer [`items`](Self::items) for large listings).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client) -> Result<(), edlink_client::Error> {
    /// let permissions = client.permissions().list().collect_all().await?;
    /// # let _ = permissions;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn collect_all(self) -> Result<Vec<T>, Error> {
        let mut pages = self.pages();
        let mut all = Vec::new();
        while let Some(page) = pages.try_next().await? {
            all.extend(page.items);
        }
        Ok(all)
    }
}
