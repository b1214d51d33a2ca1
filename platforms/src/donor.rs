//! The donor key every export and webhook gives the same person.

/// A pseudonymous donor key from an e-mail address or a provider's customer id: the same
/// person always gets the same key, whatever export or webhook names them, and the ledger never
/// holds the address itself.
pub fn donor_key(identity: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(identity.trim().to_lowercase().as_bytes());
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("h:{hex}")
}
