//! The faults of a soak run.

use std::time::Duration;

use edlink_mock::{Collection, Fault, FaultPlan, FaultRate, MockServer, RetryAfter, Route};

/// The code of the warning that marks the request whose cursor is expired on
/// purpose (see [`expire_next_cursor`]).
pub(crate) const EXPIRY_MARK: &str = "SOAK_EXPIRED_CURSOR";

/// A share `rate` of the listing requests fail, drawn from a seeded mix:
/// 429 with `Retry-After` 0 or 1 s (or none), 502 and 503 HTML pages, a 503
/// with JSON `$errors`, a connection closed mid-body, one dropped before the
/// answer, a truncated JSON body, and answers (headers, or the rest of the
/// body) late past the client's request timeout. Faults named in `exclude`
/// ([`Fault::name`]) are left out.
pub(crate) fn faults(
    rate: f64,
    seed: u64,
    request_timeout: Duration,
    exclude: &[String],
) -> FaultPlan {
    let mut mix = mix(request_timeout);
    mix.retain(|f| !exclude.contains(&f.name()));
    FaultPlan::new().rate(
        FaultRate::new(rate, seed)
            .mix(mix)
            .target(Route::List(Collection::Integrations)),
    )
}

/// Fails for a name that is not in the mix.
pub(crate) fn check_names(names: &[String]) -> Result<(), String> {
    let mut known: Vec<String> = mix(Duration::ZERO).iter().map(Fault::name).collect();
    known.dedup();
    match names.iter().find(|n| !known.contains(n)) {
        Some(n) => Err(format!(
            "--exclude: no fault {n:?} in the mix ({})",
            known.join(", ")
        )),
        None => Ok(()),
    }
}

fn mix(request_timeout: Duration) -> Vec<Fault> {
    let late = request_timeout + Duration::from_millis(300);
    vec![
        Fault::RateLimited(Some(RetryAfter::Seconds(0))),
        Fault::RateLimited(Some(RetryAfter::Seconds(1))),
        Fault::RateLimited(None),
        Fault::ProxyPage(502),
        Fault::ProxyPage(503),
        Fault::Status(503),
        Fault::CloseMidBody,
        Fault::DropConnection,
        Fault::TruncatedBody,
        Fault::Delay(late),
        Fault::StallBody(late),
    ]
}

/// The client is sequential: its next request is the mock's next one. That
/// request is answered `400 INVALID_CURSOR` (it carries the `$cursor` of the
/// page just served), and, so that no random fault replaces the answer and
/// hides the expiry, it is given a fault that only adds a warning.
pub(crate) fn expire_next_cursor(server: &MockServer) {
    let next = server.request_count() + 1;
    server.expire_cursor_on_request(next);
    server.faults().on_request(
        next,
        Fault::Warning {
            code: EXPIRY_MARK.to_owned(),
            message: "the soak run expired this cursor on purpose".to_owned(),
        },
    );
}
