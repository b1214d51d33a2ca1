//! A tally of the gifts received before an instant, kept between runs: what a store saves so
//! that the next status counts only the gifts that came after it.
//!
//! A gift received at least a week before `now` counts the same whatever `now` is (it is past
//! the trailing week and not after the as-of instant), so the tally of every gift received
//! before a boundary can be saved, and resumed by any later status whose trailing week starts at
//! or after that boundary. The bytes carry the campaign's counting settings, and are refused by a
//! campaign with other settings, at an instant too early for them, or when damaged.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

use super::{Subscription, Sums, Tally, TRAILING_DAYS};
use crate::campaign::Campaign;
use crate::document::NotCountedReason;
use crate::donation::Interval;

/// The first bytes of a checkpoint, with its format's version.
const MAGIC: &[u8; 8] = b"jaugeT2\0";

/// Why a checkpoint could not be made or resumed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The tally counted a gift received at or after the boundary.
    #[error("the tally counted a gift received at or after the checkpoint's boundary")]
    GiftAfterBoundary,
    /// The tally checks ids itself: its checkpoint would have to carry every id.
    #[error("only a tally trusting unique ids can be saved")]
    ChecksIds,
    /// The checkpoint was made for a campaign with other counting settings.
    #[error("the checkpoint was made for other counting settings")]
    OtherCampaign,
    /// The boundary is inside the trailing week of `now`: gifts before it do not all count the
    /// same at `now`.
    #[error("the checkpoint's boundary is too late for this instant")]
    TooLate,
    /// The bytes are not a checkpoint of this version.
    #[error("damaged checkpoint: {0}")]
    Damaged(&'static str),
}

/// A fingerprint of everything that decides how a gift counts: a checkpoint of one campaign is
/// never resumed by another.
fn counting_key(campaign: &Campaign) -> u64 {
    // The rates too: what was counted converted at some rates is not reused with others.
    let settings = format!(
        "{}|{}|{}|{}|{:?}|{:?}",
        campaign.goal().currency().code(),
        campaign.start().timestamp_micros(),
        campaign.deadline().timestamp_micros(),
        campaign.zone().name(),
        campaign.rules(),
        campaign.rates().map(crate::rates::Rates::fingerprint)
    );
    xxhash_rust::xxh3::xxh3_64(settings.as_bytes())
}

/// The latest boundary a checkpoint may have to be resumed at `now`.
pub(crate) fn latest_boundary(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(TRAILING_DAYS)
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
    /// before `boundary` (and trusts ids to be unique, as a store guarantees). Its own instant
    /// must be a week or more after the boundary, so that none of them counted in its trailing
    /// week or after its instant: then they count as they would at any later instant.
    ///
    /// # Errors
    ///
    /// [`CheckpointError::GiftAfterBoundary`], [`CheckpointError::TooLate`] or
    /// [`CheckpointError::ChecksIds`].
    pub fn checkpoint(&self, boundary: DateTime<Utc>) -> Result<Vec<u8>, CheckpointError> {
        if self.ids.is_some() {
            return Err(CheckpointError::ChecksIds);
        }
        if boundary > latest_boundary(self.now) {
            return Err(CheckpointError::TooLate);
        }
        if self.latest >= boundary.timestamp_micros() {
            return Err(CheckpointError::GiftAfterBoundary);
        }
        let mut out = Writer(Vec::with_capacity(
            256 + self.donors.len() * 8 + self.subscriptions.len() * 64,
        ));
        out.0.extend_from_slice(MAGIC);
        out.u64(counting_key(self.campaign));
        out.i64(boundary.timestamp_micros());
        out.i64(self.latest);
        let s = &self.sums;
        for d in [
            s.gross, s.fees, s.refunds, s.pending, s.one_off, s.matched, s.trailing,
        ] {
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
        out.u64(self.donors.len() as u64);
        for donor in &self.donors {
            out.u64(*donor);
        }
        out.u64(self.subscriptions.len() as u64);
        for (key, sub) in &self.subscriptions {
            out.0.extend_from_slice(&key.to_le_bytes());
            out.0.push(match sub.interval {
                Interval::Monthly => 0,
                Interval::Yearly => 1,
            });
            out.0.push(u8::from(sub.matched));
            out.0.extend_from_slice(&sub.payments.to_le_bytes());
            for n in [
                sub.received,
                sub.first.0,
                sub.first.1,
                sub.last.0,
                sub.last.1,
            ] {
                out.i64(n);
            }
        }
        // A checksum last: a damaged checkpoint is refused whole, never half-read into figures.
        let sum = xxhash_rust::xxh3::xxh3_64(&out.0);
        out.u64(sum);
        Ok(out.0)
    }

    /// A tally of `campaign` at `now` that starts from a checkpoint: count into it the gifts
    /// received at or after [`Tally::boundary_of`] the checkpoint, and it finishes as a tally of
    /// every gift would.
    ///
    /// # Errors
    ///
    /// The checkpoint is of other counting settings, too late for `now`, or damaged.
    pub fn resume(
        campaign: &'c Campaign,
        now: DateTime<Utc>,
        checkpoint: &[u8],
    ) -> Result<Tally<'c>, CheckpointError> {
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
        if boundary > latest_boundary(now).timestamp_micros() {
            return Err(CheckpointError::TooLate);
        }
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
            &mut sums.trailing,
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
        let donor_count = input.count_of(8)?;
        let mut donors = HashSet::with_capacity_and_hasher(donor_count, Default::default());
        for _ in 0..donor_count {
            donors.insert(input.u64()?);
        }
        let subscription_count = input.count_of(16 + 2 + 4 + 40)?;
        let mut subscriptions =
            HashMap::with_capacity_and_hasher(subscription_count, Default::default());
        for _ in 0..subscription_count {
            let key = u128::from_le_bytes(input.take()?);
            let [interval, matched] = input.take()?;
            let interval = match interval {
                0 => Interval::Monthly,
                1 => Interval::Yearly,
                _ => return Err(CheckpointError::Damaged("an unknown interval")),
            };
            let payments = u32::from_le_bytes(input.take()?);
            let received = input.i64()?;
            let first = (input.i64()?, input.i64()?);
            let last = (input.i64()?, input.i64()?);
            subscriptions.insert(
                key,
                Subscription {
                    interval,
                    matched: matched != 0,
                    payments,
                    received,
                    first,
                    last,
                },
            );
        }
        if !input.0.is_empty() {
            return Err(CheckpointError::Damaged("bytes after the end"));
        }
        let mut tally = Tally::trusting_unique_ids(campaign, now);
        tally.sums = sums;
        tally.one_off_count = one_off_count;
        tally.donors = donors;
        tally.subscriptions = subscriptions;
        tally.latest = latest;
        Ok(tally)
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

    /// The latest boundary a checkpoint can have and still be resumed by a tally at `now`.
    pub fn checkpoint_boundary(now: DateTime<Utc>) -> DateTime<Utc> {
        latest_boundary(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

    /// At every boundary and every later instant, resuming from a checkpoint gives the same
    /// status as counting every gift.
    #[test]
    fn resuming_equals_counting_everything() {
        let campaign = campaign();
        let gifts = gifts();
        let start: DateTime<Utc> = "2023-10-28T00:00:00Z".parse().unwrap();
        let last = campaign.status(&gifts, start + Duration::days(60)).unwrap();
        assert_eq!(last.breakdown().excluded.not_counted.len(), 2);
        for b in 0..12 {
            let boundary = start + Duration::days(b * 5);
            let mut settled =
                Tally::trusting_unique_ids(&campaign, boundary + Duration::days(TRAILING_DAYS));
            for gift in gifts.iter().filter(|g| g.received_at() < boundary) {
                settled.add(gift).unwrap();
            }
            let bytes = settled.checkpoint(boundary).unwrap();
            assert_eq!(Tally::boundary_of(&bytes), Some(boundary));
            for later in [7, 8, 20, 70] {
                let now = boundary + Duration::days(later);
                let mut resumed = Tally::resume(&campaign, now, &bytes).unwrap();
                for gift in gifts.iter().filter(|g| g.received_at() >= boundary) {
                    resumed.add(gift).unwrap();
                }
                let everything = campaign.status(&gifts, now).unwrap();
                assert_eq!(resumed.finish().unwrap(), everything, "{boundary} {now}");
            }
            assert_eq!(
                Tally::resume(&campaign, boundary + Duration::days(6), &bytes).err(),
                Some(CheckpointError::TooLate)
            );
        }
    }

    #[test]
    fn a_checkpoint_is_refused_where_it_does_not_belong() {
        let campaign = campaign();
        let boundary: DateTime<Utc> = "2023-11-20T00:00:00Z".parse().unwrap();
        let now = boundary + Duration::days(10);
        let mut tally = Tally::trusting_unique_ids(&campaign, now);
        for gift in gifts().iter().filter(|g| g.received_at() < boundary) {
            tally.add(gift).unwrap();
        }
        let mut too_soon = Tally::trusting_unique_ids(&campaign, boundary);
        for gift in gifts().iter().filter(|g| g.received_at() < boundary) {
            too_soon.add(gift).unwrap();
        }
        assert_eq!(
            too_soon.checkpoint(boundary).err(),
            Some(CheckpointError::TooLate)
        );
        assert_eq!(
            tally.checkpoint(boundary - Duration::days(1)).err(),
            Some(CheckpointError::GiftAfterBoundary)
        );
        assert_eq!(
            Tally::new(&campaign, now).checkpoint(boundary).err(),
            Some(CheckpointError::ChecksIds)
        );
        let bytes = tally.checkpoint(boundary).unwrap();
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
            Tally::resume(&other, now, &bytes).err(),
            Some(CheckpointError::OtherCampaign)
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
