//! Counting a campaign's gifts into the core's tallies, from a store or from CSV ledgers, on
//! two cores.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use jauge::{Donation, Report, ReportBuilder, StatusDocument, StatusError, Tally};

use crate::campaign_file::{CampaignFile, Ledger};
use crate::error::{CliError, InputError, Location};
use crate::ledger::{skip_bom, LedgerReader};
use crate::unique::IdFilter;

pub mod keys;
mod ledgers;
mod store;

pub use ledgers::stream_ledgers;
pub use store::scan_store;
pub(crate) use store::scan_store_keyed;
pub use store::Keyed;
use store::{not_created_yet, store_status};

/// Something that counts donations and can be counted in parts: a [`Tally`] or a
/// [`ReportBuilder`].
pub trait Sink: Send + Sized {
    /// Counts one donation.
    ///
    /// # Errors
    ///
    /// The core refuses the donation.
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError>;
    /// Counts money given back whose gift is not named (a store's reversal).
    ///
    /// # Errors
    ///
    /// An overflow.
    fn add_reversal(&mut self, reversal: &jauge_store::Reversal) -> Result<(), StatusError>;
    /// Adds what another part counted.
    ///
    /// # Errors
    ///
    /// The core cannot combine them.
    fn merge(&mut self, other: Self) -> Result<(), StatusError>;
    /// Moves what grows with the ledger out of memory, if this sink does (called after each
    /// gift).
    ///
    /// # Errors
    ///
    /// Where it goes cannot be written.
    fn spill(&mut self) -> Result<(), CliError> {
        Ok(())
    }
}

impl Sink for Tally<'_> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        Tally::add(self, donation).map(drop)
    }
    fn add_reversal(&mut self, r: &jauge_store::Reversal) -> Result<(), StatusError> {
        Tally::add_reversal(self, &r.id, r.amount, r.at).map(drop)
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        Tally::merge(self, other)
    }
}

impl Sink for ReportBuilder<'_> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        ReportBuilder::add(self, donation).map(drop)
    }
    fn add_reversal(&mut self, r: &jauge_store::Reversal) -> Result<(), StatusError> {
        ReportBuilder::add_reversal(self, &r.id, r.amount, r.at)
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        ReportBuilder::merge(self, other)
    }
}

/// The gifts themselves, in ledger order, for callers that need them all (small campaigns: the
/// demo, tests).
impl Sink for Vec<Donation> {
    fn add(&mut self, donation: &Donation) -> Result<(), StatusError> {
        self.push(donation.clone());
        Ok(())
    }
    /// A reversal is no gift: these callers count the gifts they get with a tally of their own,
    /// which is told of the store's reversals apart.
    fn add_reversal(&mut self, _: &jauge_store::Reversal) -> Result<(), StatusError> {
        Ok(())
    }
    fn merge(&mut self, other: Self) -> Result<(), StatusError> {
        self.extend(other);
        Ok(())
    }
}

/// Counts every gift of a campaign's ledger.
///
/// # Errors
///
/// As [`scan_store`] and [`stream_ledgers`].
pub fn count<S: Sink>(
    ledger: &Ledger,
    make: impl Fn() -> S + Sync,
    progress: impl FnMut(u64),
) -> Result<(S, u64), CliError> {
    if let Ledger::Csv(files) = ledger {
        warn_read_only(files);
    }
    count_without_notice(ledger, make, progress)
}

/// As [`count`], without the notice that CSV ledgers are read-only: an earlier campaign's ledger
/// is rightly never written.
///
/// # Errors
///
/// As [`count`].
pub fn count_without_notice<S: Sink>(
    ledger: &Ledger,
    make: impl Fn() -> S + Sync,
    progress: impl FnMut(u64),
) -> Result<(S, u64), CliError> {
    match ledger {
        Ledger::Store(path) => scan_store(path, make, progress),
        Ledger::Csv(files) => stream_ledgers(files, make, progress),
    }
}

/// Says once per run that CSV ledgers are read but no longer written, and how to move them.
fn warn_read_only(files: &[PathBuf]) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    if files.is_empty() {
        return;
    }
    ONCE.call_once(|| {
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        eprintln!(
            "jauge: reading the CSV ledger {} read-only; to keep importing, move it to a store: \
             `jauge import --from jauge {} --into donations.db`, then `ledger = \"donations.db\"` \
             in the campaign file",
            names.join(", "),
            names.join(" ")
        );
    });
}

/// The status of the campaign in `campaign_path` at `now`.
///
/// # Errors
///
/// The campaign file or a ledger is invalid.
pub fn status(
    campaign_path: &Path,
    now: DateTime<Utc>,
    progress: impl FnMut(u64),
) -> Result<StatusDocument, CliError> {
    status_of(&CampaignFile::load(campaign_path)?, now, progress)
}

/// The status of a campaign file already loaded, at `now` (`jauge serve` loads it once).
///
/// # Errors
///
/// A ledger is invalid.
pub fn status_of(
    file: &CampaignFile,
    now: DateTime<Utc>,
    progress: impl FnMut(u64),
) -> Result<StatusDocument, CliError> {
    let mut status = if let Ledger::Store(path) = &file.ledger {
        store_status(path, &file.campaign, now, progress)?
    } else {
        let (tally, _) = count(
            &file.ledger,
            || Tally::trusting_unique_ids(&file.campaign, now),
            progress,
        )?;
        tally.finish()?
    };
    if !file.earlier.is_empty() {
        status.project_from(&crate::compare::curves(file)?);
    }
    Ok(status)
}

/// A finance report and the budget behind the campaign, if it has one. It is as of `at` when
/// given; otherwise as of `clock`, or of the end of the `to` day (in the campaign's zone) when
/// that is earlier.
///
/// # Errors
///
/// The campaign file or a ledger is invalid.
pub fn report(
    campaign_path: &Path,
    at: Option<DateTime<Utc>>,
    clock: DateTime<Utc>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    progress: impl FnMut(u64),
) -> Result<(Report, Option<jauge::BudgetGap>), CliError> {
    report_of(
        &CampaignFile::load(campaign_path)?,
        at,
        clock,
        from,
        to,
        progress,
    )
}

/// [`report`] of a campaign file already loaded.
///
/// # Errors
///
/// A ledger is invalid.
pub fn report_of(
    file: &CampaignFile,
    at: Option<DateTime<Utc>>,
    clock: DateTime<Utc>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    progress: impl FnMut(u64),
) -> Result<(Report, Option<jauge::BudgetGap>), CliError> {
    let now = match (at, to) {
        (Some(at), _) => at,
        (None, Some(to)) => {
            let end_of_day = jauge::Moment::Date(to).resolve_deadline(file.campaign.zone())?;
            clock.min(end_of_day)
        }
        (None, None) => clock,
    };
    let make = || ReportBuilder::new(&file.campaign, now, from, to).trusting_unique_ids();
    let mut report = match &file.ledger {
        // A store's donors and subscriptions are kept on disk while it is counted: memory does
        // not grow with it.
        Ledger::Store(path) if !not_created_yet(path) => {
            scan_store_keyed(path, make, progress, |builder, donors, states| {
                builder.finish_with(donors, states.into_iter().map(Ok))
            })??
        }
        _ => count(&file.ledger, make, progress)?.0.finish()?,
    };
    if !file.earlier.is_empty() {
        // One reading of the earlier ledgers gives the comparison and the curves to project from.
        let (comparison, curves) = crate::compare::comparison(file, &report)?;
        report.status.project_from(&curves);
        report.comparison = Some(comparison);
    }
    let gap = file.budget.as_ref().map(jauge::Budget::gap).transpose()?;
    Ok((report, gap))
}

/// What the tests of counting share: generated ledgers and campaign files.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::{Path, PathBuf};

    use crate::ledger::COLUMNS;

    /// A ledger large enough to be read in two halves.
    pub(crate) fn big_ledger(
        dir: &Path,
        rows: usize,
        edit: impl Fn(usize, String) -> String,
    ) -> PathBuf {
        let mut text = COLUMNS.join(",") + "\n";
        for i in 0..rows {
            let row =
                format!(
                "g-{i},2023-12-{:02}T{:02}:{:02}:00Z,{}.{:02},EUR,{},{},{},online,d-{},0.25,{},\n",
                1 + i % 28,
                i % 24,
                i % 60,
                5 + i % 300,
                i % 100,
                if i % 97 == 0 { "refunded" } else { "confirmed" },
                if i % 10 == 0 { "monthly" } else { "one_off" },
                if i % 10 == 0 { format!("s-{}", i % 1000) } else { String::new() },
                i % 7919,
                if i % 97 == 0 { "1.00" } else { "" },
            );
            text.push_str(&edit(i, row));
        }
        let path = dir.join("ledger.csv");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A campaign file whose gifts are where `ledger` (a line of TOML) says.
    pub(crate) fn campaign_with(dir: &Path, ledger: &str) -> PathBuf {
        let path = dir.join("campaign.toml");
        std::fs::write(
            &path,
            format!(
                "name = \"Big\"\ngoal = \"1000000 EUR\"\ntime_zone = \"Europe/Paris\"\n\
                 start = \"2023-11-01\"\ndeadline = \"2023-12-31\"\n{ledger}\n"
            ),
        )
        .unwrap();
        path
    }

    pub(crate) fn campaign_file(dir: &Path) -> PathBuf {
        campaign_with(dir, "ledgers = [\"ledger.csv\"]")
    }
}
