//! `jauge appeal`: the appeal sentence at an instant.

use super::{print, AtArgs};
use crate::error::CliError;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    at: AtArgs,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let status = args.at.status()?;
    print(&(status.appeal(args.at.lang) + "\n"))
}
