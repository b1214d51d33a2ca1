//! Mollie's payments export (Payments → Export, CSV): the payment's `ID` (`tr_…`), its creation
//! date (`Created at`, `Date`: with an offset, or a local time read in the campaign's zone),
//! `Amount` and `Currency`, `Status`, and optionally `Amount refunded`, `Amount charged back`,
//! `Customer ID` (a pseudonymous donor key is made from it, as the webhooks make it) and
//! `Subscription ID` (a recurring gift, monthly unless `--interval yearly`).
//!
//! A row makes the same gift as the webhooks of its payment, `mollie:<tr_…>`: an export imported
//! after them adds nothing twice.

use chrono::DateTime;
use jauge::Currency;

use super::Payment;
use crate::export::{Batch, Context, Entry};
use crate::table::{local_to_utc, money_field, normalise, parse_naive, Table};
use crate::InputError;

const DATE_FORMATS: [&str; 3] = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M:%S"];

/// Reads a payments export.
///
/// # Errors
///
/// A column the export needs is missing (named); a row's problems are the row's, kept with it.
pub fn parse(table: Table, context: &Context) -> Result<Batch, InputError> {
    let id = table.require(&["id", "payment id"])?;
    let created = table.require(&["created at", "createdat", "date", "created"])?;
    let amount = table.require(&["amount"])?;
    let currency_column = table.require(&["currency"])?;
    let status = table.require(&["status"])?;
    let refunded = table.column(&["amount refunded", "amountrefunded", "refunded amount"]);
    let charged_back = table.column(&[
        "amount charged back",
        "amountchargedback",
        "chargeback amount",
    ]);
    let customer = table.column(&["customer id", "customerid", "customer"]);
    let subscription = table.column(&["subscription id", "subscriptionid", "subscription"]);
    Ok(table.into_batch(|table, row| {
        let currency = Currency::try_new(table.get(row, Some(currency_column)))
            .map_err(|e| InputError::new(table.at(row, currency_column), e.to_string()))?;
        let gift = money_field(table, row, amount, currency, context.decimal)?;
        let mut back = jauge::Money::zero(currency);
        for column in [refunded, charged_back]
            .into_iter()
            .flatten()
            .filter(|c| !table.get(row, Some(*c)).is_empty())
        {
            let more = money_field(table, row, column, currency, context.decimal)?;
            back = back
                .checked_add(more)
                .map_err(|e| InputError::new(table.at(row, column), e.to_string()))?;
        }
        let state = normalise(table.get(row, Some(status)));
        let new_status = super::status(&state, gift, back).ok_or_else(|| {
            InputError::new(
                table.at(row, status),
                format!("{state:?}: expected {}", super::STATUSES),
            )
        })?;
        let text = table.get(row, Some(created));
        let created_at = match DateTime::parse_from_rfc3339(text) {
            Ok(instant) => instant.to_utc(),
            Err(_) => {
                let local = parse_naive(text, &DATE_FORMATS)
                    .map_err(|e| InputError::new(table.at(row, created), e))?;
                let zone = context.zone.ok_or_else(|| {
                    InputError::new(
                        table.at(row, created),
                        "a local time: give --time-zone or --campaign",
                    )
                })?;
                local_to_utc(local, zone).map_err(|e| InputError::new(table.at(row, created), e))?
            }
        };
        let customer = table.get(row, customer);
        let subscription = table.get(row, subscription);
        let donation = Payment {
            id: table.get(row, Some(id)),
            amount: gift,
            created: created_at,
            status: new_status,
            customer: (!customer.is_empty()).then_some(customer),
            subscription: (!subscription.is_empty()).then_some((context.interval, subscription)),
        }
        .gift()
        .map_err(|e| InputError::new(table.at(row, id), e.to_string()))?;
        Ok(Entry::Gift(donation))
    }))
}
