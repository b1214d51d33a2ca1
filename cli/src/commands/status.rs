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
    let status = args.at.status()?;
    match args.format {
        Format::Text => print(&render::status_text(&status, args.at.lang, style())),
        Format::Json => print(&(status.to_json_pretty() + "\n")),
    }
}
