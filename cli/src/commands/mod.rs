//! One module per command, each with its arguments and its `run`; what they share (the
//! campaign and instant arguments, the site arguments, writing to standard output) is here.

mod appeal;
mod badge;
mod budget;
mod build;
mod card;
mod catch_up;
mod chart;
mod completions;
mod export;
mod history;
mod hook;
mod import;
mod manual;
mod report;
mod serve;
mod snippet;
mod status;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use jauge::Locale;

use crate::error::CliError;
use crate::publish::site::SiteOptions;
use crate::render::Style;

/// Donation campaign figures, exact: import exports, status, appeal, finance report, budget gap.
#[derive(Parser)]
#[command(name = "jauge", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Records provider exports in the store; importing twice adds nothing twice.
    Import(import::Args),
    /// The store's gifts as a CSV ledger (the format `import --from jauge` reads).
    Export(export::Args),
    /// Every recorded change to a gift, or to every gift since a date.
    History(history::Args),
    /// Records a gift received by hand (a cheque, cash, a transfer), journaled with who and why.
    Add(manual::AddArgs),
    /// Cancels a gift entered by hand, with a reason: never counted again, never deleted.
    Void(manual::VoidArgs),
    /// Applies platforms' webhook events saved to files, each exactly once.
    Hook(hook::Args),
    /// Asks the platforms (Stripe, HelloAsso) for what they sent while no receiver listened,
    /// each applied exactly once.
    CatchUp(catch_up::Args),
    /// The campaign's status at an instant.
    Status(status::Args),
    /// The appeal sentence at an instant.
    Appeal(appeal::Args),
    /// What finance staff need: totals with the counting rules, series by day and week, channels,
    /// recurring giving, refunds and fees, the budget still open, pace and projection.
    Report(report::Args),
    /// A budget's gap and the campaign goal it implies (TOML, .ods or .xlsx).
    Budget(budget::Args),
    /// The gauge as a self-contained HTML fragment: no script, styles inline; it turns into the
    /// live gauge where the widget's script is on the page.
    Snippet(snippet::Args),
    /// A standalone SVG badge (a README, a forum, an e-mail).
    Badge(badge::Args),
    /// A 1200 × 630 PNG social card: illustration, gauge and appeal.
    Card(card::Args),
    /// A chart of the campaign: raised against the goal with pace and projection, money per
    /// day, or recurring and one-off giving apart.
    Chart(chart::Args),
    /// Everything to publish, as one static folder for any web server or CDN.
    Build(build::Args),
    /// Serves the built folder, rebuilt when the campaign, the store or the budget changes.
    Serve(Box<serve::Args>),
    /// Prints shell completions (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
}

/// Runs the command the arguments name.
///
/// # Errors
///
/// Whatever the command fails with, worded for the user.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
        Command::History(args) => history::run(args),
        Command::Add(args) => manual::add(args),
        Command::Void(args) => manual::void(args),
        Command::Hook(args) => hook::run(args),
        Command::CatchUp(args) => catch_up::run(args),
        Command::Status(args) => status::run(args),
        Command::Appeal(args) => appeal::run(args),
        Command::Report(args) => report::run(args),
        Command::Budget(args) => budget::run(args),
        Command::Snippet(args) => snippet::run(args),
        Command::Badge(args) => badge::run(args),
        Command::Card(args) => card::run(args),
        Command::Chart(args) => chart::run(args),
        Command::Build(args) => build::run(args),
        Command::Serve(args) => serve::run(*args),
        Command::Completions(args) => completions::run(args),
    }
}

/// The campaign, the instant and the language: what every figure depends on.
#[derive(clap::Args)]
struct AtArgs {
    /// The campaign file (TOML).
    #[arg(long)]
    campaign: PathBuf,
    /// The instant: RFC 3339 (2023-12-26T08:00:00+01:00), a wall-clock time in the campaign's
    /// zone (2023-12-26T08:00), or a day (2023-12-24: the end of that day in the campaign's
    /// zone, as `--to` and a deadline read it); default: now.
    #[arg(long, value_parser = parse_moment)]
    at: Option<jauge::Moment>,
    /// Language of numbers and sentences.
    #[arg(long, default_value = "en", value_parser = parse_locale)]
    lang: Locale,
}

impl AtArgs {
    /// `--at` as an instant, in the campaign's zone where it names a day or a wall-clock time.
    fn instant(&self) -> Result<Option<DateTime<Utc>>, CliError> {
        let Some(moment) = &self.at else {
            return Ok(None);
        };
        let zone = match moment {
            jauge::Moment::Instant(_) => chrono_tz::UTC,
            _ => crate::campaign_file::CampaignFile::load(&self.campaign)?
                .campaign
                .zone(),
        };
        Ok(Some(moment.resolve_deadline(zone)?))
    }

    /// The campaign's status at `--at`, or now.
    fn status(&self) -> Result<jauge::StatusDocument, CliError> {
        crate::count::status(
            &self.campaign,
            self.instant()?.unwrap_or_else(Utc::now),
            progress("reading"),
        )
    }
}

/// What a built site depends on besides the figures.
#[derive(clap::Args)]
struct SiteArgs {
    #[command(flatten)]
    at: AtArgs,
    /// The folder of the widget bundle (`cargo xtask dist` writes `dist/`); default:
    /// $JAUGE_WIDGET_DIR, else the bundle built into jauge (`cargo xtask install`), else this
    /// workspace's `dist/`.
    #[arg(long)]
    widget: Option<PathBuf>,
    /// The folder's public URL (`https://example.org/campaign/`), for the snippet and the
    /// embedding instructions.
    #[arg(long)]
    base_url: Option<String>,
}

impl SiteArgs {
    fn options(&self) -> Result<SiteOptions, CliError> {
        Ok(SiteOptions {
            at: self.at.instant()?.unwrap_or_else(chrono::Utc::now),
            locale: self.at.lang,
            widget: self.widget.clone(),
            base_url: self.base_url.clone(),
            frozen: self.at.at.is_some(),
        })
    }
}

/// Where the gifts are: a store named directly, or the one a campaign file names.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
struct StoreArgs {
    /// The store.
    #[arg(long)]
    ledger: Option<PathBuf>,
    /// A campaign file, whose store is meant.
    #[arg(long)]
    campaign: Option<PathBuf>,
}

impl StoreArgs {
    fn path(&self) -> Result<PathBuf, CliError> {
        self.path_and_zone().map(|(path, _)| path)
    }

    /// The store, and the campaign's time zone when a campaign file names it.
    fn path_and_zone(&self) -> Result<(PathBuf, Option<chrono_tz::Tz>), CliError> {
        match (&self.ledger, &self.campaign) {
            (Some(ledger), _) => Ok((ledger.clone(), None)),
            (None, Some(campaign)) => {
                let file = crate::campaign_file::CampaignFile::load(campaign)?;
                let zone = file.campaign.zone();
                store_in(file).map(|path| (path, Some(zone)))
            }
            // clap requires one of the two.
            (None, None) => Ok((PathBuf::from(crate::campaign_file::DEFAULT_STORE), None)),
        }
    }
}

/// The store a campaign file names.
fn store_of(campaign: &Path) -> Result<PathBuf, CliError> {
    store_in(crate::campaign_file::CampaignFile::load(campaign)?)
}

/// The store of a loaded campaign file: a CSV ledger is refused, jauge writes only stores.
fn store_in(file: crate::campaign_file::CampaignFile) -> Result<PathBuf, CliError> {
    match file.ledger {
        crate::campaign_file::Ledger::Store(path) => Ok(path),
        crate::campaign_file::Ledger::Csv(files) => Err(CliError::CsvLedger {
            path: files.into_iter().next().unwrap_or_default(),
        }),
    }
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("{e}: expected RFC 3339 such as 2023-12-26T08:00:00+01:00"))
}

fn parse_moment(text: &str) -> Result<jauge::Moment, String> {
    text.parse::<jauge::Moment>().map_err(|_| {
        // The same words as --from and --to, and the same form to write instead.
        let written = parse_day(text)
            .err()
            .and_then(|e| {
                e.split_once(": write ")
                    .map(|(_, w)| format!(": write {w}"))
            })
            .unwrap_or_default();
        format!(
            "{:?} is not a day, a local time or an instant; days are written year-month-day, \
             such as 2023-12-18 (the end of that day), local times 2023-12-18T18:00 (the \
             campaign's time), instants 2023-12-18T18:00:00+01:00{written}",
            text.trim()
        )
    })
}

/// A day on the command line (`--from`, `--to`): `2023-12-18`. A day written the European or the
/// American way gets the form to write instead.
pub(crate) fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    let text = text.trim();
    if let Ok(day) = text.parse::<chrono::NaiveDate>() {
        return Ok(day);
    }
    let parts: Vec<u32> = text
        .split(['/', '.', '-'])
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    let day = |y: u32, m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y as i32, m, d);
    let suggestion = match parts.as_slice() {
        &[a, b, y] if y > 31 => match (day(y, b, a), day(y, a, b)) {
            (Some(d), Some(m)) if d != m => format!(": write {d} (day first) or {m} (month first)"),
            (Some(d), _) | (None, Some(d)) => format!(": write {d}"),
            (None, None) => String::new(),
        },
        _ => String::new(),
    };
    Err(format!(
        "{text:?} is not a day; days are written year-month-day, such as 2023-12-18{suggestion}"
    ))
}

fn parse_locale(text: &str) -> Result<Locale, String> {
    Locale::from_tag(text).map_err(|e| e.to_string())
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

/// Colour only on a terminal, and never with `NO_COLOR`.
fn style() -> Style {
    Style {
        colour: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Fills standard output through `fill`: the one place where a closed pipe (`jauge export |
/// head`) ends a command quietly instead of as an error.
fn to_stdout<E: Into<CliError>>(
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), CliError> {
    let stdout = std::io::stdout().lock();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
    let written = fill(&mut out).map_err(Into::into).and_then(|()| {
        out.flush()
            .map_err(|e| CliError::io(Path::new("<stdout>"), e))
    });
    match written {
        Err(e) if is_broken_pipe(&e) => Ok(()),
        other => other,
    }
}

fn is_broken_pipe(error: &CliError) -> bool {
    let broken = |e: &std::io::Error| e.kind() == std::io::ErrorKind::BrokenPipe;
    match error {
        CliError::Io { source, .. } => broken(source),
        CliError::Csv(e) => matches!(e.kind(), csv::ErrorKind::Io(io) if broken(io)),
        _ => false,
    }
}

fn print(text: &str) -> Result<(), CliError> {
    to_stdout(|out| {
        out.write_all(text.as_bytes())
            .map_err(|e| CliError::io(Path::new("<stdout>"), e))
    })
}

/// Writes `bytes` to `out` (whole or not at all), or to standard output.
fn emit(out: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    match out {
        Some(path) => crate::publish::site::write_file(path, bytes),
        None => to_stdout(|out| {
            out.write_all(bytes)
                .map_err(|e| CliError::io(Path::new("<stdout>"), e))
        }),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn a_day_in_another_form_gets_the_one_to_write() {
        assert_eq!(parse_day("2023-12-18").unwrap().to_string(), "2023-12-18");
        assert_eq!(
            parse_day("18/12/2023").unwrap_err(),
            "\"18/12/2023\" is not a day; days are written year-month-day, such as 2023-12-18: write 2023-12-18"
        );
        assert!(parse_day("03/12/2023")
            .unwrap_err()
            .ends_with("write 2023-12-03 (day first) or 2023-03-12 (month first)"));
        assert!(parse_day("yesterday")
            .unwrap_err()
            .ends_with("such as 2023-12-18"));
        assert!(parse_day("31/02/2023")
            .unwrap_err()
            .ends_with("such as 2023-12-18"));
        assert!(super::parse_moment("18/12/2023")
            .unwrap_err()
            .ends_with("instants 2023-12-18T18:00:00+01:00: write 2023-12-18"));
    }
}
