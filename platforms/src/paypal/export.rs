//! PayPal activity downloads (CSV), in English or French.
//!
//! Headers used (either language): `Date`/`Date`, `Time`/`Heure`, `TimeZone`/`Fuseau horaire`,
//! `Type`, `Status`/`État`, `Currency`/`Devise`, `Gross`/`Avant commission`, `Fee`/`Commission`,
//! `From Email Address`/`De l'adresse email`, `Transaction ID`/`Numéro de transaction`,
//! `Reference Txn ID`/`Numéro de la transaction de référence`.
//!
//! Payments received are gifts (subscription payments recurring, with the subscription's profile
//! as reference); refund and reversal rows refund the payment they reference; other rows
//! (withdrawals, conversions, holds) are not gifts. Amounts follow the account's locale
//! (`1.234,56`), dates too: day and month order is read from the file when a day above 12 shows
//! it, from French headers (a French account writes day first), or given with `--date-order`.
//! A statement (*Relevés*), which has no transaction type, is refused, naming the download to
//! make instead.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use jauge::{Currency, DonationStatus, Money};

use super::Transaction;
use crate::export::{Batch, Context, DateOrder, Entry};
use crate::table::{fee_field, money_field, normalise, Row, Table};
use crate::{InputError, Location};

/// Offsets of the zone abbreviations PayPal writes.
fn zone_offset(text: &str) -> Option<FixedOffset> {
    let hours = |h: i32| FixedOffset::east_opt(h * 3600);
    match text.trim().to_uppercase().as_str() {
        "GMT" | "UTC" | "Z" | "WET" => hours(0),
        "BST" | "CET" | "WEST" => hours(1),
        "CEST" | "EET" => hours(2),
        "EEST" => hours(3),
        "EDT" => hours(-4),
        "EST" | "CDT" => hours(-5),
        "CST" => hours(-6),
        "MST" => hours(-7),
        "MDT" => hours(-6),
        "PST" => hours(-8),
        "PDT" => hours(-7),
        other => {
            let rest = other
                .strip_prefix("GMT")
                .or_else(|| other.strip_prefix("UTC"))?;
            let (sign, rest) = match rest.chars().next()? {
                '+' => (1, &rest[1..]),
                '-' => (-1, &rest[1..]),
                _ => return None,
            };
            let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
            let seconds = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
            FixedOffset::east_opt(sign * seconds)
        }
    }
}

fn date_parts(text: &str) -> Option<(u32, u32, i32)> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    match parts.as_slice() {
        [a, b, c] if a.len() <= 2 => Some((a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)),
        _ => None,
    }
}

/// Day-month order from the dates themselves: a first number above 12 means day first.
fn detect_order(table: &Table, column: usize) -> Result<Option<DateOrder>, String> {
    let (mut day_first, mut month_first) = (false, false);
    for row in &table.rows {
        if let Some((a, b, _)) = date_parts(table.get(row, Some(column))) {
            day_first |= a > 12;
            month_first |= b > 12;
        }
    }
    match (day_first, month_first) {
        (true, true) => Err("dates are written both day-first and month-first".into()),
        (true, false) => Ok(Some(DateOrder::Dmy)),
        (false, true) => Ok(Some(DateOrder::Mdy)),
        (false, false) => Ok(None),
    }
}

fn instant(
    table: &Table,
    row: &Row,
    columns: (usize, Option<usize>, Option<usize>),
    order: Option<DateOrder>,
) -> Result<DateTime<Utc>, InputError> {
    let (date, time, zone) = columns;
    let text = table.get(row, Some(date));
    let bad = |message: String| InputError::new(table.at(row, date), message);
    let day = match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) => day,
        Err(_) => {
            let (a, b, year) = date_parts(text)
                .ok_or_else(|| bad(format!("{text:?} is not a date such as 24/12/2023")))?;
            let (d, m) = match order {
                Some(DateOrder::Dmy) => (a, b),
                Some(DateOrder::Mdy) => (b, a),
                None if a == b => (a, b),
                None => {
                    return Err(bad(format!(
                        "{text:?} could be day/month or month/day and no date in the file settles it: give --date-order dmy or mdy"
                    )))
                }
            };
            NaiveDate::from_ymd_opt(year, m, d)
                .ok_or_else(|| bad(format!("{text:?} is not a valid date")))?
        }
    };
    let time_text = table.get(row, time);
    let clock = if time_text.is_empty() {
        NaiveTime::MIN
    } else {
        NaiveTime::parse_from_str(time_text, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(time_text, "%H:%M"))
            .map_err(|_| {
                InputError::new(
                    table.at(row, time.unwrap_or(date)),
                    format!("{time_text:?} is not a time such as 08:07:00"),
                )
            })?
    };
    let zone_text = table.get(row, zone);
    let offset = if zone_text.is_empty() {
        FixedOffset::east_opt(0)
    } else {
        zone_offset(zone_text)
    }
    .ok_or_else(|| {
        InputError::new(
            table.at(row, zone.unwrap_or(date)),
            format!("{zone_text:?} is not a time zone PayPal writes (GMT, CET, CEST, PST, GMT+01:00, …)"),
        )
    })?;
    offset
        .from_local_datetime(&day.and_time(clock))
        .single()
        .map(|t| t.to_utc())
        .ok_or_else(|| bad(format!("{text} {time_text} is out of range")))
}

pub fn parse(table: Table, context: &Context) -> Result<Batch, InputError> {
    let statement = table.column(&["type"]).is_none()
        && table.column(&["description"]).is_some()
        && table.column(&["solde", "balance"]).is_some();
    if statement {
        return Err(InputError::new(
            Location::line(&table.path, 1),
            "a PayPal statement (Relevés), which does not say what each line is: download the \
             activity instead (Activité → Télécharger, or Activity → Download: CSV, all \
             transactions)",
        ));
    }
    let date = table.require(&["date"])?;
    let time = table.column(&["time", "heure"]);
    let zone = table.column(&["timezone", "time zone", "fuseau horaire"]);
    let kind = table.require(&["type"])?;
    let status = table.require(&["status", "etat"])?;
    let currency_column = table.require(&["currency", "devise"])?;
    let gross = table.require(&["gross", "avant commission", "brut"])?;
    let fee = table.column(&["fee", "commission", "frais"]);
    let from = table.column(&[
        "from email address",
        "de l'adresse email",
        "adresse email de l'expediteur",
    ]);
    let id = table.require(&["transaction id", "numero de transaction"])?;
    let reference = table.column(&["reference txn id", "numero de la transaction de reference"]);
    // French headers are a French account's, which writes dates day first.
    let french = table
        .column(&[
            "heure",
            "fuseau horaire",
            "avant commission",
            "devise",
            "etat",
        ])
        .is_some();
    let order = match context.date_order {
        Some(order) => Some(order),
        None => detect_order(&table, date)
            .map_err(|e| InputError::new(Location::file(&table.path), e))?
            .or(french.then_some(DateOrder::Dmy)),
    };
    let separator = context.decimal;
    Ok(table.into_batch(|table, row| {
        let type_text = normalise(table.get(row, Some(kind)));
        let currency = Currency::try_new(table.get(row, Some(currency_column)))
            .map_err(|e| InputError::new(table.at(row, currency_column), e.to_string()))?;
        let amount = money_field(table, row, gross, currency, separator)?;
        let is_refund = ["refund", "reversal", "rembours", "annulation de paiement"]
            .iter()
            .any(|w| type_text.contains(w));
        let is_payment = ["payment", "paiement", "don"]
            .iter()
            .any(|w| type_text.contains(w));
        if is_refund && amount.is_negative() {
            let of = table.get(row, reference);
            if of.is_empty() {
                return Err(InputError::new(
                    table.at(row, kind),
                    "a refund without the transaction it refunds".to_owned(),
                ));
            }
            let back = Money::try_new(amount.amount().abs(), currency)
                .map_err(|e| InputError::new(table.at(row, gross), e.to_string()))?;
            return Ok(Entry::Refund {
                of: super::gift_id(of),
                amount: back,
            });
        }
        if !is_payment || is_refund || !amount.is_positive() {
            return Ok(Entry::NotAGift(format!(
                "paypal {}",
                table.get(row, Some(kind))
            )));
        }
        let received = instant(table, row, (date, time, zone), order)?;
        let whole = |e: jauge::DonationError| InputError::new(table.at(row, id), e.to_string());
        let new_status = match normalise(table.get(row, Some(status))).as_str() {
            "completed"
            | "termine"
            | "refunded"
            | "partially refunded"
            | "rembourse"
            | "partiellement rembourse" => DonationStatus::Confirmed,
            "pending" | "en attente" | "unclaimed" | "non reclame" => DonationStatus::Pending,
            "denied" | "failed" | "canceled" | "cancelled" | "reversed" | "expired" | "voided"
            | "refuse" | "annule" | "echoue" => DonationStatus::Failed,
            other => {
                return Err(InputError::new(
                    table.at(row, status),
                    format!(
                    "{other:?}: expected Completed, Pending, Denied, Failed, Refunded or Reversed"
                ),
                ))
            }
        };
        let transaction = table.get(row, Some(id));
        let subscribed = ["subscription", "recurring", "abonnement", "recurrent"]
            .iter()
            .any(|w| type_text.contains(w));
        let profile = Some(table.get(row, reference))
            .filter(|r| !r.is_empty())
            .unwrap_or(transaction);
        let donation = Transaction {
            id: transaction,
            amount,
            at: received,
            status: new_status,
            fee: fee_field(table, row, fee, currency, separator)?,
            payer: Some(table.get(row, from)),
            subscription: subscribed.then_some((context.interval, profile)),
        }
        .gift()
        .map_err(whole)?;
        Ok(Entry::Gift(donation))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_paypal_writes() {
        assert_eq!(zone_offset("CET").unwrap().local_minus_utc(), 3600);
        assert_eq!(zone_offset("PDT").unwrap().local_minus_utc(), -7 * 3600);
        assert_eq!(zone_offset("CST").unwrap().local_minus_utc(), -6 * 3600);
        assert_eq!(
            zone_offset("GMT+05:30").unwrap().local_minus_utc(),
            5 * 3600 + 1800
        );
        assert_eq!(zone_offset("UTC-3").unwrap().local_minus_utc(), -3 * 3600);
        assert!(zone_offset("Mars").is_none());
    }
}
