//! # jauge-store — the ledger of record
//!
//! Every gift in one SQLite file (WAL mode, compiled in: nothing to install), written in
//! transactions so that several writers at once (imports, a webhook receiver) never lose or
//! duplicate a gift, with an append-only journal of every change: created, moved forward,
//! refunded, or a conflicting report rejected, each with its source and the time it was
//! recorded.
//!
//! Readers work on snapshots: a status computed while an import commits sees all of that import
//! or none of it. A status reads the store on two connections at once, one half of the gifts
//! each, over the same snapshot (see [`Store::snapshots`]).
//!
//! ```
//! use jauge::{Donation, Money};
//! use jauge_store::{Recorded, Store};
//!
//! let dir = tempfile::tempdir()?;
//! let mut store = Store::create(&dir.path().join("donations.db"))?;
//! let gift = Donation::try_new("stripe:ch_1", Money::parse("30 EUR")?, "2023-12-12T08:07:00Z".parse()?)?;
//! let now = "2023-12-12T08:08:00Z".parse()?;
//! let mut writer = store.writer(now)?;
//! assert_eq!(writer.record(&gift, "payments.csv:2")?, Recorded::Added);
//! assert_eq!(writer.record(&gift, "payments.csv:2")?, Recorded::Unchanged);
//! writer.commit()?;
//! assert_eq!(store.history("stripe:ch_1")?.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// The text a store keeps for each variant of an enum, written once: `as_str` and `from_str`
/// both come from the one list.
macro_rules! stored_as_text {
    ($type:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $type {
            pub(crate) fn as_str(self) -> &'static str {
                match self {
                    $($type::$variant => $text),+
                }
            }

            pub(crate) fn from_str(text: &str) -> Option<$type> {
                match text {
                    $($text => Some($type::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

mod catch_up;
mod checkpoint;
mod columns;
mod connection;
mod error;
mod journal;
mod outcomes;
pub mod row;
pub mod rules;
mod schema;
mod snapshot;
mod writer;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use connection::{connect, read_changes};

pub use catch_up::CaughtUp;
pub use checkpoint::{checkpoint_boundary, Checkpoint, KeyBytes, KeyColumn, CHECKPOINT_LAG};
pub use error::StoreError;
pub(crate) use error::{busy_or, not_a_store_or, sqlite};
pub use journal::{Action, Changes, JournalEntry, Voiding};
pub use outcomes::{EventOutcome, Recorded, Refunded, ReversalRecorded, Voided, VOIDED};
pub use row::{RowError, RowParser, COLUMNS};
pub use schema::SCHEMA_VERSION;
pub use snapshot::{Reversal, Snapshot};
pub use writer::Writer;

/// How long a writer waits for another to finish before giving up, by default.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// A store of gifts: one SQLite file.
pub struct Store {
    path: PathBuf,
    connection: Connection,
    busy_timeout: Duration,
}

impl Store {
    /// Starts a write transaction, waiting for another writer up to the busy timeout: the
    /// store's lock is held from here to the commit.
    fn immediate(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        let started = std::time::Instant::now();
        let path = &self.path;
        self.connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| busy_or(path, e, started))
    }

    /// Opens the store at `path`, creating it (and its schema) if absent, and bringing an older
    /// schema up to date.
    ///
    /// # Errors
    ///
    /// The file is not a jauge store, was written by a newer jauge, or cannot be opened or
    /// written.
    pub fn create(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, true, DEFAULT_BUSY_TIMEOUT)
    }

    /// Opens an existing store.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] when there is none; otherwise as [`Store::create`].
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, false, DEFAULT_BUSY_TIMEOUT)
    }

    /// Opens the store at `path`, creating it if `create`, waiting up to `busy_timeout` for
    /// other writers.
    ///
    /// # Errors
    ///
    /// As [`Store::create`] and [`Store::open`].
    pub fn open_with(
        path: &Path,
        create: bool,
        busy_timeout: Duration,
    ) -> Result<Store, StoreError> {
        if !create && !path.exists() {
            return Err(StoreError::NotFound {
                path: path.to_owned(),
            });
        }
        let connection = connect(path, create, busy_timeout)?;
        let mut store = Store {
            path: path.to_owned(),
            connection,
            busy_timeout,
        };
        schema::prepare(&mut store.connection, path)?;
        Ok(store)
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The number of write transactions that changed something, ever: a cheap way to see
    /// whether the store changed since last looked at.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn changes(&self) -> Result<u64, StoreError> {
        read_changes(&self.connection).map_err(sqlite(&self.path))
    }

    /// The number of gifts.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn len(&self) -> Result<u64, StoreError> {
        self.connection
            .query_row("SELECT count(*) FROM gifts", [], |row| row.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(sqlite(&self.path))
    }

    /// Whether the store holds no gift.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.len().map(|n| n == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{decode_gift, encode_gift};
    use chrono::{DateTime, Utc};
    use jauge::{Donation, Money};

    fn gift(id: &str, amount: &str) -> Donation {
        Donation::try_new(
            id,
            Money::parse(amount).unwrap(),
            "2023-12-01T10:00:00Z".parse().unwrap(),
        )
        .unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2023-12-02T00:00:00Z".parse().unwrap()
    }

    fn gifts(path: &Path) -> Vec<Donation> {
        let mut out = Vec::new();
        for view in Store::snapshots(path, 2).unwrap() {
            view.for_each::<StoreError>(|_, g| {
                out.push(g);
                Ok(())
            })
            .unwrap();
        }
        out
    }

    /// A new store opened by several connections at once (a server's receiver and its site,
    /// an import beside it): each waits its turn, none fails.
    #[test]
    fn a_new_store_opened_by_several_at_once_opens_for_all() {
        for round in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("donations.db");
            let openers: Vec<_> = (0..6)
                .map(|_| {
                    let path = path.clone();
                    std::thread::spawn(move || {
                        Store::open_with(&path, true, Duration::from_secs(5)).map(drop)
                    })
                })
                .collect();
            for opener in openers {
                let opened = opener.join().unwrap();
                assert!(opened.is_ok(), "round {round}: {opened:?}");
            }
        }
    }

    #[test]
    fn a_write_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = Store::create(&path).unwrap();
        {
            let mut writer = store.writer(now()).unwrap();
            writer.record(&gift("a", "5 EUR"), "x.csv:2").unwrap();
            // Dropped without commit.
        }
        assert_eq!(store.len().unwrap(), 0);
        assert_eq!(store.changes().unwrap(), 0);
        let mut writer = store.writer(now()).unwrap();
        writer.record(&gift("a", "5 EUR"), "x.csv:2").unwrap();
        writer.record(&gift("b", "7 EUR"), "x.csv:3").unwrap();
        writer.commit().unwrap();
        assert_eq!(store.changes().unwrap(), 1);
        assert_eq!(gifts(&path), [gift("a", "5 EUR"), gift("b", "7 EUR")]);
    }

    #[test]
    fn conflicts_and_refunds_are_journaled_with_their_source() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("d.db")).unwrap();
        let mut writer = store.writer(now()).unwrap();
        writer.record(&gift("a", "50 EUR"), "first.csv:2").unwrap();
        let conflict = writer.record(&gift("a", "55 EUR"), "second.csv:9").unwrap();
        assert_eq!(
            conflict,
            Recorded::Conflict {
                there: "first.csv:2".into(),
                difference: "amount 50.00 EUR there, 55.00 EUR here".into()
            }
        );
        writer
            .reject(
                "a",
                "second.csv:9",
                "amount 50.00 EUR there, 55.00 EUR here",
            )
            .unwrap();
        let twenty = Money::parse("20 EUR").unwrap();
        assert!(matches!(
            writer.refund("a", twenty, "evt_1").unwrap(),
            Refunded::Applied { .. }
        ));
        assert_eq!(
            writer.refund("a", twenty, "evt_1").unwrap(),
            Refunded::AlreadyCovered
        );
        assert_eq!(
            writer.refund("zz", twenty, "evt_2").unwrap(),
            Refunded::UnknownGift
        );
        writer.commit().unwrap();
        let history = store.history("a").unwrap();
        let actions: Vec<(Action, &str)> = history
            .iter()
            .map(|e| (e.action, e.source.as_str()))
            .collect();
        assert_eq!(
            actions,
            [
                (Action::Created, "first.csv:2"),
                (Action::Rejected, "second.csv:9"),
                (Action::Updated, "evt_1")
            ]
        );
        assert_eq!(history[2].before, Some(gift("a", "50 EUR")));
        assert_eq!(
            history[2].after.as_ref().map(|g| *g.status()),
            Some(jauge::DonationStatus::Refunded { refunded: twenty })
        );
        assert_eq!(
            store.changes_since_last_report().unwrap(),
            Changes {
                gifts: 1,
                since: None
            }
        );
        store.mark_reported(now()).unwrap();
        assert_eq!(
            store.changes_since_last_report().unwrap(),
            Changes {
                gifts: 0,
                since: Some(now())
            }
        );
    }

    #[test]
    fn journal_rows_survive_hostile_text() {
        let hostile = "a\"b\\c\u{1}\n,é\u{feff}";
        let g = gift(hostile, "5 EUR").with_donor(hostile).matched_by("\"");
        assert_eq!(decode_gift(&encode_gift(&g)), Ok(g));
    }

    fn journal_mode(path: &Path) -> String {
        Connection::open(path)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn a_first_import_writes_once_and_leaves_the_store_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = Store::create(&path).unwrap();
        let mut writer = store.bulk_writer(now()).unwrap();
        assert!(
            writer.bulk,
            "an empty store, alone: written straight into the file"
        );
        for i in 0..50 {
            writer
                .record(&gift(&format!("g-{i}"), "5 EUR"), "a.csv")
                .unwrap();
        }
        writer.commit().unwrap();
        assert_eq!(journal_mode(&path), "wal");
        assert!(!dir.path().join("d.db-journal").exists());
        assert_eq!(gifts(&path).len(), 50);
        assert_eq!(store.history("g-7").unwrap().len(), 1);
    }

    #[test]
    fn a_first_import_beside_another_connection_goes_through_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = Store::create(&path).unwrap();
        // A server holding the store open, and reading it during the import.
        let reader = Store::open(&path).unwrap();
        assert_eq!(reader.len().unwrap(), 0);
        let mut writer = store.bulk_writer(now()).unwrap();
        assert!(!writer.bulk);
        writer.record(&gift("g-1", "5 EUR"), "a.csv").unwrap();
        assert_eq!(reader.len().unwrap(), 0, "the reader is not held up");
        writer.commit().unwrap();
        assert_eq!(reader.len().unwrap(), 1);
        assert_eq!(journal_mode(&path), "wal");
    }

    #[test]
    fn an_import_into_a_store_with_gifts_keeps_readers_going() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = Store::create(&path).unwrap();
        let mut writer = store.writer(now()).unwrap();
        writer.record(&gift("g-1", "5 EUR"), "a.csv").unwrap();
        writer.commit().unwrap();
        let mut writer = store.bulk_writer(now()).unwrap();
        assert!(!writer.bulk);
        writer.record(&gift("g-2", "5 EUR"), "b.csv").unwrap();
        // Opened during the write: in rollback-journal mode it would wait for the commit.
        let reader = Store::open_with(&path, false, Duration::ZERO).unwrap();
        assert_eq!(reader.len().unwrap(), 1);
        writer.commit().unwrap();
        assert_eq!(reader.len().unwrap(), 2);
    }

    #[test]
    fn a_store_left_by_a_stopped_first_import_is_put_back_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = Store::create(&path).unwrap();
        let mut writer = store.bulk_writer(now()).unwrap();
        writer.record(&gift("g-1", "5 EUR"), "a.csv").unwrap();
        // Stopped before the commit: nothing written, and the mode left as it was.
        drop(writer);
        drop(store);
        assert_eq!(journal_mode(&path), "delete");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.len().unwrap(), 0);
        assert_eq!(journal_mode(&path), "wal");
    }

    #[test]
    fn journal_rows_written_in_batches_keep_their_order_and_are_read_back_within_the_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = Store::create(&path).unwrap();
        let mut writer = store.bulk_writer(now()).unwrap();
        let n = writer::JOURNAL_BATCH + 5;
        for i in 0..n {
            writer
                .record(
                    &gift(&format!("g-{i}"), "5 EUR"),
                    &format!("a.csv:{}", i + 2),
                )
                .unwrap();
        }
        // One in the batch already inserted, one still waiting: both found where they came from.
        for i in [0, n - 1] {
            assert!(writer.created_in_this_write(&format!("g-{i}")).unwrap());
            let conflict = writer
                .record(&gift(&format!("g-{i}"), "6 EUR"), "b.csv:2")
                .unwrap();
            assert!(
                matches!(&conflict, Recorded::Conflict { there, .. } if *there == format!("a.csv:{}", i + 2)),
                "{conflict:?}"
            );
        }
        writer.reject("g-0", "b.csv:2", "amount").unwrap();
        writer.commit().unwrap();
        let connection = Connection::open(&path).unwrap();
        let in_order: Vec<String> = connection
            .prepare("SELECT gift_id FROM journal ORDER BY seq")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let expected: Vec<String> = (0..n)
            .map(|i| format!("g-{i}"))
            .chain(["g-0".to_owned()])
            .collect();
        assert_eq!(in_order, expected);
    }

    #[test]
    fn opening_refuses_what_is_not_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.db");
        assert!(matches!(
            Store::open(&missing),
            Err(StoreError::NotFound { .. })
        ));
        assert!(!missing.exists());
        let text = dir.path().join("notes.db");
        std::fs::write(&text, "id,received_at\n".repeat(100)).unwrap();
        let error = Store::open(&text).err().unwrap().to_string();
        assert!(
            error.ends_with("not a jauge store: the file is not an SQLite database"),
            "{error}"
        );
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE notes (x)")
            .unwrap();
        let error = Store::open(&other).err().unwrap().to_string();
        assert!(error.contains("not a jauge store"), "{error}");
    }

    #[test]
    fn snapshots_split_the_gifts_without_gap_or_overlap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = Store::create(&path).unwrap();
        let mut writer = store.writer(now()).unwrap();
        for i in 0..101 {
            writer
                .record(&gift(&format!("g{i}"), "5 EUR"), "x.csv")
                .unwrap();
        }
        writer.commit().unwrap();
        for parts in 1..5 {
            let mut seqs = Vec::new();
            for view in Store::snapshots(&path, parts).unwrap() {
                view.for_each::<StoreError>(|seq, _| {
                    seqs.push(seq);
                    Ok(())
                })
                .unwrap();
            }
            assert_eq!(seqs, (1..=101).collect::<Vec<i64>>(), "{parts} parts");
        }
    }
}
