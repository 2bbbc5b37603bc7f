//! The loopback listener of `edlink login`: where Edlink's login page sends
//! the browser back (`http://127.0.0.1:PORT/callback?code=…&state=…`), as
//! `gh auth login` does. It serves HTTP/1 with hyper until the one callback
//! comes, answering the browser with a short page; anything else is a 404
//! (a browser also asks for `/favicon.ico`) and the wait goes on.

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use edlink_client::model::auth::RedirectError;
use edlink_client::model::{AuthorizationCode, LoginState};
use http::{Method, Request, Response, StatusCode, header};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// The path Edlink redirects to.
const CALLBACK_PATH: &str = "/callback";

/// How long one browser connection may take to send its request.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

const SIGNED_IN_PAGE: &str = "<!doctype html><meta charset=utf-8><title>edlink</title>\
<h1>Signed in with Edlink</h1><p>You can close this tab and return to the terminal.</p>";

/// Never reflects what the redirect carried: the terminal says what failed.
const FAILED_PAGE: &str = "<!doctype html><meta charset=utf-8><title>edlink</title>\
<h1>Sign-in did not complete</h1><p>The terminal says why.</p>";

/// What the callback brought: the code (its state checked), or why not.
pub type Outcome = Result<AuthorizationCode, RedirectError>;

/// A bound loopback listener, waiting for the callback.
#[derive(Debug)]
pub struct Listener {
    listener: TcpListener,
    port: u16,
}

impl Listener {
    /// Binds `127.0.0.1:port` (0: any free port). Only this machine can
    /// reach it: the code never crosses the network to the CLI.
    pub async fn bind(port: u16) -> io::Result<Self> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
        let port = listener.local_addr()?.port();
        Ok(Self { listener, port })
    }

    /// `http://127.0.0.1:PORT/callback`: the redirect URI of the login URL
    /// and of the code exchange (the very same string).
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Serves until the first `GET /callback`, checks its query against
    /// `state` (the library's check: state first, in constant time), answers
    /// the browser, and gives the outcome. `None` when `wait` passed first.
    pub async fn wait(self, state: LoginState, wait: Duration) -> io::Result<Option<Outcome>> {
        let (tx, mut rx) = mpsc::channel::<Outcome>(1);
        let state = Arc::new(state);
        let deadline = tokio::time::sleep(wait);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                outcome = rx.recv() => return Ok(outcome),
                () = &mut deadline => return Ok(None),
                accepted = self.listener.accept() => {
                    let (stream, _) = accepted?;
                    tokio::spawn(serve(stream, Arc::clone(&state), tx.clone()));
                }
            }
        }
    }
}

/// One browser connection: one request, then closed. The outcome is sent
/// once the page is written, so the browser has its answer before the CLI
/// goes on (and perhaps exits).
async fn serve(stream: tokio::net::TcpStream, state: Arc<LoginState>, tx: mpsc::Sender<Outcome>) {
    let seen: Arc<Mutex<Option<Outcome>>> = Arc::default();
    let slot = Arc::clone(&seen);
    let service = service_fn(move |request: Request<Incoming>| {
        let (status, page, outcome) = answer(&request, &state);
        if let (Some(outcome), Ok(mut slot)) = (outcome, slot.lock()) {
            *slot = Some(outcome);
        }
        let response = Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .header(header::CACHE_CONTROL, "no-store")
            .body(Full::new(Bytes::from_static(page.as_bytes())));
        async move { Ok::<_, Infallible>(response.unwrap_or_else(|_| Response::new(Full::default()))) }
    });
    let mut builder = http1::Builder::new();
    builder
        .keep_alive(false)
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let _ = builder
        .serve_connection(TokioIo::new(stream), service)
        .await;
    let outcome = seen.lock().ok().and_then(|mut slot| slot.take());
    if let Some(outcome) = outcome {
        let _ = tx.send(outcome).await;
    }
}

/// The answer to one request, and the outcome when it was the callback.
fn answer(
    request: &Request<Incoming>,
    state: &LoginState,
) -> (StatusCode, &'static str, Option<Outcome>) {
    if request.uri().path() != CALLBACK_PATH {
        return (StatusCode::NOT_FOUND, FAILED_PAGE, None);
    }
    if request.method() != Method::GET {
        return (StatusCode::METHOD_NOT_ALLOWED, FAILED_PAGE, None);
    }
    let outcome = state.check_redirect(request.uri().query().unwrap_or(""));
    let page = if outcome.is_ok() {
        SIGNED_IN_PAGE
    } else {
        FAILED_PAGE
    };
    let status = if outcome.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    (status, page, Some(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Sends one raw HTTP/1.1 request and gives the status code.
    async fn status(addr: &str, method: &str, target: &str) -> io::Result<u16> {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        let request =
            format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await?;
        let mut response = String::new();
        stream.read_to_string(&mut response).await?;
        response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other("no status line"))
    }

    #[tokio::test]
    async fn only_a_get_of_the_callback_ends_the_wait() -> Result<(), Box<dyn std::error::Error>> {
        let listener = Listener::bind(0).await?;
        let uri = listener.redirect_uri();
        let addr = uri
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix(CALLBACK_PATH))
            .ok_or("a loopback callback URI")?
            .to_owned();
        assert!(addr.starts_with("127.0.0.1:"));
        let waiting = tokio::spawn(listener.wait(LoginState::new("s-1"), Duration::from_secs(10)));
        assert_eq!(status(&addr, "GET", "/favicon.ico").await?, 404);
        assert_eq!(
            status(&addr, "POST", "/callback?code=c&state=s-1").await?,
            405
        );
        assert_eq!(
            status(&addr, "GET", "/callback?code=c-1&state=s-1").await?,
            200
        );
        match waiting.await?? {
            Some(Ok(code)) => assert_eq!(code.expose_secret(), "c-1"),
            other => panic!("not the code: {other:?}"),
        }
        Ok(())
    }

    #[tokio::test]
    async fn another_state_is_refused_and_nothing_comes_in_time() -> io::Result<()> {
        let listener = Listener::bind(0).await?;
        let addr = listener
            .redirect_uri()
            .replace("http://", "")
            .replace(CALLBACK_PATH, "");
        let waiting = tokio::spawn(listener.wait(LoginState::new("s-1"), Duration::from_secs(10)));
        assert_eq!(
            status(&addr, "GET", "/callback?code=c&state=s-2").await?,
            400
        );
        let outcome = waiting.await.map_err(io::Error::other)??;
        assert!(matches!(outcome, Some(Err(RedirectError::StateMismatch))));

        let listener = Listener::bind(0).await?;
        let outcome = listener
            .wait(LoginState::new("s-1"), Duration::from_millis(50))
            .await?;
        assert!(outcome.is_none());
        Ok(())
    }
}
