//! The Graph rows: `GET /api/v2/graph/people` of one district, timed and
//! measured like the integrations (raw, floor, typed, sdk; peak memory at a
//! mark and at the end), against a mock child generating one district
//! (`__mock --people STUDENTS`).

use std::path::Path;

use tokio::runtime::Runtime;

use super::listing::Listing;
use super::mock::MockProcess;
use super::report::{Results, thousands};
use super::timing::{self, Variant};
use super::{PAGES, rss};

/// People per student in a generated district (students, one teacher per
/// 15, guardians about 0.85 per student, a few administrators and staff:
/// docs/mock.md gives 191,906 people for 100,000 students).
const PEOPLE_PER_100_STUDENTS: usize = 192;
/// The memory district is this many times the timed one.
const MEMORY_FACTOR: usize = 5;

/// Students for a district of about `people` people.
pub(crate) fn students_for(people: usize) -> usize {
    (people * 100 / PEOPLE_PER_100_STUDENTS).max(1)
}

/// Times the people listing of a district of about `people` people at each
/// page size, then measures the peak memory of a district `MEMORY_FACTOR`
/// times larger, into `results`.
pub(crate) fn run(
    exe: &Path,
    runtime: &Runtime,
    people: usize,
    runs: usize,
    results: &mut Results,
) -> Result<(), String> {
    let students = students_for(people);
    let mock = MockProcess::spawn_people(exe, students)?;
    let (n, token) = mock.people().ok_or("the Graph mock has no people")?;
    let listing = Listing::people(token);
    eprintln!(
        "bench: Graph district of {} students, {} people, up at {} ({:.1} s to generate)",
        thousands(students as u64),
        thousands(n as u64),
        mock.url(),
        mock.generated_s()
    );
    results.graph_items = n;
    for page in PAGES {
        eprintln!("bench: timing Graph people raw / floor / typed / sdk at page size {page}");
        results.graph_timings.extend(timing::measure(
            runtime,
            &mock,
            &listing,
            &Variant::GRAPH,
            n,
            page,
            runs,
        )?);
    }
    mock.stop()?;

    let big = MockProcess::spawn_people(exe, students * MEMORY_FACTOR)?;
    let (big_n, big_token) = big.people().ok_or("the Graph mock has no people")?;
    let big_listing = Listing::people(big_token);
    eprintln!(
        "bench: peak RSS over {} Graph people (mock generated in {:.1} s)",
        thousands(big_n as u64),
        big.generated_s()
    );
    for page in PAGES {
        let mark = rss::mark(n, page, big_n);
        results.rss.push(rss::measure_median(
            exe,
            big.url(),
            &big_listing,
            big_n,
            page,
            mark,
        )?);
    }
    big.stop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_as_many_people_as_asked() {
        assert_eq!(students_for(192_000), 100_000);
        assert_eq!(students_for(1), 1);
    }
}
