//! Liberapay: no webhooks and no API for an account's gifts, but two public pages jauge polls.
//!
//! - **A team's payments** (`/<team>/income/payments.json`, newest first, a page of payments
//!   each split into transfers to the team's members; its CSV twin is the team's export,
//!   [`export`]): each transfer is a gift, `liberapay:transfer-<id>`, dated the day its payment
//!   succeeded (Liberapay says the day, not the time), the donor keyed from the patron's id
//!   where the patron is public, a monthly or yearly donation a subscription (the patron's
//!   donation to the team), what Liberapay reversed taken back.
//! - **Any other account's chart of weekly receipts** (`/<account>/charts.json`: one entry per
//!   payday, newest first, with the patrons who gave and the receipts), each payday's receipts
//!   one gift, `liberapay:<account>:<date>`: Liberapay pays its patrons' weekly donations out
//!   together, so the campaign counts what arrived each week, not who gave it (those donors
//!   stay out of the donor count). Such an account has no export of its payments (its patrons
//!   export lists pledges, not payments).

pub mod export;

use chrono::{DateTime, NaiveDate, Utc};
use jauge::{Channel, Currency, Decimal, Donation, DonationStatus, Interval, Money};

use crate::json::{parse, At};
use crate::{Event, EventError, Interpretation, Operation};

/// Reads the account's chart: each payday with receipts since `since`, as an event.
///
/// # Errors
///
/// The answer is not JSON, or not a list.
pub fn read_chart(
    account: &str,
    answer: &[u8],
    since: DateTime<Utc>,
) -> Result<Vec<crate::Listed>, EventError> {
    let value = parse(answer)?;
    let Some(entries) = value.as_array() else {
        return Err(EventError::Field {
            field: "(the answer)".into(),
            problem: "expected a list of paydays".into(),
        });
    };
    let mut events = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = At {
            value: entry,
            path: format!("[{i}]"),
        };
        let date = match at.str("date").map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|e| EventError::Field {
                field: format!("[{i}].date"),
                problem: format!("{d:?} is not a date: {e}"),
            })
        }) {
            Ok(Ok(date)) => date,
            Ok(Err(e)) | Err(e) => {
                events.push((since, Err((format!("payday {i}"), e.to_string()))));
                continue;
            }
        };
        let instant = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        if instant < since {
            continue;
        }
        let id = format!("{account}:{date}");
        match payday(&id, &at, instant) {
            Ok(Some(event)) => events.push((instant, Ok(event))),
            Ok(None) => {}
            Err(e) => events.push((instant, Err((id, e.to_string())))),
        }
    }
    events.sort_by_key(|(at, _)| *at);
    Ok(events)
}

/// A payday's receipts: `{"amount": "12.34", "currency": "EUR"}` (or an amount beside a
/// `currency` field, as older charts write it).
fn receipts(at: &At<'_>) -> Result<Money, EventError> {
    let problem = |problem: String| EventError::Field {
        field: format!("{}.receipts", at.path),
        problem,
    };
    let (amount, code) = match at.get("receipts") {
        Some(serde_json::Value::Object(_)) => {
            let object = at.object("receipts")?;
            (
                object.str("amount")?.to_owned(),
                object.str("currency")?.to_owned(),
            )
        }
        Some(serde_json::Value::String(text)) => (text.clone(), at.str("currency")?.to_owned()),
        _ => return Err(problem("expected an amount and its currency".into())),
    };
    let currency = Currency::try_new(&code).map_err(|e| problem(e.to_string()))?;
    let amount: Decimal = amount
        .parse()
        .map_err(|_| problem(format!("{amount:?} is not an amount")))?;
    Money::try_new(amount, currency).map_err(|e| problem(e.to_string()))
}

fn payday(id: &str, at: &At<'_>, instant: DateTime<Utc>) -> Result<Option<Event>, EventError> {
    let money = receipts(at)?;
    if !money.is_positive() {
        return Ok(None);
    }
    let gift = crate::gift::Said {
        platform: "liberapay",
        id,
        amount: money,
        received_at: instant,
        status: DonationStatus::Confirmed,
        channel: Channel::Online,
        fee: None,
        payer: None,
        subscription: None,
    }
    .gift()
    .map_err(|e| EventError::Gift(e.to_string()))?;
    Ok(Some(Event {
        // A payday whose receipts change later is another event: the store then says the
        // conflict, never overwrites the amount.
        id: format!("{id}:{}", money.amount()),
        kind: "payday".into(),
        outcome: Interpretation::Apply(vec![Operation::Record(gift)]),
    }))
}

/// One transfer of a team's payment, as the poll and the export both say it.
pub(crate) struct Transfer<'a> {
    /// Liberapay's id of the transfer.
    pub id: &'a str,
    /// The team, whose patron the payer is.
    pub team: &'a str,
    /// The day its payment succeeded.
    pub date: NaiveDate,
    /// How much.
    pub amount: Money,
    /// How much Liberapay reversed (refunded or charged back).
    pub reversed: Money,
    /// The patron's id, where the patron is public.
    pub payer: Option<&'a str>,
    /// The donation's period (`weekly`, `monthly`, `yearly`), where said.
    pub period: Option<&'a str>,
}

impl Transfer<'_> {
    /// The gift.
    pub(crate) fn gift(&self) -> Result<Donation, jauge::DonationError> {
        let id = format!("transfer-{}", self.id);
        let payer = self.payer.map(|p| format!("liberapay ~{p}"));
        let interval = match self.period {
            Some("monthly") => Some(Interval::Monthly),
            Some("yearly") => Some(Interval::Yearly),
            _ => None,
        };
        // A public patron's donation to the team: what its payments share.
        let subscription = self.payer.map(|p| format!("{}:patron-{p}", self.team));
        crate::gift::Said {
            platform: "liberapay",
            id: &id,
            amount: self.amount,
            received_at: self.date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            status: if self.reversed.is_positive() {
                DonationStatus::Refunded {
                    refunded: self.reversed,
                }
            } else {
                DonationStatus::Confirmed
            },
            channel: Channel::Online,
            fee: None,
            payer: payer.as_deref(),
            subscription: interval.zip(subscription.as_deref()),
        }
        .gift()
    }

    /// The event that records it: a transfer reversed later is another event.
    fn event(&self) -> Result<Event, EventError> {
        let gift = self.gift().map_err(|e| EventError::Gift(e.to_string()))?;
        Ok(Event {
            id: format!("transfer-{}:{}", self.id, self.reversed.amount()),
            kind: "transfer".into(),
            outcome: Interpretation::Apply(vec![Operation::Record(gift)]),
        })
    }
}

/// A page of a team's payments, read.
#[derive(Debug)]
pub struct PaymentsPage {
    /// Each transfer's instant and event, or (its id, why it cannot be read).
    pub events: Vec<crate::Listed>,
    /// The payments on the page.
    pub payments: usize,
    /// The `before` that asks for the next page (the oldest payment's first transfer).
    pub next: Option<i64>,
    /// Whether the page reached a payment older than `since` (the rest are older still).
    pub reached_since: bool,
}

/// Reads a page of the team's payments (`/<team>/income/payments.json`), those that succeeded
/// on `since`'s day or later.
///
/// # Errors
///
/// The answer is not JSON, or not a list of payments.
pub fn read_payments(
    team: &str,
    answer: &[u8],
    since: DateTime<Utc>,
) -> Result<PaymentsPage, EventError> {
    let value = parse(answer)?;
    let Some(payments) = value.as_array() else {
        return Err(EventError::Field {
            field: "(the answer)".into(),
            problem: "expected a list of payments".into(),
        });
    };
    let mut page = PaymentsPage {
        events: Vec::new(),
        payments: payments.len(),
        next: None,
        reached_since: false,
    };
    for (i, payment) in payments.iter().enumerate() {
        let at = At {
            value: payment,
            path: format!("[{i}]"),
        };
        // One payment that cannot be read is kept as such; it never stops the others.
        let transfers = match at.items("transfers") {
            Ok(transfers) => transfers,
            Err(e) => {
                page.events
                    .push((since, Err((format!("payment {i}"), e.to_string()))));
                continue;
            }
        };
        page.next = transfers
            .iter()
            .filter_map(|t| t.opt_int("id").ok().flatten())
            .min()
            .or(page.next);
        let date = match at.str("date").and_then(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|e| EventError::Field {
                field: format!("[{i}].date"),
                problem: format!("{d:?} is not a date: {e}"),
            })
        }) {
            Ok(date) => date,
            Err(e) => {
                page.events
                    .push((since, Err((format!("payment {i}"), e.to_string()))));
                continue;
            }
        };
        if date < since.date_naive() {
            page.reached_since = true;
            break;
        }
        let instant = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let payer = match at.get("payer_id") {
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        };
        for transfer in &transfers {
            let id = transfer
                .opt_int("id")
                .ok()
                .flatten()
                .map_or_else(|| "(no id)".to_owned(), |n| n.to_string());
            let read = money_at(transfer, "amount").and_then(|amount| {
                let reversed = match transfer.get("reversed_amount") {
                    Some(serde_json::Value::Object(_)) => money_at(transfer, "reversed_amount")?,
                    _ => Money::zero(amount.currency()),
                };
                Transfer {
                    id: &id,
                    team,
                    date,
                    amount,
                    reversed,
                    payer: payer.as_deref(),
                    period: transfer.opt_str("period")?,
                }
                .event()
            });
            page.events.push((
                instant,
                read.map_err(|e| (format!("transfer {id}"), e.to_string())),
            ));
        }
    }
    Ok(page)
}

/// Money as Liberapay writes it: `{"amount": "12.34", "currency": "EUR"}`.
fn money_at(at: &At<'_>, field: &str) -> Result<Money, EventError> {
    let object = at.object(field)?;
    let problem = |problem: String| EventError::Field {
        field: format!("{}.{field}", at.path),
        problem,
    };
    let currency =
        Currency::try_new(object.str("currency")?).map_err(|e| problem(e.to_string()))?;
    let text = object.str("amount")?;
    let amount: Decimal = text
        .parse()
        .map_err(|_| problem(format!("{text:?} is not an amount")))?;
    Money::try_new(amount, currency).map_err(|e| problem(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_gift_a_payday_since_the_campaign_began() {
        let chart = br#"[{"date":"2026-12-03","npatrons":12,"receipts":{"amount":"48.25","currency":"EUR"}},{"date":"2026-11-26","npatrons":11,"receipts":{"amount":"0.00","currency":"EUR"}},{"date":"2026-11-19","npatrons":10,"receipts":"40.00","currency":"EUR"},{"date":"2026-11-12","npatrons":9,"receipts":{"amount":"35.00","currency":"EUR"}},{"date":"soon"}]"#;
        let since = "2026-11-14T00:00:00Z".parse().unwrap();
        let events = read_chart("asso", chart, since).unwrap();
        // 19 November and 3 December (26 November received nothing; 12 November is before);
        // the unreadable entry said.
        assert_eq!(events.len(), 3, "{events:?}");
        let (_, unreadable) = &events[0];
        assert!(unreadable
            .as_ref()
            .unwrap_err()
            .1
            .contains("\"soon\" is not a date"));
        let Ok(event) = &events[1].1 else { panic!() };
        let Interpretation::Apply(ops) = &event.outcome else {
            panic!()
        };
        let Operation::Record(gift) = &ops[0] else {
            panic!()
        };
        assert_eq!(gift.id(), "liberapay:asso:2026-11-19");
        assert_eq!(gift.amount().to_string(), "40.00 EUR");
        assert!(read_chart("asso", br#"{"error":"hidden"}"#, since).is_err());
    }

    #[test]
    fn a_teams_payments_one_gift_a_transfer() {
        let page = br#"[{"date":"2026-12-03","payer_id":345,"payer_username":"ada","payer_public_name":"Ada","payment_method":"stripe-card","transfers":[{"id":91,"amount":{"amount":"6.00","currency":"EUR"},"unit_amount":{"amount":"6.00","currency":"EUR"},"n_units":1,"period":"monthly","reversed_amount":null,"recipient_id":12,"recipient_username":"alice"},{"id":92,"amount":{"amount":"4.00","currency":"EUR"},"unit_amount":null,"n_units":null,"period":"monthly","reversed_amount":{"amount":"4.00","currency":"EUR"},"recipient_id":13,"recipient_username":"bob"}]},{"date":"2026-12-01","payer_id":null,"payer_username":null,"payer_public_name":null,"payment_method":"paypal","transfers":[{"id":80,"amount":{"amount":"10.00","currency":"EUR"},"period":"weekly","reversed_amount":null}]},{"date":"2026-11-20","payer_id":null,"transfers":[{"id":70,"amount":{"amount":"1.00","currency":"EUR"},"reversed_amount":null}]}]"#;
        let since = "2026-11-25T10:00:00Z".parse().unwrap();
        let read = read_payments("asso", page, since).unwrap();
        assert_eq!(read.payments, 3);
        assert!(read.reached_since);
        assert_eq!(read.next, Some(70));
        let gifts: Vec<Donation> = read
            .events
            .into_iter()
            .map(|(_, e)| {
                let Interpretation::Apply(mut ops) = e.unwrap().outcome else {
                    panic!()
                };
                let Operation::Record(gift) = ops.remove(0) else {
                    panic!()
                };
                gift
            })
            .collect();
        // The three transfers since 25 November; 20 November's is older.
        assert_eq!(gifts.len(), 3);
        assert_eq!(gifts[0].id(), "liberapay:transfer-91");
        assert_eq!(
            gifts[0].kind(),
            &jauge::DonationKind::Recurring {
                interval: Interval::Monthly,
                subscription: "liberapay:asso:patron-345".into()
            }
        );
        assert!(matches!(gifts[1].status(), DonationStatus::Refunded { .. }));
        assert_eq!(gifts[2].kind(), &jauge::DonationKind::OneOff);
        assert!(gifts[2].donor().is_none());
        assert!(read_payments("asso", br#"{"error":"nope"}"#, since).is_err());

        // A payment without its transfers is said, and the next is still read.
        let odd = br#"[{"date":"2026-12-03","transfers":"?"},{"date":"2026-12-02","payer_id":null,"transfers":[{"id":60,"amount":{"amount":"2.00","currency":"EUR"}}]}]"#;
        let read = read_payments("asso", odd, since).unwrap();
        assert_eq!(read.events.len(), 2);
        assert!(read.events[0]
            .1
            .as_ref()
            .unwrap_err()
            .1
            .contains("transfers"));
        assert!(read.events[1].1.is_ok());
        assert_eq!(read.next, Some(60));
    }
}
