//! A tally's running totals.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{checked_add, StatusError};
use crate::currency::Currency;
use crate::document::NotCountedReason;
use crate::donation::Donation;

/// Running totals, in the campaign currency's minor units as exact decimals.
#[derive(Default)]
pub(crate) struct Sums {
    pub(crate) gross: Decimal,
    pub(crate) fees: Decimal,
    pub(crate) refunds: Decimal,
    pub(crate) pending: Decimal,
    pub(crate) pending_count: u64,
    pub(crate) one_off: Decimal,
    pub(crate) matched: Decimal,
    pub(crate) trailing: Decimal,
    pub(crate) by_channel: [(u64, Decimal); 4],
    pub(crate) before_start: (u64, Decimal),
    pub(crate) after_deadline: (u64, Decimal),
    pub(crate) after_as_of: (u64, Decimal),
    pub(crate) failed: (u64, Decimal),
    /// Gifts that cannot be counted, by reason and currency, in their own currency.
    pub(crate) not_counted: BTreeMap<(NotCountedReason, Currency), Uncounted>,
    /// Refunds whose gift is not named yet (reversals), in the campaign's currency. Never in a
    /// checkpoint: a count adds them whole after resuming one, as a match changes them.
    pub(crate) reversals: (u64, Decimal),
}

/// Gifts not counted for one reason in one currency.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Uncounted {
    pub(crate) count: u64,
    pub(crate) amount: Decimal,
    /// The least id among them: the same whatever order the gifts come in.
    pub(crate) example: String,
}

impl Uncounted {
    pub(crate) fn absorb(&mut self, other: Uncounted) -> Result<(), StatusError> {
        self.count += other.count;
        self.amount = checked_add(self.amount, other.amount)?;
        if other.example < self.example {
            self.example = other.example;
        }
        Ok(())
    }
}

impl Sums {
    /// Keeps a gift that cannot be counted, under its reason.
    pub(crate) fn not_counted(
        &mut self,
        reason: NotCountedReason,
        donation: &Donation,
    ) -> Result<(), StatusError> {
        self.absorb_uncounted(
            (reason, donation.amount().currency()),
            Uncounted {
                count: 1,
                amount: donation.amount().amount(),
                example: donation.id().to_owned(),
            },
        )
    }

    pub(crate) fn absorb_uncounted(
        &mut self,
        key: (NotCountedReason, Currency),
        entry: Uncounted,
    ) -> Result<(), StatusError> {
        match self.not_counted.entry(key) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(entry);
                Ok(())
            }
            std::collections::btree_map::Entry::Occupied(mut slot) => slot.get_mut().absorb(entry),
        }
    }

    /// Adds another tally's sums to these.
    pub(crate) fn absorb(&mut self, other: &Sums) -> Result<(), StatusError> {
        for (mine, theirs) in [
            (&mut self.gross, other.gross),
            (&mut self.fees, other.fees),
            (&mut self.refunds, other.refunds),
            (&mut self.pending, other.pending),
            (&mut self.one_off, other.one_off),
            (&mut self.matched, other.matched),
            (&mut self.trailing, other.trailing),
        ] {
            *mine = checked_add(*mine, theirs)?;
        }
        self.pending_count += other.pending_count;
        let pairs = self.by_channel.iter_mut().zip(other.by_channel).chain([
            (&mut self.before_start, other.before_start),
            (&mut self.after_deadline, other.after_deadline),
            (&mut self.after_as_of, other.after_as_of),
            (&mut self.failed, other.failed),
            (&mut self.reversals, other.reversals),
        ]);
        for (mine, (count, amount)) in pairs {
            mine.0 += count;
            mine.1 = checked_add(mine.1, amount)?;
        }
        for (key, entry) in &other.not_counted {
            self.absorb_uncounted(*key, entry.clone())?;
        }
        Ok(())
    }
}
