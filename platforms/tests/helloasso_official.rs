//! jauge's reading of HelloAsso's orders against HelloAsso's own code: the official
//! `helloasso-python` package from PyPI (generated from HelloAsso's API description; `cargo
//! xtask test` installs the version pinned in `xtask/src/main.rs`) reads the same orders into the
//! same payments, and every payment state it knows is one jauge says what it does with: counted
//! as received, pending, failed or refunded, or (four of them) not money at all.

use jauge::DonationStatus;
use jauge_platforms::{helloasso, Interpretation, Operation};

use crate::python::python;

/// The official package checked against, as `cargo xtask test` installs it.
const PACKAGE: &str = "helloasso-python==1.0.8";

/// The SDK's reading of an order: each payment as `id amount state`.
const READ: &str = r#"
import sys, json
from helloasso_python.models.hello_asso_api_v5_models_statistics_order_detail import HelloAssoApiV5ModelsStatisticsOrderDetail as Order
order = Order.from_dict(json.loads(sys.argv[1]))
for p in order.payments:
    print(p.id, p.amount, p.state.value, p.var_date.isoformat())
"#;

/// Every payment state the SDK knows.
const STATES: &str = r#"
from helloasso_python.models.hello_asso_api_v5_models_enums_payment_state import HelloAssoApiV5ModelsEnumsPaymentState as S
print(" ".join(s.value for s in S))
"#;

fn order(state: &str) -> String {
    format!(
        r#"{{"id":4101,"date":"2023-05-18T10:34:38.4293708+02:00","formSlug":"dons","formType":"Donation","organizationSlug":"asso","amount":{{"total":3000}},"payer":{{"email":"ada@example.org","firstName":"Ada"}},"items":[{{"id":9001,"type":"Donation","amount":3000,"state":"Processed"}}],"payments":[{{"id":7001,"amount":3000,"date":"2023-05-18T10:34:38.4293708+02:00","state":"{state}","paymentMeans":"Card","refundOperations":[]}}]}}"#
    )
}

fn jauge_reads(state: &str) -> Option<DonationStatus> {
    let notification = format!(r#"{{"eventType":"Order","data":{}}}"#, order(state));
    match helloasso::interpret(notification.as_bytes())
        .unwrap()
        .outcome
    {
        Interpretation::Apply(operations) => match &operations[0] {
            Operation::Record(gift) => Some(*gift.status()),
            other => panic!("{other:?}"),
        },
        Interpretation::Ignore(_) => None,
    }
}

#[test]
fn helloassos_code_reads_the_same_payments() {
    let theirs = python(PACKAGE, READ, &[&order("Authorized")]);
    assert_eq!(
        theirs,
        "7001 3000 Authorized 2023-05-18T10:34:38.429370+02:00"
    );
    let notification = format!(r#"{{"eventType":"Order","data":{}}}"#, order("Authorized"));
    let Interpretation::Apply(operations) = helloasso::interpret(notification.as_bytes())
        .unwrap()
        .outcome
    else {
        panic!("ignored")
    };
    let Operation::Record(gift) = &operations[0] else {
        panic!("not a record")
    };
    assert_eq!(gift.id(), "helloasso:7001");
    assert_eq!(gift.amount().to_string(), "30.00 EUR");
    assert_eq!(
        gift.received_at().to_rfc3339(),
        "2023-05-18T08:34:38.429370800+00:00"
    );
}

#[test]
fn every_payment_state_helloasso_knows_has_a_meaning_in_jauge() {
    let states = python(PACKAGE, STATES, &[]);
    let mut not_money = Vec::new();
    for state in states.split(' ') {
        // HelloAsso's code takes each state as valid.
        python(PACKAGE, READ, &[&order(state)]);
        match jauge_reads(state) {
            Some(_) => {}
            None => not_money.push(state),
        }
    }
    not_money.sort_unstable();
    assert_eq!(
        not_money,
        [
            "AuthorizedPreprod",
            "Corrected",
            "Inconsistent",
            "NoDonation"
        ],
        "states jauge does not count as money, of {states}"
    );
    assert_eq!(
        jauge_reads("WaitingBankWithdraw"),
        Some(DonationStatus::Pending)
    );
    assert_eq!(jauge_reads("Error"), Some(DonationStatus::Failed));
    assert_eq!(jauge_reads("Registered"), Some(DonationStatus::Confirmed));
}
