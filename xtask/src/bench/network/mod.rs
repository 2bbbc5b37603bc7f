//! `cargo xtask bench --network`: the listing over a shaped link, as against
//! a real server: a time to first byte of 20 ms plus 2 ms per 100 items (a
//! server building each page), 100 Mbit/s, gzip when asked. Fixed, so that
//! runs compare across machines: the link's times dominate.
//!
//! Compared in one run (each a listing of every integration, page size 1,000):
//! `floor` (the bare transfer: no gzip, one page at a time, no work per item),
//! `sdk` (the default client, typed items, a consumer that waits 20 µs per
//! item), and `sdk` with gzip off and with prefetch off. See
//! docs/performance.md ("Over a shaped link").

mod decode;
mod report;
mod timeline;
mod variants;
mod wire;

use std::path::Path;
use std::time::Duration;

use edlink_mock::MockServer;

use super::mock::{KEY, MockProcess, SEED, serve_until_stdin_closes};
use super::procfs;
use super::report::thousands;
use report::NetResults;
use variants::NetVariant;

/// `(items, runs)` of `--network`, and of `--network --quick`.
pub(crate) const DEFAULTS: (usize, usize) = (50_000, 5);
pub(crate) const QUICK: (usize, usize) = (5_000, 1);

/// The link: time to first byte, and more per item of a page.
pub(crate) const FIRST_BYTE: Duration = Duration::from_millis(20);
pub(crate) const PER_ITEM: Duration = Duration::from_micros(20);
/// 100 Mbit/s.
pub(crate) const BYTES_PER_SECOND: u64 = 12_500_000;
/// Items per page.
pub(crate) const PAGE: usize = 1_000;
/// What the sdk's consumer spends on each item (waiting, as on an async write).
pub(crate) const WORK_PER_ITEM: Duration = Duration::from_micros(20);

/// The markers of the generated section in docs/performance.md.
const START: &str = "<!-- bench-net:start -->";
const END: &str = "<!-- bench-net:end -->";

/// The hidden mode `__netmock --items N`: the mock on the shaped link, gzip on.
pub(crate) fn serve(args: &[String]) -> Result<(), String> {
    let items = match args {
        [flag, n] if flag == "--items" => n
            .parse::<usize>()
            .map_err(|e| format!("--items {n:?}: {e}"))?,
        _ => return Err("usage: xtask bench __netmock --items N".into()),
    };
    serve_until_stdin_closes(|| {
        MockServer::builder()
            .secret_key(KEY)
            .generated(items, SEED)
            .seed(SEED)
            .log_capacity(0)
            .latency(FIRST_BYTE, PER_ITEM)
            .bandwidth(BYTES_PER_SECOND)
    })
}

/// The benchmark proper (release build): `runs` timed rounds after one
/// warm-up round, over a mock of `items` integrations in a child process.
pub(crate) fn run(exe: &Path, items: usize, runs: usize, markdown: bool) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let load_before = procfs::load_average();
    let mock = MockProcess::start(exe, &["__netmock", "--items", &items.to_string()])?;
    eprintln!(
        "bench-net: mock of {} integrations up at {} ({:.1} s to generate); load {load_before:.2}",
        thousands(items as u64),
        mock.url(),
        mock.generated_s()
    );
    // Untimed, and it fills the mock's cache of compressed pages.
    eprintln!("bench-net: counting bytes on the wire, with and without gzip");
    let wire = runtime.block_on(wire::measure(mock.url(), PAGE))?;
    if wire.items != items {
        return Err(format!("wire: {} items, expected {items}", wire.items));
    }
    let mut results = NetResults::new(items, runs, wire);
    for round in 0..=runs {
        eprintln!(
            "bench-net: round {round} of {runs}{}",
            if round == 0 { " (warm-up)" } else { "" }
        );
        for variant in NetVariant::ALL {
            let run = runtime.block_on(variants::list_once(variant, mock.url()))?;
            if run.count != items {
                return Err(format!(
                    "{}: {} items, expected {items}",
                    variant.name(),
                    run.count
                ));
            }
            results.check_last_id(variant, run.last.as_deref())?;
            if round > 0 {
                results.record(variant, run.seconds, run.client_cpu_s);
            }
        }
    }
    eprintln!("bench-net: one more sdk listing through a transport that timestamps requests");
    results.timeline = runtime.block_on(timeline::measure(mock.url()))?;
    mock.stop()?;
    eprintln!("bench-net: decoding costs by page size (in this process)");
    results.decode = runtime.block_on(decode::measure())?;
    let load_after = procfs::load_average();
    results.context = vec![
        format!("machine: {}", procfs::machine()),
        format!("load average (1 min) before / after: {load_before:.2} / {load_after:.2}"),
        format!(
            "items: {}; page size {}; timed runs per variant: {runs} (after one warm-up round)",
            thousands(items as u64),
            thousands(PAGE as u64)
        ),
    ];
    if markdown {
        let command = match (items, runs) {
            (i, r) if (i, r) == DEFAULTS => "cargo xtask bench --network --markdown".to_owned(),
            (i, r) => format!("cargo xtask bench --network --items {i} --runs {r} --markdown"),
        };
        let generated = results.markdown(&command);
        print!("{generated}");
        let path = super::workspace_root().join("docs/performance.md");
        super::markdown::write_between(&path, START, END, &generated)?;
        eprintln!(
            "bench-net: wrote the generated section of {}",
            path.display()
        );
    } else {
        for line in &results.context {
            println!("{line}");
        }
        println!();
        for table in results.tables() {
            println!("{}", table.text());
        }
    }
    println!("{}", results.summary_line());
    Ok(())
}
