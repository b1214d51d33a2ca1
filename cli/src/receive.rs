//! A platform's event, read by `jauge-platforms`, applied to the store in one transaction, exactly
//! once: what `jauge hook` does with a saved delivery, and what the webhook receiver will do with
//! a live one (answering 2xx only once this has committed).

use std::path::Path;

use chrono::{DateTime, Utc};
use jauge_platforms::{Event, Interpretation, Operation};
use jauge_store::{EventOutcome, Recorded, Refunded, Store, Writer};

use crate::error::CliError;

/// The platforms whose events jauge reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    /// Stripe's webhook events.
    Stripe,
    /// HelloAsso's notifications.
    Helloasso,
    /// GoCardless's webhooks (each event's payment read through its API).
    Gocardless,
    /// Mollie's webhooks (each a nudge: the payment read through its API).
    Mollie,
    /// PayPal's webhooks.
    Paypal,
    /// Open Collective's transactions (polled).
    Opencollective,
    /// Liberapay's weekly receipts (polled).
    Liberapay,
}

impl Platform {
    /// The name the store keeps events under.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Stripe => "stripe",
            Platform::Helloasso => "helloasso",
            Platform::Gocardless => "gocardless",
            Platform::Mollie => "mollie",
            Platform::Paypal => "paypal",
            Platform::Opencollective => "opencollective",
            Platform::Liberapay => "liberapay",
        }
    }
}

/// What applying an event did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Its gifts and refunds are in the store: how many gifts it added or changed.
    Applied {
        /// Gifts added or moved forward.
        changed: usize,
    },
    /// Taken before: nothing changed.
    AlreadyTaken(EventOutcome),
    /// Nothing for the ledger, and why (kept in the store's `events`).
    Ignored(String),
    /// The store refused what it said, and why (kept in the store's `events` and journal).
    Rejected(String),
}

/// Applies `event` of `platform` to the store at `store`, in one transaction.
///
/// # Errors
///
/// The store cannot be written (busy past `wait`, full disk): nothing of the event is kept and a
/// platform should retry. [`CliError::GiftNotYetKnown`] for a refund of a gift the store does
/// not hold yet (a dispute delivered before its charge): nothing is kept, and the retry after the
/// charge has come applies it.
pub fn apply(
    store: &Path,
    platform: Platform,
    event: &Event,
    recorded_at: DateTime<Utc>,
    wait: std::time::Duration,
) -> Result<Applied, CliError> {
    let mut store = Store::open_with(store, true, wait)?;
    apply_to(&mut store, platform, event, recorded_at)
}

/// Applies a delivery's `events` of `platform` to the store at `store`, in one transaction
/// (see [`apply_all_to`]).
///
/// # Errors
///
/// As [`apply`].
pub fn apply_all(
    store: &Path,
    platform: Platform,
    events: &[Event],
    recorded_at: DateTime<Utc>,
    wait: std::time::Duration,
) -> Result<Vec<Applied>, CliError> {
    let mut store = Store::open_with(store, true, wait)?;
    apply_all_to(&mut store, platform, events, recorded_at)
}

/// [`apply`] on a store already open: what the webhook receiver does, which keeps one
/// connection for all its events.
///
/// # Errors
///
/// As [`apply`].
pub fn apply_to(
    store: &mut Store,
    platform: Platform,
    event: &Event,
    recorded_at: DateTime<Utc>,
) -> Result<Applied, CliError> {
    let mut applied = apply_all_to(store, platform, std::slice::from_ref(event), recorded_at)?;
    Ok(applied.remove(0))
}

/// Applies `events` of `platform` in one transaction: all of them, or (on an error) none, so a
/// delivery of several events (GoCardless sends up to 250) is retried whole or taken whole.
///
/// # Errors
///
/// As [`apply`], for any of them: nothing of any is kept.
pub fn apply_all_to(
    store: &mut Store,
    platform: Platform,
    events: &[Event],
    recorded_at: DateTime<Utc>,
) -> Result<Vec<Applied>, CliError> {
    let mut writer = store.writer(recorded_at)?;
    let mut applied = Vec::with_capacity(events.len());
    for event in events {
        applied.push(apply_in(&mut writer, platform, event)?);
    }
    writer.commit()?;
    Ok(applied)
}

/// One event's effect, in `writer`'s transaction.
fn apply_in(
    writer: &mut Writer<'_>,
    platform: Platform,
    event: &Event,
) -> Result<Applied, CliError> {
    if let Some(outcome) = writer.event_outcome(platform.name(), &event.id)? {
        return Ok(Applied::AlreadyTaken(outcome));
    }
    let source = format!("{} event {}", platform.name(), event.id);
    let (outcome, reason, applied) = match &event.outcome {
        Interpretation::Ignore(reason) => (
            EventOutcome::Ignored,
            Some(reason.clone()),
            Applied::Ignored(reason.clone()),
        ),
        Interpretation::Apply(operations) => {
            let mut changed = 0;
            let mut refused = None;
            for operation in operations {
                let refusal = match operation {
                    Operation::Record(gift) => match writer.record(gift, &source)? {
                        Recorded::Added | Recorded::Updated { .. } => {
                            changed += 1;
                            None
                        }
                        Recorded::Unchanged => None,
                        Recorded::Conflict { there, difference } => Some((
                            gift.id().to_owned(),
                            format!(
                                "donation {} conflicts with {there}: {difference}",
                                gift.id()
                            ),
                        )),
                    },
                    Operation::Refund { of, total } => match writer.refund(of, *total, &source)? {
                        Refunded::Applied { .. } => {
                            changed += 1;
                            None
                        }
                        Refunded::AlreadyCovered => None,
                        Refunded::UnknownGift => {
                            return Err(CliError::GiftNotYetKnown {
                                event: event.id.clone(),
                                gift: of.clone(),
                            })
                        }
                        Refunded::Refused(reason) => Some((of.clone(), reason)),
                    },
                };
                if let Some((gift, reason)) = refusal {
                    writer.reject(&gift, &source, &reason)?;
                    refused = Some(reason);
                }
            }
            match refused {
                Some(reason) => (
                    EventOutcome::Rejected,
                    Some(reason.clone()),
                    Applied::Rejected(reason),
                ),
                None => (EventOutcome::Applied, None, Applied::Applied { changed }),
            }
        }
    };
    writer.record_event(
        platform.name(),
        &event.id,
        &event.kind,
        outcome,
        reason.as_deref(),
    )?;
    Ok(applied)
}
