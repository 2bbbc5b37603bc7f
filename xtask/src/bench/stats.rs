//! Median, minimum and maximum of a few timings.

/// A summary of repeated measurements.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Summary {
    pub(crate) median: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) count: usize,
}

/// The median (mean of the two middle values for an even count), min and max;
/// `None` for no samples.
pub(crate) fn summarize(samples: &[f64]) -> Option<Summary> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    Some(Summary {
        median,
        min: sorted[0],
        max: sorted[n - 1],
        count: n,
    })
}

/// `a / b`, or NaN when `b` is zero.
pub(crate) fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 { f64::NAN } else { a / b }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_and_even_counts() {
        let s = summarize(&[3.0, 1.0, 2.0]);
        assert_eq!(s.map(|s| (s.median, s.min, s.max)), Some((2.0, 1.0, 3.0)));
        let s = summarize(&[4.0, 1.0, 3.0, 2.0]);
        assert_eq!(s.map(|s| s.median), Some(2.5));
        assert_eq!(summarize(&[]), None);
        assert!(ratio(1.0, 0.0).is_nan());
    }
}
