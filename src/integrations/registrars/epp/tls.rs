//! The TLS client settings for one EPP server: the platform's roots plus
//! a configured CA (private registries, OT&E systems, tests), and the
//! client certificate many registries require. aws-lc-rs, the provider
//! reqwest and lettre use here too.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};

use super::EppConfig;
use crate::integrations::registrars::RegistrarError;

fn bad(what: &str, e: impl std::fmt::Display) -> RegistrarError {
    RegistrarError::Misconfigured(format!("EPP TLS settings: {what}: {e}"))
}

fn certificates(pem: &str, what: &str) -> Result<Vec<CertificateDer<'static>>, RegistrarError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(what, e))?;
    if certs.is_empty() {
        return Err(bad(what, "no certificate in the PEM text"));
    }
    Ok(certs)
}

pub fn client_config(c: &EppConfig) -> Result<Arc<ClientConfig>, RegistrarError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let extra = match c.ca_pem.as_deref() {
        Some(pem) if !pem.trim().is_empty() => certificates(pem, "the CA certificate")?,
        _ => Vec::new(),
    };
    let verifier =
        rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider.clone())
            .map_err(|e| bad("the trusted roots", e))?;
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad("the protocol versions", e))?
        .dangerous()
        // The platform verifier checks chains and names like any client;
        // `dangerous` is only rustls' word for bringing one's own.
        .with_custom_certificate_verifier(Arc::new(verifier));
    let key = c.client_key_pem.as_ref().filter(|k| !k.is_empty());
    let config = match (c.client_cert_pem.as_deref(), key) {
        (Some(cert), Some(key)) => {
            let chain = certificates(cert, "the client certificate")?;
            let key = PrivateKeyDer::from_pem_slice(key.expose().as_bytes())
                .map_err(|e| bad("the client key", e))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| bad("the client certificate", e))?
        }
        (None, None) => builder.with_no_client_auth(),
        _ => {
            return Err(RegistrarError::Misconfigured(
                "EPP TLS settings: a client certificate needs its key, and a key its certificate"
                    .into(),
            ));
        }
    };
    Ok(Arc::new(config))
}
