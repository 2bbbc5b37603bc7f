//! `--mutate-every`: one mutation step for every generated district, on a timer.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::MissedTickBehavior;

use crate::state::State;

/// Steps every generated district once per `every`, until `stop` changes (or its sender is
/// gone). Districts nobody asked for stay ungenerated and unchanged.
pub(crate) async fn run(state: Arc<State>, every: Duration, mut stop: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(every.max(Duration::from_millis(1)));
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    // The first tick is immediate: the first step comes one period after the start.
    ticks.tick().await;
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => break,
        }
        let state = Arc::clone(&state);
        // Steps are CPU work: off the runtime's threads, so requests keep flowing.
        let _ = tokio::task::spawn_blocking(move || {
            for id in state.graph.generated() {
                state.graph.mutate(&state.data, id, 1);
            }
        })
        .await;
    }
}
