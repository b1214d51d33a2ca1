//! What finance staff read: the status plus daily and weekly series, over a date range.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::campaign::Campaign;
use crate::document::{percent_of, StatusDocument};
use crate::donation::Donation;
use crate::money::Money;
use crate::status::{Contribution, StatusError, Tally};

/// Money counted on one day or in one week.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Period {
    /// The first day of the period, in the campaign's zone (weeks start on Monday).
    pub start: NaiveDate,
    /// Gifts counted in the period.
    pub count: u64,
    /// What they count for (fee and refund rules applied, recurring payments as received).
    pub amount: Money,
    /// The part of `amount` that came from recurring gifts (the rest is one-off).
    pub recurring: Money,
    /// Baseline plus everything counted up to the end of the period.
    pub cumulative: Money,
    /// `cumulative` as a percentage of the goal, truncated to two decimals.
    pub percent_of_goal: Decimal,
}

/// Where gifts came from, as the importers name it: the prefix of their ids (`stripe:ch_…`,
/// `helloasso:…`, `paypal:…`); gifts whose id names no platform are the ledger's own
/// (`ledger`: typed in, or from jauge's CSV).
pub fn source_of(id: &str) -> &str {
    match id.split_once(':') {
        Some((prefix, _))
            if !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_lowercase()) =>
        {
            prefix
        }
        _ => "ledger",
    }
}

/// The gifts from one source: how many, their gross amount, the refunds and fees on them, and
/// what is left. The sources together hold every gift the status's gross sums (those refunded
/// in full included), so their gross, refunds and fees are the Totals'.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourceTotal {
    /// The source ([`source_of`]).
    pub source: String,
    /// Gifts in the gross (counted, or refunded in full).
    pub count: u64,
    /// Their amounts as given.
    pub gross: Money,
    /// What was given back of them.
    pub refunds: Money,
    /// The providers' fees on them (kept by the provider on a refunded gift too).
    pub fees: Money,
    /// Gross less refunds and fees: what the association keeps.
    pub net: Money,
}

/// Gifts whose amount is in `[from, below)` (the last band has no upper bound).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SizeBand {
    /// The smallest amount in the band.
    pub from: Money,
    /// The first amount above the band, none for the last.
    pub below: Option<Money>,
    /// Gifts in the band.
    pub count: u64,
    /// Their gross amount.
    pub amount: Money,
}

/// What treasurers ask of the gifts counted, whatever the counting rule: gross and net of fees
/// by source, the average and median gift, and gifts by size.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GiftFigures {
    /// One row per source, by gross amount, largest first.
    pub by_source: Vec<SourceTotal>,
    /// Every source together: the Totals' gross, refunds and fees.
    pub total: SourceTotal,
    /// The gifts in the gross that the sizes, the average and the median leave out: those
    /// refunded in full, which count for nothing (their gross is in `total`).
    pub refunded_in_full: LeftOut,
    /// The mean gift (gross), rounded to the currency's minor unit; none without gifts.
    pub average: Option<Money>,
    /// The middle gift (the mean of the two middle ones for an even count); none without gifts.
    pub median: Option<Money>,
    /// Under 20, 20 to 50, 50 to 100, 100 to 500, 500 and over, in the campaign's currency.
    pub bands: Vec<SizeBand>,
}

/// Gifts a table leaves out, and their gross.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LeftOut {
    /// How many.
    pub count: u64,
    /// Their gross amount.
    pub gross: Money,
}

/// The lower bounds of the size bands, in whole units of the campaign's currency.
const BANDS: [i64; 5] = [0, 20, 50, 100, 500];

/// Gift figures as they accumulate: sums per source and a histogram of amounts (gifts repeat
/// the same few amounts, so the median needs no list of every gift).
#[derive(Default)]
struct GiftTotals {
    /// Per source: gifts, gross, refunds, fees.
    by_source: BTreeMap<String, Sums4>,
    amounts: BTreeMap<Decimal, u64>,
    /// Gifts refunded in full: how many, their gross.
    refunded_in_full: (u64, Decimal),
}

/// Gifts, gross, refunds and fees.
type Sums4 = (u64, Decimal, Decimal, Decimal);

impl GiftTotals {
    /// Adds a gift of the gross: `counted` (into the sizes too), or refunded in full.
    fn add(&mut self, donation: &Donation, counted: bool) {
        let gross = donation.amount().amount();
        let fee = donation.fee().map_or(Decimal::ZERO, |fee| fee.amount());
        let refunded = match donation.status() {
            crate::DonationStatus::Refunded { refunded } => refunded.amount(),
            _ => Decimal::ZERO,
        };
        let entry = self
            .by_source
            .entry(source_of(donation.id()).to_owned())
            .or_default();
        *entry = (
            entry.0 + 1,
            entry.1 + gross,
            entry.2 + refunded,
            entry.3 + fee,
        );
        if counted {
            *self.amounts.entry(gross.normalize()).or_default() += 1;
        } else {
            self.refunded_in_full = (self.refunded_in_full.0 + 1, self.refunded_in_full.1 + gross);
        }
    }

    fn merge(&mut self, other: GiftTotals) {
        for (source, (count, gross, refunds, fees)) in other.by_source {
            let entry = self.by_source.entry(source).or_default();
            *entry = (
                entry.0 + count,
                entry.1 + gross,
                entry.2 + refunds,
                entry.3 + fees,
            );
        }
        for (amount, count) in other.amounts {
            *self.amounts.entry(amount).or_default() += count;
        }
        self.refunded_in_full = (
            self.refunded_in_full.0 + other.refunded_in_full.0,
            self.refunded_in_full.1 + other.refunded_in_full.1,
        );
    }

    fn finish(self, currency: crate::Currency) -> GiftFigures {
        let money = |amount: Decimal| Money::rounded(amount, currency);
        let row = |source: String, (count, gross, refunds, fees): Sums4| SourceTotal {
            source,
            count,
            gross: money(gross),
            refunds: money(refunds),
            fees: money(fees),
            net: money(gross - refunds - fees),
        };
        let total = self
            .by_source
            .values()
            .fold((0, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO), |a, b| {
                (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3)
            });
        let left_out = LeftOut {
            count: self.refunded_in_full.0,
            gross: money(self.refunded_in_full.1),
        };
        let mut by_source: Vec<SourceTotal> = self
            .by_source
            .into_iter()
            .map(|(source, sums)| row(source, sums))
            .collect();
        by_source.sort_by(|a, b| {
            b.gross
                .amount()
                .cmp(&a.gross.amount())
                .then(a.source.cmp(&b.source))
        });
        // The sizes, average and median are of the gifts counted.
        let count = total.0 - left_out.count;
        let counted_gross = total.1 - self.refunded_in_full.1;
        // The gift at 0-based rank `rank` in increasing order.
        let at_rank = |rank: u64| {
            let mut seen = 0;
            self.amounts.iter().find_map(|(amount, n)| {
                seen += n;
                (seen > rank).then_some(*amount)
            })
        };
        let median = match count {
            0 => None,
            n if n % 2 == 1 => at_rank(n / 2),
            n => at_rank(n / 2 - 1)
                .zip(at_rank(n / 2))
                .map(|(low, high)| (low + high) / Decimal::TWO),
        };
        let average = (count > 0).then(|| counted_gross / Decimal::from(count));
        let bands = BANDS
            .iter()
            .enumerate()
            .map(|(i, &from)| {
                let from = Decimal::from(from);
                let below = BANDS.get(i + 1).map(|&b| Decimal::from(b));
                let (count, amount) = self
                    .amounts
                    .range(from..)
                    .take_while(|(amount, _)| below.is_none_or(|below| **amount < below))
                    .fold((0, Decimal::ZERO), |(c, a), (amount, n)| {
                        (c + n, a + amount * Decimal::from(*n))
                    });
                SizeBand {
                    from: money(from),
                    below: below.map(money),
                    count,
                    amount: money(amount),
                }
            })
            .collect();
        GiftFigures {
            by_source,
            total: row("all".to_owned(), total),
            refunded_in_full: left_out,
            average: average.map(money),
            median: median.map(money),
            bands,
        }
    }
}

/// The gifts counted in one other currency.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CurrencyTotal {
    /// Gifts counted.
    pub count: u64,
    /// Their amounts as given, in their currency.
    pub original: Money,
    /// The same converted, each at the rate of its day, in the campaign's currency.
    pub converted: Money,
    /// The lowest rate used (one unit in the campaign's currency).
    #[serde(with = "crate::wire::decimal")]
    pub lowest_rate: Decimal,
    /// The highest.
    #[serde(with = "crate::wire::decimal")]
    pub highest_rate: Decimal,
    /// The ECB days of the first and last rates used; none for a fixed table.
    pub first_day: Option<NaiveDate>,
    /// See `first_day`.
    pub last_day: Option<NaiveDate>,
}

/// The running sums of one other currency.
#[derive(Clone, Copy)]
struct CurrencySums {
    count: u64,
    original: Decimal,
    converted: Decimal,
    lowest_rate: Decimal,
    highest_rate: Decimal,
    first_day: Option<NaiveDate>,
    last_day: Option<NaiveDate>,
}

impl CurrencySums {
    fn absorb(&mut self, other: CurrencySums) {
        self.count += other.count;
        self.original += other.original;
        self.converted += other.converted;
        self.lowest_rate = self.lowest_rate.min(other.lowest_rate);
        self.highest_rate = self.highest_rate.max(other.highest_rate);
        self.first_day = match (self.first_day, other.first_day) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last_day = self.last_day.max(other.last_day);
    }
}

/// Per other currency, what its gifts were and count for, and the rates used.
#[derive(Default)]
struct CurrencyTotals(BTreeMap<crate::Currency, CurrencySums>);

impl CurrencyTotals {
    fn add(&mut self, original: Money, converted: Money, rate: crate::rates::RateUsed) {
        let gift = CurrencySums {
            count: 1,
            original: original.amount(),
            converted: converted.amount(),
            lowest_rate: rate.rate,
            highest_rate: rate.rate,
            first_day: rate.day,
            last_day: rate.day,
        };
        match self.0.get_mut(&original.currency()) {
            Some(sums) => sums.absorb(gift),
            None => {
                self.0.insert(original.currency(), gift);
            }
        }
    }

    fn merge(&mut self, other: CurrencyTotals) {
        for (currency, theirs) in other.0 {
            match self.0.get_mut(&currency) {
                Some(mine) => mine.absorb(theirs),
                None => {
                    self.0.insert(currency, theirs);
                }
            }
        }
    }

    fn finish(self, campaign: crate::Currency) -> Vec<CurrencyTotal> {
        self.0
            .into_iter()
            .map(|(currency, sums)| CurrencyTotal {
                count: sums.count,
                original: Money::rounded(sums.original, currency),
                converted: Money::rounded(sums.converted, campaign),
                lowest_rate: sums.lowest_rate,
                highest_rate: sums.highest_rate,
                first_day: sums.first_day,
                last_day: sums.last_day,
            })
            .collect()
    }
}

/// A finance report: the status at the as-of instant, and the series behind it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// The first day reported, in the campaign's zone.
    pub from: NaiveDate,
    /// The last day reported.
    pub to: NaiveDate,
    /// Gifts counted within the days reported.
    pub range_count: u64,
    /// What they count for.
    pub range_amount: Money,
    /// Day by day, every day from `from` to `to` (days without gifts included).
    pub days: Vec<Period>,
    /// Week by week (Monday to Sunday), for the weeks that overlap the range.
    pub weeks: Vec<Period>,
    /// The status at the as-of instant, over the whole campaign.
    pub status: StatusDocument,
    /// Gross and net by source, average and median gift, gifts by size: every gift counted in
    /// the whole campaign at the as-of instant (as the status), not only the days reported.
    pub gifts: GiftFigures,
    /// Gifts counted in other currencies, one row per currency: what they were, what they count
    /// for once converted, and the rates used (empty when every gift is in the campaign's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub currencies: Vec<CurrencyTotal>,
    /// This campaign against the earlier ones its campaign file names (filled in by whoever
    /// reads their ledgers; none without them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<crate::compare::Comparison>,
}

/// Gifts counted on one day: how many, what they count for, and the recurring part of it.
#[derive(Clone, Copy, Default)]
struct DayTotals {
    count: u64,
    amount: Decimal,
    recurring: Decimal,
}

impl DayTotals {
    fn add(&mut self, other: DayTotals) {
        self.count += other.count;
        self.amount += other.amount;
        self.recurring += other.recurring;
    }
}

/// Builds a [`Report`] in one streaming pass, like [`Tally`].
///
/// # Example
///
/// ```
/// use jauge::{parse_zone, Campaign, Donation, Money, ReportBuilder};
///
/// let campaign = Campaign::builder("Servers 2024", Money::parse("1000 EUR")?, parse_zone("Europe/Paris")?)
///     .start("2024-12-01".parse()?)
///     .deadline("2024-12-31".parse()?)
///     .build()?;
/// let mut report = ReportBuilder::new(&campaign, "2024-12-03T12:00:00Z".parse()?, None, None);
/// // 23:30 UTC on 1 December is already 2 December in Paris.
/// report.add(&Donation::try_new("1", Money::parse("30 EUR")?, "2024-12-01T23:30:00Z".parse()?)?)?;
/// let report = report.finish()?;
/// let days: Vec<String> = report.days.iter().map(|d| format!("{} {}", d.start, d.amount)).collect();
/// assert_eq!(days, ["2024-12-01 0.00 EUR", "2024-12-02 30.00 EUR", "2024-12-03 0.00 EUR"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ReportBuilder<'c> {
    tally: Tally<'c>,
    campaign: &'c Campaign,
    now: DateTime<Utc>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    days: BTreeMap<NaiveDate, DayTotals>,
    gifts: GiftTotals,
    currencies: CurrencyTotals,
}

impl<'c> ReportBuilder<'c> {
    /// A report of `campaign` as it stands at `now`, over the days `from`..=`to` in the
    /// campaign's zone (by default the campaign's days up to `now`).
    pub fn new(
        campaign: &'c Campaign,
        now: DateTime<Utc>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> ReportBuilder<'c> {
        ReportBuilder {
            tally: Tally::new(campaign, now),
            campaign,
            now,
            from,
            to,
            days: BTreeMap::new(),
            gifts: GiftTotals::default(),
            currencies: CurrencyTotals::default(),
        }
    }

    /// Skips the check that donation ids are unique, for a caller that checks them itself (see
    /// [`Tally::trusting_unique_ids`]).
    #[must_use]
    pub fn trusting_unique_ids(mut self) -> ReportBuilder<'c> {
        self.tally = Tally::trusting_unique_ids(self.campaign, self.now);
        self
    }

    /// Adds what `other` counted, as [`Tally::merge`] does.
    ///
    /// # Errors
    ///
    /// As [`Tally::merge`], and [`StatusError::Mismatch`] for reports over different days.
    pub fn merge(&mut self, other: ReportBuilder<'c>) -> Result<(), StatusError> {
        if (self.from, self.to) != (other.from, other.to) {
            return Err(StatusError::Mismatch);
        }
        self.tally.merge(other.tally)?;
        for (day, totals) in other.days {
            self.days.entry(day).or_default().add(totals);
        }
        self.gifts.merge(other.gifts);
        self.currencies.merge(other.currencies);
        Ok(())
    }

    /// Counts one donation.
    ///
    /// # Errors
    ///
    /// As [`Tally::add`].
    pub fn add(&mut self, donation: &Donation) -> Result<Option<Contribution>, StatusError> {
        let currency = self.campaign.currency();
        // A gift the rates cannot convert goes to the tally as it is, which keeps it as not
        // counted, with its reason.
        let (converted, rate) = match self.campaign.rates() {
            Some(rates) if donation.amount().currency() != currency => {
                match rates.convert(donation, currency) {
                    Ok((converted, rate)) => (Some(converted), rate),
                    Err(_) => (None, None),
                }
            }
            _ => (None, None),
        };
        let original = donation;
        let donation = converted.as_ref().unwrap_or(donation);
        let gross_before = self.tally.gross();
        let counted = self.tally.add(donation)?;
        // A gift in the gross that counts for nothing (refunded in full) is in the sources'
        // table, so that it sums to the Totals' gross, refunds and fees, but not in the sizes.
        if counted.is_none() && self.tally.gross() != gross_before {
            self.gifts.add(donation, false);
        }
        if let Some(contribution) = counted {
            if let Some(rate) = rate {
                self.currencies
                    .add(original.amount(), donation.amount(), rate);
            }
            self.gifts.add(donation, true);
            let day = contribution
                .received_at
                .with_timezone(&self.campaign.zone())
                .date_naive();
            let amount = contribution.amount.amount();
            self.days.entry(day).or_default().add(DayTotals {
                count: 1,
                amount,
                recurring: if contribution.recurring {
                    amount
                } else {
                    Decimal::ZERO
                },
            });
        }
        Ok(counted)
    }

    /// Counts money given back whose gift is not named, as [`Tally::add_reversal`]: taken off
    /// its day too, so the days still sum to what the gifts count for.
    ///
    /// # Errors
    ///
    /// As [`Tally::add_reversal`].
    pub fn add_reversal(
        &mut self,
        id: &str,
        amount: Money,
        at: DateTime<Utc>,
    ) -> Result<(), StatusError> {
        let before = self.tally.reversals();
        if self.tally.add_reversal(id, amount, at)? {
            let taken = self.tally.reversals() - before;
            let day = at.with_timezone(&self.campaign.zone()).date_naive();
            self.days.entry(day).or_default().add(DayTotals {
                count: 0,
                amount: -taken,
                recurring: Decimal::ZERO,
            });
        }
        Ok(())
    }

    /// How many donors and subscriptions the builder holds (see [`Tally::held_keys`]).
    pub fn held_keys(&self) -> usize {
        self.tally.held_keys()
    }

    /// Takes the donors and subscriptions out (see [`Tally::drain_keys`]); the builder then
    /// finishes with [`ReportBuilder::finish_with`].
    pub fn drain_keys(&mut self) -> crate::status::Keys {
        self.tally.drain_keys()
    }

    /// The report.
    ///
    /// # Errors
    ///
    /// As [`Tally::finish`].
    pub fn finish(mut self) -> Result<Report, StatusError> {
        let tally = std::mem::replace(
            &mut self.tally,
            Tally::trusting_unique_ids(self.campaign, self.now),
        );
        let status = tally.finish()?;
        self.finish_from(status)
    }

    /// The report of a builder whose donors and subscriptions were drained and merged
    /// elsewhere (see [`Tally::finish_with`]).
    ///
    /// # Errors
    ///
    /// As [`Tally::finish_with`].
    pub fn finish_with(
        mut self,
        donors: u64,
        subscriptions: impl IntoIterator<Item = Result<crate::status::SubscriptionState, StatusError>>,
    ) -> Result<Report, StatusError> {
        let tally = std::mem::replace(
            &mut self.tally,
            Tally::trusting_unique_ids(self.campaign, self.now),
        );
        let status = tally.finish_with(donors, subscriptions)?;
        self.finish_from(status)
    }

    fn finish_from(self, status: StatusDocument) -> Result<Report, StatusError> {
        let zone = self.campaign.zone();
        let currency = self.campaign.currency();
        let goal = self.campaign.goal().value();
        let local = |instant: DateTime<Utc>| instant.with_timezone(&zone).date_naive();
        let first_day = local(self.campaign.start());
        // The deadline instant is the first that no longer counts: the last day is the one before.
        let last_day = local(self.campaign.deadline() - Duration::seconds(1));
        let as_of_day = local(self.now).clamp(first_day, last_day);
        let from = self.from.unwrap_or(first_day).max(first_day);
        let to = self.to.unwrap_or(as_of_day).min(last_day).max(from);

        let period = |start, totals: DayTotals, cumulative: Decimal| Period {
            start,
            count: totals.count,
            amount: Money::rounded(totals.amount, currency),
            recurring: Money::rounded(totals.recurring, currency),
            cumulative: Money::rounded(cumulative, currency),
            percent_of_goal: percent_of(cumulative, goal),
        };
        let mut cumulative = status.breakdown().baseline.amount();
        let mut days = Vec::new();
        // Monday, the week's totals, and the cumulative figure at its last day reported.
        let mut weeks: Vec<(NaiveDate, DayTotals, Decimal)> = Vec::new();
        let (mut range_count, mut range_amount) = (0, Decimal::ZERO);
        let mut day = first_day;
        while day <= to {
            let totals = self.days.get(&day).copied().unwrap_or_default();
            cumulative += totals.amount;
            if day >= from {
                range_count += totals.count;
                range_amount += totals.amount;
                days.push(period(day, totals, cumulative));
                let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                match weeks.last_mut() {
                    Some((start, week, end)) if *start == monday => {
                        week.add(totals);
                        *end = cumulative;
                    }
                    _ => weeks.push((monday, totals, cumulative)),
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        Ok(Report {
            from,
            to,
            range_count,
            range_amount: Money::rounded(range_amount, currency),
            days,
            weeks: weeks
                .into_iter()
                .map(|(monday, totals, end)| period(monday, totals, end))
                .collect(),
            status,
            gifts: self.gifts.finish(currency),
            currencies: self.currencies.finish(currency),
            comparison: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_zone;

    fn eur(text: &str) -> Money {
        Money::parse(&format!("{text} EUR")).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn campaign() -> Campaign {
        Campaign::builder("r", eur("1000"), parse_zone("Europe/Paris").unwrap())
            .start("2024-12-01".parse().unwrap())
            .deadline("2024-12-31".parse().unwrap())
            .baseline(eur("100"), "by hand")
            .build()
            .unwrap()
    }

    fn ledger() -> Vec<Donation> {
        [
            ("a", "10", "2024-12-01T10:00:00+01:00"),
            ("b", "20", "2024-12-02T10:00:00+01:00"),
            ("c", "30", "2024-12-09T00:30:00+01:00"),
            ("d", "40", "2024-12-31T23:59:00+01:00"),
        ]
        .iter()
        .map(|(id, amount, at)| Donation::try_new(*id, eur(amount), utc(at)).unwrap())
        .collect()
    }

    fn build(now: &str, from: Option<&str>, to: Option<&str>) -> Report {
        let campaign = campaign();
        let mut builder = ReportBuilder::new(&campaign, utc(now), from.map(date), to.map(date));
        for donation in ledger() {
            builder.add(&donation).unwrap();
        }
        builder.finish().unwrap()
    }

    #[test]
    fn series_are_dense_and_cumulative_from_the_baseline() {
        let report = build("2025-01-05T00:00:00Z", None, None);
        assert_eq!(
            (report.from, report.to),
            (date("2024-12-01"), date("2024-12-31"))
        );
        assert_eq!(report.days.len(), 31);
        assert_eq!(report.days[0].cumulative, eur("110"));
        assert_eq!(report.days[0].percent_of_goal.to_string(), "11.00");
        assert_eq!(report.days[30].amount, eur("40"));
        assert_eq!(report.days[30].cumulative, eur("200"));
        assert_eq!(report.days[30].cumulative, report.status.raised());
        // 1 December 2024 is a Sunday: its week started on Monday 25 November.
        let weeks: Vec<(NaiveDate, Money, u64)> = report
            .weeks
            .iter()
            .map(|w| (w.start, w.amount, w.count))
            .collect();
        assert_eq!(weeks[0], (date("2024-11-25"), eur("10"), 1));
        assert_eq!(weeks[1], (date("2024-12-02"), eur("20"), 1));
        assert_eq!(weeks[2], (date("2024-12-09"), eur("30"), 1));
        assert_eq!(weeks.last().unwrap().0, date("2024-12-30"));
        assert_eq!((report.range_count, report.range_amount), (4, eur("100")));
    }

    #[test]
    fn a_range_keeps_cumulative_figures_true() {
        let report = build(
            "2025-01-05T00:00:00Z",
            Some("2024-12-02"),
            Some("2024-12-09"),
        );
        assert_eq!(report.days.len(), 8);
        assert_eq!(report.days[0].cumulative, eur("130"));
        assert_eq!((report.range_count, report.range_amount), (2, eur("50")));
        assert_eq!(report.weeks.len(), 2);
    }

    #[test]
    fn recurring_payments_are_shown_apart_day_by_day() {
        let campaign = campaign();
        let now = utc("2025-01-05T00:00:00Z");
        let mut builder = ReportBuilder::new(&campaign, now, None, None);
        for donation in ledger() {
            builder.add(&donation).unwrap();
        }
        let monthly = Donation::try_new("m", eur("12.50"), utc("2024-12-02T12:00:00+01:00"))
            .unwrap()
            .recurring(crate::Interval::Monthly, "s-1")
            .unwrap();
        builder.add(&monthly).unwrap();
        let report = builder.finish().unwrap();
        let day = &report.days[1];
        assert_eq!((day.amount, day.recurring), (eur("32.50"), eur("12.50")));
        assert_eq!(report.days[0].recurring, eur("0"));
        let week = &report.weeks[1];
        assert_eq!((week.amount, week.recurring), (eur("32.50"), eur("12.50")));
        assert_eq!(week.cumulative, eur("142.50"));
    }

    #[test]
    fn the_series_stops_at_the_as_of_day() {
        let report = build("2024-12-05T12:00:00+01:00", None, None);
        assert_eq!(report.to, date("2024-12-05"));
        assert_eq!(report.days.len(), 5);
        assert_eq!(report.range_count, 2);
    }

    #[test]
    fn gifts_by_source_size_average_and_median() {
        let campaign = campaign();
        let mut builder = ReportBuilder::new(&campaign, utc("2025-01-05T00:00:00Z"), None, None);
        let gifts = [
            ("stripe:ch_1", "10", Some("0.50")),
            ("stripe:ch_2", "20", Some("0.70")),
            ("helloasso:9", "50", None),
            ("gen-1", "100", None),
            ("paypal:X", "500", Some("10.25")),
            ("Weird:1", "19.99", None),
        ];
        for (id, amount, fee) in gifts {
            let mut gift = Donation::try_new(id, eur(amount), utc("2024-12-02T10:00:00Z")).unwrap();
            if let Some(fee) = fee {
                gift = gift.with_fee(eur(fee)).unwrap();
            }
            builder.add(&gift).unwrap();
        }
        let figures = builder.finish().unwrap().gifts;
        let rows: Vec<String> = figures
            .by_source
            .iter()
            .map(|r| format!("{} {} {} {} {}", r.source, r.count, r.gross, r.fees, r.net))
            .collect();
        assert_eq!(
            rows,
            [
                "paypal 1 500.00 EUR 10.25 EUR 489.75 EUR",
                "ledger 2 119.99 EUR 0.00 EUR 119.99 EUR",
                "helloasso 1 50.00 EUR 0.00 EUR 50.00 EUR",
                "stripe 2 30.00 EUR 1.20 EUR 28.80 EUR",
            ]
        );
        assert_eq!(figures.total.gross, eur("699.99"));
        assert_eq!(figures.total.net, eur("688.54"));
        // 699.99 / 6 = 116.665: rounded half away from zero, as every amount.
        assert_eq!(figures.average, Some(eur("116.67")));
        // 10, 19.99, 20, 50, 100, 500: the mean of 20 and 50.
        assert_eq!(figures.median, Some(eur("35")));
        let bands: Vec<(u64, String)> = figures
            .bands
            .iter()
            .map(|b| (b.count, b.amount.to_string()))
            .collect();
        assert_eq!(
            bands,
            [
                (2, "29.99 EUR".to_owned()),
                (1, "20.00 EUR".to_owned()),
                (1, "50.00 EUR".to_owned()),
                (1, "100.00 EUR".to_owned()),
                (1, "500.00 EUR".to_owned()),
            ]
        );
        // Odd count: the middle gift itself.
        let mut builder = ReportBuilder::new(&campaign, utc("2025-01-05T00:00:00Z"), None, None);
        for (id, amount) in [("a", "5"), ("b", "7"), ("c", "900")] {
            builder
                .add(&Donation::try_new(id, eur(amount), utc("2024-12-02T10:00:00Z")).unwrap())
                .unwrap();
        }
        assert_eq!(builder.finish().unwrap().gifts.median, Some(eur("7")));
        // No gift: no average, no median, every band empty.
        let empty = ReportBuilder::new(&campaign, utc("2025-01-05T00:00:00Z"), None, None)
            .finish()
            .unwrap()
            .gifts;
        assert_eq!((empty.average, empty.median), (None, None));
        assert!(empty.bands.iter().all(|b| b.count == 0));
    }
}
