//! `jauge hook`: platforms' webhook events saved to files (a delivery copied from Stripe's
//! dashboard, a notification HelloAsso logged), applied to the store exactly once each, in the
//! order given. The same code as the webhook receiver's, without the network.

use std::path::PathBuf;

use chrono::Utc;
use clap::ValueEnum;

use super::StoreArgs;
use crate::error::{CliError, InputError, Location};
use crate::receive::{apply, Applied, Platform};

/// The largest event jauge reads: Stripe's and HelloAsso's are a few kilobytes.
const MAX_EVENT_BYTES: u64 = 1 << 20;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The platform that sent them.
    #[arg(long = "from", value_enum)]
    platform: Platform,
    /// The events, one JSON delivery per file, applied in this order.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    /// Stripe: whether these are live or test-mode events to count (the others are ignored).
    #[arg(long, value_enum, default_value_t = ModeArg::Live)]
    mode: ModeArg,
    /// Seconds to wait for other writers before giving up.
    #[arg(long, default_value_t = jauge_store::DEFAULT_BUSY_TIMEOUT.as_secs())]
    wait: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    Live,
    Test,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let store = args.store.path()?;
    let mode = match args.mode {
        ModeArg::Live => jauge_platforms::Mode::Live,
        ModeArg::Test => jauge_platforms::Mode::Test,
    };
    for file in &args.files {
        let size = std::fs::metadata(file)
            .map_err(|e| CliError::io(file, e))?
            .len();
        if size > MAX_EVENT_BYTES {
            return Err(InputError::new(
                Location::file(file),
                format!("{size} bytes: an event is at most {MAX_EVENT_BYTES}"),
            )
            .into());
        }
        let body = std::fs::read(file).map_err(|e| CliError::io(file, e))?;
        let event = match args.platform {
            Platform::Stripe => jauge_platforms::stripe::interpret(&body, mode),
            Platform::Helloasso => jauge_platforms::helloasso::interpret(&body),
        }
        .map_err(|source| CliError::Event {
            path: file.clone(),
            source,
        })?;
        let said = match apply(
            &store,
            args.platform,
            &event,
            Utc::now(),
            std::time::Duration::from_secs(args.wait),
        )? {
            Applied::Applied { changed } => format!("applied, {changed} gifts added or changed"),
            Applied::AlreadyTaken(outcome) => {
                format!("taken before ({outcome:?}), nothing changed")
            }
            Applied::Ignored(reason) => format!("ignored: {reason}"),
            Applied::Rejected(reason) => format!("rejected: {reason}"),
        };
        eprintln!("{}: {} {}: {said}", file.display(), event.kind, event.id);
    }
    Ok(())
}
