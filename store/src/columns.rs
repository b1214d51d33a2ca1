//! A gift in the `gifts` table: the ledger's twelve columns, with amounts as whole numbers of the
//! currency's minor units and instants as nanoseconds since 1970 (both exact, and read without
//! parsing text: a status over a million gifts spends its time counting, not parsing), and NULL
//! where the ledger's field is empty.

use chrono::DateTime;
use jauge::{Currency, Decimal, Donation, DonationKind, DonationStatus, Interval, Money};
use rusqlite::types::{Value, ValueRef};

use crate::row::{Parts, RowError, RowParser, COLUMNS};

/// The columns, in the order [`bind`] fills them and [`read`] reads them.
pub(crate) const NAMES: &str = "id, received_at, amount, currency, status, kind, subscription_id, channel, donor, fee, refunded, matched_by";

/// The values of a gift's row.
///
/// # Errors
///
/// The gift cannot be kept exactly: an instant outside the years 1677 to 2262, or an amount
/// beyond 2^63 minor units.
pub(crate) fn bind(gift: &Donation) -> Result<[Value; 12], String> {
    let minor = |money: Money| -> Result<Value, String> {
        i64::try_from(money.amount().mantissa())
            .map(Value::Integer)
            .map_err(|_| format!("{money} is too large for the store"))
    };
    let optional_minor = |money: Option<Money>| money.map_or(Ok(Value::Null), minor);
    let text = |s: &str| Value::Text(s.to_owned());
    let optional_text = |s: Option<&str>| s.filter(|s| !s.is_empty()).map_or(Value::Null, text);
    let received_at = gift
        .received_at()
        .timestamp_nanos_opt()
        .ok_or("its instant is outside the years 1677 to 2262, which the store keeps")?;
    let (status, refunded) = match gift.status() {
        DonationStatus::Confirmed => ("confirmed", None),
        DonationStatus::Pending => ("pending", None),
        DonationStatus::Failed => ("failed", None),
        DonationStatus::Refunded { refunded } => ("refunded", Some(*refunded)),
    };
    let (kind, subscription) = match gift.kind() {
        DonationKind::OneOff => ("one_off", None),
        DonationKind::Recurring {
            interval,
            subscription,
        } => (
            match interval {
                Interval::Monthly => "monthly",
                Interval::Yearly => "yearly",
            },
            Some(subscription.as_str()),
        ),
    };
    Ok([
        text(gift.id()),
        Value::Integer(received_at),
        minor(gift.amount())?,
        text(gift.amount().currency().code()),
        text(status),
        text(kind),
        optional_text(subscription),
        text(crate::row::channel_name(gift.channel())),
        optional_text(gift.donor()),
        optional_minor(gift.fee())?,
        optional_minor(refunded)?,
        optional_text(gift.matching_sponsor()),
    ])
}

/// The gift in columns `first..first + 12` of `row`.
///
/// # Errors
///
/// A column holds what it should not (a row edited by hand): the column is named.
pub(crate) fn read(
    row: &rusqlite::Row<'_>,
    first: usize,
    parser: &mut RowParser,
) -> Result<Donation, RowError> {
    let value = |i: usize| row.get_ref(first + i).unwrap_or(ValueRef::Null);
    let text = |i: usize| -> Result<&str, RowError> {
        match value(i) {
            ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                .map_err(|_| wrong(i, "text that is not UTF-8".to_owned())),
            ValueRef::Null => Ok(""),
            other => Err(wrong(i, describe(other))),
        }
    };
    let integer = |i: usize| -> Result<Option<i64>, RowError> {
        match value(i) {
            ValueRef::Integer(n) => Ok(Some(n)),
            ValueRef::Null => Ok(None),
            other => Err(wrong(i, describe(other))),
        }
    };
    let currency = parser.currency(text(3)?)?;
    let money = |i: usize| -> Result<Option<Money>, RowError> {
        integer(i)?
            .map(|minor| minor_units(minor, currency).map_err(|e| wrong(i, e)))
            .transpose()
    };
    let nanos = integer(1)?.ok_or_else(|| wrong(1, "NULL".to_owned()))?;
    Parts {
        id: text(0)?,
        received_at: DateTime::from_timestamp_nanos(nanos),
        amount: money(2)?.ok_or_else(|| wrong(2, "NULL".to_owned()))?,
        status: text(4)?,
        kind: text(5)?,
        subscription: text(6)?,
        channel: text(7)?,
        donor: text(8)?,
        fee: money(9)?,
        refunded: money(10)?,
        matched_by: text(11)?,
    }
    .assemble()
}

fn minor_units(minor: i64, currency: Currency) -> Result<Money, String> {
    Money::try_new(Decimal::new(minor, currency.minor_units()), currency).map_err(|e| e.to_string())
}

fn wrong(column: usize, found: String) -> RowError {
    let expected = match column {
        1 => "nanoseconds since 1970-01-01T00:00:00Z, as a whole number",
        2 | 9 | 10 => "a whole number of the currency's minor units (3000 for 30.00 EUR)",
        _ => "text",
    };
    RowError {
        column: Some(COLUMNS[column]),
        message: format!("expected {expected}, found {found}"),
    }
}

fn describe(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(n) => format!("the number {n}"),
        ValueRef::Real(x) => format!("the floating-point number {x}"),
        ValueRef::Text(t) => format!("the text {:?}", String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => format!("a blob of {} bytes", b.len()),
    }
}
