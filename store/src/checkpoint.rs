//! Checkpoints: a campaign's tally of the gifts before an instant (the core writes it), with its
//! donors and subscriptions beside it, read and written a piece at a time.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use crate::connection::read_changes;
use crate::{sqlite, Snapshot, Store, StoreError};

/// How far behind `now` a new checkpoint's boundary is: a gift recorded later than this after
/// it was received (a webhook retried for hours, an import of an older export) drops the
/// checkpoint, and the next status reads the whole store again.
pub const CHECKPOINT_LAG: chrono::Duration = chrono::Duration::hours(1);

/// The boundary of the checkpoint a status at `now` saves: a whole hour, an hour or more back
/// (the policy beside the mechanism: gifts recorded this late drop it).
pub fn checkpoint_boundary(now: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::DurationRound;
    let back = now - CHECKPOINT_LAG;
    back.duration_trunc(chrono::Duration::hours(1))
        .unwrap_or(back)
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

impl Store {
    /// Saves a checkpoint under `key`, made by a status at `now`, if the store has not changed
    /// since `as_of` (a snapshot's [`Snapshot::changes`]: a checkpoint computed from an older
    /// store would miss a write) and has no later one that a status at `now` could resume (a
    /// later one that is after `now`, saved by a status of a later instant, is of no use to
    /// statuses at this one: it is replaced). Waits only briefly for other writers: a
    /// checkpoint is worth a short wait, not a long one. Says whether it was saved.
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
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (Some(boundary), Some(now)) =
            (boundary.timestamp_nanos_opt(), now.timestamp_nanos_opt())
        else {
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
                "SELECT EXISTS (SELECT 1 FROM checkpoints \
                 WHERE key = ?1 AND boundary > ?2 AND boundary <= ?3)",
                params![key, boundary, now],
                |row| row.get(0),
            )?;
            if later || read_changes(&transaction)? != as_of {
                return Ok(false);
            }
            let [donors, subscriptions] = keys;
            let too_long = |_| rusqlite::Error::ToSqlConversionFailure("too many keys".into());
            // Deleted, then inserted: an upsert would make SQLite build the new zero-filled
            // blobs in memory (tens of megabytes at millions of gifts), an insert writes them
            // to their pages directly.
            transaction.execute("DELETE FROM checkpoints WHERE key = ?1", [key])?;
            transaction.execute(
                "INSERT INTO checkpoints (key, boundary, tally, donors, subscriptions) \
                 VALUES (?1, ?2, ?3, zeroblob(?4), zeroblob(?5))",
                params![
                    key,
                    boundary,
                    tally,
                    i64::try_from(donors.len).map_err(too_long)?,
                    i64::try_from(subscriptions.len).map_err(too_long)?
                ],
            )?;
            let row = transaction.last_insert_rowid();
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
}

impl Snapshot {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boundary_is_a_whole_hour_at_least_an_hour_back() {
        for (now, boundary) in [
            ("2023-12-26T10:59:59.999Z", "2023-12-26T09:00:00Z"),
            ("2023-12-26T11:00:00Z", "2023-12-26T10:00:00Z"),
            ("2023-12-26T00:30:00Z", "2023-12-25T23:00:00Z"),
        ] {
            let now: DateTime<Utc> = now.parse().unwrap();
            let expected: DateTime<Utc> = boundary.parse().unwrap();
            assert_eq!(checkpoint_boundary(now), expected, "{now}");
            assert!(now - checkpoint_boundary(now) >= CHECKPOINT_LAG);
        }
    }
}
