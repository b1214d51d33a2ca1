//! The status of a campaign at an instant: a pure function of the campaign, its donations and
//! `now`, computed in one streaming pass.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Duration, Months, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::campaign::Campaign;
use crate::countdown::TimeLeft;
use crate::currency::Currency;
use crate::document::{
    BaselineEntry, Breakdown, CampaignInfo, ChannelTotal, Count, Excluded, MilestoneStatus,
    NotCounted, NotCountedReason, Pace, Parts, Phase, StatusDocument, TimeStatus,
};
use crate::donation::{Channel, Donation, DonationKind, DonationStatus, Interval};
use crate::money::{Money, MoneyError};
use crate::rules::{FeeRule, PendingRule, RecurringRule, RefundRule};

mod checkpoint;

pub use checkpoint::{CheckpointError, KeysInfo, Resumed, Unsealed};

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
/// assert_eq!(status.remaining(), Money::parse("920 EUR")?);
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

/// Running totals, in the campaign currency's minor units as exact decimals.
#[derive(Default)]
pub(crate) struct Sums {
    gross: Decimal,
    fees: Decimal,
    refunds: Decimal,
    pending: Decimal,
    pending_count: u64,
    one_off: Decimal,
    matched: Decimal,
    trailing: Decimal,
    by_channel: [(u64, Decimal); 4],
    before_start: (u64, Decimal),
    after_deadline: (u64, Decimal),
    after_as_of: (u64, Decimal),
    failed: (u64, Decimal),
    /// Gifts that cannot be counted, by reason and currency, in their own currency.
    pub(crate) not_counted: BTreeMap<(NotCountedReason, Currency), Uncounted>,
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
    fn absorb(&mut self, other: Uncounted) -> Result<(), StatusError> {
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
    fn not_counted(
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

    fn absorb_uncounted(
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
    fn absorb(&mut self, other: &Sums) -> Result<(), StatusError> {
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

/// What the recurring rules need to know of one subscription, kept small (a large campaign has
/// a hundred thousand of them): instants in microseconds, amounts in minor units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Subscription {
    interval: Interval,
    matched: bool,
    payments: u32,
    received: i64,
    first: (i64, i64),
    last: (i64, i64),
}

/// An amount at the campaign currency's scale, in minor units.
fn to_minor(value: Decimal, scale: u32) -> Result<i64, StatusError> {
    let mut value = value;
    value.rescale(scale);
    i64::try_from(value.mantissa()).map_err(|_| StatusError::Money(MoneyError::Overflow))
}

impl Subscription {
    /// Adds what another part of the ledger counted of the same subscription.
    fn absorb(&mut self, key: u128, theirs: Subscription) -> Result<(), StatusError> {
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

    fn received(&self, scale: u32) -> Decimal {
        Decimal::new(self.received, scale)
    }
    fn first_value(&self, scale: u32) -> Decimal {
        Decimal::new(self.first.1, scale)
    }
    fn first_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.first.0).unwrap_or_default()
    }
    fn last_value(&self, scale: u32) -> Decimal {
        Decimal::new(self.last.1, scale)
    }
    fn last_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.last.0).unwrap_or_default()
    }
}

/// Donors and subscriptions taken out of a tally by [`Tally::drain_keys`], each sorted.
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
    key: u128,
    inner: Subscription,
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
        let currency = self.campaign.goal().currency();
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
        self.donors.insert(donor);
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

    /// The `k`-th due date after the subscription's latest payment, by the calendar of the
    /// campaign's zone (a payment on 31 January is next due on 29 February).
    fn due_date(&self, subscription: &Subscription, k: u32) -> Option<DateTime<Utc>> {
        let months = Months::new(k * subscription.interval.months());
        let last = subscription.last_at();
        last.with_timezone(&self.campaign.zone())
            .checked_add_months(months)
            .map(|due| due.with_timezone(&Utc))
            // A due date that lands on a skipped local time is read in UTC.
            .or_else(|| last.checked_add_months(months))
    }

    /// Whether the subscription is still paying: its next payment is not more than a week late
    /// (processing takes days).
    fn is_active(&self, subscription: &Subscription) -> bool {
        self.due_date(subscription, 1)
            .is_some_and(|due| due + Duration::days(LAPSE_GRACE_DAYS) >= self.now)
    }

    /// The payments of an active subscription still to come by the deadline, counting a due date
    /// less than a week past, which may yet be paid.
    fn expected_payments(&self, subscription: &Subscription) -> u32 {
        if !self.is_active(subscription) {
            return 0;
        }
        let grace = Duration::days(LAPSE_GRACE_DAYS);
        let mut expected = 0;
        for k in 1u32.. {
            match self.due_date(subscription, k) {
                Some(due) if due < self.campaign.deadline() => {
                    if due + grace >= self.now {
                        expected += 1;
                    }
                }
                _ => break,
            }
        }
        expected
    }

    /// The status document.
    ///
    /// # Errors
    ///
    /// An overflow, only for sums beyond 10^28; [`StatusError::KeysElsewhere`] for a tally
    /// whose donors and subscriptions were drained (finish it with [`Tally::finishing`]).
    pub fn finish(mut self) -> Result<StatusDocument, StatusError> {
        if self.drained {
            return Err(StatusError::KeysElsewhere);
        }
        let subscriptions = std::mem::take(&mut self.subscriptions);
        let donors = std::mem::take(&mut self.donors).len() as u64;
        let mut finishing = self.finishing()?;
        for subscription in subscriptions.values() {
            finishing.add_subscription(subscription)?;
        }
        finishing.finish(donors)
    }

    /// The status document of a tally whose donors and subscriptions were drained out
    /// ([`Tally::drain_keys`]) and merged elsewhere: see [`Tally::finishing`].
    ///
    /// # Errors
    ///
    /// As [`Tally::finishing`], [`Finishing::add`] and [`Finishing::finish`], and an error of
    /// `subscriptions`.
    pub fn finish_with(
        self,
        donors: u64,
        subscriptions: impl IntoIterator<Item = Result<SubscriptionState, StatusError>>,
    ) -> Result<StatusDocument, StatusError> {
        let mut finishing = self.finishing()?;
        for state in subscriptions {
            finishing.add(&state?)?;
        }
        finishing.finish(donors)
    }

    /// The last step of a tally whose donors and subscriptions were drained out
    /// ([`Tally::drain_keys`]) and merged elsewhere (on disk, for ledgers too large to hold them
    /// in memory): give it every subscription once, each merged from all its parts, then the
    /// number of distinct donors in all of them.
    ///
    /// # Errors
    ///
    /// [`StatusError::KeysElsewhere`] if the tally still holds donors or subscriptions.
    pub fn finishing(mut self) -> Result<Finishing<'c>, StatusError> {
        if !self.donors.is_empty() || !self.subscriptions.is_empty() {
            return Err(StatusError::KeysElsewhere);
        }
        let sums = std::mem::take(&mut self.sums);
        Ok(Finishing {
            tally: self,
            sums,
            recurring: RecurringFigures::default(),
        })
    }
}

/// What the subscriptions add up to, as a [`Finishing`] takes them.
#[derive(Default)]
struct RecurringFigures {
    received: Decimal,
    counted: Decimal,
    payments: u64,
    active: u64,
    /// What the active subscriptions give in a year.
    yearly: Decimal,
    subscriptions: u64,
}

/// A tally taking its subscriptions one at a time before it gives its status document (see
/// [`Tally::finishing`]).
pub struct Finishing<'c> {
    tally: Tally<'c>,
    sums: Sums,
    recurring: RecurringFigures,
}

impl Finishing<'_> {
    /// Takes one subscription, merged from all its parts (each subscription once).
    ///
    /// # Errors
    ///
    /// An overflow.
    pub fn add(&mut self, state: &SubscriptionState) -> Result<(), StatusError> {
        self.add_subscription(&state.inner)
    }

    fn add_subscription(&mut self, subscription: &Subscription) -> Result<(), StatusError> {
        let tally = &self.tally;
        let scale = tally.campaign.goal().currency().minor_units();
        let rules = tally.campaign.rules();
        let r = &mut self.recurring;
        r.subscriptions += 1;
        if tally.is_active(subscription) {
            r.active += 1;
            // A year's worth, exact; divided by twelve once at the end, so that the sum does
            // not depend on the order the subscriptions come in (a twelfth of each, rounded
            // at 28 digits, could tip the total's last cent either way).
            let per_year =
                subscription.last_value(scale) * Decimal::from(subscription.interval.per_year());
            r.yearly = checked_add(r.yearly, per_year)?;
        }
        r.received = checked_add(r.received, subscription.received(scale))?;
        let last_value = subscription.last_value(scale);
        let (counted, payments) = match rules.recurring() {
            RecurringRule::Received => (subscription.received(scale), subscription.payments),
            RecurringRule::First => (subscription.first_value(scale), 1),
            RecurringRule::Annualized => {
                let year = last_value * Decimal::from(subscription.interval.per_year());
                (
                    year.max(subscription.received(scale)),
                    subscription.payments,
                )
            }
            RecurringRule::ToDeadline => {
                let expected = Decimal::from(tally.expected_payments(subscription));
                (
                    subscription.received(scale) + expected * last_value,
                    subscription.payments,
                )
            }
        };
        if rules.recurring() != RecurringRule::Received
            && subscription.first_at() > tally.trailing_from
        {
            self.sums.trailing = checked_add(self.sums.trailing, subscription.first_value(scale))?;
        }
        if subscription.matched {
            self.sums.matched = checked_add(self.sums.matched, counted)?;
        }
        r.counted = checked_add(r.counted, counted)?;
        r.payments += u64::from(payments);
        Ok(())
    }

    /// The status document, with `donors` the number of distinct donors.
    ///
    /// # Errors
    ///
    /// An overflow, only for sums beyond 10^28.
    pub fn finish(self, donors: u64) -> Result<StatusDocument, StatusError> {
        let tally = self.tally;
        let sums = self.sums;
        let r = self.recurring;
        let campaign = tally.campaign;
        let currency = campaign.goal().currency();
        let money = |amount: Decimal| Money::rounded(amount, currency);
        let rules = campaign.rules();
        let mut baseline = Decimal::ZERO;
        for entry in campaign.baselines() {
            baseline = checked_add(baseline, entry.amount().amount())?;
        }
        let raised = money(checked_add(
            checked_add(baseline, sums.one_off)?,
            r.counted,
        )?);

        let start = campaign.start();
        let deadline = campaign.deadline();
        let left = TimeLeft::from_seconds((deadline - tally.now).num_seconds());
        let elapsed_seconds = (tally.now - start).num_seconds();
        let phase = if tally.now < start {
            Phase::NotStarted
        } else if left.is_ended() {
            Phase::Ended
        } else if left.seconds() <= FINAL_HOURS * 3600 {
            Phase::FinalHours
        } else {
            Phase::Running
        };

        let day = Decimal::from(DAY_SECONDS);
        let trailing_days =
            (Decimal::from(elapsed_seconds.clamp(DAY_SECONDS, TRAILING_DAYS * DAY_SECONDS)) / day)
                .round_dp(4);
        let trailing_per_day = money(sums.trailing / trailing_days);
        let (remaining, _) =
            crate::document::remaining_and_surplus(campaign.goal().amount(), raised.amount())?;
        let (needed_per_day, projection) = if left.is_ended() {
            (None, raised)
        } else {
            // Before the start, what is needed is spread over the whole campaign.
            let runway = (deadline - tally.now.max(start)).num_seconds();
            let days_left = Decimal::from(runway) / day;
            let projection = money(raised.amount() + trailing_per_day.amount() * days_left);
            (Some(money(remaining / days_left)), projection)
        };

        let zone = campaign.zone();
        let by_channel = Channel::ALL
            .iter()
            .zip(sums.by_channel)
            .map(|(&channel, (count, amount))| ChannelTotal {
                channel,
                count,
                amount: money(amount),
            })
            .collect();
        let count = |(count, amount): (u64, Decimal)| Count {
            count,
            amount: money(amount),
        };
        let parts = Parts {
            as_of: tally.now,
            campaign: CampaignInfo {
                name: campaign.names().clone(),
                goal: campaign.goal(),
                start: zone.from_utc_datetime(&start.naive_utc()).fixed_offset(),
                deadline: zone.from_utc_datetime(&deadline.naive_utc()).fixed_offset(),
                time_zone: zone.name().to_owned(),
                stages: campaign.stages().clone(),
                illustrations: campaign.illustrations().to_vec(),
                donate: campaign.donate().cloned(),
            },
            phase,
            raised,
            breakdown: Breakdown {
                baseline: money(baseline),
                baselines: campaign
                    .baselines()
                    .iter()
                    .map(|entry| BaselineEntry {
                        amount: entry.amount(),
                        note: entry.note().to_owned(),
                    })
                    .collect(),
                gross: money(sums.gross),
                fees: money(sums.fees),
                refunds: money(sums.refunds),
                pending: count((sums.pending_count, sums.pending)),
                one_off: money(sums.one_off),
                recurring_received: money(r.received),
                recurring_counted: money(r.counted),
                subscriptions: r.subscriptions,
                active_subscriptions: r.active,
                monthly_recurring: money(r.yearly / Decimal::from(12)),
                matched: money(sums.matched),
                by_channel,
                excluded: Excluded {
                    before_start: count(sums.before_start),
                    after_deadline: count(sums.after_deadline),
                    after_as_of: count(sums.after_as_of),
                    failed: count(sums.failed),
                    not_counted: sums
                        .not_counted
                        .into_iter()
                        .map(|((reason, currency), entry)| NotCounted {
                            reason,
                            count: entry.count,
                            amount: Money::rounded(entry.amount, currency),
                            example: entry.example,
                        })
                        .collect(),
                },
            },
            rules,
            milestones: campaign
                .milestones()
                .iter()
                .map(|m| MilestoneStatus {
                    amount: m.amount(),
                    label: m.labels().clone(),
                    reached: raised.amount() >= m.amount().amount(),
                })
                .collect(),
            time: TimeStatus {
                elapsed_seconds,
                left,
            },
            pace: Pace {
                trailing_days,
                trailing_per_day,
                needed_per_day,
                projection,
                on_track: projection.amount() >= campaign.goal().amount(),
                method: crate::document::ProjectionMethod::Pace,
                low: None,
                high: None,
            },
            appeals: campaign.appeals().clone(),
            donors,
            donations: tally.one_off_count + r.payments,
        };
        Ok(StatusDocument::assemble(parts)?)
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
