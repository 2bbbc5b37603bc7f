//! `edlink-mock`: run the fake Edlink server from the command line.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use edlink_mock::{FaultRate, GraphSize, MockServer};

/// A fake Edlink API server (v1 meta endpoints and the v2 Graph API) with paging, errors and
/// fault injection.
#[derive(Debug, Parser)]
#[command(name = "edlink-mock", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// How many integrations to generate.
    #[arg(long, default_value_t = 1_000)]
    integrations: usize,
    /// Seed of the generated data, the request ids and the fault draws.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The application secret key the integrations routes want as `Bearer`.
    #[arg(long, default_value = "test-key", env = "EDLINK_MOCK_SECRET_KEY")]
    secret_key: String,
    /// Probability (0..=1) that a request gets a transient fault (429, 5xx, delay, cut body).
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Never send `$next` (old v1 behaviour: clients page with `$after`).
    #[arg(long)]
    no_next: bool,
    /// Page size when a request gives neither `$first` nor `$last`.
    #[arg(long, default_value_t = edlink_mock::SERVER_DEFAULT_PAGE_SIZE)]
    page_size: usize,
    /// Cursors older than this many seconds are refused with INVALID_CURSOR.
    #[arg(long)]
    cursor_ttl: Option<u64>,
    /// Students in the district behind each integration (generated on its first Graph request).
    #[arg(long, default_value_t = GraphSize::default().students)]
    students: usize,
    /// Schools per district.
    #[arg(long, default_value_t = GraphSize::default().schools)]
    schools: usize,
    /// Teachers per district (default: one per 15 students).
    #[arg(long)]
    teachers: Option<usize>,
    /// Classes each teacher teaches.
    #[arg(long, default_value_t = GraphSize::default().classes_per_teacher)]
    classes_per_teacher: usize,
    /// Classes each student is enrolled in.
    #[arg(long, default_value_t = GraphSize::default().classes_per_student)]
    classes_per_student: usize,
    /// Every MS milliseconds, each district generated so far takes one mutation step
    /// (creates, updates or deletes objects and appends the matching events).
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(1..))]
    mutate_every: Option<u64>,
    /// Events older than this many seconds leave the events feed (default: 30 days).
    #[arg(long, value_name = "SECS")]
    event_retention: Option<u64>,
    /// Never answer with `Content-Encoding: gzip`, even when the request accepts it.
    #[arg(long)]
    no_gzip: bool,
    /// Milliseconds every answer waits before its headers (a shaped link's time to first byte).
    #[arg(long, default_value = "0", value_parser = millis)]
    first_byte_ms: Duration,
    /// Microseconds more per item of a list page, before the headers (a server building it).
    #[arg(long, default_value = "0", value_parser = micros)]
    per_item_us: Duration,
    /// Send each response body at this many megabits per second at most (0: no limit).
    #[arg(long, default_value_t = 0.0, value_parser = non_negative)]
    bandwidth_mbit: f64,
}

/// A finite number, zero or more.
fn non_negative(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("{text:?} is not a number of zero or more")),
    }
}

/// A duration given in units of `unit` seconds.
fn duration(text: &str, unit: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(non_negative(text)? * unit)
        .map_err(|_| format!("{text:?} is too long a time"))
}

fn millis(text: &str) -> Result<Duration, String> {
    duration(text, 1e-3)
}

fn micros(text: &str) -> Result<Duration, String> {
    duration(text, 1e-6)
}

impl Args {
    fn graph_size(&self) -> GraphSize {
        let size = GraphSize::default()
            .students(self.students)
            .schools(self.schools)
            .classes_per_teacher(self.classes_per_teacher)
            .classes_per_student(self.classes_per_student);
        match self.teachers {
            Some(n) => size.teachers(n),
            None => size,
        }
    }
}

async fn run(args: Args) -> std::io::Result<()> {
    let mut builder = MockServer::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .graph_size(args.graph_size())
        .generated(args.integrations, args.seed)
        .seed(args.seed)
        .secret_key(args.secret_key)
        .no_next(args.no_next)
        .page_size_default(args.page_size);
    builder = builder
        .gzip(!args.no_gzip)
        .latency(args.first_byte_ms, args.per_item_us)
        // Megabits (10^6 bits) to bytes.
        .bandwidth((args.bandwidth_mbit * 125_000.0).round() as u64);
    if let Some(secs) = args.cursor_ttl {
        builder = builder.cursor_ttl(Duration::from_secs(secs));
    }
    if let Some(ms) = args.mutate_every {
        builder = builder.mutate_every(Duration::from_millis(ms));
    }
    if let Some(secs) = args.event_retention {
        builder = builder.event_retention(Duration::from_secs(secs));
    }
    if args.fault_rate > 0.0 {
        builder = builder.fault_rate(FaultRate::new(args.fault_rate.min(1.0), args.seed));
    }
    let server = builder.start().await?;
    // Install the handlers before announcing the URL, so a stop request right after the
    // first line is never missed.
    let stop = stop_signal()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", server.base_url())?;
        out.flush()?;
    }
    stop.await;
    eprintln!(
        "stopping: requests={} connections={} faults={}",
        server.request_count(),
        server.connections_accepted(),
        server.faults_injected()
    );
    server.shutdown().await;
    Ok(())
}

/// Resolves on Ctrl-C / SIGINT (and SIGTERM on Unix). The handlers exist once this returns.
#[cfg(unix)]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("edlink-mock: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn shaping_flags_parse_into_durations() {
        let args = Args::try_parse_from([
            "edlink-mock",
            "--first-byte-ms",
            "20",
            "--per-item-us",
            "20",
            "--bandwidth-mbit",
            "100",
            "--no-gzip",
        ])
        .unwrap();
        assert_eq!(args.first_byte_ms, Duration::from_millis(20));
        assert_eq!(args.per_item_us, Duration::from_micros(20));
        assert_eq!(args.bandwidth_mbit, 100.0);
        assert!(args.no_gzip);
        let defaults = Args::try_parse_from(["edlink-mock"]).unwrap();
        assert_eq!(defaults.first_byte_ms, Duration::ZERO);
        assert!(!defaults.no_gzip);
        for bad in ["-1", "NaN", "inf", "1e300", "soon"] {
            let err = Args::try_parse_from(["edlink-mock", "--first-byte-ms", bad]).unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
    }
}
