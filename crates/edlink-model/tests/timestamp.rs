//! `Timestamp`: every RFC 3339 form in, Edlink's form out.
// Helpers outside `#[test]` functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use edlink_model::Timestamp;
use time::macros::datetime;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn edlink_form_round_trips_byte_for_byte() {
    for s in [
        "2020-02-14T19:26:00.188Z",
        "2021-07-05T14:48:00.000Z",
        "1970-01-01T00:00:00.000Z",
        "0000-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999Z",
        "2024-02-29T12:00:00.001Z",
        "2020-03-02T07:36:30.86103Z",
        "2021-07-13T18:24:51.657262Z",
        "2021-07-13T18:24:51.123456789Z",
    ] {
        assert_eq!(ts(s).to_string(), s);
        assert_eq!(serde_json::to_string(&ts(s)).unwrap(), format!("\"{s}\""));
    }
}

#[test]
fn other_forms_keep_the_instant_and_precision() {
    let cases = [
        (
            "2020-03-02T07:36:30.86103+00:00",
            "2020-03-02T07:36:30.86103Z",
        ),
        (
            "2021-07-13T18:24:51.657262+00:00",
            "2021-07-13T18:24:51.657262Z",
        ),
        ("2020-06-30T00:00:00+00:00", "2020-06-30T00:00:00.000Z"),
        ("2020-06-30T00:00:00Z", "2020-06-30T00:00:00.000Z"),
        ("2020-06-30t00:00:00.5z", "2020-06-30T00:00:00.500Z"),
        (
            "2020-06-30T00:00:00.1234-05:00",
            "2020-06-30T05:00:00.1234Z",
        ),
        ("2020-01-01T01:00:00+05:30", "2019-12-31T19:30:00.000Z"),
        ("2020-06-30T00:00:00.000-00:00", "2020-06-30T00:00:00.000Z"),
        (
            "2020-12-31T23:59:59.999999999-23:59",
            "2021-01-01T23:58:59.999999999Z",
        ),
        ("2020-06-30T00:00:00.120Z", "2020-06-30T00:00:00.120Z"),
        ("2020-06-30T00:00:00.1200Z", "2020-06-30T00:00:00.1200Z"),
    ];
    for (input, output) in cases {
        let t = ts(input);
        assert_eq!(t.to_string(), output, "{input}");
        // The written form reads back as the same instant and form.
        assert_eq!(ts(output), t);
        assert_eq!(ts(output).to_string(), output);
    }
}

#[test]
fn equality_order_and_hash_are_by_instant() {
    use std::collections::HashSet;
    let a = ts("2020-02-14T19:26:00.188Z");
    let b = ts("2020-02-14T14:26:00.18800-05:00");
    assert_eq!(a, b);
    assert_ne!(a.fractional_digits(), b.fractional_digits());
    assert_eq!(HashSet::from([a, b]).len(), 1);
    assert!(ts("2020-02-14T19:26:00.189Z") > a);
    assert!(ts("2020-02-14T20:26:00.000+01:00") < ts("2020-02-14T19:26:00.001Z"));
}

#[test]
fn conversions() {
    let t = ts("2020-02-14T19:26:00.188Z");
    assert_eq!(
        t.as_offset_date_time(),
        datetime!(2020-02-14 19:26:00.188 UTC)
    );
    let from: Timestamp = datetime!(2020-02-14 14:26:00.188 -5).into();
    assert_eq!(from.to_string(), "2020-02-14T19:26:00.188Z");
    assert_eq!(from.fractional_digits(), 3);
    let micro: Timestamp = datetime!(2020-02-14 19:26:00.000001 UTC).into();
    assert_eq!(micro.to_string(), "2020-02-14T19:26:00.000001Z");
    let back: time::OffsetDateTime = micro.into();
    assert_eq!(back, datetime!(2020-02-14 19:26:00.000001 UTC));
    assert_eq!(Timestamp::now().fractional_digits(), 3);
}

#[test]
fn bad_inputs_are_errors_that_name_the_value() {
    let cases = [
        ("2020-13-01T00:00:00Z", "month"),
        ("2020-02-30T00:00:00Z", "no such day"),
        ("2021-02-29T00:00:00Z", "no such day"),
        ("2020-02-14T19:26:00.188", "no time zone"),
        ("2020-02-14T19:26:00", "no time zone"),
        ("2020-02-14", "time is missing"),
        ("2020-02-14 19:26:00Z", "separated by T"),
        ("garbage", "year"),
        ("", "year"),
        ("2020-02-14T24:00:00Z", "out of range"),
        ("2020-02-14T23:60:00Z", "out of range"),
        ("2016-12-31T23:59:60Z", "leap second"),
        ("2020-02-14T19:26:00.Z", "no digit after the decimal point"),
        ("2020-02-14T19:26:00.1234567890Z", "more than 9"),
        ("2020-02-14T19:26:00+0500", "offset"),
        ("2020-02-14T19:26:00+24:00", "offset"),
        ("2020-02-14T19:26:00+05:60", "offset"),
        ("2020-02-14T19:26:00Z ", "after the time zone"),
        ("2020-02-14T19:26:00ZZ", "after the time zone"),
        ("+2020-02-14T19:26:00Z", "year"),
        ("20200-02-14T19:26:00Z", "YYYY-MM-DD"),
        ("2020-2-14T19:26:00Z", "YYYY-MM-DD"),
        ("0000-01-01T00:00:00+01:00", "outside the years"),
        ("9999-12-31T23:00:00-05:00", "outside the years"),
        ("2020-02-14T19:26:00.18８Z", "before the time zone"),
        ("２020-02-14T19:26:00Z", "year"),
    ];
    for (input, reason) in cases {
        let err = input.parse::<Timestamp>().expect_err(input);
        let msg = err.to_string();
        assert!(msg.contains(reason), "{input:?}: {msg}");
        assert!(
            msg.contains(&format!("{input:?}")),
            "{input:?}: the message must echo the value: {msg}"
        );
        assert!(
            msg.contains("2020-02-14T19:26:00.188Z"),
            "the message says what was expected: {msg}"
        );
    }
}

#[test]
fn serde_errors_echo_the_value_and_long_values_are_cut() {
    let err = serde_json::from_str::<Timestamp>(r#""2020-13-01T00:00:00Z""#).unwrap_err();
    assert!(
        err.to_string().contains("\"2020-13-01T00:00:00Z\""),
        "{err}"
    );
    let err = serde_json::from_str::<Timestamp>("1581708360").unwrap_err();
    assert!(err.to_string().contains("RFC 3339"), "{err}");
    let long = "9".repeat(10_000);
    let err = long.parse::<Timestamp>().unwrap_err();
    assert_eq!(err.value().len(), 64);
    assert!(err.to_string().len() < 300);
}

#[test]
fn the_hand_written_parser_agrees_with_time_rfc3339() {
    use time::format_description::well_known::Rfc3339;
    let inputs = [
        "2020-02-14T19:26:00.188Z",
        "2020-03-02T07:36:30.86103+00:00",
        "2020-06-30T00:00:00+00:00",
        "2020-06-30T00:00:00.1234-05:00",
        "1999-12-31T23:30:00.1+05:30",
        "2020-01-01T00:00:00.000000001z",
        "2020-12-31T23:59:59.999999999-23:59",
    ];
    for s in inputs {
        let theirs = time::OffsetDateTime::parse(s, &Rfc3339).unwrap();
        assert_eq!(ts(s).as_offset_date_time(), theirs, "{s}");
    }
}
