//! The status of a campaign at an instant: a pure function of the campaign, its donations and
//! `now`, computed in one streaming pass.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

use crate::campaign::Campaign;
use crate::countdown::TimeLeft;
use crate::document::{
    BaselineEntry, Breakdown, CampaignInfo, ChannelTotal, Count, Excluded, MatchStatus,
    MilestoneStatus, NotCounted, NotCountedReason, Pace, Parts, Phase, StatusDocument, TimeStatus,
};
use crate::donation::{Channel, Donation, DonationKind, DonationStatus};
use crate::money::{Money, MoneyError};
use crate::quantity::{Measure, Quantity};
use crate::rules::{FeeRule, PendingRule, RecurringRule, RefundRule};

mod checkpoint;
mod finish;
mod subscription;
mod sums;

pub use checkpoint::{CheckpointError, KeysInfo, Resumed, Unsealed};
pub use finish::Finishing;
use subscription::to_minor;
pub(crate) use subscription::Subscription;
pub use subscription::{Keys, SubscriptionState};
pub(crate) use sums::{Sums, Uncounted};

const DAY_SECONDS: i64 = 86_400;
pub(crate) const TRAILING_DAYS: i64 = 7;
const FINAL_HOURS: i64 = 48;
/// A subscription whose next payment is this late is taken as lapsed when projecting.
const LAPSE_GRACE_DAYS: i64 = 7;

/// Why a status could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    /// The same donation id twice: counting both would count one gift twice.
    #[error("donation id {0} appears more than once")]
    DuplicateId(String),
    /// One recurring subscription paid at two different intervals.
    #[error("subscription {subscription} is paid both monthly and yearly (donation {id})")]
    IntervalConflict {
        /// The subscription.
        subscription: String,
        /// The donation that disagrees.
        id: String,
    },
    /// A sum too large for exact arithmetic.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A gift in another currency the declared rates do not cover.
    #[error(transparent)]
    Rates(#[from] crate::rates::RatesError),
    /// Two tallies of different campaigns or instants were merged.
    #[error("cannot merge tallies of different campaigns or instants")]
    Mismatch,
    /// A tally whose donors and subscriptions were drained out was finished without them, or
    /// one that still holds some was given others.
    #[error("a tally's donors and subscriptions must all be in it or all be given back")]
    KeysElsewhere,
    /// Money given back without its gift that cannot be taken off: its amount is not above zero.
    #[error("refund {id} without its gift: {reason}")]
    Reversal {
        /// The reversal.
        id: String,
        /// What is wrong.
        reason: String,
    },
}

/// A streaming status computation: feed it donations one at a time in any order, then
/// [`finish`](Tally::finish). Memory grows with unique donors (8 bytes each) and subscriptions,
/// and, unless built with [`Tally::trusting_unique_ids`], with the ids seen (16 bytes each).
///
/// # Example
///
/// ```
/// use jauge::{parse_zone, Campaign, Donation, Money, Tally};
///
/// let campaign = Campaign::builder("Servers 2024", Money::parse("1000 EUR")?, parse_zone("Europe/Paris")?)
///     .start("2024-11-01".parse()?)
///     .deadline("2024-12-31".parse()?)
///     .build()?;
/// let now = "2024-12-26T08:00:00Z".parse()?;
/// let mut tally = Tally::new(&campaign, now);
/// tally.add(&Donation::try_new("1", Money::parse("30 EUR")?, "2024-12-02T10:00:00Z".parse()?)?)?;
/// tally.add(&Donation::try_new("2", Money::parse("50 EUR")?, "2024-12-24T10:00:00Z".parse()?)?)?;
/// let status = tally.finish()?;
/// assert_eq!(status.raised(), Money::parse("80 EUR")?);
/// assert_eq!(status.remaining(), Money::parse("920 EUR")?.into());
/// assert_eq!(status.donors(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Tally<'c> {
    campaign: &'c Campaign,
    now: DateTime<Utc>,
    trailing_from: DateTime<Utc>,
    /// `None` when the caller vouches that ids are unique.
    ids: Option<HashSet<u128, PassThrough>>,
    donors: HashSet<u64, PassThrough>,
    subscriptions: HashMap<u128, Subscription, PassThrough>,
    sums: Sums,
    one_off_count: u64,
    /// The latest instant of a gift counted, in microseconds (`i64::MIN` before any): what a
    /// checkpoint is checked against.
    latest: i64,
    /// What counts toward the trailing week, by minute, for the gifts received from an instant
    /// on: what a checkpoint keeps so that a later status finds its trailing week in it.
    minutes: Option<checkpoint::Minutes>,
    /// Whether donors and subscriptions were drained out ([`Tally::drain_keys`]): the tally then
    /// finishes only with them given back ([`Tally::finish_with`]).
    drained: bool,
}

/// What one payment contributed, as [`Tally::add`] counted it: the gift under the fee and refund
/// rules, before any recurring rule values the subscription as a whole.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct Contribution {
    /// The amount counted.
    pub amount: Money,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// Whether it is a payment of a recurring gift.
    pub recurring: bool,
}

/// The fingerprint a tally counts a donor by, from the donor key.
pub(crate) fn donor_fingerprint(donor: &str) -> u64 {
    fingerprint(b'd', donor) as u64
}

/// A 128-bit fingerprint of `key` in a namespace (ids, donors, subscriptions, gifts). xxh3 is
/// stable across versions and platforms; at 128 bits, two different keys collide with odds
/// around 10^-20 among a billion, so fingerprints stand in for the keys themselves.
fn fingerprint(namespace: u8, key: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128_with_seed(key.as_bytes(), u64::from(namespace))
}

/// The keys of the tally's sets are already uniform hashes: hashing them again would only cost
/// time.
#[derive(Default)]
struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(word);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 ^= value;
    }

    fn write_u128(&mut self, value: u128) {
        self.0 ^= value as u64 ^ (value >> 64) as u64;
    }
}

type PassThrough = BuildHasherDefault<PassThroughHasher>;

fn checked_add(a: Decimal, b: Decimal) -> Result<Decimal, StatusError> {
    a.checked_add(b)
        .ok_or(StatusError::Money(MoneyError::Overflow))
}

fn bump(slot: &mut (u64, Decimal), amount: Decimal) -> Result<(), StatusError> {
    slot.0 += 1;
    slot.1 = checked_add(slot.1, amount)?;
    Ok(())
}

impl<'c> Tally<'c> {
    /// A tally of `campaign` as it stands at `now`, refusing a donation id seen twice.
    pub fn new(campaign: &'c Campaign, now: DateTime<Utc>) -> Tally<'c> {
        Tally {
            ids: Some(HashSet::default()),
            ..Tally::trusting_unique_ids(campaign, now)
        }
    }

    /// A tally that does not check that donation ids are unique, for a caller that checks them
    /// itself (the CLI does, in fixed memory, over ledgers too large to remember every id).
    pub fn trusting_unique_ids(campaign: &'c Campaign, now: DateTime<Utc>) -> Tally<'c> {
        Tally {
            campaign,
            now,
            trailing_from: now - Duration::days(TRAILING_DAYS),
            ids: None,
            donors: HashSet::default(),
            subscriptions: HashMap::default(),
            sums: Sums::default(),
            one_off_count: 0,
            latest: i64::MIN,
            minutes: None,
            drained: false,
        }
    }

    /// This tally, keeping by minute what counts toward the trailing week for the gifts
    /// received at or after `from`: a tally to [checkpoint](Tally::checkpoint) keeps them from a
    /// week and a minute before its boundary.
    #[must_use]
    pub fn keeping_minutes_from(mut self, from: DateTime<Utc>) -> Tally<'c> {
        self.minutes = Some(checkpoint::Minutes::from(from));
        self
    }

    /// Counts one donation under the campaign's rules, and says what it counted for: `None` for
    /// a gift that does not count (outside the window, failed, pending under the default rule,
    /// fully refunded).
    ///
    /// # Errors
    ///
    /// A donation in another currency that cannot be converted is no error: it is kept under
    /// `breakdown.excluded.not_counted` with its reason. [`StatusError::DuplicateId`] for an id
    /// seen before, [`StatusError::IntervalConflict`], or an overflow.
    pub fn add(&mut self, donation: &Donation) -> Result<Option<Contribution>, StatusError> {
        let currency = self.campaign.currency();
        let converted;
        let donation = if donation.amount().currency() == currency {
            donation
        } else {
            // A gift that cannot be converted is kept aside with its reason: one such gift
            // (a webhook in a currency nobody declared) must never stop every later figure.
            let conversion = match self.campaign.rates() {
                None => Err(NotCountedReason::NoRates),
                Some(rates) => rates
                    .convert(donation, currency)
                    .map_err(|error| match error {
                        crate::rates::RatesError::TooLarge(_) => NotCountedReason::TooLarge,
                        _ => NotCountedReason::NoRateForDay,
                    }),
            };
            match conversion {
                Ok((gift, _)) => {
                    converted = gift;
                    &converted
                }
                Err(reason) => {
                    if let Some(ids) = &mut self.ids {
                        if !ids.insert(fingerprint(b'i', donation.id())) {
                            return Err(StatusError::DuplicateId(donation.id().to_owned()));
                        }
                    }
                    self.latest = self.latest.max(donation.received_at().timestamp_micros());
                    return self.sums.not_counted(reason, donation).map(|()| None);
                }
            }
        };
        if let Some(ids) = &mut self.ids {
            if !ids.insert(fingerprint(b'i', donation.id())) {
                return Err(StatusError::DuplicateId(donation.id().to_owned()));
            }
        }
        let amount = donation.amount().amount();
        let at = donation.received_at();
        self.latest = self.latest.max(at.timestamp_micros());
        let sums = &mut self.sums;
        if at < self.campaign.start() {
            return bump(&mut sums.before_start, amount).map(|()| None);
        }
        if at >= self.campaign.deadline() {
            return bump(&mut sums.after_deadline, amount).map(|()| None);
        }
        if at > self.now {
            return bump(&mut sums.after_as_of, amount).map(|()| None);
        }
        let rules = self.campaign.rules();
        let refunded = match donation.status() {
            DonationStatus::Failed => return bump(&mut sums.failed, amount).map(|()| None),
            DonationStatus::Pending => {
                sums.pending = checked_add(sums.pending, amount)?;
                sums.pending_count += 1;
                if rules.pending() == PendingRule::Excluded {
                    return Ok(None);
                }
                Decimal::ZERO
            }
            DonationStatus::Confirmed => Decimal::ZERO,
            DonationStatus::Refunded { refunded } => refunded.amount(),
        };
        let fee = donation.fee().map_or(Decimal::ZERO, |fee| fee.amount());
        sums.gross = checked_add(sums.gross, amount)?;
        sums.fees = checked_add(sums.fees, fee)?;
        sums.refunds = checked_add(sums.refunds, refunded)?;
        let mut value = amount;
        if rules.refunds() == RefundRule::Subtracted {
            value -= refunded;
        }
        if rules.fees() == FeeRule::Net {
            value -= fee;
        }
        // A fee the provider keeps on a refunded gift is the association's cost, but it does not
        // take other donors' money off the total: a gift counts for zero at worst.
        let value = value.max(Decimal::ZERO);
        let fully_refunded = rules.refunds() == RefundRule::Subtracted && refunded == amount;
        if fully_refunded {
            return Ok(None);
        }
        let channel = &mut sums.by_channel[Channel::ALL
            .iter()
            .position(|c| *c == donation.channel())
            .unwrap_or(3)];
        bump(channel, value)?;
        let donor = match (donation.donor(), donation.kind()) {
            (Some(donor), _) => donor_fingerprint(donor) as u128,
            (None, DonationKind::Recurring { subscription, .. }) => fingerprint(b's', subscription),
            (None, DonationKind::OneOff) => fingerprint(b'g', donation.id()),
        } as u64;
        // A sponsor paying its matching pledge in is shown apart from what donors gave, and is
        // not one of the donors.
        if donation.matching_sponsor().is_none() {
            self.donors.insert(donor);
        }
        match donation.kind() {
            DonationKind::OneOff => {
                sums.one_off = checked_add(sums.one_off, value)?;
                self.one_off_count += 1;
                if donation.matching_sponsor().is_some() {
                    sums.matched = checked_add(sums.matched, value)?;
                }
                if at > self.trailing_from {
                    sums.trailing = checked_add(sums.trailing, value)?;
                }
                if let Some(minutes) = &mut self.minutes {
                    minutes.add(at, value)?;
                }
            }
            DonationKind::Recurring {
                interval,
                subscription,
            } => {
                let minor = to_minor(value, currency.minor_units())?;
                let entry = self
                    .subscriptions
                    .entry(fingerprint(b's', subscription))
                    .or_insert(Subscription {
                        interval: *interval,
                        payments: 0,
                        received: 0,
                        first: (at.timestamp_micros(), minor),
                        last: (at.timestamp_micros(), minor),
                        matched: false,
                    });
                if entry.interval != *interval {
                    return Err(StatusError::IntervalConflict {
                        subscription: subscription.clone(),
                        id: donation.id().to_owned(),
                    });
                }
                entry.payments += 1;
                entry.received = entry
                    .received
                    .checked_add(minor)
                    .ok_or(StatusError::Money(MoneyError::Overflow))?;
                entry.matched |= donation.matching_sponsor().is_some();
                // Ties broken by value so the result does not depend on ledger order.
                let stamp = (at.timestamp_micros(), minor);
                if stamp < entry.first {
                    entry.first = stamp;
                }
                if stamp > entry.last {
                    entry.last = stamp;
                }
                if rules.recurring() == RecurringRule::Received {
                    if at > self.trailing_from {
                        sums.trailing = checked_add(sums.trailing, value)?;
                    }
                    if let Some(minutes) = &mut self.minutes {
                        minutes.add(at, value)?;
                    }
                }
            }
        }
        Ok(Some(Contribution {
            amount: Money::rounded(value, currency),
            received_at: at,
            recurring: matches!(donation.kind(), DonationKind::Recurring { .. }),
        }))
    }

    /// Counts money given back whose gift is not named (a reversal, `id`): taken off what is
    /// raised when it was given back in the campaign's window and by now; whether it was. In
    /// another currency it is converted at the campaign's rates, and kept aside with its reason
    /// when it cannot be, as a gift would be.
    ///
    /// # Errors
    ///
    /// [`StatusError::Reversal`] for an amount not above zero (or an empty id in another
    /// currency), or an overflow.
    pub fn add_reversal(
        &mut self,
        id: &str,
        amount: Money,
        at: DateTime<Utc>,
    ) -> Result<bool, StatusError> {
        if at < self.campaign.start() || at >= self.campaign.deadline() || at > self.now {
            return Ok(false);
        }
        let refused = |reason: String| StatusError::Reversal {
            id: id.to_owned(),
            reason,
        };
        if amount.amount() <= Decimal::ZERO {
            return Err(refused(format!("{amount} is not above zero")));
        }
        let currency = self.campaign.currency();
        let amount = if amount.currency() == currency {
            amount.amount()
        } else {
            // Converted as a gift would be, so the same rates and reasons apply.
            let gift = Donation::try_new(id, amount, at).map_err(|e| refused(e.to_string()))?;
            match self
                .campaign
                .rates()
                .map(|rates| rates.convert(&gift, currency))
            {
                Some(Ok((converted, _))) => converted.amount().amount(),
                Some(Err(_)) => {
                    self.sums
                        .not_counted(NotCountedReason::NoRateForDay, &gift)?;
                    return Ok(false);
                }
                None => {
                    self.sums.not_counted(NotCountedReason::NoRates, &gift)?;
                    return Ok(false);
                }
            }
        };
        self.sums.reversals.0 += 1;
        self.sums.reversals.1 = checked_add(self.sums.reversals.1, amount)?;
        Ok(true)
    }

    /// What the reversals counted so far take off, in the campaign's currency.
    pub(crate) fn reversals(&self) -> Decimal {
        self.sums.reversals.1
    }

    /// The gross of the gifts counted so far (fully refunded ones included): what the status's
    /// `breakdown.gross` will say, so a report's tables can hold every gift it sums.
    pub(crate) fn gross(&self) -> Decimal {
        self.sums.gross
    }

    /// Adds what `other` counted to this tally, so that parts of a ledger can be counted apart
    /// (on several cores) and combined: the result is the same as counting everything in one
    /// tally.
    ///
    /// # Errors
    ///
    /// [`StatusError::Mismatch`] if the tallies are of different campaigns or instants,
    /// [`StatusError::DuplicateId`] for an id both counted (when ids are checked),
    /// [`StatusError::IntervalConflict`], or an overflow.
    pub fn merge(&mut self, other: Tally<'c>) -> Result<(), StatusError> {
        if !std::ptr::eq(self.campaign, other.campaign) || self.now != other.now {
            return Err(StatusError::Mismatch);
        }
        if let (Some(mine), Some(theirs)) = (&mut self.ids, other.ids) {
            for id in theirs {
                if !mine.insert(id) {
                    return Err(StatusError::DuplicateId(format!(
                        "with fingerprint {id:032x}"
                    )));
                }
            }
        }
        self.latest = self.latest.max(other.latest);
        self.minutes = match (self.minutes.take(), other.minutes) {
            (Some(mut mine), Some(theirs)) => {
                mine.absorb(theirs)?;
                Some(mine)
            }
            // Gifts counted without their minutes: what is kept no longer covers them all.
            _ => None,
        };
        self.drained |= other.drained;
        self.donors.extend(other.donors);
        self.sums.absorb(&other.sums)?;
        self.one_off_count += other.one_off_count;
        for (key, theirs) in other.subscriptions {
            match self.subscriptions.entry(key) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(theirs);
                }
                std::collections::hash_map::Entry::Occupied(mut slot) => {
                    slot.get_mut().absorb(key, theirs)?;
                }
            }
        }
        Ok(())
    }

    /// How many donors and subscriptions the tally holds in memory (what
    /// [`Tally::drain_keys`] would take out).
    pub fn held_keys(&self) -> usize {
        self.donors.len() + self.subscriptions.len()
    }

    /// Takes the donors and subscriptions out of the tally, sorted, so that the caller keeps
    /// them where memory is not bounded by the ledger (files, a database) and merges them with
    /// the others of the same ledger; the tally then finishes with [`Tally::finish_with`].
    pub fn drain_keys(&mut self) -> Keys {
        self.drained = true;
        let mut donors: Vec<u64> = self.donors.drain().collect();
        donors.sort_unstable();
        let mut subscriptions: Vec<SubscriptionState> = self
            .subscriptions
            .drain()
            .map(|(key, inner)| SubscriptionState { key, inner })
            .collect();
        subscriptions.sort_unstable_by_key(|s| s.key);
        // The sets keep their capacity: a tally drained at a threshold refills to it, no more,
        // without growing its tables again each time.
        Keys {
            donors,
            subscriptions,
        }
    }

    /// Counts every donation of an iterator.
    ///
    /// # Errors
    ///
    /// The first error of [`Tally::add`].
    pub fn add_all<'d>(
        &mut self,
        donations: impl IntoIterator<Item = &'d Donation>,
    ) -> Result<(), StatusError> {
        donations
            .into_iter()
            .try_for_each(|d| self.add(d).map(drop))
    }
}

impl Campaign {
    /// The status of this campaign at `now`, from all its donations.
    ///
    /// # Errors
    ///
    /// As [`Tally::add`].
    pub fn status<'d>(
        &self,
        donations: impl IntoIterator<Item = &'d Donation>,
        now: DateTime<Utc>,
    ) -> Result<StatusDocument, StatusError> {
        let mut tally = Tally::new(self, now);
        tally.add_all(donations)?;
        tally.finish()
    }
}
