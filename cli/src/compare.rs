//! Earlier campaigns, read for the comparison and the projection by shape: their ledgers are
//! counted here (the core only does the arithmetic).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use jauge::{
    Campaign, Comparison, Curve, Donation, DonorKeys, EarlierStanding, Report, ReportBuilder,
    SamePoints, Standing, StatusError, Tally,
};

use crate::campaign_file::{CampaignFile, Ledger};
use crate::count::{count_without_notice, Sink};
use crate::error::CliError;

fn count_quietly<S: Sink>(ledger: &Ledger, make: impl Fn() -> S + Sync) -> Result<S, CliError> {
    Ok(count_without_notice(ledger, make, |_| {})?.0)
}

/// A report plus the donor keys of the gifts it counted.
pub struct WithDonors<'c> {
    report: ReportBuilder<'c>,
    donors: DonorKeys,
}

impl<'c> WithDonors<'c> {
    /// A report of `campaign` as of `now` over all its days, noting donors.
    pub fn new(campaign: &'c Campaign, now: DateTime<Utc>) -> WithDonors<'c> {
        WithDonors {
            report: ReportBuilder::new(campaign, now, None, None).trusting_unique_ids(),
            donors: DonorKeys::default(),
        }
    }
}

impl Sink for WithDonors<'_> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        if self.report.add(donation)?.is_some() {
            self.donors.add(donation);
        }
        Ok(())
    }
    fn add_reversal(&mut self, r: &jauge_store::Reversal) -> Result<(), StatusError> {
        self.report.add_reversal(&r.id, r.amount, r.at)
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        self.report.merge(other.report)?;
        self.donors.merge(other.donors);
        Ok(())
    }
}

/// This campaign's report over all its days, and which of its donors gave to an earlier
/// campaign: only those are remembered, so that memory follows the earlier campaigns' donors,
/// not this campaign's ledger (whose own donors a store keeps on disk while it is counted).
struct Returning<'c, 'e> {
    report: ReportBuilder<'c>,
    earlier: &'e DonorKeys,
    found: std::collections::HashSet<u64>,
}

impl Sink for Returning<'_, '_> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        if self.report.add(donation)?.is_some() {
            if let Some(key) = self.earlier.known_donor_of(donation) {
                self.found.insert(key);
            }
        }
        Ok(())
    }
    fn add_reversal(&mut self, r: &jauge_store::Reversal) -> Result<(), StatusError> {
        self.report.add_reversal(&r.id, r.amount, r.at)
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        self.report.merge(other.report)?;
        self.found.extend(other.found);
        Ok(())
    }
}

impl crate::count::Keyed for Returning<'_, '_> {
    fn held_keys(&self) -> usize {
        self.report.held_keys()
    }
    fn drain_keys(&mut self) -> jauge::Keys {
        self.report.drain_keys()
    }
}

/// An earlier campaign counted in one pass: to its end, and at the two points that compare
/// with `now`.
struct EarlierSink<'c> {
    whole: WithDonors<'c>,
    same_day: Tally<'c>,
    same_date: Tally<'c>,
}

impl Sink for EarlierSink<'_> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        self.whole.add(donation)?;
        self.same_day.add(donation)?;
        self.same_date.add(donation).map(drop)
    }
    fn add_reversal(&mut self, r: &jauge_store::Reversal) -> Result<(), StatusError> {
        self.whole.add_reversal(r)?;
        self.same_day.add_reversal(&r.id, r.amount, r.at)?;
        self.same_date.add_reversal(&r.id, r.amount, r.at).map(drop)
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        self.whole.merge(other.whole)?;
        self.same_day.merge(other.same_day)?;
        self.same_date.merge(other.same_date)
    }
}

/// When a campaign file and its ledgers last changed: what the cache of curves is keyed by.
fn stamp(path: &Path, file: &CampaignFile) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    std::iter::once(path.to_path_buf())
        .chain(file.ledger.files())
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let len = meta.map_or(0, |m| m.len());
            (p, modified, len)
        })
        .collect()
}

type Stamp = Vec<(PathBuf, Option<SystemTime>, u64)>;

/// The curves of earlier campaigns, kept while their files do not change: `jauge serve`
/// recomputes the status at every new gift, and an ended campaign's ledger does not move.
static CURVES: Mutex<Vec<(Stamp, Curve)>> = Mutex::new(Vec::new());

/// The curves of the earlier campaigns `file` names, each counted to its deadline.
///
/// # Errors
///
/// An earlier campaign file or its ledger is invalid (the message names the file).
pub fn curves(file: &CampaignFile) -> Result<Vec<Curve>, CliError> {
    let mut curves = Vec::with_capacity(file.earlier.len());
    for path in &file.earlier {
        let earlier = CampaignFile::load(path)?;
        let stamp = stamp(path, &earlier);
        let cached = CURVES.lock().ok().and_then(|cache| {
            cache
                .iter()
                .find(|(s, _)| *s == stamp)
                .map(|(_, c)| c.clone())
        });
        let curve = match cached {
            Some(curve) => curve,
            None => {
                let at = earlier.campaign.deadline();
                let whole = count_quietly(&earlier.ledger, || {
                    ReportBuilder::new(&earlier.campaign, at, None, None).trusting_unique_ids()
                })?
                .finish()?;
                let curve = Curve::from_report(&earlier.campaign, &whole);
                if let Ok(mut cache) = CURVES.lock() {
                    cache.retain(|(s, _)| s.first() != stamp.first());
                    cache.push((stamp, curve.clone()));
                }
                curve
            }
        };
        curves.push(curve);
    }
    Ok(curves)
}

/// This campaign's `report` against the earlier campaigns `file` names: where each stood on
/// the same day of its campaign and on the same date, where it ended, returning and new
/// donors, and the backtest of both projection methods; with the earlier campaigns' curves, to
/// project from.
///
/// # Errors
///
/// A ledger or campaign file is invalid.
pub fn comparison(
    file: &CampaignFile,
    report: &Report,
) -> Result<(Comparison, Vec<Curve>), CliError> {
    let now = report.status.as_of();
    let mut earlier_donors = DonorKeys::default();
    let mut standings = Vec::new();
    let mut curves = Vec::new();
    for path in &file.earlier {
        let earlier = CampaignFile::load(path)?;
        let campaign = &earlier.campaign;
        let points = SamePoints::new(&file.campaign, campaign, now);
        let sink = count_quietly(&earlier.ledger, || EarlierSink {
            whole: WithDonors::new(campaign, campaign.deadline()),
            same_day: Tally::trusting_unique_ids(campaign, points.same_day),
            same_date: Tally::trusting_unique_ids(campaign, points.same_date),
        })?;
        let whole = sink.whole.report.finish()?;
        earlier_donors.merge(sink.whole.donors);
        let curve = Curve::from_report(campaign, &whole);
        standings.push(EarlierStanding::new(
            campaign,
            Standing::of(campaign, &sink.same_day.finish()?),
            Standing::of(campaign, &sink.same_date.finish()?),
            Standing::of(campaign, &whole.status),
            curve.days().collect(),
        ));
        curves.push(curve);
    }
    // This campaign over all its days (the report asked for may cover only some of them), and
    // how many of its donors gave before.
    let make = || Returning {
        report: ReportBuilder::new(&file.campaign, now, None, None).trusting_unique_ids(),
        earlier: &earlier_donors,
        found: std::collections::HashSet::new(),
    };
    let (mine, returning) = match &file.ledger {
        Ledger::Store(path) if path.exists() => crate::count::scan_store_keyed(
            path,
            make,
            |_| {},
            |sink, donors, states| {
                let returning = sink.found.len() as u64;
                sink.report
                    .finish_with(donors, states.into_iter().map(Ok))
                    .map(|report| (report, returning))
            },
        )??,
        _ => {
            let sink = count_quietly(&file.ledger, make)?;
            let returning = sink.found.len() as u64;
            (sink.report.finish()?, returning)
        }
    };
    let comparison = Comparison::new(&file.campaign, &mine, standings, returning, &curves);
    Ok((comparison, curves))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn campaign(dir: &Path, year: i32, earlier: &str, gifts: &[(&str, &str, &str)]) -> PathBuf {
        let mut csv = crate::ledger::COLUMNS.join(",") + "\n";
        for (id, day, donor) in gifts {
            csv += &format!(
                "{id},{year}-12-{day}T12:00:00Z,100.00,EUR,confirmed,one_off,,online,{donor},,,\n"
            );
        }
        write(dir, &format!("{year}/donations.csv"), &csv);
        write(
            dir,
            &format!("{year}/campaign.toml"),
            &format!(
                "name = \"C{year}\"\ngoal = \"1000 EUR\"\ntime_zone = \"Europe/Paris\"\n\
                 start = \"{year}-12-01\"\ndeadline = \"{year}-12-10\"\n\
                 ledgers = [\"donations.csv\"]\n{earlier}"
            ),
        )
    }

    #[test]
    fn earlier_campaigns_stand_beside_this_one() {
        let dir = tempfile::tempdir().unwrap();
        campaign(
            dir.path(),
            2022,
            "",
            &[
                ("a", "02", "ann"),
                ("b", "03", "bob"),
                ("c", "09", "cat"),
                ("d", "09", "dan"),
            ],
        );
        let path = campaign(
            dir.path(),
            2023,
            "earlier = [\"../2022/campaign.toml\"]\n",
            &[
                ("e", "02", "ann"),
                ("f", "02", "eve"),
                ("g", "04", "bob"),
                ("h", "09", "fay"),
            ],
        );
        let file = CampaignFile::load(&path).unwrap();
        // 23:00 on 3 December 2023 in Paris.
        let now: DateTime<Utc> = "2023-12-03T22:00:00Z".parse().unwrap();
        let (report, _) = crate::count::report(&path, Some(now), now, None, None, |_| {}).unwrap();
        let comparison = report.comparison.as_ref().unwrap();
        let then = &comparison.earlier[0];
        assert_eq!(then.name, "C2022");
        assert_eq!((then.same_day.day, then.same_day.gifts), (3, 2));
        assert_eq!(then.same_day.raised.to_string(), "200.00 EUR");
        assert_eq!(then.same_date.percent_of_goal.to_string(), "20.00");
        assert_eq!((then.end.gifts, then.end.donors), (4, 4));
        assert_eq!(comparison.now.raised.to_string(), "200.00 EUR");
        // ann gave both years; eve is new (bob gives on the 4th, after now).
        assert_eq!((comparison.returning_donors, comparison.new_donors), (1, 1));
        // Only the earlier campaign is complete: backtested on pace alone.
        let backtest = comparison.backtest.as_ref().unwrap();
        assert_eq!(backtest.campaigns, ["C2022"]);
        assert!(backtest.rows.iter().all(|r| r.shape.is_none()));
        // The projection reads the earlier campaign's shape: 200 so far, and with the same time
        // left it had 195.83 of 400 (its curve is a line between day ends, 100 and 200).
        let pace = report.status.pace();
        assert_eq!(pace.method, jauge::ProjectionMethod::EarlierCampaigns);
        assert_eq!(pace.projection.to_string(), "408.51 EUR");
        let status = crate::count::status(&path, now, |_| {}).unwrap();
        assert_eq!(status.pace(), pace);
        assert_eq!(curves(&file).unwrap().len(), 1);
    }

    #[test]
    fn a_missing_earlier_campaign_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = campaign(
            dir.path(),
            2023,
            "earlier = [\"../2021/campaign.toml\"]\n",
            &[],
        );
        let error = CampaignFile::load(&path).unwrap_err().to_string();
        assert!(
            error.contains("earlier:") && error.contains("2021"),
            "{error}"
        );
        let own = campaign(dir.path(), 2024, "earlier = [\"campaign.toml\"]\n", &[]);
        let error = CampaignFile::load(&own).unwrap_err().to_string();
        assert!(error.contains("this campaign's own file"), "{error}");
    }
}
