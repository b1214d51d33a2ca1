//! Framasoft's campaign JSON: `{"list": [{"don": 30, "monthly": false, "date": "2023-12-12 08:07:00"}]}`.
//!
//! Dates are naive local times, read in the campaign's zone; amounts are JSON numbers, read from
//! their text so no float rounds them. The list carries no ids: a row's id is its date, amount and
//! kind, numbered when several rows share them, so a re-export yields the same ids.

use std::collections::HashMap;
use std::path::Path;

use jauge::{Decimal, Donation, Interval, Money};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::export::{Batch, Context, Entry, Item, Layout};
use crate::table::{local_to_utc, parse_naive};
use crate::{InputError, Location};

#[derive(Deserialize)]
struct List<'a> {
    #[serde(borrow)]
    list: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Gift<'a> {
    #[serde(borrow)]
    don: &'a RawValue,
    #[serde(default)]
    monthly: bool,
    date: String,
}

pub fn parse(path: &Path, text: &str, context: &Context) -> Result<Batch, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let whole = |message: String| InputError::new(Location::file(path), message);
    let list: List = serde_json::from_str(text).map_err(|e| {
        InputError::new(
            Location::line(path, e.line() as u64),
            format!("expected {{\"list\": [{{\"don\": …, \"monthly\": …, \"date\": …}}]}}: {e}"),
        )
    })?;
    let zone = context.zone.ok_or_else(|| {
        whole("Framasoft dates are local times: give --time-zone or --campaign".into())
    })?;
    let currency = context.currency.ok_or_else(|| {
        whole("Framasoft amounts carry no currency: give --currency or --campaign".into())
    })?;
    let mut occurrences: HashMap<String, u32> = HashMap::new();
    let mut items = Vec::new();
    for element in list.list {
        let raw = element.get();
        let offset = raw.as_ptr() as usize - text.as_ptr() as usize;
        let line = text[..offset].matches('\n').count() as u64 + 1;
        let at = Location::line(path, line);
        let entry = (|| {
            let gift: Gift = serde_json::from_str(raw)
                .map_err(|e| InputError::new(at.clone(), e.to_string()))?;
            let amount_text = gift.don.get().trim_matches('"');
            let amount = Decimal::from_str_exact(amount_text)
                .ok()
                .and_then(|a| Money::try_new(a, currency).ok())
                .filter(Money::is_positive)
                .ok_or_else(|| {
                    InputError::new(
                        at.column("don"),
                        format!("{amount_text} is not an amount above zero in {currency}"),
                    )
                })?;
            let local = parse_naive(
                &gift.date,
                &["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
            )
            .map_err(|e| InputError::new(at.column("date"), e))?;
            let received =
                local_to_utc(local, zone).map_err(|e| InputError::new(at.column("date"), e))?;
            let kind = if gift.monthly { "monthly" } else { "once" };
            let key = format!(
                "{}:{}:{kind}",
                local.format("%Y%m%dT%H%M%S"),
                amount.amount()
            );
            let n = occurrences.entry(key.clone()).or_insert(0);
            *n += 1;
            let id = format!("framasoft:{key}:{n}");
            let donation = Donation::try_new(id.clone(), amount, received)
                .map_err(|e| InputError::new(at.clone(), e.to_string()))?;
            let donation = if gift.monthly {
                // The list does not link the payments of one donor: each is its own subscription.
                donation
                    .recurring(Interval::Monthly, id)
                    .map_err(|e| InputError::new(at.clone(), e.to_string()))?
            } else {
                donation
            };
            Ok(Entry::Gift(donation))
        })();
        items.push(Item {
            location: at,
            raw: raw.to_owned(),
            entry,
        });
    }
    Ok(Batch {
        layout: Layout::JsonList,
        items,
    })
}
