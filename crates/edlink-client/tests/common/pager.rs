//! A transport serving a chained listing page by page, counting the requests
//! started, in flight at once, and dropped unanswered.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use edlink_client::{Client, Transport, TransportError};
use edlink_transport::BoxFuture;

use super::{INTEGRATIONS, KEY};

/// Serves `pages` pages of `size` items (the last one short, so that the
/// listing ends there), page `k` (from 1) answering the request with
/// `$cursor=k`; the requests from number `hang_from` on never answer. Counts the requests started, the most in flight at once, and the
/// ones dropped before they answered.
pub struct Pager {
    pages: usize,
    size: usize,
    hang_from: Option<usize>,
    pub started: AtomicUsize,
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    pub dropped: AtomicUsize,
}

impl Pager {
    pub fn new(pages: usize, size: usize) -> Arc<Self> {
        Self::hanging(pages, size, None)
    }

    pub fn hanging(pages: usize, size: usize, hang_from: Option<usize>) -> Arc<Self> {
        Arc::new(Self {
            pages,
            size,
            hang_from,
            started: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            dropped: AtomicUsize::new(0),
        })
    }

    pub fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    pub fn body(&self, page: usize) -> String {
        let first = (page - 1) * self.size + 1;
        let len = if page == self.pages {
            self.size - 1
        } else {
            self.size
        };
        let ids = (first..first + len).map(|n| n as u128);
        let next = (page < self.pages).then(|| format!("{INTEGRATIONS}?$cursor={}", page + 1));
        super::page(ids, next.as_deref())
    }
}

/// Marks a request finished (or dropped unfinished) however its future ends.
struct InFlight<'a> {
    pager: &'a Pager,
    answered: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.pager.in_flight.fetch_sub(1, Ordering::SeqCst);
        if !self.answered {
            self.pager.dropped.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl Transport for Pager {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let number = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let page = request
            .uri()
            .query()
            .and_then(|q| q.strip_prefix("$cursor="))
            .map_or(1, |k| k.parse().unwrap());
        Box::pin(async move {
            let mut guard = InFlight {
                pager: self,
                answered: false,
            };
            if self.hang_from.is_some_and(|from| number >= from) {
                std::future::pending::<()>().await;
            }
            let body = self.body(page);
            guard.answered = true;
            Ok(http::Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Bytes::from(body))
                .unwrap())
        })
    }
}

pub fn client_on(transport: &Arc<Pager>) -> Client {
    Client::builder()
        .application_key(KEY)
        .transport(Arc::clone(transport))
        .build()
        .unwrap()
}

/// Gives every other task all the (paused) time it wants.
pub async fn let_others_run() {
    tokio::time::sleep(Duration::from_secs(1)).await;
}
