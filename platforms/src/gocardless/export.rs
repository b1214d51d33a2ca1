//! GoCardless's payments export (Payments → Export, CSV): `id`, `created_at`, `amount` (in the
//! currency's units, `20.00`), `currency`, `status` (the API's names), and optionally
//! `amount_refunded`, `links.mandate` (a pseudonymous donor key is made from it, as the webhooks
//! make it) and `links.subscription` (a recurring gift, monthly unless `--interval yearly`).
//! Columns may also be named without their `links.` prefix (`mandate`, `subscription`).
//!
//! A row makes the same gift as the webhook events of its payment, `gocardless:<PM…>`: an
//! export imported after the events adds nothing twice.

use chrono::DateTime;
use jauge::Currency;

use super::Payment;
use crate::export::{Batch, Context, Entry};
use crate::table::{money_field, normalise, Table};
use crate::InputError;

/// Reads a payments export.
///
/// # Errors
///
/// A column the export needs is missing (named); a row's problems are the row's, kept with it.
pub fn parse(table: Table, context: &Context) -> Result<Batch, InputError> {
    let id = table.require(&["id"])?;
    let created = table.require(&["created_at"])?;
    let amount = table.require(&["amount"])?;
    let currency_column = table.require(&["currency"])?;
    let status = table.require(&["status"])?;
    let refunded = table.column(&["amount_refunded"]);
    let mandate = table.column(&["links.mandate", "mandate", "mandates.id"]);
    let subscription = table.column(&["links.subscription", "subscription", "subscriptions.id"]);
    Ok(table.into_batch(|table, row| {
        let currency = Currency::try_new(table.get(row, Some(currency_column)))
            .map_err(|e| InputError::new(table.at(row, currency_column), e.to_string()))?;
        let gift = money_field(table, row, amount, currency, context.decimal)?;
        let back = match refunded.filter(|c| !table.get(row, Some(*c)).is_empty()) {
            Some(column) => money_field(table, row, column, currency, context.decimal)?,
            None => jauge::Money::zero(currency),
        };
        let state = normalise(table.get(row, Some(status)));
        let new_status = super::status(&state, gift, back, false).ok_or_else(|| {
            InputError::new(
                table.at(row, status),
                format!("{state:?}: expected {}", super::STATUSES),
            )
        })?;
        let created_text = table.get(row, Some(created));
        let created_at = DateTime::parse_from_rfc3339(created_text)
            .map_err(|e| {
                InputError::new(
                    table.at(row, created),
                    format!(
                        "{created_text:?} is not a date and time such as 2023-12-01T10:00:00.000Z: {e}"
                    ),
                )
            })?
            .to_utc();
        let mandate = table.get(row, mandate);
        let subscription = table.get(row, subscription);
        let donation = Payment {
            id: table.get(row, Some(id)),
            amount: gift,
            created: created_at,
            status: new_status,
            mandate: (!mandate.is_empty()).then_some(mandate),
            subscription: (!subscription.is_empty()).then_some((context.interval, subscription)),
        }
        .gift()
        .map_err(|e| InputError::new(table.at(row, id), e.to_string()))?;
        Ok(Entry::Gift(donation))
    }))
}
