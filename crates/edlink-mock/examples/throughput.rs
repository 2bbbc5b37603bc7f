//! How fast the mock serves pages of 1,000 integrations, with the server on one thread.
//!
//! ```text
//! CARGO_TARGET_DIR=/work/target-mock cargo run --release -p edlink-mock --example throughput -- [SECONDS] [CONNECTIONS]
//! ```
//!
//! The server runs on a current-thread runtime on its own OS thread (one core,
//! `start_background`); the client
//! runs on another thread, keeps its connections alive, and only counts body bytes.

use std::time::{Duration, Instant};

use bytes::Bytes;
use edlink_mock::{MockServer, Resource};
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

const ITEMS: usize = 25_000;
const PAGE: usize = 1_000;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One keep-alive connection fetching `urls` round-robin until `deadline`; (requests, bytes).
async fn client(
    addr: std::net::SocketAddr,
    urls: Vec<String>,
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
            .header("authorization", "Bearer test-key")
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

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let connections: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);

    let started = Instant::now();
    let server = MockServer::builder()
        .generated(ITEMS, 1)
        .log_capacity(0)
        .start_background()?;
    let setup = started.elapsed();
    let (addr, ids) = (server.addr(), server.integration_ids());
    let path = Resource::Integrations.path();
    let mut urls = vec![format!("{path}?$first={PAGE}")];
    urls.extend(
        ids.iter()
            .skip(PAGE - 1)
            .step_by(PAGE)
            .take(ITEMS / PAGE - 1)
            .map(|id| format!("{path}?$first={PAGE}&$after={id}")),
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let (requests, bytes) = rt.block_on(async {
        let tasks: Vec<_> = (0..connections)
            .map(|_| tokio::spawn(client(addr, urls.clone(), deadline)))
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
    server.shutdown_blocking();
    println!(
        "data set: {ITEMS} integrations generated and serialized in {:.0} ms",
        setup.as_secs_f64() * 1e3
    );
    println!(
        "connections: {connections}, page size: {PAGE}, average page: {:.0} KiB",
        bytes as f64 / requests.max(1) as f64 / 1024.0
    );
    println!(
        "{requests} pages in {elapsed:.2} s: {:.0} requests/s, {:.0} MB/s, {:.0} items/s",
        requests as f64 / elapsed,
        bytes as f64 / elapsed / 1e6,
        (requests as f64 * PAGE as f64) / elapsed
    );
    Ok(())
}
