//! Turns a [`Reply`] into an HTTP response, bending it as a [`Fault`] says.

use std::io;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Response, StatusCode};

use crate::body::{self, MockBody};
use crate::faults::{Fault, RetryAfter};
use crate::gzip::{self, GzipCache};
use crate::reply::{self, JSON, Reply};
use crate::text::{http_date, http_date_in};

const CHUNK: usize = 64 * 1024;
static SPACES: [u8; CHUNK] = [b' '; CHUNK];

fn build(
    status: StatusCode,
    content_type: &str,
    headers: &[(&str, String)],
    body: MockBody,
) -> Response<MockBody> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(CONTENT_TYPE, v);
    }
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            h.append(n, v);
        }
    }
    response
}

fn plain(reply: Reply) -> Response<MockBody> {
    build(
        reply.status,
        reply.content_type,
        &reply.headers,
        body::full(reply.body),
    )
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn proxy_page(status: StatusCode) -> Bytes {
    let line = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    Bytes::from(format!(
        "<html>\r\n<head><title>{line}</title></head>\r\n<body>\r\n<center><h1>{line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    ))
}

/// A streamed answer with a declared length: the task decides what really gets sent.
fn streamed(
    reply: &Reply,
    declared: u64,
) -> (
    tokio::sync::mpsc::Sender<io::Result<Bytes>>,
    Response<MockBody>,
) {
    let (tx, body) = body::channel();
    let mut headers = reply.headers.clone();
    headers.push((CONTENT_LENGTH.as_str(), declared.to_string()));
    (tx, build(reply.status, reply.content_type, &headers, body))
}

/// Sends `total` bytes of filler (JSON whitespace after an opening `{"$data":[`).
async fn fill(tx: tokio::sync::mpsc::Sender<io::Result<Bytes>>, total: Option<u64>) {
    let head = Bytes::from_static(b"{\"$data\":[");
    let mut left = total.map(|t| t.saturating_sub(head.len() as u64));
    let first = match total {
        Some(t) => head.slice(..(t.min(head.len() as u64) as usize)),
        None => head,
    };
    if tx.send(Ok(first)).await.is_err() {
        return;
    }
    loop {
        let n = left.map_or(CHUNK, |l| l.min(CHUNK as u64) as usize);
        if n == 0 {
            return;
        }
        if tx.send(Ok(Bytes::from_static(&SPACES[..n]))).await.is_err() {
            return;
        }
        left = left.map(|l| l - n as u64);
    }
}

/// The status the client will see for `normal` under `fault` (`None`: no response at all).
pub(crate) fn final_status(fault: Option<&Fault>, normal: StatusCode) -> Option<u16> {
    let status = match fault {
        Some(Fault::DropConnection) => return None,
        Some(Fault::RateLimited(_)) => StatusCode::TOO_MANY_REQUESTS,
        Some(Fault::Status(s) | Fault::ProxyPage(s) | Fault::Redirect { status: s, .. }) => {
            status_of(*s)
        }
        Some(Fault::Oversized { .. } | Fault::EndlessBody | Fault::ErrorsOn200) => StatusCode::OK,
        _ => normal,
    };
    Some(status.as_u16())
}

/// Whether the answer under `fault` sends `reply`'s own body (whole, cut or late), which is
/// then gzip-encoded when asked for; the other faults send bodies of their own.
fn sends_reply_body(fault: Option<&Fault>) -> bool {
    !matches!(
        fault,
        Some(
            Fault::RateLimited(_)
                | Fault::Status(_)
                | Fault::ProxyPage(_)
                | Fault::ErrorsOn200
                | Fault::Redirect { .. }
                | Fault::DropConnection
                | Fault::Oversized { .. }
                | Fault::EndlessBody
        )
    )
}

/// `reply` with its body gzip-encoded (when `gzip` is given and the body is large enough).
async fn encoded(reply: Reply, gzip: Option<&GzipCache>) -> Reply {
    let Some(cache) = gzip else {
        return reply;
    };
    if reply.body.len() < gzip::MIN_BYTES {
        return reply;
    }
    match cache.encode(&reply.body, reply.cacheable).await {
        Ok(body) => Reply { body, ..reply }
            .header("content-encoding", "gzip")
            .header("vary", "accept-encoding"),
        // Deflating into memory does not fail; if it ever did, the plain body is still right.
        Err(_) => reply,
    }
}

/// The response for `reply` under `fault`, its body gzip-encoded through `gzip` when the
/// request accepts it. `Err` makes hyper close the connection unanswered.
pub(crate) async fn respond(
    reply: Reply,
    fault: Option<Fault>,
    request_id: &str,
    gzip: Option<&GzipCache>,
) -> io::Result<Response<MockBody>> {
    // A truncated body is half the *document*, whatever the encoding: gzip then sends a
    // complete stream of that half, and the client meets a JSON document that ends early,
    // as without gzip. (A gzip stream cut short comes from `CloseMidBody`.)
    let reply = match fault {
        Some(Fault::TruncatedBody) => Reply {
            body: reply.body.slice(..reply.body.len() / 2),
            cacheable: 0,
            ..reply
        },
        _ => reply,
    };
    let reply = if sends_reply_body(fault.as_ref()) {
        encoded(reply, gzip).await
    } else {
        reply
    };
    let Some(fault) = fault else {
        return Ok(plain(reply));
    };
    let error = |status: StatusCode, code: &str, message: &str| {
        Reply::json(
            status,
            reply::error_body(request_id, &[(code, message)], &[]),
        )
    };
    Ok(match fault {
        Fault::ForeignNext(_)
        | Fault::RepeatNext
        | Fault::NextUrl(_)
        | Fault::EmptyPage
        | Fault::Warning { .. } => plain(reply),
        Fault::RateLimited(retry_after) => {
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                "Too many requests; slow down.",
            );
            match retry_after {
                Some(RetryAfter::Seconds(s)) => r = r.header("retry-after", s.to_string()),
                Some(RetryAfter::HttpDateIn(d)) => r = r.header("retry-after", http_date_in(d)),
                Some(RetryAfter::HttpDate(t)) => r = r.header("retry-after", http_date(t)),
                Some(RetryAfter::Raw(text)) => r = r.header("retry-after", text),
                None => {}
            }
            plain(r)
        }
        Fault::Status(code) => {
            let status = status_of(code);
            let kind = if status.is_server_error() {
                "INTERNAL"
            } else {
                "UNKNOWN"
            };
            plain(error(status, kind, "Injected failure."))
        }
        Fault::ProxyPage(code) => {
            let status = status_of(code);
            build(status, "text/html", &[], body::full(proxy_page(status)))
        }
        Fault::ErrorsOn200 => plain(error(
            StatusCode::OK,
            "INTERNAL",
            "Injected failure on a 200.",
        )),
        Fault::Redirect { status, location } => {
            let r = Reply::json(status_of(status), Bytes::new()).header("location", location);
            plain(r)
        }
        Fault::Delay(d) => {
            tokio::time::sleep(d).await;
            plain(reply)
        }
        Fault::DropConnection => {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "injected: connection dropped",
            ));
        }
        // Cut above, before the encoding.
        Fault::TruncatedBody => plain(reply),
        Fault::CloseMidBody | Fault::StallBody(_) => {
            let full = reply.body.clone();
            let (tx, response) = streamed(&reply, full.len() as u64);
            let stall = match fault {
                Fault::StallBody(d) => Some(d),
                _ => None,
            };
            tokio::spawn(async move {
                let half = full.len() / 2;
                if tx.send(Ok(full.slice(..half))).await.is_err() {
                    return;
                }
                // Give hyper time to flush the first half before the rest (or the abort).
                tokio::time::sleep(stall.unwrap_or(Duration::from_millis(20))).await;
                let rest = match stall {
                    Some(_) => Ok(full.slice(half..)),
                    None => Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "injected: closed mid-body",
                    )),
                };
                let _ = tx.send(rest).await;
            });
            response
        }
        Fault::Oversized { bytes } => {
            let r = Reply::json(StatusCode::OK, Bytes::new());
            let (tx, response) = streamed(&r, bytes);
            tokio::spawn(fill(tx, Some(bytes)));
            response
        }
        Fault::EndlessBody => {
            let (tx, body) = body::channel();
            tokio::spawn(fill(tx, None));
            build(StatusCode::OK, JSON, &[], body)
        }
    })
}
