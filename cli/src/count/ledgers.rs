//! Counting CSV ledgers: large files read in two halves cut where the CSV reader starts a
//! record, one per core, ids checked in fixed memory.

use super::*;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::testing::{big_ledger, campaign_file};

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
}
