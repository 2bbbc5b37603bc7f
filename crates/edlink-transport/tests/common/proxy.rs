//! A CONNECT proxy written for the tests: it reads the CONNECT request,
//! checks `Proxy-Authorization`, dials the target, answers 200 and relays
//! both ways, recording what it saw (request heads, credentials, and every
//! byte the client sent through the tunnel).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does with each CONNECT.
#[derive(Clone)]
pub enum Behaviour {
    /// Checks `Proxy-Authorization` against `auth` (407 when it differs),
    /// dials `routes[target]` (or the target itself), answers 200, relays.
    Tunnel {
        auth: Option<String>,
        routes: HashMap<String, SocketAddr>,
    },
    /// Answers with this status line and closes.
    Refuse(&'static str),
    /// Closes without answering.
    HangUp,
}

/// What the proxy saw.
#[derive(Default, Clone)]
pub struct Seen {
    /// TCP connections accepted.
    pub connections: usize,
    /// Each request head, as text.
    pub heads: Vec<String>,
    /// Each request line (`CONNECT host:port HTTP/1.1`).
    pub request_lines: Vec<String>,
    /// Each request's `Proxy-Authorization`, if any.
    pub authorizations: Vec<Option<String>>,
    /// Every byte the client sent through a tunnel.
    pub relayed: Vec<u8>,
}

pub struct ConnectProxy {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
}

impl ConnectProxy {
    pub fn seen(&self) -> Seen {
        self.seen.lock().unwrap().clone()
    }

    /// `http://{userinfo@}127.0.0.1:PORT`.
    pub fn url(&self, userinfo: Option<&str>) -> String {
        match userinfo {
            Some(userinfo) => format!("http://{userinfo}@{}", self.addr),
            None => format!("http://{}", self.addr),
        }
    }
}

pub async fn start(behaviour: Behaviour) -> ConnectProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let recorder = seen.clone();
    tokio::spawn(async move {
        loop {
            let (client, _) = listener.accept().await.unwrap();
            recorder.lock().unwrap().connections += 1;
            tokio::spawn(serve(client, behaviour.clone(), recorder.clone()));
        }
    });
    ConnectProxy { addr, seen }
}

async fn serve(mut client: TcpStream, behaviour: Behaviour, seen: Arc<Mutex<Seen>>) {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        match client.read_u8().await {
            Ok(byte) => head.push(byte),
            Err(_) => return,
        }
    }
    let head = String::from_utf8(head).unwrap();
    let request_line = head.lines().next().unwrap_or_default().to_owned();
    let authorization = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_owned())
    });
    {
        let mut seen = seen.lock().unwrap();
        seen.heads.push(head.clone());
        seen.request_lines.push(request_line.clone());
        seen.authorizations.push(authorization.clone());
    }
    match behaviour {
        Behaviour::HangUp => {}
        Behaviour::Refuse(status) => {
            let answer = format!("{status}\r\ncontent-length: 0\r\n\r\n");
            let _ = client.write_all(answer.as_bytes()).await;
        }
        Behaviour::Tunnel { auth, routes } => {
            if auth.is_some() && authorization != auth {
                let answer = "HTTP/1.1 407 Proxy Authentication Required\r\n\
                              proxy-authenticate: Basic realm=\"test\"\r\n\
                              content-length: 0\r\n\r\n";
                let _ = client.write_all(answer.as_bytes()).await;
                return;
            }
            let target = request_line
                .split(' ')
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let server = match routes.get(&target) {
                Some(addr) => TcpStream::connect(addr).await,
                None => TcpStream::connect(&target).await,
            };
            let Ok(server) = server else {
                let _ = client
                    .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                    .await;
                return;
            };
            client
                .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .await
                .unwrap();
            relay(client, server, seen).await;
        }
    }
}

/// Copies both ways until either side closes, recording client-to-server bytes.
async fn relay(client: TcpStream, server: TcpStream, seen: Arc<Mutex<Seen>>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let upstream = async move {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    seen.lock().unwrap().relayed.extend_from_slice(&buf[..n]);
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            }
        }
        let _ = server_write.shutdown().await;
    };
    let downstream = async move {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    };
    tokio::join!(upstream, downstream);
}
