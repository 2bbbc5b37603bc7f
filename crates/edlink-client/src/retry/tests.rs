use super::*;

const LOTS: Duration = Duration::from_secs(3_600);

fn status(status: u16) -> Failure {
    Failure::Status {
        status,
        retry_after: None,
    }
}

fn hinted(status: u16, secs: u64) -> Failure {
    Failure::Status {
        status,
        retry_after: Some(Duration::from_secs(secs)),
    }
}

#[test]
fn retryable_statuses_and_the_rest() {
    let policy = RetryPolicy::default();
    for code in [408, 429, 500, 502, 503, 504] {
        assert!(
            matches!(
                decide(&policy, status(code), 1, Replay::Safe, LOTS, 0.5),
                Decision::Retry(_)
            ),
            "{code}"
        );
    }
    for code in [200, 301, 400, 401, 403, 404, 409, 422, 501, 505, 599] {
        assert_eq!(
            decide(&policy, status(code), 1, Replay::Safe, LOTS, 0.5),
            Decision::Stop,
            "{code}"
        );
    }
}

#[test]
fn transport_kinds() {
    use TransportErrorKind as K;
    let policy = RetryPolicy::default();
    for kind in [K::Connect, K::Timeout, K::Io] {
        assert!(matches!(
            decide(
                &policy,
                Failure::Transport(kind),
                1,
                Replay::Safe,
                LOTS,
                0.5
            ),
            Decision::Retry(_)
        ));
    }
    for kind in [K::Tls, K::BodyTooLarge, K::InvalidRequest, K::Other] {
        assert_eq!(
            decide(
                &policy,
                Failure::Transport(kind),
                1,
                Replay::Safe,
                LOTS,
                0.5
            ),
            Decision::Stop,
            "{kind:?}"
        );
    }
}

#[test]
fn a_truncated_body_is_retried_like_a_broken_connection() {
    let policy = RetryPolicy::default();
    assert!(matches!(
        decide(&policy, Failure::TruncatedBody, 1, Replay::Safe, LOTS, 0.5),
        Decision::Retry(_)
    ));
    assert_eq!(
        decide(&policy, Failure::TruncatedBody, 3, Replay::Safe, LOTS, 0.5),
        Decision::Stop
    );
}

#[test]
fn attempts_are_capped_and_non_idempotent_never_retried() {
    let policy = RetryPolicy::default();
    assert!(matches!(
        decide(&policy, status(503), 2, Replay::Safe, LOTS, 0.0),
        Decision::Retry(_)
    ));
    assert_eq!(
        decide(&policy, status(503), 3, Replay::Safe, LOTS, 0.0),
        Decision::Stop
    );
    // Not idempotent: only a failure before anything was sent is retried.
    assert_eq!(
        decide(&policy, status(503), 1, Replay::UnsentOnly, LOTS, 0.0),
        Decision::Stop
    );
    for sent in [TransportErrorKind::Io, TransportErrorKind::Timeout] {
        assert_eq!(
            decide(
                &policy,
                Failure::Transport(sent),
                1,
                Replay::UnsentOnly,
                LOTS,
                0.0
            ),
            Decision::Stop
        );
    }
    assert_eq!(
        decide(
            &policy,
            Failure::TruncatedBody,
            1,
            Replay::UnsentOnly,
            LOTS,
            0.0
        ),
        Decision::Stop
    );
    assert!(matches!(
        decide(
            &policy,
            Failure::Transport(TransportErrorKind::Connect),
            1,
            Replay::UnsentOnly,
            LOTS,
            0.0
        ),
        Decision::Retry(_)
    ));
    let disabled = RetryPolicy::disabled();
    assert_eq!(
        decide(&disabled, status(503), 1, Replay::Safe, LOTS, 0.0),
        Decision::Stop
    );
}

#[test]
fn full_jitter_bounds_hold_for_every_sample() {
    let policy = RetryPolicy::default();
    let mut jitter = Jitter::new();
    for attempt in 1..=2 {
        let ceiling = policy.backoff_ceiling(attempt);
        for _ in 0..10_000 {
            let unit = jitter.unit();
            assert!((0.0..1.0).contains(&unit));
            match decide(&policy, status(500), attempt, Replay::Safe, LOTS, unit) {
                Decision::Retry(wait) => assert!(wait <= ceiling, "{wait:?} > {ceiling:?}"),
                other => panic!("{other:?}"),
            }
        }
    }
    // The edges of the injected sample give the edges of the range.
    assert_eq!(
        decide(&policy, status(500), 1, Replay::Safe, LOTS, 0.0),
        Decision::Retry(Duration::ZERO)
    );
    assert_eq!(
        decide(&policy, status(500), 2, Replay::Safe, LOTS, 1.0),
        Decision::Retry(Duration::from_secs(1))
    );
}

#[test]
fn ceiling_doubles_then_caps() {
    let policy = RetryPolicy::default().max_attempts(100);
    let expected = [500, 1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000];
    for (i, ms) in expected.iter().enumerate() {
        assert_eq!(
            policy.backoff_ceiling(i as u32 + 1),
            Duration::from_millis(*ms)
        );
    }
    assert_eq!(policy.backoff_ceiling(u32::MAX), Duration::from_secs(20));
    assert_eq!(policy.backoff_ceiling(0), Duration::from_millis(500));
}

#[test]
fn jitter_samples_spread_over_the_range() {
    let mut jitter = Jitter::new();
    let samples: Vec<f64> = (0..1_000).map(|_| jitter.unit()).collect();
    let low = samples.iter().filter(|u| **u < 0.5).count();
    assert!((350..650).contains(&low), "{low} of 1000 below 0.5");
}

#[test]
fn retry_after_is_a_floor_on_the_wait() {
    let policy = RetryPolicy::default();
    assert_eq!(
        decide(&policy, hinted(429, 7), 1, Replay::Safe, LOTS, 0.0),
        Decision::Retry(Duration::from_secs(7))
    );
    // A backoff longer than the hint wins.
    let slow = RetryPolicy::default()
        .base_delay(Duration::from_secs(30))
        .max_delay(Duration::from_secs(30));
    assert_eq!(
        decide(&slow, hinted(503, 2), 1, Replay::Safe, LOTS, 0.5),
        Decision::Retry(Duration::from_secs(15))
    );
    assert_eq!(
        decide(&policy, hinted(429, 0), 1, Replay::Safe, LOTS, 0.0),
        Decision::Retry(Duration::ZERO)
    );
}

#[test]
fn a_hint_over_the_cap_or_the_deadline_is_not_waited() {
    let policy = RetryPolicy::default();
    assert_eq!(
        decide(&policy, hinted(429, 61), 1, Replay::Safe, LOTS, 0.0),
        Decision::RateLimited(Duration::from_secs(61))
    );
    assert!(matches!(
        decide(&policy, hinted(429, 60), 1, Replay::Safe, LOTS, 0.0),
        Decision::Retry(_)
    ));
    assert_eq!(
        decide(
            &policy,
            hinted(503, 30),
            1,
            Replay::Safe,
            Duration::from_secs(10),
            0.0
        ),
        Decision::RateLimited(Duration::from_secs(30))
    );
    // Out of attempts: the status's own error, not a rate limit.
    assert_eq!(
        decide(&policy, hinted(429, 600), 3, Replay::Safe, LOTS, 0.0),
        Decision::Stop
    );
    // A hint on a status that is not retried changes nothing.
    assert_eq!(
        decide(&policy, hinted(400, 5), 1, Replay::Safe, LOTS, 0.0),
        Decision::Stop
    );
}

#[test]
fn a_backoff_past_the_deadline_stops() {
    let policy = RetryPolicy::default();
    assert_eq!(
        decide(
            &policy,
            status(503),
            2,
            Replay::Safe,
            Duration::from_millis(100),
            0.99
        ),
        Decision::Stop
    );
}
