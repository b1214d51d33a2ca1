//! `jauge catch-up`: asks the platforms whose API key is given for the events they sent while
//! no receiver was listening, and applies each exactly once (what `jauge serve` does on start and
//! every ten minutes).

use std::path::PathBuf;

use chrono::Utc;

use crate::catch_up::{stripe, stripe_base, Asking, STRIPE_API_KEY};
use crate::error::CliError;
use crate::webhook::{Secrets, STRIPE_MODE};

#[derive(clap::Args)]
pub(super) struct Args {
    /// The campaign, whose store takes the events (asked from its start the first time).
    #[arg(long)]
    campaign: PathBuf,
    /// A file of secrets (`NAME=value` lines, readable by its owner only): JAUGE_STRIPE_API_KEY,
    /// JAUGE_STRIPE_MODE; the environment overrides it.
    #[arg(long)]
    secrets: Option<PathBuf>,
    /// Seconds each request to a platform may take.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=120))]
    timeout: u64,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let secrets = Secrets::load(args.secrets.as_deref(), |name| std::env::var(name).ok())?;
    let file = crate::campaign_file::CampaignFile::load(&args.campaign)?;
    let start = file.campaign.start();
    let store = super::store_in(file)?;
    let Some(key) = secrets.get(STRIPE_API_KEY) else {
        return Err(CliError::CatchUp {
            platform: "stripe",
            reason: format!("no API key: set {STRIPE_API_KEY} (or write it in --secrets)"),
        });
    };
    let mode = match secrets.get(STRIPE_MODE).unwrap_or("live") {
        "test" => jauge_platforms::Mode::Test,
        _ => jauge_platforms::Mode::Live,
    };
    let asking = Asking {
        timeout: std::time::Duration::from_secs(args.timeout),
        ..Asking::default()
    };
    let base = stripe_base(|name| std::env::var(name).ok());
    let report = stripe(&store, key, mode, &base, start, Utc::now(), &asking)?;
    eprintln!("{}", crate::catch_up::said(&report));
    Ok(())
}
