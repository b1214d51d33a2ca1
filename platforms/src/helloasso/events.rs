//! HelloAsso's notifications (API v5): `{"eventType": "Order" | "Payment" | "Form", "data": …}`.
//!
//! A gift is named by its payment, `helloasso:<payment id>`, as the payments export names it; the
//! payments of a monthly donation (`installmentNumber`) are one subscription,
//! `helloasso:<order id>`. Toward a donation campaign only donations count: the whole payment of
//! a `Donation` form, and of any other form (a membership, an event) only its items of type
//! `Donation`. Amounts are integers in cents.

use chrono::{DateTime, Utc};
use jauge::{Channel, Currency, Donation, DonationStatus, Interval, Money};

use super::Payment;

use crate::json::{parse, At};
use crate::signature::{matches, SignatureError};
use crate::stripe::minor_units;
use crate::{Event, EventError, Interpretation, Operation};

/// Checks the `x-ha-signature` header: the hex HMAC-SHA256 of the raw body keyed with the
/// notification URL's signature key.
///
/// # Errors
///
/// [`SignatureError::Malformed`] without a header, [`SignatureError::Mismatch`] otherwise.
pub fn verify(header: Option<&str>, body: &[u8], key: &str) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Malformed)?;
    if matches(key.as_bytes(), &[body], header) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Reads a notification.
///
/// # Errors
///
/// The body is not JSON, lacks what its type needs, or describes a gift the core refuses.
pub fn interpret(body: &[u8]) -> Result<Event, EventError> {
    let value = parse(body)?;
    let root = At::root(&value);
    let kind = root.str("eventType")?.to_owned();
    let data = root.object("data")?;
    // HelloAsso's notifications have no id of their own, and one payment is notified again
    // when its state changes (paid, then refunded): the id is the object's plus a digest of
    // the body, so a redelivery is taken once and a change is taken too.
    let digest = content_digest(body);
    let (id, outcome) = match kind.as_str() {
        "Order" => (format!("order:{}:{digest}", data.int("id")?), order(&data)?),
        "Payment" => (
            format!("payment:{}:{digest}", data.int("id")?),
            payment(&data)?,
        ),
        other => (
            format!(
                "{}:{}",
                other.to_lowercase(),
                data.opt_int("id")?.unwrap_or(0)
            ),
            Interpretation::Ignore(format!(
                "a {other} notification is not about money received"
            )),
        ),
    };
    Ok(Event { id, kind, outcome })
}

/// The order a notification is about: an order's id, or a payment's order's; `None` for a
/// notification about no order (a form).
///
/// # Errors
///
/// The body is not JSON, or lacks the id its type has.
pub fn order_id(body: &[u8]) -> Result<Option<i64>, EventError> {
    let value = parse(body)?;
    let root = At::root(&value);
    match root.str("eventType")? {
        "Order" => root.int("data.id").map(Some),
        "Payment" => root.int("data.order.id").map(Some),
        _ => Ok(None),
    }
}

/// The first 16 hex digits of the body's SHA-256.
fn content_digest(body: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(body)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn instant(at: &At<'_>, field: &str) -> Result<DateTime<Utc>, EventError> {
    let text = at.str(field)?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| EventError::Field {
            field: format!("{}.{field}", at.path),
            problem: format!("{text:?} is not a date with an offset: {e}"),
        })
}

fn cents(at: &At<'_>, field: &str) -> Result<Money, EventError> {
    Ok(minor_units(at.int(field)?, Currency::EUR))
}

fn status(payment: &At<'_>, amount: Money) -> Result<Option<DonationStatus>, EventError> {
    // Every state HelloAsso's API describes (its own SDK's list, held against this in
    // platforms/tests/helloasso_official.rs): received, on its way (a direct debit waiting for
    // the bank, an authentication), failed, refunded; the rest (a test-environment
    // authorisation, a correction, an inconsistency, no donation) is not money received.
    Ok(Some(match payment.str("state")? {
        "Authorized" | "Processed" | "Registered" => DonationStatus::Confirmed,
        "Pending"
        | "Waiting"
        | "Unknown"
        | "WaitingBankValidation"
        | "WaitingBankWithdraw"
        | "WaitingAuthentication"
        | "Init" => DonationStatus::Pending,
        "Refused" | "Canceled" | "Contested" | "Abandoned" | "Error" | "Deleted" => {
            DonationStatus::Failed
        }
        "Refunded" | "Refunding" => {
            let mut refunded = 0;
            for operation in payment.items("refundOperations")? {
                refunded += operation.int("amount")?;
            }
            let refunded = if refunded > 0 {
                at_most(minor_units(refunded, Currency::EUR), amount)
            } else {
                amount
            };
            DonationStatus::Refunded { refunded }
        }
        _ => return Ok(None),
    }))
}

/// `money`, or `cap` if that is less (a membership's payment refunds at most its donation
/// part).
fn at_most(money: Money, cap: Money) -> Money {
    if money.checked_cmp(&cap).is_ok_and(|o| o.is_gt()) {
        cap
    } else {
        money
    }
}

fn gift_error(e: jauge::DonationError) -> EventError {
    EventError::Gift(e.to_string())
}

/// The gift that a payment of an order holds: `amount` of it counts.
fn gift(
    payment: &At<'_>,
    amount: Money,
    order_id: i64,
    payer_email: Option<&str>,
) -> Result<Option<Donation>, EventError> {
    let Some(status) = status(payment, amount)? else {
        return Ok(None);
    };
    let id = payment.int("id")?.to_string();
    let order = order_id.to_string();
    let monthly = payment.opt_int("installmentNumber")?.is_some();
    Payment {
        id: &id,
        amount,
        date: instant(payment, "date")?,
        status,
        channel: Channel::Online,
        payer: payer_email,
        subscription: monthly.then_some((Interval::Monthly, order.as_str())),
    }
    .gift()
    .map(Some)
    .map_err(gift_error)
}

/// The donation part of an order's items, in cents; `None` when it has no donation item.
fn donation_part(items: &[At<'_>], amount_field: &str) -> Result<Option<i64>, EventError> {
    let mut total = None;
    for item in items {
        if item.opt_str("type")? == Some("Donation") {
            *total.get_or_insert(0) += item.int(amount_field)?;
        }
    }
    Ok(total)
}

fn order(order: &At<'_>) -> Result<Interpretation, EventError> {
    let order_id = order.int("id")?;
    let form = order.str("formType")?;
    let email = order.opt_str("payer.email")?;
    let payments = order.items("payments")?;
    let mut operations = Vec::new();
    if form == "Donation" {
        for payment in &payments {
            if let Some(gift) = gift(payment, cents(payment, "amount")?, order_id, email)? {
                operations.push(Operation::Record(gift));
            }
        }
    } else {
        let Some(part) = donation_part(&order.items("items")?, "amount")? else {
            return Ok(Interpretation::Ignore(format!(
                "a {form} order without a donation: nothing toward the campaign"
            )));
        };
        // The donation part is paid by the order's first payment (or its only one).
        if let Some(payment) = payments.first() {
            let amount = at_most(minor_units(part, Currency::EUR), cents(payment, "amount")?);
            if let Some(gift) = gift(payment, amount, order_id, email)? {
                operations.push(Operation::Record(gift));
            }
        }
    }
    if operations.is_empty() {
        return Ok(Interpretation::Ignore(
            "an order with no payment yet: its payments will record it".into(),
        ));
    }
    Ok(Interpretation::Apply(operations))
}

fn payment(payment: &At<'_>) -> Result<Interpretation, EventError> {
    let order = payment.object("order")?;
    let order_id = order.int("id")?;
    let form = order.str("formType")?;
    let email = payment.opt_str("payer.email")?;
    let amount = if form == "Donation" {
        cents(payment, "amount")?
    } else {
        match donation_part(&payment.items("items")?, "shareAmount")? {
            Some(part) => at_most(minor_units(part, Currency::EUR), cents(payment, "amount")?),
            None => {
                return Ok(Interpretation::Ignore(format!(
                    "a payment of a {form} without a donation: nothing toward the campaign"
                )))
            }
        }
    };
    Ok(match gift(payment, amount, order_id, email)? {
        Some(gift) => Interpretation::Apply(vec![Operation::Record(gift)]),
        None => Interpretation::Ignore(format!(
            "a payment in state {}: not money received",
            payment.str("state")?
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::donor_key;

    const KEY: &str = "ha-signature-key";

    fn records(event: Event) -> Vec<Donation> {
        match event.outcome {
            Interpretation::Apply(operations) => operations
                .into_iter()
                .map(|op| match op {
                    Operation::Record(gift) => gift,
                    other => panic!("{other:?}"),
                })
                .collect(),
            Interpretation::Ignore(why) => panic!("ignored: {why}"),
        }
    }

    const DONATION_ORDER: &str = r#"{"eventType":"Order","data":{"id":4101,"date":"2023-05-18T10:34:38.4293708+02:00","formSlug":"dons","formType":"Donation","organizationSlug":"asso","amount":{"total":3000},"payer":{"email":"Ada@example.org","firstName":"Ada"},"items":[{"id":9001,"type":"Donation","amount":3000,"state":"Processed"}],"payments":[{"id":7001,"amount":3000,"date":"2023-05-18T10:34:38.4293708+02:00","state":"Authorized","paymentMeans":"Card"}]}}"#;

    #[test]
    fn signatures_over_the_raw_body() {
        let body = DONATION_ORDER.as_bytes();
        let header = crate::signature::hex_hmac(KEY.as_bytes(), &[body]);
        assert_eq!(verify(Some(&header), body, KEY), Ok(()));
        assert_eq!(
            verify(Some(&header), body, "another key"),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(verify(None, body, KEY), Err(SignatureError::Malformed));
        let mut altered = body.to_vec();
        altered[10] ^= 1;
        assert_eq!(
            verify(Some(&header), &altered, KEY),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_donation_order_with_seven_fractional_digits() {
        let gifts = records(interpret(DONATION_ORDER.as_bytes()).unwrap());
        assert_eq!(gifts.len(), 1);
        assert_eq!(gifts[0].id(), "helloasso:7001");
        assert_eq!(gifts[0].amount().to_string(), "30.00 EUR");
        assert_eq!(
            gifts[0].received_at().to_rfc3339(),
            "2023-05-18T08:34:38.429370800+00:00"
        );
        assert_eq!(
            gifts[0].donor(),
            Some(donor_key("ada@example.org").as_str())
        );
    }

    #[test]
    fn only_the_donation_part_of_a_membership_counts() {
        let membership = r#"{"eventType":"Order","data":{"id":4102,"formType":"Membership","payer":{"email":"b@example.org"},"items":[{"id":1,"type":"Membership","amount":1000},{"id":2,"type":"Donation","amount":500}],"payments":[{"id":7002,"amount":1500,"date":"2023-12-01T09:00:00+01:00","state":"Authorized"}]}}"#;
        let gifts = records(interpret(membership.as_bytes()).unwrap());
        assert_eq!(
            (gifts[0].id(), gifts[0].amount().to_string()),
            ("helloasso:7002", "5.00 EUR".into())
        );
        let without = membership.replace(r#",{"id":2,"type":"Donation","amount":500}"#, "");
        assert!(matches!(
            interpret(without.as_bytes()).unwrap().outcome,
            Interpretation::Ignore(_)
        ));
    }

    #[test]
    fn monthly_payments_refunds_and_refusals() {
        let payment = |state: &str, installment: u32, refunds: &str| {
            format!(
                r#"{{"eventType":"Payment","data":{{"id":{},"amount":1500,"date":"2023-12-0{installment}T09:00:00+01:00","state":"{state}","installmentNumber":{installment},"refundOperations":[{refunds}],"payer":{{"email":"c@example.org"}},"order":{{"id":4103,"formType":"Donation"}}}}}}"#,
                8000 + installment
            )
        };
        let first = records(interpret(payment("Authorized", 1, "").as_bytes()).unwrap());
        let second = records(interpret(payment("Authorized", 2, "").as_bytes()).unwrap());
        assert_eq!(first[0].kind(), second[0].kind());
        assert_eq!(
            first[0].kind(),
            &jauge::DonationKind::Recurring {
                interval: Interval::Monthly,
                subscription: "helloasso:4103".into()
            }
        );
        assert_ne!(first[0].id(), second[0].id());
        let refunded = records(
            interpret(payment("Refunded", 1, r#"{"id":1,"amount":500}"#).as_bytes()).unwrap(),
        );
        assert_eq!(
            refunded[0].status(),
            &DonationStatus::Refunded {
                refunded: Money::parse("5 EUR").unwrap()
            }
        );
        let refused = records(interpret(payment("Refused", 3, "").as_bytes()).unwrap());
        assert_eq!(refused[0].status(), &DonationStatus::Failed);
    }

    #[test]
    fn forms_and_bad_bodies() {
        let form = r#"{"eventType":"Form","data":{"id":1,"formSlug":"dons"}}"#;
        assert!(matches!(
            interpret(form.as_bytes()).unwrap().outcome,
            Interpretation::Ignore(_)
        ));
        let bad_date = DONATION_ORDER.replace(
            r#""date":"2023-05-18T10:34:38.4293708+02:00","state""#,
            r#""date":"18/05/2023","state""#,
        );
        assert!(
            interpret(bad_date.as_bytes())
                .unwrap_err()
                .to_string()
                .starts_with("data.payments[0].date: \"18/05/2023\" is not a date with an offset"),
            "{:?}",
            interpret(bad_date.as_bytes())
        );
    }
}
