//! What each command computes, from files to core values.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use jauge::{Donation, Report, ReportBuilder, StatusDocument, StatusError, Tally};

use crate::campaign_file::CampaignFile;
use crate::error::{CliError, InputError, Location};
use crate::ledger::LedgerReader;

/// Feeds every donation of `files` to `each`, in file order, naming the file and line of any
/// row that is malformed or that `each` refuses.
///
/// # Errors
///
/// The first bad row: a status is never computed from part of a ledger.
pub fn stream_ledgers(
    files: &[PathBuf],
    mut each: impl FnMut(&Donation) -> Result<(), StatusError>,
    mut progress: impl FnMut(u64),
) -> Result<u64, CliError> {
    let mut rows = 0u64;
    for file in files {
        let mut reader = LedgerReader::open(file)?;
        while let Some(row) = reader.next_donation() {
            let (line, donation) = row?;
            each(&donation)
                .map_err(|e| InputError::new(Location::line(file, line), e.to_string()))?;
            rows += 1;
            if rows % 65_536 == 0 {
                progress(rows);
            }
        }
    }
    Ok(rows)
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
    let file = CampaignFile::load(campaign_path)?;
    let mut tally = Tally::new(&file.campaign, now);
    stream_ledgers(&file.ledgers, |d| tally.add(d).map(drop), progress)?;
    tally.finish().map_err(|e| CliError::Other(e.to_string()))
}

/// A finance report and the budget behind the campaign, if it has one.
///
/// # Errors
///
/// The campaign file or a ledger is invalid.
pub fn report(
    campaign_path: &Path,
    now: DateTime<Utc>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    progress: impl FnMut(u64),
) -> Result<(Report, Option<jauge::BudgetGap>), CliError> {
    let file = CampaignFile::load(campaign_path)?;
    let mut builder = ReportBuilder::new(&file.campaign, now, from, to);
    stream_ledgers(&file.ledgers, |d| builder.add(d).map(drop), progress)?;
    let report = builder
        .finish()
        .map_err(|e| CliError::Other(e.to_string()))?;
    let gap = match &file.budget {
        Some(budget) => Some(budget.gap().map_err(|e| CliError::Other(e.to_string()))?),
        None => None,
    };
    Ok((report, gap))
}
