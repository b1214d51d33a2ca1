//! Starting a write: the transaction that holds the store's write lock, in WAL mode, or in
//! rollback-journal mode for a first import written once.

use chrono::{DateTime, Utc};

use super::Writer;
use crate::connection::instant_text;
use crate::{sqlite, Store, StoreError};

impl Store {
    /// Starts a write: one transaction, which holds the store's write lock until
    /// [`Writer::commit`] (or until dropped, which writes nothing). `recorded_at` is the time
    /// the journal gives its entries.
    ///
    /// # Errors
    ///
    /// [`StoreError::Busy`] when another writer holds the store past the busy timeout.
    pub fn writer(&mut self, recorded_at: DateTime<Utc>) -> Result<Writer<'_>, StoreError> {
        self.writer_in(recorded_at, false)
    }

    /// Starts a write of many gifts into a store that has none yet (a first import): written
    /// once, straight into the file, where a write in WAL mode writes every page twice (into the
    /// log, then into the file). The store is in rollback-journal mode until the commit, still
    /// all or nothing across a crash, and readers wait meanwhile. A store that holds gifts, or
    /// that another connection has open (a server), gets an ordinary [`Store::writer`].
    ///
    /// # Errors
    ///
    /// As [`Store::writer`].
    pub fn bulk_writer(&mut self, recorded_at: DateTime<Utc>) -> Result<Writer<'_>, StoreError> {
        let empty: bool = self
            .connection
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM gifts) AND NOT EXISTS (SELECT 1 FROM journal)",
                [],
                |row| row.get(0),
            )
            .map_err(sqlite(&self.path))?;
        // Leaving WAL mode needs the only connection to the file; with another one open
        // SQLite refuses at once (or stays in WAL mode), and the write goes through the log.
        let bulk = empty
            && self
                .connection
                .query_row("PRAGMA journal_mode = DELETE", [], |row| {
                    row.get::<_, String>(0)
                })
                .is_ok_and(|mode| mode.eq_ignore_ascii_case("delete"));
        self.writer_in(recorded_at, bulk)
    }

    fn writer_in(
        &mut self,
        recorded_at: DateTime<Utc>,
        bulk: bool,
    ) -> Result<Writer<'_>, StoreError> {
        let path = self.path.clone();
        let started = std::time::Instant::now();
        // Unchecked only in that it takes `&Connection`: the writer keeps the connection to put
        // the store back in WAL mode after its commit, and borrows the store whole meanwhile.
        let transaction = rusqlite::Transaction::new_unchecked(
            &self.connection,
            rusqlite::TransactionBehavior::Immediate,
        )
        .map_err(|e| crate::busy_or(&path, e, started))?;
        let journal_before: i64 = transaction
            .query_row("SELECT coalesce(max(seq), 0) FROM journal", [], |row| {
                row.get(0)
            })
            .map_err(sqlite(&path))?;
        Ok(Writer {
            path,
            connection: &self.connection,
            transaction,
            bulk,
            recorded_at: instant_text(recorded_at),
            changed: false,
            journal_before,
            deferred: Vec::new(),
            earliest: None,
        })
    }
}
