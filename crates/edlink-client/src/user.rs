//! [`User`]: the User API (`/api/v2/my/…`) for one signed-in person, with a
//! session that keeps their token set fresh.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use edlink_model::{
    Agent, Auth, Class, District, Enrollment, Integration, PagingRules, Person, Resource, School,
    Section, Source, TokenSet,
};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::endpoint::{Credential, Endpoint};
use crate::session::{DEFAULT_REFRESH_MARGIN, OnRefresh, Session};
use crate::sso::SsoApp;
use crate::{Client, Error, GetRequest, ListRequest, Resources};

/// The root of the User API.
const MY: &str = "/api/v2/my";

/// Configures a [`User`] session; from [`Sso::user`](crate::Sso::user).
///
/// ```
/// use std::time::Duration;
/// use edlink_client::model::TokenSet;
/// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
/// let (tx, rx) = std::sync::mpsc::channel::<TokenSet>();
/// let user = client.sso("client-1", "secret")
///     .user(TokenSet::new("a").with_refresh_token("r"))
///     .on_refresh(move |tokens| { let _ = tx.send(tokens.clone()); })
///     .refresh_margin(Duration::from_secs(120))
///     .build();
/// # let _ = (user, rx);
/// # Ok::<(), edlink_client::Error>(())
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct UserBuilder {
    client: Client,
    app: Arc<SsoApp>,
    tokens: TokenSet,
    on_refresh: Option<OnRefresh>,
    margin: Duration,
}

impl fmt::Debug for UserBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserBuilder")
            .field("tokens", &self.tokens)
            .field("on_refresh", &self.on_refresh.is_some())
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl UserBuilder {
    pub(crate) fn new(client: Client, app: Arc<SsoApp>, tokens: TokenSet) -> Self {
        Self {
            client,
            app,
            tokens,
            on_refresh: None,
            margin: DEFAULT_REFRESH_MARGIN,
        }
    }

    /// Calls `callback` with every new token set the session gets, in order,
    /// before any request uses it: store it, or the next start of the
    /// application signs the person out (the old access token is expired,
    /// and a rotated refresh token would be lost). It runs inside the
    /// refresh, so keep it short: hand the set to a channel or a task for a
    /// slow store.
    pub fn on_refresh(mut self, callback: impl Fn(&TokenSet) + Send + Sync + 'static) -> Self {
        self.on_refresh = Some(Arc::new(callback));
        self
    }

    /// How long before its expiry a token is refreshed before use (default
    /// [`DEFAULT_REFRESH_MARGIN`](crate::DEFAULT_REFRESH_MARGIN), 5 minutes;
    /// never more than half the token's lifetime).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The session.
    pub fn build(self) -> User {
        let session = Session::new(
            self.client.clone(),
            self.app,
            self.tokens,
            self.on_refresh,
            self.margin,
        );
        User {
            client: self.client,
            session: Arc::new(session),
        }
    }
}

/// The User API (`/api/v2/my/…`) of one person signed in with Edlink: their
/// profile, their integration and its source, and their own districts,
/// schools, classes, sections, agents and enrollments.
///
/// Every request of every handle it gives out, each page of a listing
/// included, takes the session's current token:
///
/// - a token expiring within the margin is refreshed first, so no request
///   goes out with a token known to be stale;
/// - a request refused with 401 or `EXPIRED_TOKEN` refreshes the token once
///   and is sent again, once, with the new token;
/// - concurrent requests share one refresh (single flight);
/// - every new token set goes to the [`on_refresh`](UserBuilder::on_refresh)
///   callback;
/// - a refused refresh token fails the call, and every later one, with
///   [`Error::SignInRequired`]: send the person through the login again.
///
/// Listings follow the User API's paging rules
/// ([`PagingRules::NextOnly`](edlink_model::PagingRules::NextOnly)): `$first`
/// and `$next` only; `last`, `after` and `before` are refused before any
/// request.
///
/// `User` is cheap to clone (clones share the session), `Send + Sync`, and
/// never shows a token in `Debug`.
///
/// ```no_run
/// use futures_util::TryStreamExt;
///
/// # async fn run(user: edlink_client::User) -> Result<(), edlink_client::Error> {
/// let me = user.profile().await?;
/// println!("{:?} {:?}", me.display_name, me.roles);
/// let mut classes = user.classes().list().items();
/// while let Some(class) = classes.try_next().await? {
///     let students = user.classes().students(class.id).collect_all().await?;
///     println!("{:?}: {} students", class.name, students.len());
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct User {
    client: Client,
    session: Arc<Session>,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("base_url", &self.client.base_url())
            .field("session", &self.session)
            .finish()
    }
}

impl User {
    /// The endpoint `/api/v2/my/<path>` for objects named `name`.
    fn endpoint(&self, path: &str, name: &'static str) -> Endpoint {
        Endpoint {
            path: Cow::Owned(format!("{MY}/{path}")),
            auth: Auth::UserToken,
            name,
            credential: Credential::User(Arc::clone(&self.session)),
            events_feed: false,
            paging: PagingRules::NextOnly,
        }
    }

    fn resources<R: Resource>(&self, path: &str) -> UserResources<R> {
        UserResources(Resources::with(
            self.client.clone(),
            self.endpoint(path, R::NAME),
        ))
    }

    fn single<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
        name: &'static str,
    ) -> GetRequest<T> {
        GetRequest::single(self.client.clone(), self.endpoint(path, name))
    }

    /// The token set in use now (after any refresh so far).
    ///
    /// ```
    /// # let client = edlink_client::Client::builder().transport(edlink_client::TestTransport::new()).build()?;
    /// use edlink_client::model::TokenSet;
    /// let user = client.sso("c", "s").user(TokenSet::new("a")).build();
    /// assert_eq!(user.tokens().access_token().expose_secret(), "a");
    /// # Ok::<(), edlink_client::Error>(())
    /// ```
    pub fn tokens(&self) -> TokenSet {
        self.session.tokens()
    }

    /// Refreshes the token set now, whatever its expiry says (it goes to the
    /// callback too), and gives it.
    ///
    /// ```no_run
    /// # async fn run(user: edlink_client::User) -> Result<(), edlink_client::Error> {
    /// let fresh = user.refresh().await?;
    /// # let _ = fresh;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn refresh(&self) -> Result<TokenSet, Error> {
        self.session.force_refresh().await
    }

    /// The client this session sends with.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// `GET /api/v2/my/profile`: the signed-in person.
    ///
    /// ```no_run
    /// # async fn run(user: edlink_client::User) -> Result<(), edlink_client::Error> {
    /// let me = user.profile().await?;
    /// println!("{:?}", me.email);
    /// # Ok(())
    /// # }
    /// ```
    pub fn profile(&self) -> GetRequest<Person> {
        self.single("profile", Person::NAME)
    }

    /// `GET /api/v2/my/integration`: the integration the person signed in
    /// through (its `state`, sharing and ids; no access token).
    ///
    /// ```no_run
    /// # async fn run(user: edlink_client::User) -> Result<(), edlink_client::Error> {
    /// let integration = user.integration().await?;
    /// println!("{:?}", integration.state);
    /// # Ok(())
    /// # }
    /// ```
    pub fn integration(&self) -> GetRequest<Integration> {
        self.single("integration", Integration::NAME)
    }

    /// `GET /api/v2/my/source`: the district's data source behind it.
    ///
    /// ```no_run
    /// # async fn run(user: edlink_client::User) -> Result<(), edlink_client::Error> {
    /// let source = user.source().await?;
    /// println!("{:?}", source.provider.and_then(|p| p.name));
    /// # Ok(())
    /// # }
    /// ```
    pub fn source(&self) -> GetRequest<Source> {
        self.single("source", "source")
    }
}

/// Declares the User API's collections on [`User`].
macro_rules! my_collections {
    ($( $method:ident: $model:ty, )+) => {
        impl User {
            $(
                #[doc = concat!(
                    "`/api/v2/my/", stringify!($method), "`: the person's own ", stringify!($method),
                    ", listed or fetched by id (see [`UserResources`]).\n\n```\n",
                    "# let client = edlink_client::Client::builder()\
                     .transport(edlink_client::TestTransport::new()).build()?;\n",
                    "# let user = client.sso(\"c\", \"s\").user(edlink_client::model::TokenSet::new(\"a\")).build();\n",
                    "let request = user.", stringify!($method), "().list().first(100);\n",
                    "# let _ = request;\n# Ok::<(), edlink_client::Error>(())\n```"
                )]
                pub fn $method(&self) -> UserResources<$model> {
                    self.resources(stringify!($method))
                }
            )+
        }
    };
}

my_collections! {
    districts: District,
    schools: School,
    classes: Class,
    sections: Section,
    agents: Agent,
    enrollments: Enrollment,
}

/// One collection of the User API, `/api/v2/my/<collection>`: list it, fetch
/// one object by id, and (classes and sections) list what is under one.
/// Requests take the session's current token (see [`User`]).
///
/// ```no_run
/// # async fn run(user: edlink_client::User, id: uuid::Uuid) -> Result<(), edlink_client::Error> {
/// let class = user.classes().get(id).await?;
/// let teachers = user.classes().teachers(id).collect_all().await?;
/// println!("{:?}: {} teachers", class.name, teachers.len());
/// # Ok(())
/// # }
/// ```
pub struct UserResources<R>(Resources<R>);

impl<R> Clone for UserResources<R> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<R> fmt::Debug for UserResources<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UserResources").field(&self.0).finish()
    }
}

impl<R: Resource> UserResources<R> {
    /// `GET /api/v2/my/<collection>/<id>`: one of the person's objects.
    pub fn get(&self, id: Uuid) -> GetRequest<R> {
        self.0.get(id)
    }

    /// `GET /api/v2/my/<collection>`: a listing, with the User API's paging
    /// rules (`$first` and `$next` only).
    pub fn list(&self) -> ListRequest<R> {
        self.0.list()
    }
}

/// Declares the nested lists of one User API collection.
macro_rules! my_nested_lists {
    ($parent:ty, $accessor:literal { $( $method:ident => $segment:literal : $child:ty, )+ }) => {
        impl UserResources<$parent> {
            $(
                #[doc = concat!(
                    "`/api/v2/my/", $accessor, "/:id/", $segment, "`: the ", $segment,
                    " of one of the person's ", $accessor, ".\n\n```\n",
                    "# let client = edlink_client::Client::builder()\
                     .transport(edlink_client::TestTransport::new()).build()?;\n",
                    "# let user = client.sso(\"c\", \"s\").user(edlink_client::model::TokenSet::new(\"a\")).build();\n",
                    "let request = user.", $accessor, "().", stringify!($method),
                    "(uuid::Uuid::nil()).first(100);\n",
                    "# let _ = request;\n# Ok::<(), edlink_client::Error>(())\n```"
                )]
                pub fn $method(&self, id: Uuid) -> ListRequest<$child> {
                    self.0.nested::<$child>(id, $segment)
                }
            )+
        }
    };
}

my_nested_lists!(Class, "classes" {
    people => "people": Person,
    teachers => "teachers": Person,
    students => "students": Person,
    enrollments => "enrollments": Enrollment,
    sections => "sections": Section,
});

my_nested_lists!(Section, "sections" {
    people => "people": Person,
    teachers => "teachers": Person,
    students => "students": Person,
    enrollments => "enrollments": Enrollment,
});
