//! Connections to a store, all opened alike, and what every part reads of them.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};

use crate::{not_a_store_or, sqlite, StoreError};

/// The time a record is made, as the store writes it: always six fractional digits, so that the
/// text sorts as the instants do and SQL can compare it.
pub(crate) fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Opens a connection with the settings every connection to a store gets.
pub(crate) fn connect(
    path: &Path,
    create: bool,
    busy_timeout: Duration,
) -> Result<Connection, StoreError> {
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
pub(crate) fn read_changes(connection: &Connection) -> rusqlite::Result<u64> {
    connection
        .query_row("SELECT value FROM meta WHERE key = 'changes'", [], |row| {
            row.get::<_, i64>(0)
        })
        .map(|n| n as u64)
}
