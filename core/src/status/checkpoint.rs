//! A tally of the gifts received before an instant, kept between runs: what a store saves so
//! that the next status counts only the gifts that came after it.
//!
//! A gift received before a boundary counts the same at any later instant, except toward the
//! trailing week, which moves with `now`: so the tally of every gift received before a boundary
//! is saved with what counts toward the trailing week minute by minute over the week before it,
//! and any later status resumes from it. The minute that straddles the start of the trailing
//! week is read again from the ledger (the caller is told which instants). The donors and
//! subscriptions are not in these bytes: a large ledger has millions of them, which the caller
//! keeps sorted beside (see [`Tally::drain_keys`]) and describes with a [`KeysInfo`]. The bytes
//! carry the campaign's counting settings, and are refused by a campaign with other settings,
//! at an instant before their boundary, or when damaged.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

use super::{checked_add, Sums, Tally, TRAILING_DAYS};
use crate::campaign::Campaign;
use crate::document::NotCountedReason;

/// The first bytes of a checkpoint, with its format's version.
const MAGIC: &[u8; 8] = b"jaugeT3\0";

const MINUTE_MICROS: i64 = 60_000_000;

/// Why a checkpoint could not be made or resumed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The tally counted a gift received at or after the boundary.
    #[error("the tally counted a gift received at or after the checkpoint's boundary")]
    GiftAfterBoundary,
    /// The tally checks ids itself: its checkpoint would have to carry every id.
    #[error("only a tally trusting unique ids can be saved")]
    ChecksIds,
    /// The tally still holds donors or subscriptions, which a checkpoint does not carry.
    #[error("the tally's donors and subscriptions must be drained before it is saved")]
    KeysHeld,
    /// The tally did not keep its minutes far enough back
    /// ([`Tally::keeping_minutes_from`] a week and a minute before the boundary).
    #[error("the tally did not keep the trailing week before the boundary by minute")]
    NoMinutes,
    /// The checkpoint was made for a campaign with other counting settings.
    #[error("the checkpoint was made for other counting settings")]
    OtherCampaign,
    /// The boundary is after `now`: some gifts before it may not have counted yet at `now`.
    #[error("the checkpoint's boundary is too late for this instant")]
    TooLate,
    /// The bytes are not a checkpoint of this version.
    #[error("damaged checkpoint: {0}")]
    Damaged(&'static str),
}

/// What the caller keeps beside a checkpoint: how many donors and subscriptions the tally had
/// before its boundary, and a checksum of the bytes they are kept in, all given back on resume.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeysInfo {
    /// Distinct donors.
    pub donors: u64,
    /// Distinct subscriptions.
    pub subscriptions: u64,
    /// The caller's checksum of where it keeps them.
    pub checksum: u64,
}

/// A checkpoint without what the caller keeps of its donors and subscriptions (see
/// [`Tally::checkpoint_without_keys`]).
#[derive(Clone, Debug)]
pub struct Unsealed(Vec<u8>);

impl Unsealed {
    /// The checkpoint's bytes, with what the caller keeps beside them.
    pub fn seal(self, keys: KeysInfo) -> Vec<u8> {
        let mut out = Writer(self.0);
        out.u64(keys.donors);
        out.u64(keys.subscriptions);
        out.u64(keys.checksum);
        // A checksum last: a damaged checkpoint is refused whole, never half-read into figures.
        let sum = xxhash_rust::xxh3::xxh3_64(&out.0);
        out.u64(sum);
        out.0
    }
}

/// A tally resumed from a checkpoint: count into it the gifts received at or after `boundary`,
/// and the gifts of `edge` with [`Tally::add_edge`]; merged with the donors and subscriptions
/// kept beside, it finishes as a tally of every gift would.
pub struct Resumed<'c> {
    /// The tally of the gifts before the boundary (without their donors and subscriptions).
    pub tally: Tally<'c>,
    /// The instant before which its gifts were received.
    pub boundary: DateTime<Utc>,
    /// What the caller said of the donors and subscriptions it keeps.
    pub keys: KeysInfo,
    /// The gifts received strictly between these two instants, all before the boundary, count
    /// toward the trailing week in part of a minute: give them to [`Tally::add_edge`].
    pub edge: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// What counts toward the trailing week, by minute (in minutes since 1970), for the gifts
/// received from a whole minute on.
#[derive(Clone, Debug)]
pub(crate) struct Minutes {
    from: i64,
    sums: BTreeMap<i64, Decimal>,
}

impl Minutes {
    pub(crate) fn from(instant: DateTime<Utc>) -> Minutes {
        Minutes {
            from: instant.timestamp_micros().div_euclid(MINUTE_MICROS),
            sums: BTreeMap::new(),
        }
    }

    pub(crate) fn add(
        &mut self,
        at: DateTime<Utc>,
        value: Decimal,
    ) -> Result<(), super::StatusError> {
        let minute = at.timestamp_micros().div_euclid(MINUTE_MICROS);
        if minute >= self.from {
            self.add_minute(minute, value)?;
        }
        Ok(())
    }

    /// Adds another tally's minutes: complete only from the later of the two starts.
    pub(crate) fn absorb(&mut self, other: Minutes) -> Result<(), super::StatusError> {
        self.from = self.from.max(other.from);
        for (minute, value) in other.sums {
            self.add_minute(minute, value)?;
        }
        let from = self.from;
        self.sums.retain(|minute, _| *minute >= from);
        Ok(())
    }

    fn add_minute(&mut self, minute: i64, value: Decimal) -> Result<(), super::StatusError> {
        let slot = self.sums.entry(minute).or_default();
        *slot = checked_add(*slot, value)?;
        Ok(())
    }
}

/// A fingerprint of everything that decides how a gift counts: a checkpoint of one campaign is
/// never resumed by another.
fn counting_key(campaign: &Campaign) -> u64 {
    // The rates too: what was counted converted at some rates is not reused with others.
    let settings = format!(
        "{}|{}|{}|{}|{:?}|{:?}",
        campaign.currency().code(),
        campaign.start().timestamp_micros(),
        campaign.deadline().timestamp_micros(),
        campaign.zone().name(),
        campaign.rules(),
        campaign.rates().map(crate::rates::Rates::fingerprint)
    );
    xxhash_rust::xxh3::xxh3_64(settings.as_bytes())
}

/// The first minute a checkpoint at `boundary` keeps: the trailing week of any instant after
/// the boundary starts in it or later.
fn first_minute(boundary: DateTime<Utc>) -> i64 {
    (boundary - Duration::days(TRAILING_DAYS) - Duration::minutes(1))
        .timestamp_micros()
        .div_euclid(MINUTE_MICROS)
}

struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn i64(&mut self, n: i64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn decimal(&mut self, d: Decimal) {
        self.0.extend_from_slice(&d.mantissa().to_le_bytes());
        self.0.push(d.scale() as u8);
    }
    fn counted(&mut self, (count, amount): (u64, Decimal)) {
        self.u64(count);
        self.decimal(amount);
    }
}

struct Reader<'b>(&'b [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], CheckpointError> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or(CheckpointError::Damaged("truncated"))?;
        self.0 = rest;
        Ok(*head)
    }
    fn u64(&mut self) -> Result<u64, CheckpointError> {
        self.take().map(u64::from_le_bytes)
    }
    fn i64(&mut self) -> Result<i64, CheckpointError> {
        self.take().map(i64::from_le_bytes)
    }
    fn decimal(&mut self) -> Result<Decimal, CheckpointError> {
        let mantissa = i128::from_le_bytes(self.take()?);
        let [scale] = self.take()?;
        Decimal::try_from_i128_with_scale(mantissa, u32::from(scale))
            .map_err(|_| CheckpointError::Damaged("an amount out of range"))
    }
    fn counted(&mut self) -> Result<(u64, Decimal), CheckpointError> {
        Ok((self.u64()?, self.decimal()?))
    }
    /// A count of items of `size` bytes each, refused if the bytes left cannot hold them (so a
    /// damaged count never reserves memory it should not).
    fn count_of(&mut self, size: usize) -> Result<usize, CheckpointError> {
        let n = self.u64()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n.checked_mul(size).is_some_and(|b| b <= self.0.len()))
            .ok_or(CheckpointError::Damaged("a count larger than the bytes"))
    }
}

impl<'c> Tally<'c> {
    /// This tally as bytes to resume from later, for a tally that counted only gifts received
    /// before `boundary` (and trusts ids to be unique, as a store guarantees), with its donors
    /// and subscriptions drained and kept by the caller as `keys` says, and its minutes kept
    /// from a week and a minute before the boundary. Its own instant must not be before the
    /// boundary.
    ///
    /// # Errors
    ///
    /// [`CheckpointError::GiftAfterBoundary`], [`CheckpointError::TooLate`],
    /// [`CheckpointError::ChecksIds`], [`CheckpointError::KeysHeld`] or
    /// [`CheckpointError::NoMinutes`].
    pub fn checkpoint(
        &self,
        boundary: DateTime<Utc>,
        keys: KeysInfo,
    ) -> Result<Vec<u8>, CheckpointError> {
        Ok(self.checkpoint_without_keys(boundary)?.seal(keys))
    }

    /// As [`Tally::checkpoint`], before the caller knows what it keeps of the donors and
    /// subscriptions (it merges them with the others at the same time): [`Unsealed::seal`]
    /// finishes it.
    ///
    /// # Errors
    ///
    /// As [`Tally::checkpoint`].
    pub fn checkpoint_without_keys(
        &self,
        boundary: DateTime<Utc>,
    ) -> Result<Unsealed, CheckpointError> {
        if self.ids.is_some() {
            return Err(CheckpointError::ChecksIds);
        }
        if self.held_keys() > 0 {
            return Err(CheckpointError::KeysHeld);
        }
        if boundary > self.now {
            return Err(CheckpointError::TooLate);
        }
        if self.latest >= boundary.timestamp_micros() {
            return Err(CheckpointError::GiftAfterBoundary);
        }
        let first = first_minute(boundary);
        let minutes = match &self.minutes {
            Some(minutes) if minutes.from <= first => minutes,
            _ => return Err(CheckpointError::NoMinutes),
        };
        let mut out = Writer(Vec::with_capacity(512));
        out.0.extend_from_slice(MAGIC);
        out.u64(counting_key(self.campaign));
        out.i64(boundary.timestamp_micros());
        out.i64(self.latest);
        let s = &self.sums;
        for d in [s.gross, s.fees, s.refunds, s.pending, s.one_off, s.matched] {
            out.decimal(d);
        }
        out.u64(s.pending_count);
        for pair in s.by_channel.iter().chain([
            &s.before_start,
            &s.after_deadline,
            &s.after_as_of,
            &s.failed,
        ]) {
            out.counted(*pair);
        }
        out.u64(s.not_counted.len() as u64);
        for ((reason, currency), entry) in &s.not_counted {
            out.0.push(match reason {
                NotCountedReason::NoRates => 0,
                NotCountedReason::NoRateForDay => 1,
                NotCountedReason::TooLarge => 2,
            });
            out.0.extend_from_slice(currency.code().as_bytes());
            out.u64(entry.count);
            out.decimal(entry.amount);
            out.u64(entry.example.len() as u64);
            out.0.extend_from_slice(entry.example.as_bytes());
        }
        out.u64(self.one_off_count);
        out.i64(first);
        let kept: Vec<_> = minutes.sums.range(first..).collect();
        out.u64(kept.len() as u64);
        for (minute, value) in kept {
            out.i64(*minute);
            out.decimal(*value);
        }
        Ok(Unsealed(out.0))
    }

    /// A tally of `campaign` at `now` that starts from a checkpoint (see [`Resumed`]).
    ///
    /// # Errors
    ///
    /// The checkpoint is of other counting settings, too late for `now`, or damaged.
    pub fn resume(
        campaign: &'c Campaign,
        now: DateTime<Utc>,
        checkpoint: &[u8],
    ) -> Result<Resumed<'c>, CheckpointError> {
        let (body, sum) = checkpoint
            .split_last_chunk::<8>()
            .ok_or(CheckpointError::Damaged("truncated"))?;
        if xxhash_rust::xxh3::xxh3_64(body) != u64::from_le_bytes(*sum) {
            return Err(CheckpointError::Damaged("its checksum does not match"));
        }
        let mut input = Reader(body);
        if &input.take::<8>()? != MAGIC {
            return Err(CheckpointError::Damaged("not a checkpoint of this version"));
        }
        if input.u64()? != counting_key(campaign) {
            return Err(CheckpointError::OtherCampaign);
        }
        let boundary = input.i64()?;
        if boundary > now.timestamp_micros() {
            return Err(CheckpointError::TooLate);
        }
        let boundary_at = DateTime::from_timestamp_micros(boundary)
            .ok_or(CheckpointError::Damaged("a boundary out of range"))?;
        let latest = input.i64()?;
        if latest >= boundary {
            return Err(CheckpointError::Damaged("a gift after its boundary"));
        }
        let mut sums = Sums::default();
        for slot in [
            &mut sums.gross,
            &mut sums.fees,
            &mut sums.refunds,
            &mut sums.pending,
            &mut sums.one_off,
            &mut sums.matched,
        ] {
            *slot = input.decimal()?;
        }
        sums.pending_count = input.u64()?;
        for slot in sums.by_channel.iter_mut().chain([
            &mut sums.before_start,
            &mut sums.after_deadline,
            &mut sums.after_as_of,
            &mut sums.failed,
        ]) {
            *slot = input.counted()?;
        }
        let groups = input.count_of(1 + 3 + 8 + 17 + 8)?;
        for _ in 0..groups {
            let [reason] = input.take()?;
            let reason = match reason {
                0 => NotCountedReason::NoRates,
                1 => NotCountedReason::NoRateForDay,
                2 => NotCountedReason::TooLarge,
                _ => return Err(CheckpointError::Damaged("an unknown reason")),
            };
            let code = input.take::<3>()?;
            let currency = std::str::from_utf8(&code)
                .ok()
                .and_then(|code| crate::Currency::try_new(code).ok())
                .ok_or(CheckpointError::Damaged("an unknown currency"))?;
            let count = input.u64()?;
            let amount = input.decimal()?;
            let length = input.count_of(1)?;
            let (bytes, rest) = input
                .0
                .split_at_checked(length)
                .ok_or(CheckpointError::Damaged("truncated"))?;
            input.0 = rest;
            let example = std::str::from_utf8(bytes)
                .map_err(|_| CheckpointError::Damaged("an unreadable gift id"))?
                .to_owned();
            sums.not_counted.insert(
                (reason, currency),
                super::Uncounted {
                    count,
                    amount,
                    example,
                },
            );
        }
        let one_off_count = input.u64()?;
        let from = input.i64()?;
        let count = input.count_of(8 + 17)?;
        let mut minutes = Minutes {
            from,
            sums: BTreeMap::new(),
        };
        for _ in 0..count {
            let minute = input.i64()?;
            let value = input.decimal()?;
            if minute < from || minute * MINUTE_MICROS >= boundary {
                return Err(CheckpointError::Damaged("a minute outside its week"));
            }
            minutes
                .add_minute(minute, value)
                .map_err(|_| CheckpointError::Damaged("an amount out of range"))?;
        }
        let keys = KeysInfo {
            donors: input.u64()?,
            subscriptions: input.u64()?,
            checksum: input.u64()?,
        };
        if !input.0.is_empty() {
            return Err(CheckpointError::Damaged("bytes after the end"));
        }
        let mut tally = Tally::trusting_unique_ids(campaign, now);
        // The trailing week of `now`: the whole minutes after its start, and the edge minute
        // from the ledger.
        let start = tally.trailing_from.timestamp_micros();
        let edge_minute = start.div_euclid(MINUTE_MICROS);
        for (_, value) in sums_after(&minutes, edge_minute + 1) {
            sums.trailing = checked_add(sums.trailing, value)
                .map_err(|_| CheckpointError::Damaged("an amount out of range"))?;
        }
        let edge_end = ((edge_minute + 1) * MINUTE_MICROS).min(boundary);
        let edge = (start < edge_end)
            .then(|| {
                Some((
                    tally.trailing_from,
                    DateTime::from_timestamp_micros(edge_end)?,
                ))
            })
            .flatten();
        tally.sums = sums;
        tally.one_off_count = one_off_count;
        tally.latest = latest;
        tally.minutes = Some(minutes);
        tally.drained = true;
        Ok(Resumed {
            tally,
            boundary: boundary_at,
            keys,
            edge,
        })
    }

    /// Counts toward the trailing week a gift received in a resumed tally's
    /// [`edge`](Resumed::edge) (and nothing else of it: the checkpoint counted it otherwise).
    /// A gift outside the edge is ignored.
    ///
    /// # Errors
    ///
    /// As [`Tally::add`].
    pub fn add_edge(
        &mut self,
        donation: &crate::Donation,
        edge: (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<(), super::StatusError> {
        let at = donation.received_at();
        if at <= edge.0 || at >= edge.1 {
            return Ok(());
        }
        let mut alone = Tally::trusting_unique_ids(self.campaign, self.now);
        alone.add(donation)?;
        self.sums.trailing = checked_add(self.sums.trailing, alone.sums.trailing)?;
        Ok(())
    }

    /// The instant before which a checkpoint's gifts were received, if the bytes are one.
    pub fn boundary_of(checkpoint: &[u8]) -> Option<DateTime<Utc>> {
        let mut input = Reader(checkpoint);
        (&input.take::<8>().ok()? == MAGIC).then_some(())?;
        input.u64().ok()?;
        DateTime::from_timestamp_micros(input.i64().ok()?)
    }

    /// A fingerprint of the campaign's counting settings: the name under which to keep its
    /// checkpoints, so that campaigns sharing a store never resume each other's.
    pub fn checkpoint_key(campaign: &Campaign) -> u64 {
        counting_key(campaign)
    }

    /// The instant a tally must keep its minutes from ([`Tally::keeping_minutes_from`]) to be
    /// saved with this boundary.
    pub fn minutes_from(boundary: DateTime<Utc>) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(first_minute(boundary) * MINUTE_MICROS)
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

fn sums_after(minutes: &Minutes, from: i64) -> impl Iterator<Item = (i64, Decimal)> + '_ {
    minutes.sums.range(from..).map(|(m, v)| (*m, *v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::donation::Interval;
    use crate::rules::RecurringRule;
    use crate::status::SubscriptionState;
    use crate::{parse_zone, Donation, DonationStatus, Money};

    fn campaign() -> Campaign {
        Campaign::builder(
            "C",
            Money::parse("1000 EUR").unwrap(),
            parse_zone("Europe/Paris").unwrap(),
        )
        .start("2023-11-01".parse().unwrap())
        .deadline("2023-12-31".parse().unwrap())
        .build()
        .unwrap()
    }

    fn gifts() -> Vec<Donation> {
        (0..200)
            .map(|i| {
                let at: DateTime<Utc> = "2023-10-25T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
                    + Duration::hours(i * 7);
                let mut gift =
                    Donation::try_new(format!("g{i}"), Money::parse("12.5 EUR").unwrap(), at)
                        .unwrap();
                if i % 5 == 0 {
                    gift = gift
                        .recurring(Interval::Monthly, format!("s{}", i % 15))
                        .unwrap();
                }
                if i % 7 == 0 {
                    gift = gift.with_donor(format!("d{}", i % 9));
                }
                if i % 11 == 0 {
                    gift = gift
                        .with_status(DonationStatus::Refunded {
                            refunded: Money::parse("2 EUR").unwrap(),
                        })
                        .unwrap();
                }
                if i % 13 == 0 {
                    gift = gift.with_status(DonationStatus::Pending).unwrap();
                }
                // Gifts no rate converts, which the checkpoint keeps as not counted.
                if i % 17 == 0 {
                    let currency = if i % 34 == 0 { "USD" } else { "CHF" };
                    gift = Donation::try_new(
                        format!("x{i}"),
                        Money::parse(&format!("{i}.5 {currency}")).unwrap(),
                        at,
                    )
                    .unwrap();
                }
                gift
            })
            .collect()
    }

    /// What a caller does with the donors and subscriptions: keeps them apart, sorted, and
    /// merges them at the end.
    fn merged(parts: Vec<super::super::Keys>) -> (u64, Vec<super::super::SubscriptionState>) {
        let mut donors: Vec<u64> = parts.iter().flat_map(|k| k.donors.clone()).collect();
        donors.sort_unstable();
        donors.dedup();
        let mut subscriptions: Vec<super::super::SubscriptionState> = Vec::new();
        let mut all: Vec<_> = parts.into_iter().flat_map(|k| k.subscriptions).collect();
        all.sort_by_key(|s| s.key());
        for state in all {
            match subscriptions.last_mut() {
                Some(last) if last.key() == state.key() => last.absorb(state).unwrap(),
                _ => subscriptions.push(state),
            }
        }
        (donors.len() as u64, subscriptions)
    }

    /// The status at `now` from a checkpoint at `boundary` and the gifts after it, as a store
    /// computes it.
    fn resumed_status(
        campaign: &Campaign,
        gifts: &[Donation],
        boundary: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> crate::StatusDocument {
        let mut settled = Tally::trusting_unique_ids(campaign, boundary)
            .keeping_minutes_from(Tally::minutes_from(boundary));
        for gift in gifts.iter().filter(|g| g.received_at() < boundary) {
            settled.add(gift).unwrap();
        }
        let kept = settled.drain_keys();
        let info = KeysInfo {
            donors: kept.donors.len() as u64,
            subscriptions: kept.subscriptions.len() as u64,
            checksum: 42,
        };
        let bytes = settled.checkpoint(boundary, info).unwrap();
        assert_eq!(Tally::boundary_of(&bytes), Some(boundary));
        let Resumed {
            mut tally,
            boundary: resumed_at,
            keys,
            edge,
        } = Tally::resume(campaign, now, &bytes).unwrap();
        assert_eq!((resumed_at, keys), (boundary, info));
        if let Some(edge) = edge {
            for gift in gifts {
                tally.add_edge(gift, edge).unwrap();
            }
        }
        let mut recent = Tally::trusting_unique_ids(campaign, now);
        for gift in gifts.iter().filter(|g| g.received_at() >= boundary) {
            recent.add(gift).unwrap();
        }
        tally.merge(recent).unwrap();
        let rest = tally.drain_keys();
        let (donors, subscriptions) = merged(vec![kept, rest]);
        tally
            .finish_with(donors, subscriptions.into_iter().map(Ok))
            .unwrap()
    }

    /// At every boundary and every later instant, resuming from a checkpoint gives the same
    /// status as counting every gift.
    #[test]
    fn resuming_equals_counting_everything() {
        let campaign = campaign();
        let gifts = gifts();
        let start: DateTime<Utc> = "2023-10-28T00:17:03Z".parse().unwrap();
        let last = campaign.status(&gifts, start + Duration::days(60)).unwrap();
        assert_eq!(last.breakdown().excluded.not_counted.len(), 2);
        for b in 0..12 {
            let boundary = start + Duration::days(b * 5) + Duration::seconds(b * 611);
            for later in [
                0,
                1,
                3_600,
                6 * 86_400 + 86_399,
                7 * 86_400,
                7 * 86_400 + 31,
                8 * 86_400,
                20 * 86_400,
                70 * 86_400,
            ] {
                let now = boundary + Duration::seconds(later);
                let everything = campaign.status(&gifts, now).unwrap();
                assert_eq!(
                    resumed_status(&campaign, &gifts, boundary, now),
                    everything,
                    "{boundary} {now}"
                );
            }
            let too_soon = Tally::trusting_unique_ids(&campaign, boundary)
                .keeping_minutes_from(Tally::minutes_from(boundary))
                .checkpoint(boundary, KeysInfo::default())
                .unwrap();
            assert_eq!(
                Tally::resume(&campaign, boundary - Duration::microseconds(1), &too_soon)
                    .err()
                    .map(|e| e.to_string()),
                Some(CheckpointError::TooLate.to_string())
            );
        }
    }

    /// The start of the trailing week falls in the middle of a minute of gifts, on a gift, just
    /// before and just after one: the checkpoint's minutes and the edge read from the ledger
    /// count each gift once.
    #[test]
    fn the_minute_the_trailing_week_starts_in_is_counted_exactly() {
        let campaign = campaign();
        let first: DateTime<Utc> = "2023-11-20T10:00:00Z".parse().unwrap();
        let gifts: Vec<Donation> = (0..400)
            .map(|i| {
                let at = first + Duration::seconds(i * 7) + Duration::microseconds(i * 13);
                let gift = Donation::try_new(
                    format!("e{i}"),
                    Money::parse(&format!("{}.25 EUR", i % 9 + 1)).unwrap(),
                    at,
                )
                .unwrap();
                if i % 3 == 0 {
                    gift.recurring(Interval::Monthly, format!("m{}", i % 4))
                        .unwrap()
                } else {
                    gift
                }
            })
            .collect();
        let boundary = first + Duration::minutes(30) + Duration::seconds(17);
        for (i, gift) in gifts.iter().enumerate().step_by(23) {
            for nudge in [-1, 0, 1, 30_000_000] {
                let now = gift.received_at()
                    + Duration::days(TRAILING_DAYS)
                    + Duration::microseconds(nudge);
                if now < boundary {
                    continue;
                }
                for rules in [RecurringRule::Received, RecurringRule::First] {
                    let campaign = with_recurring(&campaign, rules);
                    let everything = campaign.status(&gifts, now).unwrap();
                    assert_eq!(
                        resumed_status(&campaign, &gifts, boundary, now),
                        everything,
                        "gift {i} nudge {nudge}"
                    );
                }
            }
        }
    }

    fn with_recurring(campaign: &Campaign, rule: RecurringRule) -> Campaign {
        let rules = crate::rules::CountingRules::DEFAULT.with_recurring(rule);
        Campaign::builder("C", campaign.goal(), campaign.zone())
            .start("2023-11-01".parse().unwrap())
            .deadline("2023-12-31".parse().unwrap())
            .rules(rules)
            .build()
            .unwrap()
    }

    #[test]
    fn subscription_states_read_back_as_written_and_sort_as_their_keys() {
        let campaign = campaign();
        let mut tally =
            Tally::trusting_unique_ids(&campaign, "2023-12-30T00:00:00Z".parse().unwrap());
        tally.add_all(&gifts()).unwrap();
        let keys = tally.drain_keys();
        assert_eq!(keys.subscriptions.len(), 3);
        let mut previous: Option<[u8; SubscriptionState::BYTES]> = None;
        for state in &keys.subscriptions {
            let bytes = state.to_bytes();
            assert_eq!(&SubscriptionState::from_bytes(&bytes).unwrap(), state);
            if let Some(previous) = previous {
                assert!(previous < bytes);
            }
            previous = Some(bytes);
        }
        let mut bad = keys.subscriptions[0].to_bytes();
        bad[16] = 9;
        assert!(SubscriptionState::from_bytes(&bad).is_err());
        assert_eq!(tally.held_keys(), 0);
        assert_eq!(
            tally.finish().err(),
            Some(super::super::StatusError::KeysElsewhere)
        );
    }

    #[test]
    fn a_checkpoint_is_refused_where_it_does_not_belong() {
        let campaign = campaign();
        let boundary: DateTime<Utc> = "2023-11-20T00:00:00Z".parse().unwrap();
        let now = boundary + Duration::days(10);
        let settled = |now, minutes: bool| {
            let mut tally = Tally::trusting_unique_ids(&campaign, now);
            if minutes {
                tally = tally.keeping_minutes_from(Tally::minutes_from(boundary));
            }
            for gift in gifts().iter().filter(|g| g.received_at() < boundary) {
                tally.add(gift).unwrap();
            }
            tally
        };
        let keys = KeysInfo::default();
        let mut tally = settled(now, true);
        assert_eq!(
            tally.checkpoint(boundary, keys).err(),
            Some(CheckpointError::KeysHeld)
        );
        tally.drain_keys();
        let mut too_soon = settled(boundary - Duration::seconds(1), true);
        too_soon.drain_keys();
        assert_eq!(
            too_soon.checkpoint(boundary, keys).err(),
            Some(CheckpointError::TooLate)
        );
        assert_eq!(
            tally.checkpoint(boundary - Duration::days(1), keys).err(),
            Some(CheckpointError::GiftAfterBoundary)
        );
        let mut no_minutes = settled(now, false);
        no_minutes.drain_keys();
        assert_eq!(
            no_minutes.checkpoint(boundary, keys).err(),
            Some(CheckpointError::NoMinutes)
        );
        let mut late_minutes = Tally::trusting_unique_ids(&campaign, now)
            .keeping_minutes_from(Tally::minutes_from(boundary) + Duration::minutes(1));
        late_minutes.drain_keys();
        assert_eq!(
            late_minutes.checkpoint(boundary, keys).err(),
            Some(CheckpointError::NoMinutes)
        );
        assert_eq!(
            Tally::new(&campaign, now).checkpoint(boundary, keys).err(),
            Some(CheckpointError::ChecksIds)
        );
        let bytes = tally.checkpoint(boundary, keys).unwrap();
        let other = Campaign::builder(
            "C",
            Money::parse("1000 EUR").unwrap(),
            parse_zone("Europe/Paris").unwrap(),
        )
        .start("2023-11-02".parse().unwrap())
        .deadline("2023-12-31".parse().unwrap())
        .build()
        .unwrap();
        assert_eq!(
            Tally::resume(&other, now, &bytes)
                .err()
                .map(|e| e.to_string()),
            Some(CheckpointError::OtherCampaign.to_string())
        );
        // Every truncation and every flipped byte is refused.
        for cut in 0..bytes.len() {
            assert!(Tally::resume(&campaign, now, &bytes[..cut]).is_err());
        }
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0xA5;
            assert!(Tally::resume(&campaign, now, &damaged).is_err(), "byte {i}");
        }
    }
}
