//! Decoding a large body off the async worker threads.
//!
//! Decoding is CPU work that never waits: done on a worker thread it holds that thread, and
//! every task queued there, for as long as it takes (about 30 ms for a 10,000-integration
//! page). Bodies larger than [`INLINE_MAX_BYTES`] are therefore decoded on tokio's blocking
//! pool, which exists for exactly this; smaller ones are decoded where the response arrived,
//! since the hop to another thread would cost more than it frees.

use bytes::Bytes;
use edlink_model::{Response, ResponseError};
use serde::de::DeserializeOwned;

/// Bodies up to this size are decoded in place. Typed integrations decode at about 200 MB/s
/// on the development machine, so 64 KiB takes about 0.33 ms, and `serde_json::Value` items
/// about 0.6 ms: under the millisecond a task may hold a worker, with room for a loaded
/// machine. A round trip to the blocking pool costs about 27 µs, under a tenth of that.
/// Measured by `cargo xtask bench --network` (`docs/performance.md`, "One page ahead, and
/// decoding off the worker threads").
pub(crate) const INLINE_MAX_BYTES: usize = 64 * 1024;

/// [`edlink_model::decode_response`], on the blocking pool when `body` is large and a tokio
/// runtime is running (in place otherwise). A panic in `T`'s `Deserialize` reaches the
/// caller as it would in place. If the caller stops waiting, the decoding finishes on its
/// thread and its result is dropped.
pub(crate) async fn decode_response<T>(
    status: u16,
    content_type: Option<&str>,
    body: &Bytes,
) -> Result<Response<T>, ResponseError>
where
    T: DeserializeOwned + Send + 'static,
{
    if body.len() <= INLINE_MAX_BYTES {
        return edlink_model::decode_response(status, content_type, body);
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return edlink_model::decode_response(status, content_type, body);
    };
    let (owned_body, owned_type) = (body.clone(), content_type.map(str::to_owned));
    let decoded = runtime
        .spawn_blocking(move || {
            edlink_model::decode_response(status, owned_type.as_deref(), &owned_body)
        })
        .await;
    match decoded {
        Ok(decoded) => decoded,
        Err(join) => match join.try_into_panic() {
            Ok(payload) => std::panic::resume_unwind(payload),
            // Cancelled: only when the runtime shuts down before the pool ran it.
            Err(_) => edlink_model::decode_response(status, content_type, body),
        },
    }
}
