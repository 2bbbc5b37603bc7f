//! The events feed: a district's changes, read forward from a checkpoint.

use edlink_model::{DEFAULT_PAGE_SIZE, Event};
use uuid::Uuid;

use crate::{ListRequest, Resources};

impl Resources<Event> {
    /// The events after `checkpoint` (the id of the last event you applied;
    /// `None`: from the oldest Edlink keeps), in order, forward only: `$first`
    /// and `$after`, then `$next`. A stream of them never reorders or skips
    /// (the paging rules of every listing), and a backward page size is
    /// refused before any request (events applied in reverse corrupt a
    /// mirror).
    ///
    /// A checkpoint older than Edlink's 30-day retention fails the first page
    /// with [`Error::EventsAgedOut`](crate::Error::EventsAgedOut): the
    /// changes since then are lost, so read everything again and continue
    /// from the newest event.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use edlink_client::{Error, ErrorKind};
    ///
    /// # async fn run(graph: edlink_client::Graph, checkpoint: Option<uuid::Uuid>) -> Result<(), Error> {
    /// let mut events = graph.events().feed(checkpoint).items();
    /// loop {
    ///     match events.try_next().await {
    ///         Ok(Some(event)) => println!("{} {:?} {:?}", event.id, event.event_type, event.target),
    ///         Ok(None) => break,
    ///         Err(err) if err.kind() == ErrorKind::EventsAgedOut => {
    ///             // Full sync, then follow the events from the newest.
    ///             break;
    ///         }
    ///         Err(err) => return Err(err),
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn feed(&self, checkpoint: Option<Uuid>) -> ListRequest<Event> {
        let mut request = self.list().first(u64::from(DEFAULT_PAGE_SIZE));
        request.endpoint.events_feed = true;
        match checkpoint {
            Some(id) => request.after(id),
            None => request,
        }
    }
}
