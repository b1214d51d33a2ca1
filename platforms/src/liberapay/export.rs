//! A Liberapay team's payments export (the team's Income → Payments → Export as CSV,
//! `/<team>/income/payments.csv`): one row per transfer of a payment to one of the team's
//! members, `id`, `date` (the day the payment succeeded), `currency`, `amount`,
//! `reversed_amount`, and `payer_id` where the patron is public.
//!
//! A row makes the same gift as the poll of the team's payments, `liberapay:transfer-<id>`: the
//! export imported after the poll adds nothing twice. (The export does not say the donation's
//! period: a monthly or yearly one is learnt from the poll.) Only a team has this export:
//! another account's patrons export lists pledges, not payments, and is refused.

use chrono::NaiveDate;
use jauge::{Currency, Money};

use super::Transfer;
use crate::export::{Batch, Context, Entry};
use crate::table::{money_field, Table};
use crate::InputError;

/// Reads a team's payments export.
///
/// # Errors
///
/// A column the export needs is missing (named), or the file is a patrons export.
pub fn parse(table: Table, context: &Context) -> Result<Batch, InputError> {
    if table.column(&["weekly_amount"]).is_some() && table.column(&["pledge_date"]).is_some() {
        return Err(InputError::new(
            crate::Location::line(&table.path, 1),
            "a patrons export lists pledges, not payments: export a team's payments \
             (Income → Payments → Export as CSV), or let jauge poll the account",
        ));
    }
    let id = table.require(&["id"])?;
    let date = table.require(&["date"])?;
    let currency_column = table.require(&["currency"])?;
    let amount = table.require(&["amount"])?;
    let reversed = table.column(&["reversed_amount"]);
    let payer = table.column(&["payer_id"]);
    Ok(table.into_batch(|table, row| {
        let currency = Currency::try_new(table.get(row, Some(currency_column)))
            .map_err(|e| InputError::new(table.at(row, currency_column), e.to_string()))?;
        let gift = money_field(table, row, amount, currency, context.decimal)?;
        let back = match reversed.filter(|&c| !table.get(row, Some(c)).trim().is_empty()) {
            Some(column) => money_field(table, row, column, currency, context.decimal)?,
            None => Money::zero(currency),
        };
        let day_text = table.get(row, Some(date)).trim();
        let day = NaiveDate::parse_from_str(day_text, "%Y-%m-%d").map_err(|_| {
            InputError::new(
                table.at(row, date),
                format!("{day_text:?} is not a date such as 2026-12-03"),
            )
        })?;
        let transfer = table.get(row, Some(id)).trim();
        if transfer.is_empty() || !transfer.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InputError::new(
                table.at(row, id),
                format!("{transfer:?}: expected a transfer's id (a number)"),
            ));
        }
        let payer = table.get(row, payer).trim();
        Transfer {
            id: transfer,
            // Without the period, no subscription is named, and so no team.
            team: "",
            date: day,
            amount: gift,
            reversed: back,
            payer: (!payer.is_empty()).then_some(payer),
            period: None,
        }
        .gift()
        .map(Entry::Gift)
        .map_err(|e| InputError::new(table.at(row, id), e.to_string()))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jauge::DonationStatus;
    use std::path::Path;

    fn read(csv: &str) -> Vec<Result<Entry, InputError>> {
        crate::export::rows_read("payments.csv", csv, parse)
    }

    #[test]
    fn transfers_are_gifts_and_reversals_are_taken_back() {
        let rows = read(
            "id,date,currency,amount,reversed_amount,recipient_id,recipient_username,payment_method,payer_id,payer_username,payer_public_name\n\
91,2026-12-03,EUR,6.00,0,12,alice,stripe-card,345,ada,Ada\n\
92,2026-12-03,EUR,4.00,4.00,13,bob,stripe-card,345,ada,Ada\n\
93,2026-12-04,EUR,10.00,0,12,alice,paypal,,,\n\
x,2026-12-04,EUR,10.00,0,12,alice,paypal,,,\n\
94,04/12/2026,EUR,10.00,0,12,alice,paypal,,,\n",
        );
        let Ok(Entry::Gift(first)) = &rows[0] else {
            panic!("{:?}", rows[0])
        };
        assert_eq!(first.id(), "liberapay:transfer-91");
        assert_eq!(first.amount().to_string(), "6.00 EUR");
        assert_eq!(
            first.received_at().to_rfc3339(),
            "2026-12-03T00:00:00+00:00"
        );
        assert!(first.donor().is_some());
        let Ok(Entry::Gift(second)) = &rows[1] else {
            panic!()
        };
        assert!(matches!(second.status(), DonationStatus::Refunded { .. }));
        let Ok(Entry::Gift(third)) = &rows[2] else {
            panic!()
        };
        assert!(third.donor().is_none());
        assert!(rows[3]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("payments.csv:5:"));
        assert!(rows[4]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("\"04/12/2026\" is not a date"));
    }

    #[test]
    fn a_patrons_export_is_refused_saying_why() {
        let csv = "patron_id,patron_username,patron_public_name,visibility,donation_currency,weekly_amount,pledge_date,last_modification_date,first_payment_date,patron_avatar_url\n1,ada,Ada,public,EUR,1.00,2026-01-01,2026-01-01,2026-01-01,\n";
        let table = Table::from_bytes(Path::new("patrons.csv"), csv.as_bytes()).unwrap();
        let error = parse(table, &Context::default()).err().unwrap().to_string();
        assert!(error.contains("pledges, not payments"), "{error}");
    }
}
