//! `jauge`: the finance and publishing commands.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use jauge::{Currency, Interval, Locale};
use jauge_cli::amount::DecimalSeparator;
use jauge_cli::campaign_file::CampaignFile;
use jauge_cli::error::CliError;
use jauge_cli::import::{Context, DateOrder, Import, Source};
use jauge_cli::render::{self, Style};
use jauge_cli::{budget_file, commands};

/// Donation campaign figures, exact: import exports, status, appeal, finance report, budget gap.
#[derive(Parser)]
#[command(name = "jauge", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Normalises provider exports into a jauge ledger; importing twice adds nothing twice.
    Import(ImportArgs),
    /// The campaign's status at an instant.
    Status {
        #[command(flatten)]
        at: AtArgs,
        /// Text for people, or the shared status document.
        #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
        format: StatusFormat,
    },
    /// The appeal sentence at an instant.
    Appeal {
        #[command(flatten)]
        at: AtArgs,
    },
    /// What finance staff need: totals with the counting rules, series by day and week, channels,
    /// recurring giving, refunds and fees, the budget still open, pace and projection.
    Report {
        #[command(flatten)]
        at: AtArgs,
        /// First day reported (campaign's zone); default: the start.
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Last day reported; the report is as of the end of that day unless --at is earlier.
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// A budget's gap and the campaign goal it implies (TOML, .ods or .xlsx).
    Budget {
        /// The budget file.
        #[arg(long)]
        budget: PathBuf,
        #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
        format: StatusFormat,
        /// Language of numbers and sentences.
        #[arg(long, default_value = "en", value_parser = parse_locale)]
        lang: Locale,
    },
    /// Prints shell completions (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(clap::Args)]
struct AtArgs {
    /// The campaign file (TOML).
    #[arg(long)]
    campaign: PathBuf,
    /// The instant, RFC 3339 (2023-12-26T08:00:00+01:00); default: now.
    #[arg(long, value_parser = parse_instant)]
    at: Option<DateTime<Utc>>,
    /// Language of numbers and sentences.
    #[arg(long, default_value = "en", value_parser = parse_locale)]
    lang: Locale,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// What produced the files.
    #[arg(long = "from", value_enum)]
    source: Source,
    /// The exports.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The ledger to add to; created if absent, written whole or not at all.
    #[arg(long)]
    into: PathBuf,
    /// A campaign file: its currency and time zone are used for exports that do not say.
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
    /// Import the valid rows, and write the rejected ones, verbatim, aside.
    #[arg(long)]
    skip_invalid: bool,
    /// Folder for rejected rows (default: the ledger's).
    #[arg(long)]
    rejects_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Text,
    Csv,
    Md,
    Json,
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

fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("{e}: expected RFC 3339 such as 2023-12-26T08:00:00+01:00"))
}

fn parse_locale(text: &str) -> Result<Locale, String> {
    Locale::from_tag(text).map_err(|e| e.to_string())
}

fn parse_currency(text: &str) -> Result<Currency, String> {
    Currency::try_new(text).map_err(|e| e.to_string())
}

fn parse_zone(text: &str) -> Result<chrono_tz::Tz, String> {
    jauge::parse_zone(text).map_err(|e| e.to_string())
}

/// Progress on stderr, only when a person is watching it.
fn progress(label: &'static str) -> impl FnMut(u64) {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(label);
        bar
    });
    move |rows| {
        if let Some(bar) = &bar {
            bar.set_position(rows);
            bar.set_message(format!("{label}: {rows} rows"));
        }
    }
}

fn style() -> Style {
    Style {
        colour: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`jauge report | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| CliError::io(Path::new("<stdout>"), e)),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Import(args) => import(args),
        Command::Status { at, format } => {
            let now = at.at.unwrap_or_else(Utc::now);
            let status = commands::status(&at.campaign, now, progress("reading"))?;
            match format {
                StatusFormat::Text => print(&render::status_text(&status, at.lang, style())),
                StatusFormat::Json => print(&(status.to_json_pretty() + "\n")),
            }
        }
        Command::Appeal { at } => {
            let now = at.at.unwrap_or_else(Utc::now);
            let status = commands::status(&at.campaign, now, progress("reading"))?;
            print(&(status.appeal(at.lang) + "\n"))
        }
        Command::Report {
            at,
            from,
            to,
            format,
        } => {
            let (report, gap) = commands::report(
                &at.campaign,
                at.at,
                Utc::now(),
                from,
                to,
                progress("reading"),
            )?;
            let budget = render::budget_summary(&report, gap)
                .map_err(|e| CliError::Other(format!("budget: {e}")))?;
            match format {
                ReportFormat::Text => print(&render::report_text(
                    &report,
                    budget.as_ref(),
                    at.lang,
                    style(),
                    false,
                )),
                ReportFormat::Md => print(&render::report_text(
                    &report,
                    budget.as_ref(),
                    at.lang,
                    style(),
                    true,
                )),
                ReportFormat::Csv => {
                    print(&render::report_csv(&report).map_err(|e| CliError::Other(e.to_string()))?)
                }
                ReportFormat::Json => print(&json(&render::ReportDocument {
                    report: &report,
                    budget,
                })),
            }
        }
        Command::Budget {
            budget,
            format,
            lang,
        } => {
            let loaded = budget_file::load(&budget)?;
            let gap = loaded.gap().map_err(|e| CliError::Other(e.to_string()))?;
            match format {
                StatusFormat::Text => {
                    print(&render::budget_text(loaded.name(), &gap, lang, style()))
                }
                StatusFormat::Json => print(&json(&serde_json::json!({
                    "budget": loaded,
                    "gap": gap,
                    "goal": gap.goal(),
                }))),
            }
        }
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "jauge", &mut std::io::stdout());
            Ok(())
        }
    }
}

fn import(args: ImportArgs) -> Result<(), CliError> {
    let campaign = args
        .campaign
        .as_deref()
        .map(CampaignFile::load)
        .transpose()?;
    let context = Context {
        currency: args
            .currency
            .or(campaign.as_ref().map(|c| c.campaign.goal().currency())),
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
    };
    let summary = Import {
        source: args.source,
        files: &args.files,
        into: &args.into,
        context,
        skip_invalid: args.skip_invalid,
        rejects_dir: args.rejects_dir,
    }
    .run(progress("importing"))?;
    let mut lines = vec![format!(
        "{}: {} added, {} updated, {} already present, {} refunds applied",
        args.into.display(),
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.refunds
    )];
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("jauge: {error}");
            ExitCode::FAILURE
        }
    }
}
