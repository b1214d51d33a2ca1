//! Stripe exports.
//!
//! - **Payments** (`unified_payments.csv` from the dashboard): `id`, `Created date (UTC)` (or
//!   `Created (UTC)`), `Amount`, `Amount Refunded`, `Currency`, `Fee`, `Status`, and optionally
//!   `Customer Email` or `Customer ID` (a pseudonymous donor key is made from it) and
//!   `Subscription` (a recurring gift, monthly unless `--interval yearly`).
//! - **Balance** (the itemised balance-change report): `created_utc`, `currency`, `gross`, `fee`,
//!   `reporting_category`, `source_id`, `charge_id`, and optionally `customer_email`. `charge`
//!   rows are gifts, `refund` and `dispute` rows refund their charge, other categories (payouts,
//!   fees, transfers) are not gifts.
//!
//! Both name a gift by its charge id, so the two exports of the same payments agree.

use jauge::{Currency, Donation, DonationStatus};

use super::{gift_id, Charge};
use crate::amount::DecimalSeparator;
use crate::export::{Batch, Context, Entry};
use crate::table::{fee_field, money_field, normalise, parse_naive, Row, Table};
use crate::InputError;

const DATE_FORMATS: [&str; 4] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S",
];

/// Per value unless told: Stripe's headers stay English whatever the dashboard's language,
/// but a dashboard in French writes `"45,00"`, and the currency's decimals settle each value.
fn separator(context: &Context) -> DecimalSeparator {
    context.decimal
}

fn currency_of(table: &Table, row: &Row, column: usize) -> Result<Currency, InputError> {
    Currency::try_new(table.get(row, Some(column)))
        .map_err(|e| InputError::new(table.at(row, column), e.to_string()))
}

fn instant(
    table: &Table,
    row: &Row,
    column: usize,
) -> Result<chrono::DateTime<chrono::Utc>, InputError> {
    parse_naive(table.get(row, Some(column)), &DATE_FORMATS)
        .map(|naive| naive.and_utc())
        .map_err(|e| InputError::new(table.at(row, column), e))
}

pub fn parse_payments(table: Table, context: &Context) -> Result<Batch, InputError> {
    let id = table.require(&["id"])?;
    let created = table.require(&["created date (utc)", "created (utc)", "created"])?;
    let amount = table.require(&["amount"])?;
    let refunded = table.column(&["amount refunded"]);
    let currency_column = table.require(&["currency"])?;
    let fee = table.column(&["fee"]);
    let status = table.require(&["status"])?;
    let captured = table.column(&["captured"]);
    let customer = table.column(&["customer email", "customer id"]);
    let subscription = table.column(&["subscription", "subscription id"]);
    let separator = separator(context);
    Ok(table.into_batch(|table, row| {
        let whole = |e: jauge::DonationError| InputError::new(table.at(row, id), e.to_string());
        let currency = currency_of(table, row, currency_column)?;
        let gift = money_field(table, row, amount, currency, separator)?;
        let back = match refunded.filter(|c| !table.get(row, Some(*c)).is_empty()) {
            Some(column) => Some(money_field(table, row, column, currency, separator)?)
                .filter(|m| m.is_positive()),
            None => None,
        };
        let state = normalise(table.get(row, Some(status)));
        let uncaptured = normalise(table.get(row, captured)) == "false";
        let new_status = match (state.as_str(), back) {
            ("paid" | "succeeded" | "refunded" | "partially refunded", Some(refunded)) => {
                DonationStatus::Refunded { refunded }
            }
            ("refunded", None) => DonationStatus::Refunded { refunded: gift },
            ("paid" | "succeeded" | "partially refunded", None) if uncaptured => {
                DonationStatus::Pending
            }
            ("paid" | "succeeded" | "partially refunded", None) => DonationStatus::Confirmed,
            ("pending" | "uncaptured" | "requires_capture" | "processing", _) => {
                DonationStatus::Pending
            }
            ("failed" | "canceled" | "cancelled" | "blocked" | "requires_payment_method", _) => {
                DonationStatus::Failed
            }
            (other, _) => {
                return Err(InputError::new(
                    table.at(row, status),
                    format!("{other:?}: expected Paid, Refunded, Pending, Failed or Canceled"),
                ))
            }
        };
        let subscription = table.get(row, subscription);
        let donation = Charge {
            id: table.get(row, Some(id)),
            amount: gift,
            created: instant(table, row, created)?,
            status: new_status,
            fee: fee_field(table, row, fee, currency, separator)?,
            payer: Some(table.get(row, customer)),
            subscription: (!subscription.is_empty()).then_some((context.interval, subscription)),
        }
        .gift()
        .map_err(whole)?;
        Ok(Entry::Gift(donation))
    }))
}

/// Where a balance export's charge row keeps what makes its gift.
struct ChargeColumns {
    amount: usize,
    created: usize,
    fee: Option<usize>,
    customer: Option<usize>,
    subscription: Option<usize>,
    /// The column a gift the core refuses is reported at.
    errors_at: usize,
}

/// The gift a balance export's charge row makes, named `stripe:<charge>` as every Stripe
/// source names it.
#[allow(clippy::too_many_arguments)]
fn charge_gift(
    table: &Table,
    row: &Row,
    charge_id: &str,
    at: ChargeColumns,
    currency: Currency,
    separator: DecimalSeparator,
    context: &Context,
) -> Result<Donation, InputError> {
    let whole =
        |e: jauge::DonationError| InputError::new(table.at(row, at.errors_at), e.to_string());
    let subscription = table.get(row, at.subscription);
    Charge {
        id: charge_id,
        amount: money_field(table, row, at.amount, currency, separator)?,
        created: instant(table, row, at.created)?,
        status: DonationStatus::Confirmed,
        fee: fee_field(table, row, at.fee, currency, separator)?,
        payer: Some(table.get(row, at.customer)),
        subscription: (!subscription.is_empty()).then_some((context.interval, subscription)),
    }
    .gift()
    .map_err(whole)
}

pub fn parse_balance(table: Table, context: &Context) -> Result<Batch, InputError> {
    if table.column(&["reporting_category"]).is_none() && table.column(&["type"]).is_some() {
        return parse_balance_history(table, context);
    }
    let created = table.require(&["created_utc", "created (utc)", "created"])?;
    let currency_column = table.require(&["currency"])?;
    let gross = table.require(&["gross"])?;
    let fee = table.column(&["fee"]);
    let category = table.require(&["reporting_category"])?;
    let source = table.column(&["source_id", "source"]);
    let charge = table.column(&["charge_id"]);
    let customer = table.column(&["customer_email", "customer_id"]);
    let subscription = table.column(&["subscription_id", "subscription"]);
    let separator = separator(context);
    Ok(table.into_batch(|table, row| {
        let category_text = normalise(table.get(row, Some(category)));
        let charge_id = Some(table.get(row, charge))
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| table.get(row, source));
        let currency = currency_of(table, row, currency_column)?;
        match category_text.as_str() {
            "charge" | "payment" => charge_gift(
                table,
                row,
                charge_id,
                ChargeColumns {
                    amount: gross,
                    created,
                    fee,
                    customer,
                    subscription,
                    errors_at: gross,
                },
                currency,
                separator,
                context,
            )
            .map(Entry::Gift),
            "refund" | "dispute" | "payment_refund" => {
                let amount = money_field(table, row, gross, currency, separator)?;
                let amount = jauge::Money::try_new(amount.amount().abs(), currency)
                    .map_err(|e| InputError::new(table.at(row, gross), e.to_string()))?;
                if charge_id.is_empty() {
                    // The money did leave: a reversal, matched to its gift later.
                    let own = table.get(row, source);
                    if own.is_empty() {
                        return Err(InputError::new(
                            table.at(row, category),
                            "a refund that names neither its charge nor itself".to_owned(),
                        ));
                    }
                    return Ok(Entry::Reversal {
                        id: gift_id(own),
                        amount,
                        at: instant(table, row, created)?,
                    });
                }
                Ok(Entry::Refund {
                    of: gift_id(charge_id),
                    amount,
                })
            }
            other => Ok(Entry::NotAGift(format!("stripe {other}"))),
        }
    }))
}

/// The Dashboard's balance export (`balance_history.csv`: `id`, `Type`, `Source`, `Amount`,
/// `Fee`, `Net`, `Currency`, `Created (UTC)`, …): `charge` and `payment` rows are gifts named by
/// their `Source` (the charge); `refund`, `payment_refund` and lost disputes give back their
/// charge when the row names it (a `Charge`/`charge_id` column, or a charge id in the source or
/// the description), and are refused otherwise, saying which export carries refunds; payouts,
/// Stripe's fees, transfers and the rest are not gifts. Amounts are what settled in the
/// account's currency.
fn parse_balance_history(table: Table, context: &Context) -> Result<Batch, InputError> {
    let kind = table.require(&["type"])?;
    let source = table.require(&["source"])?;
    let amount = table.require(&["amount"])?;
    let fee = table.column(&["fee"]);
    let currency_column = table.require(&["currency"])?;
    let created = table.require(&["created (utc)", "created date (utc)", "created"])?;
    let description = table.column(&["description"]);
    let charge = table.column(&["charge", "charge id", "charge_id"]);
    let customer = table.column(&["customer email", "customer_email", "customer id"]);
    let separator = separator(context);
    Ok(table.into_batch(|table, row| {
        let currency = currency_of(table, row, currency_column)?;
        let source_id = table.get(row, Some(source));
        let kind_text = normalise(table.get(row, Some(kind)));
        let gives_back = matches!(
            kind_text.as_str(),
            "refund" | "payment_refund" | "payment_failure_refund"
        ) || (kind_text == "adjustment"
            && is_dispute(table.get(row, description)));
        match kind_text.as_str() {
            "charge" | "payment" => {
                if source_id.is_empty() {
                    return Err(InputError::new(
                        table.at(row, source),
                        "empty: a charge row names its charge here".to_owned(),
                    ));
                }
                charge_gift(
                    table,
                    row,
                    source_id,
                    ChargeColumns {
                        amount,
                        created,
                        fee,
                        customer,
                        subscription: None,
                        errors_at: source,
                    },
                    currency,
                    separator,
                    context,
                )
                .map(Entry::Gift)
            }
            _ if gives_back => {
                let back = money_field(table, row, amount, currency, separator)?;
                let back = jauge::Money::try_new(back.amount().abs(), currency)
                    .map_err(|e| InputError::new(table.at(row, amount), e.to_string()))?;
                let named = [
                    table.get(row, charge),
                    source_id,
                    table.get(row, description),
                ]
                .into_iter()
                .find_map(charge_id_in);
                match named {
                    Some(of) => Ok(Entry::Refund {
                        of: gift_id(of),
                        amount: back,
                    }),
                    // The money did leave: a reversal, matched to its gift when a later export
                    // (the payments export's Amount Refunded) reports the refund.
                    None if !source_id.is_empty() => Ok(Entry::Reversal {
                        id: gift_id(source_id),
                        amount: back,
                        at: instant(table, row, created)?,
                    }),
                    None => Err(InputError::new(
                        table.at(row, source),
                        "empty: a refund names itself or its charge here".to_owned(),
                    )),
                }
            }
            other => Ok(Entry::NotAGift(format!("stripe {other}"))),
        }
    }))
}

/// Whether a balance adjustment is a dispute's (Stripe describes them as `Chargeback withdrawal
/// for ch_…`).
fn is_dispute(description: &str) -> bool {
    let description = normalise(description);
    description.contains("chargeback") || description.contains("dispute")
}

/// The first charge or payment id (`ch_…`, `py_…`) in `text`.
fn charge_id_in(text: &str) -> Option<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|word| (word.starts_with("ch_") || word.starts_with("py_")) && word.len() > 3)
}
