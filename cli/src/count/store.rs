//! Counting a store: in two halves over one snapshot, from its checkpoint when it has one, its
//! donors and subscriptions kept on disk (see [`keys`]).

use super::keys;
use super::*;

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
    fn add_reversal(&mut self, reversal: &jauge_store::Reversal) -> Result<(), StatusError> {
        self.sink.add_reversal(reversal)
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
pub(crate) fn scan_store_keyed<S: Keyed, T: Send>(
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
/// Whether the store a campaign names does not exist yet: a campaign that has had no gift is at
/// zero, not an error (said once on stderr, in case the path is a typo).
pub(crate) fn not_created_yet(path: &Path) -> bool {
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
    let (sinks, rows, views) = scan_views(path, views, DateTime::<Utc>::MIN_UTC, &make)?;
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
    let mut total = total.unwrap_or_else(&make);
    // Refunds whose gift is not named yet, read in the same snapshot as the gifts.
    if let Some(view) = views.first() {
        for reversal in view.unmatched_reversals()? {
            total.add_reversal(&reversal)?;
        }
    }
    progress(rows);
    Ok((total, rows))
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
    /// Never in a checkpoint: with the recent gifts.
    fn add_reversal(&mut self, r: &jauge_store::Reversal) -> Result<(), StatusError> {
        self.recent.add_reversal(&r.id, r.amount, r.at).map(drop)
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

/// The status from a store, in memory that does not grow with the store. The gifts received
/// before a boundary (an hour or more back) count the same at any later instant, except toward
/// the trailing week, so their tally is saved in the store (a checkpoint, with the trailing week
/// by minute) and the next status resumes from it, reading only the gifts after it: a new gift
/// costs its own reading, not a rescan of the store. The donors and the subscriptions, which do
/// grow with the store, are kept sorted beside the checkpoint and merged a record at a time; the
/// status of a store without a checkpoint drains them to temporary files as it counts. A write
/// of an older gift drops the checkpoint it changes, in the same transaction.
pub(crate) fn store_status(
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
    // Refunds whose gift is not named yet, read in the same snapshot as the gifts, after the
    // checkpoint was taken: a match changes them, so no checkpoint holds them.
    if let Some(view) = views.first().or(side.as_ref()) {
        for reversal in view.unmatched_reversals()? {
            total.add_reversal(&reversal.id, reversal.amount, reversal.at)?;
        }
    }
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
        let at = Saving {
            key: &key,
            boundary,
            as_of: changes,
            now,
        };
        save_checkpoint(path, &at, unsealed, donors_out, subscriptions_out).map_err(temporary)?;
    }
    Ok((status, rows))
}

/// Where a new checkpoint goes: its campaign's key, its boundary, the store's change count it was
/// computed from, and the instant of the status that made it.
struct Saving<'k> {
    key: &'k str,
    boundary: DateTime<Utc>,
    as_of: u64,
    now: DateTime<Utc>,
}

/// Saves the next checkpoint with the keys just written for it. A cache: a store that cannot
/// take it (read-only, busy) still gives its status.
fn save_checkpoint(
    path: &Path,
    at: &Saving<'_>,
    unsealed: jauge::Unsealed,
    donors: keys::Written<std::io::BufWriter<File>>,
    subscriptions: keys::Written<std::io::BufWriter<File>>,
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
        store.save_checkpoint(
            at.key,
            at.boundary,
            &unsealed.seal(info),
            keys,
            at.as_of,
            at.now,
        )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::testing::campaign_with;

    /// A new store at `path` holding `gifts`, recorded in one write; the gifts, to count apart.
    fn recorded(path: &Path, gifts: impl IntoIterator<Item = Donation>) -> Vec<Donation> {
        let mut store = jauge_store::Store::create(path).unwrap();
        let mut writer = store.writer(Utc::now()).unwrap();
        let gifts: Vec<Donation> = gifts.into_iter().collect();
        for gift in &gifts {
            writer.record(gift, "test").unwrap();
        }
        writer.commit().unwrap();
        gifts
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
        let start: DateTime<Utc> = "2023-11-02T00:00:00Z".parse().unwrap();
        let all = recorded(
            &dir.path().join("d.db"),
            (0..400i64).map(|i| {
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
                gift
            }),
        );
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

    /// On the real clock, with a campaign running now: a status saves its checkpoint an hour or
    /// more back, the next one resumes it (reading the edge of its trailing week again), and both
    /// equal the status of every gift, the gift of this minute included.
    #[test]
    fn on_the_real_clock_a_status_resumes_its_checkpoint_and_counts_the_gift_of_now() {
        use jauge::{Donation, Money};
        let dir = tempfile::tempdir().unwrap();
        let today = Utc::now().date_naive();
        let campaign_path = dir.path().join("campaign.toml");
        std::fs::write(
            &campaign_path,
            format!(
                "name = \"Now\"\ngoal = \"100000 EUR\"\ntime_zone = \"Europe/Paris\"\n\
                 start = \"{}\"\ndeadline = \"{}\"\nledger = \"d.db\"\n",
                today - chrono::Days::new(12),
                today + chrono::Days::new(12),
            ),
        )
        .unwrap();
        let file = CampaignFile::load(&campaign_path).unwrap();
        let first = Utc::now();
        // Every 17 minutes over the last ten days, and one a second ago.
        let all = recorded(
            &dir.path().join("d.db"),
            (0..850i64)
                .map(|i| first - chrono::Duration::minutes(17 * i) - chrono::Duration::seconds(1))
                .enumerate()
                .map(|(i, at)| {
                    let gift =
                        Donation::try_new(format!("g{i}"), Money::parse("7.5 EUR").unwrap(), at)
                            .unwrap()
                            .with_donor(format!("d{}", i % 53));
                    if i % 6 == 0 {
                        gift.recurring(jauge::Interval::Monthly, format!("s{}", i % 5))
                            .unwrap()
                    } else {
                        gift
                    }
                }),
        );
        for _ in 0..2 {
            let now = Utc::now();
            let counted = status(&campaign_path, now, |_| {}).unwrap();
            assert_eq!(counted, file.campaign.status(&all, now).unwrap());
            assert_eq!(counted.donations(), 850);
            let views = jauge_store::Store::snapshots(&dir.path().join("d.db"), 1).unwrap();
            let key = format!("{:016x}", Tally::checkpoint_key(&file.campaign));
            let saved = views[0].checkpoint(&key).unwrap().unwrap();
            assert_eq!(saved.boundary, jauge_store::checkpoint_boundary(now));
            // What the next status resumes, here and now.
            assert!(Tally::resume(&file.campaign, Utc::now(), &saved.tally).is_ok());
        }
    }

    /// A status of an earlier instant replaces a checkpoint it cannot resume (saved by a status
    /// of a later one), so that its own next statuses resume; a later status keeps a usable one.
    #[test]
    fn a_checkpoint_after_the_instant_is_replaced_and_a_usable_one_kept() {
        use jauge::{Donation, Money};
        let dir = tempfile::tempdir().unwrap();
        let campaign_path = campaign_with(dir.path(), "ledger = \"d.db\"");
        let store_path = dir.path().join("d.db");
        let start: DateTime<Utc> = "2023-11-02T00:00:00Z".parse().unwrap();
        recorded(
            &store_path,
            (0..50i64).map(|i| {
                Donation::try_new(
                    format!("g{i}"),
                    Money::parse("10 EUR").unwrap(),
                    start + chrono::Duration::hours(i * 7),
                )
                .unwrap()
            }),
        );
        let boundary = || {
            let views = jauge_store::Store::snapshots(&store_path, 1).unwrap();
            let file = CampaignFile::load(&campaign_path).unwrap();
            let key = format!("{:016x}", Tally::checkpoint_key(&file.campaign));
            views[0].checkpoint(&key).unwrap().map(|c| c.boundary)
        };
        let later: DateTime<Utc> = "2023-12-20T10:30:00Z".parse().unwrap();
        let earlier: DateTime<Utc> = "2023-11-20T10:30:00Z".parse().unwrap();
        status(&campaign_path, later, |_| {}).unwrap();
        assert_eq!(boundary(), Some(jauge_store::checkpoint_boundary(later)));
        status(&campaign_path, earlier, |_| {}).unwrap();
        assert_eq!(boundary(), Some(jauge_store::checkpoint_boundary(earlier)));
        // A status later still resumes that one, and moves it forward.
        status(&campaign_path, later, |_| {}).unwrap();
        assert_eq!(boundary(), Some(jauge_store::checkpoint_boundary(later)));
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
        let start: DateTime<Utc> = "2023-11-02T00:00:00Z".parse().unwrap();
        let all = recorded(
            &store_path,
            (0..300i64).map(|i| {
                let gift = Donation::try_new(
                    format!("g{i}"),
                    Money::parse("10 EUR").unwrap(),
                    start + chrono::Duration::hours(i),
                )
                .unwrap()
                .with_donor(format!("d{}", i % 37));
                if i % 5 == 0 {
                    gift.recurring(jauge::Interval::Monthly, format!("s{}", i % 3))
                        .unwrap()
                } else {
                    gift
                }
            }),
        );
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
