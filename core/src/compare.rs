//! This campaign against earlier ones: where each stood at the same point, a projection from
//! their shape, and how well each projection method would have done on them (the backtest).
//!
//! Year-end giving comes late: most of a December campaign's money arrives in its last two
//! weeks, so "raised + the last week's pace × days left" undershoots for most of the campaign.
//! An earlier campaign knows the shape: the share of its final total it had with the same time
//! left. Everything here is pure arithmetic on daily curves and status documents; the caller
//! reads the ledgers.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::campaign::Campaign;
#[cfg(test)]
use crate::document::ProjectionMethod;
use crate::document::StatusDocument;
use crate::money::Money;
use crate::report::Report;

const DAY_SECONDS: i64 = 86_400;

/// Where a campaign stood at an instant.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Standing {
    /// The instant.
    #[serde(with = "crate::wire::instant")]
    pub at: DateTime<Utc>,
    /// The day of the campaign it falls on, from 1 (0 before the start; `days` after the end).
    pub day: u32,
    /// The campaign's days.
    pub days: u32,
    /// Money counted, baselines included.
    pub raised: Money,
    /// `raised` as a percentage of that campaign's own goal, truncated to two decimals.
    #[serde(with = "crate::wire::decimal")]
    pub percent_of_goal: Decimal,
    /// Gifts counted.
    pub gifts: u64,
    /// Donors counted.
    pub donors: u64,
}

impl Standing {
    /// Where `campaign` stood, as its `status` says.
    pub fn of(campaign: &Campaign, status: &StatusDocument) -> Standing {
        let (first, last) = days_of(campaign);
        let today = local_day(campaign, status.as_of());
        let day = if today < first {
            0
        } else {
            day_number(first, today.min(last))
        };
        Standing {
            at: status.as_of(),
            day,
            days: day_number(first, last),
            raised: status.raised(),
            percent_of_goal: status.percent(),
            gifts: status.donations(),
            donors: status.donors(),
        }
    }
}

fn local_day(campaign: &Campaign, instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&campaign.zone()).date_naive()
}

/// The first and last day of a campaign in its zone (the deadline is the first instant that no
/// longer counts).
fn days_of(campaign: &Campaign) -> (NaiveDate, NaiveDate) {
    (
        local_day(campaign, campaign.start()),
        local_day(campaign, campaign.deadline() - Duration::seconds(1)),
    )
}

fn day_number(first: NaiveDate, day: NaiveDate) -> u32 {
    u32::try_from((day - first).num_days() + 1).unwrap_or(0)
}

/// The instants of an earlier campaign that compare with `now` in this one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct SamePoints {
    /// As long after its start as `now` is after this campaign's (day N of the campaign).
    pub same_day: DateTime<Utc>,
    /// The same wall-clock date and time in its year (shifted by the years between the two
    /// deadlines; 29 February becomes the 28th), in its zone.
    pub same_date: DateTime<Utc>,
    /// As long before its deadline as `now` is before this campaign's: the point the
    /// projection by shape reads.
    pub same_time_left: DateTime<Utc>,
}

impl SamePoints {
    /// The points of `earlier` that compare with `now` in `current`.
    pub fn new(current: &Campaign, earlier: &Campaign, now: DateTime<Utc>) -> SamePoints {
        let shift = |base: DateTime<Utc>, by: Duration| {
            base.checked_add_signed(by).unwrap_or(earlier.deadline())
        };
        let years = days_of(earlier).1.year() - days_of(current).1.year();
        let local = now.with_timezone(&current.zone()).naive_local();
        let moved = local
            .with_year(local.year() + years)
            .or_else(|| (local - Duration::days(1)).with_year(local.year() + years))
            .and_then(|l| {
                let zone = earlier.zone();
                // A wall-clock time a DST change skips is read an hour later; a repeated one,
                // at its first occurrence.
                zone.from_local_datetime(&l).earliest().or_else(|| {
                    zone.from_local_datetime(&(l + Duration::hours(1)))
                        .earliest()
                })
            })
            .map_or(earlier.deadline(), |at| at.with_timezone(&Utc));
        SamePoints {
            same_day: shift(earlier.start(), now - current.start()),
            same_date: moved,
            same_time_left: shift(earlier.deadline(), now - current.deadline()),
        }
    }
}

/// A campaign's gifts over time: money counted (baselines apart) at the end of each of its
/// days in its zone, read from a [`Report`] over all its days. Between two days' ends the curve
/// is a straight line, so it can be read at any instant.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Curve {
    name: String,
    goal: crate::Quantity,
    currency: crate::Currency,
    baseline: Decimal,
    deadline: DateTime<Utc>,
    /// Instants, increasing, and the money counted up to each; the first is the start, at zero.
    points: Vec<(DateTime<Utc>, Decimal)>,
}

impl Curve {
    /// The curve of `campaign` as `report` counts it (up to its as-of instant).
    pub fn from_report(campaign: &Campaign, report: &Report) -> Curve {
        let baseline = report.status.breakdown().baseline.amount();
        let end = report.status.as_of().min(campaign.deadline());
        let zone = campaign.zone();
        let mut points = vec![(campaign.start(), Decimal::ZERO)];
        for day in &report.days {
            let next = day.start.succ_opt().unwrap_or(day.start);
            let day_end = crate::time::first_instant_of(next, zone)
                .unwrap_or(campaign.deadline())
                .min(end);
            let last = points.last().map_or(campaign.start(), |p| p.0);
            if day_end > last {
                points.push((day_end, day.cumulative.amount() - baseline));
            }
        }
        Curve {
            name: campaign.name().to_owned(),
            goal: campaign.goal(),
            currency: campaign.currency(),
            baseline,
            deadline: campaign.deadline(),
            points,
        }
    }

    /// The campaign's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the curve reaches the deadline: only a complete campaign has a shape to lend.
    pub fn is_complete(&self) -> bool {
        self.points.last().is_some_and(|p| p.0 >= self.deadline)
    }

    /// Money counted at `instant`, baselines apart.
    pub fn at(&self, instant: DateTime<Utc>) -> Decimal {
        let after = self.points.partition_point(|p| p.0 <= instant);
        match (
            after.checked_sub(1).map(|i| self.points[i]),
            self.points.get(after).copied(),
        ) {
            (None, _) => Decimal::ZERO,
            (Some((_, value)), None) => value,
            (Some((from, low)), Some((to, high))) => {
                let span = Decimal::from((to - from).num_seconds().max(1));
                let into = Decimal::from((instant - from).num_seconds());
                low + (high - low) * into / span
            }
        }
    }

    /// Money counted at the deadline, baselines apart.
    pub fn total(&self) -> Decimal {
        self.points.last().map_or(Decimal::ZERO, |p| p.1)
    }

    /// The share of its final gifts a complete campaign had with `left` to go; none for an
    /// incomplete campaign or one without gifts.
    pub fn share_with(&self, left: Duration) -> Option<Decimal> {
        let total = self.total();
        if !self.is_complete() || total <= Decimal::ZERO {
            return None;
        }
        let at = self.deadline.checked_sub_signed(left)?;
        Some(self.at(at) / total)
    }

    /// The money at the start (day 0) and at the end of each day (day N), baselines included,
    /// for charts.
    pub fn days(&self) -> impl Iterator<Item = (u32, Money)> + '_ {
        let currency = self.currency;
        self.points.iter().enumerate().map(move |(i, (_, value))| {
            (
                u32::try_from(i).unwrap_or(u32::MAX),
                Money::rounded(value + self.baseline, currency),
            )
        })
    }

    /// The campaign's goal.
    pub fn goal(&self) -> crate::Quantity {
        self.goal
    }

    /// Raised at `instant` + the pace of the seven days before it × the time left: the pace
    /// method, read off the curve. Status documents compute it from the gifts themselves.
    fn pace_projection(&self, instant: DateTime<Utc>) -> Decimal {
        let start = self.points[0].0;
        let elapsed = (instant - start)
            .num_seconds()
            .clamp(DAY_SECONDS, 7 * DAY_SECONDS);
        let trailing = self.at(instant) - self.at(instant - Duration::seconds(elapsed));
        let per_day = trailing * Decimal::from(DAY_SECONDS) / Decimal::from(elapsed);
        let left =
            Decimal::from((self.deadline - instant).num_seconds()) / Decimal::from(DAY_SECONDS);
        self.baseline + self.at(instant) + per_day * left
    }
}

/// A projection from earlier campaigns' shapes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct ShapeProjection {
    /// The median of the campaigns' projections.
    pub projection: Money,
    /// The lowest.
    pub low: Money,
    /// The highest.
    pub high: Money,
    /// How many campaigns lent their shape.
    pub campaigns: usize,
}

/// Projects `gifts` (money counted so far, baselines apart) at `left` before the deadline from
/// the shapes of `earlier` campaigns: each says the final total is `gifts / share`, where
/// `share` is what it had reached with the same time left. Median and range, baseline added
/// back. None when no complete campaign had anything yet at that point.
pub(crate) fn shape_projection(
    gifts: Decimal,
    baseline: Decimal,
    left: Duration,
    earlier: &[&Curve],
) -> Option<(Decimal, Decimal, Decimal, usize)> {
    let mut projections: Vec<Decimal> = earlier
        .iter()
        .filter_map(|curve| curve.share_with(left))
        .filter(|share| *share > Decimal::ZERO)
        .filter_map(|share| gifts.checked_div(share))
        .map(|total| baseline + total)
        .collect();
    projections.sort();
    let n = projections.len();
    let median = match n {
        0 => return None,
        n if n % 2 == 1 => projections[n / 2],
        n => (projections[n / 2 - 1] + projections[n / 2]) / Decimal::TWO,
    };
    Some((median, projections[0], projections[n - 1], n))
}

/// Days left at which the backtest groups its errors: each range's lower bound, from the
/// furthest.
const BACKTEST_BANDS: [u32; 6] = [29, 15, 8, 4, 2, 1];

/// One range of days left in a backtest.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BacktestRow {
    /// The fewest days left in the range.
    pub days_left_from: u32,
    /// The most, none for the furthest range.
    pub days_left_to: Option<u32>,
    /// Day ends tried in it, over every campaign backtested.
    pub points: u64,
    /// Median absolute error of the pace projection at the deadline, in percent of the final
    /// total, rounded to a tenth.
    #[serde(with = "crate::wire::decimal")]
    pub pace: Decimal,
    /// The same for the projection from the other campaigns' shapes (none without another
    /// complete campaign).
    #[serde(with = "crate::wire::option_decimal")]
    pub shape: Option<Decimal>,
}

/// How each projection method would have done on complete campaigns: each projected at the end
/// of every one of its days, from its own gifts so far (pace) and from the other campaigns'
/// shapes, against what it raised in the end.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Backtest {
    /// The campaigns projected.
    pub campaigns: Vec<String>,
    /// By days left, the furthest first.
    pub rows: Vec<BacktestRow>,
}

/// Backtests the complete `curves` (incomplete ones are left out); none if none is complete.
pub fn backtest(curves: &[Curve]) -> Option<Backtest> {
    let complete: Vec<&Curve> = curves.iter().filter(|c| c.is_complete()).collect();
    if complete.is_empty() {
        return None;
    }
    // For each band: pace errors, shape errors.
    let mut errors: Vec<(Vec<Decimal>, Vec<Decimal>)> =
        vec![Default::default(); BACKTEST_BANDS.len()];
    let error = |projected: Decimal, actual: Decimal| {
        ((projected - actual) * Decimal::ONE_HUNDRED / actual).abs()
    };
    for (index, target) in complete.iter().enumerate() {
        let actual = target.baseline + target.total();
        if actual <= Decimal::ZERO {
            continue;
        }
        let others: Vec<&Curve> = complete
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, c)| *c)
            .collect();
        for &(instant, gifts) in &target.points[1..] {
            let left = target.deadline - instant;
            if left <= Duration::zero() {
                continue;
            }
            let days_left = u32::try_from((left.num_seconds() + DAY_SECONDS - 1) / DAY_SECONDS)
                .unwrap_or(u32::MAX);
            let Some(band) = BACKTEST_BANDS.iter().position(|&from| days_left >= from) else {
                continue;
            };
            errors[band]
                .0
                .push(error(target.pace_projection(instant), actual));
            if let Some((median, ..)) = shape_projection(gifts, target.baseline, left, &others) {
                errors[band].1.push(error(median, actual));
            }
        }
    }
    let median = |values: &mut Vec<Decimal>| {
        values.sort();
        let n = values.len();
        let middle = match n {
            0 => return None,
            n if n % 2 == 1 => values[n / 2],
            n => (values[n / 2 - 1] + values[n / 2]) / Decimal::TWO,
        };
        Some(middle.round_dp(1))
    };
    let rows = BACKTEST_BANDS
        .iter()
        .enumerate()
        .zip(errors)
        .filter_map(|((i, &from), (mut pace, mut shape))| {
            let points = pace.len() as u64;
            Some(BacktestRow {
                days_left_from: from,
                days_left_to: i.checked_sub(1).map(|j| BACKTEST_BANDS[j] - 1),
                points,
                pace: median(&mut pace)?,
                shape: median(&mut shape),
            })
        })
        .collect();
    Some(Backtest {
        campaigns: complete.iter().map(|c| c.name.clone()).collect(),
        rows,
    })
}

/// The donors who gave with a donor key, as fingerprints (8 bytes each): what tells a returning
/// donor from a new one.
#[derive(Default)]
pub struct DonorKeys(std::collections::HashSet<u64>);

impl DonorKeys {
    /// Notes the donor of `donation`, if it names one.
    pub fn add(&mut self, donation: &crate::Donation) {
        if let Some(donor) = donation.donor() {
            self.0.insert(crate::status::donor_fingerprint(donor));
        }
    }

    /// Adds another part's donors.
    pub fn merge(&mut self, other: DonorKeys) {
        self.0.extend(other.0);
    }

    /// The fingerprint of the donor `donation` names, if it is one of these donors: a later
    /// campaign's ledger is read against an earlier one's donors, remembering only those it
    /// finds, so that memory follows the earlier donors, not the later ledger.
    pub fn known_donor_of(&self, donation: &crate::Donation) -> Option<u64> {
        let key = crate::status::donor_fingerprint(donation.donor()?);
        self.0.contains(&key).then_some(key)
    }

    /// How many of these donors are also in `earlier`.
    pub fn returning(&self, earlier: &DonorKeys) -> u64 {
        self.0.iter().filter(|key| earlier.0.contains(key)).count() as u64
    }
}

/// An earlier campaign beside this one.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EarlierStanding {
    /// Its name.
    pub name: String,
    /// Its goal.
    pub goal: crate::Quantity,
    /// Where it stood on the same day of its campaign.
    pub same_day: Standing,
    /// Where it stood on the same calendar date.
    pub same_date: Standing,
    /// Where it ended (or stands, if it has not ended).
    pub end: Standing,
    /// Its money at the start (day 0) and at the end of each day, baselines included.
    pub days: Vec<(u32, Money)>,
}

impl EarlierStanding {
    /// An earlier `campaign` where it stood on the same day, the same date and at its end, with
    /// its money day by day.
    pub fn new(
        campaign: &Campaign,
        same_day: Standing,
        same_date: Standing,
        end: Standing,
        days: Vec<(u32, Money)>,
    ) -> EarlierStanding {
        EarlierStanding {
            name: campaign.name().to_owned(),
            goal: campaign.goal(),
            same_day,
            same_date,
            end,
            days,
        }
    }
}

/// This campaign against earlier ones.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Comparison {
    /// Where this campaign stands.
    pub now: Standing,
    /// Its money at the start (day 0) and at the end of each day so far, baselines included.
    pub days: Vec<(u32, Money)>,
    /// The earlier campaigns, in the order the campaign file names them.
    pub earlier: Vec<EarlierStanding>,
    /// This campaign's donors who gave to an earlier one (by donor key).
    pub returning_donors: u64,
    /// This campaign's other donors.
    pub new_donors: u64,
    /// How the projection methods did on the complete campaigns, this one included once it
    /// has ended.
    pub backtest: Option<Backtest>,
}

impl Comparison {
    /// A comparison of `current` (its `report`) with earlier campaigns, each given with where
    /// it stood at the [`SamePoints`] and at its end, and their `curves`.
    /// `returning_donors` is how many of this campaign's donors gave to one of them.
    pub fn new(
        current: &Campaign,
        report: &Report,
        earlier: Vec<EarlierStanding>,
        returning_donors: u64,
        curves: &[Curve],
    ) -> Comparison {
        let now = Standing::of(current, &report.status);
        let mine = Curve::from_report(current, report);
        let mut all: Vec<Curve> = curves.to_vec();
        all.push(mine.clone());
        Comparison {
            new_donors: now.donors.saturating_sub(returning_donors),
            now,
            days: mine.days().collect(),
            earlier,
            returning_donors,
            backtest: backtest(&all),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportBuilder;
    use crate::time::parse_zone;
    use crate::Donation;

    fn eur(text: &str) -> Money {
        Money::parse(&format!("{text} EUR")).unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn campaign(year: i32, goal: &str) -> Campaign {
        Campaign::builder(
            format!("c{year}"),
            eur(goal),
            parse_zone("Europe/Paris").unwrap(),
        )
        .start(format!("{year}-12-01").parse().unwrap())
        .deadline(format!("{year}-12-10").parse().unwrap())
        .build()
        .unwrap()
    }

    /// A campaign of ten days giving `per_day[i]` on day i+1 at noon (Paris).
    fn curve(campaign: &Campaign, year: i32, per_day: &[i64], now: &str) -> (Report, Curve) {
        let mut builder = ReportBuilder::new(campaign, utc(now), None, None);
        for (i, amount) in per_day.iter().enumerate() {
            let at = utc(&format!("{year}-12-{:02}T11:00:00Z", i + 1));
            let gift =
                Donation::try_new(format!("{year}-{i}"), eur(&amount.to_string()), at).unwrap();
            builder.add(&gift).unwrap();
        }
        let report = builder.finish().unwrap();
        let curve = Curve::from_report(campaign, &report);
        (report, curve)
    }

    #[test]
    fn a_curve_reads_day_ends_and_lines_between_them() {
        let c = campaign(2022, "1000");
        let (_, curve) = curve(
            &c,
            2022,
            &[10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
            "2023-01-01T00:00:00Z",
        );
        assert!(curve.is_complete());
        assert_eq!(curve.total(), Decimal::from(550));
        // The end of 1 December in Paris: 23:00 UTC.
        assert_eq!(curve.at(utc("2022-12-01T23:00:00Z")), Decimal::from(10));
        assert_eq!(curve.at(utc("2022-12-02T11:00:00Z")), Decimal::from(20));
        assert_eq!(curve.at(utc("2022-11-30T00:00:00Z")), Decimal::ZERO);
        assert_eq!(curve.share_with(Duration::zero()), Some(Decimal::ONE));
        // Two days before the end: 1+…+8 tens = 360 of 550.
        assert_eq!(
            curve.share_with(Duration::days(2)),
            Some(Decimal::from(360) / Decimal::from(550))
        );
        let days: Vec<(u32, String)> = curve
            .days()
            .map(|(d, m)| (d, m.to_string()))
            .take(3)
            .collect();
        assert_eq!(
            days,
            [
                (0, "0.00 EUR".to_owned()),
                (1, "10.00 EUR".to_owned()),
                (2, "30.00 EUR".to_owned())
            ]
        );
    }

    #[test]
    fn the_shape_of_an_earlier_campaign_projects_a_late_one() {
        let late = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        let earlier = campaign(2022, "1000");
        let (_, earlier_curve) = curve(&earlier, 2022, &late, "2023-01-01T00:00:00Z");
        // This year gives twice as much, with the same shape; as of the end of day 5.
        let current = campaign(2023, "1000");
        let doubled: Vec<i64> = late.iter().map(|a| a * 2).collect();
        let (report, _) = curve(&current, 2023, &doubled[..5], "2023-12-05T23:00:00Z");
        let mut status = report.status.clone();
        let pace = status.pace().projection;
        let shape = status
            .project_from(std::slice::from_ref(&earlier_curve))
            .unwrap();
        // 300 so far, and the earlier campaign had 150 of 550 at the same point.
        assert_eq!(shape.projection, eur("1100"));
        assert_eq!(
            (shape.low, shape.high, shape.campaigns),
            (eur("1100"), eur("1100"), 1)
        );
        assert!(
            pace.amount() < Decimal::from(1100),
            "the pace undershoots: {pace}"
        );
        let read = status.pace();
        assert_eq!(read.method, ProjectionMethod::EarlierCampaigns);
        assert!(read.on_track);
        // The document says so, and reads back the same.
        let json = status.to_json_pretty();
        assert!(json.contains("\"method\": \"earlier_campaigns\""), "{json}");
        assert_eq!(StatusDocument::from_json(&json).unwrap(), status);
        // An ended campaign is not projected; neither is one from an incomplete curve.
        let (ended, _) = curve(&current, 2023, &doubled, "2024-01-05T00:00:00Z");
        assert_eq!(ended.status.clone().project_from(&[earlier_curve]), None);
        let (_, partial) = curve(&earlier, 2022, &late[..3], "2022-12-03T23:00:00Z");
        assert_eq!(report.status.clone().project_from(&[partial]), None);
    }

    #[test]
    fn same_points_are_day_n_the_same_date_and_the_same_time_left() {
        let current = Campaign::builder("now", eur("10"), parse_zone("Europe/Paris").unwrap())
            .start("2023-11-14".parse().unwrap())
            .deadline("2023-12-31".parse().unwrap())
            .build()
            .unwrap();
        let earlier = Campaign::builder("then", eur("10"), parse_zone("Europe/Paris").unwrap())
            .start("2022-11-15".parse().unwrap())
            .deadline("2022-12-31".parse().unwrap())
            .build()
            .unwrap();
        let points = SamePoints::new(&current, &earlier, utc("2023-12-26T09:00:00Z"));
        // Day 43 of the campaign: 42 days and 10 hours after 15 November 00:00 in Paris.
        assert_eq!(points.same_day, utc("2022-12-27T09:00:00Z"));
        assert_eq!(points.same_date, utc("2022-12-26T09:00:00Z"));
        assert_eq!(points.same_time_left, utc("2022-12-26T09:00:00Z"));
        // 29 February has no match in the year before: the 28th, same time.
        let leap = Campaign::builder("leap", eur("10"), parse_zone("Europe/Paris").unwrap())
            .start("2024-02-01".parse().unwrap())
            .deadline("2024-03-31".parse().unwrap())
            .build()
            .unwrap();
        let before = Campaign::builder("before", eur("10"), parse_zone("Europe/Paris").unwrap())
            .start("2023-02-01".parse().unwrap())
            .deadline("2023-03-31".parse().unwrap())
            .build()
            .unwrap();
        let points = SamePoints::new(&leap, &before, utc("2024-02-29T11:00:00Z"));
        assert_eq!(points.same_date, utc("2023-02-28T11:00:00Z"));
    }

    #[test]
    fn the_backtest_finds_the_shape_better_for_late_campaigns() {
        let a = campaign(2021, "1000");
        let b = campaign(2022, "1000");
        let (_, ca) = curve(
            &a,
            2021,
            &[5, 5, 10, 10, 20, 30, 60, 90, 120, 150],
            "2022-01-01T00:00:00Z",
        );
        let (_, cb) = curve(
            &b,
            2022,
            &[6, 4, 12, 9, 22, 28, 65, 85, 130, 140],
            "2023-01-01T00:00:00Z",
        );
        let test = backtest(&[ca, cb]).unwrap();
        assert_eq!(test.campaigns, ["c2021", "c2022"]);
        let bands: Vec<(u32, Option<u32>, u64)> = test
            .rows
            .iter()
            .map(|r| (r.days_left_from, r.days_left_to, r.points))
            .collect();
        // Day ends 1..9 of 10 leave 9..1 days: two campaigns each.
        assert_eq!(
            bands,
            [
                (8, Some(14), 4),
                (4, Some(7), 8),
                (2, Some(3), 4),
                (1, Some(1), 2)
            ]
        );
        for row in &test.rows {
            let shape = row.shape.unwrap();
            assert!(shape < row.pace, "{row:?}");
        }
        // No complete campaign, no backtest.
        let c = campaign(2023, "1000");
        let (_, partial) = curve(&c, 2023, &[1, 2], "2023-12-02T23:00:00Z");
        assert_eq!(backtest(&[partial]), None);
    }
}
