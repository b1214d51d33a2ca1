//! Open Collective's transactions export (the collective's Transactions → Export CSV, or
//! `rest.opencollective.com/v2/<slug>/transactions.csv`), with its columns named either way Open
//! Collective writes them: by label (`Transaction ID`, `Effective Date & Time`, `Credit/Debit`,
//! `Kind`, `Amount Single Column`, `Currency`, `Is Refund`/`Is Reverse`, `Refund Transaction
//! ID`/`Reverse Transaction ID`, `Opposite Account Handle`, `Group ID`, …) or by field
//! (`legacyId`, `datetime`, `type`, `kind`, `netAmount`, `amount`, …).
//!
//! A row makes the same gift as the poll of its transaction (see the [module](super)): the
//! collective's `CREDIT` contributions are gifts, its refunds (`DEBIT`, `REFUND`) take back the
//! contribution they name, and every other row (expenses, host fees, tips…) is not a gift,
//! counted by its kind. The payment processor's fee is the row's own `Payment Processor Fee`
//! column, or, as Open Collective records it since 2024, the `PAYMENT_PROCESSOR_FEE` row of the
//! same group. The amount is the `Gross Amount` where the export has it; else the single-column
//! amount plus the fee columns the export carries (before 2024 the single column is net of the
//! fee: export those contributions with `Gross Amount`).

use std::collections::HashMap;

use chrono::{NaiveDateTime, TimeZone, Utc};
use jauge::{Currency, Money};

use super::{interval, Contribution};
use crate::export::{Batch, Context, Entry};
use crate::table::{money_field, normalise, Row, Table};
use crate::InputError;

/// The columns a row is read from.
struct Columns {
    id: usize,
    effective: Option<usize>,
    created: Option<usize>,
    kind: usize,
    credit_debit: usize,
    currency: usize,
    gross: Option<usize>,
    net: Option<usize>,
    /// Fees the single-column amount is net of, when the export carries them.
    fees: Vec<usize>,
    processor_fee: Option<usize>,
    refund: Option<usize>,
    refunded: Option<usize>,
    refund_of: Option<usize>,
    from: Option<usize>,
    group: Option<usize>,
    order: Option<usize>,
    frequency: Option<usize>,
}

impl Columns {
    fn of(table: &Table) -> Result<Columns, InputError> {
        let id = match table.column(&["transaction id", "legacyid"]) {
            Some(id) => id,
            None if table.column(&["short transaction id", "shortid"]).is_some() => {
                return Err(InputError::new(
                    crate::Location::line(&table.path, 1),
                    "missing column: this export names transactions by their short id only \
                     (the pre-2024 preset); export again with the \"Transaction ID\" column \
                     (Open Collective's default preset has it)",
                ))
            }
            None => table.require(&["transaction id", "legacyid"])?,
        };
        let effective = table.column(&["effective date & time", "effectivedate"]);
        let created = table.column(&["date & time", "datetime"]);
        if effective.is_none() && created.is_none() {
            table.require(&["effective date & time", "date & time", "datetime"])?;
        }
        let gross = table.column(&["gross amount", "amount"]);
        let net = table.column(&["amount single column", "netamount"]);
        if gross.is_none() && net.is_none() {
            table.require(&[
                "gross amount",
                "amount single column",
                "amount",
                "netamount",
            ])?;
        }
        let processor_fee = table.column(&["payment processor fee", "paymentprocessorfee"]);
        let fees = [
            processor_fee,
            table.column(&["host fee", "hostfee"]),
            table.column(&["platform fee", "platformfee"]),
            table.column(&["tax amount", "taxamount"]),
        ]
        .into_iter()
        .flatten()
        .collect();
        Ok(Columns {
            id,
            effective,
            created,
            kind: table.require(&["kind"])?,
            credit_debit: table.require(&["credit/debit", "type"])?,
            currency: table.require(&["currency"])?,
            gross,
            net,
            fees,
            processor_fee,
            refund: table.column(&["is refund", "is reverse", "isrefund", "isreverse"]),
            refunded: table.column(&["is refunded", "is reversed", "isrefunded", "isreversed"]),
            refund_of: table.column(&[
                "refund transaction id",
                "reverse transaction id",
                "refundlegacyid",
                "reverselegacyid",
            ]),
            from: table.column(&["opposite account handle", "oppositeaccountslug"]),
            group: table.column(&["group id", "group", "short group id", "shortgroup"]),
            order: table.column(&["contribution id", "orderlegacyid"]),
            frequency: table.column(&["contribution frequency", "orderfrequency"]),
        })
    }

    fn currency(&self, table: &Table, row: &Row) -> Result<Currency, InputError> {
        Currency::try_new(table.get(row, Some(self.currency)))
            .map_err(|e| InputError::new(table.at(row, self.currency), e.to_string()))
    }

    /// An amount column's value, as a positive amount (debits are written negative).
    fn positive(
        table: &Table,
        row: &Row,
        column: usize,
        currency: Currency,
        context: &Context,
    ) -> Result<Money, InputError> {
        let value = money_field(table, row, column, currency, context.decimal)?;
        Money::try_new(value.amount().abs(), currency)
            .map_err(|e| InputError::new(table.at(row, column), e.to_string()))
    }

    /// What the host accounted for the row, before fees.
    fn amount(
        &self,
        table: &Table,
        row: &Row,
        currency: Currency,
        context: &Context,
    ) -> Result<Money, InputError> {
        if let Some(gross) = self
            .gross
            .filter(|&c| !table.get(row, Some(c)).trim().is_empty())
        {
            return Self::positive(table, row, gross, currency, context);
        }
        let net = self
            .net
            .or(self.gross)
            .ok_or_else(|| InputError::new(table.at(row, self.id), "no amount"))?;
        let mut total = Self::positive(table, row, net, currency, context)?;
        for &fee in &self.fees {
            if table.get(row, Some(fee)).trim().is_empty() {
                continue;
            }
            let fee_amount = Self::positive(table, row, fee, currency, context)?;
            total = total
                .checked_add(fee_amount)
                .map_err(|e| InputError::new(table.at(row, fee), e.to_string()))?;
        }
        Ok(total)
    }

    /// When: the effective instant where written, else the transaction's (both UTC, to the
    /// second).
    fn instant(&self, table: &Table, row: &Row) -> Result<chrono::DateTime<Utc>, InputError> {
        let column = self
            .effective
            .filter(|&c| !table.get(row, Some(c)).trim().is_empty())
            .or(self.created)
            .or(self.effective)
            .ok_or_else(|| InputError::new(table.at(row, self.id), "no date"))?;
        let text = table.get(row, Some(column)).trim();
        chrono::DateTime::parse_from_rfc3339(text)
            .map(|t| t.to_utc())
            .or_else(|_| {
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                    .map(|t| Utc.from_utc_datetime(&t))
            })
            .map_err(|_| {
                InputError::new(
                    table.at(row, column),
                    format!("{text:?} is not a UTC date and time such as 2024-05-20T14:37:51"),
                )
            })
    }
}

fn flagged(table: &Table, row: &Row, column: Option<usize>) -> bool {
    !table.get(row, column).trim().is_empty()
}

/// Reads a transactions export.
///
/// # Errors
///
/// A column the export needs is missing (named); a row's problems are the row's, kept with it.
pub fn parse(table: Table, context: &Context) -> Result<Batch, InputError> {
    let columns = Columns::of(&table)?;
    // Fees recorded as their own rows (since 2024), by the group they share with their
    // contribution.
    let mut group_fees: HashMap<String, Money> = HashMap::new();
    for row in &table.rows {
        let group = table.get(row, columns.group).trim();
        if group.is_empty()
            || normalise(table.get(row, Some(columns.kind))) != "payment_processor_fee"
            || flagged(&table, row, columns.refund)
        {
            continue;
        }
        let fee = columns.currency(&table, row).and_then(|currency| {
            Columns::positive(
                &table,
                row,
                columns.net.or(columns.gross).unwrap_or(columns.id),
                currency,
                context,
            )
        });
        if let Ok(fee) = fee {
            let sum = match group_fees.get(group) {
                Some(held) => held.checked_add(fee).ok(),
                None => Some(fee),
            };
            if let Some(sum) = sum {
                group_fees.insert(group.to_owned(), sum);
            }
        }
    }
    Ok(table.into_batch(|table, row| {
        let kind = normalise(table.get(row, Some(columns.kind)));
        let credit = match normalise(table.get(row, Some(columns.credit_debit))).as_str() {
            "credit" => true,
            "debit" => false,
            _ => {
                return Err(InputError::new(
                    table.at(row, columns.credit_debit),
                    format!(
                        "{:?}: expected CREDIT or DEBIT",
                        table.get(row, Some(columns.credit_debit))
                    ),
                ))
            }
        };
        let refund = flagged(table, row, columns.refund);
        if kind == "payment_processor_fee" {
            // Its amount is its contribution's fee: one that cannot be read is said, not lost.
            let currency = columns.currency(table, row)?;
            columns.amount(table, row, currency, context)?;
        }
        if kind != "contribution" {
            let what = match kind.as_str() {
                "" => "a transaction of no kind".to_owned(),
                "payment_processor_fee" => "a payment processor fee".to_owned(),
                other => other.replace('_', " "),
            };
            return Ok(Entry::NotAGift(what));
        }
        let currency = columns.currency(table, row)?;
        let amount = columns.amount(table, row, currency, context)?;
        let id = table.get(row, Some(columns.id)).trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InputError::new(
                table.at(row, columns.id),
                format!("{id:?}: expected a transaction's serial id (a number)"),
            ));
        }
        match (credit, refund) {
            (true, false) => {
                let own_fee = match columns.processor_fee {
                    Some(column) if flagged(table, row, Some(column)) => {
                        Some(Columns::positive(table, row, column, currency, context)?)
                    }
                    _ => None,
                };
                let fee = own_fee
                    .filter(Money::is_positive)
                    .or_else(|| group_fees.get(table.get(row, columns.group).trim()).copied())
                    .filter(|f| f.currency() == currency);
                let order = table.get(row, columns.order).trim();
                let frequency = interval(table.get(row, columns.frequency));
                let from = table.get(row, columns.from).trim();
                Contribution {
                    id,
                    amount,
                    at: columns.instant(table, row)?,
                    refunded: flagged(table, row, columns.refunded),
                    fee,
                    from: (!from.is_empty()).then_some(from),
                    order: frequency.zip((!order.is_empty()).then_some(order)),
                }
                .gift()
                .map(Entry::Gift)
                .map_err(|e| InputError::new(table.at(row, columns.id), e.to_string()))
            }
            (false, true) => {
                let Some(column) = columns.refund_of else {
                    return Err(InputError::new(
                        table.at(row, columns.id),
                        "a refund, but the export has no \"Refund Transaction ID\" column to say of which contribution",
                    ));
                };
                let of = table.get(row, Some(column)).trim();
                if of.is_empty() {
                    return Err(InputError::new(
                        table.at(row, column),
                        "a refund that names no transaction",
                    ));
                }
                Ok(Entry::Refund {
                    of: crate::gift::named("opencollective", of),
                    amount,
                })
            }
            (false, false) => Ok(Entry::NotAGift("contribution given".into())),
            (true, true) => Ok(Entry::NotAGift("contribution refunded to it".into())),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jauge::{DonationKind, DonationStatus, Interval};
    use std::path::Path;

    fn entries(csv: &str) -> Vec<Result<Entry, InputError>> {
        crate::export::rows_read("oc.csv", csv, parse)
    }

    fn gift(entry: &Result<Entry, InputError>) -> &jauge::Donation {
        match entry {
            Ok(Entry::Gift(gift)) => gift,
            other => panic!("{other:?}"),
        }
    }

    /// Open Collective's default preset (labels), fees in rows of their own.
    const DEFAULT_PRESET: &str = "\"Effective Date & Time\",\"Transaction ID\",\"Description\",\"Credit/Debit\",\"Kind\",\"Group ID\",\"Amount Single Column\",\"Currency\",\"Is Reverse\",\"Is Reversed\",\"Reverse Transaction ID\",\"Account Handle\",\"Account Name\",\"Opposite Account Handle\",\"Opposite Account Name\",\"Payment Processor\",\"Payment Method\",\"Contribution Memo\",\"Expense Type\",\"Expense Tags\",\"Expense Payout Method Type\",\"Accounting Category Code\",\"Accounting Category Name\",\"Merchant ID\"\n\
\"2026-12-01T10:00:00\",501,\"Contribution from Ada\",\"CREDIT\",\"CONTRIBUTION\",\"g-aaa\",30,\"EUR\",,\"REVERSED\",,\"asso\",\"Asso\",\"ada\",\"Ada\",\"STRIPE\",\"CREDITCARD\",,,,,,,\n\
\"2026-12-01T10:00:00\",502,\"Stripe fee\",\"DEBIT\",\"PAYMENT_PROCESSOR_FEE\",\"g-aaa\",-1.5,\"EUR\",,,,\"asso\",\"Asso\",\"stripe\",\"Stripe\",,,,,,,,,\n\
\"2026-12-02T09:30:00\",503,\"Refund of contribution\",\"DEBIT\",\"CONTRIBUTION\",\"g-bbb\",-30,\"EUR\",\"REVERSE\",,501,\"asso\",\"Asso\",\"ada\",\"Ada\",,,,,,,,,\n\
\"2026-12-03T08:00:00\",504,\"Hosting\",\"DEBIT\",\"EXPENSE\",\"g-ccc\",-80,\"EUR\",,,,\"asso\",\"Asso\",\"ovh\",\"OVH\",,,,\"INVOICE\",,,,,\n\
\"2026-12-03T09:00:00\",505,\"Contribution\",\"CREDIT\",\"CONTRIBUTION\",\"g-ddd\",12.5,\"EUR\",,,,\"asso\",\"Asso\",\"incognito-9\",\"Incognito\",,,,,,,,,\n";

    #[test]
    fn the_default_preset_by_label() {
        let read = entries(DEFAULT_PRESET);
        assert_eq!(read.len(), 5);
        let first = gift(&read[0]);
        assert_eq!(first.id(), "opencollective:501");
        assert_eq!(first.amount().to_string(), "30.00 EUR");
        assert_eq!(
            first.received_at().to_rfc3339(),
            "2026-12-01T10:00:00+00:00"
        );
        assert_eq!(
            first.fee().map(|f| f.to_string()).as_deref(),
            Some("1.50 EUR")
        );
        assert!(matches!(first.status(), DonationStatus::Refunded { .. }));
        assert!(matches!(&read[1], Ok(Entry::NotAGift(w)) if w == "a payment processor fee"));
        match &read[2] {
            Ok(Entry::Refund { of, amount }) => {
                assert_eq!(of, "opencollective:501");
                assert_eq!(amount.to_string(), "30.00 EUR");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&read[3], Ok(Entry::NotAGift(w)) if w == "expense"));
        let last = gift(&read[4]);
        assert_eq!(last.amount().to_string(), "12.50 EUR");
        assert_eq!(last.fee(), None);
        assert_eq!(last.kind(), &DonationKind::OneOff);
    }

    #[test]
    fn field_names_a_gross_amount_and_a_monthly_contribution() {
        let csv = "datetime,legacyId,type,kind,isRefund,isRefunded,refundLegacyId,amount,paymentProcessorFee,netAmount,currency,oppositeAccountSlug,orderLegacyId,orderFrequency\n\
2023-11-05T12:00:00,401,CREDIT,CONTRIBUTION,,,,20,-0.85,19.15,EUR,ada,77,MONTHLY\n\
2023-11-06T12:00:00,402,CREDIT,CONTRIBUTION,,,,10,,10,USD,bob,,ONETIME\n";
        let read = entries(csv);
        let first = gift(&read[0]);
        assert_eq!(first.amount().to_string(), "20.00 EUR");
        assert_eq!(
            first.fee().map(|f| f.to_string()).as_deref(),
            Some("0.85 EUR")
        );
        assert_eq!(
            first.kind(),
            &DonationKind::Recurring {
                interval: Interval::Monthly,
                subscription: "opencollective:order-77".into()
            }
        );
        assert_eq!(gift(&read[1]).amount().to_string(), "10.00 USD");
    }

    #[test]
    fn net_amounts_count_the_fee_columns_back() {
        let csv = "Date & Time,Transaction ID,Credit/Debit,Kind,Amount Single Column,Payment Processor Fee,Tax Amount,Currency\n\
2023-11-05T12:00:00,401,CREDIT,CONTRIBUTION,19.15,-0.85,0,EUR\n";
        assert_eq!(gift(&entries(csv)[0]).amount().to_string(), "20.00 EUR");
    }

    #[test]
    fn bad_rows_say_where_and_short_ids_are_refused() {
        let csv = "Date & Time,Transaction ID,Credit/Debit,Kind,Amount Single Column,Currency,Is Refund\n\
2026-12-01T10:00:00,abc,CREDIT,CONTRIBUTION,5,EUR,\n\
yesterday,7,CREDIT,CONTRIBUTION,5,EUR,\n\
2026-12-01T10:00:00,8,SIDEWAYS,CONTRIBUTION,5,EUR,\n\
2026-12-01T10:00:00,9,DEBIT,CONTRIBUTION,-5,EUR,REFUND\n";
        let read = entries(csv);
        let messages: Vec<String> = read
            .iter()
            .map(|e| e.as_ref().unwrap_err().to_string())
            .collect();
        assert!(
            messages[0].starts_with("oc.csv:2:") && messages[0].contains("serial id"),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("oc.csv:3:") && messages[1].contains("\"yesterday\""),
            "{messages:?}"
        );
        assert!(
            messages[2].contains("\"SIDEWAYS\": expected CREDIT or DEBIT"),
            "{messages:?}"
        );
        assert!(
            messages[3].contains("Refund Transaction ID"),
            "{messages:?}"
        );

        let fee =
            "Date & Time,Transaction ID,Credit/Debit,Kind,Group ID,Amount Single Column,Currency\n\
2026-12-01T10:00:00,11,DEBIT,PAYMENT_PROCESSOR_FEE,g1,-1.2.3,EUR\n";
        let read = entries(fee);
        assert!(
            read[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("Amount Single Column"),
            "{:?}",
            read[0]
        );

        let old = "datetime,shortId,shortGroup,type,kind,amount,currency\n2023-01-01T00:00:00,3f2a1b0c,aa11bb22,CREDIT,CONTRIBUTION,5,EUR\n";
        let table = Table::from_bytes(Path::new("old.csv"), old.as_bytes()).unwrap();
        let error = parse(table, &Context::default()).err().unwrap().to_string();
        assert!(error.contains("short id only"), "{error}");
    }
}
