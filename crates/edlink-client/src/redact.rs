//! Masking the client's own secrets in anything a server sent back.
//!
//! The model already masks every secret it can recognise by its name
//! (`access_token=…`, `"client_secret":"…"`, `Bearer …`) in messages and body
//! excerpts. What it cannot know is the value of *this* client's credentials,
//! which a server or proxy may echo bare ("invalid key sk_live_…"). Every
//! server-provided string that reaches an [`Error`] or a log passes here, through
//! the same routine ([`edlink_model::redact::Redactor`]) with those values added.

use edlink_model::redact::Redactor;
use edlink_model::{ApiError, ApiWarning, ResponseError};

use crate::Error;

fn scrub(text: &mut String, redactor: &Redactor<'_>) {
    if let std::borrow::Cow::Owned(masked) = redactor.redact(text) {
        *text = masked;
    }
}

fn scrub_messages(errors: &mut [ApiError], warnings: &mut [ApiWarning], redactor: &Redactor<'_>) {
    for message in errors.iter_mut().filter_map(|e| e.message.as_mut()) {
        scrub(message, redactor);
    }
    scrub_warnings(warnings, redactor);
}

/// Masks secrets in warning messages.
pub(crate) fn scrub_warnings(warnings: &mut [ApiWarning], redactor: &Redactor<'_>) {
    for message in warnings.iter_mut().filter_map(|w| w.message.as_mut()) {
        scrub(message, redactor);
    }
}

/// Masks secrets in every server-provided string of `err`.
pub(crate) fn scrub_error(err: &mut Error, redactor: &Redactor<'_>) {
    match err {
        Error::Api {
            errors, warnings, ..
        }
        | Error::Authentication {
            errors, warnings, ..
        } => scrub_messages(errors, warnings, redactor),
        Error::Decode { source, .. } => match source {
            ResponseError::Api {
                errors, warnings, ..
            } => scrub_messages(errors, warnings, redactor),
            ResponseError::Status { excerpt, .. } | ResponseError::NotJson { excerpt, .. } => {
                scrub(excerpt, redactor);
            }
            ResponseError::Malformed {
                message, excerpt, ..
            } => {
                scrub(message, redactor);
                scrub(excerpt, redactor);
            }
            _ => {}
        },
        // A redirect's location is not seen by the model: full redaction here.
        Error::Redirect {
            location: Some(location),
            ..
        } => scrub(location, redactor),
        _ => {}
    }
}
