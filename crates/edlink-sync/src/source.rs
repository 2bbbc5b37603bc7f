//! [`Source`]: what the engine needs from Edlink for one integration, and
//! [`SourceFactory`]: how it gets one per integration.
//!
//! The engine never speaks HTTP. An adapter over `edlink-client` implements
//! these traits with three requests: a page of a collection
//! (`GET <path>?$first=N[&$after=ID]`), the newest event
//! (`GET /api/v2/graph/events?$last=1`) and a page of events
//! (`GET /api/v2/graph/events?$first=N[&$after=ID]`). [`crate::fake`] is an
//! in-memory implementation for tests.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;

use edlink_model::{Event, RawJson};
use uuid::Uuid;

use crate::ResourceKind;

/// A boxed error from the layer below (the client's `Error`, an I/O error).
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// One page of a collection: the objects as Edlink sent them (exact JSON
/// text), in listing order.
///
/// ```
/// use edlink_sync::ObjectPage;
///
/// let page = ObjectPage::new(vec![], false);
/// assert!(page.items.is_empty() && !page.has_more);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ObjectPage {
    /// The objects, in listing order.
    pub items: Vec<RawJson>,
    /// Whether more pages follow (Edlink sent `$next`). A page with
    /// `has_more` must not be empty: the engine asks for the next page after
    /// the last item's id, and treats an empty page as the end.
    pub has_more: bool,
}

impl ObjectPage {
    /// A page.
    ///
    /// ```
    /// use edlink_model::RawJson;
    /// use edlink_sync::ObjectPage;
    ///
    /// let item = RawJson::from_text(r#"{"id":"00000000-0000-0000-0000-000000000001"}"#.into())?;
    /// assert_eq!(ObjectPage::new(vec![item], true).items.len(), 1);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn new(items: Vec<RawJson>, has_more: bool) -> Self {
        Self { items, has_more }
    }
}

/// One page of events, oldest first.
///
/// ```
/// use edlink_sync::EventPage;
///
/// let page = EventPage::new(vec![], false);
/// assert!(page.events.is_empty());
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EventPage {
    /// The events, oldest first, in the order they must be applied.
    pub events: Vec<Event>,
    /// Whether more events follow (Edlink sent `$next`); as for
    /// [`ObjectPage::has_more`], an empty page ends the feed.
    pub has_more: bool,
}

impl EventPage {
    /// A page.
    ///
    /// ```
    /// let page = edlink_sync::EventPage::new(vec![], true);
    /// assert!(page.has_more);
    /// ```
    pub fn new(events: Vec<Event>, has_more: bool) -> Self {
        Self { events, has_more }
    }
}

/// Why a [`Source`] call failed, as far as the engine cares: whether trying
/// again may help, whether the integration can be used at all, and whether
/// the event cursor has aged out.
///
/// `Display` says which; the underlying error is the
/// [`source`](std::error::Error::source).
///
/// ```
/// use edlink_sync::SourceError;
///
/// let err = SourceError::transient("connection reset");
/// assert!(err.is_transient());
/// assert_eq!(err.to_string(), "temporary failure reading from Edlink");
/// assert_eq!(std::error::Error::source(&err).map(|s| s.to_string()).as_deref(), Some("connection reset"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum SourceError {
    /// A failure that may pass: a timeout, a reset connection, a 5xx or a 429
    /// that outlasted the client's retries. The engine retries the same page
    /// after a pause, then gives up on the integration for this run (the next
    /// run resumes from the checkpoint).
    Transient(BoxError),
    /// The integration cannot be used: its token was revoked, or it is not
    /// `active`/`paused`. The engine reports it and goes on with the others.
    Unusable(BoxError),
    /// The `$after` event has aged out of Edlink's 30-day retention: the
    /// events feed cannot continue from there, and the engine falls back to
    /// a full sync.
    EventsAgedOut {
        /// The event id that was refused.
        after: Uuid,
        /// Edlink's error, when there was one.
        source: Option<BoxError>,
    },
    /// Anything else (a response that does not decode, a paging error): not
    /// retried; the integration's run ends with this error.
    Failed(BoxError),
}

impl SourceError {
    /// A [`SourceError::Transient`] from any error or message.
    ///
    /// ```
    /// assert!(edlink_sync::SourceError::transient("timeout").is_transient());
    /// ```
    pub fn transient(error: impl Into<BoxError>) -> Self {
        Self::Transient(error.into())
    }

    /// A [`SourceError::Unusable`] from any error or message.
    ///
    /// ```
    /// let err = edlink_sync::SourceError::unusable("integration is disabled");
    /// assert_eq!(err.to_string(), "the integration cannot be used");
    /// ```
    pub fn unusable(error: impl Into<BoxError>) -> Self {
        Self::Unusable(error.into())
    }

    /// A [`SourceError::Failed`] from any error or message.
    ///
    /// ```
    /// let err = edlink_sync::SourceError::failed("bad JSON");
    /// assert!(!err.is_transient());
    /// ```
    pub fn failed(error: impl Into<BoxError>) -> Self {
        Self::Failed(error.into())
    }

    /// Whether trying the same call again may succeed.
    ///
    /// ```
    /// assert!(!edlink_sync::SourceError::unusable("revoked").is_transient());
    /// ```
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Transient(_))
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transient(_) => f.write_str("temporary failure reading from Edlink"),
            Self::Unusable(_) => f.write_str("the integration cannot be used"),
            Self::EventsAgedOut { after, .. } => write!(
                f,
                "event {after} has aged out of Edlink's 30-day event retention"
            ),
            Self::Failed(_) => f.write_str("reading from Edlink failed"),
        }
    }
}

impl StdError for SourceError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Self::Transient(e) | Self::Unusable(e) | Self::Failed(e) => Some(&**e),
            Self::EventsAgedOut { source, .. } => source.as_deref().map(|e| e as _),
        }
    }
}

/// Edlink's Graph data of one integration, as the engine reads it.
///
/// Every method is one request (an implementation may retry inside it);
/// the futures are `Send` so integrations can be synced on any runtime
/// thread.
///
/// ```
/// use edlink_sync::{EventPage, ObjectPage, ResourceKind, Source, SourceError};
/// use uuid::Uuid;
///
/// /// A source with no data at all.
/// struct Empty;
///
/// impl Source for Empty {
///     async fn list(&self, _: ResourceKind, _: Option<Uuid>, _: u32) -> Result<ObjectPage, SourceError> {
///         Ok(ObjectPage::new(vec![], false))
///     }
///     async fn newest_event(&self) -> Result<Option<Uuid>, SourceError> {
///         Ok(None)
///     }
///     async fn events(&self, _: Option<Uuid>, _: u32) -> Result<EventPage, SourceError> {
///         Ok(EventPage::new(vec![], false))
///     }
/// }
/// # let _ = Empty;
/// ```
pub trait Source: Send + Sync {
    /// Up to `limit` objects of `resource`, in listing order, after the
    /// object `after` (`$first=limit&$after=after`), or from the start.
    fn list(
        &self,
        resource: ResourceKind,
        after: Option<Uuid>,
        limit: u32,
    ) -> impl Future<Output = Result<ObjectPage, SourceError>> + Send;

    /// The id of the newest event (`$last=1`), or `None` when there is none.
    /// The engine asks before a full read, so changes made during the read
    /// are replayed afterwards.
    fn newest_event(&self) -> impl Future<Output = Result<Option<Uuid>, SourceError>> + Send;

    /// Up to `limit` events after the event `after`, oldest first
    /// (`$first=limit&$after=after`); with `None`, from the oldest kept.
    /// An `after` that has aged out is [`SourceError::EventsAgedOut`].
    fn events(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> impl Future<Output = Result<EventPage, SourceError>> + Send;
}

/// Opens a [`Source`] per integration: the shared client plus the
/// integration's access token. An integration that is not `active`/`paused`,
/// or whose token was revoked, is [`SourceError::Unusable`].
///
/// ```
/// use edlink_sync::fake::{FakeFactory, FakeWorld, WorldSize};
/// use edlink_sync::SourceFactory;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let factory = FakeFactory::new();
/// let id = uuid::Uuid::from_u128(1);
/// factory.insert(id, FakeWorld::seeded(7, WorldSize::tiny()));
/// assert!(factory.open(id).await.is_ok());
/// assert!(factory.open(uuid::Uuid::from_u128(2)).await.is_err());
/// # Ok(())
/// # }
/// ```
pub trait SourceFactory: Send + Sync {
    /// The source type.
    type Source: Source;

    /// The source of `integration`.
    fn open(
        &self,
        integration: Uuid,
    ) -> impl Future<Output = Result<Self::Source, SourceError>> + Send;
}
