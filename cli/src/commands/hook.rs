//! `jauge hook`: platforms' webhook events saved to files (a delivery copied from Stripe's
//! dashboard, a notification HelloAsso logged, a GoCardless delivery), applied to the store
//! exactly once each, in the order given. The same code as the webhook receiver's, without the
//! receiving (GoCardless's and Mollie's payments are still read through their APIs, with
//! `JAUGE_GOCARDLESS_ACCESS_TOKEN` and `JAUGE_MOLLIE_API_KEY`: their webhooks carry no amount).

use std::path::PathBuf;

use chrono::Utc;
use clap::ValueEnum;

use super::StoreArgs;
use crate::error::{CliError, InputError, Location};
use crate::receive::{apply_all, Applied, Platform};

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
        let unreadable = |source| CliError::Event {
            path: file.clone(),
            source,
        };
        let events = match args.platform {
            Platform::Stripe => {
                vec![jauge_platforms::stripe::interpret(&body, mode).map_err(unreadable)?]
            }
            Platform::Opencollective | Platform::Liberapay => {
                return Err(CliError::CatchUp {
                    platform: args.platform.name(),
                    reason: "it sends no deliveries to apply: it is polled (jauge catch-up, and jauge serve on its own)".into(),
                })
            }
            Platform::Paypal => {
                vec![jauge_platforms::paypal::interpret(&body).map_err(unreadable)?]
            }
            Platform::Helloasso => {
                vec![jauge_platforms::helloasso::interpret(&body).map_err(unreadable)?]
            }
            Platform::Mollie => {
                let nudge = jauge_platforms::mollie::read(&body).map_err(unreadable)?;
                let api = from_env(
                    |s| crate::catch_up::MollieApi::configured(s, |n| std::env::var(n).ok()),
                    "mollie",
                    crate::catch_up::MOLLIE_API_KEY,
                    "its webhooks are nudges",
                )?;
                match api
                    .reread(&nudge, &crate::catch_up::Asking::default())
                    .map_err(|reason| CliError::CatchUp {
                        platform: "mollie",
                        reason,
                    })? {
                    crate::catch_up::Reread::Events(events) => events,
                    crate::catch_up::Reread::Nothing(why) => {
                        eprintln!("{}: nothing to record: {why}", file.display());
                        continue;
                    }
                }
            }
            Platform::Gocardless => {
                let notices = jauge_platforms::gocardless::read(&body).map_err(unreadable)?;
                from_env(
                    |s| crate::catch_up::GoCardlessApi::configured(s, |n| std::env::var(n).ok()),
                    "gocardless",
                    crate::catch_up::GOCARDLESS_ACCESS_TOKEN,
                    "its events carry no amount",
                )?
                .events(&notices, &crate::catch_up::Asking::default())
                .map_err(|reason| CliError::CatchUp {
                    platform: "gocardless",
                    reason,
                })?
            }
        };
        let applied = apply_all(
            &store,
            args.platform,
            &events,
            Utc::now(),
            std::time::Duration::from_secs(args.wait),
        )?;
        for (event, applied) in events.iter().zip(applied) {
            let said = match applied {
                Applied::Applied { changed } => {
                    format!("applied, {changed} gifts added or changed")
                }
                Applied::AlreadyTaken(outcome) => {
                    format!("taken before ({outcome:?}), nothing changed")
                }
                Applied::Ignored(reason) => format!("ignored: {reason}"),
                Applied::Rejected(reason) => format!("rejected: {reason}"),
            };
            eprintln!("{}: {} {}: {said}", file.display(), event.kind, event.id);
        }
    }
    Ok(())
}

/// A platform's API, from the environment: `configured` finds it, or `setting` is named as what
/// to set, `why` it is needed.
fn from_env<T>(
    configured: impl Fn(&crate::webhook::Secrets) -> Option<T>,
    platform: &'static str,
    setting: &str,
    why: &str,
) -> Result<T, CliError> {
    let env = |name: &str| std::env::var(name).ok();
    let secrets = crate::webhook::Secrets::load(None, env)?;
    configured(&secrets).ok_or_else(|| CliError::CatchUp {
        platform,
        reason: format!("{why}: set {setting} to read them through its API"),
    })
}
