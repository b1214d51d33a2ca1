//! `jauge chart`: one of the campaign's charts, as SVG or PNG.

use std::path::PathBuf;

use chrono::Utc;
use clap::ValueEnum;

use super::{emit, progress, AtArgs};
use crate::error::CliError;
use crate::publish::chart::{self, ChartKind};

#[derive(clap::Args)]
pub(super) struct Args {
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
}

#[derive(Clone, Copy, ValueEnum)]
enum ImageFormat {
    Svg,
    Png,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let now = args.at.instant()?.unwrap_or_else(Utc::now);
    let (report, _) = crate::count::report(
        &args.at.campaign,
        Some(now),
        now,
        None,
        None,
        progress("reading"),
    )?;
    let lang = args.at.lang;
    match args.format {
        ImageFormat::Svg => emit(
            args.out.as_deref(),
            chart::chart(&report, args.kind, lang).as_bytes(),
        ),
        ImageFormat::Png => emit(
            args.out.as_deref(),
            &chart::chart_png(&report, args.kind, lang)?,
        ),
    }
}
