//! `jauge import`: provider exports normalised into jauge's ledger, idempotently.
//!
//! Every imported row gets the id `source:transaction`, so importing the same export twice, or
//! two overlapping exports, adds nothing twice. A row whose id is already in the ledger with the
//! same content is left alone; one whose status or refund changed (exports are snapshots of the
//! provider's current state) updates it; one whose amount, date, currency or kind differs is a
//! conflict that names both lines.

mod framasoft;
mod helloasso;
mod paypal;
mod stripe;
pub mod table;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use jauge::{Currency, Decimal, Donation, DonationKind, DonationStatus, Interval, Money};

use crate::amount::DecimalSeparator;
use crate::error::{CliError, InputError, Location};
use crate::ledger::{self, LedgerReader};

/// Where an export comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    /// jauge's own ledger CSV.
    Jauge,
    /// A Framasoft-style JSON list: `{"list": [{"don": 30, "monthly": false, "date": "…"}]}`.
    Framasoft,
    /// A HelloAsso payments export (CSV, French headers).
    Helloasso,
    /// A Stripe payments export (`unified_payments.csv`).
    Stripe,
    /// A Stripe itemised balance-change report (charges, refunds, fees).
    StripeBalance,
    /// A PayPal activity download (CSV).
    Paypal,
}

impl Source {
    /// The prefix of the ids this source's rows get.
    pub fn prefix(self) -> &'static str {
        match self {
            Source::Jauge => "",
            Source::Framasoft => "framasoft",
            Source::Helloasso => "helloasso",
            Source::Stripe | Source::StripeBalance => "stripe",
            Source::Paypal => "paypal",
        }
    }
}

/// Day and month order for exports that write `03/04/2023`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
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
    /// A header line, then one row per line.
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

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// New donations written.
    pub added: u64,
    /// Rows already in the ledger as they are.
    pub unchanged: u64,
    /// Donations whose status or refund changed.
    pub updated: u64,
    /// Refund rows applied.
    pub refunds: u64,
    /// Rows that are not gifts, by type.
    pub not_gifts: BTreeMap<String, u64>,
    /// Rows rejected (only with `--skip-invalid`).
    pub rejected: u64,
    /// Where the rejected rows were written.
    pub rejects_files: Vec<PathBuf>,
}

/// Parses one export.
///
/// # Errors
///
/// The file as a whole cannot be read (rows with bad values are returned as rejected items).
pub fn parse(source: Source, path: &Path, context: &Context) -> Result<Batch, CliError> {
    let bytes = std::fs::read(path).map_err(|e| CliError::io(path, e))?;
    parse_bytes(source, path, &bytes, context)
}

/// Parses an export already in memory; `path` names it in messages.
///
/// # Errors
///
/// As [`parse`].
pub fn parse_bytes(
    source: Source,
    path: &Path,
    bytes: &[u8],
    context: &Context,
) -> Result<Batch, CliError> {
    let text = || {
        std::str::from_utf8(bytes).map_err(|e| {
            CliError::from(InputError::new(
                Location::file(path),
                format!(
                    "not UTF-8 text (byte {}): save it as UTF-8",
                    e.valid_up_to()
                ),
            ))
        })
    };
    match source {
        Source::Jauge => parse_jauge(path, text()?),
        Source::Framasoft => framasoft::parse(path, text()?, context),
        Source::Helloasso => helloasso::parse(table::Table::from_bytes(path, bytes)?, context),
        Source::Stripe => stripe::parse_payments(table::Table::from_bytes(path, bytes)?, context),
        Source::StripeBalance => {
            stripe::parse_balance(table::Table::from_bytes(path, bytes)?, context)
        }
        Source::Paypal => paypal::parse(table::Table::from_bytes(path, bytes)?, context),
    }
}

fn parse_jauge(path: &Path, text: &str) -> Result<Batch, CliError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut reader = LedgerReader::new(path, text.as_bytes())?;
    let mut items = Vec::new();
    while let Some(row) = reader.next_donation() {
        let (line, entry) = match row {
            Ok((line, donation)) => (line, Ok(Entry::Gift(donation))),
            Err(error) => (error.location.line.unwrap_or(0), Err(error)),
        };
        let raw = lines
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or_default()
            .to_owned();
        items.push(Item {
            location: Location::line(path, line),
            raw,
            entry,
        });
    }
    Ok(Batch {
        layout: Layout::Csv(lines.first().copied().unwrap_or_default().to_owned()),
        items,
    })
}

/// Whether two versions name the same gift: same amount, instant and currency. Anything else
/// about it may be learnt later or from another export.
fn same_gift(a: &Donation, b: &Donation) -> bool {
    a.amount() == b.amount() && a.received_at() == b.received_at()
}

/// How far along a payment's life a status is: a later export may move it forward (pending to
/// confirmed, confirmed to refunded, a larger refund), never back, since an export that does not
/// show a refund may simply predate it.
fn progress_rank(status: &DonationStatus) -> (u8, Decimal) {
    match status {
        DonationStatus::Pending => (0, Decimal::ZERO),
        DonationStatus::Failed => (1, Decimal::ZERO),
        DonationStatus::Confirmed => (2, Decimal::ZERO),
        DonationStatus::Refunded { refunded } => (3, refunded.amount()),
    }
}

/// What the ledger should hold once `new` has been seen for the gift `old`: the more advanced
/// status, and whatever `new` knows that `old` did not (recurrence, fee, donor).
fn merge(old: &Donation, new: &Donation) -> Donation {
    let mut merged = old.clone();
    if progress_rank(new.status()) > progress_rank(old.status()) {
        merged = merged.clone().with_status(*new.status()).unwrap_or(merged);
    }
    if let (
        DonationKind::OneOff,
        DonationKind::Recurring {
            interval,
            subscription,
        },
    ) = (old.kind(), new.kind())
    {
        merged = merged
            .clone()
            .recurring(*interval, subscription.clone())
            .unwrap_or(merged);
    }
    if let (None, Some(fee)) = (old.fee(), new.fee()) {
        merged = merged.clone().with_fee(fee).unwrap_or(merged);
    }
    if let (None, Some(donor)) = (old.donor(), new.donor()) {
        merged = merged.with_donor(donor);
    }
    merged
}

fn describe_difference(old: &Donation, new: &Donation) -> String {
    if old.amount() != new.amount() {
        format!("amount {} there, {} here", old.amount(), new.amount())
    } else if old.received_at() != new.received_at() {
        format!(
            "received {} there, {} here",
            old.received_at(),
            new.received_at()
        )
    } else {
        "they differ".to_owned()
    }
}

/// Options of one import.
pub struct Import<'a> {
    /// The source of every file.
    pub source: Source,
    /// The exports.
    pub files: &'a [PathBuf],
    /// The ledger to add to (created if absent).
    pub into: &'a Path,
    /// Parser context.
    pub context: Context,
    /// Import valid rows and write rejected ones aside, instead of failing.
    pub skip_invalid: bool,
    /// Where rejected rows go (default: beside the ledger).
    pub rejects_dir: Option<PathBuf>,
}

impl Import<'_> {
    /// Runs the import: all or nothing unless `skip_invalid`.
    ///
    /// # Errors
    ///
    /// The ledger or an export cannot be read, a row is rejected (without `skip_invalid`), or
    /// the ledger cannot be written.
    pub fn run(&self, mut progress: impl FnMut(u64)) -> Result<Summary, CliError> {
        let mut ledger: Vec<Donation> = Vec::new();
        let mut known: HashMap<String, (usize, Location)> = HashMap::new();
        if self.into.exists() {
            let mut reader = LedgerReader::open(self.into)?;
            while let Some(row) = reader.next_donation() {
                let (line, donation) = row?;
                known.insert(
                    donation.id().to_owned(),
                    (ledger.len(), Location::line(self.into, line)),
                );
                ledger.push(donation);
            }
        }
        let existing = ledger.len();
        let mut summary = Summary::default();
        let mut rejected: Vec<(PathBuf, Item)> = Vec::new();
        let mut layouts: HashMap<PathBuf, Layout> = HashMap::new();
        let mut refunds: Vec<(Item, String, Money)> = Vec::new();
        let original: Vec<Donation> = ledger.clone();
        let mut matched: Vec<usize> = Vec::new();
        let mut seen = 0u64;
        for file in self.files {
            let batch = parse(self.source, file, &self.context)?;
            layouts.insert(file.clone(), batch.layout.clone());
            for mut item in batch.items {
                seen += 1;
                if seen % 4096 == 0 {
                    progress(seen);
                }
                let entry = std::mem::replace(&mut item.entry, Ok(Entry::NotAGift(String::new())));
                match entry {
                    Err(error) => {
                        item.entry = Err(error);
                        rejected.push((file.clone(), item));
                    }
                    Ok(Entry::NotAGift(kind)) => *summary.not_gifts.entry(kind).or_default() += 1,
                    Ok(Entry::Refund { of, amount }) => refunds.push((item, of, amount)),
                    Ok(Entry::Gift(donation)) => match known.get(donation.id()) {
                        None => {
                            known.insert(
                                donation.id().to_owned(),
                                (ledger.len(), item.location.clone()),
                            );
                            ledger.push(donation);
                        }
                        Some((index, there)) => {
                            if same_gift(&ledger[*index], &donation) {
                                ledger[*index] = merge(&ledger[*index], &donation);
                                matched.push(*index);
                            } else {
                                let message = format!(
                                    "donation {} conflicts with {there}: {}",
                                    donation.id(),
                                    describe_difference(&ledger[*index], &donation)
                                );
                                item.entry = Err(InputError::new(item.location.clone(), message));
                                rejected.push((file.clone(), item));
                            }
                        }
                    },
                }
            }
        }
        // Refunds last: exports often list a refund before the payment it refunds. Overlapping
        // exports repeat refund rows, so a payment's refund is the largest total seen in this
        // import or already in the ledger, never the sum of repeats.
        let mut refund_totals: HashMap<String, (Money, Vec<Item>)> = HashMap::new();
        for (item, of, amount) in refunds {
            let slot = refund_totals
                .entry(of)
                .or_insert((Money::zero(amount.currency()), Vec::new()));
            match slot.0.checked_add(amount) {
                Ok(total) => {
                    slot.0 = total;
                    slot.1.push(item);
                }
                Err(e) => {
                    let error = InputError::new(item.location.clone(), e.to_string());
                    rejected.push((
                        PathBuf::from(&item.location.file),
                        Item {
                            entry: Err(error),
                            ..item
                        },
                    ));
                }
            }
        }
        for (of, (total, items)) in refund_totals {
            let Some((index, _)) = known.get(&of) else {
                for mut item in items {
                    let message = format!(
                        "a refund of {of}, which is neither in this export nor in the ledger"
                    );
                    item.entry = Err(InputError::new(item.location.clone(), message));
                    rejected.push((PathBuf::from(&item.location.file), item));
                }
                continue;
            };
            let donation = &ledger[*index];
            let already = match donation.status() {
                DonationStatus::Refunded { refunded } => *refunded,
                _ => Money::zero(total.currency()),
            };
            if already.checked_cmp(&total).is_ok_and(|o| o.is_ge()) {
                summary.refunds += items.len() as u64;
                continue;
            }
            match donation
                .clone()
                .with_status(DonationStatus::Refunded { refunded: total })
            {
                Ok(refunded) => {
                    ledger[*index] = refunded;
                    summary.refunds += items.len() as u64;
                }
                Err(e) => {
                    for mut item in items {
                        item.entry = Err(InputError::new(item.location.clone(), e.to_string()));
                        rejected.push((PathBuf::from(&item.location.file), item));
                    }
                }
            }
        }
        if !rejected.is_empty() {
            if !self.skip_invalid {
                rejected.sort_by(|a, b| {
                    (&a.1.location.file, a.1.location.line)
                        .cmp(&(&b.1.location.file, b.1.location.line))
                });
                return Err(CliError::Rejected(
                    rejected
                        .into_iter()
                        .filter_map(|(_, item)| item.entry.err())
                        .collect(),
                ));
            }
            summary.rejected = rejected.len() as u64;
            summary.rejects_files = self.write_rejects(rejected, &layouts)?;
        }
        summary.added = (ledger.len() - existing) as u64;
        // Compared at the end: a row merged and then refunded back to what the ledger held is
        // no change.
        summary.updated = (0..existing).filter(|&i| ledger[i] != original[i]).count() as u64;
        summary.unchanged = matched
            .iter()
            .filter(|&&i| i < existing && ledger[i] == original[i])
            .count() as u64;
        let new = &mut ledger[existing..];
        new.sort_by(|a, b| (a.received_at(), a.id()).cmp(&(b.received_at(), b.id())));
        if summary.added > 0 || summary.updated > 0 || !self.into.exists() {
            ledger::write_atomically(self.into, |out| ledger::write(out, &ledger))?;
        }
        Ok(summary)
    }

    /// Writes rejected rows verbatim, one file per export and in the export's own layout, so a
    /// corrected file can be imported again; the reasons go beside them.
    fn write_rejects(
        &self,
        rejected: Vec<(PathBuf, Item)>,
        layouts: &HashMap<PathBuf, Layout>,
    ) -> Result<Vec<PathBuf>, CliError> {
        let dir = self
            .rejects_dir
            .clone()
            .or_else(|| self.into.parent().map(Path::to_owned))
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        let mut by_file: BTreeMap<PathBuf, Vec<Item>> = BTreeMap::new();
        for (file, item) in rejected {
            by_file.entry(file).or_default().push(item);
        }
        let mut written = Vec::new();
        for (file, mut items) in by_file {
            items.sort_by_key(|item| item.location.line);
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rows_path = dir.join(format!("rejected-{name}"));
            let reasons_path = dir.join(format!("rejected-{name}.txt"));
            let layout = layouts
                .get(&file)
                .cloned()
                .unwrap_or(Layout::Csv(String::new()));
            ledger::write_atomically(&rows_path, |out| match &layout {
                Layout::Csv(header) => {
                    writeln!(out, "{header}")?;
                    items
                        .iter()
                        .try_for_each(|item| writeln!(out, "{}", item.raw))
                }
                Layout::JsonList => {
                    let rows: Vec<&str> = items.iter().map(|item| item.raw.as_str()).collect();
                    writeln!(out, "{{\"list\": [\n  {}\n]}}", rows.join(",\n  "))
                }
            })?;
            ledger::write_atomically(&reasons_path, |out| {
                items
                    .iter()
                    .filter_map(|item| item.entry.as_ref().err())
                    .try_for_each(|error| writeln!(out, "{error}"))
            })?;
            written.push(rows_path);
        }
        Ok(written)
    }
}
