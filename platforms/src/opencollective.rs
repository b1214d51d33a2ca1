//! Open Collective: a collective's contributions, as its GraphQL API (v2) lists its
//! transactions. Its webhooks are unsigned and have been known to stop firing, so jauge polls;
//! a webhook is only a nudge to poll now.
//!
//! A contribution is the collective's `CREDIT` transaction, named `opencollective:<id>`, its
//! recurring ones sharing their order, `opencollective:order-<id>` (monthly or yearly, as the
//! order's `frequency` says), the donor keyed from the contributing account's slug, Open
//! Collective's payment processor fee kept; a refund is the collective's `DEBIT` with
//! `isRefund`, which takes back the contribution its `refundTransaction` names.

use chrono::{DateTime, Utc};
use jauge::{Channel, Currency, DonationStatus, Interval, Money};

use crate::json::{parse, At};
use crate::stripe::minor_units;
use crate::{Event, EventError, Interpretation, Operation};

/// The GraphQL query for a page of a collective's contributions and refunds since a date,
/// oldest first: `$slug`, `$dateFrom`, `$limit`, `$offset`.
pub const QUERY: &str = "query($slug: String!, $dateFrom: DateTime!, $limit: Int!, $offset: Int!) { transactions(account: [{slug: $slug}], kind: [CONTRIBUTION], dateFrom: $dateFrom, limit: $limit, offset: $offset, orderBy: {field: CREATED_AT, direction: ASC}) { totalCount offset limit nodes { id type createdAt isRefund isRefunded amount { valueInCents currency } paymentProcessorFee { valueInCents currency } fromAccount { slug } toAccount { slug } refundTransaction { id } order { id frequency } } } }";

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
            let id = node
                .opt_str("id")
                .ok()
                .flatten()
                .unwrap_or("(no id)")
                .to_owned();
            let at = node
                .opt_str("createdAt")
                .ok()
                .flatten()
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map(|d| d.to_utc())
                .unwrap_or_default();
            (at, event(slug, node).map_err(|e| (id, e.to_string())))
        })
        .collect();
    Ok(Page {
        total,
        count: nodes.len(),
        events,
    })
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
    let id = node.str("id")?;
    let kind = node.str("type")?;
    let refund = node.opt_bool("isRefund")?.unwrap_or(false);
    let refunded = node.opt_bool("isRefunded")?.unwrap_or(false);
    let ours = |side: &str| -> Result<bool, EventError> {
        Ok(node.opt_str(&format!("{side}.slug"))? == Some(slug))
    };
    let outcome = match (kind, refund) {
        ("CREDIT", false) if ours("toAccount")? || node.get("toAccount").is_none() => {
            let amount = money(node, "amount")?;
            let fee = match node.get("paymentProcessorFee") {
                Some(_) => Some(money(node, "paymentProcessorFee")?).filter(|f| f.is_positive()),
                None => None,
            };
            let interval = match node.opt_str("order.frequency")? {
                Some("MONTHLY") => Some(Interval::Monthly),
                Some("YEARLY") => Some(Interval::Yearly),
                _ => None,
            };
            let order = node.opt_str("order.id")?.map(|o| format!("order-{o}"));
            let donor = node
                .opt_str("fromAccount.slug")?
                .map(|s| format!("opencollective account {s}"));
            let gift = crate::gift::Said {
                platform: "opencollective",
                id,
                amount,
                received_at: instant(node)?,
                status: if refunded {
                    DonationStatus::Refunded { refunded: amount }
                } else {
                    DonationStatus::Confirmed
                },
                channel: Channel::Online,
                fee,
                payer: donor.as_deref(),
                subscription: interval.zip(order.as_deref()),
            }
            .gift()
            .map_err(|e| EventError::Gift(e.to_string()))?;
            Interpretation::Apply(vec![Operation::Record(gift)])
        }
        ("DEBIT", true) if ours("fromAccount")? || node.get("fromAccount").is_none() => {
            let of = node.str("refundTransaction.id")?;
            Interpretation::Apply(vec![Operation::Refund {
                of: crate::gift::named("opencollective", of),
                total: money(node, "amount")?,
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

fn instant(node: &At<'_>) -> Result<DateTime<Utc>, EventError> {
    let text = node.str("createdAt")?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| EventError::Field {
            field: format!("{}.createdAt", node.path),
            problem: format!("{text:?} is not a date with an offset: {e}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, kind: &str, cents: i64, extra: &str) -> String {
        format!(
            r#"{{"id":"{id}","type":"{kind}","createdAt":"2026-12-01T10:00:00.000Z","isRefund":false,"isRefunded":false,"amount":{{"valueInCents":{cents},"currency":"EUR"}},"paymentProcessorFee":{{"valueInCents":-150,"currency":"EUR"}},"fromAccount":{{"slug":"ada"}},"toAccount":{{"slug":"asso"}},"refundTransaction":null,"order":{{"id":"ord1","frequency":"MONTHLY"}}{extra}}}"#
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
        let refund = node("t2", "DEBIT", -3000, "")
            .replace(r#""isRefund":false"#, r#""isRefund":true"#)
            .replace(
                r#""fromAccount":{"slug":"ada"},"toAccount":{"slug":"asso"}"#,
                r#""fromAccount":{"slug":"asso"},"toAccount":{"slug":"ada"}"#,
            )
            .replace(
                r#""refundTransaction":null"#,
                r#""refundTransaction":{"id":"t1"}"#,
            );
        let expense = node("t3", "DEBIT", -5000, "").replace(
            r#""fromAccount":{"slug":"ada"},"toAccount":{"slug":"asso"}"#,
            r#""fromAccount":{"slug":"asso"},"toAccount":{"slug":"printer"}"#,
        );
        let answer = page(&[node("t1", "CREDIT", 3000, ""), refund, expense]);
        let read = read_page("asso", answer.as_bytes()).unwrap();
        assert_eq!((read.total, read.count), (3, 3));
        let events: Vec<Event> = read.events.into_iter().map(|(_, e)| e.unwrap()).collect();
        let Interpretation::Apply(ops) = &events[0].outcome else {
            panic!()
        };
        let Operation::Record(gift) = &ops[0] else {
            panic!()
        };
        assert_eq!(gift.id(), "opencollective:t1");
        assert_eq!(gift.amount().to_string(), "30.00 EUR");
        assert_eq!(
            gift.fee().map(|f| f.to_string()).as_deref(),
            Some("1.50 EUR")
        );
        assert_eq!(
            gift.kind(),
            &jauge::DonationKind::Recurring {
                interval: Interval::Monthly,
                subscription: "opencollective:order-ord1".into()
            }
        );
        assert_eq!(
            events[1].outcome,
            Interpretation::Apply(vec![Operation::Refund {
                of: "opencollective:t1".into(),
                total: Money::parse("30 EUR").unwrap()
            }])
        );
        assert!(matches!(events[2].outcome, Interpretation::Ignore(_)));
        let errors = br#"{"errors":[{"message":"No collective found with slug nope"}]}"#;
        assert!(read_page("nope", errors)
            .unwrap_err()
            .to_string()
            .contains("No collective found"));
    }
}
