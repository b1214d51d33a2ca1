//! HMAC-SHA256 signatures, checked in constant time, and why a delivery's signature was refused
//! (PayPal's, RSA with a certificate, is checked in [`crate::paypal::events`]).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why a signature was refused. The HTTP answer does not say which: a forger learns nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No signature header, or one that cannot be read.
    #[error("missing or malformed signature header")]
    Malformed,
    /// No signature matches the body with any of the secrets.
    #[error("no signature matches")]
    Mismatch,
    /// The certificate that signed it is not the platform's: not trusted, expired, or for
    /// another name (PayPal), and why.
    #[error("the certificate is not the platform's: {0}")]
    Certificate(String),
    /// The signature's timestamp is too far from now (a replayed delivery).
    #[error("the signature's timestamp is {seconds} s from now, beyond the tolerance")]
    Stale {
        /// How far, in seconds.
        seconds: i64,
    },
}

/// The hex HMAC-SHA256 of `parts`, one after the other, keyed with `key`.
pub fn hex_hmac(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = new_mac(key);
    for part in parts {
        mac.update(part);
    }
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length: this cannot fail.
    <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// Whether `hex` is the HMAC-SHA256 of `parts` keyed with `key`, compared in constant time.
pub fn matches(key: &[u8], parts: &[&[u8]], hex: &str) -> bool {
    let Some(expected) = decode_hex(hex) else {
        return false;
    };
    let mut mac = new_mac(key);
    for part in parts {
        mac.update(part);
    }
    mac.verify_slice(&expected).is_ok()
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    let hex = hex.trim();
    if hex.len() != 64 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test case 2.
    #[test]
    fn hmac_sha256_as_the_rfc_gives_it() {
        let hex = hex_hmac(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(matches(b"Jefe", &[b"what do ya want for nothing?"], &hex));
        assert!(!matches(b"Jefe", &[b"what do ya want for nothing!"], &hex));
        assert!(!matches(b"Jefe", &[b"x"], "not hex"));
        assert!(!matches(b"Jefe", &[b"x"], &hex[..62]));
    }
}
