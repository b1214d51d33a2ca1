//! PayPal's certificates: fetched from the URL a delivery names, only on PayPal's own hosts over
//! verified TLS (the HTTP client's rustls, with the system's roots), bounded, and kept: PayPal
//! signs with one certificate for months, so a fetch is rare and a forged URL costs nothing.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, TrustAnchor};

use crate::error::CliError;

/// The webhook's id in PayPal's dashboard (`WH-…`; several, comma-separated, while one is being
/// replaced): what the signature covers, and what enables the endpoint.
pub const PAYPAL_WEBHOOK_ID: &str = "JAUGE_PAYPAL_WEBHOOK_ID";
/// For tests only: an address (`http://127.0.0.1:…/`) certificates may also be fetched from.
pub const PAYPAL_CERT_BASE: &str = "JAUGE_PAYPAL_CERT_BASE";
/// For tests only: a PEM file of a root to trust besides the system's.
pub const PAYPAL_CERT_ROOT: &str = "JAUGE_PAYPAL_CERT_ROOT";
/// The largest certificate chain read.
const MAX_CHAIN_BYTES: usize = 64 * 1024;
/// Certificates kept at once (PayPal uses one or two at a time; a flood of forged URLs on
/// PayPal's hosts cannot grow the cache past this).
const KEPT: usize = 16;

/// The roots PayPal's certificates must chain to, and the certificates fetched so far.
pub struct Certificates {
    roots: Vec<TrustAnchor<'static>>,
    also: Option<String>,
    kept: Mutex<HashMap<String, Arc<Vec<CertificateDer<'static>>>>>,
}

impl std::fmt::Debug for Certificates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificates")
            .field("roots", &self.roots.len())
            .finish_non_exhaustive()
    }
}

impl Certificates {
    /// The system's roots (and `extra_root`, a PEM file, for tests), and certificates fetched
    /// also from under `also` (for tests).
    ///
    /// # Errors
    ///
    /// No root could be loaded, or `extra_root` cannot be read.
    pub fn load(extra_root: Option<&Path>, also: Option<String>) -> Result<Certificates, CliError> {
        let mut roots = Vec::new();
        let found = rustls_native_certs::load_native_certs();
        for certificate in &found.certs {
            if let Ok(anchor) = webpki::anchor_from_trusted_cert(certificate) {
                roots.push(anchor.to_owned());
            }
        }
        if let Some(path) = extra_root {
            let certificates = CertificateDer::pem_file_iter(path)
                .and_then(|all| all.collect::<Result<Vec<_>, _>>())
                .map_err(|e| CliError::Secret {
                    place: path.display().to_string(),
                    problem: format!("not a PEM certificate: {e}"),
                })?;
            for certificate in &certificates {
                let anchor = webpki::anchor_from_trusted_cert(certificate).map_err(|e| {
                    CliError::Secret {
                        place: path.display().to_string(),
                        problem: format!("not a root certificate: {e}"),
                    }
                })?;
                roots.push(anchor.to_owned());
            }
        }
        if roots.is_empty() {
            return Err(CliError::Secret {
                place: PAYPAL_WEBHOOK_ID.into(),
                problem: "no trusted root certificate on this machine to check PayPal's against (install ca-certificates)".into(),
            });
        }
        Ok(Certificates {
            roots,
            also,
            kept: Mutex::new(HashMap::new()),
        })
    }

    /// The roots.
    pub fn roots(&self) -> &[TrustAnchor<'static>] {
        &self.roots
    }

    /// Where else certificates may come from (tests).
    pub fn also(&self) -> Option<&str> {
        self.also.as_deref()
    }

    /// The chain at `url` (already checked as PayPal's), fetched once.
    ///
    /// # Errors
    ///
    /// It cannot be fetched (a 503: PayPal retries), or is not PEM certificates.
    pub fn get(&self, url: &str) -> Result<Arc<Vec<CertificateDer<'static>>>, String> {
        if let Some(chain) = self.kept.lock().map_err(|_| "poisoned")?.get(url) {
            return Ok(chain.clone());
        }
        let asking = super::API_ASKING;
        let pem =
            crate::catch_up::fetch_bytes(url, &asking, MAX_CHAIN_BYTES, "PayPal's certificate")?;
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .map_err(|e| format!("PayPal's certificate at {url} is not PEM: {e}"))?;
        if chain.is_empty() {
            return Err(format!("no certificate at {url}"));
        }
        let chain = Arc::new(chain);
        let mut kept = self.kept.lock().map_err(|_| "poisoned")?;
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(url.to_owned(), chain.clone());
        Ok(chain)
    }
}
