//! `jauge budget`: a budget's gap and the goal it implies.

use std::path::PathBuf;

use jauge::Locale;

use super::status::Format;
use super::{json, parse_locale, print, style};
use crate::error::CliError;
use crate::{budget_file, render};

#[derive(clap::Args)]
pub(super) struct Args {
    /// The budget file.
    #[arg(long)]
    budget: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The currency of a sheet without a currency column.
    #[arg(long, value_parser = parse_currency)]
    currency: Option<jauge::Currency>,
    /// Language of numbers and sentences.
    #[arg(long, default_value = "en", value_parser = parse_locale)]
    lang: Locale,
}

fn parse_currency(text: &str) -> Result<jauge::Currency, String> {
    jauge::Currency::try_new(text).map_err(|e| e.to_string())
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let loaded = budget_file::load(&args.budget, args.currency)?;
    let gap = loaded.gap()?;
    match args.format {
        Format::Text => print(&render::budget_text(
            loaded.name(),
            &gap,
            args.lang,
            style(),
        )),
        Format::Json => print(&json(&serde_json::json!({
            "budget": loaded,
            "gap": gap,
            "goal": gap.goal(),
        }))),
    }
}
