//! `jauge import`: provider exports normalised into the store, idempotently.
//!
//! Every imported row gets the id `source:transaction`, so importing the same export twice, or
//! two overlapping exports, adds nothing twice. What a row may change of a gift already held is
//! the store's rules ([`jauge_store::rules`]), the same for every writer: a row with the same
//! content is left alone; one whose status or refund moved forward (exports are snapshots of the
//! provider's current state) updates it; one whose amount or date differs is a conflict that
//! names both places.

pub use jauge_platforms::export::{Batch, Context, DateOrder, Entry, Item, Layout};
use jauge_platforms::{
    framasoft, gocardless, helloasso, liberapay, mollie, opencollective, paypal, stripe, table,
};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use jauge::{Donation, Money};
use jauge_store::{Recorded, Refunded, ReversalRecorded};

use crate::error::{CliError, InputError, Location};
use crate::ledger::{self, LedgerReader};
use crate::unique::IdFilter;

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
    /// A GoCardless payments export (CSV).
    Gocardless,
    /// A Mollie payments export (CSV).
    Mollie,
    /// An Open Collective transactions export (CSV).
    Opencollective,
    /// A Liberapay team's payments export (CSV).
    Liberapay,
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
            Source::Gocardless => "gocardless",
            Source::Mollie => "mollie",
            Source::Opencollective => "opencollective",
            Source::Liberapay => "liberapay",
        }
    }
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
    /// Refunds whose gift the export does not name, recorded as reversals (taken off the
    /// total until a refund of their gift is reported).
    pub reversals: u64,
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
    match parse_as(source, path, bytes, context) {
        Err(CliError::Input(mut error)) if is_missing_column(&error) => {
            // A file exported from another platform than --from says: name the right one.
            if let Some(other) = platform_of(source, path, bytes, context) {
                let name = clap::ValueEnum::to_possible_value(&other)
                    .map(|v| v.get_name().to_owned())
                    .unwrap_or_default();
                error.message = format!(
                    "{}; its header is that of another export: import it with --from {name}",
                    error.message
                );
            }
            Err(CliError::Input(error))
        }
        other => other,
    }
}

/// Whether an error is about the header (a column the format needs is missing, or the header is
/// none the format knows): one at the file's first line.
fn is_missing_column(error: &InputError) -> bool {
    error.location.line == Some(1) || error.message.starts_with("missing column")
}

/// The other source whose header `bytes` has, if any: its parse does not stop at a missing
/// column (it may stop later, on a row, which is for that import to say).
fn platform_of(source: Source, path: &Path, bytes: &[u8], context: &Context) -> Option<Source> {
    [
        Source::Stripe,
        Source::StripeBalance,
        Source::Paypal,
        Source::Gocardless,
        Source::Mollie,
        Source::Opencollective,
        Source::Liberapay,
        Source::Helloasso,
        Source::Jauge,
    ]
    .into_iter()
    .filter(|&other| other != source)
    .find(|&other| match parse_as(other, path, bytes, context) {
        Ok(_) => true,
        Err(CliError::Input(error)) => !is_missing_column(&error),
        Err(_) => false,
    })
}

fn parse_as(
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
    let table = || table::Table::from_bytes(path, bytes);
    Ok(match source {
        Source::Jauge => return parse_jauge(path, text()?),
        Source::Framasoft => framasoft::parse(path, text()?, context)?,
        Source::Helloasso => helloasso::export::parse(table()?, context)?,
        Source::Stripe => stripe::export::parse_payments(table()?, context)?,
        Source::StripeBalance => stripe::export::parse_balance(table()?, context)?,
        Source::Paypal => paypal::export::parse(table()?, context)?,
        Source::Gocardless => gocardless::export::parse(table()?, context)?,
        Source::Mollie => mollie::export::parse(table()?, context)?,
        Source::Opencollective => opencollective::export::parse(table()?, context)?,
        Source::Liberapay => liberapay::export::parse(table()?, context)?,
    })
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

/// Options of one import.
pub struct Import<'a> {
    /// The source of every file.
    pub source: Source,
    /// The exports.
    pub files: &'a [PathBuf],
    /// The store to add to (created if absent).
    pub into: &'a Path,
    /// Parser context.
    pub context: Context,
    /// Import valid rows and write rejected ones aside, instead of failing.
    pub skip_invalid: bool,
    /// Where rejected rows go (default: beside the store).
    pub rejects_dir: Option<PathBuf>,
    /// When the import runs: the time the journal gives its entries.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// How long to wait for other writers before giving up.
    pub wait: std::time::Duration,
}

/// An import under way: the store's write, and what the import has to say at the end.
struct Recording<'s> {
    writer: jauge_store::Writer<'s>,
    summary: Summary,
    rejected: Vec<(PathBuf, Item)>,
    refunds: Vec<(Item, String, Money)>,
    /// Gifts held before this import, as they were before it first changed them.
    originals: HashMap<String, Donation>,
    /// The ids (fingerprints: a re-import of millions of gifts stays small) of rows that named a
    /// gift held before this import, one per row.
    matched: Vec<u128>,
}

impl Recording<'_> {
    /// Records one row of an export.
    fn take(&mut self, file: &Path, mut item: Item) -> Result<(), CliError> {
        let entry = std::mem::replace(&mut item.entry, Ok(Entry::NotAGift(String::new())));
        match entry {
            Err(error) => {
                item.entry = Err(error);
                self.rejected.push((file.to_owned(), item));
            }
            Ok(Entry::NotAGift(kind)) => *self.summary.not_gifts.entry(kind).or_default() += 1,
            Ok(Entry::Refund { of, amount }) => self.refunds.push((item, of, amount)),
            Ok(Entry::Reversal { id, amount, at }) => {
                let source = item.location.to_string();
                match self.writer.record_reversal(&id, amount, at, &source)? {
                    ReversalRecorded::Added => self.summary.reversals += 1,
                    ReversalRecorded::Matched => self.summary.refunds += 1,
                    ReversalRecorded::Unchanged => {}
                    ReversalRecorded::Conflict(difference) => {
                        let message =
                            format!("refund {id} conflicts with the one held: {difference}");
                        item.entry = Err(InputError::new(item.location.clone(), message));
                        self.rejected.push((file.to_owned(), item));
                    }
                }
            }
            Ok(Entry::Gift(donation)) => {
                let id = donation.id();
                let source = item.location.to_string();
                match self.writer.record(&donation, &source)? {
                    Recorded::Added => self.summary.added += 1,
                    Recorded::Unchanged => {
                        if !self.writer.created_in_this_write(id)? {
                            self.matched.push(IdFilter::hash(id));
                        }
                    }
                    Recorded::Updated { before } => {
                        if !self.writer.created_in_this_write(id)? {
                            self.originals.entry(id.to_owned()).or_insert(before);
                            self.matched.push(IdFilter::hash(id));
                        }
                    }
                    Recorded::Conflict { there, difference } => {
                        let message = format!("donation {id} conflicts with {there}: {difference}");
                        self.writer.reject(id, &source, &message)?;
                        item.entry = Err(InputError::new(item.location.clone(), message));
                        self.rejected.push((file.to_owned(), item));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The first line of a file as written (byte-order mark and line ending included): a ledger's
/// header, for the file of rejected rows.
fn first_line(path: &Path) -> Result<String, CliError> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| CliError::io(path, e))?;
    let mut line = Vec::new();
    std::io::BufReader::new(file)
        .read_until(b'\n', &mut line)
        .map_err(|e| CliError::io(path, e))?;
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// Reads back, from their files, the rows of a jauge ledger that were set aside (read one at a
/// time, their text was not kept).
fn fill_raw_rows(rejected: &mut [(PathBuf, Item)]) -> Result<(), CliError> {
    let mut wanted: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (index, (file, item)) in rejected.iter().enumerate() {
        if item.raw.is_empty() {
            wanted.entry(file.clone()).or_default().push(index);
        }
    }
    for (file, indices) in wanted {
        let bytes = std::fs::read(&file).map_err(|e| CliError::io(&file, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        for index in indices {
            let item = &mut rejected[index].1;
            let line = item.location.line.unwrap_or(0) as usize;
            item.raw = lines
                .get(line.saturating_sub(1))
                .copied()
                .unwrap_or_default()
                .to_owned();
        }
    }
    Ok(())
}

/// Refuses to write into a CSV ledger: jauge writes only to stores now.
///
/// # Errors
///
/// [`CliError::CsvLedger`] for a path ending in `.csv`, or an existing file that is plain text
/// rather than SQLite.
pub fn refuse_csv_ledger(path: &Path) -> Result<(), CliError> {
    let named_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    // A ledger written by an older jauge under another name starts with its header.
    let mut head = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        use std::io::Read;
        // Unreadable here means unreadable for the store too, which says so with the reason.
        let _ = file.take(8).read_to_end(&mut head);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    let csv_header = text.starts_with(b"id,") || text.starts_with(b"\"id\",");
    if named_csv || csv_header {
        return Err(CliError::CsvLedger {
            path: path.to_owned(),
        });
    }
    Ok(())
}

impl Import<'_> {
    /// Runs the import in one transaction of the store: all or nothing unless `skip_invalid`.
    /// The exports are read before the store is locked, so other writers wait only for the
    /// writing itself.
    ///
    /// # Errors
    ///
    /// The store or an export cannot be read, a row is rejected (without `skip_invalid`), the
    /// store stays busy past its timeout, or it cannot be written. Nothing is written then.
    pub fn run(&self, mut progress: impl FnMut(u64)) -> Result<Summary, CliError> {
        refuse_csv_ledger(self.into)?;
        // Providers' exports are small: read whole, before the store is locked, and recorded in
        // the order their gifts happened. A jauge ledger may hold millions of gifts: it is read
        // one row at a time while recording, in its own order (so that a round trip through the
        // store is the identity), in memory that does not grow with it.
        let mut batches = Vec::with_capacity(self.files.len());
        if self.source != Source::Jauge {
            for file in self.files {
                let mut batch = parse(self.source, file, &self.context)?;
                batch.items.sort_by(|a, b| match (&a.entry, &b.entry) {
                    (Ok(Entry::Gift(a)), Ok(Entry::Gift(b))) => {
                        (a.received_at(), a.id()).cmp(&(b.received_at(), b.id()))
                    }
                    _ => std::cmp::Ordering::Equal,
                });
                batches.push((file.clone(), batch));
            }
        }
        let mut store = jauge_store::Store::open_with(self.into, true, self.wait)?;
        let writer = store.bulk_writer(self.recorded_at)?;
        let mut recording = Recording {
            writer,
            summary: Summary::default(),
            rejected: Vec::new(),
            refunds: Vec::new(),
            originals: HashMap::new(),
            matched: Vec::new(),
        };
        let mut layouts: HashMap<PathBuf, Layout> = HashMap::new();
        let mut seen = 0u64;
        let mut tick = |seen: &mut u64| {
            *seen += 1;
            if *seen % 4096 == 0 {
                progress(*seen);
            }
        };
        if self.source == Source::Jauge {
            for file in self.files {
                let mut reader = LedgerReader::open(file)?;
                layouts.insert(file.clone(), Layout::Csv(first_line(file)?));
                while let Some(row) = reader.next_donation() {
                    tick(&mut seen);
                    let item = match row {
                        Ok((line, gift)) => Item {
                            location: Location::line(file, line),
                            // Kept only for rows set aside, read back from the file then.
                            raw: String::new(),
                            entry: Ok(Entry::Gift(gift)),
                        },
                        Err(error) => Item {
                            location: error.location.clone(),
                            raw: String::new(),
                            entry: Err(error),
                        },
                    };
                    recording.take(file, item)?;
                }
            }
        }
        for (file, batch) in batches {
            layouts.insert(file.clone(), batch.layout);
            for item in batch.items {
                tick(&mut seen);
                recording.take(&file, item)?;
            }
        }
        let Recording {
            mut writer,
            mut summary,
            mut rejected,
            refunds,
            mut originals,
            matched,
        } = recording;
        // Refunds last: exports often list a refund before the payment it refunds. Overlapping
        // exports repeat refund rows, so a payment's refund is the largest total seen in this
        // import or already in the store, never the sum of repeats.
        let mut refund_totals: BTreeMap<String, (Money, Vec<Item>)> = BTreeMap::new();
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
            let source = items
                .iter()
                .map(|item| item.location.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let refused = match writer.refund(&of, total, &source)? {
                Refunded::Applied { before } => {
                    if !writer.created_in_this_write(&of)? {
                        originals.entry(of.clone()).or_insert(before);
                    }
                    None
                }
                Refunded::AlreadyCovered => None,
                Refunded::UnknownGift => Some(format!(
                    "a refund of {of}, which is neither in this export nor in the store"
                )),
                Refunded::Refused(reason) => {
                    writer.reject(&of, &source, &reason)?;
                    Some(reason)
                }
            };
            match refused {
                None => summary.refunds += items.len() as u64,
                Some(message) => {
                    for mut item in items {
                        item.entry = Err(InputError::new(item.location.clone(), message.clone()));
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
                // Dropping the writer rolls everything back.
                return Err(CliError::Rejected(
                    rejected
                        .into_iter()
                        .filter_map(|(_, item)| item.entry.err())
                        .collect(),
                ));
            }
            summary.rejected = rejected.len() as u64;
            fill_raw_rows(&mut rejected)?;
            summary.rejects_files = self.write_rejects(rejected, &layouts)?;
        }
        // Compared at the end: a gift merged and then refunded back to what it was is no change.
        let mut changed: HashSet<u128> = HashSet::new();
        for (id, original) in &originals {
            if writer.get(id)?.as_ref() != Some(original) {
                changed.insert(IdFilter::hash(id));
            }
        }
        summary.updated = changed.len() as u64;
        summary.unchanged = matched.iter().filter(|id| !changed.contains(id)).count() as u64;
        writer.commit()?;
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
                Layout::Csv(head) => {
                    let eol = if head.ends_with("\r\n") { "\r\n" } else { "\n" };
                    out.write_all(head.as_bytes())?;
                    if !head.ends_with('\n') {
                        out.write_all(eol.as_bytes())?;
                    }
                    items
                        .iter()
                        .try_for_each(|item| write!(out, "{}{eol}", item.raw))
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
