//! The store's schema, created and migrated by jauge itself. Each migration is recorded in the
//! `migrations` table with the time it ran; a store whose newest migration is beyond what this
//! build knows is refused rather than misread.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// `PRAGMA application_id` of a jauge store ("jaug"), so tools like `file` can tell one, and
/// jauge can tell another application's database from its own.
const APPLICATION_ID: i32 = 0x6A61_7567;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Every migration, in order: version `i + 1` is `MIGRATIONS[i]`.
const MIGRATIONS: [(&str, &str); 6] = [
    (
        "gifts, journal and meta",
        "
    -- One row per gift, in the ledger's twelve columns, NULL where the ledger's field is
    -- empty. Amounts are whole numbers of the currency's minor units (3000 is 30.00 EUR: exact,
    -- never REAL); instants are nanoseconds since 1970-01-01T00:00:00Z. `seq` is the order of
    -- first recording, which is the order of the CSV export.
    CREATE TABLE gifts (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        received_at INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        currency TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('confirmed', 'pending', 'failed', 'refunded')),
        kind TEXT NOT NULL CHECK (kind IN ('one_off', 'monthly', 'yearly')),
        subscription_id TEXT,
        channel TEXT NOT NULL,
        donor TEXT,
        fee INTEGER,
        refunded INTEGER,
        matched_by TEXT
    );
    CREATE INDEX gifts_by_time ON gifts (received_at);
    -- Saved tallies of the gifts received before `boundary` (nanoseconds, as received_at), one
    -- per campaign's counting settings (`key`): a status then counts only the gifts after it.
    -- A write of a gift received before a boundary deletes that checkpoint in its transaction.
    CREATE TABLE checkpoints (
        key TEXT PRIMARY KEY,
        boundary INTEGER NOT NULL,
        tally BLOB NOT NULL
    );
    -- Append-only: jauge never updates or deletes a journal row.
    CREATE TABLE journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        gift_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'rejected')),
        source TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        before TEXT,
        after TEXT,
        reason TEXT
    );
    CREATE INDEX journal_by_gift ON journal (gift_id, seq);
    CREATE TRIGGER journal_is_append_only_update BEFORE UPDATE ON journal
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    CREATE TRIGGER journal_is_append_only_delete BEFORE DELETE ON journal
        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
    INSERT INTO meta (key, value) VALUES ('changes', 0);
    ",
    ),
    (
        "platform events",
        "
    -- Every webhook event taken, once: a delivery that comes again is recognised by its
    -- platform's id and changes nothing. `outcome` says what it did to the ledger.
    CREATE TABLE events (
        platform TEXT NOT NULL,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'ignored', 'rejected')),
        reason TEXT,
        PRIMARY KEY (platform, id)
    ) WITHOUT ROWID;
    ",
    ),
    (
        "gifts by subscription",
        "
    -- A subscription is paid at one interval: a write checks the subscription's other gifts.
    CREATE INDEX gifts_by_subscription ON gifts (subscription_id) WHERE subscription_id IS NOT NULL;
    ",
    ),
    (
        "checkpoints keep donors and subscriptions apart",
        "
    -- A checkpoint's donors (sorted 8-byte fingerprints) and subscriptions (sorted fixed-width
    -- states) beside its tally, read and written a piece at a time: a status holds neither in
    -- memory. Older checkpoints carried them inside the tally and are rebuilt.
    DELETE FROM checkpoints;
    ALTER TABLE checkpoints ADD COLUMN donors BLOB NOT NULL DEFAULT x'';
    ALTER TABLE checkpoints ADD COLUMN subscriptions BLOB NOT NULL DEFAULT x'';
    ",
    ),
    (
        "reversals: refunds whose gift the export does not name",
        "
    -- Money given back whose gift is not named (a refund in Stripe's balance export): counted
    -- against the total until a report of its gift's refund matches it (`matched_to`, the gift's
    -- id). Amounts in minor units, instants in nanoseconds, as for gifts. Never deleted.
    CREATE TABLE reversals (
        id TEXT PRIMARY KEY,
        received_at INTEGER NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        currency TEXT NOT NULL,
        matched_to TEXT
    );
    -- Each refund learnt of a gift (how much more was given back, on a gift received at
    -- `gift_received_at`), and the reversal it is, once one is matched to it: a reversal and a
    -- refund reported in either order meet here, so the money is never taken off twice.
    CREATE TABLE refunds_learnt (
        gift_id TEXT NOT NULL,
        amount INTEGER NOT NULL,
        currency TEXT NOT NULL,
        gift_received_at INTEGER NOT NULL,
        reversal TEXT
    );
    CREATE INDEX refunds_learnt_by_amount ON refunds_learnt (amount, currency);
    INSERT INTO refunds_learnt (gift_id, amount, currency, gift_received_at)
        SELECT id, refunded, currency, received_at FROM gifts WHERE status = 'refunded' AND refunded > 0;
    ",
    ),
    (
        "catch-ups: when each platform was last asked what it sent",
        "
    -- When jauge last asked a platform for the events it may have missed (`at`), and the
    -- newest event instant it holds from that platform (`through`): the next catch-up asks from
    -- there. RFC 3339 text, as the journal's instants.
    CREATE TABLE catch_ups (
        platform TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        through TEXT NOT NULL
    );
",
    ),
];

/// What the file holds, as far as the schema goes.
enum Found {
    /// A new, empty database.
    Empty,
    /// A jauge store at this schema version.
    Jauge(u32),
}

fn inspect(connection: &Connection, path: &Path) -> Result<Found, StoreError> {
    let not_a_store = |reason: &str| StoreError::NotAStore {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    // One statement, so one snapshot: read apart, another process creating the store between
    // the two reads would show tables without jauge's id, a foreign database.
    let (application_id, tables): (i32, i64) = connection
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id()), \
                    (SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%')",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .map_err(|e| crate::not_a_store_or(path, e))?;
    match (application_id, tables) {
        (0, 0) => Ok(Found::Empty),
        (APPLICATION_ID, _) => {
            let version: i64 = connection
                .query_row(
                    "SELECT coalesce(max(version), 0) FROM migrations",
                    [],
                    |row| row.get(0),
                )
                .map_err(|_| not_a_store("it has no migrations table"))?;
            Ok(Found::Jauge(version.clamp(0, i64::from(u32::MAX)) as u32))
        }
        (0, _) => Err(not_a_store(
            "it is another application's SQLite database (it has tables, none of jauge's)",
        )),
        (other, _) => Err(not_a_store(&format!(
            "it is another application's SQLite database (application id {other:#x})"
        ))),
    }
}

/// Makes sure the store at `connection` is at [`SCHEMA_VERSION`]: creates the schema in an
/// empty file, migrates an older one, refuses a newer one or a foreign database. A store
/// already current is only read, so a reader never waits for a writer here.
pub(crate) fn prepare(connection: &mut Connection, path: &Path) -> Result<(), StoreError> {
    migrate_to(connection, path, SCHEMA_VERSION)?;
    // A first import writes in rollback-journal mode (`Store::bulk_writer`); one that was
    // stopped before its commit leaves the store in that mode.
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .map_err(crate::sqlite(path))?;
    if mode.eq_ignore_ascii_case("wal") {
        Ok(())
    } else {
        restore_wal(connection, path)
    }
}

/// How long switching into WAL mode is tried again while another connection holds the file.
const MODE_SWITCH_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Puts the store in WAL mode, where readers keep their snapshot while a writer commits.
pub(crate) fn restore_wal(connection: &Connection, path: &Path) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    loop {
        match connection.query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        }) {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(mode) => {
                return Err(StoreError::NotAStore {
                    path: path.to_owned(),
                    reason: format!(
                        "SQLite could not put it in WAL mode (it stays in {mode} mode)"
                    ),
                })
            }
            // Switching modes needs the file to itself for a moment, and SQLite answers busy
            // at once rather than waiting: two connections opening a new store together (a
            // server's receiver and its site, an import beside a server) would fail for
            // nothing. Tried again for a while.
            Err(rusqlite::Error::SqliteFailure(f, _))
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && started.elapsed() < MODE_SWITCH_WAIT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => return Err(crate::busy_or(path, e, started)),
        }
    }
}

/// Brings the store up to schema version `target` (tests make older stores with it).
fn migrate_to(connection: &mut Connection, path: &Path, target: u32) -> Result<(), StoreError> {
    if let Found::Jauge(version) = inspect(connection, path)? {
        if version == target {
            return Ok(());
        }
        refuse_newer(path, version)?;
    }
    let started = std::time::Instant::now();
    let sqlite = crate::sqlite(path);
    // WAL lets readers keep their snapshot while a writer commits; the mode is kept in the file.
    restore_wal(connection, path)?;
    let transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| crate::busy_or(path, e, started))?;
    // Another process may have created or migrated it while this one waited for the lock.
    let from = match inspect(&transaction, path)? {
        Found::Empty => {
            transaction
                .execute_batch(
                    "CREATE TABLE migrations (
                        version INTEGER PRIMARY KEY,
                        description TEXT NOT NULL,
                        applied_at TEXT NOT NULL
                    );",
                )
                .map_err(&sqlite)?;
            transaction
                .pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(&sqlite)?;
            0
        }
        Found::Jauge(version) => version,
    };
    refuse_newer(path, from)?;
    let wanted = MIGRATIONS.iter().enumerate().take(target as usize);
    for (index, (description, sql)) in wanted.skip(from as usize) {
        transaction.execute_batch(sql).map_err(&sqlite)?;
        transaction
            .execute(
                "INSERT INTO migrations (version, description, applied_at) \
                 VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                rusqlite::params![index as i64 + 1, description],
            )
            .map_err(&sqlite)?;
    }
    transaction
        .pragma_update(None, "user_version", target)
        .map_err(&sqlite)?;
    transaction.commit().map_err(&sqlite)
}

fn refuse_newer(path: &Path, version: u32) -> Result<(), StoreError> {
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn a_store_from_a_newer_jauge_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        drop(Store::create(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .execute(
                "INSERT INTO migrations VALUES (?1, 'from the future', '2030-01-01T00:00:00Z')",
                [SCHEMA_VERSION + 1],
            )
            .unwrap();
        let error = Store::open(&path).err().unwrap().to_string();
        assert_eq!(
            error,
            format!(
                "{}: written by a newer jauge (schema version {}; this jauge knows up to {SCHEMA_VERSION}): upgrade jauge to read it",
                path.display(),
                SCHEMA_VERSION + 1
            )
        );
    }

    #[test]
    fn a_store_of_the_first_schema_is_migrated_with_its_gifts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut connection =
            crate::connect(&path, true, std::time::Duration::from_secs(5)).unwrap();
        migrate_to(&mut connection, &path, 1).unwrap();
        connection
            .execute(
                "INSERT INTO gifts (id, received_at, amount, currency, status, kind, channel) \
                 VALUES ('g-1', 1701424800000000000, 3000, 'EUR', 'confirmed', 'one_off', 'online')",
                [],
            )
            .unwrap();
        drop(connection);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.len().unwrap(), 1);
        let connection = Connection::open(&path).unwrap();
        let versions: Vec<(i64, String)> = connection
            .prepare("SELECT version, description FROM migrations ORDER BY version")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            versions,
            [
                (1, "gifts, journal and meta".to_owned()),
                (2, "platform events".to_owned()),
                (3, "gifts by subscription".to_owned()),
                (
                    4,
                    "checkpoints keep donors and subscriptions apart".to_owned()
                ),
                (
                    5,
                    "reversals: refunds whose gift the export does not name".to_owned()
                ),
                (
                    6,
                    "catch-ups: when each platform was last asked what it sent".to_owned()
                )
            ]
        );
        let events: i64 = connection
            .query_row("SELECT count(*) FROM events", [], |row| row.get(0))
            .unwrap();
        assert_eq!(events, 0);
    }

    #[test]
    fn migrations_are_recorded_once_and_the_journal_is_append_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        drop(Store::create(&path).unwrap());
        drop(Store::create(&path).unwrap());
        let connection = Connection::open(&path).unwrap();
        let count: i64 = connection
            .query_row("SELECT count(*) FROM migrations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, i64::from(SCHEMA_VERSION));
        let mode: String = connection
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        connection
            .execute(
                "INSERT INTO journal (gift_id, action, source, recorded_at) \
                 VALUES ('a', 'created', 'x', '2023-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
        let refused = connection.execute("DELETE FROM journal", []).unwrap_err();
        assert!(refused.to_string().contains("append-only"), "{refused}");
    }
}
