//! Mollie's webhooks, of either generation, as nudges: neither is taken at its word.
//!
//! - **Classic** webhooks are unsigned and carry only a payment's id, form-encoded (`id=tr_…`).
//! - **Next-gen** webhooks are JSON events (`{"resource": "event", "id": "event_…", "type":
//!   "payment-link.paid", "entityId": …}`) signed in `X-Mollie-Signature` (`sha256=` and the hex
//!   HMAC-SHA256 of the raw body with the webhook's signing secret).
//!
//! Either way the receiver reads the payment through Mollie's API (for a Payment Link's event,
//! which names the link, the link's newest payments) with the organisation's key
//! ([`PaymentResource::read`]) and records it as it now stands, so a forged nudge can at most
//! make jauge read a payment again, and deliveries in any order end in the same gift. The event
//! taken once is the payment's state (its id, status, refunded and charged-back amounts): a
//! redelivery of the same state is taken once, a change is taken again.

use chrono::{DateTime, Utc};
use jauge::{Currency, Decimal, Interval, Money};

use super::Payment;

use crate::json::{parse, At};
use crate::signature::{hex_hmac, matches, SignatureError};
use crate::{Event, EventError, Interpretation, Mode, Operation};

/// The header Mollie signs its next-gen deliveries in.
pub const SIGNATURE_HEADER: &str = "x-mollie-signature";
const PREFIX: &str = "sha256=";

/// Checks an `X-Mollie-Signature` header (`sha256=<hex>`) against the raw body with any of
/// `secrets` (several while one is rotated), in constant time.
///
/// # Errors
///
/// [`SignatureError::Malformed`] without a header, [`SignatureError::Mismatch`] otherwise.
pub fn verify(header: Option<&str>, body: &[u8], secrets: &[&str]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Malformed)?;
    let hex = header.trim().strip_prefix(PREFIX).unwrap_or(header);
    if secrets
        .iter()
        .any(|secret| matches(secret.as_bytes(), &[body], hex))
    {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The header Mollie would send for `body`: for tests, and for a test sender.
pub fn sign(secret: &str, body: &[u8]) -> String {
    format!("{PREFIX}{}", hex_hmac(secret.as_bytes(), &[body]))
}

/// What a delivery asks the receiver to read again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nudge {
    /// The payment (`tr_…`), where it names one.
    pub payment: Option<String>,
    /// What it was: `payment` for a classic webhook, the event's type for a next-gen one.
    pub kind: String,
    /// What it names, when that is not a payment (`pl_…`, `ord_…`), for the log.
    pub other: Option<String>,
}

/// Whether `id` is one Mollie makes for a payment: `tr_` and letters and digits.
fn payment_id(id: &str) -> bool {
    id.strip_prefix("tr_").is_some_and(|rest| {
        !rest.is_empty() && rest.len() <= 64 && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// Reads a delivery: a next-gen JSON event, or a classic form (`id=tr_…`).
///
/// # Errors
///
/// A JSON body that is not an event, or a form without an `id`.
pub fn read(body: &[u8]) -> Result<Nudge, EventError> {
    let text = std::str::from_utf8(body).unwrap_or_default().trim();
    if text.starts_with('{') {
        let value = parse(body)?;
        let event = At::root(&value);
        let kind = event.str("type")?.to_owned();
        let entity = event.str("entityId")?;
        return Ok(if payment_id(entity) {
            Nudge {
                payment: Some(entity.to_owned()),
                kind,
                other: None,
            }
        } else {
            Nudge {
                payment: None,
                kind,
                other: Some(entity.to_owned()),
            }
        });
    }
    let id = text
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "id")
        .map(|(_, value)| percent_decoded(value))
        .ok_or_else(|| EventError::Field {
            field: "id".into(),
            problem: "expected a form with the id of a payment (id=tr_…)".into(),
        })?;
    Ok(if payment_id(&id) {
        Nudge {
            payment: Some(id),
            kind: "payment".into(),
            other: None,
        }
    } else {
        Nudge {
            payment: None,
            kind: "payment".into(),
            other: Some(id),
        }
    })
}

/// A form value, `+` and `%XX` decoded (an id never needs them; a stray one is kept as sent).
fn percent_decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A payment as Mollie's API answers it (`GET /v2/payments/tr_…`, or an item of its list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentResource {
    id: String,
    live: bool,
    amount: Money,
    back: Money,
    created: DateTime<Utc>,
    status: String,
    customer: Option<String>,
    subscription: Option<String>,
}

fn money(at: &At<'_>, field: &str) -> Result<Money, EventError> {
    let object = at.object(field)?;
    let problem = |problem: String| EventError::Field {
        field: format!("{}.{field}", at.path)
            .trim_start_matches('.')
            .to_owned(),
        problem,
    };
    let code = object.str("currency")?;
    let currency = Currency::try_new(code).map_err(|e| problem(e.to_string()))?;
    let value = object.str("value")?;
    let amount: Decimal = value
        .parse()
        .map_err(|_| problem(format!("{value:?} is not an amount")))?;
    Money::try_new(amount, currency).map_err(|e| problem(e.to_string()))
}

fn optional_money(at: &At<'_>, field: &str, currency: Currency) -> Result<Money, EventError> {
    match at.get(field) {
        Some(_) => money(at, field),
        None => Ok(Money::zero(currency)),
    }
}

impl PaymentResource {
    /// Reads the API's answer about one payment.
    ///
    /// # Errors
    ///
    /// The answer is not JSON or lacks what a payment has (its fields named by path).
    pub fn read(answer: &[u8]) -> Result<PaymentResource, EventError> {
        let value = parse(answer)?;
        let payment = At::root(&value);
        let amount = money(&payment, "amount")?;
        let refunded = optional_money(&payment, "amountRefunded", amount.currency())?;
        let charged_back = optional_money(&payment, "amountChargedBack", amount.currency())?;
        let back = refunded
            .checked_add(charged_back)
            .map_err(|e| EventError::Field {
                field: "amountRefunded".into(),
                problem: e.to_string(),
            })?;
        let created_text = payment.str("createdAt")?;
        let created = DateTime::parse_from_rfc3339(created_text)
            .map_err(|e| EventError::Field {
                field: "createdAt".into(),
                problem: format!("{created_text:?} is not a date with an offset: {e}"),
            })?
            .to_utc();
        Ok(PaymentResource {
            id: payment.str("id")?.to_owned(),
            live: payment.opt_str("mode")? != Some("test"),
            amount,
            back,
            created,
            status: payment.str("status")?.to_owned(),
            customer: payment.opt_str("customerId")?.map(str::to_owned),
            subscription: payment.opt_str("subscriptionId")?.map(str::to_owned),
        })
    }

    /// Its id (`tr_…`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its customer and subscription, where it pays one: the subscription's interval is the
    /// subscription's to say, read under its customer.
    pub fn subscription(&self) -> Option<(&str, &str)> {
        self.customer.as_deref().zip(self.subscription.as_deref())
    }

    /// When it was created.
    pub fn created(&self) -> DateTime<Utc> {
        self.created
    }

    /// The event that records it as it now stands, for an endpoint in `mode`; `interval` is
    /// its subscription's, where it pays one.
    ///
    /// # Errors
    ///
    /// Its status is one Mollie does not document, or the core refuses its gift.
    pub fn event(&self, interval: Option<Interval>, mode: Mode) -> Result<Event, EventError> {
        use sha2::Digest;
        let state = format!(
            "{}|{}|{}",
            self.status,
            self.back.amount(),
            self.amount.amount()
        );
        let digest: String = sha2::Sha256::digest(state.as_bytes())[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let id = format!("{}:{digest}", self.id);
        let kind = format!("payment.{}", self.status);
        if self.live != (mode == Mode::Live) {
            return Ok(Event {
                id,
                kind,
                outcome: Interpretation::Ignore(format!(
                    "a {} payment on a {} key: it never counts",
                    if self.live { "live" } else { "test" },
                    if mode == Mode::Live { "live" } else { "test" }
                )),
            });
        }
        let status = super::status(&self.status, self.amount, self.back).ok_or_else(|| {
            EventError::Field {
                field: "status".into(),
                problem: format!("{:?}: expected {}", self.status, super::STATUSES),
            }
        })?;
        let gift = Payment {
            id: &self.id,
            amount: self.amount,
            created: self.created,
            status,
            customer: self.customer.as_deref(),
            subscription: interval.zip(self.subscription.as_deref()),
        }
        .gift()
        .map_err(|e| EventError::Gift(e.to_string()))?;
        Ok(Event {
            id,
            kind,
            outcome: Interpretation::Apply(vec![Operation::Record(gift)]),
        })
    }
}

/// How often a subscription charges, from the API's answer (`GET
/// /v2/customers/cst_…/subscriptions/sub_…`): monthly, yearly, or `None` for another rhythm.
///
/// # Errors
///
/// The answer is not JSON or lacks `interval`.
pub fn subscription_interval(answer: &[u8]) -> Result<Option<Interval>, EventError> {
    let value = parse(answer)?;
    Ok(super::interval(At::root(&value).str("interval")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jauge::DonationStatus;

    const SECRET: &str = "mollie_signing_secret";

    fn payment(status: &str, refunded: &str, mode: &str) -> PaymentResource {
        PaymentResource::read(format!(r#"{{"resource":"payment","id":"tr_WDqYK6vllg","mode":"{mode}","createdAt":"2023-12-01T10:00:00+00:00","amount":{{"value":"25.00","currency":"EUR"}},"description":"Don","method":"ideal","status":"{status}","amountRefunded":{{"value":"{refunded}","currency":"EUR"}},"amountRemaining":{{"value":"25.00","currency":"EUR"}},"customerId":"cst_8wmqcHMN4U","subscriptionId":"sub_rVKGtNd6s3","sequenceType":"recurring","_links":{{}}}}"#).as_bytes()).unwrap()
    }

    fn gift(event: Event) -> jauge::Donation {
        match event.outcome {
            Interpretation::Apply(ops) => match ops.into_iter().next() {
                Some(Operation::Record(gift)) => gift,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn signatures_with_their_prefix() {
        let body =
            br#"{"resource":"event","id":"event_1","type":"payment-link.paid","entityId":"pl_1"}"#;
        let header = sign(SECRET, body);
        assert!(header.starts_with("sha256="));
        assert_eq!(verify(Some(&header), body, &[SECRET]), Ok(()));
        assert_eq!(verify(Some(&header[7..]), body, &[SECRET]), Ok(()));
        assert_eq!(
            verify(Some(&header), body, &["other"]),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(None, body, &[SECRET]),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn both_generations_only_name_a_payment() {
        assert_eq!(
            read(b"id=tr_WDqYK6vllg").unwrap().payment.as_deref(),
            Some("tr_WDqYK6vllg")
        );
        assert_eq!(
            read(b"id=tr_WDqY%4Bvllg").unwrap().payment.as_deref(),
            Some("tr_WDqYKvllg")
        );
        let other = read(b"id=ord_kEn1PlbGa").unwrap();
        assert_eq!(
            (other.payment, other.other.as_deref()),
            (None, Some("ord_kEn1PlbGa"))
        );
        assert!(read(b"id=tr_../../x").unwrap().payment.is_none());
        assert!(read(b"nothing=here").is_err());
        let next = read(
            br#"{"resource":"event","id":"event_1","type":"payment.paid","entityId":"tr_abc123"}"#,
        )
        .unwrap();
        assert_eq!(
            (next.kind.as_str(), next.payment.as_deref()),
            ("payment.paid", Some("tr_abc123"))
        );
        assert!(read(br#"{"resource":"event"}"#).is_err());
    }

    #[test]
    fn the_payment_as_it_now_stands() {
        let paid = gift(
            payment("paid", "0.00", "live")
                .event(Some(Interval::Monthly), Mode::Live)
                .unwrap(),
        );
        assert_eq!(paid.id(), "mollie:tr_WDqYK6vllg");
        assert_eq!(paid.amount().to_string(), "25.00 EUR");
        assert_eq!(paid.status(), &DonationStatus::Confirmed);
        assert_eq!(
            paid.kind(),
            &jauge::DonationKind::Recurring {
                interval: Interval::Monthly,
                subscription: "mollie:sub_rVKGtNd6s3".into()
            }
        );
        let refunded = payment("paid", "5.00", "live");
        assert_eq!(
            gift(refunded.event(None, Mode::Live).unwrap()).status(),
            &DonationStatus::Refunded {
                refunded: Money::parse("5 EUR").unwrap()
            }
        );
        // Each state is its own event; the same state is the same event.
        let (a, b) = (
            payment("paid", "0.00", "live")
                .event(None, Mode::Live)
                .unwrap(),
            refunded.event(None, Mode::Live).unwrap(),
        );
        assert_ne!(a.id, b.id);
        assert_eq!(
            a.id,
            payment("paid", "0.00", "live")
                .event(None, Mode::Live)
                .unwrap()
                .id
        );
        // A test payment never counts on a live key.
        assert!(matches!(
            payment("paid", "0.00", "test")
                .event(None, Mode::Live)
                .unwrap()
                .outcome,
            Interpretation::Ignore(_)
        ));
        assert!(payment("teleported", "0.00", "live")
            .event(None, Mode::Live)
            .is_err());
        assert_eq!(
            subscription_interval(
                br#"{"resource":"subscription","id":"sub_1","interval":"1 month"}"#
            )
            .unwrap(),
            Some(Interval::Monthly)
        );
    }
}
