//! `cargo xtask bench`: the SDK's listing speed and memory against a
//! hand-written hyper client and the bare transfer cost, on `edlink-mock`.
//!
//! `cargo xtask` is a debug build; `bench` builds the release xtask and runs
//! it (`xtask bench __run …`), so everything measured is optimized. That
//! process orchestrates and is the client; the mock runs in child processes
//! (`__mock`), and so does each memory measurement (`__rss`). With
//! `--network`, the listing runs over a shaped link instead (`network/`).
//! See docs/performance.md.

mod concurrency;
mod floor;
mod graph;
pub(crate) mod heap;
mod listing;
mod markdown;
mod mock;
mod network;
mod prefetch;
mod procfs;
mod raw;
mod report;
mod rss;
mod sdk;
mod stats;
mod sync;
mod table;
mod timing;
mod typed;

use std::path::{Path, PathBuf};
use std::process::Command;

use mock::MockProcess;
use report::{Results, thousands};

const USAGE: &str =
    "usage: cargo xtask bench [--network | --sync] [--items N] [--runs K] [--quick] [--markdown]";
/// The page sizes timed.
const PAGES: [usize; 2] = [1_000, 10_000];

#[derive(Clone, Debug, PartialEq)]
struct Options {
    items: usize,
    runs: usize,
    quick: bool,
    markdown: bool,
    /// Over the shaped link (`network/`), with its own defaults.
    network: bool,
    /// A full sync into SQLite (`sync.rs`); `items` is the district's people.
    sync: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            items: 100_000,
            runs: 7,
            quick: false,
            markdown: false,
            network: false,
            sync: false,
        };
        let (mut items, mut runs) = (None, None);
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| -> Result<usize, String> {
                let value = args
                    .next()
                    .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?;
                match value.replace('_', "").parse::<usize>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err(format!(
                        "{name} {value:?}: expected a positive whole number"
                    )),
                }
            };
            match arg.as_str() {
                "--items" => items = Some(number("--items")?),
                "--runs" => runs = Some(number("--runs")?),
                "--quick" => options.quick = true,
                "--markdown" => options.markdown = true,
                "--network" => options.network = true,
                "--sync" => options.sync = true,
                other => return Err(format!("unknown option {other:?}\n{USAGE}")),
            }
        }
        if options.network && options.sync {
            return Err(format!("--network and --sync are two benchmarks\n{USAGE}"));
        }
        if options.network {
            (options.items, options.runs) = network::DEFAULTS;
        }
        if options.sync {
            (options.items, options.runs) = (sync::PEOPLE, 3);
        }
        if options.quick {
            (options.items, options.runs) = if options.network {
                network::QUICK
            } else if options.sync {
                (sync::QUICK_PEOPLE, 1)
            } else {
                (5_000, 3)
            };
        }
        options.items = items.unwrap_or(options.items);
        options.runs = runs.unwrap_or(options.runs);
        Ok(options)
    }

    /// Listings in all per concurrency level (a multiple of the most tasks).
    fn listings(&self) -> usize {
        if self.quick { 64 } else { 640 }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("__run") => return run_here(&args[1..]),
        Some("__mock") => return mock::serve(&args[1..]),
        Some("__rss") => return rss::child(&args[1..]),
        Some("__netmock") => return network::serve(&args[1..]),
        _ => {}
    }
    Options::parse(args)?;
    if !cfg!(debug_assertions) {
        return run_here(args);
    }
    // A debug build: build the release xtask and hand over to it.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("bench: building the release xtask (cargo build --release -p xtask)");
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("running cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build --release -p xtask failed ({status})"));
    }
    let exe = std::env::current_exe().map_err(|e| format!("finding this executable: {e}"))?;
    // <target>/debug/xtask -> <target>/release/xtask
    let release = exe
        .parent()
        .and_then(Path::parent)
        .map(|target| {
            target
                .join("release")
                .join(exe.file_name().unwrap_or_default())
        })
        .ok_or_else(|| format!("no target directory above {}", exe.display()))?;
    let status = Command::new(&release)
        .arg("bench")
        .arg("__run")
        .args(args)
        .status()
        .map_err(|e| format!("running {}: {e}", release.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the release benchmark failed ({status})"))
    }
}

/// The benchmark proper, in an optimized build.
fn run_here(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let exe = std::env::current_exe().map_err(|e| format!("finding this executable: {e}"))?;
    if options.network {
        return network::run(&exe, options.items, options.runs, options.markdown);
    }
    if options.sync {
        return sync::run(&exe, options.items, options.runs);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let n = options.items;
    let mut results = Results {
        items: n,
        runs: options.runs,
        ..Results::default()
    };
    let load_before = procfs::load_average();
    eprintln!(
        "bench: {} integrations, page sizes {PAGES:?}, {} runs",
        thousands(n as u64),
        options.runs
    );

    let mock = MockProcess::spawn(&exe, n)?;
    eprintln!(
        "bench: mock of {} items up at {} ({:.1} s to generate)",
        thousands(n as u64),
        mock.url(),
        mock.generated_s()
    );
    let integrations = listing::Listing::integrations();
    for page in PAGES {
        eprintln!("bench: timing raw / floor / typed / sdk / prefetch at page size {page}");
        results.timings.extend(timing::measure(
            &runtime,
            &mock,
            &integrations,
            &timing::Variant::ALL,
            n,
            page,
            options.runs,
        )?);
    }
    mock.stop()?;

    // Memory: one listing of 10 N, its peak read after the first N items (at
    // least 30 pages) and at the end (see rss.rs).
    let big = n * 10;
    let mock = MockProcess::spawn(&exe, big)?;
    eprintln!(
        "bench: peak RSS over {} items (mock generated in {:.1} s)",
        thousands(big as u64),
        mock.generated_s()
    );
    for page in PAGES {
        let mark = rss::mark(n, page, big);
        results.rss.push(rss::measure_median(
            &exe,
            mock.url(),
            &integrations,
            big,
            page,
            mark,
        )?);
    }
    mock.stop()?;

    // The Graph rows: about as many people as integrations.
    graph::run(&exe, &runtime, n, options.runs, &mut results)?;

    let mock = MockProcess::spawn(&exe, concurrency::ITEMS)?;
    eprintln!("bench: concurrency");
    results.concurrency = concurrency::measure(&runtime, mock.url(), options.listings(), 3)?;
    mock.stop()?;

    let load_after = procfs::load_average();
    results.context = vec![
        format!("machine: {}", procfs::machine()),
        format!("load average (1 min) before / after: {load_before:.2} / {load_after:.2}"),
        format!(
            "items: {}; timed runs per variant and page size: {} (after one warm-up round)",
            thousands(n as u64),
            options.runs
        ),
    ];
    let command = match (options.quick, n, options.runs) {
        (true, _, _) => "cargo xtask bench --quick --markdown".to_owned(),
        (false, 100_000, 7) => "cargo xtask bench --markdown".to_owned(),
        (false, n, runs) => format!("cargo xtask bench --items {n} --runs {runs} --markdown"),
    };
    if options.markdown {
        let generated = markdown::section(&results, &command);
        print!("{generated}");
        let path = workspace_root().join("docs/performance.md");
        markdown::write(&path, &generated)?;
        eprintln!("bench: wrote the generated section of {}", path.display());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(&args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn options() {
        assert_eq!(parse(&[]).map(|o| (o.items, o.runs)), Ok((100_000, 7)));
        assert_eq!(
            parse(&["--quick"]).map(|o| (o.items, o.runs)),
            Ok((5_000, 3))
        );
        assert_eq!(
            parse(&["--items", "20_000", "--quick", "--runs", "5"]).map(|o| (o.items, o.runs)),
            Ok((20_000, 5))
        );
        assert_eq!(
            parse(&["--network"]).map(|o| (o.network, o.items, o.runs)),
            Ok((true, network::DEFAULTS.0, network::DEFAULTS.1))
        );
        assert_eq!(
            parse(&["--network", "--quick"]).map(|o| (o.items, o.runs)),
            Ok(network::QUICK)
        );
        assert_eq!(
            parse(&["--sync"]).map(|o| (o.sync, o.items, o.runs)),
            Ok((true, sync::PEOPLE, 3))
        );
        assert_eq!(
            parse(&["--sync", "--quick"]).map(|o| (o.items, o.runs)),
            Ok((sync::QUICK_PEOPLE, 1))
        );
        assert!(parse(&["--sync", "--network"]).is_err());
        assert!(parse(&["--items"]).is_err());
        assert!(parse(&["--items", "0"]).is_err());
        assert!(parse(&["--nope"]).is_err());
    }
}
