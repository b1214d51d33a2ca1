//! `jauge serve`: the built site, served and rebuilt as its inputs change.

use super::SiteArgs;
use crate::error::CliError;
use crate::publish::serve;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to listen; loopback by default.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Seconds between rebuilds when no input changes (the countdown moves on).
    #[arg(long, default_value_t = 60)]
    rebuild_every: u64,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let addr = args.addr;
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| CliError::Listen { addr, source })?;
    if !addr.ip().is_loopback() {
        eprintln!("jauge serve: listening on {addr}, beyond this machine");
    }
    let shared = serve::live_site(
        args.site.at.campaign.clone(),
        args.site.options(),
        std::time::Duration::from_secs(args.rebuild_every.max(1)),
        args.site.at.at,
    )?;
    eprintln!("jauge serve: http://{addr}/ (embed.html shows every artefact)");
    serve::serve_on(listener, shared);
    Ok(())
}
