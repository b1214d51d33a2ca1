//! jauge's GoCardless webhooks against GoCardless's own code: the official `gocardless_pro`
//! package from PyPI (`cargo xtask test` installs the version pinned in `xtask/src/main.rs`)
//! accepts the signatures jauge makes and refuses what jauge refuses, jauge accepts the ones
//! its verifier accepts, and both read the same events out of a delivery.

use crate::python::python;

use jauge_platforms::gocardless;

/// The official package checked against, as `cargo xtask test` installs it.
const PACKAGE: &str = "gocardless_pro==3.22.0";

const SECRET: &str = "gc_endpoint_secret_0123456789";

/// The SDK's parse: each event as `id resource_type action payment`, or `refused`.
const PARSE: &str = r#"
import sys
from gocardless_pro import webhooks
from gocardless_pro.errors import InvalidSignatureError
body, secret, signature = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    for event in webhooks.parse(body, secret, signature):
        print(event.id, event.resource_type, event.action, event.links.payment)
except InvalidSignatureError:
    print("refused")
"#;

/// The digest as the SDK's own verifier computes it (its private `_verify_signature` compares
/// against exactly this), checked by the SDK before it is printed.
const SIGN: &str = r#"
import sys, hmac, hashlib
from gocardless_pro import webhooks
body, secret = sys.argv[1], sys.argv[2]
digest = hmac.new(webhooks.to_bytes(secret), webhooks.to_bytes(body), hashlib.sha256).hexdigest()
webhooks._verify_signature(body, secret, digest)
print(digest)
"#;

fn delivery() -> String {
    r#"{"events":[{"id":"EV1","created_at":"2023-12-01T10:00:00.000Z","resource_type":"payments","action":"confirmed","details":{"origin":"gocardless","cause":"payment_confirmed","description":"Enough time has passed since the payment was submitted for the banks to return an error, so this payment is now confirmed."},"metadata":{},"links":{"payment":"PM1"}},{"id":"EV2","created_at":"2023-12-01T10:00:01.000Z","resource_type":"refunds","action":"created","links":{"refund":"RF1","payment":"PM2"}},{"id":"EV3","created_at":"2023-12-01T10:00:02.000Z","resource_type":"mandates","action":"active","links":{"mandate":"MD1"}}],"meta":{"webhook_id":"WB1"}}"#.to_owned()
}

#[test]
fn gocardless_code_accepts_jauges_signatures_and_reads_the_same_events() {
    let body = delivery();
    let signature = gocardless::sign(SECRET, body.as_bytes());
    let parsed = python(PACKAGE, PARSE, &[&body, SECRET, &signature]);
    let ours: Vec<String> = gocardless::read(body.as_bytes())
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{} {} {} {}",
                n.id,
                n.resource,
                n.action,
                n.payment.as_deref().unwrap_or("None")
            )
        })
        .collect();
    assert_eq!(parsed, ours.join("\n"));
    // And refuses what jauge refuses: another secret, an altered body.
    assert_eq!(
        python(PACKAGE, PARSE, &[&body, "another", &signature]),
        "refused"
    );
    let altered = body.replace("PM1", "PM9");
    assert_eq!(
        python(PACKAGE, PARSE, &[&altered, SECRET, &signature]),
        "refused"
    );
    assert!(gocardless::verify(Some(&signature), altered.as_bytes(), &[SECRET]).is_err());
}

#[test]
fn jauge_accepts_the_signatures_gocardless_code_accepts() {
    let body = delivery();
    let signature = python(PACKAGE, SIGN, &[&body, SECRET]);
    assert_eq!(
        gocardless::verify(Some(&signature), body.as_bytes(), &[SECRET]),
        Ok(())
    );
    assert_eq!(signature, gocardless::sign(SECRET, body.as_bytes()));
}
