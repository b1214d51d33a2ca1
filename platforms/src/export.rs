//! What an export says, row by row: the shapes every platform's export reader produces, and
//! what a reader needs to know beyond the file.

use chrono_tz::Tz;
use jauge::{Currency, Donation, Interval, Money};

use crate::amount::DecimalSeparator;
use crate::{InputError, Location};

/// Day and month order for exports that write `03/04/2023`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum DateOrder {
    /// 03/04/2023 is 3 April.
    Dmy,
    /// 03/04/2023 is 4 March.
    Mdy,
}

/// What a parser needs to know beyond the file.
#[derive(Clone, Debug)]
pub struct Context {
    /// The currency of exports that do not say.
    pub currency: Option<Currency>,
    /// The zone of exports that write local times.
    pub zone: Option<Tz>,
    /// The decimal separator, when values are ambiguous.
    pub decimal: DecimalSeparator,
    /// Day-month order, when dates are ambiguous.
    pub date_order: Option<DateOrder>,
    /// The interval of recurring gifts in exports that do not say.
    pub interval: Interval,
    /// The one form (HelloAsso's `Campagne`) whose rows are kept; the others are not gifts.
    pub form: Option<String>,
}

impl Default for Context {
    /// What a reader assumes when nothing is given: no currency, no zone, the decimal separator
    /// decided per value, no day-month order, monthly recurring gifts, every form.
    fn default() -> Context {
        Context {
            currency: None,
            zone: None,
            decimal: DecimalSeparator::default(),
            date_order: None,
            interval: Interval::Monthly,
            form: None,
        }
    }
}

/// Each row of `csv` (named `name` in messages) as `parse` reads it with the default context:
/// for the readers' tests.
#[cfg(test)]
pub(crate) fn rows_read(
    name: &str,
    csv: &str,
    parse: fn(crate::table::Table, &Context) -> Result<Batch, InputError>,
) -> Vec<Result<Entry, InputError>> {
    let table = crate::table::Table::from_bytes(std::path::Path::new(name), csv.as_bytes())
        .expect("a table");
    parse(table, &Context::default())
        .expect("a batch")
        .items
        .into_iter()
        .map(|i| i.entry)
        .collect()
}

/// What one row of an export says.
#[derive(Debug)]
pub enum Entry {
    /// A gift or a payment of a recurring gift.
    Gift(Donation),
    /// A refund of an earlier payment, by its jauge id.
    Refund {
        /// The payment refunded.
        of: String,
        /// How much.
        amount: Money,
    },
    /// Money given back whose gift the export does not name (a refund in Stripe's balance
    /// export): a reversal, counted against the total until a later report of the gift's
    /// refund matches it.
    Reversal {
        /// Its own id (`stripe:re_…`).
        id: String,
        /// How much went back.
        amount: Money,
        /// When.
        at: chrono::DateTime<chrono::Utc>,
    },
    /// A row that is not a gift (a payout, a currency conversion); counted by its type.
    NotAGift(String),
}

/// One row of an export, parsed or rejected.
pub struct Item {
    /// Where it is.
    pub location: Location,
    /// The row as written.
    pub raw: String,
    /// What it says.
    pub entry: Result<Entry, InputError>,
}

/// How an export lays out its rows, so rejected rows can be written back in the same form.
#[derive(Clone, Debug)]
pub enum Layout {
    /// A head (byte-order mark, header line and its line ending, as written), then one row per
    /// line, with the head's line ending.
    Csv(String),
    /// `{"list": [ … ]}`.
    JsonList,
}

/// A parsed export.
pub struct Batch {
    /// Its layout.
    pub layout: Layout,
    /// Its rows.
    pub items: Vec<Item>,
}
