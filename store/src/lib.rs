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

mod columns;
pub mod row;
pub mod rules;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use jauge::{Donation, Money};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

pub use row::{RowError, RowParser, COLUMNS};
pub use schema::SCHEMA_VERSION;

/// How long a writer waits for another to finish before giving up, by default.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Why the store could not do what was asked. Every variant names the store's file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// There is no store at the path, and the operation does not create one.
    #[error("{}: no such store (`jauge import --from FORMAT FILE --into {}` creates it from an export, `jauge serve` creates it empty for webhooks)", path.display(), path.display())]
    NotFound {
        /// The path.
        path: PathBuf,
    },
    /// The file exists but is not a jauge store (another SQLite database, or not SQLite).
    #[error("{}: not a jauge store: {reason}", path.display())]
    NotAStore {
        /// The path.
        path: PathBuf,
        /// What gave it away.
        reason: String,
    },
    /// The store was written by a newer jauge, whose schema this one does not know.
    #[error("{}: written by a newer jauge (schema version {found}; this jauge knows up to {supported}): upgrade jauge to read it", path.display())]
    NewerSchema {
        /// The path.
        path: PathBuf,
        /// The store's schema version.
        found: u32,
        /// The newest this build knows.
        supported: u32,
    },
    /// Another writer held the store for longer than the busy timeout.
    #[error("{}: another writer has held the store for more than {} s; nothing was written, try again", path.display(), waited.as_secs())]
    Busy {
        /// The path.
        path: PathBuf,
        /// How long this writer waited.
        waited: Duration,
    },
    /// A row of the store does not describe a gift (edited by hand, or damaged).
    #[error("{}: gift #{seq}{}: {}", path.display(), column.map(|c| format!(", column {c:?}")).unwrap_or_default(), source.message)]
    BadRow {
        /// The path.
        path: PathBuf,
        /// The row's sequence number (its order of recording).
        seq: i64,
        /// The column at fault, if one is.
        column: Option<&'static str>,
        /// What is wrong.
        source: RowError,
    },
    /// A gift the store cannot keep exactly.
    #[error("{}: gift {id}: {reason}", path.display())]
    Unstorable {
        /// The path.
        path: PathBuf,
        /// The gift.
        id: String,
        /// Why.
        reason: String,
    },
    /// A journal entry that does not read back (edited by hand, or damaged).
    #[error("{}: journal entry #{seq}: {reason}", path.display())]
    BadJournal {
        /// The path.
        path: PathBuf,
        /// The entry.
        seq: i64,
        /// What is wrong.
        reason: String,
    },
    /// SQLite refused (a full disk, a read-only folder, a damaged file).
    #[error("{}: {source}", path.display())]
    Sqlite {
        /// The path.
        path: PathBuf,
        /// SQLite's word.
        source: rusqlite::Error,
    },
}

/// What [`Writer::record`] did with a report of a gift.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// A new gift.
    Added,
    /// The gift was known and the report taught nothing new.
    Unchanged,
    /// The gift was known; the report moved it forward.
    Updated {
        /// The gift as it was.
        before: Donation,
    },
    /// The id is known with another amount or instant: the report was not applied.
    Conflict {
        /// Where the gift held was first recorded from.
        there: String,
        /// How they differ.
        difference: String,
    },
}

/// What [`Writer::refund`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refunded {
    /// The gift's refund grew to the total.
    Applied {
        /// The gift as it was.
        before: Donation,
    },
    /// The gift already shows that much refunded, or more.
    AlreadyCovered,
    /// No gift has that id.
    UnknownGift,
    /// The core refuses the refund (more than the gift, another currency).
    Refused(String),
}

/// What a platform's event did, as the `events` table keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventOutcome {
    /// Its gifts and refunds are in the ledger.
    Applied,
    /// It says nothing about money received (or came from the other mode), and why.
    Ignored,
    /// The ledger refused what it said (a conflicting amount), and why.
    Rejected,
}

/// The text a store keeps for each variant of an enum, written once: `as_str` and `from_str`
/// both come from the one list.
macro_rules! stored_as_text {
    ($type:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $type {
            fn as_str(self) -> &'static str {
                match self {
                    $($type::$variant => $text),+
                }
            }

            fn from_str(text: &str) -> Option<$type> {
                match text {
                    $($text => Some($type::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

stored_as_text!(EventOutcome {
    Applied => "applied",
    Ignored => "ignored",
    Rejected => "rejected",
});

/// What a journal entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The gift was first recorded.
    Created,
    /// Its status moved forward, its refund grew, or a detail was learnt.
    Updated,
    /// A report of it was refused (a conflicting amount or instant, an impossible refund).
    Rejected,
}

stored_as_text!(Action {
    Created => "created",
    Updated => "updated",
    Rejected => "rejected",
});

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One entry of the journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    /// Its place in the journal: entries are numbered in the order they were committed.
    pub seq: i64,
    /// The gift it is about.
    pub gift_id: String,
    /// What happened.
    pub action: Action,
    /// Where the report came from: `file:line`, or a platform's event id.
    pub source: String,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The gift before (updates).
    pub before: Option<Donation>,
    /// The gift after (creations and updates).
    pub after: Option<Donation>,
    /// Why a report was rejected.
    pub reason: Option<String>,
}

/// Changes recorded since the last report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changes {
    /// Distinct gifts created or updated since.
    pub gifts: u64,
    /// When the last report was made, if one was.
    pub since: Option<DateTime<Utc>>,
}

/// A saved tally of the gifts received before an instant (see `jauge::Tally::checkpoint`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The tally counts the gifts received before this instant.
    pub boundary: DateTime<Utc>,
    /// The tally, as the core wrote it.
    pub tally: Vec<u8>,
    /// Where its donors and subscriptions are, for [`Snapshot::checkpoint_keys`].
    row: i64,
}

/// Which of a checkpoint's keys to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyColumn {
    /// The donors.
    Donors,
    /// The subscriptions.
    Subscriptions,
}

impl KeyColumn {
    fn name(self) -> &'static str {
        match self {
            KeyColumn::Donors => "donors",
            KeyColumn::Subscriptions => "subscriptions",
        }
    }
}

/// A checkpoint's donors or subscriptions to save: their bytes, read once, and how many.
pub struct KeyBytes<'r> {
    /// The bytes.
    pub reader: &'r mut dyn std::io::Read,
    /// How many bytes `reader` gives.
    pub len: u64,
}

/// A store of gifts: one SQLite file.
pub struct Store {
    path: PathBuf,
    connection: Connection,
    busy_timeout: Duration,
}

fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite {
        path: path.to_owned(),
        source,
    }
}

/// The time a record is made, as the store writes it: always six fractional digits, so that the
/// text sorts as the instants do and SQL can compare it.
fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

use columns::NAMES as GIFT_COLUMNS;

impl Store {
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

    /// Starts a write: one transaction, which holds the store's write lock until
    /// [`Writer::commit`] (or until dropped, which writes nothing). `recorded_at` is the time
    /// the journal gives its entries.
    ///
    /// # Errors
    ///
    /// [`StoreError::Busy`] when another writer holds the store past the busy timeout.
    pub fn writer(&mut self, recorded_at: DateTime<Utc>) -> Result<Writer<'_>, StoreError> {
        let started = std::time::Instant::now();
        let path = self.path.clone();
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| busy_or(&path, e, started))?;
        let journal_before: i64 = transaction
            .query_row("SELECT coalesce(max(seq), 0) FROM journal", [], |row| {
                row.get(0)
            })
            .map_err(sqlite(&path))?;
        Ok(Writer {
            path,
            transaction,
            recorded_at: instant_text(recorded_at),
            changed: false,
            journal_before,
            earliest: None,
        })
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

    /// Every journal entry about the gift `id`, oldest first.
    ///
    /// # Errors
    ///
    /// SQLite fails, or an entry does not read back.
    pub fn history(&self, id: &str) -> Result<Vec<JournalEntry>, StoreError> {
        self.journal_where("gift_id = ?1", params![id])
    }

    /// The ids of the gifts whose id is `platform_id` behind a platform's prefix
    /// (`stripe:ch_3OMe…` for `ch_3OMe…`, `helloasso:payment:42` for `42` or `payment:42`): what
    /// a person copies from a platform's dashboard. In the order they were recorded.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn ids_ending_with(&self, platform_id: &str) -> Result<Vec<String>, StoreError> {
        // Compared as text, not as a LIKE or GLOB pattern: an id may hold `%`, `_` or `*`.
        let mut statement = self
            .connection
            .prepare(
                "SELECT id FROM gifts WHERE length(id) > length(?1) + 1 \
                 AND substr(id, -length(?1) - 1) = ':' || ?1 ORDER BY seq LIMIT 20",
            )
            .map_err(sqlite(&self.path))?;
        let ids = statement
            .query_map([platform_id], |row| row.get(0))
            .and_then(|rows| rows.collect::<Result<Vec<String>, _>>())
            .map_err(sqlite(&self.path))?;
        Ok(ids)
    }

    /// Every journal entry recorded at or after `since`, oldest first.
    ///
    /// # Errors
    ///
    /// As [`Store::history`].
    pub fn journal_since(&self, since: DateTime<Utc>) -> Result<Vec<JournalEntry>, StoreError> {
        self.journal_where("recorded_at >= ?1", params![instant_text(since)])
    }

    fn journal_where(
        &self,
        condition: &str,
        arguments: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let mut statement = self
            .connection
            .prepare(&format!(
                "SELECT seq, gift_id, action, source, recorded_at, before, after, reason \
                 FROM journal WHERE {condition} ORDER BY seq"
            ))
            .map_err(sqlite(&self.path))?;
        let rows = statement
            .query_map(arguments, |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, Option<String>>(5)?,
                    row.get::<_, Option<String>>(6)?,
                    row.get::<_, Option<String>>(7)?,
                ))
            })
            .map_err(sqlite(&self.path))?;
        let mut entries = Vec::new();
        for row in rows {
            let (seq, gift_id, action, source, recorded_at, before, after, reason) =
                row.map_err(sqlite(&self.path))?;
            let bad = |reason: String| StoreError::BadJournal {
                path: self.path.clone(),
                seq,
                reason,
            };
            let gift = |text: Option<String>| -> Result<Option<Donation>, StoreError> {
                text.map(|t| decode_gift(&t).map_err(&bad)).transpose()
            };
            entries.push(JournalEntry {
                seq,
                gift_id,
                action: Action::from_str(&action)
                    .ok_or_else(|| bad(format!("unknown action {action:?}")))?,
                source,
                recorded_at: row::parse_instant(&recorded_at)
                    .ok_or_else(|| bad(format!("{recorded_at:?} is not an instant")))?,
                before: gift(before)?,
                after: gift(after)?,
                reason,
            });
        }
        Ok(entries)
    }

    /// The gifts created or updated since the last report marked with
    /// [`Store::mark_reported`].
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn changes_since_last_report(&self) -> Result<Changes, StoreError> {
        let (through, since): (i64, Option<String>) = self
            .connection
            .query_row(
                "SELECT coalesce((SELECT value FROM meta WHERE key = 'reported_through'), 0), \
                        (SELECT value FROM meta WHERE key = 'reported_at')",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(sqlite(&self.path))?;
        let gifts = self
            .connection
            .query_row(
                "SELECT count(DISTINCT gift_id) FROM journal \
                 WHERE seq > ?1 AND action IN ('created', 'updated')",
                [through],
                |row| row.get::<_, i64>(0),
            )
            .map_err(sqlite(&self.path))?;
        Ok(Changes {
            gifts: gifts as u64,
            since: since.as_deref().and_then(row::parse_instant),
        })
    }

    /// Notes that a report was made at `at` of everything recorded so far.
    ///
    /// # Errors
    ///
    /// The store cannot be written ([`StoreError::Busy`] among others).
    pub fn mark_reported(&mut self, at: DateTime<Utc>) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        let path = self.path.clone();
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| busy_or(&path, e, started))?;
        transaction
            .execute(
                "INSERT INTO meta (key, value) VALUES \
                 ('reported_through', (SELECT coalesce(max(seq), 0) FROM journal)), \
                 ('reported_at', ?1) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [instant_text(at)],
            )
            .map_err(sqlite(&path))?;
        transaction.commit().map_err(sqlite(&path))
    }

    /// Saves a checkpoint under `key` if the store has not changed since `as_of` (a snapshot's
    /// [`Snapshot::changes`]: a checkpoint computed from an older store would miss a write) and
    /// has no later one. Waits only briefly for other writers: a checkpoint is worth a short
    /// wait, not a long one. Says whether it was saved.
    ///
    /// # Errors
    ///
    /// SQLite fails (other than by being busy).
    pub fn save_checkpoint(
        &mut self,
        key: &str,
        boundary: DateTime<Utc>,
        tally: &[u8],
        keys: [KeyBytes<'_>; 2],
        as_of: u64,
    ) -> Result<bool, StoreError> {
        let Some(boundary) = boundary.timestamp_nanos_opt() else {
            return Ok(false);
        };
        let path = self.path.clone();
        self.connection
            .busy_timeout(Duration::from_secs(2))
            .map_err(sqlite(&path))?;
        // A cache, tens of megabytes at millions of gifts: it need not wait for the disk. A
        // checkpoint lost to a power cut is computed again; the store stays whole (WAL).
        self.connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite(&path))?;
        let saved = (|| -> rusqlite::Result<bool> {
            let transaction = self
                .connection
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let later: bool = transaction.query_row(
                "SELECT EXISTS (SELECT 1 FROM checkpoints WHERE key = ?1 AND boundary > ?2)",
                params![key, boundary],
                |row| row.get(0),
            )?;
            if later || read_changes(&transaction)? != as_of {
                return Ok(false);
            }
            let [donors, subscriptions] = keys;
            let too_long = |_| rusqlite::Error::ToSqlConversionFailure("too many keys".into());
            let row: i64 = transaction.query_row(
                "INSERT INTO checkpoints (key, boundary, tally, donors, subscriptions) \
                 VALUES (?1, ?2, ?3, zeroblob(?4), zeroblob(?5)) \
                 ON CONFLICT (key) DO UPDATE SET boundary = excluded.boundary, \
                 tally = excluded.tally, donors = excluded.donors, \
                 subscriptions = excluded.subscriptions RETURNING rowid",
                params![
                    key,
                    boundary,
                    tally,
                    i64::try_from(donors.len).map_err(too_long)?,
                    i64::try_from(subscriptions.len).map_err(too_long)?
                ],
                |row| row.get(0),
            )?;
            // Streamed in: millions of keys never sit in memory on their way to the file.
            for (column, bytes) in [
                (KeyColumn::Donors, donors),
                (KeyColumn::Subscriptions, subscriptions),
            ] {
                let mut blob = transaction.blob_open(
                    rusqlite::MAIN_DB,
                    "checkpoints",
                    column.name(),
                    row,
                    false,
                )?;
                let copied = std::io::copy(
                    &mut std::io::Read::take(&mut *bytes.reader, bytes.len),
                    &mut blob,
                )
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                if copied != bytes.len {
                    return Err(rusqlite::Error::ToSqlConversionFailure(
                        "fewer key bytes than announced".into(),
                    ));
                }
            }
            transaction.commit()?;
            Ok(true)
        })();
        self.connection
            .busy_timeout(self.busy_timeout)
            .map_err(sqlite(&path))?;
        self.connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(sqlite(&path))?;
        match saved {
            Ok(saved) => Ok(saved),
            Err(rusqlite::Error::SqliteFailure(f, _))
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                Ok(false)
            }
            Err(source) => Err(StoreError::Sqlite { path, source }),
        }
    }

    /// `parts` read-only views of the store at one and the same moment, each on its own
    /// connection (so each can be read on its own thread), and together covering every gift:
    /// view `i` holds the `i`-th of `parts` equal runs of the recording order.
    ///
    /// # Errors
    ///
    /// The store cannot be opened, or kept changing under every attempt to see it at once.
    pub fn snapshots(path: &Path, parts: usize) -> Result<Vec<Snapshot>, StoreError> {
        Ok(Store::views(path, parts, false)?.0)
    }

    /// As [`Store::snapshots`], and one more view at the same moment that covers no part of
    /// the recording order (for the checkpoint and a few gifts by time, beside the parts), if
    /// the store could be seen at one moment on that many connections.
    ///
    /// # Errors
    ///
    /// As [`Store::snapshots`].
    pub fn snapshots_and_one(
        path: &Path,
        parts: usize,
    ) -> Result<(Vec<Snapshot>, Option<Snapshot>), StoreError> {
        Store::views(path, parts, true)
    }

    fn views(
        path: &Path,
        parts: usize,
        side: bool,
    ) -> Result<(Vec<Snapshot>, Option<Snapshot>), StoreError> {
        let parts = parts.max(1);
        // Each view starts its own read transaction; a commit between two starts would show
        // them different stores, so the views are compared and taken again until they agree.
        for _ in 0..50 {
            let mut views = Vec::with_capacity(parts + 1);
            for _ in 0..parts + usize::from(side) {
                views.push(Snapshot::begin(path)?);
            }
            let changes = views[0].changes;
            if views.iter().all(|v| v.changes == changes) {
                let extra = if side { views.pop() } else { None };
                let (first, last) = views[0].bounds()?;
                let span = (last - first + 1).max(0);
                for (i, view) in views.iter_mut().enumerate() {
                    let i = i as i64;
                    let n = parts as i64;
                    view.range = (first + span * i / n, first + span * (i + 1) / n - 1);
                }
                return Ok((views, extra));
            }
        }
        let mut view = Snapshot::begin(path)?;
        view.range = view.bounds()?;
        Ok((vec![view], None))
    }
}

/// Opens a connection with the settings every connection to a store gets.
fn connect(path: &Path, create: bool, busy_timeout: Duration) -> Result<Connection, StoreError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let connection = Connection::open_with_flags(path, flags).map_err(|e| match e {
        rusqlite::Error::SqliteFailure(ref f, _)
            if f.code == rusqlite::ErrorCode::CannotOpen && !path.exists() =>
        {
            StoreError::NotFound {
                path: path.to_owned(),
            }
        }
        other => not_a_store_or(path, other),
    })?;
    connection
        .busy_timeout(busy_timeout)
        .map_err(sqlite(path))?;
    // FULL: a commit is on disk before the writer says so (an import's summary, a webhook's
    // 2xx), even across a power cut.
    connection
        .pragma_update(None, "synchronous", "FULL")
        .map_err(|e| not_a_store_or(path, e))?;
    Ok(connection)
}

fn not_a_store_or(path: &Path, error: rusqlite::Error) -> StoreError {
    match error {
        rusqlite::Error::SqliteFailure(ref f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            StoreError::NotAStore {
                path: path.to_owned(),
                reason: "the file is not an SQLite database".to_owned(),
            }
        }
        source => StoreError::Sqlite {
            path: path.to_owned(),
            source,
        },
    }
}

fn busy_or(path: &Path, error: rusqlite::Error, started: std::time::Instant) -> StoreError {
    match error {
        rusqlite::Error::SqliteFailure(ref f, _)
            if matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            StoreError::Busy {
                path: path.to_owned(),
                waited: started.elapsed(),
            }
        }
        other => not_a_store_or(path, other),
    }
}

fn read_changes(connection: &Connection) -> rusqlite::Result<u64> {
    connection
        .query_row("SELECT value FROM meta WHERE key = 'changes'", [], |row| {
            row.get::<_, i64>(0)
        })
        .map(|n| n as u64)
}

/// A gift as the journal keeps it: its ledger row, as a JSON array of the twelve fields (the
/// columns of [`COLUMNS`]), readable with any SQLite client.
fn encode_gift(gift: &Donation) -> String {
    serde_json::to_string(&row::record(gift)).unwrap_or_default()
}

fn decode_gift(text: &str) -> Result<Donation, String> {
    let fields: Vec<String> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if fields.len() != COLUMNS.len() {
        return Err(format!("expected 12 fields, found {}", fields.len()));
    }
    RowParser::default()
        .parse(|i| fields[i].as_str())
        .map_err(|e| match e.column {
            Some(column) => format!("column {column:?}: {}", e.message),
            None => e.message,
        })
}

/// One write: a transaction holding the store's write lock. Nothing is written unless
/// [`Writer::commit`] is called.
pub struct Writer<'s> {
    path: PathBuf,
    transaction: rusqlite::Transaction<'s>,
    recorded_at: String,
    changed: bool,
    /// The journal's last entry when this write began.
    journal_before: i64,
    /// The earliest instant (as stored) of a gift this write added or changed: the checkpoints
    /// after it are dropped once, at the commit, rather than at every row of an import.
    earliest: Option<i64>,
}

impl Writer<'_> {
    /// The gift with id `id`, as held (including what this write changed so far).
    ///
    /// # Errors
    ///
    /// SQLite fails, or the row held does not read back.
    pub fn get(&self, id: &str) -> Result<Option<Donation>, StoreError> {
        let mut statement = self
            .transaction
            .prepare_cached(&format!(
                "SELECT seq, {GIFT_COLUMNS} FROM gifts WHERE id = ?1"
            ))
            .map_err(sqlite(&self.path))?;
        let found = statement
            .query_row([id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    columns::read(row, 1, &mut RowParser::default()),
                ))
            })
            .optional()
            .map_err(sqlite(&self.path))?;
        found
            .map(|(seq, gift)| {
                gift.map_err(|source| StoreError::BadRow {
                    path: self.path.clone(),
                    seq,
                    column: source.column,
                    source,
                })
            })
            .transpose()
    }

    /// Records what `source` reports of a gift, under the [`rules`]: a new id is added, a known
    /// one is moved forward, a conflicting one is refused (and journaled). Every change is
    /// journaled with `source`.
    ///
    /// # Errors
    ///
    /// SQLite fails; a conflict is not an error but [`Recorded::Conflict`].
    pub fn record(&mut self, gift: &Donation, source: &str) -> Result<Recorded, StoreError> {
        // A subscription is paid at one interval: a payment at another would make every later
        // status fail, so it is a conflict with the subscription's first other payment.
        if let jauge::DonationKind::Recurring {
            interval,
            subscription,
        } = gift.kind()
        {
            let kind = rules::interval_name(*interval);
            let other: Option<(String, String)> = self
                .transaction
                .prepare_cached(
                    "SELECT id, kind FROM gifts WHERE subscription_id = ?1 AND kind != ?2 \
                     AND id != ?3 ORDER BY seq LIMIT 1",
                )
                .and_then(|mut s| {
                    s.query_row(params![subscription, kind, gift.id()], |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })
                    .optional()
                })
                .map_err(sqlite(&self.path))?;
            if let Some((other_id, other_kind)) = other {
                let there = self.created_from(&other_id)?;
                return Ok(Recorded::Conflict {
                    there,
                    difference: format!(
                        "subscription {subscription} is paid {other_kind} there ({other_id}), {kind} here"
                    ),
                });
            }
        }
        // Most gifts of an import are new: inserted at once, and looked up only if the id is
        // held already (one index probe instead of two).
        if self.insert(gift)? {
            self.journal(gift.id(), Action::Created, source, None, Some(gift), None)?;
            return Ok(Recorded::Added);
        }
        let Some(held) = self.get(gift.id())? else {
            return Err(StoreError::Sqlite {
                path: self.path.clone(),
                source: rusqlite::Error::QueryReturnedNoRows,
            });
        };
        if !rules::same_gift(&held, gift) {
            let there = self.created_from(gift.id())?;
            let difference = rules::describe_difference(&held, gift);
            return Ok(Recorded::Conflict { there, difference });
        }
        let merged = rules::merge(&held, gift);
        if merged == held {
            return Ok(Recorded::Unchanged);
        }
        self.replace(&held, &merged, source)?;
        Ok(Recorded::Updated { before: held })
    }

    /// Records a refund of the gift `id` totalling `total` (the total refunded so far, as the
    /// platforms report it: a refund only grows, and a repeated report is not a second refund).
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn refund(&mut self, id: &str, total: Money, source: &str) -> Result<Refunded, StoreError> {
        let Some(held) = self.get(id)? else {
            return Ok(Refunded::UnknownGift);
        };
        match rules::refunded_to(&held, total) {
            Ok(None) => Ok(Refunded::AlreadyCovered),
            Ok(Some(refunded)) => {
                self.replace(&held, &refunded, source)?;
                Ok(Refunded::Applied { before: held })
            }
            Err(e) => Ok(Refunded::Refused(e.to_string())),
        }
    }

    /// What the event `id` of `platform` did, if it was taken before: a delivery that comes
    /// again changes nothing.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn event_outcome(
        &self,
        platform: &str,
        id: &str,
    ) -> Result<Option<EventOutcome>, StoreError> {
        let found: Option<String> = self
            .transaction
            .prepare_cached("SELECT outcome FROM events WHERE platform = ?1 AND id = ?2")
            .and_then(|mut s| s.query_row([platform, id], |row| row.get(0)).optional())
            .map_err(sqlite(&self.path))?;
        Ok(found.as_deref().and_then(EventOutcome::from_str))
    }

    /// Notes that the event `id` of `platform` was taken, with what it did and why.
    ///
    /// # Errors
    ///
    /// SQLite fails, or the event was taken already (see [`Writer::event_outcome`]).
    pub fn record_event(
        &mut self,
        platform: &str,
        id: &str,
        kind: &str,
        outcome: EventOutcome,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        self.transaction
            .prepare_cached(
                "INSERT INTO events (platform, id, kind, recorded_at, outcome, reason) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    platform,
                    id,
                    kind,
                    self.recorded_at,
                    outcome.as_str(),
                    reason
                ])
            })
            .map_err(sqlite(&self.path))?;
        self.changed = true;
        Ok(())
    }

    /// Whether this write created the gift `id` (as opposed to finding it in the store).
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn created_in_this_write(&self, id: &str) -> Result<bool, StoreError> {
        self.transaction
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM journal \
                 WHERE gift_id = ?1 AND action = 'created' AND seq > ?2)",
            )
            .and_then(|mut s| s.query_row(params![id, self.journal_before], |row| row.get(0)))
            .map_err(sqlite(&self.path))
    }

    /// Journals a report of the gift `id` that was refused, and why.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn reject(&mut self, id: &str, source: &str, reason: &str) -> Result<(), StoreError> {
        self.journal(id, Action::Rejected, source, None, None, Some(reason))
    }

    /// Where the gift `id` was first recorded from.
    fn created_from(&self, id: &str) -> Result<String, StoreError> {
        self.transaction
            .prepare_cached(
                "SELECT source FROM journal WHERE gift_id = ?1 AND action = 'created' \
                 ORDER BY seq LIMIT 1",
            )
            .and_then(|mut s| s.query_row([id], |row| row.get::<_, String>(0)).optional())
            .map(|found| found.unwrap_or_else(|| self.path.display().to_string()))
            .map_err(sqlite(&self.path))
    }

    /// Adds `gift` unless its id is held already; whether it was added.
    fn insert(&mut self, gift: &Donation) -> Result<bool, StoreError> {
        let values = self.bind(gift)?;
        let received = &values[1];
        let inserted = self
            .transaction
            .prepare_cached(&format!(
                "INSERT INTO gifts ({GIFT_COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
                 ON CONFLICT (id) DO NOTHING"
            ))
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(values.iter())))
            .map_err(sqlite(&self.path))?
            == 1;
        if inserted {
            self.touched(received);
            self.changed = true;
        }
        Ok(inserted)
    }

    fn replace(&mut self, held: &Donation, new: &Donation, source: &str) -> Result<(), StoreError> {
        let values = self.bind(new)?;
        self.touched(&values[1]);
        self.transaction
            .prepare_cached(
                "UPDATE gifts SET received_at = ?2, amount = ?3, currency = ?4, status = ?5, \
                 kind = ?6, subscription_id = ?7, channel = ?8, donor = ?9, fee = ?10, \
                 refunded = ?11, matched_by = ?12 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(rusqlite::params_from_iter(values)))
            .map_err(sqlite(&self.path))?;
        self.changed = true;
        self.journal(
            new.id(),
            Action::Updated,
            source,
            Some(held),
            Some(new),
            None,
        )
    }

    /// Notes that a gift received at `received_at` (as stored) was added or changed.
    fn touched(&mut self, received_at: &rusqlite::types::Value) {
        if let rusqlite::types::Value::Integer(at) = received_at {
            self.earliest = Some(self.earliest.map_or(*at, |e| e.min(*at)));
        }
    }

    fn bind(&self, gift: &Donation) -> Result<[rusqlite::types::Value; 12], StoreError> {
        columns::bind(gift).map_err(|reason| StoreError::Unstorable {
            path: self.path.clone(),
            id: gift.id().to_owned(),
            reason,
        })
    }

    fn journal(
        &mut self,
        id: &str,
        action: Action,
        source: &str,
        before: Option<&Donation>,
        after: Option<&Donation>,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        self.transaction
            .prepare_cached(
                "INSERT INTO journal (gift_id, action, source, recorded_at, before, after, reason) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    action.as_str(),
                    source,
                    self.recorded_at,
                    before.map(encode_gift),
                    after.map(encode_gift),
                    reason
                ])
            })
            .map_err(sqlite(&self.path))?;
        self.changed = true;
        Ok(())
    }

    /// Makes everything this write did durable, at once.
    ///
    /// # Errors
    ///
    /// SQLite cannot commit (a full disk): then nothing of this write is in the store.
    pub fn commit(self) -> Result<(), StoreError> {
        // The checkpoints that counted gifts received before one this write added or changed,
        // and so did not count this version of it, go in the same transaction.
        if let Some(earliest) = self.earliest {
            self.transaction
                .execute("DELETE FROM checkpoints WHERE boundary > ?1", [earliest])
                .map_err(sqlite(&self.path))?;
        }
        if self.changed {
            self.transaction
                .execute(
                    "UPDATE meta SET value = value + 1 WHERE key = 'changes'",
                    [],
                )
                .map_err(sqlite(&self.path))?;
        }
        self.transaction.commit().map_err(sqlite(&self.path))
    }
}

/// A read-only view of the store at one moment, on its own connection: what it shows does not
/// change while it lives, whatever writers commit meanwhile.
pub struct Snapshot {
    path: PathBuf,
    connection: Connection,
    changes: u64,
    range: (i64, i64),
}

impl Snapshot {
    fn begin(path: &Path) -> Result<Snapshot, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotFound {
                path: path.to_owned(),
            });
        }
        let mut connection = connect(path, false, DEFAULT_BUSY_TIMEOUT)?;
        schema::prepare(&mut connection, path)?;
        connection
            .execute_batch("BEGIN DEFERRED")
            .map_err(sqlite(path))?;
        // The first read fixes what the transaction sees.
        let changes = read_changes(&connection).map_err(sqlite(path))?;
        Ok(Snapshot {
            path: path.to_owned(),
            connection,
            changes,
            range: (1, 0),
        })
    }

    fn bounds(&self) -> Result<(i64, i64), StoreError> {
        self.connection
            .query_row(
                // Two subqueries: each is one step down the table's b-tree, where min and max in
                // one query would read the whole table.
                "SELECT coalesce((SELECT min(seq) FROM gifts), 1), \
                        coalesce((SELECT max(seq) FROM gifts), 0)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(sqlite(&self.path))
    }

    /// The store's change count at this snapshot (see [`Store::changes`]).
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// The checkpoint saved under `key`, as this snapshot sees it: its boundary and its bytes.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn checkpoint(&self, key: &str) -> Result<Option<Checkpoint>, StoreError> {
        self.connection
            .query_row(
                "SELECT boundary, tally, rowid FROM checkpoints WHERE key = ?1",
                [key],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, Vec<u8>>(1)?,
                        row.get(2)?,
                    ))
                },
            )
            .optional()
            .map(|found| {
                found.map(|(nanos, tally, row)| Checkpoint {
                    boundary: DateTime::from_timestamp_nanos(nanos),
                    tally,
                    row,
                })
            })
            .map_err(sqlite(&self.path))
    }

    /// A checkpoint's donors or subscriptions, read a piece at a time, and their length.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn checkpoint_keys(
        &self,
        checkpoint: &Checkpoint,
        column: KeyColumn,
    ) -> Result<(impl std::io::Read + '_, u64), StoreError> {
        let blob = self
            .connection
            .blob_open(
                rusqlite::MAIN_DB,
                "checkpoints",
                column.name(),
                checkpoint.row,
                true,
            )
            .map_err(sqlite(&self.path))?;
        let len = blob.len() as u64;
        // Large reads: the blob's pages are followed one chain step at a time.
        Ok((std::io::BufReader::with_capacity(1 << 16, blob), len))
    }

    /// Calls `each` with every gift received at or after `from` and before `to`, in this view
    /// or not (for a few gifts around an instant: the time index finds them).
    ///
    /// # Errors
    ///
    /// As [`Snapshot::for_each`].
    pub fn for_each_between<E: From<StoreError>>(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        each: impl FnMut(i64, Donation) -> Result<(), E>,
    ) -> Result<(), E> {
        let from = from.timestamp_nanos_opt().unwrap_or(i64::MIN);
        let to = to.timestamp_nanos_opt().unwrap_or(i64::MAX);
        self.each_of(
            &format!(
                "SELECT seq, {GIFT_COLUMNS} FROM gifts INDEXED BY gifts_by_time \
                 WHERE received_at >= ?1 AND received_at < ?2"
            ),
            params![from, to],
            each,
        )
    }

    /// Calls `each` with every gift of this view, in the order they were recorded, with the
    /// gift's sequence number; stops at the first error `each` returns.
    ///
    /// # Errors
    ///
    /// A row does not read back as a gift, SQLite fails, or `each` fails.
    pub fn for_each<E: From<StoreError>>(
        &self,
        each: impl FnMut(i64, Donation) -> Result<(), E>,
    ) -> Result<(), E> {
        self.for_each_from(DateTime::<Utc>::MIN_UTC, each)
    }

    /// As [`Snapshot::for_each`], for the gifts received at or after `from` only.
    ///
    /// # Errors
    ///
    /// As [`Snapshot::for_each`].
    pub fn for_each_from<E: From<StoreError>>(
        &self,
        from: DateTime<Utc>,
        each: impl FnMut(i64, Donation) -> Result<(), E>,
    ) -> Result<(), E> {
        if from == DateTime::<Utc>::MIN_UTC {
            return self.each_of(
                &format!(
                    "SELECT seq, {GIFT_COLUMNS} FROM gifts WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq"
                ),
                params![self.range.0, self.range.1],
                each,
            );
        }
        // The gifts after a checkpoint are a few among millions: the time index finds them
        // where reading the table would read them all.
        let from = from.timestamp_nanos_opt().unwrap_or(i64::MIN);
        self.each_of(
            &format!(
                "SELECT seq, {GIFT_COLUMNS} FROM gifts INDEXED BY gifts_by_time \
                 WHERE received_at >= ?3 AND seq BETWEEN ?1 AND ?2"
            ),
            params![self.range.0, self.range.1, from],
            each,
        )
    }

    fn each_of<E: From<StoreError>>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        mut each: impl FnMut(i64, Donation) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut statement = self.connection.prepare(sql).map_err(sqlite(&self.path))?;
        let mut rows = statement.query(params).map_err(sqlite(&self.path))?;
        let mut parser = RowParser::default();
        while let Some(row) = rows.next().map_err(sqlite(&self.path))? {
            let seq: i64 = row.get(0).map_err(sqlite(&self.path))?;
            let gift = columns::read(row, 1, &mut parser).map_err(|source| StoreError::BadRow {
                path: self.path.clone(),
                seq,
                column: source.column,
                source,
            })?;
            each(seq, gift)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
