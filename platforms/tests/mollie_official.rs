//! jauge's reading of Mollie's payments against Mollie's own code: the official
//! `mollie-api-python` package from PyPI (`cargo xtask test` installs the version pinned in
//! `xtask/src/main.rs`) reads the same payment JSON into the same status, amounts, customer,
//! subscription and mode. Mollie's webhooks carry nothing else (a payment's id, or a next-gen
//! event naming it); its Python and Node SDKs publish no signature verifier to hold jauge's
//! against (the PHP one's scheme, `sha256=` and the hex HMAC-SHA256 of the body, is what
//! `mollie::verify` checks).

use crate::python::python;
use jauge::{DonationStatus, Interval};
use jauge_platforms::{mollie, Interpretation, Mode, Operation};

/// The official package checked against, as `cargo xtask test` installs it.
const PACKAGE: &str = "mollie-api-python==4.0.0";

/// The SDK's reading: status helpers, amount, refunded, charged back, customer, subscription,
/// mode.
const READ: &str = r#"
import sys, json
from mollie.api.objects.payment import Payment
p = Payment(json.loads(sys.argv[1]), None)
flags = [name for name in ["open", "pending", "authorized", "paid", "canceled", "expired", "failed"]
         if getattr(p, "is_" + name)()]
print(" ".join(flags), p.amount["value"], p.amount["currency"],
      (p.amount_refunded or {}).get("value", "0.00"), (p.amount_chargedback or {}).get("value", "0.00"),
      p.customer_id, p.subscription_id, p.mode)
"#;

fn payment(status: &str, paid: bool, refunded: &str, charged_back: &str) -> String {
    let paid_at = if paid {
        r#""paidAt":"2023-12-01T10:01:00+00:00","#
    } else {
        ""
    };
    format!(
        r#"{{"resource":"payment","id":"tr_WDqYK6vllg","mode":"live","createdAt":"2023-12-01T10:00:00+00:00",{paid_at}"amount":{{"value":"25.00","currency":"EUR"}},"description":"Don","method":"ideal","status":"{status}","amountRefunded":{{"value":"{refunded}","currency":"EUR"}},"amountChargedBack":{{"value":"{charged_back}","currency":"EUR"}},"customerId":"cst_8wmqcHMN4U","subscriptionId":"sub_rVKGtNd6s3","sequenceType":"recurring","profileId":"pfl_1","_links":{{}}}}"#
    )
}

#[test]
fn mollies_code_and_jauge_read_a_payment_alike() {
    let cases = [
        ("open", false, "0.00", "0.00", DonationStatus::Pending),
        ("authorized", false, "0.00", "0.00", DonationStatus::Pending),
        ("paid", true, "0.00", "0.00", DonationStatus::Confirmed),
        ("expired", false, "0.00", "0.00", DonationStatus::Failed),
        ("canceled", false, "0.00", "0.00", DonationStatus::Failed),
        ("failed", false, "0.00", "0.00", DonationStatus::Failed),
        (
            "paid",
            true,
            "5.00",
            "0.00",
            DonationStatus::Refunded {
                refunded: jauge::Money::parse("5 EUR").unwrap(),
            },
        ),
        (
            "paid",
            true,
            "0.00",
            "25.00",
            DonationStatus::Refunded {
                refunded: jauge::Money::parse("25 EUR").unwrap(),
            },
        ),
    ];
    for (status, paid, refunded, charged_back, expected) in cases {
        let json = payment(status, paid, refunded, charged_back);
        let theirs = python(PACKAGE, READ, &[&json]);
        let flags = theirs.split(' ').next().unwrap();
        assert_eq!(
            theirs,
            format!(
                "{flags} 25.00 EUR {refunded} {charged_back} cst_8wmqcHMN4U sub_rVKGtNd6s3 live"
            )
        );
        // Mollie's code says paid exactly where jauge counts the money as received.
        let received = matches!(
            expected,
            DonationStatus::Confirmed | DonationStatus::Refunded { .. }
        );
        assert_eq!(theirs.contains("paid"), received, "{status}: {theirs}");
        let read = mollie::PaymentResource::read(json.as_bytes()).unwrap();
        let event = read.event(Some(Interval::Monthly), Mode::Live).unwrap();
        let Interpretation::Apply(operations) = event.outcome else {
            panic!("{status}: ignored")
        };
        let Operation::Record(gift) = &operations[0] else {
            panic!("{status}: not a record")
        };
        assert_eq!(gift.status(), &expected, "{status}");
        assert_eq!(gift.amount().to_string(), "25.00 EUR");
    }
}
