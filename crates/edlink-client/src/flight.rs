//! A page's request run as a task of its own, so that the next page's request can leave
//! while this page decodes.
//!
//! Edlink's pages are chained: each request needs the `$next` of the page before it. Waiting
//! for a page to decode before asking for the next adds the decoding time (milliseconds at
//! 1,000 items a page) to every page's wait on the network. A listing that fetches ahead
//! (`stream::Lister` under `prefetch::Ahead`) therefore runs each page's request as a
//! [`Flight`]. The moment a page's body has arrived, before it decodes, the flight reports
//! the `$next` read from the body's edges ([`edlink_model::peek_next`]); the listing checks it
//! with [`Paginator::next_url_for`](edlink_model::Paginator::next_url_for) and the origin
//! rule, and launches the next flight if the [`Budget`] has a page to spare. Once the page
//! has decoded and the paginator has decided, the listing keeps that flight only if its URL
//! is the one decided, and drops it (which cancels its request) otherwise.
//!
//! So the paging rules are unchanged: the request is the one the listing would have sent a
//! few milliseconds later. The only difference shows on a page that fails to decode: the
//! request for the page after it may already be out, and its answer is dropped unread.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;

use edlink_model::Response;
use serde::de::DeserializeOwned;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
use tokio::task::JoinHandle;
use url::Url;

use crate::endpoint::Endpoint;
use crate::{Client, Error, execute};

/// One page's place in memory: in flight, waiting for the consumer, or held by it.
pub(crate) type Permit = OwnedSemaphorePermit;

/// How many pages a listing that fetches ahead may hold at once: its depth, plus the page
/// the consumer holds. Every page takes a permit before its request leaves and gives it back
/// when the consumer asks for the page after it.
///
/// Its pages also decode one at a time, in order: an early request's body that arrives
/// while the page before it still decodes waits as bytes. Two pages decoding at once (each
/// body with its items half built) held a quarter more memory at the peak, on a fast link
/// with a fast consumer, and gained nothing: the consumer takes them in order anyway.
#[derive(Clone)]
pub(crate) struct Budget {
    pages: Arc<Semaphore>,
    decoding: Arc<Semaphore>,
}

impl Budget {
    pub(crate) fn new(pages: usize) -> Self {
        Self {
            pages: Arc::new(Semaphore::new(pages)),
            decoding: Arc::new(Semaphore::new(1)),
        }
    }

    /// A permit, once one is free.
    pub(crate) async fn take(&self) -> Permit {
        match Arc::clone(&self.pages).acquire_owned().await {
            Ok(permit) => permit,
            // Only a closed semaphore refuses, and this one is never closed.
            Err(_closed) => std::future::pending().await,
        }
    }

    /// A permit if one is free now: a page sent early must not wait for the consumer.
    pub(crate) fn try_take(&self) -> Option<Permit> {
        Arc::clone(&self.pages).try_acquire_owned().ok()
    }
}

/// What a flight reports, in this order.
pub(crate) enum Event<T> {
    /// The body arrived with this `$next` and is about to decode.
    Next(String),
    /// The request's outcome, decoded.
    Landed(Result<Response<Vec<T>>, Error>),
}

/// One page's request, running as its own task; dropping it cancels the request.
pub(crate) struct Flight<T> {
    url: String,
    next: Option<oneshot::Receiver<String>>,
    task: JoinHandle<Result<Response<Vec<T>>, Error>>,
    permit: Option<Permit>,
}

impl<T> Drop for Flight<T> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<T: DeserializeOwned + Send + 'static> Flight<T> {
    /// Sends `GET target` (already through the origin check; `url` is its text as the
    /// paginator wrote it) on the one request path, as a task of the current runtime.
    pub(crate) fn launch(
        client: &Client,
        endpoint: &Endpoint,
        budget: &Budget,
        url: String,
        target: Url,
        permit: Permit,
    ) -> Self {
        let (sender, next) = oneshot::channel();
        let (client, endpoint) = (client.clone(), endpoint.clone());
        let decoding = Arc::clone(&budget.decoding);
        let task = tokio::spawn(async move {
            let sender = Mutex::new(Some(sender));
            let peek = move |body: &[u8]| {
                let Some(found) = edlink_model::peek_next(body) else {
                    return false;
                };
                // The first body that has one: a retried body's would be the same request's.
                let sender = sender.lock().ok().and_then(|mut s| s.take());
                sender.is_some_and(|sender| sender.send(found).is_ok())
            };
            execute::get_peeking::<Vec<T>>(&client.inner, &endpoint, &target, &peek, &decoding)
                .await
        });
        Self {
            url,
            next: Some(next),
            task,
            permit: Some(permit),
        }
    }

    /// The URL this flight asked for, as the paginator wrote it.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The next thing to report: the body's `$next` (at most once, and only if it had one),
    /// then the outcome.
    pub(crate) async fn event(&mut self) -> Event<T> {
        poll_fn(|cx| {
            if let Some(next) = &mut self.next {
                if let Poll::Ready(found) = Pin::new(next).poll(cx) {
                    self.next = None;
                    if let Ok(found) = found {
                        return Poll::Ready(Event::Next(found));
                    }
                }
            }
            match Pin::new(&mut self.task).poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Ok(outcome)) => Poll::Ready(Event::Landed(outcome)),
                Poll::Ready(Err(join)) => match join.try_into_panic() {
                    // A panic in `T`'s `Deserialize` reaches the listing as it would in place.
                    Ok(payload) => std::panic::resume_unwind(payload),
                    // Cancelled: this type aborts only when dropped, so only the runtime's
                    // shutdown gets here, and it drops the task awaiting this as well.
                    Err(_cancelled) => Poll::Pending,
                },
            }
        })
        .await
    }

    /// The flight's permit, for the page it brought (or the request sent instead of it).
    pub(crate) fn take_permit(&mut self) -> Option<Permit> {
        self.permit.take()
    }
}
