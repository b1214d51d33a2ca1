//! Snapshots: read-only views of the store at one moment, each on its own connection, that
//! together cover every gift once.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use jauge::Donation;
use rusqlite::{params, Connection};

use crate::columns::{self, NAMES as GIFT_COLUMNS};
use crate::connection::{connect, read_changes};
use crate::row::RowParser;
use crate::{schema, sqlite, Store, StoreError, DEFAULT_BUSY_TIMEOUT};

impl Store {
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

/// Money given back whose gift is not named, not matched yet (see `Writer::record_reversal`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reversal {
    /// Its own id (`stripe:re_…`).
    pub id: String,
    /// How much.
    pub amount: jauge::Money,
    /// When.
    pub at: DateTime<Utc>,
}

/// A read-only view of the store at one moment, on its own connection: what it shows does not
/// change while it lives, whatever writers commit meanwhile.
pub struct Snapshot {
    pub(crate) path: PathBuf,
    pub(crate) connection: Connection,
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
        // A snapshot reads the gifts once, in order, and its checkpoint's keys a piece at a time:
        // SQLite's default 2 MiB of cached pages would only hold what is never read again, in
        // each of the snapshots of every count a server runs at once.
        connection
            .execute_batch("PRAGMA cache_size = -256; BEGIN DEFERRED")
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

    /// The reversals not matched to a gift (refunds whose gift was not named), as of this
    /// snapshot: their ids, amounts and instants. Few: read whole.
    ///
    /// # Errors
    ///
    /// SQLite fails, or a row does not read back (a currency or amount edited by hand).
    pub fn unmatched_reversals(&self) -> Result<Vec<Reversal>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT id, received_at, amount, currency FROM reversals \
                 WHERE matched_to IS NULL ORDER BY received_at, id",
            )
            .map_err(sqlite(&self.path))?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })
            .map_err(sqlite(&self.path))?;
        let mut reversals = Vec::new();
        for row in rows {
            let (id, at, minor, currency) = row.map_err(sqlite(&self.path))?;
            let currency =
                currency
                    .parse::<jauge::Currency>()
                    .map_err(|e| StoreError::Unstorable {
                        path: self.path.clone(),
                        id: id.clone(),
                        reason: e.to_string(),
                    })?;
            reversals.push(Reversal {
                amount: jauge::Money::from_minor(minor, currency),
                at: DateTime::from_timestamp_nanos(at),
                id,
            });
        }
        Ok(reversals)
    }

    /// The store's change count at this snapshot (see [`Store::changes`]).
    pub fn changes(&self) -> u64 {
        self.changes
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
