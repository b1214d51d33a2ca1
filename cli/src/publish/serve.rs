//! The site `jauge serve` serves: built in memory, and rebuilt as its inputs change.
//!
//! Inputs change three ways, each seen here: a committed webhook gift ([`LiveSite::changed`],
//! called by the receiver after its commit), a write by another process (an import: the store's
//! or a CSV ledger's modification time, looked at twice a second), and the passing of time
//! (every `every`, so the artefacts' countdown stays true). After a webhook, `status.json` alone
//! is recomputed at once (from the store's checkpoint, it costs the week's gifts) and swapped in,
//! so the next poll of the widget shows the gift; the rest of the site (snippet, badges, card,
//! charts, which read every gift) follows within [`FULL_REBUILD_SPACING`]. A rebuild that fails
//! keeps the last good site and says why on stderr.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use jauge_server::{Files, Request, Response};

use super::site::{cache_control, render_site, Site, SiteOptions};
use crate::error::CliError;

/// The policy of the pages that show the static snippet: the README's strict one, plus style
/// attributes (the snippet carries its styles inline so that it survives e-mail and CMSs; an
/// attribute cannot run script).
pub const SNIPPET_PAGE_CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src-attr 'unsafe-inline'; img-src 'self' data:";

/// The least time between two full rebuilds caused by new gifts: a burst of webhooks rebuilds
/// the charts and the card once, not once per gift.
pub const FULL_REBUILD_SPACING: Duration = Duration::from_secs(2);

/// The files of `site`, ready to send.
pub fn files_of(site: Site) -> Files {
    let mut files = Files::new();
    for (name, body) in site.files {
        let policy = match name.as_str() {
            "index.html" | "embed.html" | "snippet.html" | "snippet-mail.html" => {
                Some(SNIPPET_PAGE_CSP)
            }
            other if other.ends_with(".html") => Some(jauge_server::CSP),
            _ => None,
        };
        files.insert_with_policy(&name, body, cache_control(&name), policy);
    }
    files
}

/// The last-modified times of the files a site is built from.
fn inputs_stamp(campaign: &Path) -> Vec<(PathBuf, Option<SystemTime>)> {
    let mut paths = vec![campaign.to_path_buf()];
    if let Ok(file) = crate::campaign_file::CampaignFile::load(campaign) {
        paths.extend(file.ledger.files());
        paths.extend(file.budget_path.iter().cloned());
        paths.extend(file.rates_path.iter().cloned());
        paths.extend(file.earlier.iter().cloned());
    }
    paths
        .into_iter()
        .map(|p| {
            let modified = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
            (p, modified)
        })
        .collect()
}

/// A site kept up to date in the background.
pub struct LiveSite {
    current: RwLock<Arc<Files>>,
    changed: Mutex<Sender<()>>,
}

impl LiveSite {
    /// What is served now.
    pub fn files(&self) -> Arc<Files> {
        match self.current.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The answer to a request for one of the site's files.
    pub fn respond(&self, request: &Request) -> Response {
        self.files().respond(request)
    }

    /// Says that the ledger changed (a gift was committed): the status follows at once.
    pub fn changed(&self) {
        if let Ok(sender) = self.changed.lock() {
            let _ = sender.send(());
        }
    }

    fn replace(&self, files: Files) {
        match self.current.write() {
            Ok(mut current) => *current = Arc::new(files),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(files),
        }
    }
}

/// Builds the site now, then keeps it up to date in the background (see the module's
/// documentation). Its figures are as of `at` if given (a frozen instant, for tests and
/// demonstrations), else as of each build's minute.
///
/// # Errors
///
/// The first build failed.
pub fn live_site(
    campaign: PathBuf,
    options: SiteOptions,
    every: Duration,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Arc<LiveSite>, CliError> {
    let instant = move || at.unwrap_or_else(super::site::this_minute);
    let build = move |campaign: &Path, options: &SiteOptions| -> Result<Files, CliError> {
        let mut options = options.clone();
        options.at = instant();
        Ok(files_of(render_site(campaign, &options)?))
    };
    // Stamped before the build: a change made while it runs is seen by the next look.
    let mut stamp = inputs_stamp(&campaign);
    let (changed, signals) = std::sync::mpsc::channel();
    let site = Arc::new(LiveSite {
        current: RwLock::new(Arc::new(build(&campaign, &options)?)),
        changed: Mutex::new(changed),
    });
    let handle = Arc::downgrade(&site);
    std::thread::Builder::new()
        .name("jauge-rebuild".into())
        .spawn(move || {
            let mut built = Instant::now();
            let mut full_pending = false;
            loop {
                let gift = match wait_for_signals(&signals, Duration::from_millis(500)) {
                    Some(gift) => gift,
                    None => return,
                };
                let Some(site) = handle.upgrade() else { return };
                if gift {
                    refresh_status(&site, &campaign, instant());
                    full_pending = true;
                }
                let now_stamp = inputs_stamp(&campaign);
                let inputs_changed = now_stamp != stamp;
                let due = built.elapsed() >= every
                    || (inputs_changed && !gift)
                    || ((full_pending || inputs_changed)
                        && built.elapsed() >= FULL_REBUILD_SPACING);
                if !due {
                    continue;
                }
                stamp = now_stamp;
                built = Instant::now();
                full_pending = false;
                match build(&campaign, &options) {
                    Ok(files) => site.replace(files),
                    Err(e) => eprintln!("jauge serve: kept the last good site: {e}"),
                }
            }
        })
        .map_err(|e| CliError::io(Path::new("jauge-rebuild thread"), e))?;
    Ok(site)
}

/// Waits up to `timeout` for a signal and takes every one already sent: `Some(true)` if there
/// was one, `Some(false)` after the timeout, `None` once nobody can send any more.
fn wait_for_signals(signals: &Receiver<()>, timeout: Duration) -> Option<bool> {
    let signalled = match signals.recv_timeout(timeout) {
        Ok(()) => true,
        Err(RecvTimeoutError::Timeout) => false,
        Err(RecvTimeoutError::Disconnected) => return None,
    };
    while signals.try_recv().is_ok() {}
    Some(signalled)
}

/// Recomputes `status.json` alone and swaps it into the site.
fn refresh_status(site: &LiveSite, campaign: &Path, at: chrono::DateTime<chrono::Utc>) {
    match crate::count::status(campaign, at, |_| {}) {
        Ok(status) => {
            let mut files = (*site.files()).clone();
            files.insert(
                "status.json",
                (status.to_json_pretty() + "\n").into_bytes(),
                cache_control("status.json"),
            );
            site.replace(files);
        }
        Err(e) => eprintln!("jauge serve: kept the last good status: {e}"),
    }
}
