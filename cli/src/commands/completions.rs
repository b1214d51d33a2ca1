//! `jauge completions`: shell completions.

use clap::CommandFactory;

use super::{to_stdout, Cli};
use crate::error::CliError;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The shell.
    shell: clap_complete::Shell,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let mut command = Cli::command();
    to_stdout(|out| {
        clap_complete::generate(args.shell, &mut command, "jauge", out);
        Ok::<(), CliError>(())
    })
}
