//! End to end: the real `HyperTransport` (the client's default) against
//! `edlink-mock` on `http://127.0.0.1`, with injected faults. No test touches
//! the internet. The scenarios are in `e2e/scenarios.rs`; tests/adapters.rs
//! runs the same ones through the reqwest and tower adapters.
#![cfg(feature = "hyper")]

#[path = "e2e/scenarios.rs"]
mod scenarios;

scenarios::scenario_tests!(scenarios::Backend::Hyper);
