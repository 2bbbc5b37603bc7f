//! An in-memory, deterministic fake of one district's Graph data and events
//! feed, implementing [`Source`]: for the engine's tests, benchmarks, and
//! for testing code built on this crate without a network.
//!
//! A [`FakeWorld`] is seeded (same seed, same district, on every machine),
//! changes by [`FakeWorld::mutate`] (creates, updates and deletes with their
//! events), keeps events for a number of steps, and can fail on purpose.
//! [`FakeWorld::dump`] writes its state in the export format, so a mirror
//! can be compared with it byte for byte.
//!
//! ```
//! use edlink_sync::fake::{FakeWorld, WorldSize};
//!
//! let world = FakeWorld::seeded(42, WorldSize::tiny());
//! let before = world.dump(uuid::Uuid::nil());
//! world.mutate(10);
//! assert_ne!(world.dump(uuid::Uuid::nil()), before);
//! ```

mod generate;
mod world;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use edlink_model::RawJson;
use uuid::Uuid;

use crate::{EventPage, ObjectPage, ResourceKind, Source, SourceError, SourceFactory};

use world::World;
pub use world::WorldSize;

/// A shared handle on one fake district; clones see the same state.
///
/// ```
/// use edlink_sync::fake::{FakeWorld, WorldSize};
///
/// let world = FakeWorld::seeded(1, WorldSize::tiny());
/// let n = world.object_count();
/// assert!(n > 20, "{n}");
/// assert!(world.event_count() > 0);
/// ```
#[derive(Debug, Clone)]
pub struct FakeWorld(Arc<Mutex<World>>);

impl FakeWorld {
    /// A district of `size`, generated from `seed`, with three events
    /// already in its feed.
    pub fn seeded(seed: u64, size: WorldSize) -> Self {
        Self(Arc::new(Mutex::new(World::seeded(seed, size))))
    }

    /// The district of `seed` after `steps` calls of `mutate(per_step)`,
    /// keeping the events of the last `retention_steps` steps (all with
    /// `None`). The same arguments give the same world in any process.
    ///
    /// ```
    /// use edlink_sync::fake::{FakeWorld, WorldSize};
    ///
    /// let a = FakeWorld::at_step(5, WorldSize::tiny(), 3, 4, None);
    /// let b = FakeWorld::at_step(5, WorldSize::tiny(), 3, 4, None);
    /// assert_eq!(a.dump(uuid::Uuid::nil()), b.dump(uuid::Uuid::nil()));
    /// ```
    pub fn at_step(
        seed: u64,
        size: WorldSize,
        steps: u64,
        per_step: usize,
        retention_steps: Option<u64>,
    ) -> Self {
        let world = Self::seeded(seed, size);
        world.set_retention(retention_steps);
        for _ in 0..steps {
            world.mutate(per_step);
        }
        world
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies `n` random changes (one step), each with its event(s), then
    /// drops events older than the retention.
    pub fn mutate(&self, n: usize) {
        self.lock().mutate(n);
    }

    /// Keeps the events of the last `steps` steps (`None`: all, the default).
    pub fn set_retention(&self, steps: Option<u64>) {
        let mut w = self.lock();
        w.retention_steps = steps;
        w.apply_retention();
    }

    /// Drops every event: any `$after` becomes
    /// [`SourceError::EventsAgedOut`].
    ///
    /// ```
    /// use edlink_sync::fake::{FakeWorld, WorldSize};
    ///
    /// let world = FakeWorld::seeded(1, WorldSize::tiny());
    /// world.expire_all_events();
    /// assert_eq!(world.event_count(), 0);
    /// ```
    pub fn expire_all_events(&self) {
        self.lock().expire_all_events();
    }

    /// Every `n`-th source call fails with [`SourceError::Transient`]
    /// (`None`: never).
    pub fn fail_every(&self, n: Option<u64>) {
        self.lock().faults.fail_every = n.filter(|n| *n > 0);
    }

    /// Every source call fails with [`SourceError::Unusable`] (a revoked
    /// token), or works again.
    pub fn set_revoked(&self, revoked: bool) {
        self.lock().faults.revoked = revoked;
    }

    /// Every source call waits this long first (`None`: no wait).
    pub fn set_delay(&self, delay: Option<Duration>) {
        self.lock().faults.delay = delay;
    }

    /// Every `calls`-th source call first applies `mutate(n)`: the district
    /// changes while a sync reads it (`None`: never).
    pub fn mutate_every(&self, every: Option<(u64, usize)>) {
        self.lock().faults.mutate_every = every.filter(|(c, _)| *c > 0);
    }

    /// The state in the export format ([`crate::export_line`], masked), as
    /// `integration`: what a mirror of it must export, byte for byte.
    pub fn dump(&self, integration: Uuid) -> String {
        self.lock().dump(integration)
    }

    /// Objects in the district.
    pub fn object_count(&self) -> usize {
        self.lock().object_count()
    }

    /// Events in the feed (after retention).
    pub fn event_count(&self) -> usize {
        self.lock().event_count()
    }

    /// Source calls made so far.
    pub fn calls(&self) -> u64 {
        self.lock().faults.calls
    }

    /// Counts a call and applies the faults; the delay to wait, or the
    /// failure.
    fn call(&self) -> Result<Option<Duration>, SourceError> {
        let mut w = self.lock();
        w.faults.calls += 1;
        let n = w.faults.calls;
        if w.faults.revoked {
            return Err(SourceError::unusable("the integration's token was revoked"));
        }
        if let Some((every, count)) = w.faults.mutate_every {
            if n % every == 0 {
                w.mutate(count);
            }
        }
        if w.faults.fail_every.is_some_and(|every| n % every == 0) {
            return Err(SourceError::transient(format!(
                "injected failure on call {n}"
            )));
        }
        Ok(w.faults.delay)
    }
}

/// A [`Source`] reading a [`FakeWorld`].
///
/// ```
/// use edlink_sync::fake::{FakeSource, FakeWorld, WorldSize};
/// use edlink_sync::{ResourceKind, Source};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), edlink_sync::SourceError> {
/// let source = FakeSource::new(FakeWorld::seeded(1, WorldSize::tiny()));
/// let page = source.list(ResourceKind::Districts, None, 10).await?;
/// assert_eq!(page.items.len(), 1);
/// assert!(!page.has_more);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct FakeSource {
    world: FakeWorld,
}

impl FakeSource {
    /// A source over `world`.
    pub fn new(world: FakeWorld) -> Self {
        Self { world }
    }

    async fn enter(&self) -> Result<(), SourceError> {
        if let Some(delay) = self.world.call()? {
            tokio::time::sleep(delay).await;
        }
        Ok(())
    }
}

fn raw(items: Vec<String>) -> Result<Vec<RawJson>, SourceError> {
    items
        .into_iter()
        .map(|t| RawJson::from_text(t).map_err(SourceError::failed))
        .collect()
}

impl Source for FakeSource {
    async fn list(
        &self,
        resource: ResourceKind,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<ObjectPage, SourceError> {
        self.enter().await?;
        let (items, more) = self.world.lock().list(resource, after, limit as usize);
        Ok(ObjectPage::new(raw(items)?, more))
    }

    async fn newest_event(&self) -> Result<Option<Uuid>, SourceError> {
        self.enter().await?;
        Ok(self.world.lock().newest_event())
    }

    async fn events(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<crate::EventPage, SourceError> {
        self.enter().await?;
        match self.world.lock().events_after(after, limit as usize) {
            Ok((events, more)) => Ok(EventPage::new(events, more)),
            Err(true) => Err(SourceError::EventsAgedOut {
                after: after.unwrap_or_default(),
                source: Some("INVALID_AFTER: the event is older than the retention period".into()),
            }),
            Err(false) => Err(SourceError::failed(format!(
                "no event {} in this feed",
                after.unwrap_or_default()
            ))),
        }
    }
}

/// A [`SourceFactory`] over several fake districts, with revocable
/// integrations.
///
/// ```
/// use edlink_sync::fake::{FakeFactory, FakeWorld, WorldSize};
///
/// let factory = FakeFactory::new();
/// factory.insert(uuid::Uuid::from_u128(1), FakeWorld::seeded(1, WorldSize::tiny()));
/// assert!(factory.world(uuid::Uuid::from_u128(1)).is_some());
/// ```
#[derive(Debug, Default)]
pub struct FakeFactory {
    worlds: Mutex<HashMap<Uuid, FakeWorld>>,
    revoked: Mutex<HashSet<Uuid>>,
}

impl FakeFactory {
    /// No integrations.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) an integration.
    pub fn insert(&self, integration: Uuid, world: FakeWorld) {
        self.worlds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(integration, world);
    }

    /// The world of an integration.
    pub fn world(&self, integration: Uuid) -> Option<FakeWorld> {
        self.worlds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&integration)
            .cloned()
    }

    /// Makes an integration unusable: opening it fails with
    /// [`SourceError::Unusable`] (as a disabled integration would).
    pub fn revoke(&self, integration: Uuid) {
        self.revoked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(integration);
    }
}

impl SourceFactory for FakeFactory {
    type Source = FakeSource;

    async fn open(&self, integration: Uuid) -> Result<FakeSource, SourceError> {
        if self
            .revoked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&integration)
        {
            return Err(SourceError::unusable(format!(
                "integration {integration} is disabled"
            )));
        }
        self.world(integration).map(FakeSource::new).ok_or_else(|| {
            SourceError::unusable(format!(
                "integration {integration} is not shared with this application"
            ))
        })
    }
}
