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
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let status = args.at.status()?;
    let png = crate::publish::card::card_png(&status, args.at.lang)?;
    emit(Some(&args.out), &png)
}
