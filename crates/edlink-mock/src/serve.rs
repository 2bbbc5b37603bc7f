//! Serving requests: the accept loop, one connection, and the one path every
//! request takes (over a socket or through [`MockServer::call`](crate::MockServer::call)):
//! routing, faults, the log, the link's shape.

use std::io;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming as HyperIncoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::log::LoggedRequest;
use crate::reply::{self, ApiError};
use crate::respond::{final_status, respond};
use crate::routes::{Incoming, Route, answer};
use crate::state::State;

/// The largest request body read (token requests are a few hundred bytes).
pub(crate) const MAX_REQUEST_BODY: usize = 64 * 1024;

async fn handle(
    state: Arc<State>,
    connection: u64,
    req: http::Request<HyperIncoming>,
) -> io::Result<http::Response<crate::body::MockBody>> {
    let (parts, body) = req.into_parts();
    // Only the token endpoint has a body worth reading.
    let body = if Route::parse(parts.uri.path()).0 == Route::Token {
        Limited::new(body, MAX_REQUEST_BODY)
            .collect()
            .await
            .map(|collected| collected.to_bytes())
            .map_err(|_| too_large())
    } else {
        Ok(Bytes::new())
    };
    dispatch(state, connection, parts, body).await
}

pub(crate) fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "INVALID_REQUEST_BODY",
        format!("The request body is larger than {MAX_REQUEST_BODY} bytes or could not be read."),
    )
}

/// Answers one request whose body has been read (or refused): routing, faults, the log.
pub(crate) async fn dispatch(
    state: Arc<State>,
    connection: u64,
    parts: http::request::Parts,
    body: Result<Bytes, ApiError>,
) -> io::Result<http::Response<crate::body::MockBody>> {
    let seq = state.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);
    let (route, id) = Route::parse(&path);
    let authorization = parts.headers.get(http::header::AUTHORIZATION);
    let authorization_valid = match (authorization, &state.config.secret_key) {
        (Some(value), Some(key)) => value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .is_some_and(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && token == key),
        _ => false,
    };
    let credential = state.credential(authorization);
    let gzip = state.config.gzip && crate::gzip::accepted(&parts.headers);
    // The mock's own routes are never faulted: a soak must read its dump whatever the rate.
    let fault = match route {
        Route::Admin => None,
        _ => state.faults.pick(seq, route),
    };
    let request_id = state.request_id(seq);
    state.prepare_graph(route, credential).await;
    let reply = match &body {
        Ok(bytes) => {
            let incoming = Incoming {
                method: &parts.method,
                path: &path,
                query: query.as_deref(),
                route,
                id,
                authorization_valid,
                credential,
                request_id: &request_id,
                seq,
                body: bytes,
            };
            answer(&state, &incoming, fault.as_ref())
        }
        Err(err) => reply::error_reply(err, &request_id, &[]),
    };
    state.log.push(LoggedRequest {
        seq,
        connection,
        method: parts.method.to_string(),
        path: path.clone(),
        query: query.clone(),
        route,
        authorization_present: authorization.is_some(),
        authorization_valid,
        credential,
        status: final_status(fault.as_ref(), reply.status),
        fault: fault.as_ref().map(crate::Fault::name),
    });
    let shape = state.config.shape;
    let wait = shape.first_byte(reply.items);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let gzip = gzip.then_some(&state.gzip);
    let response = respond(reply, fault, &request_id, gzip).await?;
    Ok(response.map(|body| shape.pace(body)))
}

async fn serve_connection(
    stream: TcpStream,
    id: u64,
    state: Arc<State>,
    mut stop: watch::Receiver<bool>,
) {
    let service = service_fn(move |req| handle(Arc::clone(&state), id, req));
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

pub(crate) async fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    mut stop: watch::Receiver<bool>,
    grace: Duration,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let id = state.connections.fetch_add(1, Ordering::Relaxed) + 1;
                    let _ = stream.set_nodelay(true);
                    connections.spawn(serve_connection(stream, id, Arc::clone(&state), stop.clone()));
                }
                // E.g. too many open files: back off a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(grace, drain).await;
    connections.abort_all();
}
