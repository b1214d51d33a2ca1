//! Counting a campaign's gifts into the core's tallies, from a store or from CSV ledgers, on
//! two cores.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use jauge::{Donation, Report, ReportBuilder, StatusDocument, StatusError, Tally};

use crate::campaign_file::{CampaignFile, Ledger};
use crate::error::{CliError, InputError, Location};
use crate::keys;
use crate::ledger::{skip_bom, LedgerReader};
use crate::unique::IdFilter;

/// Something that counts donations and can be counted in parts: a [`Tally`] or a
/// [`ReportBuilder`].
pub trait Sink: Send + Sized {
    /// Counts one donation.
    ///
    /// # Errors
    ///
    /// The core refuses the donation.
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError>;
    /// Adds what another part counted.
    ///
    /// # Errors
    ///
    /// The core cannot combine them.
    fn merge(&mut self, other: Self) -> Result<(), StatusError>;
    /// Moves what grows with the ledger out of memory, if this sink does (called after each
    /// gift).
    ///
    /// # Errors
    ///
    /// Where it goes cannot be written.
    fn spill(&mut self) -> Result<(), CliError> {
        Ok(())
    }
}

impl Sink for Tally<'_> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        Tally::add(self, donation).map(drop)
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        Tally::merge(self, other)
    }
}

impl Sink for ReportBuilder<'_> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        ReportBuilder::add(self, donation).map(drop)
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        ReportBuilder::merge(self, other)
    }
}

/// The gifts themselves, in ledger order, for callers that need them all (small campaigns: the
/// demo, tests).
impl Sink for Vec<Donation> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        self.push(donation.clone());
        Ok(())
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        self.extend(other);
        Ok(())
    }
}

/// A sink whose donors and subscriptions can be taken out to be kept on disk.
pub trait Keyed: Sink {
    /// How many it holds.
    fn held_keys(&self) -> usize;
    /// Takes them out, sorted.
    fn drain_keys(&mut self) -> jauge::Keys;
}

impl Keyed for Tally<'_> {
    fn held_keys(&self) -> usize {
        Tally::held_keys(self)
    }
    fn drain_keys(&mut self) -> jauge::Keys {
        Tally::drain_keys(self)
    }
}

impl Keyed for ReportBuilder<'_> {
    fn held_keys(&self) -> usize {
        ReportBuilder::held_keys(self)
    }
    fn drain_keys(&mut self) -> jauge::Keys {
        ReportBuilder::drain_keys(self)
    }
}

/// A sink with its donors and subscriptions drained to runs as they grow.
struct Spilling<S> {
    sink: S,
    keys: keys::Spill,
}

impl<S: Keyed> Sink for Spilling<S> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        self.sink.add(donation)
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        self.sink.merge(other.sink)?;
        self.keys.extend(other.keys);
        Ok(())
    }
    fn spill(&mut self) -> Result<(), CliError> {
        if self.sink.held_keys() >= keys::drain_at() {
            self.keys.keep(self.sink.drain_keys()).map_err(temporary)?;
        }
        Ok(())
    }
}

/// Counts the distinct donors of `donors` and merges the subscriptions of `subscriptions`, each
/// given as it comes to `finish` (on another thread) with the number of donors.
fn finish_merged<T: Send>(
    donors: Vec<Source<'_>>,
    subscriptions: Vec<Source<'_>>,
    finish: impl FnOnce(u64, std::sync::mpsc::Receiver<jauge::SubscriptionState>) -> T + Send,
) -> Result<T, Counted> {
    let donors = keys::count_donors::<std::io::Sink>(donors, |_| false, None)
        .map_err(|e| merge_error(e.into()))?;
    // The subscriptions are merged here (a checkpoint's are read on this thread's connection)
    // and finished on another, as they come.
    let (sender, states) = std::sync::mpsc::sync_channel(1024);
    let (finished, merged) = std::thread::scope(|scope| {
        let finishing = scope.spawn(move || finish(donors, states));
        let merged = keys::merge_subscriptions::<std::io::Sink>(
            subscriptions,
            |_| false,
            None,
            |state| {
                sender
                    .send(state)
                    .map_err(|_| keys::MergeError::Io(std::io::ErrorKind::BrokenPipe.into()))
            },
        );
        drop(sender);
        (
            finishing.join().unwrap_or_else(|_| std::process::abort()),
            merged,
        )
    });
    merged.map_err(merge_error)?;
    Ok(finished)
}

/// Counts every gift of a store into a keyed sink, its donors and subscriptions kept on disk,
/// and finishes it with them.
fn scan_store_keyed<S: Keyed, T: Send>(
    path: &Path,
    make: impl Fn() -> S + Sync,
    progress: impl FnMut(u64),
    finish: impl FnOnce(S, u64, std::sync::mpsc::Receiver<jauge::SubscriptionState>) -> T + Send,
) -> Result<T, CliError> {
    let (mut spilled, _) = scan_store(
        path,
        || Spilling {
            sink: make(),
            keys: keys::Spill::default(),
        },
        progress,
    )?;
    let drained = spilled.sink.drain_keys();
    spilled.keys.keep(drained).map_err(temporary)?;
    let Spilling { sink, keys } = spilled;
    let donors = keys.donors.into_sources().map_err(temporary)?;
    let subscriptions = keys.subscriptions.into_sources().map_err(temporary)?;
    finish_merged(donors, subscriptions, |donors, states| {
        finish(sink, donors, states)
    })
    .map_err(|e| match e {
        Counted::Cli(e) => e,
        Counted::Damaged(reason) => {
            CliError::io(&std::env::temp_dir(), std::io::Error::other(reason))
        }
    })
}

/// Files above this size are read in two halves, one per core.
const SPLIT_ABOVE: u64 = 4 << 20;
/// Id hashes travel to the duplicate check in batches of this size.
const BATCH: usize = 8192;

/// A part of a ledger file.
struct Part {
    index: usize,
    file: PathBuf,
    start: u64,
    end: u64,
    /// Lines before `start`; 0 for the part that holds the header.
    lines_before: u64,
    header: Vec<u8>,
}

/// Cuts large files in two at a line boundary outside any quoted field, so each half parses
/// exactly as it would in one read.
fn plan(files: &[PathBuf]) -> Result<Vec<Part>, CliError> {
    let mut parts = Vec::new();
    for file in files {
        let size = std::fs::metadata(file)
            .map_err(|e| CliError::io(file, e))?
            .len();
        let whole = |parts: &mut Vec<Part>| {
            parts.push(Part {
                index: parts.len(),
                file: file.clone(),
                start: 0,
                end: size,
                lines_before: 0,
                header: Vec::new(),
            })
        };
        if size < SPLIT_ABOVE {
            whole(&mut parts);
            continue;
        }
        let mut reader = BufReader::with_capacity(
            1 << 20,
            File::open(file).map_err(|e| CliError::io(file, e))?,
        );
        let mut header = Vec::new();
        reader
            .read_until(b'\n', &mut header)
            .map_err(|e| CliError::io(file, e))?;
        let (split, lines) = find_split(&mut reader, header.len() as u64, size / 2)
            .map_err(|e| CliError::io(file, e))?;
        match split.filter(|&s| s < size) {
            Some(split) => {
                parts.push(Part {
                    index: parts.len(),
                    file: file.clone(),
                    start: 0,
                    end: split,
                    lines_before: 0,
                    header: Vec::new(),
                });
                parts.push(Part {
                    index: parts.len(),
                    file: file.clone(),
                    start: split,
                    end: size,
                    lines_before: lines,
                    header,
                });
            }
            None => whole(&mut parts),
        }
    }
    Ok(parts)
}

/// Where a CSV reader is in its quoting, followed quote by quote. The CSV reader takes a `"` as
/// opening a quoted field only at a field's start; elsewhere it is a literal character (`5"`),
/// so counting quotes is not enough: a literal quote would flip the parity and put the cut
/// inside a record.
struct Quoting {
    /// Inside a quoted field.
    inside: bool,
    /// Inside a quoted field, just after a quote: it closes the field unless another follows
    /// (an escaped `""`), which the next byte says.
    pending: bool,
    /// The byte before the current one.
    last: u8,
}

impl Quoting {
    /// After the header line: outside any field, at a record's start.
    fn new() -> Quoting {
        Quoting {
            inside: false,
            pending: false,
            last: b'\n',
        }
    }

    fn at_field_start(previous: u8) -> bool {
        matches!(previous, b',' | b'\n' | b'\r')
    }

    /// Follows `bytes` looking at their quotes only: memchr keeps this at memory speed.
    fn skim(&mut self, bytes: &[u8]) {
        let mut skip_below = 0;
        if self.pending {
            self.pending = false;
            if bytes.first() == Some(&b'"') {
                skip_below = 1;
            } else {
                self.inside = false;
            }
        }
        for at in memchr::memchr_iter(b'"', bytes) {
            if at < skip_below {
                continue;
            }
            if self.inside {
                match bytes.get(at + 1) {
                    Some(b'"') => skip_below = at + 2,
                    Some(_) => self.inside = false,
                    None => self.pending = true,
                }
            } else {
                let previous = if at == 0 { self.last } else { bytes[at - 1] };
                self.inside = Quoting::at_field_start(previous);
            }
        }
        if let Some(&byte) = bytes.last() {
            self.last = byte;
        }
    }

    /// Follows one byte; whether it is a line break that ends a record.
    fn step(&mut self, byte: u8) -> bool {
        let previous = self.last;
        self.last = byte;
        if self.pending {
            self.pending = false;
            if byte == b'"' {
                // An escaped quote: still inside.
                return false;
            }
            self.inside = false;
        }
        match byte {
            b'"' if self.inside => {
                self.pending = true;
                false
            }
            b'"' => {
                self.inside = Quoting::at_field_start(previous);
                false
            }
            b'\n' => !self.inside,
            _ => false,
        }
    }
}

/// The first record boundary at or after `middle` (a byte offset; the reader is at `offset`,
/// just after the header), and the lines before it, as the CSV reader would find them; `None`
/// when the file ends first.
///
/// # Errors
///
/// The file cannot be read.
fn find_split(
    reader: &mut impl BufRead,
    mut offset: u64,
    middle: u64,
) -> std::io::Result<(Option<u64>, u64)> {
    let mut lines = 1u64;
    let mut quoting = Quoting::new();
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok((None, lines));
        }
        let mut consumed = buffer.len();
        let mut split = None;
        if offset + buffer.len() as u64 <= middle {
            lines += memchr::memchr_iter(b'\n', buffer).count() as u64;
            quoting.skim(buffer);
        } else {
            for (i, &byte) in buffer.iter().enumerate() {
                let ends_record = quoting.step(byte);
                if byte == b'\n' {
                    lines += 1;
                    if ends_record && offset + i as u64 >= middle {
                        split = Some(offset + i as u64 + 1);
                        consumed = i + 1;
                        break;
                    }
                }
            }
        }
        offset += consumed as u64;
        reader.consume(consumed);
        if split.is_some() {
            return Ok((split, lines));
        }
    }
}

/// What one worker ends with: its sink, the rows it read, and the first error it met, with the
/// index of the part it was in (to report the earliest in file order).
struct Outcome<S> {
    sink: S,
    rows: u64,
    error: Option<(usize, CliError)>,
}

/// Counts one part into `sink`, sending id hashes to the duplicate check.
fn count_part<S: Sink>(
    part: &Part,
    sink: &mut S,
    ids: &mpsc::SyncSender<Vec<u128>>,
    stop: &AtomicBool,
) -> Result<u64, CliError> {
    let mut file = File::open(&part.file).map_err(|e| CliError::io(&part.file, e))?;
    file.seek(SeekFrom::Start(part.start))
        .map_err(|e| CliError::io(&part.file, e))?;
    let body = BufReader::with_capacity(1 << 16, file).take(part.end - part.start);
    let mut reader = if part.start == 0 {
        let stream: Box<dyn Read + Send> =
            Box::new(skip_bom(body).map_err(|e| CliError::io(&part.file, e))?);
        LedgerReader::new(&part.file, stream)?
    } else {
        let stream: Box<dyn Read + Send> =
            Box::new(std::io::Cursor::new(part.header.clone()).chain(body));
        LedgerReader::new(&part.file, stream)?.starting_after(part.lines_before)
    };
    let mut batch = Vec::with_capacity(BATCH);
    let mut rows = 0;
    while let Some(row) = reader.next_donation() {
        let (line, donation) = row?;
        batch.push(IdFilter::hash(donation.id()));
        sink.add(&donation)
            .map_err(|e| InputError::new(Location::line(&part.file, line), e.to_string()))?;
        rows += 1;
        if batch.len() == BATCH {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            // The receiver only goes away when the command is failing anyway.
            let _ = ids.send(full);
        }
    }
    let _ = ids.send(batch);
    Ok(rows)
}

/// Counts every donation of `files` into sinks made by `make`, on up to two cores, naming the
/// file and line of any row that is malformed or refused, and of any id that appears twice
/// (checked in fixed memory: see [`crate::unique`]). The result is the same as one sequential
/// pass: the core's merge is exact.
///
/// # Errors
///
/// The first bad row in file order: a status is never computed from part of a ledger.
pub fn stream_ledgers<S: Sink>(
    files: &[PathBuf],
    make: impl Fn() -> S + Sync,
    mut progress: impl FnMut(u64),
) -> Result<(S, u64), CliError> {
    let parts = plan(files)?;
    let queue = Mutex::new(parts.iter().collect::<Vec<_>>());
    let workers = parts.len().clamp(1, 2);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::sync_channel::<Vec<u128>>(8);
    let mut filter = IdFilter::default();
    let outcomes: Vec<Outcome<S>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let sender = sender.clone();
                let (queue, stop, make) = (&queue, &stop, &make);
                scope.spawn(move || {
                    let mut sink = make();
                    let mut rows = 0;
                    loop {
                        let next = queue.lock().ok().and_then(|mut q| {
                            if q.is_empty() {
                                None
                            } else {
                                Some(q.remove(0))
                            }
                        });
                        let Some(part) = next else { break };
                        match count_part(part, &mut sink, &sender, stop) {
                            Ok(n) => rows += n,
                            Err(error) => {
                                stop.store(true, Ordering::Relaxed);
                                return Outcome {
                                    sink,
                                    rows,
                                    error: Some((part.index, error)),
                                };
                            }
                        }
                    }
                    Outcome {
                        sink,
                        rows,
                        error: None,
                    }
                })
            })
            .collect();
        drop(sender);
        let mut seen = 0u64;
        for batch in receiver {
            seen += batch.len() as u64;
            for hash in batch {
                filter.insert_hash(hash);
            }
            progress(seen);
        }
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| std::process::abort()))
            .collect()
    });
    let mut total = None::<S>;
    let mut rows = 0;
    let mut first_error: Option<(usize, CliError)> = None;
    for Outcome {
        sink,
        rows: n,
        error,
    } in outcomes
    {
        rows += n;
        if let Some((index, error)) = error {
            if first_error.as_ref().is_none_or(|(i, _)| index < *i) {
                first_error = Some((index, error));
            }
        }
        total = Some(match total {
            None => sink,
            Some(mut merged) => {
                merged.merge(sink)?;
                merged
            }
        });
    }
    if let Some((_, error)) = first_error {
        return Err(error);
    }
    filter.check(files)?;
    // There is always at least one worker, hence one sink.
    Ok((total.unwrap_or_else(&make), rows))
}

/// Whether the store a campaign names does not exist yet: a campaign that has had no gift is at
/// zero, not an error (said once on stderr, in case the path is a typo).
fn not_created_yet(path: &Path) -> bool {
    static SAID: AtomicBool = AtomicBool::new(false);
    let missing = !path.exists();
    if missing && !SAID.swap(true, Ordering::Relaxed) {
        eprintln!(
            "jauge: {} does not exist yet: the campaign is at zero until its first gift \
             (`jauge serve` creates it for webhooks, `jauge import --from FORMAT FILE --into {}` \
             from an export)",
            path.display(),
            path.display()
        );
    }
    missing
}

/// Counts every gift of the store at `path` into sinks made by `make`: two halves of the store,
/// read on two connections over one snapshot, so a write committed meanwhile is counted whole or
/// not at all.
///
/// # Errors
///
/// The store cannot be read, or the core refuses a gift (naming it).
pub fn scan_store<S: Sink>(
    path: &Path,
    make: impl Fn() -> S + Sync,
    mut progress: impl FnMut(u64),
) -> Result<(S, u64), CliError> {
    if not_created_yet(path) {
        return Ok((make(), 0));
    }
    let views = jauge_store::Store::snapshots(path, 2)?;
    let (sinks, rows, _) = scan_views(path, views, DateTime::<Utc>::MIN_UTC, &make)?;
    let mut total: Option<S> = None;
    for sink in sinks {
        total = Some(match total {
            None => sink,
            Some(mut merged) => {
                merged.merge(sink)?;
                merged
            }
        });
    }
    progress(rows);
    Ok((total.unwrap_or_else(&make), rows))
}

/// Counts the gifts received at or after `from` of each view, one view per thread, into a sink
/// made by `make` for each: left apart, so the caller merges them where they use least memory.
fn scan_views<S: Sink>(
    path: &Path,
    views: Vec<jauge_store::Snapshot>,
    from: DateTime<Utc>,
    make: impl Fn() -> S + Sync,
) -> Result<(Vec<S>, u64, Vec<jauge_store::Snapshot>), CliError> {
    type Outcome<S> = Result<(S, u64, jauge_store::Snapshot), CliError>;
    let outcomes: Vec<Outcome<S>> = std::thread::scope(|scope| {
        let handles: Vec<_> = views
            .into_iter()
            .map(|view| {
                let make = &make;
                scope.spawn(move || {
                    let mut sink = make();
                    let mut rows = 0u64;
                    view.for_each_from(from, |seq, gift| {
                        rows += 1;
                        sink.add(&gift).map_err(|e| {
                            CliError::from(InputError::new(
                                Location::file(path),
                                format!("gift #{seq} ({}): {e}", gift.id()),
                            ))
                        })?;
                        sink.spill()
                    })?;
                    Ok((sink, rows, view))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| std::process::abort()))
            .collect()
    });
    let mut sinks = Vec::with_capacity(outcomes.len());
    let mut views = Vec::with_capacity(outcomes.len());
    let mut rows = 0;
    for outcome in outcomes {
        let (sink, n, view) = outcome?;
        sinks.push(sink);
        views.push(view);
        rows += n;
    }
    Ok((sinks, rows, views))
}

/// Two tallies: the gifts received before `boundary` (a new checkpoint's), and the others,
/// each with its donors and subscriptions drained to runs as they grow.
struct Split<'c> {
    boundary: Option<DateTime<Utc>>,
    settled: Tally<'c>,
    recent: Tally<'c>,
    settled_keys: keys::Spill,
    recent_keys: keys::Spill,
}

impl Sink for Split<'_> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        let settled = self
            .boundary
            .is_some_and(|boundary| donation.received_at() < boundary);
        let tally = if settled {
            &mut self.settled
        } else {
            &mut self.recent
        };
        tally.add(donation).map(drop)
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        self.settled.merge(other.settled)?;
        self.recent.merge(other.recent)?;
        self.settled_keys.extend(other.settled_keys);
        self.recent_keys.extend(other.recent_keys);
        Ok(())
    }
    fn spill(&mut self) -> Result<(), CliError> {
        for (tally, spill) in [
            (&mut self.settled, &mut self.settled_keys),
            (&mut self.recent, &mut self.recent_keys),
        ] {
            if tally.held_keys() >= keys::drain_at() {
                spill.keep(tally.drain_keys()).map_err(temporary)?;
            }
        }
        Ok(())
    }
}

/// An error of the temporary files that hold a large ledger's donors and subscriptions.
fn temporary(source: std::io::Error) -> CliError {
    CliError::io(&std::env::temp_dir(), source)
}

/// Counts every gift of a campaign's ledger.
///
/// # Errors
///
/// As [`scan_store`] and [`stream_ledgers`].
pub fn count<S: Sink>(
    ledger: &Ledger,
    make: impl Fn() -> S + Sync,
    progress: impl FnMut(u64),
) -> Result<(S, u64), CliError> {
    if let Ledger::Csv(files) = ledger {
        warn_read_only(files);
    }
    count_without_notice(ledger, make, progress)
}

/// As [`count`], without the notice that CSV ledgers are read-only: an earlier campaign's ledger
/// is rightly never written.
///
/// # Errors
///
/// As [`count`].
pub fn count_without_notice<S: Sink>(
    ledger: &Ledger,
    make: impl Fn() -> S + Sync,
    progress: impl FnMut(u64),
) -> Result<(S, u64), CliError> {
    match ledger {
        Ledger::Store(path) => scan_store(path, make, progress),
        Ledger::Csv(files) => stream_ledgers(files, make, progress),
    }
}

/// Says once per run that CSV ledgers are read but no longer written, and how to move them.
fn warn_read_only(files: &[PathBuf]) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    if files.is_empty() {
        return;
    }
    ONCE.call_once(|| {
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        eprintln!(
            "jauge: reading the CSV ledger {} read-only; to keep importing, move it to a store: \
             `jauge import --from jauge {} --into donations.db`, then `ledger = \"donations.db\"` \
             in the campaign file",
            names.join(", "),
            names.join(" ")
        );
    });
}

/// The status of the campaign in `campaign_path` at `now`.
///
/// # Errors
///
/// The campaign file or a ledger is invalid.
pub fn status(
    campaign_path: &Path,
    now: DateTime<Utc>,
    progress: impl FnMut(u64),
) -> Result<StatusDocument, CliError> {
    status_of(&CampaignFile::load(campaign_path)?, now, progress)
}

/// The status of a campaign file already loaded, at `now` (`jauge serve` loads it once).
///
/// # Errors
///
/// A ledger is invalid.
pub fn status_of(
    file: &CampaignFile,
    now: DateTime<Utc>,
    progress: impl FnMut(u64),
) -> Result<StatusDocument, CliError> {
    let mut status = if let Ledger::Store(path) = &file.ledger {
        store_status(path, &file.campaign, now, progress)?
    } else {
        let (tally, _) = count(
            &file.ledger,
            || Tally::trusting_unique_ids(&file.campaign, now),
            progress,
        )?;
        tally.finish()?
    };
    if !file.earlier.is_empty() {
        status.project_from(&crate::compare::curves(file)?);
    }
    Ok(status)
}

/// The status from a store, in memory that does not grow with the store. The gifts received
/// before a boundary (an hour or more back) count the same at any later instant, except toward
/// the trailing week, so their tally is saved in the store (a checkpoint, with the trailing week
/// by minute) and the next status resumes from it, reading only the gifts after it: a new gift
/// costs its own reading, not a rescan of the store. The donors and the subscriptions, which do
/// grow with the store, are kept sorted beside the checkpoint and merged a record at a time; the
/// status of a store without a checkpoint drains them to temporary files as it counts. A write
/// of an older gift drops the checkpoint it changes, in the same transaction.
fn store_status(
    path: &Path,
    campaign: &jauge::Campaign,
    now: DateTime<Utc>,
    mut progress: impl FnMut(u64),
) -> Result<StatusDocument, CliError> {
    if not_created_yet(path) {
        return Ok(Tally::trusting_unique_ids(campaign, now).finish()?);
    }
    match counted_from_store(path, campaign, now, true) {
        Err(Counted::Damaged(_)) => counted_from_store(path, campaign, now, false),
        other => other,
    }
    .map(|(status, rows)| {
        progress(rows);
        status
    })
    .map_err(|e| match e {
        Counted::Cli(e) => e,
        Counted::Damaged(reason) => CliError::from(InputError::new(
            Location::file(path),
            format!("its donors and subscriptions could not be merged ({reason})"),
        )),
    })
}

/// Why a status from a store failed: a checkpoint's keys that do not read back as saved are
/// not an error of the store (it is counted again without them).
enum Counted {
    Cli(CliError),
    Damaged(String),
}

impl<E: Into<CliError>> From<E> for Counted {
    fn from(e: E) -> Self {
        Counted::Cli(e.into())
    }
}

fn merge_error(e: keys::MergeError) -> Counted {
    match e {
        keys::MergeError::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            Counted::Damaged(e.to_string())
        }
        keys::MergeError::Io(e) => Counted::Cli(temporary(e)),
        keys::MergeError::Status(e) => Counted::Cli(e.into()),
    }
}

fn counted_from_store(
    path: &Path,
    campaign: &jauge::Campaign,
    now: DateTime<Utc>,
    resume: bool,
) -> Result<(StatusDocument, u64), Counted> {
    use jauge_store::KeyColumn;
    use keys::Written;

    // Two views count; a third reads the checkpoint and the edge of the trailing week. (A
    // store that kept changing under every attempt gives one view: it counts alone.)
    let (views, side) = jauge_store::Store::snapshots_and_one(path, 2)?;
    let changes = views[0].changes();
    let key = format!("{:016x}", Tally::checkpoint_key(campaign));
    let saved = match (&side, resume) {
        (Some(side), true) => side.checkpoint(&key)?,
        _ => None,
    };
    let resumed = saved.as_ref().and_then(|saved| {
        // One that does not fit (after `now`, damaged, of other settings) is simply not used.
        Tally::resume(campaign, now, &saved.tally).ok()
    });
    let from = resumed
        .as_ref()
        .map_or(DateTime::<Utc>::MIN_UTC, |resumed| resumed.boundary);
    let boundary = jauge_store::checkpoint_boundary(now);
    let advance = boundary > from && side.is_some();
    let fresh = || Tally::trusting_unique_ids(campaign, now);
    let (splits, rows, mut views) = scan_views(path, views, from, || Split {
        boundary: advance.then_some(boundary),
        settled: fresh().keeping_minutes_from(Tally::minutes_from(boundary)),
        recent: fresh(),
        settled_keys: keys::Spill::default(),
        recent_keys: keys::Spill::default(),
    })?;
    let (mut total, kept, edge) = match resumed {
        Some(r) => (r.tally, Some(r.keys), r.edge),
        None => (
            fresh().keeping_minutes_from(Tally::minutes_from(from.max(boundary))),
            None,
            None,
        ),
    };
    if let (Some(edge), Some(side)) = (edge, &side) {
        side.for_each_between(edge.0, edge.1, |_, gift| {
            total.add_edge(&gift, edge).map_err(CliError::from)
        })?;
    }
    let mut settled_keys = keys::Spill::default();
    let mut recent_keys = keys::Spill::default();
    let mut recents = Vec::with_capacity(splits.len());
    for split in splits {
        total.merge(split.settled)?;
        settled_keys.extend(split.settled_keys);
        recent_keys.extend(split.recent_keys);
        recents.push(split.recent);
    }
    settled_keys.keep(total.drain_keys()).map_err(temporary)?;
    // The next checkpoint is the tally so far; it is sealed once its keys are merged.
    let unsealed = advance
        .then(|| total.checkpoint_without_keys(boundary).ok())
        .flatten();
    for recent in recents {
        total.merge(recent)?;
    }
    recent_keys.keep(total.drain_keys()).map_err(temporary)?;

    // One pass over every key: the checkpoint's (checked as they are read), those counted
    // since, and the recent ones; the settled ones written out for the next checkpoint.
    let out = || -> Result<Option<Written<std::io::BufWriter<File>>>, Counted> {
        if unsealed.is_none() {
            return Ok(None);
        }
        let file = tempfile::tempfile().map_err(temporary)?;
        Ok(Some(Written::new(std::io::BufWriter::with_capacity(
            1 << 16,
            file,
        ))))
    };
    let (mut donors_out, mut subscriptions_out) = (out()?, out()?);
    let mut finishing = total.finishing()?;
    let saved = saved.as_ref().filter(|_| kept.is_some());
    let donor_view = views.pop();
    // Two at once: the donors counted on another thread (reading the checkpoint's on a view
    // of its own), the subscriptions merged and taken on this one.
    let (donors, merged) = std::thread::scope(|scope| {
        let donors_out = donors_out.as_mut();
        let (settled, recent) = (settled_keys.donors, recent_keys.donors);
        let counting = scope.spawn(move || -> Result<(u64, Option<Check>), Counted> {
            let saved = match (saved, &donor_view) {
                (Some(saved), Some(view)) => Some(saved_keys(view, saved, KeyColumn::Donors)?),
                _ => None,
            };
            let (mut sources, check) = checked_sources(saved);
            sources.extend(settled.into_sources().map_err(temporary)?);
            let chosen = sources.len();
            sources.extend(recent.into_sources().map_err(temporary)?);
            let count = keys::count_donors(sources, |i| i < chosen, donors_out)
                .map_err(|e| merge_error(e.into()))?;
            Ok((count, check))
        });
        let merged = (|| -> Result<Option<Check>, Counted> {
            let saved = match (saved, &side) {
                (Some(saved), Some(side)) => {
                    Some(saved_keys(side, saved, KeyColumn::Subscriptions)?)
                }
                _ => None,
            };
            let (mut sources, check) = checked_sources(saved);
            sources.extend(
                settled_keys
                    .subscriptions
                    .into_sources()
                    .map_err(temporary)?,
            );
            let chosen = sources.len();
            sources.extend(
                recent_keys
                    .subscriptions
                    .into_sources()
                    .map_err(temporary)?,
            );
            keys::merge_subscriptions(
                sources,
                |i| i < chosen,
                subscriptions_out.as_mut(),
                |state| finishing.add(&state).map_err(keys::MergeError::Status),
            )
            .map_err(merge_error)?;
            Ok(check)
        })();
        (
            counting.join().unwrap_or_else(|_| std::process::abort()),
            merged,
        )
    });
    let (donors, check_donors) = donors?;
    let check_subscriptions = merged?;
    verify(kept, check_donors, check_subscriptions)?;
    let status = finishing.finish(donors)?;

    if let (Some(unsealed), Some(donors_out), Some(subscriptions_out)) =
        (unsealed, donors_out, subscriptions_out)
    {
        save_checkpoint(
            path,
            &key,
            boundary,
            unsealed,
            donors_out,
            subscriptions_out,
            changes,
        )
        .map_err(temporary)?;
    }
    Ok((status, rows))
}

/// Saves the next checkpoint with the keys just written for it. A cache: a store that cannot
/// take it (read-only, busy) still gives its status.
fn save_checkpoint(
    path: &Path,
    key: &str,
    boundary: DateTime<Utc>,
    unsealed: jauge::Unsealed,
    donors: keys::Written<std::io::BufWriter<File>>,
    subscriptions: keys::Written<std::io::BufWriter<File>>,
    changes: u64,
) -> std::io::Result<()> {
    use std::io::Seek as _;
    let (donor_count, subscription_count) = (donors.records, subscriptions.records);
    let (donors, donors_sum) = donors.finish()?;
    let (subscriptions, subscriptions_sum) = subscriptions.finish()?;
    let info = jauge::KeysInfo {
        donors: donor_count,
        subscriptions: subscription_count,
        checksum: keys_checksum(donors_sum, subscriptions_sum),
    };
    let mut donors = donors.into_inner().map_err(|e| e.into_error())?;
    let mut subscriptions = subscriptions.into_inner().map_err(|e| e.into_error())?;
    donors.rewind()?;
    subscriptions.rewind()?;
    let mut donors = std::io::BufReader::with_capacity(1 << 16, donors);
    let mut subscriptions = std::io::BufReader::with_capacity(1 << 16, subscriptions);
    let keys = [
        jauge_store::KeyBytes {
            reader: &mut donors,
            len: donor_count * keys::DONOR as u64,
        },
        jauge_store::KeyBytes {
            reader: &mut subscriptions,
            len: subscription_count * keys::SUBSCRIPTION as u64,
        },
    ];
    let _ = jauge_store::Store::open(path).and_then(|mut store| {
        store.save_checkpoint(key, boundary, &unsealed.seal(info), keys, changes)
    });
    Ok(())
}

/// One checksum for a checkpoint's donors and subscriptions.
fn keys_checksum(donors: u64, subscriptions: u64) -> u64 {
    donors ^ subscriptions.rotate_left(17)
}

/// Sorted keys to merge.
type Source<'s> = Box<dyn std::io::Read + 's>;

/// The checkpoint's keys, if it is resumed, checked as they are read.
fn checked_sources(saved: Option<Source<'_>>) -> (Vec<Source<'_>>, Option<Check>) {
    match saved {
        Some(reader) => {
            let (reader, check) = checked(reader);
            (vec![reader], Some(check))
        }
        None => (Vec::new(), None),
    }
}

/// A checkpoint's donors or subscriptions, read a piece at a time.
fn saved_keys<'s>(
    side: &'s jauge_store::Snapshot,
    saved: &jauge_store::Checkpoint,
    column: jauge_store::KeyColumn,
) -> Result<Box<dyn std::io::Read + 's>, Counted> {
    let (reader, _) = side.checkpoint_keys(saved, column)?;
    Ok(Box::new(reader))
}

/// A checksum being computed as a checkpoint's keys are read.
type Check = std::sync::Arc<std::sync::Mutex<(u64, u64)>>;

/// `reader`, hashing what it gives and counting its bytes into the returned check.
fn checked<'r>(reader: Box<dyn std::io::Read + 'r>) -> (Box<dyn std::io::Read + 'r>, Check) {
    let check: Check = Default::default();
    (
        Box::new(Checked {
            inner: keys::Hashing::new(reader),
            check: check.clone(),
            bytes: 0,
        }),
        check,
    )
}

struct Checked<R> {
    inner: keys::Hashing<R>,
    check: Check,
    bytes: u64,
}

impl<R: std::io::Read> std::io::Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        if let Ok(mut check) = self.check.lock() {
            *check = (self.inner.digest(), self.bytes);
        }
        Ok(n)
    }
}

/// Whether the checkpoint's keys read back as saved.
fn verify(
    kept: Option<jauge::KeysInfo>,
    donors: Option<Check>,
    subscriptions: Option<Check>,
) -> Result<(), Counted> {
    let (Some(info), Some(donors), Some(subscriptions)) = (kept, donors, subscriptions) else {
        return Ok(());
    };
    let read = |check: &Check| check.lock().map(|c| *c).unwrap_or((0, u64::MAX));
    let (donors_sum, donor_bytes) = read(&donors);
    let (subscriptions_sum, subscription_bytes) = read(&subscriptions);
    if donor_bytes != info.donors * keys::DONOR as u64
        || subscription_bytes != info.subscriptions * keys::SUBSCRIPTION as u64
        || keys_checksum(donors_sum, subscriptions_sum) != info.checksum
    {
        return Err(Counted::Damaged(
            "its keys do not match their checksum".to_owned(),
        ));
    }
    Ok(())
}

/// A finance report and the budget behind the campaign, if it has one. It is as of `at` when
/// given; otherwise as of `clock`, or of the end of the `to` day (in the campaign's zone) when
/// that is earlier.
///
/// # Errors
///
/// The campaign file or a ledger is invalid.
pub fn report(
    campaign_path: &Path,
    at: Option<DateTime<Utc>>,
    clock: DateTime<Utc>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    progress: impl FnMut(u64),
) -> Result<(Report, Option<jauge::BudgetGap>), CliError> {
    report_of(
        &CampaignFile::load(campaign_path)?,
        at,
        clock,
        from,
        to,
        progress,
    )
}

/// [`report`] of a campaign file already loaded.
///
/// # Errors
///
/// A ledger is invalid.
pub fn report_of(
    file: &CampaignFile,
    at: Option<DateTime<Utc>>,
    clock: DateTime<Utc>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    progress: impl FnMut(u64),
) -> Result<(Report, Option<jauge::BudgetGap>), CliError> {
    let now = match (at, to) {
        (Some(at), _) => at,
        (None, Some(to)) => {
            let end_of_day = jauge::Moment::Date(to).resolve_deadline(file.campaign.zone())?;
            clock.min(end_of_day)
        }
        (None, None) => clock,
    };
    let make = || ReportBuilder::new(&file.campaign, now, from, to).trusting_unique_ids();
    let mut report = match &file.ledger {
        // A store's donors and subscriptions are kept on disk while it is counted: memory does
        // not grow with it.
        Ledger::Store(path) if !not_created_yet(path) => {
            scan_store_keyed(path, make, progress, |builder, donors, states| {
                builder.finish_with(donors, states.into_iter().map(Ok))
            })??
        }
        _ => count(&file.ledger, make, progress)?.0.finish()?,
    };
    if !file.earlier.is_empty() {
        // One reading of the earlier ledgers gives the comparison and the curves to project from.
        let (comparison, curves) = crate::compare::comparison(file, &report)?;
        report.status.project_from(&curves);
        report.comparison = Some(comparison);
    }
    let gap = file.budget.as_ref().map(jauge::Budget::gap).transpose()?;
    Ok((report, gap))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::COLUMNS;

    /// A ledger large enough to be read in two halves.
    fn big_ledger(dir: &Path, rows: usize, edit: impl Fn(usize, String) -> String) -> PathBuf {
        let mut text = COLUMNS.join(",") + "\n";
        for i in 0..rows {
            let row =
                format!(
                "g-{i},2023-12-{:02}T{:02}:{:02}:00Z,{}.{:02},EUR,{},{},{},online,d-{},0.25,{},\n",
                1 + i % 28,
                i % 24,
                i % 60,
                5 + i % 300,
                i % 100,
                if i % 97 == 0 { "refunded" } else { "confirmed" },
                if i % 10 == 0 { "monthly" } else { "one_off" },
                if i % 10 == 0 { format!("s-{}", i % 1000) } else { String::new() },
                i % 7919,
                if i % 97 == 0 { "1.00" } else { "" },
            );
            text.push_str(&edit(i, row));
        }
        let path = dir.join("ledger.csv");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A campaign file whose gifts are where `ledger` (a line of TOML) says.
    fn campaign_with(dir: &Path, ledger: &str) -> PathBuf {
        let path = dir.join("campaign.toml");
        std::fs::write(
            &path,
            format!(
                "name = \"Big\"\ngoal = \"1000000 EUR\"\ntime_zone = \"Europe/Paris\"\n\
                 start = \"2023-11-01\"\ndeadline = \"2023-12-31\"\n{ledger}\n"
            ),
        )
        .unwrap();
        path
    }

    fn campaign_file(dir: &Path) -> PathBuf {
        campaign_with(dir, "ledgers = [\"ledger.csv\"]")
    }

    proptest::proptest! {
        /// Wherever the middle falls, the cut is the first record boundary after it that the
        /// CSV reader itself finds, whatever the quoting: quoted fields with commas, line breaks
        /// and escaped quotes, and literal quotes inside unquoted fields (`5"`, `a"b`), which
        /// the reader accepts.
        #[test]
        fn the_cut_is_where_the_csv_reader_starts_a_record(
            fields in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-z0-9 ]{0,6}",
                    "[a-z0-9]{1,3}\"[a-z0-9\"]{0,3}",
                    "\"([a-z,\n ]|\"\"){0,8}\"",
                    "\"[a-z]{0,3}\"[a-z0-9]{1,3}",
                ],
                1..60,
            ),
            widths in proptest::collection::vec(1usize..4, 1..30),
            buffer in 1usize..64,
        ) {
            let header = "a,b,c\n";
            let mut text = header.to_owned();
            let mut pool = fields.iter().cycle();
            for (k, width) in widths.iter().enumerate() {
                let row: Vec<&str> = (0..*width).map(|_| pool.next().unwrap().as_str()).collect();
                text.push_str(&format!("r{k},{}\n", row.join(",")));
            }
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut starts = Vec::new();
            let mut record = csv::ByteRecord::new();
            while reader.read_byte_record(&mut record).unwrap_or(false) {
                starts.push(record.position().map_or(0, |p| p.byte()));
            }
            let end = text.len() as u64;
            for middle in header.len() as u64..=end {
                let mut input =
                    std::io::BufReader::with_capacity(buffer, &text.as_bytes()[header.len()..]);
                let (split, _) = find_split(&mut input, header.len() as u64, middle).unwrap();
                // The cut follows a line break at or after the middle: the first record that
                // starts past the middle.
                let expected = starts
                    .iter()
                    .copied()
                    .find(|&s| s > middle && s > header.len() as u64);
                proptest::prop_assert_eq!(
                    split.filter(|&s| s < end),
                    expected,
                    "middle {}: records start at {:?} in {:?}",
                    middle,
                    starts,
                    text
                );
            }
        }
    }

    /// `ledger` is read in two halves, and its status is the one a single pass reading every
    /// row in order gives.
    fn halves_count_what_one_pass_counts(dir: &Path, ledger: &Path) {
        assert_eq!(plan(&[ledger.to_owned()]).unwrap().len(), 2);
        let now: DateTime<Utc> = "2023-12-20T00:00:00Z".parse().unwrap();
        let parallel = status(&campaign_file(dir), now, |_| {}).unwrap();
        let file = CampaignFile::load(&dir.join("campaign.toml")).unwrap();
        let mut sequential = Tally::new(&file.campaign, now);
        let mut reader = LedgerReader::open(ledger).unwrap();
        while let Some(row) = reader.next_donation() {
            sequential.add(&row.unwrap().1).unwrap();
        }
        assert_eq!(parallel, sequential.finish().unwrap());
    }

    #[test]
    fn two_halves_count_exactly_what_one_pass_counts() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = big_ledger(dir.path(), 60_000, |_, row| row);
        assert!(std::fs::metadata(&ledger).unwrap().len() > SPLIT_ABOVE);
        halves_count_what_one_pass_counts(dir.path(), &ledger);
    }

    /// A literal quote inside an unquoted field (which the CSV reader accepts) on every
    /// seventh row of a ledger read in two halves: the halves count what one pass counts.
    #[test]
    fn literal_quotes_do_not_move_the_cut() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = big_ledger(dir.path(), 60_000, |i, row| {
            if i % 7 == 3 {
                row.replace(",d-", ",5\"d-")
            } else {
                row
            }
        });
        halves_count_what_one_pass_counts(dir.path(), &ledger);
    }

    #[test]
    fn errors_in_the_second_half_name_their_true_line() {
        let dir = tempfile::tempdir().unwrap();
        big_ledger(dir.path(), 60_000, |i, row| {
            if i == 55_000 {
                row.replace(",EUR,", ",EUT,")
            } else {
                row
            }
        });
        let error = status(&campaign_file(dir.path()), Utc::now(), |_| {})
            .unwrap_err()
            .to_string();
        assert!(error.ends_with("ledger.csv:55002: column \"currency\": \"EUT\" is not an active ISO 4217 currency code"), "{error}");
    }

    #[test]
    fn a_duplicate_across_the_halves_names_both_lines() {
        let dir = tempfile::tempdir().unwrap();
        big_ledger(dir.path(), 60_000, |i, row| {
            if i == 59_000 {
                row.replacen("g-59000,", "g-10,", 1)
            } else {
                row
            }
        });
        let error = status(&campaign_file(dir.path()), Utc::now(), |_| {})
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("ledger.csv:12: donation id g-10 appears again at "),
            "{error}"
        );
        assert!(
            error.contains("ledger.csv:59002: one gift must not count twice"),
            "{error}"
        );
    }

    #[test]
    fn quoted_newlines_never_straddle_the_cut() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = big_ledger(dir.path(), 60_000, |_, row| {
            // Every row's sponsor holds a quoted line break, so any cut may fall inside one.
            row.replacen(",\n", ",\"ACME\nCoop\"\n", 1)
        });
        let parts = plan(std::slice::from_ref(&ledger)).unwrap();
        assert_eq!(parts.len(), 2);
        let now: DateTime<Utc> = "2023-12-20T00:00:00Z".parse().unwrap();
        let document = status(&campaign_file(dir.path()), now, |_| {}).unwrap();
        assert_eq!(
            document.donations() + document.breakdown().excluded.after_as_of.count,
            60_000
        );
    }

    /// Statuses from a store, with checkpoints made, resumed and dropped as gifts old and new
    /// arrive and refunds grow, equal the status computed from every gift at once.
    #[test]
    fn checkpoints_never_change_a_status() {
        checkpoints_never_change_a_status_in(false);
    }

    /// The same, with the donors and subscriptions drained every few gifts, to runs mostly in
    /// files, compacted when many.
    #[test]
    fn keys_kept_on_disk_never_change_a_status() {
        checkpoints_never_change_a_status_in(true);
    }

    /// A report from a store, its donors and subscriptions drained every few gifts to runs on
    /// disk, is the report of the same gifts counted in memory.
    #[test]
    fn a_report_from_a_store_keeps_its_keys_on_disk_and_the_same_figures() {
        use jauge::{Donation, Money};
        keys::squeeze();
        let dir = tempfile::tempdir().unwrap();
        let campaign_path = campaign_with(dir.path(), "ledger = \"d.db\"");
        let file = CampaignFile::load(&campaign_path).unwrap();
        let mut store = jauge_store::Store::create(&dir.path().join("d.db")).unwrap();
        let start: DateTime<Utc> = "2023-11-02T00:00:00Z".parse().unwrap();
        let mut writer = store.writer(start).unwrap();
        let mut all = Vec::new();
        for i in 0..400i64 {
            let mut gift = Donation::try_new(
                format!("g{i}"),
                Money::parse(&format!("{}.5 EUR", 3 + i % 11)).unwrap(),
                start + chrono::Duration::minutes(i * 97),
            )
            .unwrap();
            if i % 3 == 0 {
                gift = gift.with_donor(format!("d{}", i % 41));
            }
            if i % 4 == 0 {
                gift = gift
                    .recurring(jauge::Interval::Monthly, format!("s{}", i % 13))
                    .unwrap();
            }
            writer.record(&gift, "test").unwrap();
            all.push(gift);
        }
        writer.commit().unwrap();
        let now: DateTime<Utc> = "2023-12-20T00:00:00Z".parse().unwrap();
        let (report, _) = report_of(&file, Some(now), now, None, None, |_| {}).unwrap();
        let mut builder = ReportBuilder::new(&file.campaign, now, None, None);
        for gift in &all {
            builder.add(gift).unwrap();
        }
        let expected = builder.finish().unwrap();
        assert_eq!(report, expected);
        assert!(report.status.donors() > 40, "{}", report.status.donors());
    }

    /// A checkpoint whose donors or subscriptions do not read back as saved is not used: the
    /// status is counted again from the gifts, and equals the right one.
    #[test]
    fn damaged_keys_beside_a_checkpoint_are_counted_again() {
        use jauge::{Donation, Money};
        let dir = tempfile::tempdir().unwrap();
        let campaign_path = campaign_with(dir.path(), "ledger = \"d.db\"");
        let file = CampaignFile::load(&campaign_path).unwrap();
        let store_path = dir.path().join("d.db");
        let mut store = jauge_store::Store::create(&store_path).unwrap();
        let start: DateTime<Utc> = "2023-11-02T00:00:00Z".parse().unwrap();
        let mut writer = store.writer(start).unwrap();
        let mut all = Vec::new();
        for i in 0..300i64 {
            let mut gift = Donation::try_new(
                format!("g{i}"),
                Money::parse("10 EUR").unwrap(),
                start + chrono::Duration::hours(i),
            )
            .unwrap()
            .with_donor(format!("d{}", i % 37));
            if i % 5 == 0 {
                gift = gift
                    .recurring(jauge::Interval::Monthly, format!("s{}", i % 3))
                    .unwrap();
            }
            writer.record(&gift, "test").unwrap();
            all.push(gift);
        }
        writer.commit().unwrap();
        let now = start + chrono::Duration::days(20);
        let expected = file.campaign.status(&all, now).unwrap();
        assert_eq!(status(&campaign_path, now, |_| {}).unwrap(), expected);
        for column in ["donors", "subscriptions"] {
            let connection = rusqlite::Connection::open(&store_path).unwrap();
            let length: i64 = connection
                .query_row(
                    &format!("SELECT length({column}) FROM checkpoints"),
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(length > 0, "{column} kept beside the checkpoint");
            let kept = |connection: &rusqlite::Connection| -> Vec<u8> {
                connection
                    .query_row(&format!("SELECT {column} FROM checkpoints"), [], |r| {
                        r.get(0)
                    })
                    .unwrap()
            };
            let original = kept(&connection);
            // The last byte changed: still in order (a donor's last byte, a subscription's last
            // amount), so only the checksum tells.
            let mut damaged = original.clone();
            *damaged.last_mut().unwrap() ^= 0x01;
            connection
                .execute(&format!("UPDATE checkpoints SET {column} = ?1"), [&damaged])
                .unwrap();
            assert_eq!(
                status(&campaign_path, now, |_| {}).unwrap(),
                expected,
                "{column}"
            );
            // And the checkpoint was saved again, whole.
            assert_eq!(kept(&connection), original, "{column} rebuilt");
        }
    }

    fn checkpoints_never_change_a_status_in(squeezed: bool) {
        use chrono::Duration;
        if squeezed {
            keys::squeeze();
        }
        use jauge::{Donation, DonationStatus, Money};
        let dir = tempfile::tempdir().unwrap();
        let campaign_path = campaign_with(dir.path(), "ledger = \"d.db\"");
        let file = CampaignFile::load(&campaign_path).unwrap();
        let store_path = dir.path().join("d.db");
        let mut store = jauge_store::Store::create(&store_path).unwrap();
        let start: DateTime<Utc> = "2023-10-30T00:00:00Z".parse().unwrap();
        let gift = |i: i64| {
            let mut gift = Donation::try_new(
                format!("g{i}"),
                Money::parse(&format!("{}.25 EUR", 5 + i % 40)).unwrap(),
                start + Duration::hours(i * 5 % (24 * 66)),
            )
            .unwrap();
            if i % 6 == 0 {
                gift = gift
                    .recurring(jauge::Interval::Monthly, format!("s{}", i % 17))
                    .unwrap();
            }
            if i % 4 == 0 {
                gift = gift.with_donor(format!("d{}", i % 23));
            }
            gift
        };
        let mut all: Vec<Donation> = Vec::new();
        let mut next = 0;
        let mut checkpoints_resumed = 0;
        for step in 0..30 {
            let mut writer = store.writer(start).unwrap();
            // New gifts, spread over the whole campaign: some before any checkpoint's boundary.
            for _ in 0..25 {
                let g = gift(next);
                next += 1;
                writer.record(&g, "test").unwrap();
                all.push(g);
            }
            // A refund of an old gift every few steps.
            if step % 3 == 2 {
                let id = format!("g{}", step * 7);
                let refunded = Money::parse("1 EUR").unwrap();
                if let jauge_store::Refunded::Applied { .. } =
                    writer.refund(&id, refunded, "test").unwrap()
                {
                    let held = all.iter_mut().find(|g| g.id() == id).unwrap();
                    *held = held
                        .clone()
                        .with_status(DonationStatus::Refunded { refunded })
                        .unwrap();
                }
            }
            writer.commit().unwrap();
            let now = start + Duration::days(10 + step * 2);
            let odd = Duration::hours(5) + Duration::minutes(20) + Duration::seconds(7);
            for at in [
                now,
                now - Duration::days(9),
                now + Duration::hours(5),
                now + odd,
            ] {
                let expected = file.campaign.status(&all, at).unwrap();
                let views = jauge_store::Store::snapshots(&store_path, 1).unwrap();
                let key = format!("{:016x}", Tally::checkpoint_key(&file.campaign));
                if let Some(saved) = views[0].checkpoint(&key).unwrap() {
                    checkpoints_resumed +=
                        usize::from(Tally::resume(&file.campaign, at, &saved.tally).is_ok());
                }
                drop(views);
                assert_eq!(
                    status(&campaign_path, at, |_| {}).unwrap(),
                    expected,
                    "step {step}, at {at}"
                );
            }
        }
        assert!(
            checkpoints_resumed > 20,
            "checkpoints were rarely used: {checkpoints_resumed}"
        );
    }
}
