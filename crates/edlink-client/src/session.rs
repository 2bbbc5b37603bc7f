//! [`Session`]: one signed-in person's token set, kept fresh.
//!
//! The rules, all here so every request of the User API follows them:
//!
//! - **Before** a request: a token that expires within the margin is
//!   refreshed first, so no request goes out with a token known to be stale.
//! - **After** a refusal (401, or `EXPIRED_TOKEN` whatever the status): the
//!   token that was refused is refreshed once, unless another task already
//!   replaced it; the request path then sends the request again, once.
//! - **Single flight**: refreshes take one lock, and whoever gets it checks
//!   again whether a refresh is still needed. Fifty tasks that find the token
//!   stale at once make one refresh request; the other forty-nine wait for it
//!   and use its token.
//! - A refresh runs in its own task holding the lock: if the caller that
//!   started it is cancelled, it still finishes, stores the new token set and
//!   hands it to the callback, so a token set the server issued is never lost.
//! - **Callback**: every new token set goes to it, in order (under the lock),
//!   before any request uses it.
//! - A refused refresh token ends the session: this and every later call fail
//!   with [`Error::SignInRequired`] without a request. A failure that may pass
//!   (network, 5xx) fails the call and keeps the session.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use edlink_model::TokenSet;
use edlink_model::auth::TokenRequest;

use crate::endpoint::TokenAuth;
use crate::sso::SsoApp;
use crate::{Client, Error};

/// The default refresh margin: a token expiring within 5 minutes is refreshed
/// before it is used (capped at half the token's lifetime).
///
/// ```
/// assert_eq!(edlink_client::DEFAULT_REFRESH_MARGIN.as_secs(), 300);
/// ```
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// A refresh in flight.
type RefreshFuture = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'static>>;

/// Called with every new token set of a session.
pub(crate) type OnRefresh = Arc<dyn Fn(&TokenSet) + Send + Sync>;

/// The token set in use, and what it is built into.
struct Current {
    tokens: TokenSet,
    /// `Bearer <access token>` (or why it cannot be sent).
    auth: Result<Arc<TokenAuth>, &'static str>,
    /// Bumped by every refresh: a request remembers the generation it sent,
    /// so a refusal refreshes only the token that was refused.
    generation: u64,
    /// Why the session ended (a refused refresh token), if it did.
    ended: Option<&'static str>,
}

/// What a request sends: the token's header, and the generation it belongs to.
pub(crate) struct Lease {
    pub(crate) auth: Arc<TokenAuth>,
    pub(crate) generation: u64,
}

/// One signed-in person's session (inside a [`User`](crate::User)).
pub(crate) struct Session {
    client: Client,
    app: Arc<SsoApp>,
    current: Mutex<Current>,
    /// Held while a refresh is decided and made (by the refresh task).
    refresh_lock: Arc<tokio::sync::Mutex<()>>,
    on_refresh: Option<OnRefresh>,
    margin: Duration,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.lock();
        f.debug_struct("Session")
            .field("client_id", &self.app.client_id)
            .field("tokens", &current.tokens)
            .field("generation", &current.generation)
            .field("ended", &current.ended)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

/// Why a refresh is being considered.
#[derive(Clone, Copy)]
enum Trigger {
    /// The token expires within the margin (checked again under the lock).
    Expiring,
    /// The server refused the token of this generation.
    Refused(u64),
}

const NO_REFRESH_TOKEN: &str = "the token set has no refresh token";
const REFUSED: &str = "Edlink refused the refresh token";

impl Session {
    pub(crate) fn new(
        client: Client,
        app: Arc<SsoApp>,
        tokens: TokenSet,
        on_refresh: Option<OnRefresh>,
        margin: Duration,
    ) -> Self {
        let auth = TokenAuth::new(tokens.access_token().clone());
        Self {
            client,
            app,
            current: Mutex::new(Current {
                tokens,
                auth,
                generation: 0,
                ended: None,
            }),
            refresh_lock: Arc::new(tokio::sync::Mutex::new(())),
            on_refresh,
            margin,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Current> {
        // A panic while holding it leaves a consistent value (every write is
        // one assignment), so a poisoned lock is still usable.
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The token set in use.
    pub(crate) fn tokens(&self) -> TokenSet {
        self.lock().tokens.clone()
    }

    /// The token to send now: the current one, refreshed first when it
    /// expires within the margin.
    pub(crate) async fn lease(self: &Arc<Self>) -> Result<Lease, Error> {
        if let Some(lease) = self.fresh_lease()? {
            return Ok(lease);
        }
        self.refresh(Trigger::Expiring).await?;
        // Whatever the refresh gave is used, even if it were already close to
        // expiry: one refresh per request at most.
        self.lease_now()
    }

    /// After the server refused the token of `generation`: makes sure a newer
    /// one is in place (refreshing, unless another task already did).
    pub(crate) async fn renew_after_refusal(
        self: &Arc<Self>,
        generation: u64,
    ) -> Result<(), Error> {
        self.refresh(Trigger::Refused(generation)).await
    }

    /// Refreshes now, whatever the expiry says; gives the new token set.
    pub(crate) async fn force_refresh(self: &Arc<Self>) -> Result<TokenSet, Error> {
        let generation = self.lock().generation;
        self.refresh(Trigger::Refused(generation)).await?;
        Ok(self.tokens())
    }

    fn ended(reason: &'static str) -> Error {
        Error::SignInRequired {
            reason,
            source: None,
        }
    }

    fn lease_of(current: &Current) -> Result<Lease, Error> {
        if let Some(reason) = current.ended {
            return Err(Self::ended(reason));
        }
        match &current.auth {
            Ok(auth) => Ok(Lease {
                auth: Arc::clone(auth),
                generation: current.generation,
            }),
            Err(why) => Err(Error::invalid(*why)),
        }
    }

    fn lease_now(&self) -> Result<Lease, Error> {
        Self::lease_of(&self.lock())
    }

    /// The current token when it needs no refresh; `None` when it does.
    fn fresh_lease(&self) -> Result<Option<Lease>, Error> {
        let current = self.lock();
        if current.ended.is_none() && self.needs_refresh(&current) {
            return Ok(None);
        }
        Self::lease_of(&current).map(Some)
    }

    /// Whether the token must be refreshed before use: it expires within the
    /// margin. A set without a refresh token cannot be refreshed, so its token
    /// is used until it has actually expired.
    fn needs_refresh(&self, current: &Current) -> bool {
        let now = self.app.clock.now();
        if current.tokens.refresh_token().is_none() {
            return current.tokens.is_expired(now);
        }
        current.tokens.needs_refresh(now, self.margin)
    }

    /// Whether `trigger` still calls for a refresh (asked under the lock).
    fn still_needed(&self, current: &Current, trigger: Trigger) -> bool {
        match trigger {
            Trigger::Expiring => self.needs_refresh(current),
            Trigger::Refused(generation) => current.generation == generation,
        }
    }

    /// The single flight: one refresh at a time, made only if still needed
    /// once the lock is held.
    ///
    /// A boxed future of a declared `Send` type: the refresh request goes
    /// through the request path, which may come back here, and the compiler
    /// cannot see through that cycle of `async fn`s.
    fn refresh(self: &Arc<Self>, trigger: Trigger) -> RefreshFuture {
        let session = Arc::clone(self);
        Box::pin(async move {
            let guard = Arc::clone(&session.refresh_lock).lock_owned().await;
            {
                let current = session.lock();
                if let Some(reason) = current.ended {
                    return Err(Self::ended(reason));
                }
                if !session.still_needed(&current, trigger) {
                    return Ok(());
                }
            }
            // Its own task, holding the lock: a cancelled caller neither
            // loses the new token set nor lets a second refresh start
            // meanwhile.
            let task = tokio::spawn(async move {
                let result = session.refresh_now().await;
                drop(guard);
                result
            });
            match task.await {
                Ok(result) => result,
                Err(join) => Err(Error::invalid(format!(
                    "the token refresh task did not finish ({join})"
                ))),
            }
        })
    }

    /// Makes the refresh request and stores its answer.
    async fn refresh_now(&self) -> Result<(), Error> {
        let (tokens, refresh_token) = {
            let current = self.lock();
            (
                current.tokens.clone(),
                current.tokens.refresh_token().cloned(),
            )
        };
        let Some(refresh_token) = refresh_token else {
            self.lock().ended = Some(NO_REFRESH_TOKEN);
            tracing::warn!(
                "the Edlink session has no refresh token; the person must sign in again"
            );
            return Err(Self::ended(NO_REFRESH_TOKEN));
        };
        let request = TokenRequest::refresh(
            self.app.client_id.clone(),
            self.app.client_secret.clone(),
            refresh_token,
        );
        let now = self.app.clock.now();
        let replaced = Some(tokens.access_token());
        let response = match crate::sso::token_request(&self.client, &request, replaced).await {
            Ok(response) => response,
            Err(err) if is_refusal(&err) => {
                self.lock().ended = Some(REFUSED);
                tracing::warn!(
                    status = err.status().unwrap_or(0),
                    "Edlink refused the refresh token; the person must sign in again"
                );
                return Err(Error::SignInRequired {
                    reason: REFUSED,
                    source: Some(Box::new(err)),
                });
            }
            Err(err) => return Err(err),
        };
        let next = tokens.refreshed(response, now);
        {
            let mut current = self.lock();
            current.auth = TokenAuth::new(next.access_token().clone());
            current.tokens = next.clone();
            current.generation += 1;
        }
        tracing::debug!("refreshed the Edlink session's access token");
        if let Some(on_refresh) = &self.on_refresh {
            on_refresh(&next);
        }
        Ok(())
    }
}

/// Whether the token endpoint's answer refuses the refresh token itself (a
/// final 4xx other than 408 and 429), rather than failing in a way that may
/// pass.
pub(crate) fn is_refusal(err: &Error) -> bool {
    matches!(
        err,
        Error::Api { .. } | Error::Authentication { .. } | Error::Decode { .. }
    ) && err
        .status()
        .is_some_and(|s| (400..500).contains(&s) && s != 408 && s != 429)
}
