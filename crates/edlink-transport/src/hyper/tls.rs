//! The rustls client configuration: ring provider, TLS 1.2 and 1.3, the
//! webpki public roots plus any roots the caller added. There is deliberately
//! no way to turn certificate verification off.

use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::{TransportError, TransportErrorKind};

/// A root certificate added through the builder, parsed when it builds.
#[derive(Clone)]
pub(crate) enum RootCertificate {
    /// One or more PEM `CERTIFICATE` blocks.
    Pem(Vec<u8>),
    /// One DER-encoded certificate.
    Der(Vec<u8>),
}

/// The TLS configuration for `extra_roots` on top of the public web roots.
pub(crate) fn client_config(
    extra_roots: &[RootCertificate],
) -> Result<ClientConfig, TransportError> {
    let mut roots: RootCertStore = webpki_roots::TLS_SERVER_ROOTS.iter().cloned().collect();
    for root in extra_roots {
        for der in parse(root)? {
            roots
                .add(der)
                .map_err(|err| invalid_root("the certificate was refused", err))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // "Safe defaults" are TLS 1.3 and 1.2; rustls cannot speak anything older.
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| {
            TransportError::with_source(
                TransportErrorKind::Other,
                "the TLS provider supports no safe protocol version",
                err,
            )
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

fn parse(root: &RootCertificate) -> Result<Vec<CertificateDer<'static>>, TransportError> {
    match root {
        RootCertificate::Der(der) => Ok(vec![CertificateDer::from(der.clone())]),
        RootCertificate::Pem(pem) => {
            let certificates = CertificateDer::pem_slice_iter(pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| invalid_root("the PEM could not be read", err))?;
            if certificates.is_empty() {
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    "invalid root certificate: no CERTIFICATE block in the PEM",
                ));
            }
            Ok(certificates)
        }
    }
}

fn invalid_root(what: &str, err: impl std::error::Error + Send + Sync + 'static) -> TransportError {
    TransportError::with_source(
        TransportErrorKind::Other,
        format!("invalid root certificate: {what}"),
        err,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn default_config_builds() {
        let config = client_config(&[]).unwrap();
        assert!(config.enable_sni);
    }

    #[test]
    fn garbage_roots_are_refused() {
        let err = client_config(&[RootCertificate::Pem(b"not a pem".to_vec())]).unwrap_err();
        assert!(err.message().contains("no CERTIFICATE block"), "{err}");
        let err = client_config(&[RootCertificate::Der(vec![1, 2, 3])]).unwrap_err();
        assert!(err.message().contains("refused"), "{err}");
    }
}
