//! `cargo xtask soak --sync [--quick] [--integrations N] [--students S]
//! [--fault-rate R] [--seed S] [--kills K]`: the sync engine against a mock
//! that changes while it syncs and fails a share of the requests.
//!
//! The mock runs in this process (on its own thread) and outlives every
//! worker; a thread here mutates each district one step every few
//! milliseconds. The sync worker is a child process (`xtask soak
//! __sync-worker`, see [`worker`]) that syncs every readable integration into
//! a SQLite file; it is killed with SIGKILL and restarted: once during the
//! full read, once during incremental sync, once during the full sync that
//! follows an aged-out checkpoint (forced with the mock's
//! `age_out_events`), then during incremental sync again for any further
//! kill. Each kill is checked in the store: a full read left unfinished, or
//! every checkpoint incremental and the pass unfinished. The last worker
//! finishes every full sync and runs three incremental passes while the
//! districts change; then mutation stops, it runs a last pass, and the
//! store's export must equal the concatenation
//! of the mock's dumps byte for byte. The last line is
//! `sync-soak: entities=N matched=N mismatched=0 kills=K faults=F full_syncs=S elapsed_s=T`.

mod child;
mod compare;
mod kills;
mod scenario;
pub(crate) mod worker;

const USAGE: &str = "usage: cargo xtask soak --sync [--quick] [--integrations N] [--students S] [--fault-rate R] [--seed S] [--kills K]";

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Options {
    /// Readable (active or paused) integrations, each with a district.
    integrations: usize,
    /// Students per district.
    students: usize,
    fault_rate: f64,
    seed: u64,
    /// SIGKILLs: at least 2 (the full read, incremental sync); the third
    /// lands in the fallback full sync, the others in incremental sync.
    kills: usize,
    /// Objects per page of the full read.
    page_size: u32,
    /// Milliseconds between two mutation rounds (one step per district).
    mutate_ms: u64,
    /// How long any one wait for a worker may take.
    limit_s: u64,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let quick = args.iter().any(|a| a == "--quick");
        let mut o = if quick {
            Options {
                integrations: 2,
                students: 300,
                fault_rate: 0.10,
                seed: 42,
                kills: 3,
                page_size: 40,
                mutate_ms: 5,
                limit_s: 120,
            }
        } else {
            Options {
                integrations: 4,
                students: 2_000,
                fault_rate: 0.10,
                seed: 42,
                kills: 4,
                page_size: 100,
                mutate_ms: 5,
                limit_s: 600,
            }
        };
        let mut args = args.iter().filter(|a| *a != "--quick");
        while let Some(arg) = args.next() {
            let v = args
                .next()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
            let bad = || format!("{arg} {v:?}: not a valid value\n{USAGE}");
            let n = || v.replace('_', "").parse::<u64>().map_err(|_| bad());
            match arg.as_str() {
                "--integrations" => o.integrations = n()?.clamp(1, 50) as usize,
                "--students" => o.students = n()?.clamp(10, 100_000) as usize,
                "--seed" => o.seed = n()?,
                "--kills" => {
                    o.kills = n()? as usize;
                    if !(2..=20).contains(&o.kills) {
                        return Err(format!("--kills {v}: expected 2 to 20"));
                    }
                }
                "--fault-rate" => {
                    o.fault_rate = match v.parse::<f64>() {
                        Ok(r) if (0.0..=0.5).contains(&r) => r,
                        _ => return Err(format!("--fault-rate {v:?}: expected 0 to 0.5")),
                    };
                }
                _ => return Err(format!("unknown option {arg:?}\n{USAGE}")),
            }
        }
        Ok(o)
    }
}

/// `cargo xtask soak --sync …` (the `--sync` already removed).
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    scenario::run(&options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(&args.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn options() {
        let o = parse(&[]).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((o.integrations, o.students, o.kills), (4, 2_000, 4));
        let o = parse(&["--quick", "--seed", "7"]).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((o.integrations, o.students, o.seed), (2, 300, 7));
        let o = parse(&["--integrations", "3", "--students", "1_000", "--kills", "2"]);
        let o = o.unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((o.integrations, o.students, o.kills), (3, 1_000, 2));
        assert!(parse(&["--kills", "1"]).is_err());
        assert!(parse(&["--fault-rate", "0.9"]).is_err());
        assert!(parse(&["--students"]).is_err());
        assert!(parse(&["--what", "1"]).is_err());
    }
}
