//! The journal: every change to a gift, append-only, with its source and the gift before and
//! after; and what has changed since the last report.

use chrono::{DateTime, Utc};
use jauge::Donation;
use rusqlite::params;

use crate::connection::instant_text;
use crate::row::{self, RowParser, COLUMNS};
use crate::{sqlite, Store, StoreError};

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

/// A gift as the journal keeps it: its ledger row, as a JSON array of the twelve fields (the
/// columns of [`COLUMNS`]), readable with any SQLite client.
pub(crate) fn encode_gift(gift: &Donation) -> String {
    serde_json::to_string(&row::record(gift)).unwrap_or_default()
}

pub(crate) fn decode_gift(text: &str) -> Result<Donation, String> {
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

impl Store {
    /// Who cancelled the gift `id` with [`Writer::void`](crate::Writer::void), and why, if
    /// anyone did.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn voided(&self, id: &str) -> Result<Option<Voiding>, StoreError> {
        voiding(&self.connection, id).map_err(sqlite(&self.path))
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
        let path = self.path.clone();
        let transaction = self.immediate()?;
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
}

/// A gift cancelled by hand: who cancelled it, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voiding {
    /// The journal's source (`jauge void, by treasurer`).
    pub by: String,
    /// The reason given.
    pub reason: String,
}

/// The latest voiding of the gift `id` in the journal, on `connection` (a store's, or a write's
/// transaction, which sees its own entries).
pub(crate) fn voiding(
    connection: &rusqlite::Connection,
    id: &str,
) -> rusqlite::Result<Option<Voiding>> {
    use rusqlite::OptionalExtension;
    connection
        .prepare_cached(
            "SELECT source, reason FROM journal WHERE gift_id = ?1 AND reason LIKE ?2 \
             ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![id, format!("{}%", crate::VOIDED)], |row| {
            let reason: String = row.get(1)?;
            Ok(Voiding {
                by: row.get(0)?,
                reason: reason
                    .strip_prefix(crate::VOIDED)
                    .unwrap_or(&reason)
                    .to_owned(),
            })
        })
        .optional()
}
