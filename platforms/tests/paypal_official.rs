//! jauge's PayPal signatures against PayPal's own code: the official `paypalrestsdk` package
//! from PyPI (`cargo xtask test` installs the version pinned in `xtask/src/main.rs`) makes the
//! same signed text as jauge for the same delivery and agrees on which test certificate is
//! PayPal's; the RSA check it delegates to (through pyOpenSSL, to the `cryptography` library)
//! accepts what jauge accepts and refuses what jauge refuses, and jauge accepts what it signs.
//! (The SDK's own `verify` needs a pyOpenSSL too old for this Python's other packages, and
//! trusts only its bundled DigiCert roots, so the test certificates go through its parts.)

use crate::python::python;
use jauge_platforms::paypal;
use rustls_pki_types::pem::PemObject;

use rustls_pki_types::CertificateDer;

/// The official package checked against, as `cargo xtask test` installs it.
const PACKAGE: &str = "paypalrestsdk==1.13.3";

fn fixture(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/paypal/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The SDK's signed text for a delivery.
const SIGNED_TEXT: &str = r#"
import sys
from paypalrestsdk.notifications import WebhookEvent
print(WebhookEvent._get_expected_sig(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]))
"#;

/// Whether the SDK takes a certificate's name for PayPal's.
const NAME: &str = r#"
import sys
from OpenSSL import crypto
from paypalrestsdk.notifications import WebhookEvent
cert = crypto.load_certificate(crypto.FILETYPE_PEM, open(sys.argv[1]).read())
print(WebhookEvent._is_common_name_valid(cert))
"#;

/// Signs a text with a key (PKCS#1 v1.5, SHA-256), base64.
const SIGN: &str = r#"
import sys, base64
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), password=None)
print(base64.b64encode(key.sign(sys.argv[2].encode(), padding.PKCS1v15(), hashes.SHA256())).decode())
"#;

/// Checks a signature over a text with a certificate's key, as the SDK's `_verify_signature`
/// has pyOpenSSL do.
const CHECK: &str = r#"
import sys, base64
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
cert = x509.load_pem_x509_certificate(open(sys.argv[1], "rb").read())
try:
    cert.public_key().verify(base64.b64decode(sys.argv[3]), sys.argv[2].encode(), padding.PKCS1v15(), hashes.SHA256())
    print("accepted")
except InvalidSignature:
    print("refused")
"#;

const ID: &str = "8e5f6a10-d2a0-11ef-9c4f-2d8e5a1b7c3d";
const TIME: &str = "2026-12-06T10:00:00Z";
const WEBHOOK: &str = "WH-TEST-1";

fn body(value: &str) -> String {
    format!(
        r#"{{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","summary":"Don de {value} € — merci","resource":{{"id":"CAP1","amount":{{"currency_code":"EUR","value":"{value}"}},"status":"COMPLETED","create_time":"2026-12-06T09:59:58Z"}}}}"#
    )
}

fn jauge_checks(body: &str, signature: &str, cert: &str) -> bool {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(fixture(cert))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let root: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(fixture("root.pem"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let roots = [webpki::anchor_from_trusted_cert(&root[0]).unwrap()];
    let transmission = paypal::Transmission {
        id: ID,
        time: TIME,
        signature,
        cert_url: "https://api.paypal.com/v1/notifications/certs/CERT-1",
        algorithm: "SHA256withRSA",
    };
    let now = chrono::DateTime::parse_from_rfc3339(TIME).unwrap().to_utc();
    paypal::verify(
        &transmission,
        body.as_bytes(),
        &[WEBHOOK],
        &chain,
        &roots,
        now,
    )
    .is_ok()
}

#[test]
fn paypals_code_signs_the_same_text_and_takes_the_same_certificate_for_paypals() {
    for value in ["30.00", "1 000,00", "12.5\n"] {
        let body = body(value);
        assert_eq!(
            python(PACKAGE, SIGNED_TEXT, &[ID, TIME, WEBHOOK, &body]),
            paypal::signed_text(ID, TIME, WEBHOOK, body.as_bytes()),
            "{body}"
        );
    }
    assert_eq!(python(PACKAGE, NAME, &[&fixture("cert.pem")]), "True");
    assert_eq!(
        python(PACKAGE, NAME, &[&fixture("other-name.pem")]),
        "False"
    );
}

#[test]
fn the_rsa_check_accepts_what_jauge_accepts_and_refuses_what_it_refuses() {
    let body = body("30.00");
    let text = paypal::signed_text(ID, TIME, WEBHOOK, body.as_bytes());
    let signature = python(PACKAGE, SIGN, &[&fixture("cert.key"), &text]);
    assert!(jauge_checks(&body, &signature, "cert.pem"));
    assert_eq!(
        python(PACKAGE, CHECK, &[&fixture("cert.pem"), &text, &signature]),
        "accepted"
    );
    // An altered body: its signed text differs, and both refuse it.
    let altered = body.replace("30.00", "3000.00");
    let altered_text = paypal::signed_text(ID, TIME, WEBHOOK, altered.as_bytes());
    assert!(!jauge_checks(&altered, &signature, "cert.pem"));
    assert_eq!(
        python(
            PACKAGE,
            CHECK,
            &[&fixture("cert.pem"), &altered_text, &signature]
        ),
        "refused"
    );
    // Signed by another key than the certificate's: both refuse.
    let other = python(PACKAGE, SIGN, &[&fixture("untrusted.key"), &text]);
    assert!(!jauge_checks(&body, &other, "cert.pem"));
    assert_eq!(
        python(PACKAGE, CHECK, &[&fixture("cert.pem"), &text, &other]),
        "refused"
    );
}
