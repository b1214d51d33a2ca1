//! `jauge`: the finance and publishing commands (see `jauge_cli::commands`).

use std::process::ExitCode;

use clap::Parser;
use jauge_cli::commands::{run, Cli};

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("jauge: {error}");
            ExitCode::FAILURE
        }
    }
}
