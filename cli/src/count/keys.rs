//! The donors and subscriptions of a ledger too large to hold them in memory: a tally drains
//! them, sorted, into runs (in memory while they are small, in anonymous temporary files
//! beyond), and runs are merged a record at a time. Memory stays within a few megabytes
//! whatever the number of donors: millions of them cost disk, not RAM.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use jauge::{Keys, StatusError, SubscriptionState};

/// A donor's record: its fingerprint, big-endian so that bytes sort as numbers do.
pub const DONOR: usize = 8;
/// A subscription's record.
pub const SUBSCRIPTION: usize = SubscriptionState::BYTES;

/// A tally drains its keys when it holds this many: its sets stay within a few megabytes.
static DRAIN_AT: AtomicUsize = AtomicUsize::new(40_000);

/// Runs held in memory up to this many bytes in all, across the process's counts (a server
/// counts its status and its artefacts at once, each on two threads); beyond, in files.
static IN_MEMORY: AtomicUsize = AtomicUsize::new(4 << 20);

/// The bytes of runs held in memory now, by every count of the process.
static HELD: AtomicUsize = AtomicUsize::new(0);

/// A run's bytes in memory, counted in [`HELD`] while they live.
struct Held {
    bytes: Vec<u8>,
    reserved: usize,
}

impl Held {
    /// Room for `bytes` within [`IN_MEMORY`], taken; `None` when there is not that much left.
    fn reserve(bytes: usize) -> Option<Held> {
        HELD.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |held| {
            (held + bytes <= IN_MEMORY.load(Ordering::Relaxed)).then_some(held + bytes)
        })
        .ok()
        .map(|_| Held {
            bytes: Vec::with_capacity(bytes),
            reserved: bytes,
        })
    }
}

impl AsRef<[u8]> for Held {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        HELD.fetch_sub(self.reserved, Ordering::SeqCst);
    }
}

/// How many keys a tally may hold before they are drained.
pub fn drain_at() -> usize {
    DRAIN_AT.load(Ordering::Relaxed)
}

/// Drains at a handful of keys and writes every run but the smallest to a file, so that tests
/// on small ledgers go through runs, files and compaction (the figures never depend on it).
#[cfg(test)]
pub(crate) fn squeeze() {
    DRAIN_AT.store(3, Ordering::Relaxed);
    IN_MEMORY.store(64, Ordering::Relaxed);
}

/// More runs than this are compacted before more are added, so that a merge never reads from
/// more sources (each with its buffer) than this.
const MAX_RUNS: usize = 48;

/// How many of the smallest runs a compaction merges into one. Merging the smallest half, not
/// all, makes runs of similar sizes merge together (tiers): a key is rewritten about
/// log₂₄(runs) times, where merging all of them each time rewrote the whole growing run again
/// and again (five times over at twenty million gifts).
const COMPACTED: usize = MAX_RUNS / 2;

const BUFFER: usize = 16 << 10;

/// One sorted run of records.
enum Run {
    Memory(Held),
    File(std::fs::File, usize),
}

impl Run {
    fn bytes(&self) -> usize {
        match self {
            Run::Memory(held) => held.bytes.len(),
            Run::File(_, bytes) => *bytes,
        }
    }

    fn reader<'a>(self) -> io::Result<Box<dyn Read + 'a>> {
        Ok(match self {
            Run::Memory(bytes) => Box::new(io::Cursor::new(bytes)),
            Run::File(mut file, _) => {
                file.rewind()?;
                Box::new(BufReader::with_capacity(BUFFER, file))
            }
        })
    }
}

/// Sorted runs of records of `W` bytes, keyed by their first `K` bytes.
pub struct Runs<const W: usize, const K: usize> {
    runs: Vec<Run>,
}

impl<const W: usize, const K: usize> Default for Runs<W, K> {
    fn default() -> Self {
        Runs { runs: Vec::new() }
    }
}

impl<const W: usize, const K: usize> Runs<W, K> {
    /// Keeps one sorted run.
    ///
    /// # Errors
    ///
    /// A temporary file cannot be written.
    pub fn keep(&mut self, records: impl ExactSizeIterator<Item = [u8; W]>) -> io::Result<()> {
        let bytes = records.len() * W;
        if bytes == 0 {
            return Ok(());
        }
        if self.runs.len() >= MAX_RUNS {
            self.compact()?;
        }
        if let Some(mut run) = Held::reserve(bytes) {
            records.for_each(|r| run.bytes.extend_from_slice(&r));
            self.runs.push(Run::Memory(run));
        } else {
            let mut out = BufWriter::with_capacity(BUFFER, tempfile::tempfile()?);
            for record in records {
                out.write_all(&record)?;
            }
            self.runs.push(Run::File(
                out.into_inner().map_err(|e| e.into_error())?,
                bytes,
            ));
        }
        Ok(())
    }

    /// Adds another's runs.
    pub fn extend(&mut self, other: Runs<W, K>) {
        self.runs.extend(other.runs);
    }

    /// Merges the [`COMPACTED`] smallest runs into one file, records of one key kept side by
    /// side (not combined: the caller decides how).
    fn compact(&mut self) -> io::Result<()> {
        // Largest first, so the smallest are the tail.
        self.runs.sort_by_key(|run| Reverse(run.bytes()));
        let smallest = self
            .runs
            .split_off(self.runs.len().saturating_sub(COMPACTED));
        let bytes = smallest.iter().map(Run::bytes).sum();
        let sources = smallest
            .into_iter()
            .map(Run::reader)
            .collect::<io::Result<_>>()?;
        let mut out = BufWriter::with_capacity(BUFFER, tempfile::tempfile()?);
        for item in Merge::<W, K>::new(sources)? {
            out.write_all(&item?.0)?;
        }
        self.runs.push(Run::File(
            out.into_inner().map_err(|e| e.into_error())?,
            bytes,
        ));
        Ok(())
    }

    /// The runs, to read.
    ///
    /// # Errors
    ///
    /// A temporary file cannot be read.
    pub fn into_sources<'a>(self) -> io::Result<Vec<Box<dyn Read + 'a>>> {
        self.runs.into_iter().map(Run::reader).collect()
    }
}

/// A tally's donors and subscriptions in runs.
#[derive(Default)]
pub struct Spill {
    /// The donors' runs.
    pub donors: Runs<DONOR, DONOR>,
    /// The subscriptions' runs.
    pub subscriptions: Runs<SUBSCRIPTION, 16>,
}

impl Spill {
    /// Keeps the keys a tally drained.
    ///
    /// # Errors
    ///
    /// A temporary file cannot be written.
    pub fn keep(&mut self, keys: Keys) -> io::Result<()> {
        self.donors
            .keep(keys.donors.into_iter().map(u64::to_be_bytes))?;
        self.subscriptions
            .keep(keys.subscriptions.iter().map(SubscriptionState::to_bytes))
    }

    /// Adds another's runs.
    pub fn extend(&mut self, other: Spill) {
        self.donors.extend(other.donors);
        self.subscriptions.extend(other.subscriptions);
    }
}

/// Records of `W` bytes from sorted sources, in order, each with the index of its source.
pub struct Merge<'a, const W: usize, const K: usize> {
    sources: Vec<Box<dyn Read + 'a>>,
    heads: BinaryHeap<Reverse<([u8; W], usize)>>,
}

impl<'a, const W: usize, const K: usize> Merge<'a, W, K> {
    /// Merges `sources`, each sorted.
    ///
    /// # Errors
    ///
    /// A source cannot be read, or ends inside a record.
    pub fn new(mut sources: Vec<Box<dyn Read + 'a>>) -> io::Result<Merge<'a, W, K>> {
        let mut heads = BinaryHeap::with_capacity(sources.len());
        for (i, source) in sources.iter_mut().enumerate() {
            if let Some(record) = next_record::<W>(source)? {
                heads.push(Reverse((record, i)));
            }
        }
        Ok(Merge { sources, heads })
    }
}

impl<const W: usize, const K: usize> Iterator for Merge<'_, W, K> {
    type Item = io::Result<([u8; W], usize)>;

    fn next(&mut self) -> Option<Self::Item> {
        // The smallest head is replaced in place by its source's next record (one sift down)
        // rather than popped and pushed again (two): a cold count merges millions of keys.
        let mut top = self.heads.peek_mut()?;
        let Reverse((record, i)) = *top;
        match next_record::<W>(&mut self.sources[i]) {
            Ok(Some(next)) => {
                if next[..K] < record[..K] {
                    return Some(Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "a run of keys out of order",
                    )));
                }
                *top = Reverse((next, i));
            }
            Ok(None) => {
                std::collections::binary_heap::PeekMut::pop(top);
            }
            Err(e) => return Some(Err(e)),
        }
        Some(Ok((record, i)))
    }
}

fn next_record<const W: usize>(source: &mut dyn Read) -> io::Result<Option<[u8; W]>> {
    let mut record = [0u8; W];
    let mut filled = 0;
    while filled < W {
        match source.read(&mut record[filled..])? {
            0 if filled == 0 => return Ok(None),
            0 => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "a run ends inside a record",
                ))
            }
            n => filled += n,
        }
    }
    Ok(Some(record))
}

/// A reader that hashes what it reads, to check kept keys against their checksum.
pub struct Hashing<R> {
    inner: R,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl<R: Read> Hashing<R> {
    /// Hashes what `inner` gives.
    pub fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
        }
    }
}

impl<R> Hashing<R> {
    /// The hash of what was read so far.
    pub fn digest(&self) -> u64 {
        self.hasher.digest()
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Where merged keys go: counted, and those of the chosen sources written out (the keys of a
/// new checkpoint) with their checksum.
pub struct Written<W: Write> {
    out: W,
    hasher: xxhash_rust::xxh3::Xxh3,
    /// Records written.
    pub records: u64,
}

impl<W: Write> Written<W> {
    /// Writes into `out`.
    pub fn new(out: W) -> Written<W> {
        Written {
            out,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            records: 0,
        }
    }

    fn put(&mut self, record: &[u8]) -> io::Result<()> {
        self.hasher.update(record);
        self.records += 1;
        self.out.write_all(record)
    }

    /// The writer, flushed, and the checksum of what it got.
    ///
    /// # Errors
    ///
    /// The writer cannot be flushed.
    pub fn finish(mut self) -> io::Result<(W, u64)> {
        self.out.flush()?;
        Ok((self.out, self.hasher.digest()))
    }
}

/// The number of distinct donors among sorted sources; with `out`, the distinct donors of the
/// sources `chosen` says are written to it.
///
/// # Errors
///
/// A source cannot be read, or `out` written.
pub fn count_donors<W: Write>(
    sources: Vec<Box<dyn Read + '_>>,
    chosen: impl Fn(usize) -> bool,
    mut out: Option<&mut Written<W>>,
) -> io::Result<u64> {
    let mut distinct = 0u64;
    let mut previous: Option<[u8; DONOR]> = None;
    let mut previous_written: Option<[u8; DONOR]> = None;
    for item in Merge::<DONOR, DONOR>::new(sources)? {
        let (record, source) = item?;
        if previous != Some(record) {
            distinct += 1;
            previous = Some(record);
        }
        if let Some(out) = out.as_deref_mut() {
            if chosen(source) && previous_written != Some(record) {
                out.put(&record)?;
                previous_written = Some(record);
            }
        }
    }
    Ok(distinct)
}

/// Why merged subscriptions could not be given.
#[derive(Debug)]
pub enum MergeError {
    /// A source or the output failed.
    Io(io::Error),
    /// The core refused to combine two parts of a subscription.
    Status(StatusError),
}

impl From<io::Error> for MergeError {
    fn from(e: io::Error) -> Self {
        MergeError::Io(e)
    }
}

/// Every subscription of sorted sources, its parts combined, each given to `each`; with `out`,
/// the subscriptions combined from the sources `chosen` says only are written to it.
///
/// # Errors
///
/// A source cannot be read, `out` written, two parts not combined, or `each` fails.
pub fn merge_subscriptions<W: Write>(
    sources: Vec<Box<dyn Read + '_>>,
    chosen: impl Fn(usize) -> bool,
    mut out: Option<&mut Written<W>>,
    mut each: impl FnMut(SubscriptionState) -> Result<(), MergeError>,
) -> Result<(), MergeError> {
    let mut all: Option<SubscriptionState> = None;
    let mut kept: Option<SubscriptionState> = None;
    let mut flush = |all: Option<SubscriptionState>,
                     kept: Option<SubscriptionState>,
                     out: &mut Option<&mut Written<W>>|
     -> Result<(), MergeError> {
        if let (Some(out), Some(kept)) = (out.as_deref_mut(), kept) {
            out.put(&kept.to_bytes())?;
        }
        if let Some(all) = all {
            each(all)?;
        }
        Ok(())
    };
    for item in Merge::<SUBSCRIPTION, 16>::new(sources)? {
        let (record, source) = item?;
        let state = SubscriptionState::from_bytes(&record)
            .map_err(|e| MergeError::Io(io::Error::new(io::ErrorKind::InvalidData, e)))?;
        if all.as_ref().is_some_and(|a| a.key() != state.key()) {
            flush(all.take(), kept.take(), &mut out)?;
        }
        if chosen(source) {
            match &mut kept {
                Some(k) => k.absorb(state.clone()).map_err(MergeError::Status)?,
                None => kept = Some(state.clone()),
            }
        }
        match &mut all {
            Some(a) => a.absorb(state).map_err(MergeError::Status)?,
            None => all = Some(state),
        }
    }
    flush(all, kept, &mut out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(runs: &[&[u64]]) -> Vec<Box<dyn Read>> {
        let mut all: Runs<DONOR, DONOR> = Runs::default();
        for run in runs {
            all.keep(run.iter().map(|d| d.to_be_bytes())).unwrap();
        }
        all.into_sources().unwrap()
    }

    #[test]
    fn donors_are_counted_once_across_runs_and_the_chosen_are_written() {
        let runs: &[&[u64]] = &[&[1, 5, 9, u64::MAX], &[2, 5, 7], &[], &[0, 9, 10]];
        let mut out = Written::new(Vec::new());
        let n = count_donors(sources(runs), |i| i != 1, Some(&mut out)).unwrap();
        assert_eq!(n, 8);
        let (bytes, _) = out.finish().unwrap();
        let written: Vec<u64> = bytes
            .chunks(8)
            .map(|c| u64::from_be_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(written, [0, 1, 5, 9, 10, u64::MAX]);
    }

    #[test]
    fn many_runs_are_compacted_and_still_merge_in_order() {
        let mut runs: Runs<DONOR, DONOR> = Runs::default();
        let mut expected = Vec::new();
        for r in 0..(MAX_RUNS as u64 * 3) {
            let run: Vec<u64> = (0..50).map(|i| (i * 7919 + r * 31) % 1000).collect();
            let mut sorted = run.clone();
            sorted.sort_unstable();
            expected.extend(sorted.iter().copied());
            runs.keep(sorted.into_iter().map(u64::to_be_bytes)).unwrap();
        }
        assert!(runs.runs.len() <= MAX_RUNS);
        // Tiers: runs of one size merge together, so no key was rewritten into one run that
        // holds everything (each compaction rewriting all that came before).
        let largest = runs.runs.iter().map(Run::bytes).max().unwrap();
        assert!(largest <= COMPACTED * 50 * DONOR, "{largest}");
        expected.sort_unstable();
        let merged: Vec<u64> = Merge::<DONOR, DONOR>::new(runs.into_sources().unwrap())
            .unwrap()
            .map(|r| u64::from_be_bytes(r.unwrap().0))
            .collect();
        assert_eq!(merged, expected);
    }

    #[test]
    fn a_run_out_of_order_or_cut_is_an_error_not_a_figure() {
        let out_of_order: Vec<Box<dyn Read>> = vec![Box::new(io::Cursor::new(
            [5u64.to_be_bytes(), 3u64.to_be_bytes()].concat(),
        ))];
        assert!(count_donors::<Vec<u8>>(out_of_order, |_| true, None).is_err());
        let cut: Vec<Box<dyn Read>> = vec![Box::new(io::Cursor::new(vec![0u8; 12]))];
        assert!(count_donors::<Vec<u8>>(cut, |_| true, None).is_err());
    }
}
