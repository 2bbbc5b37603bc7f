//! The one path every request takes: credentials, the call deadline, the
//! attempts and the waits between them, tracing, and decoding.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use edlink_model::redact::Redactor;
use edlink_model::{AccessToken, ApiWarning, Envelope, Response};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION, USER_AGENT};
use http::{HeaderValue, Method, Request, Uri};
use serde::de::{DeserializeOwned, IgnoredAny};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tracing::Instrument;
use url::Url;

use crate::Error;
use crate::client::Inner;
use crate::endpoint::Endpoint;
use crate::redact;
use crate::retry::{Decision, Failure, Jitter, Replay, decide};
use crate::retry_after::retry_after;

/// A request body and its content type.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    pub(crate) bytes: Bytes,
    pub(crate) content_type: HeaderValue,
}

/// Shown each successful body before it decodes (see [`get_peeking`]); says
/// whether it handed something on that should run before the decoding.
pub(crate) type Peek<'a> = &'a (dyn Fn(&[u8]) -> bool + Send + Sync);

/// What to send, beyond the endpoint: method, URL (already through the
/// origin check), body, whether it may be replayed, any secret the body
/// carries (masked by value in whatever comes back), and who wants to see a
/// successful body before it decodes.
pub(crate) struct Outgoing<'a> {
    pub(crate) method: Method,
    pub(crate) url: &'a Url,
    pub(crate) body: Option<Body>,
    pub(crate) replay: Replay,
    pub(crate) secrets: &'a [&'a str],
    pub(crate) peek: Option<Peek<'a>>,
    /// Taken for each decoding: a listing's pages decode one at a time.
    pub(crate) decode_turn: Option<&'a Semaphore>,
}

impl std::fmt::Debug for Outgoing<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("method", &self.method)
            .field("url", &self.url.path())
            .field("body", &self.body)
            .field("replay", &self.replay)
            .field("secrets", &self.secrets.len())
            .field("peek", &self.peek.is_some())
            .field("decode_turn", &self.decode_turn.is_some())
            .finish()
    }
}

impl<'a> Outgoing<'a> {
    /// A `GET`: idempotent, no body.
    pub(crate) fn get(url: &'a Url) -> Self {
        Self {
            method: Method::GET,
            url,
            body: None,
            replay: Replay::Safe,
            secrets: &[],
            peek: None,
            decode_turn: None,
        }
    }
}

/// Sends `GET url` (already through the origin check) with retries, within
/// the call deadline, and decodes the body's `$data` as `T` (a large body on
/// the blocking pool: see `offload`).
pub(crate) async fn get<T: DeserializeOwned + Send + 'static>(
    inner: &Inner,
    endpoint: &Endpoint,
    url: &Url,
) -> Result<Response<T>, Error> {
    send(inner, endpoint, Outgoing::get(url)).await
}

/// [`get`], showing `peek` each successful (2xx) body before it decodes, so
/// that the caller can act on it meanwhile (a listing sends the next page's
/// request: see `flight`), and decoding only with a permit of `decode_turn`.
/// A body retried because it ended early is shown again. When `peek` says it
/// handed something on, this task yields once before decoding: a small body
/// decodes in place, and the task woken by the hand-over would otherwise wait
/// on this thread until the decoding ends.
pub(crate) async fn get_peeking<T: DeserializeOwned + Send + 'static>(
    inner: &Inner,
    endpoint: &Endpoint,
    url: &Url,
    peek: Peek<'_>,
    decode_turn: &Semaphore,
) -> Result<Response<T>, Error> {
    let outgoing = Outgoing {
        peek: Some(peek),
        decode_turn: Some(decode_turn),
        ..Outgoing::get(url)
    };
    send(inner, endpoint, outgoing).await
}

/// The one request path: sends `outgoing` with the endpoint's credential,
/// retrying as its `replay` allows, within the call deadline, and decodes
/// the body's `$data` as `T`.
///
/// A person's token (the User API) that the server refuses (401, or
/// `EXPIRED_TOKEN` whatever the status) is refreshed once, through the
/// person's session, and the request is sent again with the new token: a
/// refused request was not acted upon, so sending it again is safe for any
/// method.
pub(crate) async fn send<T: DeserializeOwned + Send + 'static>(
    inner: &Inner,
    endpoint: &Endpoint,
    outgoing: Outgoing<'_>,
) -> Result<Response<T>, Error> {
    let url = outgoing.url;
    // A fragment is never part of an HTTP request.
    let mut url = url.clone();
    url.set_fragment(None);
    let url = &url;
    let uri: Uri = url
        .as_str()
        .parse()
        .map_err(|e| Error::invalid_because(format!("cannot send to {}", url.path()), e))?;
    let deadline = Instant::now() + inner.call_timeout;
    let mut attempts = 0;
    let calls = async {
        let mut renewed = false;
        loop {
            let authorized = endpoint.authorize(inner).await?;
            let call = Call {
                inner,
                method: outgoing.method.clone(),
                uri: uri.clone(),
                path: url.path(),
                body: outgoing.body.clone(),
                token: authorized.token.as_ref().map(|t| &t.token),
                secrets: outgoing.secrets,
                authorization: authorized.header.clone(),
                deadline,
                replay: outgoing.replay,
                peek: outgoing.peek,
                decode_turn: outgoing.decode_turn,
            };
            let result = call.run::<T>(&mut attempts).await;
            match (&authorized.session, result) {
                (Some((session, generation)), Err(err)) if !renewed && err.is_expired_token() => {
                    tracing::info!(
                        path = url.path(),
                        status = err.status().unwrap_or(0),
                        "Edlink refused the person's access token; refreshing it once"
                    );
                    session.renew_after_refusal(*generation).await?;
                    renewed = true;
                }
                (_, result) => return result,
            }
        }
    };
    match tokio::time::timeout_at(deadline, calls).await {
        Ok(result) => result,
        Err(_elapsed) => {
            tracing::warn!(
                path = url.path(),
                attempts,
                timeout_ms = millis(inner.call_timeout),
                "Edlink call timed out"
            );
            Err(Error::Timeout {
                after: inner.call_timeout,
                attempts,
            })
        }
    }
}

struct Call<'a> {
    inner: &'a Inner,
    method: Method,
    uri: Uri,
    path: &'a str,
    body: Option<Body>,
    /// The access token this call sends, if any, to mask it by value.
    token: Option<&'a AccessToken>,
    /// Other secrets the request carries (a client secret, a code).
    secrets: &'a [&'a str],
    authorization: Option<HeaderValue>,
    deadline: Instant,
    /// `Safe` for a GET; `UnsentOnly` for a request that is not idempotent
    /// (a token exchange).
    replay: Replay,
    peek: Option<Peek<'a>>,
    decode_turn: Option<&'a Semaphore>,
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Call<'_> {
    fn request(&self) -> Request<Bytes> {
        let body = self
            .body
            .as_ref()
            .map(|b| b.bytes.clone())
            .unwrap_or_default();
        let mut request = Request::new(body);
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(body) = &self.body {
            headers.insert(CONTENT_TYPE, body.content_type.clone());
        }
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        if let Some(value) = &self.authorization {
            // Cloned from a value marked sensitive at build time; the flag
            // travels with the clone.
            headers.insert(AUTHORIZATION, value.clone());
        }
        request
    }

    /// The attempts; `attempts` is outside the future so the deadline's
    /// error can still say how many were made.
    async fn run<T: DeserializeOwned + Send + 'static>(
        &self,
        attempts: &mut u32,
    ) -> Result<Response<T>, Error> {
        let mut jitter = Jitter::new();
        loop {
            *attempts += 1;
            let attempt = *attempts;
            let span = tracing::debug_span!(
                "edlink_request",
                method = self.method.as_str(),
                path = self.path,
                attempt,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let outcome = self
                .inner
                .transport
                .send(self.request())
                .instrument(span.clone())
                .await;
            let elapsed_ms = millis(started.elapsed());
            span.record("elapsed_ms", elapsed_ms);

            let (failure, error) = match outcome {
                Err(source) => {
                    tracing::debug!(parent: &span, error = %source, elapsed_ms, "Edlink request failed");
                    (
                        Failure::Transport(source.kind()),
                        Error::Transport {
                            source,
                            attempts: attempt,
                        },
                    )
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    span.record("status", status);
                    tracing::debug!(parent: &span, status, elapsed_ms, "Edlink response");
                    if (300..400).contains(&status) {
                        let location = response
                            .headers()
                            .get(LOCATION)
                            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                        return Err(self.scrubbed(Error::Redirect {
                            status,
                            location,
                            attempts: attempt,
                        }));
                    }
                    if !crate::retry::is_retryable_status(status) {
                        let decoded = self.decode(status, &response, attempt).await;
                        if !decoded.as_ref().is_err_and(Error::is_truncated_body) {
                            return decoded;
                        }
                        match self.next_step(Failure::TruncatedBody, attempt, &mut jitter) {
                            Decision::Retry(wait) => {
                                self.log_retry(attempt, wait, "the JSON body ended early");
                                tokio::time::sleep(wait).await;
                                continue;
                            }
                            Decision::Stop | Decision::RateLimited(_) => return decoded,
                        }
                    }
                    let hint = retry_after(response.headers(), SystemTime::now());
                    let failure = Failure::Status {
                        status,
                        retry_after: hint,
                    };
                    match self.next_step(failure, attempt, &mut jitter) {
                        Decision::Retry(wait) => {
                            self.log_retry(attempt, wait, &format!("HTTP {status}"));
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        Decision::RateLimited(retry_after) => {
                            tracing::warn!(
                                status,
                                retry_after_s = retry_after.as_secs_f64(),
                                "Edlink asked to wait longer than allowed; giving up"
                            );
                            return Err(Error::RateLimited {
                                status,
                                retry_after,
                                request_id: request_id_of(response.body()),
                                attempts: attempt,
                            });
                        }
                        Decision::Stop => return self.decode(status, &response, attempt).await,
                    }
                }
            };
            match self.next_step(failure, attempt, &mut jitter) {
                Decision::Retry(wait) => {
                    self.log_retry(attempt, wait, &error.chain());
                    tokio::time::sleep(wait).await;
                }
                Decision::Stop | Decision::RateLimited(_) => return Err(error),
            }
        }
    }

    /// Decodes a final response: data and warnings, or the error it carries,
    /// with the key scrubbed from anything the server sent.
    async fn decode<T: DeserializeOwned + Send + 'static>(
        &self,
        status: u16,
        response: &http::Response<Bytes>,
        attempts: u32,
    ) -> Result<Response<T>, Error> {
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        if let Some(peek) = self.peek.filter(|_| (200..300).contains(&status)) {
            if peek(response.body()) {
                tokio::task::yield_now().await;
            }
        }
        // A closed semaphore (never, here) gives no permit and does not stop the decoding.
        let _turn = match self.decode_turn {
            Some(turn) => turn.acquire().await.ok(),
            None => None,
        };
        match crate::offload::decode_response::<T>(status, content_type, response.body()).await {
            Ok(mut decoded) => {
                redact::scrub_warnings(&mut decoded.warnings, &self.redactor());
                log_warnings(&decoded.warnings, decoded.request_id.as_deref());
                Ok(decoded)
            }
            Err(err) => {
                let hint = retry_after(response.headers(), SystemTime::now());
                let error = self.scrubbed(Error::from_response(err, attempts, hint));
                log_warnings(error.warnings(), error.request_id());
                Err(error)
            }
        }
    }

    fn scrubbed(&self, mut error: Error) -> Error {
        redact::scrub_error(&mut error, &self.redactor());
        error
    }

    /// The one redaction routine, knowing this call's secrets by value: the
    /// client's key and the access token, whichever exist.
    fn redactor(&self) -> Redactor<'_> {
        let mut redactor = Redactor::new();
        if let Some(key) = &self.inner.key {
            redactor = redactor.known_secret(key.expose_secret());
        }
        if let Some(token) = self.token {
            redactor = redactor.known_secret(token.expose_secret());
        }
        for secret in self.secrets {
            redactor = redactor.known_secret(secret);
        }
        redactor
    }

    fn next_step(&self, failure: Failure, attempt: u32, jitter: &mut Jitter) -> Decision {
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        decide(
            &self.inner.retry,
            failure,
            attempt,
            self.replay,
            remaining,
            jitter.unit(),
        )
    }

    fn log_retry(&self, attempt: u32, wait: Duration, reason: &str) {
        tracing::info!(
            path = self.path,
            attempt,
            wait_ms = millis(wait),
            reason,
            "retrying Edlink request"
        );
    }
}

/// Logs each `$warnings` entry at warn level (they are also returned).
pub(crate) fn log_warnings(warnings: &[ApiWarning], request_id: Option<&str>) {
    for warning in warnings {
        tracing::warn!(
            code = %warning.code,
            message = warning.message.as_deref().unwrap_or(""),
            request_id = request_id.unwrap_or(""),
            "Edlink warning"
        );
    }
}

/// Best effort: the `$request` of a body that is not decoded further.
fn request_id_of(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Envelope<IgnoredAny>>(body)
        .ok()
        .and_then(|e| e.request_id)
}
