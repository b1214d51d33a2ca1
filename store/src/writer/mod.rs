//! Writes: one transaction each, the store's rules applied to every gift, every change journaled.

mod open;

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use jauge::{Donation, Money};
use rusqlite::{params, OptionalExtension};

use crate::columns::{self, NAMES as GIFT_COLUMNS};
use crate::journal::encode_gift;
use crate::outcomes::{EventOutcome, Recorded, Refunded, ReversalRecorded, Voided, VOIDED};
use crate::row::RowParser;
use crate::{rules, sqlite, Action, StoreError};

/// Journal rows are inserted this many at a time (and before anything reads the journal), so
/// that an import's gifts fill pages side by side in the file rather than one gift page between
/// every two journal pages: a count reads the gifts table from end to end, and a twenty-million
/// gift store is 8 GiB, a fifth of it gifts. About 5 MB of rows.
pub(crate) const JOURNAL_BATCH: usize = 20_000;

/// A journal row waiting to be inserted, as it will be.
struct JournalRow {
    id: String,
    action: Action,
    source: String,
    before: Option<String>,
    after: Option<String>,
    reason: Option<String>,
}

/// One write: a transaction holding the store's write lock. Nothing is written unless
/// [`Writer::commit`] is called.
pub struct Writer<'s> {
    path: PathBuf,
    connection: &'s rusqlite::Connection,
    transaction: rusqlite::Transaction<'s>,
    /// The write began in rollback-journal mode (see [`Store::bulk_writer`]): the store goes
    /// back to WAL mode after it.
    pub(crate) bulk: bool,
    recorded_at: String,
    changed: bool,
    /// The journal's last entry when this write began.
    journal_before: i64,
    /// Journal rows not yet inserted (see [`JOURNAL_BATCH`]).
    deferred: Vec<JournalRow>,
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
        self.record_noted(gift, source, None)
    }

    /// As [`Writer::record`], with a note kept in the journal beside a new gift (why it was
    /// entered by hand, a cheque's number).
    ///
    /// # Errors
    ///
    /// As [`Writer::record`].
    pub fn record_noted(
        &mut self,
        gift: &Donation,
        source: &str,
        note: Option<&str>,
    ) -> Result<Recorded, StoreError> {
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
            self.journal(gift.id(), Action::Created, source, None, Some(gift), note)?;
            if let jauge::DonationStatus::Refunded { refunded } = gift.status() {
                if !refunded.amount().is_zero() {
                    self.learn_refund(gift, *refunded, source)?;
                }
            }
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
        // A gift cancelled by hand stays cancelled: the rules would take a confirmed report of
        // it as progress past its failure.
        if *held.status() == jauge::DonationStatus::Failed {
            self.flush_journal()?;
            let voided = crate::journal::voiding(&self.transaction, gift.id())
                .map_err(sqlite(&self.path))?;
            if let Some(voiding) = voided {
                return Ok(Recorded::Conflict {
                    there: voiding.by,
                    difference: format!("it was cancelled ({}) and stays so", voiding.reason),
                });
            }
        }
        self.replace(&held, &merged, source)?;
        if let Some(grown) = refund_growth(&held, &merged) {
            self.learn_refund(&held, grown, source)?;
        }
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
                if let Some(grown) = refund_growth(&held, &refunded) {
                    self.learn_refund(&held, grown, source)?;
                }
                Ok(Refunded::Applied { before: held })
            }
            Err(e) => Ok(Refunded::Refused(e.to_string())),
        }
    }

    /// Cancels the gift `id` with `reason`: its status becomes failed (never counted), the gift
    /// and its history stay, and the journal keeps who (`source`), when and why. For gifts
    /// entered by hand: a platform's gift is reversed by the platform's own refund or failure.
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn void(&mut self, id: &str, source: &str, reason: &str) -> Result<Voided, StoreError> {
        let reason = format!("{VOIDED}{reason}");
        let Some(held) = self.get(id)? else {
            return Ok(Voided::UnknownGift);
        };
        if *held.status() == jauge::DonationStatus::Failed {
            return Ok(Voided::AlreadyVoid);
        }
        let voided = held
            .clone()
            .with_status(jauge::DonationStatus::Failed)
            .map_err(|e| StoreError::Unstorable {
                path: self.path.clone(),
                id: id.to_owned(),
                reason: e.to_string(),
            })?;
        self.replace_because(&held, &voided, source, Some(&reason))?;
        Ok(Voided::Applied { before: held })
    }

    /// Records money given back whose gift is not named (`id` is the refund's own): counted
    /// against the total until [`Writer::refund`] or [`Writer::record`] reports a refund of the
    /// same amount on a gift received before it, which it is then matched to (journaled).
    ///
    /// # Errors
    ///
    /// SQLite fails, or the amount or instant cannot be kept.
    pub fn record_reversal(
        &mut self,
        id: &str,
        amount: Money,
        at: DateTime<Utc>,
        source: &str,
    ) -> Result<ReversalRecorded, StoreError> {
        let unstorable = |reason: &str| StoreError::Unstorable {
            path: self.path.clone(),
            id: id.to_owned(),
            reason: reason.to_owned(),
        };
        let minor = i64::try_from(amount.amount().mantissa())
            .ok()
            .filter(|m| *m > 0)
            .ok_or_else(|| {
                unstorable("a reversal gives back more than zero, within 2^63 minor units")
            })?;
        let nanos = at
            .timestamp_nanos_opt()
            .ok_or_else(|| unstorable("its instant is outside the years 1677 to 2262"))?;
        let held: Option<(i64, i64, String)> = self
            .transaction
            .prepare_cached("SELECT received_at, amount, currency FROM reversals WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    .optional()
            })
            .map_err(sqlite(&self.path))?;
        if let Some((held_at, held_minor, currency)) = held {
            return Ok(
                if (held_at, held_minor, currency.as_str())
                    == (nanos, minor, amount.currency().code())
                {
                    ReversalRecorded::Unchanged
                } else {
                    ReversalRecorded::Conflict(format!(
                        "held with {} {currency} at another instant or amount",
                        Money::from_minor(held_minor, amount.currency()).amount()
                    ))
                },
            );
        }
        // A refund of the same amount learnt already, on a gift received before: that is it.
        let currency = amount.currency();
        let currency = currency.code();
        let learnt: Option<(i64, String)> = self
            .transaction
            .prepare_cached(
                "SELECT rowid, gift_id FROM refunds_learnt WHERE reversal IS NULL AND amount = ?1 \
                 AND currency = ?2 AND gift_received_at <= ?3 \
                 ORDER BY gift_received_at, gift_id LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row(params![minor, currency, nanos], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .optional()
            })
            .map_err(sqlite(&self.path))?;
        let matched_to = learnt.as_ref().map(|(_, gift)| gift.clone());
        self.transaction
            .prepare_cached(
                "INSERT INTO reversals (id, received_at, amount, currency, matched_to) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| s.execute(params![id, nanos, minor, currency, matched_to]))
            .map_err(sqlite(&self.path))?;
        if let Some((row, _)) = &learnt {
            self.transaction
                .prepare_cached("UPDATE refunds_learnt SET reversal = ?2 WHERE rowid = ?1")
                .and_then(|mut s| s.execute(params![row, id]))
                .map_err(sqlite(&self.path))?;
        }
        self.changed = true;
        let reason = match &matched_to {
            Some(gift) => matched(gift, amount),
            None => format!(
                "{amount} given back, its gift not named: counted against the total until matched"
            ),
        };
        self.journal(id, Action::Created, source, None, None, Some(&reason))?;
        Ok(if matched_to.is_some() {
            ReversalRecorded::Matched
        } else {
            ReversalRecorded::Added
        })
    }

    /// Notes that `grown` more of the gift `held` was given back: matched to the earliest
    /// unmatched reversal of exactly that amount received at or after the gift, if there is one
    /// (the refund is then the gift's, no longer counted apart), and kept for a reversal that
    /// comes later otherwise.
    fn learn_refund(
        &mut self,
        held: &Donation,
        grown: Money,
        source: &str,
    ) -> Result<(), StoreError> {
        let (Ok(minor), Some(since)) = (
            i64::try_from(grown.amount().mantissa()),
            held.received_at().timestamp_nanos_opt(),
        ) else {
            return Ok(());
        };
        let currency = grown.currency();
        let currency = currency.code();
        let found: Option<String> = self
            .transaction
            .prepare_cached(
                "SELECT id FROM reversals WHERE matched_to IS NULL AND amount = ?1 \
                 AND currency = ?2 AND received_at >= ?3 ORDER BY received_at, id LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row(params![minor, currency, since], |row| row.get(0))
                    .optional()
            })
            .map_err(sqlite(&self.path))?;
        self.transaction
            .prepare_cached(
                "INSERT INTO refunds_learnt (gift_id, amount, currency, gift_received_at, reversal) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| s.execute(params![held.id(), minor, currency, since, found]))
            .map_err(sqlite(&self.path))?;
        let Some(reversal) = found else {
            return Ok(());
        };
        self.transaction
            .prepare_cached("UPDATE reversals SET matched_to = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute([reversal.as_str(), held.id()]))
            .map_err(sqlite(&self.path))?;
        self.journal(
            &reversal,
            Action::Updated,
            source,
            None,
            None,
            Some(&matched(held.id(), grown)),
        )
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

    /// Notes that `platform` was asked at `at` for the events it may have missed, and that the
    /// store now holds its events through `through` (see [`Store::caught_up`](crate::Store::caught_up)).
    ///
    /// # Errors
    ///
    /// SQLite fails.
    pub fn record_catch_up(
        &mut self,
        platform: &str,
        at: DateTime<Utc>,
        through: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.transaction
            .prepare_cached(
                "INSERT INTO catch_ups (platform, at, through) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (platform) DO UPDATE SET at = ?2, through = ?3",
            )
            .and_then(|mut s| {
                s.execute(params![
                    platform,
                    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    through.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ])
            })
            .map_err(sqlite(&self.path))?;
        self.changed = true;
        Ok(())
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
    pub fn created_in_this_write(&mut self, id: &str) -> Result<bool, StoreError> {
        self.flush_journal()?;
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
    fn created_from(&mut self, id: &str) -> Result<String, StoreError> {
        self.flush_journal()?;
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
        self.replace_because(held, new, source, None)
    }

    /// As [`Writer::replace`], with the reason the journal keeps.
    fn replace_because(
        &mut self,
        held: &Donation,
        new: &Donation,
        source: &str,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
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
            reason,
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
        self.deferred.push(JournalRow {
            id: id.to_owned(),
            action,
            source: source.to_owned(),
            before: before.map(encode_gift),
            after: after.map(encode_gift),
            reason: reason.map(str::to_owned),
        });
        self.changed = true;
        if self.deferred.len() >= JOURNAL_BATCH {
            self.flush_journal()?;
        }
        Ok(())
    }

    /// Inserts the deferred journal rows, in the order they came.
    fn flush_journal(&mut self) -> Result<(), StoreError> {
        if self.deferred.is_empty() {
            return Ok(());
        }
        let mut statement = self
            .transaction
            .prepare_cached(
                "INSERT INTO journal (gift_id, action, source, recorded_at, before, after, reason) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(sqlite(&self.path))?;
        for row in self.deferred.drain(..) {
            statement
                .execute(params![
                    row.id,
                    row.action.as_str(),
                    row.source,
                    self.recorded_at,
                    row.before,
                    row.after,
                    row.reason
                ])
                .map_err(sqlite(&self.path))?;
        }
        Ok(())
    }

    /// Makes everything this write did durable, at once.
    ///
    /// # Errors
    ///
    /// SQLite cannot commit (a full disk): then nothing of this write is in the store.
    pub fn commit(mut self) -> Result<(), StoreError> {
        self.flush_journal()?;
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
        self.transaction.commit().map_err(sqlite(&self.path))?;
        if self.bulk {
            // Back to WAL for readers beside writers. The gifts are committed whatever happens
            // here, and the write must not say otherwise: should another connection hold the
            // file now, the next open puts it back (`schema::prepare`).
            let _ = crate::schema::restore_wal(self.connection, &self.path);
        }
        Ok(())
    }
}

/// How much more of a gift is refunded in `after` than in `before`, if more.
fn refund_growth(before: &Donation, after: &Donation) -> Option<Money> {
    let refunded = |gift: &Donation| match gift.status() {
        jauge::DonationStatus::Refunded { refunded } => refunded.amount(),
        _ => jauge::Decimal::ZERO,
    };
    let grown = refunded(after) - refunded(before);
    (grown > jauge::Decimal::ZERO).then(|| Money::rounded(grown, after.amount().currency()))
}

/// The journal's words for a reversal matched to its gift.
fn matched(gift: &str, amount: Money) -> String {
    format!(
        "matched to {gift}: its refund of {amount} (same amount, after the gift), no longer counted apart"
    )
}
