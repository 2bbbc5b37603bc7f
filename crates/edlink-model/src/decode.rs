//! Turning a response (status, content type, body bytes) into data or an error.
//!
//! This is the one place that interprets an Edlink body; the client calls it for
//! every response, and a user with their own HTTP stack can call it too.

use std::fmt;

use serde::de::{DeserializeOwned, IgnoredAny};

use crate::excerpt::excerpt;
use crate::{ApiError, ApiErrorList, ApiWarning, Envelope, Response};

/// Why a response could not be turned into data.
///
/// Its `Display` says what happened in one line, with the status, every Edlink
/// error code and message, the `$request` id and at most a short, redacted
/// excerpt of the body; never a secret.
///
/// ```
/// use edlink_model::{decode_response, ResponseError};
///
/// let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
/// let err = decode_response::<serde_json::Value>(502, Some("text/html"), html).unwrap_err();
/// assert!(matches!(err, ResponseError::NotJson { status: 502, .. }));
/// assert!(err.to_string().contains("not JSON"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ResponseError {
    /// Edlink answered with `$errors` (on any status, 2xx included).
    Api {
        /// The HTTP status.
        status: u16,
        /// Every entry of `$errors`, in order (at least one).
        errors: Vec<ApiError>,
        /// `$warnings` sent alongside.
        warnings: Vec<ApiWarning>,
        /// `$request`, when sent.
        request_id: Option<String>,
    },
    /// A non-success status with a JSON body that carried no `$errors`.
    Status {
        /// The HTTP status.
        status: u16,
        /// `$request`, when sent.
        request_id: Option<String>,
        /// The start of the body, secrets redacted.
        excerpt: String,
    },
    /// The body is not JSON at all (an HTML error page from a proxy, an empty body).
    NotJson {
        /// The HTTP status.
        status: u16,
        /// The `Content-Type` header, when sent.
        content_type: Option<String>,
        /// The start of the body, secrets redacted.
        excerpt: String,
    },
    /// The body is JSON but not of the documented shape.
    Malformed {
        /// The HTTP status.
        status: u16,
        /// Where in the document decoding failed, e.g. `$data[3].source.created_date`.
        path: String,
        /// What was wrong there.
        message: String,
        /// `$request`, when it could be read.
        request_id: Option<String>,
        /// The start of the body, secrets redacted.
        excerpt: String,
        /// The document ended before it was complete, though the HTTP message
        /// was whole: most likely cut on its way (a proxy), not a change of
        /// shape, so sending the same GET again may succeed.
        truncated: bool,
    },
}

impl ResponseError {
    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        match self {
            Self::Api { status, .. }
            | Self::Status { status, .. }
            | Self::NotJson { status, .. }
            | Self::Malformed { status, .. } => *status,
        }
    }

    /// `$request`, when the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. }
            | Self::Status { request_id, .. }
            | Self::Malformed { request_id, .. } => request_id.as_deref(),
            Self::NotJson { .. } => None,
        }
    }

    /// Whether the body was a JSON document that ended early (see
    /// [`ResponseError::Malformed`]'s `truncated`): the one decode failure a
    /// client may retry.
    ///
    /// ```
    /// use edlink_model::decode_response;
    ///
    /// let cut = decode_response::<Vec<u8>>(200, None, br#"{"$data":[1,2"#).unwrap_err();
    /// assert!(cut.is_truncated());
    /// let wrong = decode_response::<Vec<u8>>(200, None, br#"{"$data":"x"}"#).unwrap_err();
    /// assert!(!wrong.is_truncated());
    /// ```
    pub fn is_truncated(&self) -> bool {
        matches!(
            self,
            Self::Malformed {
                truncated: true,
                ..
            }
        )
    }

    /// The `$errors` entries, empty unless this is [`ResponseError::Api`].
    pub fn api_errors(&self) -> &[ApiError] {
        match self {
            Self::Api { errors, .. } => errors,
            _ => &[],
        }
    }
}

fn write_request_id(f: &mut fmt::Formatter<'_>, request_id: &Option<String>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " (request {id})"),
        None => Ok(()),
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api {
                status,
                errors,
                request_id,
                ..
            } => {
                write!(f, "Edlink returned HTTP {status}: {}", ApiErrorList(errors))?;
                write_request_id(f, request_id)
            }
            Self::Status {
                status,
                request_id,
                excerpt,
            } => {
                write!(f, "Edlink returned HTTP {status} without $errors")?;
                write_request_id(f, request_id)?;
                write!(f, ": {excerpt}")
            }
            Self::NotJson {
                status,
                content_type,
                excerpt,
            } => {
                let ct = content_type.as_deref().unwrap_or("no content-type");
                write!(f, "HTTP {status}: the response is not JSON ({ct})")?;
                if excerpt.is_empty() {
                    f.write_str(", empty body")
                } else {
                    write!(f, ": {excerpt}")
                }
            }
            Self::Malformed {
                status,
                path,
                message,
                request_id,
                excerpt,
                truncated,
            } => {
                if *truncated {
                    write!(
                        f,
                        "HTTP {status}: the JSON body ended early, at {path}: {message}"
                    )?;
                } else {
                    write!(f, "HTTP {status}: unexpected JSON at {path}: {message}")?;
                }
                write_request_id(f, request_id)?;
                write!(f, "; body starts: {excerpt}")
            }
        }
    }
}

impl std::error::Error for ResponseError {}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Decodes an Edlink response body into its `$data` (as `T`) and metadata, or
/// explains why it cannot.
///
/// - `$errors` makes it an error whatever the status.
/// - A non-2xx status without `$errors` is [`ResponseError::Status`].
/// - A body that is not JSON is [`ResponseError::NotJson`], with status and content type.
/// - JSON of the wrong shape is [`ResponseError::Malformed`], naming the JSON path.
///
/// The body must be UTF-8 (JSON is, by RFC 8259): it is checked once up front,
/// which also lets the decoder skip per-string UTF-8 checks. The fast path
/// decodes once, with no path tracking; only a failure pays for a second pass
/// that finds the path.
///
/// ```
/// use edlink_model::decode_response;
///
/// let ok = decode_response::<Vec<u8>>(200, Some("application/json"), br#"{"$data":[1,2]}"#)?;
/// assert_eq!(ok.data, vec![1, 2]);
///
/// let bad = decode_response::<Vec<u8>>(200, None, br#"{"$data":[1,"x"]}"#).unwrap_err();
/// assert!(bad.to_string().contains("$data[1]"), "{bad}");
/// # Ok::<(), edlink_model::ResponseError>(())
/// ```
pub fn decode_response<T: DeserializeOwned>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Response<T>, ResponseError> {
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(e) => return Err(not_utf8(status, content_type, body, &e)),
    };
    if is_success(status) {
        // The fast path (`crate::json`) succeeds exactly where `serde_json`
        // does, with the same value; when it gives up, `serde_json` decides.
        if let Some(envelope) = crate::json::from_str::<Envelope<T>>(text) {
            return from_envelope(status, envelope, body);
        }
        if let Ok(envelope) = serde_json::from_str::<Envelope<T>>(text) {
            return from_envelope(status, envelope, body);
        }
    }
    // A failure status, or a success body that did not fit `T`: first see whether
    // it is an error envelope at all, so `$errors` wins over any shape problem.
    match serde_json::from_str::<Envelope<IgnoredAny>>(text) {
        Ok(envelope) if !envelope.errors.is_empty() => Err(api_error(status, envelope)),
        Ok(envelope) if !is_success(status) => Err(ResponseError::Status {
            status,
            request_id: envelope.request_id,
            excerpt: excerpt(body),
        }),
        _ => Err(explain_failure::<T>(status, content_type, text)),
    }
}

/// A body that is not UTF-8 cannot be JSON: an error page in another
/// encoding reads as "not JSON", a JSON-looking body as malformed at `$`.
fn not_utf8(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    error: &std::str::Utf8Error,
) -> ResponseError {
    if !looks_like_json(content_type, body) {
        return ResponseError::NotJson {
            status,
            content_type: content_type.map(str::to_owned),
            excerpt: excerpt(body),
        };
    }
    ResponseError::Malformed {
        status,
        path: "$".to_owned(),
        message: format!("invalid UTF-8 at byte {}", error.valid_up_to()),
        request_id: None,
        excerpt: excerpt(body),
        truncated: false,
    }
}

fn from_envelope<T>(
    status: u16,
    envelope: Envelope<T>,
    body: &[u8],
) -> Result<Response<T>, ResponseError> {
    if !envelope.errors.is_empty() {
        return Err(api_error(
            status,
            Envelope {
                data: None::<IgnoredAny>,
                next: envelope.next,
                request_id: envelope.request_id,
                warnings: envelope.warnings,
                errors: envelope.errors,
            },
        ));
    }
    match envelope.data {
        Some(data) => Ok(Response {
            data,
            next: envelope.next,
            request_id: envelope.request_id,
            warnings: envelope.warnings,
        }),
        None => Err(ResponseError::Malformed {
            status,
            path: "$data".to_owned(),
            message: "missing (neither $data nor $errors in the body)".to_owned(),
            request_id: envelope.request_id,
            excerpt: excerpt(body),
            truncated: false,
        }),
    }
}

fn api_error(status: u16, envelope: Envelope<IgnoredAny>) -> ResponseError {
    ResponseError::Api {
        status,
        errors: envelope.errors,
        warnings: envelope.warnings,
        request_id: envelope.request_id,
    }
}

fn looks_like_json(content_type: Option<&str>, body: &[u8]) -> bool {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    matches!(first, Some(b'{') | Some(b'['))
        || content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("json"))
            && first.is_some()
}

fn explain_failure<T: DeserializeOwned>(
    status: u16,
    content_type: Option<&str>,
    text: &str,
) -> ResponseError {
    let body = text.as_bytes();
    if !looks_like_json(content_type, body) {
        return ResponseError::NotJson {
            status,
            content_type: content_type.map(str::to_owned),
            excerpt: excerpt(body),
        };
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let (path, error) = match serde_path_to_error::deserialize::<_, Envelope<T>>(&mut de) {
        Err(e) => (e.path().to_string(), Some(e.into_inner())),
        // The fast path failed on trailing data after a valid document.
        Ok(_) => ("$".to_owned(), de.end().err()),
    };
    let truncated = error.as_ref().is_some_and(serde_json::Error::is_eof);
    let message = error.map_or_else(
        || "the document could not be decoded".to_owned(),
        |e| e.to_string(),
    );
    ResponseError::Malformed {
        status,
        path: if path == "." { "$".to_owned() } else { path },
        message,
        request_id: request_id_of(text),
        excerpt: excerpt(body),
        truncated,
    }
}

/// Best effort: the `$request` of a body whose `$data` did not decode.
fn request_id_of(text: &str) -> Option<String> {
    serde_json::from_str::<Envelope<IgnoredAny>>(text)
        .ok()
        .and_then(|e| e.request_id)
}
