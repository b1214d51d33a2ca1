//! The site `jauge serve` serves: built in memory, and kept up to date as its inputs change.
//!
//! Inputs change three ways: a committed webhook gift ([`LiveSite::changed`], called by the
//! receiver after its commit), a write by another process (an import: the store's files, or a
//! campaign, budget or rates file, whose modification times are looked at twice a second), and
//! the passing of time (every `every`, so the artefacts' countdown stays true).
//!
//! Two threads share the work so that a burst never delays the figure. The status thread
//! recomputes `status.json` alone as soon as a gift is committed (from the store's checkpoint,
//! it costs the week's gifts), swaps it in, and tells open pages through [`Push`]; it is as of
//! the moment it is computed, so a gift committed at T is in it. The artefacts thread rebuilds
//! the rest (snippet, badges, card, charts, which read every gift) at most every
//! [`FULL_REBUILD_SPACING`], and never puts back a status older than the one served. A
//! rebuild that fails keeps the last good site and says why on stderr.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use jauge_server::{Files, Push, Request, Response};

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

/// How often the inputs' modification times are looked at.
const LOOK_EVERY: Duration = Duration::from_millis(500);

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

/// The files a site is built from, read from the campaign file when it is (re)loaded: looking
/// at their modification times costs a `stat` each, not a parse.
fn inputs_of(campaign: &Path) -> Vec<PathBuf> {
    let mut paths = vec![campaign.to_path_buf()];
    if let Ok(file) = crate::campaign_file::CampaignFile::load(campaign) {
        paths.extend(file.ledger.files());
        paths.extend(file.budget_path.iter().cloned());
        paths.extend(file.rates_path.iter().cloned());
        paths.extend(file.earlier.iter().cloned());
    }
    paths
}

/// The last-modified times of `paths`.
fn stamp(paths: &[PathBuf]) -> Vec<Option<SystemTime>> {
    paths
        .iter()
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .collect()
}

/// A site kept up to date in the background.
pub struct LiveSite {
    current: RwLock<Arc<Files>>,
    /// The instant of the `status.json` served: a full build begun earlier never replaces it.
    status_at: Mutex<DateTime<Utc>>,
    gifts: Mutex<Sender<()>>,
    push: Push,
}

impl LiveSite {
    /// What is served now.
    pub fn files(&self) -> Arc<Files> {
        match self.current.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The answer to a request for one of the site's files; `status.json` names the push
    /// stream.
    pub fn respond(&self, request: &Request) -> Response {
        let mut response = self.files().respond(request);
        if request.path == "/status.json" {
            response.headers_mut().insert(
                jauge_server::EVENTS_HEADER,
                jauge_server::http::HeaderValue::from_static("events"),
            );
        }
        response
    }

    /// The channel open pages listen to.
    pub fn push(&self) -> &Push {
        &self.push
    }

    /// Says that the ledger changed (a gift was committed): the status follows at once.
    pub fn changed(&self) {
        if let Ok(sender) = self.gifts.lock() {
            let _ = sender.send(());
        }
    }

    /// Serves `files`, built as of `at`; the status served stays if it is of a later instant.
    fn replace_site(&self, mut files: Files, at: DateTime<Utc>) {
        let mut status_at = self.status_at.lock().unwrap_or_else(|p| p.into_inner());
        if *status_at > at {
            let served = self.files();
            if let Some(body) = served.body("status.json") {
                files.insert("status.json", body.clone(), cache_control("status.json"));
            }
        } else {
            *status_at = at;
        }
        self.swap(files);
    }

    /// Serves `body` as `status.json`, as of `at`, unless a later one is served already.
    fn replace_status(&self, body: Vec<u8>, at: DateTime<Utc>) {
        let mut status_at = self.status_at.lock().unwrap_or_else(|p| p.into_inner());
        if *status_at > at {
            return;
        }
        *status_at = at;
        let mut files = (*self.files()).clone();
        files.insert("status.json", body, cache_control("status.json"));
        self.swap(files);
    }

    fn swap(&self, files: Files) {
        if let Some(tag) = files.etag("status.json") {
            self.push.announce(tag);
        }
        let files = Arc::new(files);
        match self.current.write() {
            Ok(mut current) => *current = files,
            Err(poisoned) => *poisoned.into_inner() = files,
        }
    }
}

/// Builds the site now, then keeps it up to date in the background (see the module's
/// documentation). Its figures are as of `at` if given (a frozen instant, for tests and
/// demonstrations), else as of the moment each is computed.
///
/// # Errors
///
/// The first build failed.
pub fn live_site(
    campaign: PathBuf,
    options: SiteOptions,
    every: Duration,
    at: Option<DateTime<Utc>>,
    push: Push,
) -> Result<Arc<LiveSite>, CliError> {
    let instant = move || at.unwrap_or_else(Utc::now);
    let build = move |campaign: &Path, options: &SiteOptions| {
        let mut options = options.clone();
        options.at = instant();
        render_site(campaign, &options).map(|site| (files_of(site), options.at))
    };
    // Looked at before the build: a change made while it runs is seen by the next look.
    let inputs = inputs_of(&campaign);
    let stamped = stamp(&inputs);
    let (files, built_at) = build(&campaign, &options)?;
    let (gifts, gift_signals) = std::sync::mpsc::channel();
    let site = Arc::new(LiveSite {
        current: RwLock::new(Arc::new(Files::new())),
        status_at: Mutex::new(built_at),
        gifts: Mutex::new(gifts),
        push,
    });
    site.swap(files);
    let (rebuild, rebuild_signals) = std::sync::mpsc::channel();
    {
        let site = Arc::downgrade(&site);
        let campaign = campaign.clone();
        std::thread::Builder::new()
            .name("jauge-status".into())
            .spawn(move || {
                status_thread(
                    &site,
                    &campaign,
                    &gift_signals,
                    &rebuild,
                    inputs,
                    stamped,
                    instant,
                )
            })
            .map_err(|e| CliError::io(Path::new("jauge-status thread"), e))?;
    }
    {
        let site = Arc::downgrade(&site);
        std::thread::Builder::new()
            .name("jauge-artefacts".into())
            .spawn(move || loop {
                // Waits for a reason to rebuild, or for `every` to pass.
                match rebuild_signals.recv_timeout(every) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
                // Spaced: the signals of a burst are taken together.
                std::thread::sleep(FULL_REBUILD_SPACING);
                while rebuild_signals.try_recv().is_ok() {}
                let Some(site) = site.upgrade() else { return };
                match build(&campaign, &options) {
                    Ok((files, at)) => site.replace_site(files, at),
                    Err(e) => eprintln!("jauge serve: kept the last good site: {e}"),
                }
            })
            .map_err(|e| CliError::io(Path::new("jauge-artefacts thread"), e))?;
    }
    Ok(site)
}

/// Recomputes the status as soon as a gift is committed or an input changes, then asks the
/// artefacts thread to follow.
fn status_thread(
    site: &std::sync::Weak<LiveSite>,
    campaign: &Path,
    gifts: &Receiver<()>,
    rebuild: &Sender<()>,
    mut inputs: Vec<PathBuf>,
    mut stamped: Vec<Option<SystemTime>>,
    instant: impl Fn() -> DateTime<Utc>,
) {
    let mut looked = Instant::now();
    loop {
        let gift = match gifts.recv_timeout(LOOK_EVERY.saturating_sub(looked.elapsed())) {
            Ok(()) => {
                while gifts.try_recv().is_ok() {}
                true
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let mut changed = gift;
        if looked.elapsed() >= LOOK_EVERY {
            looked = Instant::now();
            let now = stamp(&inputs);
            if now != stamped {
                // The campaign file may name other inputs now.
                if now.first() != stamped.first() {
                    inputs = inputs_of(campaign);
                }
                stamped = stamp(&inputs);
                changed = true;
            }
        }
        if !changed {
            continue;
        }
        let Some(site) = site.upgrade() else { return };
        let at = instant();
        match crate::count::status(campaign, at, |_| {}) {
            Ok(status) => site.replace_status((status.to_json_pretty() + "\n").into_bytes(), at),
            Err(e) => eprintln!("jauge serve: kept the last good status: {e}"),
        }
        if rebuild.send(()).is_err() {
            return;
        }
    }
}
