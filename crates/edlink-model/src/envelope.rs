//! The response envelope: `$data`, `$next`, `$request`, `$warnings`, `$errors`.

use serde::{Deserialize, Serialize};

use crate::{ErrorCode, WarningCode};

/// One entry of an Edlink `$errors` list.
///
/// ```
/// use edlink_model::{ApiError, ErrorCode};
///
/// let e: ApiError = serde_json::from_str(r#"{"code":"NOT_FOUND","message":"No such integration."}"#)?;
/// assert_eq!(e.code, ErrorCode::NotFound);
/// assert_eq!(e.to_string(), "NOT_FOUND: No such integration.");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// What went wrong, as a code.
    pub code: ErrorCode,
    /// Edlink's human-readable explanation, when it sent one, with any
    /// secret in it masked ([`crate::redact`]): a message may quote a
    /// request or an upstream body.
    #[serde(
        default,
        deserialize_with = "redacted_message",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
}

/// One entry of an Edlink `$warnings` list: informational, the request succeeded
/// (or failed for another reason).
///
/// ```
/// use edlink_model::{ApiWarning, WarningCode};
///
/// let w: ApiWarning = serde_json::from_str(r#"{"code":"PAGING_IGNORED","message":"…"}"#)?;
/// assert_eq!(w.code, WarningCode::PagingIgnored);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiWarning {
    /// The warning, as a code.
    pub code: WarningCode,
    /// Edlink's human-readable explanation, when it sent one, with any
    /// secret in it masked ([`crate::redact`]): a message may quote a
    /// request or an upstream body.
    #[serde(
        default,
        deserialize_with = "redacted_message",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
}

macro_rules! display_code_message {
    ($ty:ty) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match &self.message {
                    Some(message) => write!(f, "{}: {}", self.code, message),
                    None => write!(f, "{}", self.code),
                }
            }
        }
    };
}
display_code_message!(ApiError);
display_code_message!(ApiWarning);

impl ApiError {
    /// An error with `code` and `message`, for tests and fakes.
    ///
    /// ```
    /// use edlink_model::{ApiError, ErrorCode};
    /// let e = ApiError::new(ErrorCode::InvalidCursor, "expired");
    /// assert_eq!(e.message.as_deref(), Some("expired"));
    /// ```
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: Some(message.into()),
        }
    }
}

impl ApiWarning {
    /// A warning with `code` and `message`, for tests and fakes.
    ///
    /// ```
    /// use edlink_model::{ApiWarning, WarningCode};
    /// let w = ApiWarning::new(WarningCode::PagingIgnored, "cursor wins");
    /// assert_eq!(w.code, WarningCode::PagingIgnored);
    /// ```
    pub fn new(code: WarningCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: Some(message.into()),
        }
    }
}

/// Shows a list of `$errors` as Edlink sent them, `CODE: message; CODE: message`:
/// the one way every error message of the SDK lists them.
///
/// ```
/// use edlink_model::{ApiError, ApiErrorList, ErrorCode};
///
/// let errors = [
///     ApiError::new(ErrorCode::InvalidPageSize, "too big"),
///     ApiError::new(ErrorCode::InvalidUuid, "bad id"),
/// ];
/// assert_eq!(
///     ApiErrorList(&errors).to_string(),
///     "INVALID_PAGE_SIZE: too big; INVALID_UUID: bad id"
/// );
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ApiErrorList<'a>(pub &'a [ApiError]);

impl std::fmt::Display for ApiErrorList<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// The JSON envelope of every Edlink response, success or failure.
///
/// `T` is the type of `$data`: one object for a fetch, a `Vec` for a list.
/// Every member is optional on the wire (v1 samples carry no `$request`, error
/// bodies carry no `$data`); [`crate::decode_response`] turns an envelope into
/// a success or an error.
///
/// ```
/// use edlink_model::Envelope;
///
/// let body = r#"{"$data":[1,2],"$next":"https://ed.link/api/v1/x?$cursor=abc","$request":"r-1"}"#;
/// let env: Envelope<Vec<u32>> = serde_json::from_str(body)?;
/// assert_eq!(env.data, Some(vec![1, 2]));
/// assert_eq!(env.request_id.as_deref(), Some("r-1"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Envelope<T> {
    /// `$data`: the payload.
    #[serde(
        rename = "$data",
        default = "none",
        skip_serializing_if = "Option::is_none"
    )]
    pub data: Option<T>,
    /// `$next`: the URL of the next page, absent on the last one.
    #[serde(rename = "$next", default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// `$request`: Edlink's id for this request; quote it to Edlink support.
    #[serde(rename = "$request", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `$warnings`, in the order sent.
    #[serde(
        rename = "$warnings",
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub warnings: Vec<ApiWarning>,
    /// `$errors`, in the order sent. Non-empty means the request failed, whatever the status.
    #[serde(
        rename = "$errors",
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub errors: Vec<ApiError>,
}

/// A message as sent, with secrets masked: it ends up in errors and logs.
fn redacted_message<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let message = Option::<String>::deserialize(deserializer)?;
    Ok(message.map(|m| match crate::redact::redact(&m) {
        std::borrow::Cow::Borrowed(_) => m,
        std::borrow::Cow::Owned(masked) => masked,
    }))
}

// `#[serde(default)]` on a generic field would demand `T: Default`.
fn none<T>() -> Option<T> {
    None
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// One page of a listing: the items and what Edlink said about them.
///
/// ```
/// use edlink_model::Page;
///
/// let page: Page<u32> = Page::new(vec![1, 2, 3]);
/// assert_eq!(page.items.len(), 3);
/// assert!(page.next.is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of the page, in the order sent.
    pub items: Vec<T>,
    /// `$next` as sent (not yet resolved or checked).
    pub next: Option<String>,
    /// `$request`: Edlink's id for the request that returned this page.
    pub request_id: Option<String>,
    /// `$warnings` that came with the page.
    pub warnings: Vec<ApiWarning>,
}

impl<T> Page<T> {
    /// A page of `items` with no `$next`, request id or warnings.
    pub fn new(items: Vec<T>) -> Self {
        Self {
            items,
            next: None,
            request_id: None,
            warnings: Vec::new(),
        }
    }
}

/// The successful part of a response: `$data` and the metadata around it.
///
/// ```
/// use edlink_model::Response;
///
/// let r = Response::new(7u32);
/// assert_eq!(r.data, 7);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// `$data`.
    pub data: T,
    /// `$next`, as sent.
    pub next: Option<String>,
    /// `$request`.
    pub request_id: Option<String>,
    /// `$warnings`.
    pub warnings: Vec<ApiWarning>,
}

impl<T> Response<T> {
    /// A response carrying `data` and nothing else.
    pub fn new(data: T) -> Self {
        Self {
            data,
            next: None,
            request_id: None,
            warnings: Vec::new(),
        }
    }
}

impl<T> From<Response<Vec<T>>> for Page<T> {
    fn from(r: Response<Vec<T>>) -> Self {
        Self {
            items: r.data,
            next: r.next,
            request_id: r.request_id,
            warnings: r.warnings,
        }
    }
}
