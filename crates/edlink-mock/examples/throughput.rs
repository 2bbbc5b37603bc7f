//! How fast the mock serves pages of integrations, or of Graph people (1,000 per page by
//! default), with the server on one thread.
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-mock cargo run --release -p edlink-mock --example throughput -- [SECONDS] [CONNECTIONS] [PAGE_SIZE] [people:STUDENTS]
//! ```
//!
//! `people:100000` lists `/api/v2/graph/people` of a district of 100,000 students (and their
//! teachers, staff and guardians) instead of the 25,000 integrations.
//!
//! The server runs on a current-thread runtime on its own OS thread (one core,
//! `start_background`); the client
//! runs on another thread, keeps its connections alive, and only counts body bytes.

use std::time::{Duration, Instant};

use bytes::Bytes;
use edlink_mock::{Collection, MockServer};
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

const ITEMS: usize = 25_000;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One keep-alive connection fetching `urls` round-robin until `deadline`; (requests, bytes).
async fn client(
    addr: std::net::SocketAddr,
    urls: Vec<String>,
    authorization: String,
    deadline: Instant,
) -> Result<(u64, u64)> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let (mut requests, mut bytes) = (0u64, 0u64);
    for url in urls.iter().cycle() {
        if Instant::now() >= deadline {
            break;
        }
        let req = Request::get(url.as_str())
            .header("host", addr.to_string())
            .header("authorization", authorization.as_str())
            .body(Empty::<Bytes>::new())?;
        let mut body = sender.send_request(req).await?.into_body();
        while let Some(frame) = body.frame().await {
            if let Some(data) = frame?.data_ref() {
                bytes += data.len() as u64;
            }
        }
        requests += 1;
    }
    Ok((requests, bytes))
}

/// CPU seconds used so far by the thread named `edlink-mock` (Linux `/proc`; `None` elsewhere).
fn server_cpu_seconds() -> Option<f64> {
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let dir = task.ok()?.path();
        let comm = std::fs::read_to_string(dir.join("comm")).ok()?;
        if comm.trim() != "edlink-mock" {
            continue;
        }
        let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
        // Fields after the ")" that closes the name: state is field 3; utime, stime are 14, 15.
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        return Some((utime + stime) / 100.0); // USER_HZ is 100 on Linux
    }
    None
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let connections: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let page: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000)
        .clamp(1, 10_000);

    let students: Option<usize> = args
        .next()
        .and_then(|t| t.strip_prefix("people:").and_then(|n| n.parse().ok()));

    let started = Instant::now();
    let builder = MockServer::builder().log_capacity(0);
    let server = match students {
        Some(n) => builder.generated(20, 1).students(n),
        None => builder.generated(ITEMS, 1),
    }
    .start_background()?;
    let (collection, ids, authorization) = match students {
        Some(_) => {
            let id = server.integrations_with_status("active")[0];
            let token = server.access_token(id).ok_or("no access token")?;
            // Generate the district now, so the run measures serving only.
            let graph = server.graph(id).ok_or("no district")?;
            let ids = graph.ids(Collection::People);
            (Collection::People, ids, format!("Bearer {token}"))
        }
        None => (
            Collection::Integrations,
            server.integration_ids(),
            "Bearer test-key".to_owned(),
        ),
    };
    let setup = started.elapsed();
    let items = ids.len();
    let page = page.min(items.max(1));
    let addr = server.addr();
    let path = collection.path();
    let mut urls = vec![format!("{path}?$first={page}")];
    urls.extend(
        ids.iter()
            .skip(page - 1)
            .step_by(page)
            .take(items / page - 1)
            .map(|id| format!("{path}?$first={page}&$after={id}")),
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let cpu_before = server_cpu_seconds();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let (requests, bytes) = rt.block_on(async {
        let tasks: Vec<_> = (0..connections)
            .map(|_| tokio::spawn(client(addr, urls.clone(), authorization.clone(), deadline)))
            .collect();
        let (mut r, mut b) = (0, 0);
        for t in tasks {
            let (tr, tb) = t.await??;
            r += tr;
            b += tb;
        }
        Result::Ok((r, b))
    })?;
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = server_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    server.shutdown_blocking();
    println!(
        "data set: {items} {} generated and serialized in {:.0} ms",
        collection.name(),
        setup.as_secs_f64() * 1e3
    );
    println!(
        "connections: {connections}, page size: {page}, average page: {:.0} KiB",
        bytes as f64 / requests.max(1) as f64 / 1024.0
    );
    println!(
        "{requests} pages in {elapsed:.2} s: {:.0} requests/s, {:.0} MB/s, {:.0} items/s",
        requests as f64 / elapsed,
        bytes as f64 / elapsed / 1e6,
        (requests as f64 * page as f64) / elapsed
    );
    if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
        println!(
            "server thread used {cpu:.2} CPU-s ({:.0} % of one core): {:.0} requests and {:.0} MB per CPU-second",
            100.0 * cpu / elapsed,
            requests as f64 / cpu,
            bytes as f64 / cpu / 1e6
        );
    }
    Ok(())
}
