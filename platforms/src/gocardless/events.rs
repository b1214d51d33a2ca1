//! GoCardless's webhooks: a POST of `{"events": [ … ]}`, up to 250 events, signed in
//! `Webhook-Signature` (the hex HMAC-SHA256 of the raw body with the endpoint's secret).
//!
//! An event names what it is about (`resource_type` `payments`, `action` `confirmed`,
//! `links.payment` `PM…`) but not its amount: the receiver reads the payment through
//! GoCardless's API ([`PaymentResource::read`]) and records it as it now stands, so events
//! applied in any order, again or late, end in the same gift. Events about refunds name their
//! payment too, whose `amount_refunded` then says how much went back. Any other resource
//! (mandates, payouts, subscriptions, whose payments have their own events) is acknowledged and
//! ignored.

use chrono::{DateTime, Utc};
use jauge::{Currency, Interval, Money};

use super::Payment;

use crate::json::{parse, At};
use crate::signature::{hex_hmac, matches, SignatureError};
use crate::stripe::minor_units;
use crate::{Event, EventError, Interpretation, Operation};

/// The header GoCardless signs its deliveries in.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// Checks a `Webhook-Signature` header: the hex HMAC-SHA256 of the raw body keyed with the
/// endpoint's secret (any of `secrets`, while one is being rotated), compared in constant time.
///
/// # Errors
///
/// [`SignatureError::Malformed`] without a header, [`SignatureError::Mismatch`] otherwise.
pub fn verify(header: Option<&str>, body: &[u8], secrets: &[&str]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Malformed)?;
    if secrets
        .iter()
        .any(|secret| matches(secret.as_bytes(), &[body], header))
    {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The header GoCardless would send for `body`: for tests, and for a test sender.
pub fn sign(secret: &str, body: &[u8]) -> String {
    hex_hmac(secret.as_bytes(), &[body])
}

/// One event of a delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Its id (`EV…`), unique across GoCardless: what makes a redelivery taken once.
    pub id: String,
    /// What it is about (`payments`, `refunds`, `mandates`, …).
    pub resource: String,
    /// What happened (`confirmed`, `failed`, `charged_back`, …).
    pub action: String,
    /// The payment it is about, where it names one.
    pub payment: Option<String>,
    /// Why it cannot be read, when it cannot (a field missing): kept and journaled as such,
    /// never stopping the delivery's other events.
    pub unreadable: Option<String>,
}

impl Notice {
    /// `payments.confirmed`: the type the store journals.
    pub fn kind(&self) -> String {
        format!("{}.{}", self.resource, self.action)
    }

    /// Whether reading it needs its payment from the API.
    pub fn needs_payment(&self) -> bool {
        self.unreadable.is_none()
            && matches!(self.resource.as_str(), "payments" | "refunds")
            && self.payment.is_some()
    }
}

/// The events of a delivery (or of a page of the events list), in order. One that lacks its
/// id, resource type or action is kept as unreadable ([`Notice::unreadable`], named by its id or,
/// without one, by a digest of its JSON), so that the others are taken all the same.
///
/// # Errors
///
/// The body is not JSON, or has no array of events.
pub fn read(body: &[u8]) -> Result<Vec<Notice>, EventError> {
    let value = parse(body)?;
    let root = At::root(&value);
    if !matches!(root.get("events"), Some(serde_json::Value::Array(_))) {
        return Err(EventError::Field {
            field: "events".into(),
            problem: "expected an array of events".into(),
        });
    }
    Ok(root
        .items("events")?
        .iter()
        .map(|event| {
            let notice = || -> Result<Notice, EventError> {
                Ok(Notice {
                    id: event.str("id")?.to_owned(),
                    resource: event.str("resource_type")?.to_owned(),
                    action: event.str("action")?.to_owned(),
                    payment: event.opt_str("links.payment")?.map(str::to_owned),
                    unreadable: None,
                })
            };
            notice().unwrap_or_else(|e| {
                let id = match event.opt_str("id") {
                    Ok(Some(id)) => id.to_owned(),
                    _ => {
                        use sha2::Digest;
                        let digest = sha2::Sha256::digest(event.value.to_string().as_bytes());
                        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
                        format!("unreadable-{hex}")
                    }
                };
                Notice {
                    id,
                    resource: "unreadable".into(),
                    action: "event".into(),
                    payment: None,
                    unreadable: Some(e.to_string()),
                }
            })
        })
        .collect())
}

/// A payment as GoCardless's API answers it (`GET /payments/PM…`, or an events list's
/// `linked.payments`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentResource {
    id: String,
    amount: Money,
    refunded: Money,
    created: DateTime<Utc>,
    status: String,
    mandate: Option<String>,
    subscription: Option<String>,
}

impl PaymentResource {
    /// Reads the API's answer: `{"payments": { … }}`, or the payment object itself.
    ///
    /// # Errors
    ///
    /// The answer is not JSON or lacks what a payment has (its fields named by path).
    pub fn read(answer: &[u8]) -> Result<PaymentResource, EventError> {
        let value = parse(answer)?;
        let root = At::root(&value);
        let payment = match root.get("payments") {
            Some(_) => root.object("payments")?,
            None => root,
        };
        let code = payment.str("currency")?;
        let currency = Currency::try_new(code).map_err(|e| EventError::Field {
            field: join(&payment, "currency"),
            problem: e.to_string(),
        })?;
        let created_text = payment.str("created_at")?;
        let created = DateTime::parse_from_rfc3339(created_text)
            .map_err(|e| EventError::Field {
                field: join(&payment, "created_at"),
                problem: format!("{created_text:?} is not a date with an offset: {e}"),
            })?
            .to_utc();
        Ok(PaymentResource {
            id: payment.str("id")?.to_owned(),
            amount: minor_units(payment.int("amount")?, currency),
            refunded: minor_units(payment.opt_int("amount_refunded")?.unwrap_or(0), currency),
            created,
            status: payment.str("status")?.to_owned(),
            mandate: payment.opt_str("links.mandate")?.map(str::to_owned),
            subscription: payment.opt_str("links.subscription")?.map(str::to_owned),
        })
    }

    /// Its id (`PM…`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The subscription it pays, if any (`SB…`): its interval is the subscription's to say.
    pub fn subscription(&self) -> Option<&str> {
        self.subscription.as_deref()
    }
}

fn join(at: &At<'_>, field: &str) -> String {
    if at.path.is_empty() {
        field.to_owned()
    } else {
        format!("{}.{field}", at.path)
    }
}

/// How often a subscription debits, from the API's answer (`GET /subscriptions/SB…`):
/// monthly, yearly, or `None` for another rhythm (see [`super::interval`]).
///
/// # Errors
///
/// The answer is not JSON or lacks `interval_unit`.
pub fn subscription_interval(answer: &[u8]) -> Result<Option<Interval>, EventError> {
    let value = parse(answer)?;
    let root = At::root(&value);
    let subscription = match root.get("subscriptions") {
        Some(_) => root.object("subscriptions")?,
        None => root,
    };
    let unit = subscription.str("interval_unit")?;
    let every = subscription.opt_int("interval")?.unwrap_or(1);
    Ok(super::interval(unit, every))
}

/// What `notice` means, given its payment as the API now describes it (`None`: the API does
/// not know it, so it is not this account's) and, for a payment of a subscription, the
/// subscription's interval.
///
/// # Errors
///
/// The payment is not the one the event names, its status is one GoCardless does not
/// document, or the core refuses its gift.
pub fn interpret(
    notice: &Notice,
    payment: Option<&PaymentResource>,
    interval: Option<Interval>,
) -> Result<Event, EventError> {
    let outcome = match (notice.needs_payment(), payment) {
        (false, _) if notice.unreadable.is_some() => Interpretation::Ignore(format!(
            "unreadable: {}",
            notice.unreadable.as_deref().unwrap_or_default()
        )),
        (false, _) => Interpretation::Ignore(match notice.resource.as_str() {
            "payments" | "refunds" => format!("a {} event that names no payment", notice.kind()),
            "subscriptions" => {
                "a subscription's event: its payments' own events record its gifts".to_owned()
            }
            _ => format!("{} is not about money received", notice.kind()),
        }),
        (true, None) => Interpretation::Ignore(format!(
            "GoCardless's API does not know the payment {}: not this account's",
            notice.payment.as_deref().unwrap_or_default()
        )),
        (true, Some(payment)) => {
            if Some(payment.id.as_str()) != notice.payment.as_deref() {
                return Err(EventError::Field {
                    field: "links.payment".into(),
                    problem: format!(
                        "the event names {:?}, the API answered about {:?}",
                        notice.payment.as_deref().unwrap_or_default(),
                        payment.id
                    ),
                });
            }
            let late = notice.action == "late_failure_settled";
            let status = super::status(&payment.status, payment.amount, payment.refunded, late)
                .ok_or_else(|| EventError::Field {
                    field: "payments.status".into(),
                    problem: format!("{:?}: expected {}", payment.status, super::STATUSES),
                })?;
            let gift = Payment {
                id: &payment.id,
                amount: payment.amount,
                created: payment.created,
                status,
                mandate: payment.mandate.as_deref(),
                subscription: interval.zip(payment.subscription.as_deref()),
            }
            .gift()
            .map_err(|e| EventError::Gift(e.to_string()))?;
            Interpretation::Apply(vec![Operation::Record(gift)])
        }
    };
    Ok(Event {
        id: notice.id.clone(),
        kind: notice.kind(),
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jauge::DonationStatus;

    const SECRET: &str = "gc-endpoint-secret";

    const DELIVERY: &str = r#"{"events":[{"id":"EV1","created_at":"2023-12-01T10:00:00.000Z","resource_type":"payments","action":"confirmed","details":{"origin":"gocardless","cause":"payment_confirmed"},"metadata":{},"links":{"payment":"PM1"}},{"id":"EV2","created_at":"2023-12-01T10:00:01.000Z","resource_type":"mandates","action":"active","links":{"mandate":"MD1"}}],"meta":{"webhook_id":"WB1"}}"#;

    fn payment(status: &str, refunded: i64) -> PaymentResource {
        PaymentResource::read(format!(r#"{{"payments":{{"id":"PM1","created_at":"2023-11-27T09:00:00.000Z","charge_date":"2023-12-01","amount":2000,"currency":"EUR","status":"{status}","amount_refunded":{refunded},"links":{{"mandate":"MD1","creditor":"CR1","subscription":"SB1"}}}}}}"#).as_bytes()).unwrap()
    }

    #[test]
    fn signatures_over_the_raw_body_with_rotating_secrets() {
        let body = DELIVERY.as_bytes();
        let header = sign(SECRET, body);
        assert_eq!(verify(Some(&header), body, &[SECRET]), Ok(()));
        assert_eq!(verify(Some(&header), body, &["old", SECRET]), Ok(()));
        assert_eq!(
            verify(Some(&header), body, &["another"]),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(None, body, &[SECRET]),
            Err(SignatureError::Malformed)
        );
        let altered = DELIVERY.replace("PM1", "PM2");
        assert_eq!(
            verify(Some(&header), altered.as_bytes(), &[SECRET]),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_delivery_read_event_by_event() {
        let notices = read(DELIVERY.as_bytes()).unwrap();
        assert_eq!(notices.len(), 2);
        assert_eq!(notices[0].kind(), "payments.confirmed");
        assert!(notices[0].needs_payment());
        assert!(!notices[1].needs_payment());
        let event = interpret(&notices[1], None, None).unwrap();
        assert_eq!(event.id, "EV2");
        assert!(matches!(event.outcome, Interpretation::Ignore(_)));
        assert!(read(br#"{"events":{}}"#).is_err());
        // An event that cannot be read is kept as such, beside the others.
        let kept = read(br#"{"events":[{"id":"EV3"},{"id":"EV4","resource_type":"mandates","action":"active"}]}"#).unwrap();
        assert_eq!(kept.len(), 2);
        assert!(kept[0]
            .unreadable
            .as_deref()
            .unwrap()
            .contains("events[0].resource_type"));
        assert!(kept[1].unreadable.is_none());
        let event = interpret(&kept[0], None, None).unwrap();
        assert_eq!(event.id, "EV3");
        assert!(
            matches!(event.outcome, Interpretation::Ignore(why) if why.starts_with("unreadable: events[0].resource_type"))
        );
        let anonymous = read(br#"{"events":[{"action":"created"}]}"#).unwrap();
        assert!(
            anonymous[0].id.starts_with("unreadable-"),
            "{}",
            anonymous[0].id
        );
    }

    #[test]
    fn the_payment_as_it_now_stands() {
        let notices = read(DELIVERY.as_bytes()).unwrap();
        let gift = |payment: &PaymentResource, action: &str| {
            let mut notice = notices[0].clone();
            notice.action = action.into();
            match interpret(&notice, Some(payment), Some(Interval::Monthly))
                .unwrap()
                .outcome
            {
                Interpretation::Apply(ops) => match &ops[0] {
                    Operation::Record(gift) => gift.clone(),
                    other => panic!("{other:?}"),
                },
                other => panic!("{other:?}"),
            }
        };
        let confirmed = gift(&payment("confirmed", 0), "confirmed");
        assert_eq!(confirmed.id(), "gocardless:PM1");
        assert_eq!(confirmed.amount().to_string(), "20.00 EUR");
        assert_eq!(confirmed.status(), &DonationStatus::Confirmed);
        assert_eq!(
            gift(&payment("submitted", 0), "submitted").status(),
            &DonationStatus::Pending
        );
        let twenty = Money::parse("20 EUR").unwrap();
        assert_eq!(
            gift(&payment("charged_back", 0), "charged_back").status(),
            &DonationStatus::Refunded { refunded: twenty }
        );
        assert_eq!(
            gift(&payment("failed", 0), "late_failure_settled").status(),
            &DonationStatus::Refunded { refunded: twenty }
        );
        assert_eq!(
            gift(&payment("failed", 0), "failed").status(),
            &DonationStatus::Failed
        );
        assert_eq!(
            gift(&payment("paid_out", 500), "refunded").status(),
            &DonationStatus::Refunded {
                refunded: Money::parse("5 EUR").unwrap()
            }
        );
        // Unknown to the API: not this account's payment, acknowledged and ignored.
        assert!(matches!(
            interpret(&notices[0], None, None).unwrap().outcome,
            Interpretation::Ignore(_)
        ));
        // An answer about another payment is refused.
        let mut other = notices[0].clone();
        other.payment = Some("PM9".into());
        assert!(interpret(&other, Some(&payment("confirmed", 0)), None).is_err());
        assert!(
            interpret(&notices[0], Some(&payment("teleported", 0)), None)
                .unwrap_err()
                .to_string()
                .contains("charged_back")
        );
    }

    #[test]
    fn subscriptions_say_their_rhythm() {
        let monthly = br#"{"subscriptions":{"id":"SB1","interval_unit":"monthly","interval":1}}"#;
        assert_eq!(
            subscription_interval(monthly).unwrap(),
            Some(Interval::Monthly)
        );
        let weekly = br#"{"subscriptions":{"id":"SB2","interval_unit":"weekly","interval":1}}"#;
        assert_eq!(subscription_interval(weekly).unwrap(), None);
    }
}
