//! Scrubbing the application key out of anything a server sent back.
//!
//! The client never puts the key in an error or a log itself; but a server
//! (or a proxy) may echo it in an error message, an HTML page or a header.
//! Every server-provided string that reaches an [`Error`] or a log passes here.

use edlink_model::{ApiError, ApiWarning, ResponseError};

use crate::Error;

const REDACTED: &str = "[redacted]";

fn scrub(text: &mut String, secret: &str) {
    if !secret.is_empty() && text.contains(secret) {
        *text = text.replace(secret, REDACTED);
    }
}

fn scrub_messages(errors: &mut [ApiError], warnings: &mut [ApiWarning], secret: &str) {
    for message in errors.iter_mut().filter_map(|e| e.message.as_mut()) {
        scrub(message, secret);
    }
    scrub_warnings(warnings, secret);
}

/// Removes `secret` from warning messages.
pub(crate) fn scrub_warnings(warnings: &mut [ApiWarning], secret: &str) {
    for message in warnings.iter_mut().filter_map(|w| w.message.as_mut()) {
        scrub(message, secret);
    }
}

/// Removes `secret` from every server-provided string in `err`.
pub(crate) fn scrub_error(err: &mut Error, secret: &str) {
    match err {
        Error::Api {
            errors, warnings, ..
        }
        | Error::Authentication {
            errors, warnings, ..
        } => scrub_messages(errors, warnings, secret),
        Error::Decode { source, .. } => match source {
            ResponseError::Api {
                errors, warnings, ..
            } => scrub_messages(errors, warnings, secret),
            ResponseError::Status { excerpt, .. } | ResponseError::NotJson { excerpt, .. } => {
                scrub(excerpt, secret);
            }
            ResponseError::Malformed {
                message, excerpt, ..
            } => {
                scrub(message, secret);
                scrub(excerpt, secret);
            }
            _ => {}
        },
        Error::Redirect {
            location: Some(location),
            ..
        } => scrub(location, secret),
        _ => {}
    }
}
