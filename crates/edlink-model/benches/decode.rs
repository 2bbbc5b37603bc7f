//! Typed decode of a 10,000-integration page vs decoding the same bytes into
//! `serde_json::Value`, and the hand-written `Timestamp` parser vs `time`'s
//! RFC 3339 parser. Plain timing loops, median of several runs.
//!
//! `CARGO_TARGET_DIR=/work/target-model cargo bench -p edlink-model --bench decode`
//!
//! `… --bench decode -- --once VARIANT FILE` decodes the body in FILE once and
//! exits: the handle for instruction counts (`valgrind --tool=callgrind` on
//! the bench binary; see docs/performance.md). VARIANT is `typed`
//! (`decode_response::<Vec<Integration>>`), `people` (`Vec<Person>`),
//! `serde` and `serde-people` (the same types through `serde_json::from_str`
//! alone, as `decode_response` decoded before its fast path), `ignored` (the
//! floor's `IgnoredAny` scan) or `load` (reading the file only).
// A benchmark is a program that panics when its setup is wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use edlink_model::{Envelope, Integration, Person, Timestamp, decode_response};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

const INTEGRATIONS: usize = 10_000;
const RUNS: usize = 15;

const STATUSES: [&str; 5] = ["active", "inactive", "disabled", "paused", "requested"];

/// The seed sample, 10,000 times, with distinct ids and varied values.
fn page() -> Vec<u8> {
    let seed: Value =
        serde_json::from_str(include_str!("../../../fixtures/integrations/list.json")).unwrap();
    let seed = &seed["$data"][0];
    let mut data = Vec::with_capacity(INTEGRATIONS);
    for i in 0..INTEGRATIONS {
        let n = i as u128;
        let id = |k: u128| uuid::Uuid::from_u128((k << 64) | n).to_string();
        let mut v = seed.clone();
        v["id"] = json!(id(1));
        v["status"] = json!(STATUSES[i % STATUSES.len()]);
        v["scope"] = json!(if i % 3 == 0 { "selected" } else { "all" });
        let day = 1 + i % 28;
        let ms = i % 1000;
        v["created_date"] = json!(format!("2020-02-{day:02}T19:26:00.{ms:03}Z"));
        v["updated_date"] = if i % 10 == 0 {
            json!(format!(
                "2021-07-{day:02}T18:24:51.{:06}+00:00",
                i * 7 % 1_000_000
            ))
        } else {
            json!(format!("2023-11-{day:02}T20:23:16.{ms:03}Z"))
        };
        v["permissions"] = json!(
            (0..1 + i % 5)
                .map(|k| id(10 + k as u128))
                .collect::<Vec<_>>()
        );
        v["targets"] = json!((0..i % 3).map(|k| id(20 + k as u128)).collect::<Vec<_>>());
        v["access_token"] = json!(format!("HZ4MR8NyjdPiP9g8l6gKXT5K{i:08}"));
        v["source"]["id"] = json!(id(2));
        v["source"]["name"] = json!(format!("District {i} Canvas"));
        v["source"]["created_date"] = json!(format!("2020-01-{day:02}T17:20:06.{ms:03}Z"));
        v["source"]["updated_date"] = json!(format!("2020-03-{day:02}T17:20:06.{ms:03}Z"));
        v["source"]["import_interval"] = json!(3600 * (1 + i % 24));
        v["team"]["id"] = json!(id(3));
        v["team"]["name"] = json!(format!("District {i}"));
        v["team"]["zip"] = json!(format!("{:05}", i * 13 % 100_000));
        if i % 4 == 0 {
            v["district_sharing"] = json!("rules");
            v["developer_sharing"] = json!("all");
            v["district_licensing_enabled"] = json!(false);
            v["region_id"] = json!(id(4));
            v["lti_consumer_key"] = json!(format!("key-{i}"));
        }
        data.push(v);
    }
    serde_json::to_vec(&json!({ "$data": data, "$request": "r" })).unwrap()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time_it(mut f: impl FnMut()) -> Duration {
    f(); // warm up
    median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

/// `--once VARIANT FILE`: one decode of FILE, nothing else.
fn once(variant: &str, file: &str) {
    #[derive(serde::Deserialize)]
    struct Floor {
        #[serde(rename = "$data")]
        data: Vec<serde::de::IgnoredAny>,
    }
    let body = std::fs::read(file).unwrap();
    let text = std::str::from_utf8(&body).unwrap();
    let n = match variant {
        "load" => body.len(),
        "ignored" => serde_json::from_str::<Floor>(text).unwrap().data.len(),
        "typed" => decode_response::<Vec<Integration>>(200, None, &body)
            .unwrap()
            .data
            .len(),
        "people" => decode_response::<Vec<Person>>(200, None, &body)
            .unwrap()
            .data
            .len(),
        "serde" => serde_json::from_str::<Envelope<Vec<Integration>>>(text)
            .unwrap()
            .data
            .map_or(0, |d| d.len()),
        "serde-people" => serde_json::from_str::<Envelope<Vec<Person>>>(text)
            .unwrap()
            .data
            .map_or(0, |d| d.len()),
        other => {
            panic!("unknown variant {other}: typed, people, serde, serde-people, ignored, load")
        }
    };
    println!("{variant}: {n}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--once") {
        match (args.get(at + 1), args.get(at + 2)) {
            (Some(variant), Some(file)) => return once(variant, file),
            _ => panic!("usage: --once VARIANT FILE"),
        }
    }
    let body = page();
    let typed = decode_response::<Vec<Integration>>(200, Some("application/json"), &body).unwrap();
    assert_eq!(typed.data.len(), INTEGRATIONS);

    let t_typed = time_it(|| {
        let r =
            decode_response::<Vec<Integration>>(200, Some("application/json"), black_box(&body));
        black_box(r.unwrap());
    });
    let t_value = time_it(|| {
        black_box(serde_json::from_slice::<Value>(black_box(&body)).unwrap());
    });
    println!(
        "page: {INTEGRATIONS} integrations, {:.1} MB; median of {RUNS} runs",
        body.len() as f64 / 1e6
    );
    println!(
        "typed  decode_response::<Vec<Integration>>: {:>8.2?}  {:>7.1} MB/s",
        t_typed,
        mb_per_s(body.len(), t_typed)
    );
    println!(
        "untyped serde_json::from_slice::<Value>:     {:>8.2?}  {:>7.1} MB/s",
        t_value,
        mb_per_s(body.len(), t_value)
    );
    println!(
        "ratio typed/Value: {:.2} (target <= 1.0)",
        t_typed.as_secs_f64() / t_value.as_secs_f64()
    );

    let t_ser = time_it(|| {
        black_box(serde_json::to_vec(black_box(&typed.data)).unwrap());
    });
    println!(
        "typed serialize back:                        {:>8.2?}  {:>7.1} MB/s",
        t_ser,
        mb_per_s(body.len(), t_ser)
    );

    // The Timestamp parser against `time`'s RFC 3339 parser, same inputs.
    let dates: Vec<String> = (0..100_000)
        .map(|i| match i % 3 {
            0 => format!("2020-02-{:02}T19:26:00.{:03}Z", 1 + i % 28, i % 1000),
            1 => format!("2021-07-13T18:24:51.{:06}+00:00", i % 1_000_000),
            _ => format!("2020-06-30T{:02}:00:00-05:00", i % 24),
        })
        .collect();
    // Interleaved runs, fastest of each: the least disturbed by other load.
    let (mut ours, mut theirs) = (Duration::MAX, Duration::MAX);
    for _ in 0..RUNS * 2 {
        let start = Instant::now();
        for d in &dates {
            black_box(black_box(d.as_str()).parse::<Timestamp>().unwrap());
        }
        ours = ours.min(start.elapsed());
        let start = Instant::now();
        for d in &dates {
            black_box(time::OffsetDateTime::parse(black_box(d.as_str()), &Rfc3339).unwrap());
        }
        theirs = theirs.min(start.elapsed());
    }
    println!(
        "100k dates (fastest of {} runs): Timestamp::from_str {:>8.2?}, time Rfc3339 {:>8.2?}; time/ours = {:.2}",
        RUNS * 2,
        ours,
        theirs,
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
}
