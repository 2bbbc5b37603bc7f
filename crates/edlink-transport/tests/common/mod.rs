//! Local servers for the transport tests: real hyper servers, raw TCP servers
//! that misbehave on purpose, and a TLS server with a self-signed certificate.
//! Everything listens on 127.0.0.1 port 0.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

pub mod proxy;

/// A running test server.
pub struct Server {
    pub addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
}

impl Server {
    /// `http://127.0.0.1:PORT{path}`.
    pub fn http_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `https://localhost:PORT{path}` (the test certificate is for `localhost`).
    pub fn https_url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.addr.port())
    }

    /// How many TCP connections the server accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

pub type Handler = fn(http::Request<Incoming>) -> http::Response<Full<Bytes>>;

async fn listen() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (listener, addr)
}

async fn serve_hyper<S>(io: S, handler: Handler)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| async move { Ok::<_, Infallible>(handler(request)) });
    let _ = auto::Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(io), service)
        .await;
}

/// A hyper server (HTTP/1.1) answering every request with `handler`.
pub async fn http_server(handler: Handler) -> Server {
    let (listener, addr) = listen().await;
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve_hyper(tcp, handler));
        }
    });
    Server { addr, accepted }
}

/// A self-signed certificate for `localhost`: (certificate PEM, certificate DER, server config).
pub struct TestCert {
    pub pem: String,
    pub der: Vec<u8>,
    config: Arc<rustls::ServerConfig>,
}

pub fn localhost_cert() -> TestCert {
    cert_for("localhost")
}

/// A self-signed certificate for `name`.
pub fn cert_for(name: &str) -> TestCert {
    let certified = rcgen::generate_simple_self_signed(vec![name.to_owned()]).unwrap();
    let der = certified.cert.der().to_vec();
    let key = pki_types::PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![pki_types::CertificateDer::from(der.clone())],
            key.into(),
        )
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    TestCert {
        pem: certified.cert.pem(),
        der,
        config: Arc::new(config),
    }
}

/// A hyper server (HTTP/1.1 or HTTP/2 by ALPN) behind TLS with `cert`.
pub async fn https_server(cert: &TestCert, handler: Handler) -> Server {
    let (listener, addr) = listen().await;
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let acceptor = TlsAcceptor::from(cert.config.clone());
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake.
                if let Ok(tls) = acceptor.accept(tcp).await {
                    serve_hyper(tls, handler).await;
                }
            });
        }
    });
    Server { addr, accepted }
}

/// A raw TCP server: each connection's request head is read, then `respond`
/// does whatever it likes with the socket.
pub async fn raw_server<F, Fut>(respond: F) -> Server
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (listener, addr) = listen().await;
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        loop {
            let (mut tcp, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            let respond = respond.clone();
            tokio::spawn(async move {
                read_request_head(&mut tcp).await;
                respond(tcp).await;
            });
        }
    });
    Server { addr, accepted }
}

/// A TCP server that accepts connections and never reads or writes a byte.
pub async fn silent_server() -> Server {
    let (listener, addr) = listen().await;
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            held.push(tcp);
        }
    });
    Server { addr, accepted }
}

/// Reads until the end of the request head (bodies are not used in these tests).
async fn read_request_head(tcp: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match tcp.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
}

/// The address of a port nobody listens on (bound, then released).
pub async fn closed_port() -> SocketAddr {
    let (listener, addr) = listen().await;
    drop(listener);
    addr
}

/// `err` and its causes through `source()`, joined by ": ", the way error
/// reporters (anyhow's `{:#}`, eyre, the CLI) print a chain.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    std::iter::successors(Some(err), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

/// Asserts that `needle` (a cause's own text) is printed exactly once when
/// `err`'s whole chain is printed: a `Display` must not repeat its `source()`.
pub fn assert_printed_once(err: &(dyn std::error::Error + 'static), needle: &str) {
    assert!(!needle.is_empty());
    let printed = error_chain(err);
    assert_eq!(
        printed.matches(needle).count(),
        1,
        "{needle:?} should appear exactly once in: {printed}"
    );
}

/// The innermost cause's own text.
pub fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    std::iter::successors(Some(err), |e| e.source())
        .last()
        .map(ToString::to_string)
        .unwrap()
}

/// The first `io::Error` in `err`'s chain.
pub fn io_cause<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    std::iter::successors(Some(err), |e| e.source()).find_map(|e| e.downcast_ref())
}
