//! `HyperTransport` over HTTPS to a local tokio-rustls server with a
//! self-signed certificate for `localhost`.
#![cfg(feature = "rustls")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use edlink_transport::{HyperTransport, Transport, TransportErrorKind};
use http_body_util::Full;

fn get(url: &str) -> http::Request<Bytes> {
    http::Request::get(url).body(Bytes::new()).unwrap()
}

fn hello(request: http::Request<hyper::body::Incoming>) -> http::Response<Full<Bytes>> {
    let body = format!("hello over {:?}", request.version());
    http::Response::new(Full::new(Bytes::from(body)))
}

#[tokio::test]
async fn trusted_through_added_pem_root() {
    let cert = common::localhost_cert();
    let server = common::https_server(&cert, hello).await;
    let transport = HyperTransport::builder()
        .add_root_certificate_pem(&cert.pem)
        .build()
        .unwrap();

    for _ in 0..3 {
        let response = transport.send(get(&server.https_url("/"))).await.unwrap();
        assert_eq!(response.status(), 200);
        // ALPN picked HTTP/2.
        assert_eq!(response.version(), http::Version::HTTP_2);
        assert_eq!(&response.body()[..], b"hello over HTTP/2.0");
    }
    assert_eq!(server.accepted(), 1, "the TLS connection is reused");
}

#[tokio::test]
async fn trusted_through_added_der_root() {
    let cert = common::localhost_cert();
    let server = common::https_server(&cert, hello).await;
    let transport = HyperTransport::builder()
        .add_root_certificate(&cert.der)
        .build()
        .unwrap();
    let response = transport.send(get(&server.https_url("/"))).await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn untrusted_certificate_is_tls() {
    let cert = common::localhost_cert();
    let server = common::https_server(&cert, hello).await;
    let err = HyperTransport::new()
        .send(get(&server.https_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err:?}");
    assert!(!err.is_retryable());
    // The rustls reason is in the cause, printed once by a chain printer.
    assert!(common::error_chain(&err).contains("UnknownIssuer"), "{err}");
    common::assert_printed_once(&err, "UnknownIssuer");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn certificate_for_another_name_is_tls() {
    let cert = common::localhost_cert();
    let server = common::https_server(&cert, hello).await;
    let transport = HyperTransport::builder()
        .add_root_certificate_pem(&cert.pem)
        .build()
        .unwrap();
    // The certificate names `localhost`, not the address.
    let url = format!("https://{}/", server.addr);
    let err = transport.send(get(&url)).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err:?}");
}

#[tokio::test]
async fn stalled_handshake_hits_the_connect_timeout() {
    let server = common::silent_server().await;
    let transport = HyperTransport::builder()
        .connect_timeout(Duration::from_millis(200))
        .request_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = transport
        .send(get(&server.https_url("/")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err:?}");
    assert!(
        err.to_string().contains("no connection within 200ms"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn invalid_root_certificates_fail_the_build() {
    let err = HyperTransport::builder()
        .add_root_certificate_pem("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
        .build()
        .unwrap_err();
    assert!(err.message().contains("invalid root certificate"), "{err}");
    let err = HyperTransport::builder()
        .add_root_certificate(b"not DER")
        .build()
        .unwrap_err();
    assert!(err.message().contains("invalid root certificate"), "{err}");
}
