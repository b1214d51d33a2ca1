//! `jauge report`: the finance report.

use chrono::{NaiveDate, Utc};
use clap::ValueEnum;

use super::{json, print, progress, style, AtArgs};
use crate::campaign_file::{CampaignFile, Ledger};
use crate::error::CliError;
use crate::render;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    at: AtArgs,
    /// First day reported (campaign's zone), such as 2023-12-18; default: the start.
    #[arg(long, value_parser = super::parse_day)]
    from: Option<NaiveDate>,
    /// Last day reported; the report is as of the end of that day unless --at is earlier.
    #[arg(long, value_parser = super::parse_day)]
    to: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to this file instead of standard output, in any format (needed for xlsx on a
    /// terminal); written whole or not at all.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Csv,
    Md,
    Html,
    Json,
    Xlsx,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let Args {
        at,
        from,
        to,
        format,
        out,
    } = args;
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(CliError::Option {
                option: "--from",
                value: format!("{from} (after --to {to})"),
                expected: "a first day on or before the last: swap --from and --to",
            });
        }
    }
    let clock = Utc::now();
    let instant = at.instant()?;
    let (report, gap) =
        crate::count::report(&at.campaign, instant, clock, from, to, progress("reading"))?;
    let budget = render::budget_summary(&report, gap)?;
    // Text goes where --out says, or to standard output.
    let write = |text: String| match &out {
        Some(path) => super::emit(Some(path), text.as_bytes()),
        None => print(&text),
    };
    match format {
        // Colours only for a terminal, never in a file.
        Format::Text => write(render::report_text(
            &report,
            budget.as_ref(),
            at.lang,
            if out.is_some() {
                render::Style { colour: false }
            } else {
                style()
            },
            false,
        )),
        Format::Md | Format::Html => write(crate::publish::report_with_charts(
            &report,
            budget.as_ref(),
            at.lang,
            matches!(format, Format::Html),
        )),
        Format::Csv => write(render::report_csv(&report, at.lang)?),
        Format::Json => write(json(&render::ReportDocument {
            report: &report,
            budget,
        })),
        Format::Xlsx => {
            if out.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                return Err(CliError::Option {
                    option: "--format",
                    value: "xlsx".into(),
                    expected:
                        "a workbook is not for a terminal: give --out report.xlsx (or redirect)",
                });
            }
            let bytes = crate::xlsx::report_xlsx(&report, at.lang)
                .map_err(|e| CliError::Workbook(e.to_string()))?;
            super::emit(out.as_deref(), &bytes)
        }
    }?;
    // On stderr: the report itself stays the same for the same figures, however often it runs.
    if let Some(note) = changes_since_last_report(&at.campaign, clock)? {
        eprintln!("{note}");
    }
    Ok(())
}

/// How many gifts the store recorded or changed since the last report, and notes this one: the
/// first thing to look at when a total moved unexpectedly. `None` for CSV ledgers.
fn changes_since_last_report(
    campaign: &std::path::Path,
    clock: chrono::DateTime<Utc>,
) -> Result<Option<String>, CliError> {
    let Ledger::Store(path) = CampaignFile::load(campaign)?.ledger else {
        return Ok(None);
    };
    // Noting the report is worth a short wait, not a long one behind a large import.
    let mut store = jauge_store::Store::open_with(&path, false, std::time::Duration::from_secs(2))?;
    let changes = store.changes_since_last_report()?;
    match store.mark_reported(clock) {
        Ok(()) | Err(jauge_store::StoreError::Busy { .. }) => {}
        Err(other) => return Err(other.into()),
    }
    let since = match changes.since {
        Some(at) => format!("the last report ({})", at.format("%Y-%m-%d %H:%M UTC")),
        None => "the store was created".to_owned(),
    };
    let command = match changes.since {
        Some(at) => format!(
            "`jauge history --since {}`",
            at.format("%Y-%m-%dT%H:%M:%SZ")
        ),
        None => "`jauge history`".to_owned(),
    };
    Ok(Some(format!(
        "{} since {since}{}",
        render::counted(
            jauge::Locale::En,
            changes.gifts,
            "gift recorded or changed",
            "gifts recorded or changed"
        ),
        if changes.gifts > 0 {
            format!(" ({command} lists them)")
        } else {
            String::new()
        }
    )))
}
