//! What a tally keeps of each subscription, and how it is written to be kept on disk.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{CheckpointError, StatusError};
use crate::donation::Interval;
use crate::money::MoneyError;

/// What the recurring rules need to know of one subscription, kept small (a large campaign has
/// a hundred thousand of them): instants in microseconds, amounts in minor units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Subscription {
    pub(crate) interval: Interval,
    pub(crate) matched: bool,
    pub(crate) payments: u32,
    pub(crate) received: i64,
    pub(crate) first: (i64, i64),
    pub(crate) last: (i64, i64),
}

/// An amount at the campaign currency's scale, in minor units.
pub(crate) fn to_minor(value: Decimal, scale: u32) -> Result<i64, StatusError> {
    let mut value = value;
    value.rescale(scale);
    i64::try_from(value.mantissa()).map_err(|_| StatusError::Money(MoneyError::Overflow))
}

impl Subscription {
    /// Adds what another part of the ledger counted of the same subscription.
    pub(crate) fn absorb(&mut self, key: u128, theirs: Subscription) -> Result<(), StatusError> {
        if self.interval != theirs.interval {
            return Err(StatusError::IntervalConflict {
                subscription: format!("with fingerprint {key:032x}"),
                id: String::from("(in another part of the ledger)"),
            });
        }
        self.payments += theirs.payments;
        self.received = self
            .received
            .checked_add(theirs.received)
            .ok_or(StatusError::Money(MoneyError::Overflow))?;
        self.first = self.first.min(theirs.first);
        self.last = self.last.max(theirs.last);
        self.matched |= theirs.matched;
        Ok(())
    }

    pub(crate) fn received(&self, scale: u32) -> Decimal {
        Decimal::new(self.received, scale)
    }
    pub(crate) fn first_value(&self, scale: u32) -> Decimal {
        Decimal::new(self.first.1, scale)
    }
    pub(crate) fn first_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.first.0).unwrap_or_default()
    }
    pub(crate) fn last_value(&self, scale: u32) -> Decimal {
        Decimal::new(self.last.1, scale)
    }
    pub(crate) fn last_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.last.0).unwrap_or_default()
    }
}

/// Donors and subscriptions taken out of a tally by [`Tally::drain_keys`](super::Tally::drain_keys), each sorted.
#[derive(Debug, Default)]
pub struct Keys {
    /// The donors' fingerprints, sorted, each once.
    pub donors: Vec<u64>,
    /// The subscriptions, sorted by [`SubscriptionState::key`], each once.
    pub subscriptions: Vec<SubscriptionState>,
}

/// What a tally knows of one subscription: its payments so far, their sum, the first and the
/// last. Written as [`SubscriptionState::BYTES`] bytes whose order is the order of the keys, so
/// that sorted runs of them can be merged on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionState {
    pub(crate) key: u128,
    pub(crate) inner: Subscription,
}

impl SubscriptionState {
    /// The size of [`SubscriptionState::to_bytes`].
    pub const BYTES: usize = 16 + 1 + 1 + 4 + 5 * 8;

    /// The subscription's fingerprint: states of one subscription share it.
    pub fn key(&self) -> u128 {
        self.key
    }

    /// Adds what another part of the ledger counted of the same subscription.
    ///
    /// # Errors
    ///
    /// [`StatusError::IntervalConflict`] if the parts pay at two intervals, or an overflow.
    pub fn absorb(&mut self, other: SubscriptionState) -> Result<(), StatusError> {
        self.inner.absorb(self.key, other.inner)
    }

    /// The state as bytes, the key first and big-endian (so bytes sort as keys do).
    pub fn to_bytes(&self) -> [u8; Self::BYTES] {
        let mut out = [0u8; Self::BYTES];
        let s = &self.inner;
        out[..16].copy_from_slice(&self.key.to_be_bytes());
        out[16] = match s.interval {
            Interval::Monthly => 0,
            Interval::Yearly => 1,
        };
        out[17] = u8::from(s.matched);
        out[18..22].copy_from_slice(&s.payments.to_le_bytes());
        for (i, n) in [s.received, s.first.0, s.first.1, s.last.0, s.last.1]
            .into_iter()
            .enumerate()
        {
            out[22 + 8 * i..30 + 8 * i].copy_from_slice(&n.to_le_bytes());
        }
        out
    }

    /// Reads back [`SubscriptionState::to_bytes`].
    ///
    /// # Errors
    ///
    /// [`CheckpointError::Damaged`] for bytes no state writes.
    pub fn from_bytes(bytes: &[u8; Self::BYTES]) -> Result<SubscriptionState, CheckpointError> {
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[22 + 8 * i..30 + 8 * i]);
            i64::from_le_bytes(w)
        };
        let mut key = [0u8; 16];
        key.copy_from_slice(&bytes[..16]);
        let interval = match bytes[16] {
            0 => Interval::Monthly,
            1 => Interval::Yearly,
            _ => return Err(CheckpointError::Damaged("an unknown interval")),
        };
        let matched = match bytes[17] {
            0 => false,
            1 => true,
            _ => return Err(CheckpointError::Damaged("an unknown flag")),
        };
        let mut payments = [0u8; 4];
        payments.copy_from_slice(&bytes[18..22]);
        Ok(SubscriptionState {
            key: u128::from_be_bytes(key),
            inner: Subscription {
                interval,
                matched,
                payments: u32::from_le_bytes(payments),
                received: word(0),
                first: (word(1), word(2)),
                last: (word(3), word(4)),
            },
        })
    }
}
