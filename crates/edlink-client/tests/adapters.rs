//! The end-to-end scenarios of tests/e2e.rs, run through the transport
//! adapters against `edlink-mock`: `ReqwestTransport` over a
//! `reqwest::Client`, and `TowerTransport` over a hyper-util client under a
//! tower concurrency limit. Built only with features `reqwest` and `tower`:
//!
//! `cargo test -p edlink-client --features reqwest,tower --test adapters`

#[path = "e2e/scenarios.rs"]
mod scenarios;

mod reqwest_transport {
    crate::scenarios::scenario_tests!(crate::scenarios::Backend::Reqwest);
}

mod tower_transport {
    crate::scenarios::scenario_tests!(crate::scenarios::Backend::Tower);
}
