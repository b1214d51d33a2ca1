//! jauge's Stripe signatures against Stripe's own code: the official `stripe` package from PyPI
//! (`cargo xtask test` installs the version pinned in `xtask/src/main.rs`) verifies the headers
//! jauge signs, and jauge verifies the headers Stripe's code computes.

use crate::python::python;

use jauge_platforms::stripe;

/// The official package checked against, as `cargo xtask test` installs it.
const PACKAGE: &str = "stripe==12.5.1";

const SECRET: &str = "whsec_test_9f8e7d6c5b4a";

const VERIFY: &str = r#"
import sys, stripe
payload, header, secret = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    stripe.Webhook.construct_event(payload, header, secret, tolerance=300)
    print("accepted")
except stripe.SignatureVerificationError:
    print("refused")
"#;

const SIGN: &str = r#"
import sys, time, stripe
payload, secret = sys.argv[1], sys.argv[2]
t = int(time.time())
signature = stripe.WebhookSignature._compute_signature("%d.%s" % (t, payload), secret)
print("t=%d,v1=%s" % (t, signature))
"#;

fn payload() -> String {
    r#"{"id":"evt_1","object":"event","type":"charge.succeeded","created":1702368500,"livemode":true,"data":{"object":{"id":"ch_1","object":"charge","amount":3000,"amount_refunded":0,"currency":"eur","created":1702368420,"status":"succeeded","paid":true}}}"#.to_owned()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[test]
fn stripes_code_accepts_jauges_signatures() {
    let body = payload();
    let header = stripe::sign(SECRET, now(), body.as_bytes());
    assert_eq!(
        python(PACKAGE, VERIFY, &[&body, &header, SECRET]),
        "accepted"
    );
    // And refuses them as jauge does: another secret, an altered body, an old timestamp.
    assert_eq!(
        python(PACKAGE, VERIFY, &[&body, &header, "whsec_other"]),
        "refused"
    );
    let altered = body.replace("3000", "3001");
    assert_eq!(
        python(PACKAGE, VERIFY, &[&altered, &header, SECRET]),
        "refused"
    );
    let old = stripe::sign(SECRET, now() - 3600, body.as_bytes());
    assert_eq!(python(PACKAGE, VERIFY, &[&body, &old, SECRET]), "refused");
}

#[test]
fn jauge_accepts_stripes_signatures() {
    let body = payload();
    let header = python(PACKAGE, SIGN, &[&body, SECRET]);
    assert!(header.starts_with("t="), "{header}");
    assert_eq!(
        stripe::verify(
            &header,
            body.as_bytes(),
            &[SECRET],
            now(),
            stripe::DEFAULT_TOLERANCE
        ),
        Ok(())
    );
    let altered = body.replace("3000", "3001");
    assert!(stripe::verify(
        &header,
        altered.as_bytes(),
        &[SECRET],
        now(),
        stripe::DEFAULT_TOLERANCE
    )
    .is_err());
}
