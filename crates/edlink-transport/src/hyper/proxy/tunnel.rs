//! The `CONNECT` handshake that turns a connection to a proxy into a tunnel
//! to the server.
//!
//! hyper-util has one (`connect::proxy::Tunnel`), read and not used: its
//! error type is private, so a refusal can only be told from a broken
//! connection by matching message text; every status but 200 and 407 becomes
//! the same "unsuccessful" (so a 403, which will not pass, and a 502, which
//! may, cannot be told apart for the retry decision, nor named in the
//! message); only exactly 200 opens the tunnel (RFC 9110: any 2xx); and a
//! target without a port is sent as port 443 whatever the scheme. This one
//! is short: it writes the request, reads the answer's head a byte at a time
//! (never past the blank line, so no byte of the tunnel is consumed) and
//! sorts the status.

use std::io;

use http::Uri;
use http::header::PROXY_AUTHORIZATION;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::TransportErrorKind;
use crate::cause::target;

use super::{Proxy, ProxyError};

/// The longest answer head accepted from a proxy.
const MAX_HEAD: usize = 16 * 1024;

/// Asks the proxy on `tcp` for a tunnel to `dst`'s host and port, and hands
/// the connection back once it is open.
pub(crate) async fn open(
    mut tcp: TcpStream,
    dst: &Uri,
    proxy: &Proxy,
) -> Result<TcpStream, ProxyError> {
    let target = target(dst);
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n").into_bytes();
    if let Some(authorization) = &proxy.authorization {
        request.extend_from_slice(PROXY_AUTHORIZATION.as_str().as_bytes());
        request.extend_from_slice(b": ");
        request.extend_from_slice(authorization.as_bytes());
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"\r\n");

    let broken = |err: io::Error| {
        ProxyError::new(
            TransportErrorKind::Connect,
            proxy,
            "the connection to the proxy broke during the CONNECT handshake",
            Some(Box::new(err)),
        )
    };
    tcp.write_all(&request).await.map_err(broken)?;

    let mut head = Vec::with_capacity(256);
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD {
            return Err(ProxyError::new(
                TransportErrorKind::Proxy,
                proxy,
                format!("the proxy's answer is longer than {MAX_HEAD} bytes"),
                None,
            ));
        }
        match tcp.read_u8().await {
            Ok(byte) => head.push(byte),
            Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(ProxyError::new(
                    TransportErrorKind::Connect,
                    proxy,
                    "the proxy closed the connection before answering",
                    None,
                ));
            }
            Err(err) => return Err(broken(err)),
        }
    }

    let (status, reason) = status_line(&head).ok_or_else(|| {
        ProxyError::new(
            TransportErrorKind::Proxy,
            proxy,
            "the proxy's answer is not HTTP",
            None,
        )
    })?;
    let refused = |kind, what: &str| {
        Err(ProxyError::new(
            kind,
            proxy,
            format!("the proxy answered {status} {reason}{what}"),
            None,
        ))
    };
    match status {
        200..=299 => Ok(tcp),
        407 => refused(
            TransportErrorKind::Proxy,
            if proxy.authorization.is_some() {
                " (its credentials were refused)"
            } else {
                " (it wants credentials: http://user:password@host:port)"
            },
        ),
        // It could not reach the server, or is overloaded: may pass.
        500..=599 => refused(TransportErrorKind::Connect, ""),
        // 403 and the rest: a decision that another attempt will not change.
        _ => refused(TransportErrorKind::Proxy, ""),
    }
}

/// The status code and reason phrase of an HTTP/1.x answer head.
fn status_line(head: &[u8]) -> Option<(u16, String)> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end();
    let mut parts = line.splitn(3, ' ');
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let code = parts.next()?;
    if code.len() != 3 {
        return None;
    }
    let status = code.parse().ok().filter(|s| (100..600).contains(s))?;
    // Printed in messages: keep it short and free of control characters.
    let reason: String = parts
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    Some((status, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        assert_eq!(
            status_line(b"HTTP/1.1 200 Connection established\r\n\r\n"),
            Some((200, "Connection established".to_owned()))
        );
        assert_eq!(
            status_line(b"HTTP/1.0 407\r\n\r\n"),
            Some((407, String::new()))
        );
        assert_eq!(
            status_line(b"HTTP/1.1 403 Forbidden\r\nVia: x\r\n\r\n"),
            Some((403, "Forbidden".to_owned()))
        );
        for bad in [
            &b"SSH-2.0-OpenSSH\r\n\r\n"[..],
            b"HTTP/1.1 2000 OK\r\n\r\n",
            b"HTTP/1.1 20 OK\r\n\r\n",
            b"HTTP/2 200\r\n\r\n",
            b"\xff\xfe\r\n\r\n",
        ] {
            assert_eq!(status_line(bad), None, "{bad:?}");
        }
    }
}
