//! A transport that logs method, path and outcome to stderr, around any other.
use bytes::Bytes;
use edlink_transport::{BoxFuture, HyperTransport, Transport, TransportError};

struct Logging<T>(T);

impl<T: Transport> Transport for Logging<T> {
    fn send(
        &self,
        req: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let line = format!("{} {}", req.method(), req.uri().path());
        Box::pin(async move {
            let result = self.0.send(req).await;
            match &result {
                Ok(response) => eprintln!("{line} -> {}", response.status()),
                Err(err) => eprintln!("{line} -> {err}"),
            }
            result
        })
    }
}

#[tokio::main]
async fn main() {
    let request = http::Request::get("https://ed.link/api/v2/graph/people").body(Bytes::new());
    let transport = Logging(HyperTransport::new());
    let _ = transport.send(request.unwrap_or_default()).await;
}
