//! Open Collective: a collective's contributions, as its GraphQL API (v2) lists its
//! transactions ([`read_page`], polled: its webhooks are unsigned and have been known to stop
//! firing, so a webhook is only a nudge to poll now) and as its transactions export lists them
//! ([`export`]).
//!
//! A contribution is the collective's `CREDIT` transaction, named `opencollective:<Transaction
//! ID>` by the serial id (`legacyId`) that both the API and the export give; its recurring ones
//! share their contribution, `opencollective:order-<Contribution ID>` (monthly or yearly, as the
//! contribution's `frequency` says). Its amount is what the fiscal host accounted (in the host's
//! currency, before fees, as the export's columns are), its instant the export's to the second
//! (`Effective Date & Time`, else `Date & Time`), the donor keyed from the contributing
//! account's handle, Open Collective's payment processor fee kept. A refund is the collective's
//! `DEBIT` with `isRefund`, which takes back the contribution its refund transaction names.

pub mod export;

use chrono::{DateTime, SubsecRound, Utc};
use jauge::{Channel, Currency, Donation, DonationStatus, Interval, Money};

use crate::json::{parse, At};
use crate::stripe::minor_units;
use crate::{Event, EventError, Interpretation, Operation};

/// The GraphQL query for a page of a collective's contributions and refunds since a date,
/// oldest first: `$slug`, `$dateFrom`, `$limit`, `$offset`. The fee is fetched from its own
/// transaction (Open Collective records fees apart since 2024).
pub const QUERY: &str = "query($slug: String!, $dateFrom: DateTime!, $limit: Int!, $offset: Int!) { transactions(account: [{slug: $slug}], kind: [CONTRIBUTION], dateFrom: $dateFrom, limit: $limit, offset: $offset, orderBy: {field: CREATED_AT, direction: ASC}) { totalCount offset limit nodes { id legacyId type createdAt clearedAt isRefund isRefunded amountInHostCurrency { valueInCents currency } paymentProcessorFee(fetchPaymentProcessorFee: true) { valueInCents currency } fromAccount { slug } toAccount { slug } refundTransaction { legacyId } order { legacyId frequency } } } }";

/// A contribution, as either source says it: one constructor, so the poll and the export make
/// the same gift.
pub(crate) struct Contribution<'a> {
    /// The transaction's serial id (`legacyId`, the export's `Transaction ID`).
    pub id: &'a str,
    /// What the host accounted, before fees.
    pub amount: Money,
    /// When, to the second.
    pub at: DateTime<Utc>,
    /// Whether it has been refunded.
    pub refunded: bool,
    /// The payment processor's fee, if any.
    pub fee: Option<Money>,
    /// The contributing account's handle.
    pub from: Option<&'a str>,
    /// How often, and the contribution's serial id, for a recurring one.
    pub order: Option<(Interval, &'a str)>,
}

impl Contribution<'_> {
    /// The gift.
    pub(crate) fn gift(self) -> Result<Donation, jauge::DonationError> {
        let order = self.order.map(|(i, o)| (i, format!("order-{o}")));
        let donor = self.from.map(|s| format!("opencollective account {s}"));
        crate::gift::Said {
            platform: "opencollective",
            id: self.id,
            amount: self.amount,
            // The export writes seconds: the poll's milliseconds would make another instant.
            received_at: self.at.trunc_subsecs(0),
            status: if self.refunded {
                DonationStatus::Refunded {
                    refunded: self.amount,
                }
            } else {
                DonationStatus::Confirmed
            },
            channel: Channel::Online,
            fee: self.fee.filter(|f| f.is_positive()),
            payer: donor.as_deref(),
            subscription: order.as_ref().map(|(i, o)| (*i, o.as_str())),
        }
        .gift()
    }
}

/// A contribution's frequency as Open Collective writes it (`ONETIME`, `MONTHLY`, `YEARLY`).
pub(crate) fn interval(frequency: &str) -> Option<Interval> {
    match frequency.trim().to_ascii_uppercase().as_str() {
        "MONTHLY" => Some(Interval::Monthly),
        "YEARLY" => Some(Interval::Yearly),
        _ => None,
    }
}

/// A page of transactions, read.
#[derive(Debug)]
pub struct Page {
    /// How many transactions the query matches in all.
    pub total: usize,
    /// The transactions on this page.
    pub count: usize,
    /// Each one's instant and event, or (its id, why it cannot be read).
    pub events: Vec<crate::Listed>,
}

/// Reads a page of the API's answer to [`QUERY`] for the collective `slug`.
///
/// # Errors
///
/// The answer is not JSON, carries GraphQL errors (said), or has no transactions.
pub fn read_page(slug: &str, answer: &[u8]) -> Result<Page, EventError> {
    let value = parse(answer)?;
    let root = At::root(&value);
    if let Some(errors) = root.get("errors") {
        let said: Vec<String> = errors
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["message"].as_str().map(str::to_owned))
            .collect();
        return Err(EventError::Field {
            field: "errors".into(),
            problem: said.join("; "),
        });
    }
    let transactions = root.object("data.transactions")?;
    let nodes = transactions.items("nodes")?;
    let total = usize::try_from(transactions.int("totalCount")?).unwrap_or(0);
    let events = nodes
        .iter()
        .map(|node| {
            let id = serial(node, "legacyId")
                .or_else(|_| node.str("id").map(str::to_owned))
                .unwrap_or_else(|_| "(no id)".to_owned());
            let at = instant(node).unwrap_or_default();
            (at, event(slug, node).map_err(|e| (id, e.to_string())))
        })
        .collect();
    Ok(Page {
        total,
        count: nodes.len(),
        events,
    })
}

/// A serial id (`legacyId`), written as a number.
fn serial(at: &At<'_>, field: &str) -> Result<String, EventError> {
    at.int(field).map(|n| n.to_string())
}

fn money(at: &At<'_>, field: &str) -> Result<Money, EventError> {
    let object = at.object(field)?;
    let code = object.str("currency")?;
    let currency = Currency::try_new(code).map_err(|e| EventError::Field {
        field: format!("{}.currency", object.path),
        problem: e.to_string(),
    })?;
    let cents = object.int("valueInCents")?;
    Ok(minor_units(cents.abs(), currency))
}

/// What one transaction of the collective `slug` means.
fn event(slug: &str, node: &At<'_>) -> Result<Event, EventError> {
    let id = serial(node, "legacyId")?;
    let kind = node.str("type")?;
    let refund = node.opt_bool("isRefund")?.unwrap_or(false);
    let refunded = node.opt_bool("isRefunded")?.unwrap_or(false);
    let ours = |side: &str| -> Result<bool, EventError> {
        Ok(node.opt_str(&format!("{side}.slug"))? == Some(slug))
    };
    let outcome = match (kind, refund) {
        ("CREDIT", false) if ours("toAccount")? || node.get("toAccount").is_none() => {
            let fee = match node.get("paymentProcessorFee") {
                Some(serde_json::Value::Object(_)) => Some(money(node, "paymentProcessorFee")?),
                _ => None,
            };
            let order = match node.get("order") {
                Some(serde_json::Value::Object(_)) => Some(serial(node, "order.legacyId")?),
                _ => None,
            };
            let frequency = node.opt_str("order.frequency")?.and_then(interval);
            let gift = Contribution {
                id: &id,
                amount: money(node, "amountInHostCurrency")?,
                at: instant(node)?,
                refunded,
                fee,
                from: node.opt_str("fromAccount.slug")?,
                order: frequency.zip(order.as_deref()),
            }
            .gift()
            .map_err(|e| EventError::Gift(e.to_string()))?;
            Interpretation::Apply(vec![Operation::Record(gift)])
        }
        ("DEBIT", true) if ours("fromAccount")? || node.get("fromAccount").is_none() => {
            let of = serial(node, "refundTransaction.legacyId")?;
            Interpretation::Apply(vec![Operation::Refund {
                of: crate::gift::named("opencollective", &of),
                total: money(node, "amountInHostCurrency")?,
            }])
        }
        _ => Interpretation::Ignore(format!(
            "a {kind} transaction{} that is not a contribution to {slug}",
            if refund { " (a refund)" } else { "" }
        )),
    };
    Ok(Event {
        // A contribution listed again once refunded is a new event: its refund is taken.
        id: format!("{id}:{}", if refunded { "refunded" } else { "listed" }),
        kind: format!("transaction.{}", kind.to_ascii_lowercase()),
        outcome,
    })
}

/// When the host accounted it (`clearedAt`, as the export's `Effective Date & Time`), else when
/// it was made.
fn instant(node: &At<'_>) -> Result<DateTime<Utc>, EventError> {
    let field = match node.opt_str("clearedAt")? {
        Some(_) => "clearedAt",
        None => "createdAt",
    };
    let text = node.str(field)?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| EventError::Field {
            field: format!("{}.{field}", node.path),
            problem: format!("{text:?} is not a date with an offset: {e}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, kind: &str, cents: i64, extra: &str) -> String {
        format!(
            r#"{{"id":"0a1b-{id}","legacyId":{id},"type":"{kind}","createdAt":"2026-12-01T10:00:00.270Z","clearedAt":null,"isRefund":false,"isRefunded":false,"amountInHostCurrency":{{"valueInCents":{cents},"currency":"EUR"}},"paymentProcessorFee":{{"valueInCents":-150,"currency":"EUR"}},"fromAccount":{{"slug":"ada"}},"toAccount":{{"slug":"asso"}},"refundTransaction":null,"order":{{"legacyId":77,"frequency":"MONTHLY"}}{extra}}}"#
        )
    }

    fn page(nodes: &[String]) -> String {
        format!(
            r#"{{"data":{{"transactions":{{"totalCount":{},"offset":0,"limit":100,"nodes":[{}]}}}}}}"#,
            nodes.len(),
            nodes.join(",")
        )
    }

    #[test]
    fn contributions_refunds_and_the_rest() {
        let refund = node("502", "DEBIT", -3000, "")
            .replace(r#""isRefund":false"#, r#""isRefund":true"#)
            .replace(
                r#""fromAccount":{"slug":"ada"},"toAccount":{"slug":"asso"}"#,
                r#""fromAccount":{"slug":"asso"},"toAccount":{"slug":"ada"}"#,
            )
            .replace(
                r#""refundTransaction":null"#,
                r#""refundTransaction":{"legacyId":501}"#,
            );
        let expense = node("503", "DEBIT", -5000, "").replace(
            r#""fromAccount":{"slug":"ada"},"toAccount":{"slug":"asso"}"#,
            r#""fromAccount":{"slug":"asso"},"toAccount":{"slug":"printer"}"#,
        );
        let answer = page(&[node("501", "CREDIT", 3000, ""), refund, expense]);
        let read = read_page("asso", answer.as_bytes()).unwrap();
        assert_eq!((read.total, read.count), (3, 3));
        let events: Vec<Event> = read.events.into_iter().map(|(_, e)| e.unwrap()).collect();
        let Interpretation::Apply(ops) = &events[0].outcome else {
            panic!()
        };
        let Operation::Record(gift) = &ops[0] else {
            panic!()
        };
        assert_eq!(gift.id(), "opencollective:501");
        // To the second, as the export writes it.
        assert_eq!(gift.received_at().to_rfc3339(), "2026-12-01T10:00:00+00:00");
        assert_eq!(gift.amount().to_string(), "30.00 EUR");
        assert_eq!(
            gift.fee().map(|f| f.to_string()).as_deref(),
            Some("1.50 EUR")
        );
        assert_eq!(
            gift.kind(),
            &jauge::DonationKind::Recurring {
                interval: Interval::Monthly,
                subscription: "opencollective:order-77".into()
            }
        );
        assert_eq!(
            events[1].outcome,
            Interpretation::Apply(vec![Operation::Refund {
                of: "opencollective:501".into(),
                total: Money::parse("30 EUR").unwrap()
            }])
        );
        assert!(matches!(events[2].outcome, Interpretation::Ignore(_)));
        // Where the host says when it cleared, that is the instant (the export's effective one).
        let cleared = page(&[node("504", "CREDIT", 1000, "").replace(
            r#""clearedAt":null"#,
            r#""clearedAt":"2026-12-02T08:00:00.999Z""#,
        )]);
        let read = read_page("asso", cleared.as_bytes()).unwrap();
        let (at, Ok(event)) = &read.events[0] else {
            panic!("{:?}", read.events)
        };
        let Interpretation::Apply(ops) = &event.outcome else {
            panic!()
        };
        let Operation::Record(gift) = &ops[0] else {
            panic!()
        };
        assert_eq!(at.to_rfc3339(), "2026-12-02T08:00:00.999+00:00");
        assert_eq!(gift.received_at().to_rfc3339(), "2026-12-02T08:00:00+00:00");
        let errors = br#"{"errors":[{"message":"No collective found with slug nope"}]}"#;
        assert!(read_page("nope", errors)
            .unwrap_err()
            .to_string()
            .contains("No collective found"));
    }
}
