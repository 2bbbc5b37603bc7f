//! Fetching pages ahead of the consumer.
//!
//! A task runs the listing's [`Lister`] (the one paging loop: retries, paging rules and
//! `on_page` are its own) and hands each page, or the error that ends the listing, through a
//! channel. The listing's [`Budget`] has a permit for each page of the depth plus the one the
//! consumer holds: a page takes one before its request leaves and gives it back when the
//! consumer asks for the page after it, so the pages in flight, waiting and held never pass
//! `depth + 1`. A consumer that is waiting holds none, which lets the next page's request
//! leave while this page decodes (see `flight`). Dropping the stream aborts the task, which
//! drops the requests in flight.

use std::panic;

use edlink_model::{Page, Record};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::Error;
use crate::flight::{Budget, Permit};
use crate::stream::Lister;

/// How many pages the streams fetch ahead unless told otherwise
/// ([`ListRequest::prefetch`](crate::ListRequest::prefetch)): one.
///
/// Edlink's pages are chained (each `$next` comes in the page before), so pages are
/// requested one after the other whatever the depth. One page ahead already overlaps each
/// request with the consumer's work on the page before it: the listing takes about the
/// longer of the two instead of their sum. More depth only helps a consumer whose speed
/// varies (it can build a reserve while it is fast), and each page of depth is one more page
/// in memory (about 1 MB of JSON and its decoded items at 1,000 integrations a page).
///
/// ```
/// assert_eq!(edlink_client::DEFAULT_PREFETCH, 1);
/// ```
pub const DEFAULT_PREFETCH: usize = 1;

/// At most this many pages ahead ([`ListRequest::prefetch`](crate::ListRequest::prefetch)
/// caps larger values here).
pub(crate) const MAX_DEPTH: usize = 1_024;

type Item<T> = Result<Page<T>, Error>;

/// A page and the permit it holds until the consumer asks for the next one.
type Held<T> = (Item<T>, Option<Permit>);

/// The task, aborted when the stream is dropped.
struct Task(JoinHandle<()>);

impl Drop for Task {
    fn drop(&mut self) {
        self.0.abort();
    }
}

enum State<T> {
    /// The task starts on the first poll, so that building a stream sends nothing (and needs
    /// no runtime).
    Idle(Lister<T>, usize),
    Running(mpsc::Receiver<Held<T>>, Task),
    /// No tokio runtime to run a task on: the listing runs in place, one page at a time.
    InPlace(Lister<T>),
    Done,
}

/// The pages of a listing, fetched up to `depth` ahead.
pub(crate) struct Ahead<T> {
    state: State<T>,
    /// The permit of the page the consumer holds.
    held: Option<Permit>,
}

impl<T: DeserializeOwned + Record + Send + 'static> Ahead<T> {
    /// `depth` is at least 1 (0 is the lazy stream, which needs no task).
    pub(crate) fn new(lister: Lister<T>, depth: usize) -> Self {
        Self {
            state: State::Idle(lister, depth.clamp(1, MAX_DEPTH)),
            held: None,
        }
    }

    /// The next page, in order; `None` once the listing is over.
    pub(crate) async fn next_page(&mut self) -> Option<Item<T>> {
        loop {
            match &mut self.state {
                State::Idle(..) => self.start(),
                State::InPlace(lister) => return lister.next_page().await,
                State::Running(pages, task) => {
                    // Asking for a page means the consumer is done with the one before.
                    self.held = None;
                    if let Some((page, permit)) = pages.recv().await {
                        self.held = permit;
                        return Some(page);
                    }
                    // The task dropped its sender: it ended, or it panicked (e.g. in an
                    // `on_page` callback), which must not look like the end of the listing.
                    let outcome = (&mut task.0).await;
                    self.state = State::Done;
                    if let Err(join) = outcome {
                        if let Ok(payload) = join.try_into_panic() {
                            panic::resume_unwind(payload);
                        }
                    }
                    return None;
                }
                State::Done => return None,
            }
        }
    }

    fn start(&mut self) {
        let State::Idle(lister, depth) = std::mem::replace(&mut self.state, State::Done) else {
            return;
        };
        self.state = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                // Every page in the channel holds a permit, so it never fills but for the
                // error that ends a listing.
                let (sender, pages) = mpsc::channel(depth + 1);
                let lister = lister.with_budget(Budget::new(depth + 1));
                let task = runtime.spawn(produce(lister, sender));
                State::Running(pages, Task(task))
            }
            Err(_) => State::InPlace(lister),
        };
    }
}

/// The task: the listing's pages, in order, each with its permit (the listing waits for one
/// before each request).
async fn produce<T: DeserializeOwned + Record + Send + 'static>(
    mut lister: Lister<T>,
    pages: mpsc::Sender<Held<T>>,
) {
    while let Some((page, permit)) = lister.next_page_held().await {
        let failed = page.is_err();
        if pages.send((page, permit)).await.is_err() || failed {
            return; // The stream is gone, or an error ended the listing.
        }
    }
}
