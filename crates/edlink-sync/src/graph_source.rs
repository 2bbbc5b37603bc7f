//! The [`Source`] of the real Edlink: the Graph API through `edlink-client`
//! (feature `client`, on by default).

use edlink_client::{Client, Error, ErrorKind, Graph, Integration};
use edlink_model::{
    Agent, Class, Course, District, Enrollment, Event, IntegrationState, IntegrationStatus, Person,
    Resource, School, Section, Session,
};
use uuid::Uuid;

use crate::{EventPage, ObjectPage, ResourceKind, Source, SourceError, SourceFactory};

/// One integration's Graph data through the client (one request per call;
/// the client retries inside it as its policy says).
///
/// ```no_run
/// use edlink_sync::{GraphSource, Source, ResourceKind};
///
/// # async fn run(client: edlink_client::Client, token: &str) -> Result<(), edlink_sync::SourceError> {
/// let source = GraphSource::new(client.graph(token));
/// let page = source.list(ResourceKind::Schools, None, 1_000).await?;
/// println!("{} schools", page.items.len());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct GraphSource {
    graph: Graph,
}

impl GraphSource {
    /// The source of the integration whose Graph handle this is.
    pub fn new(graph: Graph) -> Self {
        Self { graph }
    }

    async fn page<R: Resource>(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<ObjectPage, SourceError> {
        let mut request = self.graph.resource::<R>().list().first(u64::from(limit));
        if let Some(id) = after {
            request = request.after(id);
        }
        let page = request.raw_exact().page().await.map_err(source_error)?;
        Ok(ObjectPage::new(
            page.items.clone(),
            more(page.next.as_deref(), page.items.len(), limit),
        ))
    }
}

/// Whether another page may follow: Edlink sent `$next`, or the page was
/// full (a server that sends no `$next` still has more then; an empty next
/// page ends the collection).
fn more(next: Option<&str>, items: usize, limit: u32) -> bool {
    next.is_some_and(|n| !n.trim().is_empty()) || items as u64 >= u64::from(limit)
}

/// How the engine sees a client error: the one mapping.
fn source_error(err: Error) -> SourceError {
    match err {
        Error::EventsAgedOut { after, source, .. } => SourceError::EventsAgedOut {
            after,
            source: Some(source),
        },
        err if err.is_unusable_integration() || err.kind() == ErrorKind::Authentication => {
            SourceError::unusable(err)
        }
        err if err.is_retryable() => SourceError::transient(err),
        err => SourceError::failed(err),
    }
}

impl Source for GraphSource {
    async fn list(
        &self,
        resource: ResourceKind,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<ObjectPage, SourceError> {
        match resource {
            ResourceKind::Districts => self.page::<District>(after, limit).await,
            ResourceKind::Schools => self.page::<School>(after, limit).await,
            ResourceKind::Sessions => self.page::<Session>(after, limit).await,
            ResourceKind::Courses => self.page::<Course>(after, limit).await,
            ResourceKind::People => self.page::<Person>(after, limit).await,
            ResourceKind::Classes => self.page::<Class>(after, limit).await,
            ResourceKind::Sections => self.page::<Section>(after, limit).await,
            ResourceKind::Enrollments => self.page::<Enrollment>(after, limit).await,
            ResourceKind::Agents => self.page::<Agent>(after, limit).await,
        }
    }

    async fn newest_event(&self) -> Result<Option<Uuid>, SourceError> {
        let page = self
            .graph
            .resource::<Event>()
            .list()
            .last(1)
            .page()
            .await
            .map_err(source_error)?;
        Ok(page.items.first().map(|event| event.id))
    }

    async fn events(&self, after: Option<Uuid>, limit: u32) -> Result<EventPage, SourceError> {
        let page = self
            .graph
            .events()
            .feed(after)
            .first(u64::from(limit))
            .page()
            .await
            .map_err(source_error)?;
        let more = more(page.next.as_deref(), page.items.len(), limit);
        Ok(EventPage::new(page.items, more))
    }
}

/// Opens a [`GraphSource`] per integration with one shared [`Client`] (the
/// application key): the integration is fetched for its access token, and one
/// that is not `active`/`paused` or carries no token is
/// [`SourceError::Unusable`].
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = edlink_client::Client::from_env()?;
/// let factory = edlink_sync::GraphSources::new(client);
/// # let _ = factory;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct GraphSources {
    client: Client,
}

impl GraphSources {
    /// Sources over `client`, which must hold the application key.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

/// Whether the Graph API of `integration` can be read: `active` or `paused`
/// (the v1 `status`, or the v2 `state` when only that came).
pub fn is_readable(integration: &Integration) -> bool {
    match (&integration.status, &integration.state) {
        (Some(status), _) => matches!(
            status,
            IntegrationStatus::Active | IntegrationStatus::Paused
        ),
        (None, Some(state)) => matches!(state, IntegrationState::Active | IntegrationState::Paused),
        (None, None) => false,
    }
}

impl SourceFactory for GraphSources {
    type Source = GraphSource;

    async fn open(&self, integration: Uuid) -> Result<GraphSource, SourceError> {
        let found = self
            .client
            .integrations()
            .get(integration)
            .await
            .map_err(source_error)?;
        if !is_readable(&found) {
            let status = found
                .status
                .as_ref()
                .map(|s| s.as_str().to_owned())
                .or_else(|| found.state.as_ref().map(|s| s.as_str().to_owned()))
                .unwrap_or_else(|| "unknown".to_owned());
            return Err(SourceError::unusable(format!(
                "integration {integration} is {status}, not active or paused"
            )));
        }
        let graph = self
            .client
            .graph_for(&found)
            .map_err(SourceError::unusable)?;
        Ok(GraphSource::new(graph))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_page_without_next_may_have_more() {
        assert!(more(None, 10, 10));
        assert!(more(Some("https://ed.link/x?$cursor=a"), 3, 10));
        assert!(!more(None, 3, 10));
        assert!(!more(Some("  "), 0, 10));
    }
}
