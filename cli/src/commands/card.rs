//! `jauge card`: the 1200 × 630 social card.

use std::path::PathBuf;

use super::{emit, AtArgs};
use crate::error::CliError;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    at: AtArgs,
    /// The PNG file to write.
    #[arg(long)]
    out: PathBuf,
    /// The card's colours: `dark` shows the drawing at night.
    #[arg(long, value_enum, default_value_t = super::snippet::ThemeArg::Light)]
    theme: super::snippet::ThemeArg,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let status = args.at.status()?;
    let png = crate::publish::card::card_png(&status, args.at.lang, args.theme.into())?;
    emit(Some(&args.out), &png)
}
