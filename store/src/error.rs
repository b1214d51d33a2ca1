//! What can go wrong with a store, each naming its file, and the helpers that say so.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::RowError;

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
    /// A platform's catch-up instant that does not read back (edited by hand, or damaged).
    #[error("{}: catch-up of {platform}: {reason}", path.display())]
    BadCatchUp {
        /// The path.
        path: PathBuf,
        /// The platform.
        platform: String,
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

pub(crate) fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite {
        path: path.to_owned(),
        source,
    }
}

pub(crate) fn not_a_store_or(path: &Path, error: rusqlite::Error) -> StoreError {
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

pub(crate) fn busy_or(
    path: &Path,
    error: rusqlite::Error,
    started: std::time::Instant,
) -> StoreError {
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
