//! `jauge badge`: a standalone SVG badge.

use std::path::PathBuf;

use super::{emit, AtArgs};
use crate::error::CliError;
use crate::publish::badge::BadgeShape;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    at: AtArgs,
    /// One line, or a small card.
    #[arg(long, value_enum, default_value_t = BadgeShape::Compact)]
    shape: BadgeShape,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let status = args.at.status()?;
    let view = jauge_widget::gauge_view(&status, args.at.lang, status.as_of());
    let svg = crate::publish::badge::badge(&view, args.at.lang, args.shape);
    emit(args.out.as_deref(), svg.as_bytes())
}
