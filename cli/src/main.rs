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
use jauge_cli::publish::badge::BadgeShape;
use jauge_cli::publish::chart::ChartKind;
use jauge_cli::publish::site::SiteOptions;
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
    /// The gauge as a self-contained HTML fragment: no script, styles inline; it turns into the
    /// live gauge where the widget's script is on the page.
    Snippet {
        #[command(flatten)]
        at: AtArgs,
        /// How much room the gauge has.
        #[arg(long, value_enum, default_value_t = SizeArg::Full)]
        size: SizeArg,
        /// Colours.
        #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
        theme: ThemeArg,
        /// The status document's URL, for the upgrade to the live gauge.
        #[arg(long)]
        src: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A standalone SVG badge (a README, a forum, an e-mail).
    Badge {
        #[command(flatten)]
        at: AtArgs,
        /// One line, or a small card.
        #[arg(long, value_enum, default_value_t = BadgeShape::Compact)]
        shape: BadgeShape,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// A 1200 × 630 PNG social card: illustration, gauge and appeal.
    Card {
        #[command(flatten)]
        at: AtArgs,
        /// The PNG file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// A chart of the campaign: raised against the goal with pace and projection, money per
    /// day, or recurring and one-off giving apart.
    Chart {
        #[command(flatten)]
        at: AtArgs,
        /// Which chart.
        #[arg(long, value_enum, default_value_t = ChartKind::Cumulative)]
        kind: ChartKind,
        /// SVG, or PNG (twice the SVG's size).
        #[arg(long, value_enum, default_value_t = ImageFormat::Svg)]
        format: ImageFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Everything to publish, as one static folder for any web server or CDN.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// The folder to write (replaced whole; untouched if nothing changed).
        #[arg(long)]
        out: PathBuf,
    },
    /// Serves the built folder, rebuilt when the campaign, a ledger or the budget changes.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to listen; loopback by default.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Seconds between rebuilds when no input changes (the countdown moves on).
        #[arg(long, default_value_t = 60)]
        rebuild_every: u64,
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

impl AtArgs {
    /// The campaign's status at `--at`, or now.
    fn status(&self) -> Result<jauge::StatusDocument, CliError> {
        commands::status(
            &self.campaign,
            self.at.unwrap_or_else(Utc::now),
            progress("reading"),
        )
    }
}

#[derive(clap::Args)]
struct SiteArgs {
    #[command(flatten)]
    at: AtArgs,
    /// The folder of the widget bundle (`cargo xtask dist` writes `dist/`); default:
    /// $JAUGE_WIDGET_DIR, else this workspace's `dist/`.
    #[arg(long)]
    widget: Option<PathBuf>,
    /// The folder's public URL (`https://example.org/campaign/`), for the snippet and the
    /// embedding instructions.
    #[arg(long)]
    base_url: Option<String>,
}

impl SiteArgs {
    fn options(&self) -> SiteOptions {
        SiteOptions {
            at: self
                .at
                .at
                .unwrap_or_else(jauge_cli::publish::site::this_minute),
            locale: self.at.lang,
            widget: self
                .widget
                .clone()
                .unwrap_or_else(jauge_cli::publish::site::default_widget_dir),
            base_url: self.base_url.clone(),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SizeArg {
    Full,
    Compact,
    Bar,
}

#[derive(Clone, Copy, ValueEnum)]
enum ThemeArg {
    Light,
    Dark,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImageFormat {
    Svg,
    Png,
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
    Html,
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

/// Writes `bytes` to `out` (whole or not at all), or to standard output.
fn emit(out: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    match out {
        Some(path) => jauge_cli::publish::site::write_file(path, bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|e| CliError::io(Path::new("<stdout>"), e)),
            }
        }
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Import(args) => import(args),
        Command::Status { at, format } => {
            let status = at.status()?;
            match format {
                StatusFormat::Text => print(&render::status_text(&status, at.lang, style())),
                StatusFormat::Json => print(&(status.to_json_pretty() + "\n")),
            }
        }
        Command::Appeal { at } => {
            let status = at.status()?;
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
                ReportFormat::Md | ReportFormat::Html => {
                    print(&jauge_cli::publish::report_with_charts(
                        &report,
                        budget.as_ref(),
                        at.lang,
                        matches!(format, ReportFormat::Html),
                    ))
                }
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
        Command::Snippet {
            at,
            size,
            theme,
            src,
            out,
        } => {
            let status = at.status()?;
            let options = jauge_widget::snippet::SnippetOptions {
                locale: at.lang,
                size: match size {
                    SizeArg::Full => jauge_widget::Size::Full,
                    SizeArg::Compact => jauge_widget::Size::Compact,
                    SizeArg::Bar => jauge_widget::Size::Bar,
                },
                theme: match theme {
                    ThemeArg::Light => jauge_widget::Theme::Light,
                    ThemeArg::Dark => jauge_widget::Theme::Dark,
                },
                src,
                now: None,
            };
            let html = jauge_widget::snippet::snippet(&status, &options)?;
            emit(out.as_deref(), html.as_bytes())
        }
        Command::Badge { at, shape, out } => {
            let status = at.status()?;
            let view = jauge_widget::gauge_view(&status, at.lang, status.as_of());
            let svg = jauge_cli::publish::badge::badge(&view, at.lang, shape);
            emit(out.as_deref(), svg.as_bytes())
        }
        Command::Card { at, out } => {
            let status = at.status()?;
            let png = jauge_cli::publish::card::card_png(&status, at.lang)?;
            emit(Some(&out), &png)
        }
        Command::Chart {
            at,
            kind,
            format,
            out,
        } => {
            let now = at.at.unwrap_or_else(Utc::now);
            let (report, _) = commands::report(
                &at.campaign,
                Some(now),
                now,
                None,
                None,
                progress("reading"),
            )?;
            match format {
                ImageFormat::Svg => emit(
                    out.as_deref(),
                    jauge_cli::publish::chart::chart(&report, kind, at.lang).as_bytes(),
                ),
                ImageFormat::Png => emit(
                    out.as_deref(),
                    &jauge_cli::publish::chart::chart_png(&report, kind, at.lang)?,
                ),
            }
        }
        Command::Build { site, out } => {
            let built = jauge_cli::publish::site::render_site(&site.at.campaign, &site.options())?;
            let summary = jauge_cli::publish::site::write_site(&built, &out)?;
            eprintln!(
                "{}: {} files written, {} unchanged, {} removed",
                out.display(),
                summary.written,
                summary.unchanged,
                summary.removed
            );
            Ok(())
        }
        Command::Serve {
            site,
            addr,
            rebuild_every,
        } => {
            let listener = std::net::TcpListener::bind(addr)
                .map_err(|e| CliError::Other(format!("{addr}: {e}")))?;
            if !addr.ip().is_loopback() {
                eprintln!("jauge serve: listening on {addr}, beyond this machine");
            }
            let shared = jauge_cli::publish::serve::live_site(
                site.at.campaign.clone(),
                site.options(),
                std::time::Duration::from_secs(rebuild_every.max(1)),
                site.at.at,
            )?;
            eprintln!("jauge serve: http://{addr}/ (embed.html shows every artefact)");
            jauge_cli::publish::serve::serve_on(listener, shared);
            Ok(())
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
