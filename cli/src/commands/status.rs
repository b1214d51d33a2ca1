//! `jauge status`: the campaign's figures at an instant.

use clap::ValueEnum;

use super::{print, style, AtArgs};
use crate::error::CliError;
use crate::render;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    at: AtArgs,
    /// Text for people, or the shared status document.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Text for people or the status document; `budget` takes the same choice.
#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Format {
    Text,
    Json,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let lang = args.at.lang;
    let has_earlier = !crate::campaign_file::CampaignFile::load(&args.at.campaign)?
        .earlier
        .is_empty();
    if let (Format::Text, true) = (args.format, has_earlier) {
        // The report's pass gives the comparison with the earlier campaigns too.
        let now = args.at.instant()?.unwrap_or_else(chrono::Utc::now);
        let (report, _) =
            crate::count::report(&args.at.campaign, Some(now), now, None, None, |_| {})?;
        let mut text = render::status_text(&report.status, lang, style());
        if let Some(comparison) = &report.comparison {
            text.push('\n');
            text.push_str(&render::comparison_text(
                comparison,
                report.status.campaign().name.get(lang),
                render::zone_of(&report.status),
                lang,
                style(),
                false,
            ));
        }
        text.push_str(&caught_up(&args.at.campaign, &report.status, lang));
        return print(&(text.trim_end().to_owned() + "\n"));
    }
    let status = args.at.status()?;
    match args.format {
        Format::Text => print(&format!(
            "{}{}",
            render::status_text(&status, lang, style()),
            caught_up(&args.at.campaign, &status, lang)
        )),
        Format::Json => print(&(status.to_json_pretty() + "\n")),
    }
}

/// When each platform was last caught up (asked for the events it sent while no receiver
/// listened), in the campaign's zone: nothing for a store that never was, or a CSV ledger.
fn caught_up(
    campaign: &std::path::Path,
    status: &jauge::StatusDocument,
    lang: jauge::Locale,
) -> String {
    let Ok(path) = super::store_of(campaign) else {
        return String::new();
    };
    let Ok(store) = jauge_store::Store::open(&path) else {
        return String::new();
    };
    let zone = render::zone_of(status);
    let w = jauge::words::status::words(lang);
    let local =
        |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&zone).format("%Y-%m-%d %H:%M");
    store
        .catch_ups()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            format!(
                "  {} {}\n",
                w.caught_up,
                w.caught_up_line(
                    &c.platform,
                    &local(c.at).to_string(),
                    &local(c.through).to_string()
                )
            )
        })
        .collect()
}
