//! The defaults every transport of this crate shares.

use std::time::Duration;

/// Default time for one request, response headers and whole body: 60 seconds.
///
/// ```
/// assert_eq!(edlink_transport::DEFAULT_REQUEST_TIMEOUT.as_secs(), 60);
/// ```
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Default response body cap (after decompression): 64 MiB.
///
/// ```
/// assert_eq!(edlink_transport::DEFAULT_MAX_BODY_BYTES, 64 << 20);
/// ```
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
