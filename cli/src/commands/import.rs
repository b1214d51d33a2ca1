//! `jauge import`: provider exports recorded in the store.

use std::path::PathBuf;

use chrono::Utc;
use clap::ValueEnum;
use jauge::{Currency, Interval, Locale};

use super::{progress, store_of};
use crate::amount::DecimalSeparator;
use crate::campaign_file::CampaignFile;
use crate::error::CliError;
use crate::import::{Context, DateOrder, Import, Source};
use crate::render;

#[derive(clap::Args)]
pub(super) struct Args {
    /// What produced the files.
    #[arg(long = "from", value_enum)]
    source: Source,
    /// The exports.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The store to record them in; created if absent, written in one transaction or not at
    /// all. Default: the store the campaign file names.
    #[arg(long, required_unless_present = "campaign")]
    into: Option<PathBuf>,
    /// A campaign file: its store, currency and time zone are used where not given.
    #[arg(long)]
    campaign: Option<PathBuf>,
    /// Currency of exports that carry none.
    #[arg(long, value_parser = parse_currency)]
    currency: Option<Currency>,
    /// Time zone of exports that write local times (IANA name).
    #[arg(long, value_parser = parse_zone)]
    time_zone: Option<chrono_tz::Tz>,
    /// Decimal separator, for exports whose amounts are ambiguous (`1,234`).
    #[arg(long, value_enum, default_value_t = SeparatorArg::Auto)]
    decimal_separator: SeparatorArg,
    /// Day-month order of dates like 03/04/2023, when the file does not settle it.
    #[arg(long, value_enum)]
    date_order: Option<DateOrder>,
    /// Interval of recurring gifts in exports that do not say.
    #[arg(long, value_enum, default_value_t = IntervalArg::Monthly)]
    interval: IntervalArg,
    /// HelloAsso: keep only the rows of this form (the export's `Campagne`), so that ticket
    /// sales and memberships collected elsewhere stay out of the goal.
    #[arg(long)]
    form: Option<String>,
    /// Import the valid rows, and write the rejected ones, verbatim, aside.
    #[arg(long)]
    skip_invalid: bool,
    /// Folder for rejected rows (default: the store's).
    #[arg(long)]
    rejects_dir: Option<PathBuf>,
    /// Seconds to wait for other writers (an import, a webhook receiver) before giving up,
    /// writing nothing.
    #[arg(long, default_value_t = jauge_store::DEFAULT_BUSY_TIMEOUT.as_secs())]
    wait: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum SeparatorArg {
    Auto,
    Point,
    Comma,
}

#[derive(Clone, Copy, ValueEnum)]
enum IntervalArg {
    Monthly,
    Yearly,
}

fn parse_currency(text: &str) -> Result<Currency, String> {
    Currency::try_new(text).map_err(|e| e.to_string())
}

fn parse_zone(text: &str) -> Result<chrono_tz::Tz, String> {
    jauge::parse_zone(text).map_err(|e| e.to_string())
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let campaign = args
        .campaign
        .as_deref()
        .map(CampaignFile::load)
        .transpose()?;
    let into = match (&args.into, &args.campaign) {
        (Some(into), _) => into.clone(),
        (None, Some(campaign)) => store_of(campaign)?,
        (None, None) => PathBuf::from(crate::campaign_file::DEFAULT_STORE),
    };
    let context = Context {
        currency: args
            .currency
            .or(campaign.as_ref().map(|c| c.campaign.currency())),
        zone: args
            .time_zone
            .or(campaign.as_ref().map(|c| c.campaign.zone())),
        decimal: match args.decimal_separator {
            SeparatorArg::Auto => DecimalSeparator::Auto,
            SeparatorArg::Point => DecimalSeparator::Point,
            SeparatorArg::Comma => DecimalSeparator::Comma,
        },
        date_order: args.date_order,
        interval: match args.interval {
            IntervalArg::Monthly => Interval::Monthly,
            IntervalArg::Yearly => Interval::Yearly,
        },
        form: args.form.clone(),
    };
    let summary = Import {
        source: args.source,
        files: &args.files,
        into: &into,
        context,
        skip_invalid: args.skip_invalid,
        rejects_dir: args.rejects_dir,
        recorded_at: Utc::now(),
        wait: std::time::Duration::from_secs(args.wait),
    }
    .run(progress("importing"))?;
    let mut lines = vec![format!(
        "{}: {} added, {} updated, {} already present, {} refunds applied",
        into.display(),
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.refunds
    )];
    if summary.reversals > 0 {
        lines.push(format!(
            "  {} without the charge it refunds: taken off the total until a refund of its gift \
             is reported (jauge history ID says which)",
            render::counted(Locale::En, summary.reversals, "refund", "refunds")
        ));
    }
    for (kind, n) in &summary.not_gifts {
        lines.push(format!(
            "  {kind}: {} skipped, not gifts",
            render::counted(Locale::En, *n, "row", "rows")
        ));
    }
    if summary.rejected > 0 {
        let files: Vec<String> = summary
            .rejects_files
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        lines.push(format!(
            "  {} rejected, written verbatim to {} (reasons in the .txt beside it)",
            render::counted(Locale::En, summary.rejected, "row", "rows"),
            files.join(", ")
        ));
    }
    eprintln!("{}", lines.join("\n"));
    Ok(())
}
