//! `jauge catch-up`: asks the platforms whose API credentials are given (Stripe's events list,
//! HelloAsso's orders) for what they sent while no receiver was listening, and applies each
//! exactly once (what `jauge serve` does on start and every ten minutes).

use std::path::PathBuf;

use chrono::Utc;

use crate::catch_up::{configured, said, Asking};
use crate::error::CliError;
use crate::webhook::Secrets;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The campaign, whose store takes the events (asked from its start the first time).
    #[arg(long)]
    campaign: PathBuf,
    /// A file of secrets (`NAME=value` lines, readable by its owner only): JAUGE_STRIPE_API_KEY,
    /// JAUGE_STRIPE_MODE, JAUGE_HELLOASSO_CLIENT_ID, JAUGE_HELLOASSO_CLIENT_SECRET,
    /// JAUGE_HELLOASSO_ORGANIZATION; the environment overrides it.
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
    let asking = Asking {
        timeout: std::time::Duration::from_secs(args.timeout),
        ..Asking::default()
    };
    let platforms = configured(&secrets, |name| std::env::var(name).ok());
    if platforms.is_empty() {
        return Err(CliError::CatchUp {
            platform: "any platform",
            reason: "no API credentials: set JAUGE_STRIPE_API_KEY, or JAUGE_HELLOASSO_CLIENT_ID, \
                     JAUGE_HELLOASSO_CLIENT_SECRET and JAUGE_HELLOASSO_ORGANIZATION (or write \
                     them in --secrets)"
                .into(),
        });
    }
    // Every platform is asked, each said; the first failure is the command's.
    let mut failure = None;
    for platform in platforms {
        match platform.catch_up(&store, start, Utc::now(), &asking) {
            Ok(report) => eprintln!("{}", said(platform.name(), &report)),
            // The first failure is said by the command's end; any other here.
            Err(e) if failure.is_some() => eprintln!("jauge: {e}"),
            Err(e) => failure = Some(e),
        }
    }
    failure.map_or(Ok(()), Err)
}
