//! `jauge serve`: the built site, served and rebuilt as its inputs change, and the platforms'
//! webhooks when their secrets are given.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::SiteArgs;
use crate::campaign_file::{CampaignFile, Ledger};
use crate::error::CliError;
use crate::publish::bucket::{Bucket, Mirror};
use crate::publish::serve;
use crate::webhook::{check, describe, HookOptions, Network, Receiver, Secrets};

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to listen; loopback by default (put a reverse proxy in front for TLS).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Seconds between rebuilds when no input changes (the countdown moves on).
    #[arg(long, default_value_t = 60)]
    rebuild_every: u64,
    /// A file of webhook secrets (`NAME=value` lines), readable by its owner only; the
    /// environment's variables of the same names win over it.
    #[arg(long)]
    secrets: Option<PathBuf>,
    /// The path of Stripe's endpoint.
    #[arg(long, default_value = "/hooks/stripe")]
    stripe_path: String,
    /// The path of HelloAsso's endpoint (followed by `/TOKEN` when it has no signature key).
    #[arg(long, default_value = "/hooks/helloasso")]
    helloasso_path: String,
    /// The path of GoCardless's endpoint.
    #[arg(long, default_value = "/hooks/gocardless")]
    gocardless_path: String,
    /// The path of Mollie's endpoint.
    #[arg(long, default_value = "/hooks/mollie")]
    mollie_path: String,
    /// The path of PayPal's endpoint.
    #[arg(long, default_value = "/hooks/paypal")]
    paypal_path: String,
    /// The path of Open Collective's endpoint (a nudge to poll).
    #[arg(long, default_value = "/hooks/opencollective")]
    opencollective_path: String,
    /// Seconds a Stripe signature's timestamp may be from now.
    #[arg(long, default_value_t = jauge_platforms::stripe::DEFAULT_TOLERANCE)]
    stripe_tolerance: i64,
    /// Without a HelloAsso signature key: an address or network its notifications may come
    /// from (repeat for several; none: any).
    #[arg(long, value_parser = parse_network)]
    helloasso_allow: Vec<Network>,
    /// A reverse proxy whose `X-Forwarded-For` names the client, for --helloasso-allow (repeat
    /// for several).
    #[arg(long, value_parser = parse_network)]
    trusted_proxy: Vec<Network>,
    /// Seconds a webhook's commit waits for the store's other writers (an import) before the
    /// platform is told to retry.
    #[arg(long, default_value_t = 5)]
    wait: u64,
    /// Connections open at once (more wait in the kernel's queue).
    #[arg(long, default_value_t = jauge_server::Limits::default().max_connections)]
    max_connections: usize,
    /// The largest request body, in bytes (413 past it).
    #[arg(long, default_value_t = jauge_server::Limits::default().max_body)]
    max_body: usize,
    /// Seconds a client has to send a request's head, and to start the next one on a kept-alive
    /// connection.
    #[arg(long, default_value_t = jauge_server::Limits::default().header_timeout.as_secs())]
    header_timeout: u64,
    /// Seconds a client has to send a request's body (408 past it).
    #[arg(long, default_value_t = jauge_server::Limits::default().body_timeout.as_secs())]
    body_timeout: u64,
    /// Push streams open at once (one per open page; past it, pages poll).
    #[arg(long, default_value_t = jauge_server::Limits::default().max_event_streams)]
    max_event_streams: usize,
    /// An origin whose pages may read the public files (`https://blog.example.org`; repeat
    /// for several). None: any origin, as the files are public and read without cookies.
    #[arg(long = "cors-origin", value_parser = parse_origin)]
    cors_origins: Vec<String>,
    /// An S3-compatible bucket (`s3://bucket/folder`) the public files are also written to on
    /// every change, for a CDN or the object store to serve the readers; credentials and
    /// endpoint from the AWS_* variables (the keys also from --secrets).
    #[arg(long, value_name = "S3_URL")]
    publish_to: Option<String>,
}

fn parse_network(text: &str) -> Result<Network, String> {
    text.parse()
}

fn parse_origin(text: &str) -> Result<String, String> {
    jauge_server::Origins::parse(&[text]).map(|_| text.to_owned())
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    tune_malloc();
    let addr = args.addr;
    let secrets = Secrets::load(args.secrets.as_deref(), |name| std::env::var(name).ok())?;
    // An Open Collective webhook asks the poller to poll now: a queue of one (more would poll
    // no sooner).
    let (nudge, nudged) = std::sync::mpsc::sync_channel::<&'static str>(1);
    let options = HookOptions {
        stripe_path: args.stripe_path.clone(),
        helloasso_path: args.helloasso_path.clone(),
        gocardless_path: args.gocardless_path.clone(),
        gocardless_api: crate::catch_up::gocardless_base(|name| std::env::var(name).ok()),
        mollie_path: args.mollie_path.clone(),
        mollie_api: crate::catch_up::mollie_base(|name| std::env::var(name).ok()),
        paypal_path: args.paypal_path.clone(),
        paypal_cert_base: std::env::var(crate::webhook::PAYPAL_CERT_BASE).ok(),
        paypal_cert_root: std::env::var_os(crate::webhook::PAYPAL_CERT_ROOT).map(PathBuf::from),
        opencollective_path: args.opencollective_path.clone(),
        helloasso_api: crate::catch_up::helloasso_base(|name| std::env::var(name).ok()),
        nudge: Some(nudge),
        stripe_tolerance: args.stripe_tolerance,
        helloasso_allow: args.helloasso_allow.clone(),
        trusted_proxies: args.trusted_proxy.clone(),
        wait: Duration::from_secs(args.wait),
    };
    check(&secrets, &options)?;
    let hooks = describe(&secrets, &options);
    let store = if hooks.is_empty() {
        None
    } else {
        match CampaignFile::load(&args.site.at.campaign)?.ledger {
            Ledger::Store(path) => Some(path),
            Ledger::Csv(files) => {
                return Err(CliError::CsvLedger {
                    path: files.first().cloned().unwrap_or_default(),
                })
            }
        }
    };
    let origins =
        jauge_server::Origins::parse(&args.cors_origins).map_err(|_| CliError::Option {
            option: "--cors-origin",
            value: args.cors_origins.join(" "),
            expected: "an origin: https://host or https://host:port, no path",
        })?;
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| CliError::Listen { addr, source })?;
    // Port 0 asks for any free port: say which one it is.
    let addr = listener.local_addr().unwrap_or(addr);
    let mirror = match &args.publish_to {
        Some(url) => {
            let bucket = Bucket::open("--publish-to", url, &secrets)?;
            Some(Mirror::start(bucket, "jauge serve")?)
        }
        None => None,
    };
    let push = jauge_server::Push::new(args.max_event_streams);
    let site = serve::live_site(
        args.site.at.campaign.clone(),
        args.site.options()?,
        Duration::from_secs(args.rebuild_every.max(1)),
        args.site.at.instant()?,
        push.clone(),
        mirror,
    )?;
    let receiver = match store {
        Some(store) => {
            let site = Arc::downgrade(&site);
            Receiver::start(store, &secrets, &options, move || {
                if let Some(site) = site.upgrade() {
                    site.changed();
                }
            })?
        }
        None => None,
    };
    let platforms = crate::catch_up::configured(&secrets, |name| std::env::var(name).ok());
    if !platforms.is_empty() {
        let file = CampaignFile::load(&args.site.at.campaign)?;
        let start = file.campaign.start();
        let Ledger::Store(path) = file.ledger else {
            return Err(CliError::CsvLedger {
                path: PathBuf::from(&args.site.at.campaign),
            });
        };
        let site = Arc::downgrade(&site);
        catch_up_every(path, platforms, start, nudged, move || {
            if let Some(site) = site.upgrade() {
                site.changed();
            }
        });
    }
    if !addr.ip().is_loopback() {
        eprintln!("jauge serve: listening on {addr}, beyond this machine");
    }
    eprintln!("jauge serve: http://{addr}/ (embed.html shows every artefact)");
    for hook in hooks {
        eprintln!("jauge serve: webhook {hook}");
    }
    let limits = jauge_server::Limits {
        max_connections: args.max_connections,
        max_body: args.max_body,
        header_timeout: Duration::from_secs(args.header_timeout.max(1)),
        body_timeout: Duration::from_secs(args.body_timeout.max(1)),
        max_event_streams: args.max_event_streams,
        ..jauge_server::Limits::default()
    };
    jauge_server::Server::new(listener, limits, router(site, receiver, &origins))
        .closing(push)
        .run()
        .map_err(|source| CliError::Listen { addr, source })?;
    eprintln!("jauge serve: stopped");
    Ok(())
}

/// The one router: the webhooks' endpoints (each waiting for its commit on the blocking pool),
/// then the public files and their push stream, readable from any allowed origin.
fn router(
    site: Arc<serve::LiveSite>,
    receiver: Option<Receiver>,
    origins: &jauge_server::Origins,
) -> jauge_server::axum::Router {
    let mut router = jauge_server::axum::Router::new();
    if let Some(receiver) = receiver {
        let receiver = Arc::new(receiver);
        for path in receiver.paths() {
            let (receiver, site) = (receiver.clone(), site.clone());
            // A wrong token is answered as any other address the site does not have, so that
            // nothing tells a prober it came near.
            router = router.route(
                &path,
                jauge_server::blocking(move |request| {
                    receiver
                        .route(&request)
                        .unwrap_or_else(|| site.respond(&request))
                }),
            );
        }
    }
    let public = jauge_server::axum::Router::new()
        .route("/events", site.push().route())
        .fallback_service(jauge_server::plain(move |request| site.respond(&request)))
        .layer(jauge_server::cors(origins));
    router.merge(public)
}

/// glibc's settings for a long-running server, as `NAME=value`, each set unless the operator set
/// it already:
/// - `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates its own arena (up to eight per
///   core) and keeps what they free for reuse, so a server whose counting threads come and go
///   holds far more than it uses (measured at five million gifts: 180 MiB, 102 MiB with two
///   arenas, at the same latency);
/// - `MALLOC_MMAP_THRESHOLD_=262144`: a fixed threshold, so that every block of 256 KiB or more
///   (the brotli encoder's tables when the widget bundle is compressed at start, a count's runs)
///   is given back to the system when freed. glibc otherwise raises the threshold to the largest
///   block freed, and later blocks as large stay in the heap after their use: 68 → 43 MiB peak at
///   five million gifts, at the same latency.
const MALLOC_SETTINGS: [(&str, &str); 2] = [
    ("MALLOC_ARENA_MAX", "2"),
    ("MALLOC_MMAP_THRESHOLD_", "262144"),
];

/// glibc reads [`MALLOC_SETTINGS`] only when a process starts, so `jauge serve` starts itself
/// again, once, with them, before any thread or socket exists.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    use std::os::unix::process::CommandExt;
    let missing: Vec<(&str, &str)> = MALLOC_SETTINGS
        .into_iter()
        .filter(|(name, _)| std::env::var_os(name).is_none())
        .collect();
    if missing.is_empty() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    // `exec` returns only when it failed: then the server runs as it is.
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .envs(missing)
        .exec();
    eprintln!(
        "jauge serve: could not restart with glibc's settings for a server ({error}); continuing"
    );
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

/// How often `jauge serve` asks each platform for what it may have missed (and polls the ones
/// that send nothing reliable), after the first time on start.
const CATCH_UP_EVERY: Duration = Duration::from_secs(600);
/// The least time between two polls of one platform that nudges bring about.
const NUDGE_SPACING: Duration = Duration::from_secs(5);

/// Catches up with each platform now and every [`CATCH_UP_EVERY`], on a thread of its own,
/// and with one platform as soon as `nudged` names it (an Open Collective webhook), however
/// many nudges come at most every [`NUDGE_SPACING`]: each result said in the log when it
/// brought something (a failure once, and the recovery after it), and the site rebuilt when
/// something was applied.
fn catch_up_every(
    store: PathBuf,
    platforms: Vec<crate::catch_up::Configured>,
    start: chrono::DateTime<chrono::Utc>,
    nudged: std::sync::mpsc::Receiver<&'static str>,
    changed: impl Fn() + Send + 'static,
) {
    std::thread::spawn(move || {
        let asking = crate::catch_up::Asking::default();
        let mut failing = vec![false; platforms.len()];
        let mut last = vec![std::time::Instant::now(); platforms.len()];
        let catch_up = |i: usize, failing: &mut [bool], last: &mut [std::time::Instant]| {
            let platform = &platforms[i];
            match platform.catch_up(&store, start, chrono::Utc::now(), &asking) {
                Ok(report) => {
                    if report.listed > 0 || failing[i] {
                        eprintln!(
                            "jauge serve: {}",
                            crate::catch_up::said(platform.name(), &report)
                        );
                    }
                    if report.applied > 0 {
                        changed();
                    }
                    failing[i] = false;
                }
                Err(e) => {
                    if !failing[i] {
                        eprintln!("jauge serve: {e}; asked again in ten minutes");
                    }
                    failing[i] = true;
                }
            }
            last[i] = std::time::Instant::now();
        };
        let mut next_round = std::time::Instant::now();
        loop {
            if std::time::Instant::now() >= next_round {
                for i in 0..platforms.len() {
                    catch_up(i, &mut failing, &mut last);
                }
                next_round = std::time::Instant::now() + CATCH_UP_EVERY;
            }
            let wait = next_round.saturating_duration_since(std::time::Instant::now());
            match nudged.recv_timeout(wait) {
                Ok(name) => {
                    if let Some(i) = platforms.iter().position(|p| p.name() == name) {
                        std::thread::sleep(NUDGE_SPACING.saturating_sub(last[i].elapsed()));
                        // Nudges that came meanwhile are answered by this poll.
                        while nudged.try_recv().is_ok() {}
                        catch_up(i, &mut failing, &mut last);
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                // The receiver is gone (no webhook endpoint): rounds only.
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(
                        next_round.saturating_duration_since(std::time::Instant::now()),
                    );
                }
            }
        }
    });
}
