//! Liberapay: no webhooks and no API for an account's gifts, but a public chart of what it
//! received each week (`/<account>/charts.json`: one entry per payday, newest first, with the
//! patrons who gave and the receipts). jauge polls it and records each payday's receipts as
//! one gift, `liberapay:<account>:<date>`: Liberapay pays its patrons' weekly donations out
//! together, so the campaign counts what arrived each week, not who gave it (its donors stay
//! out of the donor count).

use chrono::{DateTime, NaiveDate, Utc};
use jauge::{Channel, Currency, Decimal, DonationStatus, Money};

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
}
