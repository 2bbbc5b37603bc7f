//! Edlink's envelope: `$data`/`$next`/`$request`/`$warnings` and `$errors`, built from bytes.

use bytes::{BufMut, Bytes, BytesMut};
use http::StatusCode;

use crate::text::json_string;

/// An error answer: status plus one `$errors` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// Edlink sends 400 for most errors.
    pub(crate) fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
}

/// A `$warnings` entry.
pub(crate) type Warning = (String, String);

/// A complete answer before faults are applied.
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Bytes,
    /// How many bytes at the start of `body` are the same each time this answer is given
    /// (a list page's `{"$data":[…]`), for the gzip cache; 0 for none.
    pub(crate) cacheable: usize,
    /// The items in a list page (0 otherwise), for the per-item latency.
    pub(crate) items: usize,
}

pub(crate) const JSON: &str = "application/json; charset=utf-8";

impl Reply {
    pub(crate) fn json(status: StatusCode, body: Bytes) -> Self {
        Self {
            status,
            content_type: JSON,
            headers: Vec::new(),
            body,
            cacheable: 0,
            items: 0,
        }
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

fn put_entries(buf: &mut BytesMut, key: &str, entries: &[(&str, &str)]) {
    buf.put_slice(b",\"");
    buf.put_slice(key.as_bytes());
    buf.put_slice(b"\":[");
    for (i, (code, message)) in entries.iter().enumerate() {
        if i > 0 {
            buf.put_u8(b',');
        }
        buf.put_slice(b"{\"code\":");
        buf.put_slice(json_string(code).as_bytes());
        buf.put_slice(b",\"message\":");
        buf.put_slice(json_string(message).as_bytes());
        buf.put_u8(b'}');
    }
    buf.put_u8(b']');
}

fn put_tail(buf: &mut BytesMut, request_id: &str, warnings: &[Warning]) {
    buf.put_slice(b",\"$request\":\"");
    buf.put_slice(request_id.as_bytes());
    buf.put_u8(b'"');
    if !warnings.is_empty() {
        let w: Vec<(&str, &str)> = warnings
            .iter()
            .map(|(c, m)| (c.as_str(), m.as_str()))
            .collect();
        put_entries(buf, "$warnings", &w);
    }
    buf.put_u8(b'}');
}

/// `{"$request":…,"$errors":[…]}` (plus `$warnings` when there are some).
pub(crate) fn error_body(request_id: &str, errors: &[(&str, &str)], warnings: &[Warning]) -> Bytes {
    let mut buf = BytesMut::with_capacity(128);
    buf.put_slice(b"{\"$request\":\"");
    buf.put_slice(request_id.as_bytes());
    buf.put_u8(b'"');
    put_entries(&mut buf, "$errors", errors);
    if !warnings.is_empty() {
        let w: Vec<(&str, &str)> = warnings
            .iter()
            .map(|(c, m)| (c.as_str(), m.as_str()))
            .collect();
        put_entries(&mut buf, "$warnings", &w);
    }
    buf.put_u8(b'}');
    buf.freeze()
}

/// The reply for an [`ApiError`].
pub(crate) fn error_reply(err: &ApiError, request_id: &str, warnings: &[Warning]) -> Reply {
    let body = error_body(request_id, &[(err.code, &err.message)], warnings);
    Reply::json(err.status, body)
}

/// A list page's body, and what the answer needs to know about it.
pub(crate) struct ListBody {
    pub(crate) bytes: Bytes,
    /// The length of `{"$data":[…]`, the part that does not change between requests.
    pub(crate) data_end: usize,
    pub(crate) items: usize,
}

/// `{"$data":[items…],"$next":…,"$request":…}`: one copy of each pre-serialized item.
pub(crate) fn list_body<'a>(
    items: impl Iterator<Item = &'a Bytes> + Clone,
    next: Option<&str>,
    request_id: &str,
    warnings: &[Warning],
) -> ListBody {
    let size: usize =
        items.clone().map(|b| b.len() + 1).sum::<usize>() + next.map_or(0, |n| n.len() + 16) + 160;
    let mut buf = BytesMut::with_capacity(size);
    buf.put_slice(b"{\"$data\":[");
    let mut count = 0;
    for item in items {
        if count > 0 {
            buf.put_u8(b',');
        }
        buf.put_slice(item);
        count += 1;
    }
    buf.put_u8(b']');
    let data_end = buf.len();
    if let Some(next) = next {
        buf.put_slice(b",\"$next\":");
        buf.put_slice(json_string(next).as_bytes());
    }
    put_tail(&mut buf, request_id, warnings);
    ListBody {
        bytes: buf.freeze(),
        data_end,
        items: count,
    }
}

/// `{"$data":{item},"$request":…}`.
pub(crate) fn fetch_body(item: &Bytes, request_id: &str, warnings: &[Warning]) -> Bytes {
    let mut buf = BytesMut::with_capacity(item.len() + 80);
    buf.put_slice(b"{\"$data\":");
    buf.put_slice(item);
    put_tail(&mut buf, request_id, warnings);
    buf.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_are_json() {
        let items = [
            Bytes::from_static(b"{\"id\":1}"),
            Bytes::from_static(b"{\"id\":2}"),
        ];
        let w = [("PAGING_IGNORED".to_owned(), "x \"quoted\"".to_owned())];
        let list = list_body(items.iter(), Some("http://h/p?$cursor=ab"), "r", &w);
        assert_eq!(
            (list.items, &list.bytes[..list.data_end]),
            (2, &b"{\"$data\":[{\"id\":1},{\"id\":2}]"[..])
        );
        let body = list.bytes;
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(v["$data"][1]["id"], 2);
        assert_eq!(v["$next"], "http://h/p?$cursor=ab");
        assert_eq!(v["$warnings"][0]["message"], "x \"quoted\"");
        let body = list_body([].iter(), None, "r", &[]).bytes;
        assert_eq!(&body[..], b"{\"$data\":[],\"$request\":\"r\"}");
        let body = error_body("r", &[("NOT_FOUND", "gone")], &[]);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(v["$errors"][0]["code"], "NOT_FOUND");
        let body = fetch_body(&items[0], "r", &[]);
        assert_eq!(&body[..], b"{\"$data\":{\"id\":1},\"$request\":\"r\"}");
    }
}
