//! Stripe's webhook events.
//!
//! A gift is named by its charge, `stripe:<charge id>`, as Stripe's payments and balance exports
//! name it, so a gift that arrives by webhook and again in an export is one gift:
//!
//! | event | what the ledger learns |
//! |---|---|
//! | `charge.succeeded`, `charge.refunded`, `charge.updated` | the charge as it now is: amount, instant, status, cumulative `amount_refunded`, donor |
//! | `payment_intent.succeeded` | its `latest_charge`, confirmed, when the event's API version names it |
//! | `payment_intent.payment_failed` | its `latest_charge`, failed |
//! | `invoice.paid` | its `charge` is a payment of the subscription, monthly or yearly by the price's interval |
//! | `charge.dispute.closed` | a lost dispute refunds the disputed amount |
//! | `checkout.session.completed` | nothing: a session does not name its charge, whose own events record it |
//!
//! Any other type is acknowledged and ignored, so Stripe does not retry it for days.

use chrono::DateTime;
use jauge::{Currency, Decimal, Donation, DonationStatus, Interval, Money};

use super::{gift_id, Charge};

use crate::json::{parse, At};
use crate::signature::{hex_hmac, matches, SignatureError};
use crate::{Event, EventError, Interpretation, Mode, Operation};

/// How far a signature's timestamp may be from now, in seconds (the official libraries' 300).
pub const DEFAULT_TOLERANCE: i64 = 300;

/// Checks a `Stripe-Signature` header (`t=…,v1=…[,v1=…]`) against the raw body: any `v1` may
/// match any of `secrets` (secrets rotate), and the timestamp must be within `tolerance`
/// seconds of `now` (Unix seconds), past or future.
///
/// # Errors
///
/// [`SignatureError`]: a header that cannot be read, no match, or a stale timestamp.
pub fn verify(
    header: &str,
    body: &[u8],
    secrets: &[&str],
    now: i64,
    tolerance: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => {
                timestamp = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| SignatureError::Malformed)?,
                )
            }
            Some(("v1", value)) => signatures.push(value),
            Some(_) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let signed_prefix = format!("{timestamp}.");
    let matched = secrets.iter().any(|secret| {
        signatures.iter().any(|signature| {
            matches(
                secret.as_bytes(),
                &[signed_prefix.as_bytes(), body],
                signature,
            )
        })
    });
    if !matched {
        return Err(SignatureError::Mismatch);
    }
    let seconds = now.saturating_sub(timestamp);
    if seconds.saturating_abs() > tolerance {
        return Err(SignatureError::Stale { seconds });
    }
    Ok(())
}

/// The header Stripe would send for `body` at `timestamp`: for tests, and for a test sender.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let signed_prefix = format!("{timestamp}.");
    format!(
        "t={timestamp},v1={}",
        hex_hmac(secret.as_bytes(), &[signed_prefix.as_bytes(), body])
    )
}

/// Reads an event delivered to an endpoint in `mode`.
///
/// # Errors
///
/// The body is not JSON, lacks what its type needs, or describes a gift the core refuses.
pub fn interpret(body: &[u8], mode: Mode) -> Result<Event, EventError> {
    let value = parse(body)?;
    let event = At::root(&value);
    let id = event.str("id")?.to_owned();
    let kind = event.str("type")?.to_owned();
    let live = event.bool("livemode")?;
    let outcome = if live != (mode == Mode::Live) {
        Interpretation::Ignore(format!(
            "a {} event on a {} endpoint: it never counts",
            if live { "live" } else { "test" },
            if mode == Mode::Live { "live" } else { "test" }
        ))
    } else {
        let object = event.object("data.object")?;
        let api_version = event.opt_str("api_version")?;
        interpret_object(&kind, &object, api_version)?
    };
    Ok(Event { id, kind, outcome })
}

fn interpret_object(
    kind: &str,
    object: &At<'_>,
    api_version: Option<&str>,
) -> Result<Interpretation, EventError> {
    let apply = |operations: Vec<Operation>| Ok(Interpretation::Apply(operations));
    match kind {
        "charge.succeeded" | "charge.refunded" | "charge.updated" | "charge.captured" => {
            match charge(object)? {
                Some(gift) => apply(vec![Operation::Record(gift)]),
                None => Ok(Interpretation::Ignore(
                    "a charge not yet paid: its later events record it".into(),
                )),
            }
        }
        "charge.failed" => apply(vec![Operation::Record(failed(object, "id")?)]),
        "payment_intent.succeeded" => match object.opt_str("latest_charge")? {
            Some(charge_id) => apply(vec![Operation::Record(gift_of(
                object,
                charge_id,
                "amount_received",
                DonationStatus::Confirmed,
            )?)]),
            None => Ok(Interpretation::Ignore(format!(
                "a payment intent that does not name its charge (API version {}): the charge's events record it",
                api_version.unwrap_or("unknown")
            ))),
        },
        "payment_intent.payment_failed" => match object.opt_str("latest_charge")? {
            Some(_) => apply(vec![Operation::Record(failed(object, "latest_charge")?)]),
            None => Ok(Interpretation::Ignore(
                "a failed payment intent with no charge: no gift was attempted".into(),
            )),
        },
        "invoice.paid" => invoice(object),
        "charge.dispute.closed" => dispute(object),
        "checkout.session.completed" => Ok(Interpretation::Ignore(
            "a checkout session does not name its charge: the charge's own events record the gift"
                .into(),
        )),
        other => Ok(Interpretation::Ignore(format!(
            "{other} is not about money received"
        ))),
    }
}

fn currency(object: &At<'_>) -> Result<Currency, EventError> {
    let code = object.str("currency")?;
    Currency::try_new(&code.to_ascii_uppercase()).map_err(|e| EventError::Field {
        field: format!("{}.currency", object.path),
        problem: e.to_string(),
    })
}

/// An amount in the currency's smallest unit, exactly (`3000` EUR is 30.00; `3000` JPY is
/// 3000; `3000` KWD is 3.000).
pub fn minor_units(amount: i64, currency: Currency) -> Money {
    Money::rounded(Decimal::new(amount, currency.minor_units()), currency)
}

fn money(object: &At<'_>, field: &str, currency: Currency) -> Result<Money, EventError> {
    Ok(minor_units(object.int(field)?, currency))
}

fn instant(object: &At<'_>) -> Result<chrono::DateTime<chrono::Utc>, EventError> {
    let seconds = object.int("created")?;
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| EventError::Field {
        field: format!("{}.created", object.path),
        problem: "not a time".into(),
    })
}

fn gift_error(e: jauge::DonationError) -> EventError {
    EventError::Gift(e.to_string())
}

/// Who paid a charge: its billing e-mail (as the payments export's `Customer Email`), else its
/// customer.
fn payer<'a>(object: &At<'a>) -> Result<Option<&'a str>, EventError> {
    payer_of(
        object,
        &["billing_details.email", "receipt_email", "customer"],
    )
}

/// The first of `fields` that names someone.
fn payer_of<'a>(object: &At<'a>, fields: &[&str]) -> Result<Option<&'a str>, EventError> {
    for field in fields {
        if let Some(identity) = object.opt_str(field)?.filter(|i| !i.trim().is_empty()) {
            return Ok(Some(identity));
        }
    }
    Ok(None)
}

/// A charge as a gift, or `None` for one not (yet) paid.
fn charge(object: &At<'_>) -> Result<Option<Donation>, EventError> {
    let status = object.str("status")?;
    if status == "failed" {
        return failed(object, "id").map(Some);
    }
    if status != "succeeded" || !object.bool("paid").unwrap_or(true) {
        return Ok(None);
    }
    let currency = currency(object)?;
    let refunded = object.opt_int("amount_refunded")?.unwrap_or(0);
    let status = if refunded > 0 {
        DonationStatus::Refunded {
            refunded: minor_units(refunded, currency),
        }
    } else {
        DonationStatus::Confirmed
    };
    let id = object.str("id")?;
    gift_of(object, id, "amount", status).map(Some)
}

fn gift_of(
    object: &At<'_>,
    charge_id: &str,
    amount_field: &str,
    status: DonationStatus,
) -> Result<Donation, EventError> {
    let currency = currency(object)?;
    Charge {
        id: charge_id,
        amount: money(object, amount_field, currency)?,
        created: instant(object)?,
        status,
        fee: None,
        payer: payer(object)?,
        subscription: None,
    }
    .gift()
    .map_err(gift_error)
}

fn failed(object: &At<'_>, charge_field: &str) -> Result<Donation, EventError> {
    let charge_id = object.str(charge_field)?;
    gift_of(object, charge_id, "amount", DonationStatus::Failed)
}

fn invoice(object: &At<'_>) -> Result<Interpretation, EventError> {
    let Some(charge_id) = object.opt_str("charge")? else {
        return Ok(Interpretation::Ignore(
            "an invoice paid without a charge (a credit or a zero amount): no money received"
                .into(),
        ));
    };
    let Some(subscription) = object.opt_str("subscription")? else {
        return Ok(Interpretation::Ignore(
            "an invoice outside a subscription: its charge's events record it".into(),
        ));
    };
    let interval = object
        .items("lines.data")?
        .iter()
        .find_map(|line| {
            line.opt_str("price.recurring.interval")
                .or_else(|_| line.opt_str("plan.interval"))
                .ok()
                .flatten()
        })
        .ok_or_else(|| EventError::Field {
            field: format!("{}.lines.data", object.path),
            problem: "expected a line whose price has a recurring interval".into(),
        })?;
    let interval = match interval {
        "month" => Interval::Monthly,
        "year" => Interval::Yearly,
        other => {
            return Ok(Interpretation::Ignore(format!(
                "a subscription paid every {other}: jauge counts monthly and yearly gifts"
            )))
        }
    };
    let currency = currency(object)?;
    let gift = Charge {
        id: charge_id,
        amount: money(object, "amount_paid", currency)?,
        created: instant(object)?,
        status: DonationStatus::Confirmed,
        fee: None,
        payer: payer_of(object, &["customer_email", "customer"])?,
        subscription: Some((interval, subscription)),
    }
    .gift()
    .map_err(gift_error)?;
    Ok(Interpretation::Apply(vec![Operation::Record(gift)]))
}

fn dispute(object: &At<'_>) -> Result<Interpretation, EventError> {
    let status = object.str("status")?;
    if status != "lost" {
        return Ok(Interpretation::Ignore(format!(
            "a dispute closed as {status}: the gift stands"
        )));
    }
    let currency = currency(object)?;
    Ok(Interpretation::Apply(vec![Operation::Refund {
        of: gift_id(object.str("charge")?),
        total: money(object, "amount", currency)?,
    }]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::donor_key;

    const SECRET: &str = "whsec_5ecret";

    fn event(kind: &str, live: bool, object: &str) -> Vec<u8> {
        format!(
            r#"{{"id":"evt_1","object":"event","api_version":"2024-06-20","type":"{kind}","created":1702368500,"livemode":{live},"data":{{"object":{object}}}}}"#
        )
        .into_bytes()
    }

    fn charge_object(amount: i64, refunded: i64, currency: &str) -> String {
        format!(
            r#"{{"id":"ch_3OMe1","object":"charge","amount":{amount},"amount_captured":{amount},"amount_refunded":{refunded},"currency":"{currency}","created":1702368420,"status":"succeeded","paid":true,"refunded":{},"customer":"cus_9","billing_details":{{"email":"Ada@Example.org","name":null}},"payment_intent":"pi_1","invoice":null}}"#,
            refunded == amount
        )
    }

    fn one_gift(event: Event) -> Donation {
        match records(event).as_slice() {
            [Operation::Record(gift)] => gift.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn records(event: Event) -> Vec<Operation> {
        match event.outcome {
            Interpretation::Apply(operations) => operations,
            Interpretation::Ignore(why) => panic!("ignored: {why}"),
        }
    }

    #[test]
    fn signatures_as_stripe_documents_them() {
        let body = event("charge.succeeded", true, &charge_object(3000, 0, "eur"));
        let now = 1_702_368_500;
        let header = sign(SECRET, now, &body);
        assert_eq!(verify(&header, &body, &[SECRET], now, 300), Ok(()));
        // Several v1 (a rotation), any may match, with either secret.
        let other = sign("whsec_old", now, &body);
        let both = format!("{header},v1={}", other.split("v1=").nth(1).unwrap());
        assert_eq!(verify(&both, &body, &["whsec_old"], now, 300), Ok(()));
        assert_eq!(verify(&both, &body, &["whsec_x", SECRET], now, 300), Ok(()));
        assert_eq!(
            verify(&header, &body, &["whsec_wrong"], now, 300),
            Err(SignatureError::Mismatch)
        );
        let mut altered = body.clone();
        altered[40] ^= 1;
        assert_eq!(
            verify(&header, &altered, &[SECRET], now, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&header, &body, &[SECRET], now + 301, 300),
            Err(SignatureError::Stale { seconds: 301 })
        );
        assert_eq!(
            verify(&header, &body, &[SECRET], now - 301, 300),
            Err(SignatureError::Stale { seconds: -301 })
        );
        for malformed in ["", "t=abc,v1=00", "v1=00", "t=1", "nonsense"] {
            assert_eq!(
                verify(malformed, &body, &[SECRET], now, 300),
                Err(SignatureError::Malformed),
                "{malformed}"
            );
        }
        // A v0 (a scheme jauge does not trust) alone does not pass.
        let v0 = header.replace("v1=", "v0=");
        assert_eq!(
            verify(&v0, &body, &[SECRET], now, 300),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn charges_become_gifts_named_as_the_exports_name_them() {
        let body = event("charge.succeeded", true, &charge_object(3000, 0, "eur"));
        let gift = one_gift(interpret(&body, Mode::Live).unwrap());
        assert_eq!(gift.id(), "stripe:ch_3OMe1");
        assert_eq!(gift.amount().to_string(), "30.00 EUR");
        // The charge's own time, not the delivery's.
        assert_eq!(gift.received_at().to_rfc3339(), "2023-12-12T08:07:00+00:00");
        // The same key the payments export gives the same e-mail.
        assert_eq!(gift.donor(), Some(donor_key("ada@example.org").as_str()));
        assert_eq!(gift.status(), &DonationStatus::Confirmed);
    }

    #[test]
    fn amounts_in_every_kind_of_minor_unit() {
        for (currency, minor, expected) in [
            ("eur", 3000, "30.00 EUR"),
            ("jpy", 3000, "3000 JPY"),
            ("kwd", 3000, "3.000 KWD"),
            ("usd", 1, "0.01 USD"),
        ] {
            let body = event("charge.succeeded", true, &charge_object(minor, 0, currency));
            let gift = one_gift(interpret(&body, Mode::Live).unwrap());
            assert_eq!(gift.amount().to_string(), expected);
        }
    }

    #[test]
    fn refunds_partial_full_and_by_dispute() {
        let partial = event("charge.refunded", true, &charge_object(5000, 2000, "eur"));
        let gift = one_gift(interpret(&partial, Mode::Live).unwrap());
        assert_eq!(
            gift.status(),
            &DonationStatus::Refunded {
                refunded: Money::parse("20 EUR").unwrap()
            }
        );
        let lost = event(
            "charge.dispute.closed",
            true,
            r#"{"id":"dp_1","object":"dispute","amount":5000,"charge":"ch_3OMe1","currency":"eur","status":"lost","created":1702400000}"#,
        );
        assert_eq!(
            records(interpret(&lost, Mode::Live).unwrap()),
            [Operation::Refund {
                of: "stripe:ch_3OMe1".into(),
                total: Money::parse("50 EUR").unwrap()
            }]
        );
        let won = String::from_utf8(lost)
            .unwrap()
            .replace(r#""lost""#, r#""won""#);
        assert!(matches!(
            interpret(won.as_bytes(), Mode::Live).unwrap().outcome,
            Interpretation::Ignore(_)
        ));
    }

    #[test]
    fn subscriptions_from_invoices() {
        let invoice = r#"{"id":"in_1","object":"invoice","amount_paid":1000,"currency":"eur","created":1702368420,"charge":"ch_9","subscription":"sub_9","customer":"cus_9","customer_email":"bob@example.org","lines":{"object":"list","data":[{"id":"il_1","price":{"id":"price_1","recurring":{"interval":"month","interval_count":1}}}]}}"#;
        let gift = one_gift(interpret(&event("invoice.paid", true, invoice), Mode::Live).unwrap());
        assert_eq!(gift.id(), "stripe:ch_9");
        assert_eq!(
            gift.kind(),
            &jauge::DonationKind::Recurring {
                interval: Interval::Monthly,
                subscription: "stripe:sub_9".into()
            }
        );
        let yearly = invoice.replace("\"month\"", "\"year\"");
        let gift = one_gift(interpret(&event("invoice.paid", true, &yearly), Mode::Live).unwrap());
        assert!(matches!(
            gift.kind(),
            jauge::DonationKind::Recurring {
                interval: Interval::Yearly,
                ..
            }
        ));
    }

    #[test]
    fn payment_intents_failures_sessions_modes_and_unknown_types() {
        let intent = r#"{"id":"pi_1","object":"payment_intent","amount":2500,"amount_received":2500,"currency":"eur","created":1702368420,"latest_charge":"ch_7","status":"succeeded","receipt_email":"c@example.org"}"#;
        let gift = one_gift(
            interpret(&event("payment_intent.succeeded", true, intent), Mode::Live).unwrap(),
        );
        assert_eq!(
            (gift.id(), gift.amount().to_string()),
            ("stripe:ch_7", "25.00 EUR".into())
        );
        let failed = intent.replace("\"succeeded\"", "\"requires_payment_method\"");
        let gift = one_gift(
            interpret(
                &event("payment_intent.payment_failed", true, &failed),
                Mode::Live,
            )
            .unwrap(),
        );
        assert_eq!(gift.status(), &DonationStatus::Failed);
        for (kind, mode, live) in [
            ("checkout.session.completed", Mode::Live, true),
            ("customer.created", Mode::Live, true),
            ("charge.succeeded", Mode::Live, false),
            ("charge.succeeded", Mode::Test, true),
        ] {
            let body = event(kind, live, &charge_object(3000, 0, "eur"));
            let event = interpret(&body, mode).unwrap();
            assert!(
                matches!(event.outcome, Interpretation::Ignore(_)),
                "{kind} {live}: {:?}",
                event.outcome
            );
        }
        // The test endpoint counts test events.
        let body = event("charge.succeeded", false, &charge_object(3000, 0, "eur"));
        assert_eq!(records(interpret(&body, Mode::Test).unwrap()).len(), 1);
    }

    #[test]
    fn malformed_bodies_name_the_field() {
        assert!(matches!(
            interpret(b"{not json", Mode::Live),
            Err(EventError::NotJson(_))
        ));
        let float = String::from_utf8(event(
            "charge.succeeded",
            true,
            &charge_object(3000, 0, "eur"),
        ))
        .unwrap()
        .replace("\"amount\":3000", "\"amount\":30.5");
        assert_eq!(
            interpret(float.as_bytes(), Mode::Live)
                .unwrap_err()
                .to_string(),
            "data.object.amount: expected a whole number"
        );
        let refund_too_large = event("charge.refunded", true, &charge_object(3000, 4000, "eur"));
        assert!(matches!(
            interpret(&refund_too_large, Mode::Live),
            Err(EventError::Gift(_))
        ));
        let no_currency = event(
            "charge.succeeded",
            true,
            &charge_object(3000, 0, "eur").replace("\"currency\":\"eur\",", ""),
        );
        assert_eq!(
            interpret(&no_currency, Mode::Live).unwrap_err().to_string(),
            "data.object.currency: expected a string"
        );
    }
}
