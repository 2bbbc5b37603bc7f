//! [`Graph`]: the v2 Graph API of one integration, with its access token.

use std::fmt;

use edlink_model::{
    AccessToken, Agent, Class, Course, District, Enrollment, Event, Integration, License, Person,
    Resource, School, Section, Session,
};

use crate::endpoint::{Credential, Endpoint, TokenAuth};
use crate::{Client, Error, Resources};

/// The Graph API (`/api/v2/graph/…`) of one integration: its district's
/// schools, people, classes, enrollments… read with the integration's access
/// token. Get one from [`Client::graph`] or [`Client::graph_for`].
///
/// A handle is cheap (the client inside is an `Arc`), `Send + Sync` and
/// `Clone`: many handles, one per integration, share the client's connection
/// pool and settings. The token goes only to Graph routes (never the
/// application key), and the key never goes to them: the request path
/// decides by the route, whatever the handle holds.
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use edlink_model::filter::people;
///
/// # async fn run(client: edlink_client::Client, integration: edlink_client::Integration) -> Result<(), edlink_client::Error> {
/// let graph = client.graph_for(&integration)?;
/// let mut people = graph.people().list()
///     .filter(people::last_name().starts_with("Gar"))
///     .expand(["schools"])
///     .items();
/// while let Some(person) = people.try_next().await? {
///     println!("{:?} {:?}", person.display_name, person.email);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Graph {
    client: Client,
    credential: Credential,
}

impl fmt::Debug for Graph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Graph")
            .field("base_url", &self.client.base_url())
            .field("access_token", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The Graph API of the integration whose access token this is.
    ///
    /// A token that cannot be sent (empty, or with characters a header cannot
    /// hold) fails every request of the handle with
    /// [`Error::InvalidArgument`], before anything is sent.
    ///
    /// ```
    /// let client = edlink_client::Client::builder()
    ///     .transport(edlink_client::TestTransport::new())
    ///     .build()?;
    /// let graph = client.graph("HZ4MR8NyjdPiP9g8l6gKXT5Kjk9FlJa7");
    /// assert!(!format!("{graph:?}").contains("HZ4M"));
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn graph(&self, access_token: impl Into<AccessToken>) -> Graph {
        Graph {
            client: self.clone(),
            credential: TokenAuth::credential(access_token.into()),
        }
    }

    /// The Graph API of `integration` (as listed by
    /// [`Client::integrations`]), with its access token.
    ///
    /// Fails with [`Error::MissingCredential`] when the integration carries no
    /// `access_token` (e.g. one read from `/api/v2/my/integration`).
    ///
    /// ```no_run
    /// # async fn run(client: edlink_client::Client) -> Result<(), edlink_client::Error> {
    /// for integration in client.integrations().list().collect_all().await? {
    ///     let graph = client.graph_for(&integration)?;
    ///     let schools = graph.schools().list().collect_all().await?;
    ///     println!("{}: {} schools", integration.id, schools.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn graph_for(&self, integration: &Integration) -> Result<Graph, Error> {
        match &integration.access_token {
            Some(token) => Ok(self.graph(token.clone())),
            None => Err(Error::MissingCredential {
                resource: Integration::NAME,
                credential: "an access_token on the integration, which it does not carry",
            }),
        }
    }
}

impl Graph {
    /// The endpoints of any Graph [`Resource`] with this handle's token: the
    /// one generic path the named collections use (for code generic over the
    /// resource type).
    ///
    /// ```
    /// use edlink_model::Person;
    /// # let graph = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?.graph("token");
    /// let people = graph.resource::<Person>().list().first(1_000);
    /// # let _ = people;
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn resource<R: Resource>(&self) -> Resources<R> {
        Resources::with(
            self.client.clone(),
            Endpoint::of::<R>(self.credential.clone()),
        )
    }

    fn resources<R: Resource>(&self) -> Resources<R> {
        self.resource()
    }

    /// The client this handle uses.
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// let graph = client.graph("token");
    /// assert_eq!(graph.client().base_url(), client.base_url());
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// Declares the top-level collections of the Graph API on [`Graph`].
macro_rules! collections {
    ($( $method:ident: $model:ty, )+) => {
        impl Graph {
            $(
                #[doc = concat!(
                    "`/api/v2/graph/", stringify!($method), "`: list, get, and the nested lists ",
                    "(see [`Resources`]).\n\n```\n",
                    "# let graph = edlink_client::Client::builder()\
                     .transport(edlink_client::TestTransport::new()).build()?.graph(\"token\");\n",
                    "let request = graph.", stringify!($method), "().list().first(500);\n",
                    "# let _ = request;\n# Ok::<(), edlink_client::Error>(())\n```"
                )]
                pub fn $method(&self) -> Resources<$model> {
                    self.resources()
                }
            )+
        }
    };
}

collections! {
    districts: District,
    schools: School,
    sessions: Session,
    courses: Course,
    classes: Class,
    sections: Section,
    people: Person,
    enrollments: Enrollment,
    agents: Agent,
    licenses: License,
    events: Event,
}
