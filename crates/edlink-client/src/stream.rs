//! The one paging loop ([`Lister`]) and the streams built on it.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use edlink_model::{Direction, ListParams, Page, PageOutcome, Paginator, Record};
use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::endpoint::Endpoint;
use crate::execute;
use crate::flight::{Budget, Event, Flight, Permit};
use crate::prefetch::Ahead;
use crate::{Client, Error, PageProgress};

/// A callback told about each page of a listing.
pub(crate) type OnPage = Arc<dyn Fn(&PageProgress) + Send + Sync>;

enum State {
    /// Ask this URL next; `cursor` when it is a server `$next`.
    Next {
        url: String,
        cursor: bool,
    },
    /// The last page came, but going on would break a rule: report it next.
    Failed(Error),
    Done,
}

/// Drives one listing: each request goes through the origin check and the one
/// request path; `edlink_model::Paginator` decides every next URL. A page is
/// handed out only after it decoded whole, so a retried page never repeats
/// items.
///
/// With a [`Budget`] (a listing that fetches ahead, in its own task), each
/// request runs as a [`Flight`], and the next page's request leaves as soon as
/// this page's body shows its `$next`, while the page decodes (see `flight`).
pub(crate) struct Lister<T> {
    client: Client,
    endpoint: Endpoint,
    paginator: Option<Paginator>,
    state: State,
    on_page: Option<OnPage>,
    items_so_far: u64,
    budget: Option<Budget>,
    /// The next page's request, sent before this page decoded.
    early: Option<Flight<T>>,
}

impl<T: DeserializeOwned + Record + Send + 'static> Lister<T> {
    pub(crate) fn new(
        client: Client,
        endpoint: Endpoint,
        params: &ListParams,
        start: Option<&str>,
        on_page: Option<OnPage>,
    ) -> Self {
        let origin = &client.inner.origin;
        let paginator = params
            .validate()
            .and_then(|valid| endpoint.paging.check(&valid).map(|()| valid))
            .map_err(Error::from)
            .and_then(|valid| match valid.direction() {
                // Events applied in reverse corrupt a mirror.
                Direction::Backward(_) if endpoint.events_feed => Err(Error::invalid(
                    "the events feed is read forward only ($first and $after, then $next)",
                )),
                _ => Ok(valid),
            })
            .and_then(|valid| match start {
                None => Ok(Paginator::new(origin, &endpoint.path, valid)),
                Some(next) => {
                    Paginator::starting_at(origin, &endpoint.path, valid, next).map_err(Error::from)
                }
            })
            .map(|paginator| paginator.with_rules(endpoint.paging));
        let (paginator, state) = match paginator {
            Ok(paginator) => {
                let url = paginator.first_url().to_owned();
                // A `$next` given to continue from is a cursor like any other,
                // but an expired one can be resumed only from a known place:
                // the caller's `after`/`before` (the last item they showed).
                // Without one, restarting would repeat items: fail instead.
                let cursor = start.is_some() && (params.after.is_some() || params.before.is_some());
                (Some(paginator), State::Next { url, cursor })
            }
            Err(err) => (None, State::Failed(err)),
        };
        Self {
            client,
            endpoint,
            paginator,
            state,
            on_page,
            items_so_far: 0,
            budget: None,
            early: None,
        }
    }

    /// The same listing, each page taking a permit of `budget` before its
    /// request leaves (and sending the next page's request early when one is
    /// free). It must run inside a tokio runtime.
    pub(crate) fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// The next page, `None` when the listing is complete. After an error
    /// the listing is over.
    pub(crate) async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        self.next_page_held().await.map(|(page, _permit)| page)
    }

    /// [`next_page`](Self::next_page), with the budget's permit the page
    /// holds when the listing has a budget.
    pub(crate) async fn next_page_held(
        &mut self,
    ) -> Option<(Result<Page<T>, Error>, Option<Permit>)> {
        let (mut url, mut cursor) = match std::mem::replace(&mut self.state, State::Done) {
            State::Next { url, cursor } => (url, cursor),
            State::Failed(err) => {
                self.early = None;
                return Some((Err(err), None));
            }
            State::Done => {
                self.early = None;
                return None;
            }
        };
        let paginator = self.paginator.as_mut()?;
        let mut permit = None;
        loop {
            let target = match self.client.inner.origin.check(&url) {
                Ok(target) => target,
                Err(err) => return Some((Err(err.into()), permit)),
            };
            let result = match &self.budget {
                None => execute::get::<Vec<T>>(&self.client.inner, &self.endpoint, &target).await,
                Some(budget) => {
                    // An early request for another URL is dropped here, which cancels it
                    // and frees its permit before this one waits for one.
                    let early = self.early.take().filter(|early| early.url() == url);
                    let mut flight = match early {
                        Some(early) => early,
                        None => {
                            let permit = match permit.take() {
                                Some(permit) => permit,
                                None => budget.take().await,
                            };
                            let (client, endpoint) = (&self.client, &self.endpoint);
                            Flight::launch(client, endpoint, budget, url.clone(), target, permit)
                        }
                    };
                    let outcome = loop {
                        match flight.event().await {
                            Event::Next(next) => {
                                self.early = launch_early(
                                    &self.client,
                                    &self.endpoint,
                                    budget,
                                    paginator,
                                    &next,
                                );
                            }
                            Event::Landed(outcome) => break outcome,
                        }
                    };
                    permit = flight.take_permit();
                    outcome
                }
            };
            let response = match result {
                Ok(response) => response,
                Err(err) if cursor && err.is_invalid_cursor() => match paginator.resume() {
                    Ok(resumed) => {
                        tracing::info!(
                            resource = self.endpoint.name,
                            request_id = err.request_id().unwrap_or(""),
                            "the paging cursor expired; resuming after the last item handed out"
                        );
                        url = resumed;
                        cursor = false;
                        continue;
                    }
                    Err(paging) => return Some((Err(paging.into()), permit)),
                },
                // An events feed's first page names the checkpoint in `$after`:
                // refused, it has aged out of Edlink's 30-day retention.
                Err(err) if paginator.pages() == 0 && self.endpoint.events_feed => {
                    let err = Error::events_aged_out(err, paginator.params().after());
                    return Some((Err(err), permit));
                }
                Err(err) => return Some((Err(err), permit)),
            };
            let page = Page::from(response);
            let outcome = PageOutcome {
                items: page.items.len(),
                last_id: page.items.last().and_then(Record::record_id),
                next: page.next.as_deref(),
            };
            let is_cursor = page.next.as_deref().is_some_and(|n| !n.trim().is_empty());
            self.state = match paginator.advance(outcome) {
                Ok(Some(url)) => State::Next {
                    url,
                    cursor: is_cursor,
                },
                Ok(None) => State::Done,
                Err(err) => State::Failed(err.into()),
            };
            self.items_so_far += page.items.len() as u64;
            if let Some(on_page) = &self.on_page {
                on_page(&PageProgress {
                    page: paginator.pages(),
                    items: page.items.len(),
                    items_so_far: self.items_so_far,
                    request_id: page.request_id.clone(),
                    warnings: page.warnings.clone(),
                    more: matches!(self.state, State::Next { .. }),
                });
            }
            return Some((Ok(page), permit));
        }
    }
}

/// The request for the page after the one whose body showed `next`, sent now
/// if the paginator would follow `next` (on the origin, not a loop) and the
/// budget has a page to spare.
fn launch_early<T: DeserializeOwned + Send + 'static>(
    client: &Client,
    endpoint: &Endpoint,
    budget: &Budget,
    paginator: &Paginator,
    next: &str,
) -> Option<Flight<T>> {
    let url = paginator.next_url_for(next).ok()??;
    let target = client.inner.origin.check(&url).ok()?;
    let permit = budget.try_take()?;
    Some(Flight::launch(
        client, endpoint, budget, url, target, permit,
    ))
}

type BoxStream<I> = Pin<Box<dyn Stream<Item = I> + Send>>;

/// Where a stream's pages come from: the listing run in place, each page requested when the
/// consumer asks for it (`prefetch(0)`), or a task fetching ahead.
enum Pages<T> {
    Lazy(Lister<T>),
    Ahead(Ahead<T>),
}

impl<T: DeserializeOwned + Record + Send + 'static> Pages<T> {
    fn new(lister: Lister<T>, prefetch: usize) -> Self {
        match prefetch {
            0 => Self::Lazy(lister),
            depth => Self::Ahead(Ahead::new(lister, depth)),
        }
    }

    async fn next_page(&mut self) -> Option<Result<Page<T>, Error>> {
        match self {
            Self::Lazy(lister) => lister.next_page().await,
            Self::Ahead(ahead) => ahead.next_page().await,
        }
    }
}

/// The pages of a listing, one request each.
///
/// By default the next page is fetched while the consumer works on the
/// current one ([`ListRequest::prefetch`](crate::ListRequest::prefetch), one
/// page ahead; `prefetch(0)`: each page is requested when it is polled for).
/// It owns a clone of the [`Client`], so it is `'static + Send` and can be
/// moved into a task. It ends after the last page, or after the first error.
/// Each [`Page`] carries its `$request` id and `$warnings`. Dropping it
/// cancels the request in flight.
///
/// ```
/// use edlink_client::{Client, TestTransport};
/// use futures_util::TryStreamExt;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), edlink_client::Error> {
/// let transport = TestTransport::new();
/// transport.push_json(200, r#"{"$data":[{"id":"00000000-0000-0000-0000-000000000001"}],"$request":"r-1"}"#);
/// let client = Client::builder().transport(transport).build()?;
///
/// let mut pages = client.providers().list().first(10).pages();
/// while let Some(page) = pages.try_next().await? {
///     println!("{} items (request {:?})", page.items.len(), page.request_id);
/// }
/// # Ok(())
/// # }
/// ```
pub struct PageStream<T> {
    inner: BoxStream<Result<Page<T>, Error>>,
}

impl<T: DeserializeOwned + Record + Send + 'static> PageStream<T> {
    pub(crate) fn new(lister: Lister<T>, prefetch: usize) -> Self {
        let pages = Pages::new(lister, prefetch);
        let stream = futures_util::stream::unfold(pages, |mut pages| async move {
            let page = pages.next_page().await?;
            Some((page, pages))
        });
        Self {
            inner: Box::pin(stream),
        }
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

/// The items of a listing, one at a time.
///
/// It holds at most `prefetch + 1` pages (see
/// [`ListRequest::prefetch`](crate::ListRequest::prefetch); by default two:
/// the one being handed out and the next, fetched meanwhile), so memory stays
/// flat whatever the total. With `prefetch(0)` it holds one: the next page is
/// requested only when the consumer has taken every item of the current one.
/// Like [`PageStream`] it is `'static + Send`, ends after the first error
/// (handed out after the items before it) and cancels the request in flight
/// when dropped.
///
/// ```
/// use edlink_client::{Client, TestTransport};
/// use futures_util::TryStreamExt;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), edlink_client::Error> {
/// let transport = TestTransport::new();
/// transport.push_json(200, r#"{"$data":[{"id":"00000000-0000-0000-0000-000000000001"}]}"#);
/// let client = Client::builder().transport(transport).build()?;
///
/// let mut items = client.providers().list().items();
/// let handle = tokio::spawn(async move {
///     let mut n = 0;
///     while let Some(_provider) = items.try_next().await? {
///         n += 1;
///     }
///     Ok::<_, edlink_client::Error>(n)
/// });
/// assert_eq!(handle.await.unwrap()?, 1);
/// # Ok(())
/// # }
/// ```
pub struct ItemStream<T> {
    inner: BoxStream<Result<T, Error>>,
}

impl<T: DeserializeOwned + Record + Send + 'static> ItemStream<T> {
    pub(crate) fn new(lister: Lister<T>, prefetch: usize) -> Self {
        let start = (Pages::new(lister, prefetch), Vec::new().into_iter());
        let stream = futures_util::stream::unfold(start, |(mut pages, mut items)| async move {
            loop {
                if let Some(item) = items.next() {
                    return Some((Ok(item), (pages, items)));
                }
                // Free the spent page's buffer before the next one arrives, so
                // no more pages are held than the bound says (the benchmark
                // measured a third less peak memory at 10,000 items a page).
                items = Vec::new().into_iter();
                match pages.next_page().await? {
                    Ok(page) => items = page.items.into_iter(),
                    Err(err) => return Some((Err(err), (pages, items))),
                }
            }
        });
        Self {
            inner: Box::pin(stream),
        }
    }
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream").finish_non_exhaustive()
    }
}
