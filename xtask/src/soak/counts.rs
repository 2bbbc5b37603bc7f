//! What the mock's counters and request log say about a soak run, and the
//! pass/fail checks.

use std::collections::{BTreeMap, HashSet};

use edlink_mock::MockServer;

/// Counted on the mock's side.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    /// Requests that reached the mock.
    pub(crate) requests: u64,
    /// Pages the client decoded (its `on_page` hook).
    pub(crate) pages: u64,
    /// Faults the mock injected (its own counter), the expiry marker included.
    pub(crate) faults: u64,
    /// `400 INVALID_CURSOR` answers: each makes the client resume with `$after`.
    pub(crate) resumed: u64,
    /// Requests that were neither a page handed out nor a resume: retries.
    pub(crate) retries: u64,
    /// Injected faults by name.
    pub(crate) by_fault: BTreeMap<String, u64>,
}

impl Counts {
    pub(crate) fn read(server: &MockServer, pages: u64) -> Self {
        let requests = server.request_count();
        let log = server.requests();
        let resumed = log.iter().filter(|r| r.status == Some(400)).count() as u64;
        let mut by_fault = BTreeMap::new();
        for name in log.iter().filter_map(|r| r.fault.clone()) {
            *by_fault.entry(name).or_insert(0) += 1;
        }
        Self {
            requests,
            pages,
            faults: server.faults_injected(),
            resumed,
            retries: requests.saturating_sub(pages + resumed),
            by_fault,
        }
    }

    /// One line: requests, pages and the faults by name.
    pub(crate) fn breakdown(&self) -> String {
        let faults: Vec<String> = self
            .by_fault
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!(
            "soak: requests={} pages={} faults by kind: {}",
            self.requests,
            self.pages,
            if faults.is_empty() {
                "none".to_owned()
            } else {
                faults.join(" ")
            }
        )
    }
}

/// How many distinct ids.
pub(crate) fn unique(ids: &[String]) -> usize {
    ids.iter().collect::<HashSet<_>>().len()
}

/// Every id exactly once, in the mock's order, and the one expiry resumed.
pub(crate) fn check(got: &[String], expected: &[String], counts: &Counts) -> Result<(), String> {
    if unique(got) != got.len() {
        return Err(format!(
            "{} ids were handed out more than once",
            got.len() - unique(got)
        ));
    }
    if let Some(i) = got.iter().zip(expected).position(|(a, b)| a != b) {
        return Err(format!(
            "item {i} is {}, the mock's id there is {}",
            got[i], expected[i]
        ));
    }
    if got.len() != expected.len() {
        return Err(format!(
            "{} items, the mock holds {}",
            got.len(),
            expected.len()
        ));
    }
    if expected.len() > 1 && counts.resumed != 1 {
        return Err(format!(
            "expected exactly one expired cursor, the mock refused {}",
            counts.resumed
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn checks() {
        let one = Counts {
            resumed: 1,
            ..Counts::default()
        };
        let want = ids(&["a", "b", "c"]);
        assert_eq!(check(&want, &want, &one), Ok(()));
        assert!(check(&ids(&["a", "a", "b", "c"]), &want, &one).is_err());
        assert!(check(&ids(&["a", "c", "b"]), &want, &one).is_err());
        assert!(check(&ids(&["a", "b"]), &want, &one).is_err());
        assert!(check(&want, &want, &Counts::default()).is_err());
    }
}
