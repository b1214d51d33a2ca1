//! One gift as twelve text fields: the ledger's row, the same in the CSV exchange format and in
//! the store's `gifts` table, so a gift reads and writes identically whichever holds it.
//!
//! | column | content |
//! |---|---|
//! | `id` | unique, `source:transaction` for imported rows (`stripe:ch_3OMe…`) |
//! | `received_at` | RFC 3339 instant, `2023-12-12T08:07:00Z` |
//! | `amount` | plain decimal, `.` separator, at most the currency's minor units: `30.00` |
//! | `currency` | ISO 4217 code: `EUR` |
//! | `status` | `confirmed`, `pending`, `failed` or `refunded` |
//! | `kind` | `one_off`, `monthly` or `yearly` |
//! | `subscription_id` | required for `monthly` and `yearly` |
//! | `channel` | `online` (default when empty), `offline`, `bank_transfer`, `other` |
//! | `donor` | optional pseudonymous key for counting unique donors |
//! | `fee` | optional amount |
//! | `refunded` | the refunded amount, required with `refunded` and only then |
//! | `matched_by` | optional sponsor whose match this gift is |

use chrono::{DateTime, SecondsFormat, Utc};
use jauge::{
    Channel, Currency, Donation, DonationKind, DonationParts, DonationStatus, Interval, Money,
};

/// The columns, in the order jauge writes them.
pub const COLUMNS: [&str; 12] = [
    "id",
    "received_at",
    "amount",
    "currency",
    "status",
    "kind",
    "subscription_id",
    "channel",
    "donor",
    "fee",
    "refunded",
    "matched_by",
];

const ID: usize = 0;
const RECEIVED_AT: usize = 1;
const AMOUNT: usize = 2;
const CURRENCY: usize = 3;
const STATUS: usize = 4;
const KIND: usize = 5;
const SUBSCRIPTION: usize = 6;
const CHANNEL: usize = 7;
const DONOR: usize = 8;
const FEE: usize = 9;
const REFUNDED: usize = 10;
const MATCHED_BY: usize = 11;

/// Why a row is not a gift: the column at fault (none when the row as a whole is), and what was
/// expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RowError {
    /// The column, when one is at fault.
    pub column: Option<&'static str>,
    /// What is wrong, and what was expected.
    pub message: String,
}

/// Reads rows into donations, remembering the last currency code it read: ledgers hold one
/// currency, and looking it up again on every row costs a tenth of a million-row status.
#[derive(Default)]
pub struct RowParser {
    currency: Option<(String, Currency)>,
}

impl RowParser {
    /// The donation that the row's fields describe; `field(i)` is the text of column
    /// [`COLUMNS`]`[i]`, white space around it ignored.
    ///
    /// # Errors
    ///
    /// The first field that is not what the column holds, or a combination the core refuses (a
    /// refunded amount without the status `refunded`, a fee above the gift, …).
    pub fn parse<'f>(&mut self, field: impl Fn(usize) -> &'f str) -> Result<Donation, RowError> {
        let field = |column: usize| trim(field(column));
        let currency = self.currency(field(CURRENCY))?;
        let money = |column: usize| -> Result<Option<Money>, RowError> {
            let text = field(column);
            if text.is_empty() {
                return Ok(None);
            }
            Money::parse_in(text, currency)
                .map(Some)
                .map_err(|e| bad(column, format!("{text:?} is not an amount: {}", reason(&e))))
        };
        let amount = money(AMOUNT)?.ok_or_else(|| bad(AMOUNT, "missing amount".into()))?;
        let received_text = field(RECEIVED_AT);
        let received_at = parse_instant(received_text).ok_or_else(|| {
            bad(
                RECEIVED_AT,
                format!(
                    "{received_text:?} is not an RFC 3339 instant such as 2023-12-12T08:07:00Z"
                ),
            )
        })?;
        Parts {
            id: field(ID),
            received_at,
            amount,
            status: field(STATUS),
            kind: field(KIND),
            subscription: field(SUBSCRIPTION),
            channel: field(CHANNEL),
            donor: field(DONOR),
            fee: money(FEE)?,
            refunded: money(REFUNDED)?,
            matched_by: field(MATCHED_BY),
        }
        .assemble()
    }

    /// The currency a code names, looked up once per run of equal codes.
    ///
    /// # Errors
    ///
    /// The code is not an active ISO 4217 currency.
    pub fn currency(&mut self, code: &str) -> Result<Currency, RowError> {
        match &self.currency {
            Some((text, currency)) if text == code => Ok(*currency),
            _ => {
                let currency = Currency::try_new(code).map_err(|e| bad(CURRENCY, e.to_string()))?;
                self.currency = Some((code.to_owned(), currency));
                Ok(currency)
            }
        }
    }
}

fn bad(column: usize, message: String) -> RowError {
    RowError {
        column: Some(COLUMNS[column]),
        message,
    }
}

/// A gift's fields once each is read, before the rules that combine them: what the CSV reader
/// and the store's reader (which keeps amounts and instants as integers) both build.
pub struct Parts<'a> {
    /// `id`.
    pub id: &'a str,
    /// `received_at`.
    pub received_at: DateTime<Utc>,
    /// `amount`, in `currency`.
    pub amount: Money,
    /// `status`.
    pub status: &'a str,
    /// `kind`.
    pub kind: &'a str,
    /// `subscription_id`, empty when absent.
    pub subscription: &'a str,
    /// `channel`.
    pub channel: &'a str,
    /// `donor`, empty when absent.
    pub donor: &'a str,
    /// `fee`.
    pub fee: Option<Money>,
    /// `refunded`.
    pub refunded: Option<Money>,
    /// `matched_by`, empty when absent.
    pub matched_by: &'a str,
}

impl Parts<'_> {
    /// The gift, once the fields are checked against each other.
    ///
    /// # Errors
    ///
    /// As [`RowParser::parse`], for everything but the reading of amounts and instants.
    pub fn assemble(self) -> Result<Donation, RowError> {
        let status = match (self.status, self.refunded) {
            ("confirmed" | "", None) => DonationStatus::Confirmed,
            ("pending", None) => DonationStatus::Pending,
            ("failed", None) => DonationStatus::Failed,
            ("refunded", Some(refunded)) => DonationStatus::Refunded { refunded },
            ("refunded", None) => {
                return Err(bad(
                    REFUNDED,
                    "a refunded gift needs the refunded amount".into(),
                ))
            }
            ("confirmed" | "pending" | "failed" | "", Some(_)) => {
                return Err(bad(
                    REFUNDED,
                    "only a gift with status \"refunded\" has a refunded amount".into(),
                ))
            }
            (other, _) => {
                return Err(bad(
                    STATUS,
                    format!("{other:?}: expected confirmed, pending, failed or refunded"),
                ))
            }
        };
        let subscription = self.subscription;
        let recurring = match self.kind {
            "one_off" | "" if subscription.is_empty() => None,
            "one_off" | "" => {
                return Err(bad(
                    SUBSCRIPTION,
                    "a one-off gift has no subscription id".into(),
                ));
            }
            kind @ ("monthly" | "yearly") => {
                if subscription.is_empty() {
                    return Err(bad(
                        SUBSCRIPTION,
                        format!("a {kind} gift needs its subscription id"),
                    ));
                }
                let interval = if kind == "monthly" {
                    Interval::Monthly
                } else {
                    Interval::Yearly
                };
                Some((interval, subscription))
            }
            other => {
                return Err(bad(
                    KIND,
                    format!("{other:?}: expected one_off, monthly or yearly"),
                ))
            }
        };
        let channel = match self.channel {
            "online" | "" => Channel::Online,
            "offline" => Channel::Offline,
            "bank_transfer" => Channel::BankTransfer,
            "other" => Channel::Other,
            other => {
                return Err(bad(
                    CHANNEL,
                    format!("{other:?}: expected online, offline, bank_transfer or other"),
                ))
            }
        };
        // Built in one step: the builder's moves of the whole donation at each `with_*` were a
        // tenth of a store's scan.
        Donation::try_from_parts(DonationParts {
            id: self.id,
            amount: self.amount,
            received_at: self.received_at,
            status,
            recurring,
            channel,
            donor: self.donor,
            fee: self.fee,
            matched_by: self.matched_by,
        })
        .map_err(|e| RowError {
            column: None,
            message: e.to_string(),
        })
    }
}

/// Trims surrounding white space, checking the two ends first: the fields jauge writes have
/// none, and the general trim is a tenth of the time of reading a ledger.
fn trim(field: &str) -> &str {
    let bytes = field.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) if first.is_ascii_whitespace() || last.is_ascii_whitespace() => {
            field.trim()
        }
        _ => field,
    }
}

/// Reads an RFC 3339 instant, with a fast path for the form jauge writes
/// (`2023-12-12T08:07:00Z`, 20 bytes).
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let fast = b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z';
    if fast {
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            b[range].iter().try_fold(0u32, |n, &d| {
                d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
            })
        };
        let date =
            chrono::NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
        let time =
            chrono::NaiveTime::from_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?)?;
        return Some(date.and_time(time).and_utc());
    }
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.to_utc())
}

/// The part of a money error that says what is wrong with the text.
fn reason(error: &jauge::MoneyError) -> String {
    match error {
        jauge::MoneyError::Malformed { reason, .. } => (*reason).to_owned(),
        other => other.to_string(),
    }
}

/// A channel as the ledger writes it.
pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Online => "online",
        Channel::Offline => "offline",
        Channel::BankTransfer => "bank_transfer",
        Channel::Other => "other",
    }
}

/// The row jauge writes for `donation`.
pub fn record(donation: &Donation) -> [String; 12] {
    let amount = |m: Option<Money>| m.map(|m| m.amount().to_string()).unwrap_or_default();
    let (status, refunded) = match donation.status() {
        DonationStatus::Confirmed => ("confirmed", None),
        DonationStatus::Pending => ("pending", None),
        DonationStatus::Failed => ("failed", None),
        DonationStatus::Refunded { refunded } => ("refunded", Some(*refunded)),
    };
    let (kind, subscription) = match donation.kind() {
        DonationKind::OneOff => ("one_off", ""),
        DonationKind::Recurring {
            interval: Interval::Monthly,
            subscription,
        } => ("monthly", subscription.as_str()),
        DonationKind::Recurring {
            interval: Interval::Yearly,
            subscription,
        } => ("yearly", subscription.as_str()),
    };
    let channel = channel_name(donation.channel());
    [
        donation.id().to_owned(),
        donation
            .received_at()
            .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        donation.amount().amount().to_string(),
        donation.amount().currency().code().to_owned(),
        status.to_owned(),
        kind.to_owned(),
        subscription.to_owned(),
        channel.to_owned(),
        donation.donor().unwrap_or_default().to_owned(),
        amount(donation.fee()),
        amount(refunded),
        donation.matching_sponsor().unwrap_or_default().to_owned(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(fields: [&str; 12]) -> Result<Donation, RowError> {
        RowParser::default().parse(|i| fields[i])
    }

    #[test]
    fn a_record_reads_back_as_the_same_gift() {
        let fields = [
            "a",
            "2023-12-12T08:07:00.250Z",
            "30.00",
            "EUR",
            "refunded",
            "monthly",
            "sub-1",
            "bank_transfer",
            "h:1",
            "0.70",
            "10.00",
            "ACME",
        ];
        let donation = parse(fields).unwrap();
        assert_eq!(record(&donation), fields.map(str::to_owned));
    }

    #[test]
    fn errors_name_their_column() {
        let mut fields = [
            "a",
            "2023-12-12T08:07:00Z",
            "5",
            "EUR",
            "confirmed",
            "weekly",
            "",
            "",
            "",
            "",
            "",
            "",
        ];
        let error = parse(fields).unwrap_err();
        assert_eq!(error.column, Some("kind"));
        assert_eq!(
            error.message,
            "\"weekly\": expected one_off, monthly or yearly"
        );
        fields[5] = "one_off";
        fields[9] = "9";
        let error = parse(fields).unwrap_err();
        assert_eq!(error.column, None);
        assert!(error.message.contains("fee 9.00 EUR"), "{}", error.message);
    }

    #[test]
    fn instants_fast_and_general() {
        let fast = parse_instant("2023-12-12T08:07:00Z").unwrap();
        assert_eq!(
            fast,
            DateTime::parse_from_rfc3339("2023-12-12T08:07:00Z").unwrap()
        );
        assert_eq!(parse_instant("2023-12-12T09:07:00+01:00"), Some(fast));
        for bad in [
            "2023-13-12T08:07:00Z",
            "2023-12-32T08:07:00Z",
            "2023-12-12T24:07:00Z",
            "2023-12-12T08:07:0aZ",
            "2023/12/12T08:07:00Z",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }
}
