//! The site `jauge serve` serves: built in memory, and kept up to date as its inputs change.
//!
//! The campaign file (with its budget, rates and earlier campaigns) is loaded once and shared by
//! every build and status; it is loaded again when the system says one of its files changed,
//! and an edit that does not load keeps the last good campaign, with a line on stderr saying
//! why. Gifts arrive two ways: committed by the webhook receiver ([`LiveSite::changed`]), or
//! written by another process (an import), which changes the store's files. Time passes too:
//! every `every`, the artefacts are rebuilt so that their countdown stays true.
//!
//! Two threads share the work so that a burst never delays the figure. The status thread
//! recomputes `status.json` alone as soon as a gift is committed (from the store's checkpoint,
//! it costs the week's gifts), swaps it in, and tells open pages through [`Push`]; it is as of
//! the moment it is computed, so a gift committed at T is in it. The artefacts thread rebuilds
//! the rest (snippet, badges, card, charts, which read every gift) at most every
//! [`FULL_REBUILD_SPACING`], and never puts back a status older than the one served. A
//! rebuild that fails keeps the last good site and says why on stderr.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use jauge_server::{Files, Push, Request, Response};

use super::site::{cache_control, render_site_of, Site, SiteOptions};
use crate::campaign_file::CampaignFile;
use crate::error::CliError;

/// The policy of the pages that show the static snippet: the guide's strict one, plus style
/// attributes (the snippet carries its styles inline so that it survives e-mail and CMSs; an
/// attribute cannot run script).
pub const SNIPPET_PAGE_CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src-attr 'unsafe-inline'; img-src 'self' data:";

/// The least time between two full rebuilds caused by new gifts: a burst of webhooks rebuilds
/// the charts and the card once, not once per gift.
pub const FULL_REBUILD_SPACING: Duration = Duration::from_secs(2);

/// The most time between two statuses recomputed for new gifts in a burst (see
/// `status_thread`).
pub const STATUS_SPACING: Duration = Duration::from_millis(200);

/// How often the inputs' modification times are looked at when the system cannot say when a
/// file changes (no inotify watch could be set).
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// The files of `site`, ready to send.
pub fn files_of(site: Site) -> Files {
    let mut files = Files::new();
    for (name, body) in site.files {
        // Every page of the site shows the static snippet (the public pages, the webmaster's,
        // the frame, the snippets themselves), whose styles are attributes.
        let policy = name.ends_with(".html").then_some(SNIPPET_PAGE_CSP);
        files.insert_with_policy(&name, body, cache_control(&name), policy);
    }
    files
}

/// The files of a loaded campaign: its own settings (campaign, budget, rates, earlier
/// campaigns), and its ledger's.
struct Inputs {
    settings: Vec<PathBuf>,
    ledger: Vec<PathBuf>,
    /// The store, when the ledger is one.
    store: Option<PathBuf>,
}

impl Inputs {
    fn of(path: &Path, file: &CampaignFile) -> Inputs {
        let mut settings = vec![path.to_path_buf()];
        settings.extend(file.budget_path.iter().cloned());
        settings.extend(file.rates_path.iter().cloned());
        settings.extend(file.earlier.iter().cloned());
        Inputs {
            settings: settings.iter().map(|p| absolute(p)).collect(),
            ledger: file.ledger.files().iter().map(|p| absolute(p)).collect(),
            store: match &file.ledger {
                crate::campaign_file::Ledger::Store(path) => Some(path.clone()),
                crate::campaign_file::Ledger::Csv(_) => None,
            },
        }
    }

    fn all(&self) -> impl Iterator<Item = &PathBuf> {
        self.settings.iter().chain(&self.ledger)
    }

    /// The folders to watch: editors replace a file by renaming a new one over it, which only
    /// a watch of its folder sees.
    fn folders(&self) -> Vec<PathBuf> {
        let mut folders: Vec<PathBuf> = self
            .all()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        folders.sort();
        folders.dedup();
        folders
    }
}

/// `path` with its folder made absolute and canonical (the file itself may not exist yet), as
/// the watcher names the files it reports.
fn absolute(path: &Path) -> PathBuf {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
    match path.file_name() {
        Some(name) => folder.join(name),
        None => folder,
    }
}

/// The last-modified times of `paths`.
fn stamp<'p>(paths: impl Iterator<Item = &'p PathBuf>) -> Vec<Option<SystemTime>> {
    paths
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .collect()
}

/// Why the status thread wakes.
enum Signal {
    /// The receiver committed a gift.
    Gift,
    /// The system says some inputs changed: which ones are in [`Pending`].
    Files,
}

/// The inputs the system said changed since the status thread last looked. Every commit writes
/// the store's log many times, each a system event: they are gathered here, one signal for all
/// of those before the status thread looks (at a thousand gifts a second, one signal per event
/// queued 150,000 of them, 13 MiB, in 20 seconds).
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<BTreeSet<PathBuf>>>);

impl Pending {
    /// Notes `paths`; whether the status thread needs a signal (it had none pending).
    fn note(&self, paths: impl Iterator<Item = PathBuf>) -> bool {
        let mut pending = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let signal = pending.is_empty();
        pending.extend(paths);
        signal && !pending.is_empty()
    }

    fn take(&self) -> BTreeSet<PathBuf> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A site kept up to date in the background.
pub struct LiveSite {
    current: RwLock<Arc<Files>>,
    /// The instant of the `status.json` served: a full build begun earlier never replaces it.
    status_at: Mutex<DateTime<Utc>>,
    /// The campaign file as last loaded without error.
    campaign: RwLock<Arc<CampaignFile>>,
    signals: Mutex<Sender<Signal>>,
    push: Push,
    /// The versioned cards served, with when each was last named by a build (earlier ones stay
    /// for `EARLIER_CARDS_KEPT`).
    cards: Mutex<Vec<(String, std::time::Instant)>>,
    /// The bucket each version served is also published to, if any.
    mirror: Option<super::bucket::Mirror>,
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
        if request.path == "/oembed" {
            return self.oembed(request);
        }
        let mut response = self.files().respond(request);
        if request.path == "/status.json" {
            response.headers_mut().insert(
                jauge_server::EVENTS_HEADER,
                jauge_server::http::HeaderValue::from_static("events"),
            );
        }
        response
    }

    /// oEmbed's endpoint: `/oembed?url=…&maxwidth=…&maxheight=…&format=json`, for the site's
    /// own page only, from the site's `oembed.json` sized as asked. Without an absolute base URL
    /// the site has no answer (a consumer needs whole addresses): 404, as for another page.
    fn oembed(&self, request: &Request) -> Response {
        use jauge_server::http::StatusCode;
        let files = self.files();
        let answer = files
            .body(super::oembed::JSON)
            .and_then(|body| serde_json::from_slice::<serde_json::Value>(body).ok());
        let Some(answer) = answer else {
            return jauge_server::text(
                StatusCode::NOT_FOUND,
                "no oEmbed answer: the site needs an absolute --base-url\n",
            );
        };
        let query = request.query.as_deref().unwrap_or_default();
        let mut asked = None;
        let (mut max_width, mut max_height) = (None, None);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match &*key {
                "url" => asked = Some(value.into_owned()),
                "maxwidth" => max_width = value.parse::<u64>().ok(),
                "maxheight" => max_height = value.parse::<u64>().ok(),
                // oEmbed's answer to a format it does not speak.
                "format" if value != "json" => {
                    return jauge_server::text(StatusCode::NOT_IMPLEMENTED, "format: json only\n")
                }
                _ => {}
            }
        }
        let page = answer["provider_url"].as_str().unwrap_or_default();
        // The site's page, under any of its names: the root, or one of its HTML files (a
        // language's page, the webmaster's, the frame).
        let ours = asked.as_deref().is_some_and(|asked| {
            let page = page.trim_end_matches('/');
            match asked.strip_prefix(page) {
                Some("" | "/") => true,
                Some(rest) => rest
                    .strip_prefix('/')
                    .is_some_and(|name| name.ends_with(".html") && files.body(name).is_some()),
                None => false,
            }
        });
        if !ours {
            return jauge_server::text(StatusCode::NOT_FOUND, "url: not a page of this site\n");
        }
        let body = super::oembed::sized(&answer, max_width, max_height).to_string();
        let mut response = jauge_server::text(StatusCode::OK, body);
        let headers = response.headers_mut();
        headers.insert(
            jauge_server::http::header::CONTENT_TYPE,
            jauge_server::http::HeaderValue::from_static("application/json"),
        );
        headers.insert(
            jauge_server::http::header::CACHE_CONTROL,
            jauge_server::http::HeaderValue::from_static("public, max-age=60"),
        );
        response
    }

    /// The channel open pages listen to.
    pub fn push(&self) -> &Push {
        &self.push
    }

    /// Says that the ledger changed (a gift was committed): the status follows at once.
    pub fn changed(&self) {
        if let Ok(sender) = self.signals.lock() {
            let _ = sender.send(Signal::Gift);
        }
    }

    /// The campaign file as last loaded without error.
    fn campaign(&self) -> Arc<CampaignFile> {
        match self.campaign.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
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
        self.keep_earlier_cards(&mut files);
        self.swap(files);
    }

    /// Serves again the earlier versioned cards a page cached a moment ago may still name, for
    /// `EARLIER_CARDS_KEPT` after a build last named each.
    fn keep_earlier_cards(&self, files: &mut Files) {
        let served = self.files();
        let now = std::time::Instant::now();
        let mut cards = self.cards.lock().unwrap_or_else(|p| p.into_inner());
        for name in files.names().filter(|n| super::site::is_versioned_card(n)) {
            match cards.iter_mut().find(|(known, _)| known == name) {
                Some((_, named)) => *named = now,
                None => cards.push((name.to_owned(), now)),
            }
        }
        cards.retain(|(_, named)| now.duration_since(*named) < super::site::EARLIER_CARDS_KEPT);
        for (name, _) in cards.iter() {
            if files.body(name).is_none() {
                if let Some(body) = served.body(name) {
                    files.insert(name, body.clone(), cache_control(name));
                }
            }
        }
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
        if let Some(mirror) = &self.mirror {
            mirror.offer(files.clone());
        }
        match self.current.write() {
            Ok(mut current) => *current = files,
            Err(poisoned) => *poisoned.into_inner() = files,
        }
    }
}

/// Builds the site now, then keeps it up to date in the background (see the module's
/// documentation). Its figures are as of `at` if given (a frozen instant, for tests and
/// demonstrations), else as of the moment each is computed. Each version served is also handed
/// to `mirror`, if given, to be published to its bucket.
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
    mirror: Option<super::bucket::Mirror>,
) -> Result<Arc<LiveSite>, CliError> {
    let instant = move || at.unwrap_or_else(Utc::now);
    let build = move |file: &CampaignFile, options: &SiteOptions| {
        let mut options = options.clone();
        options.at = instant();
        render_site_of(file, &options).map(|site| (files_of(site), options.at))
    };
    let file = Arc::new(CampaignFile::load(&campaign)?);
    let inputs = Inputs::of(&campaign, &file);
    let (files, built_at) = build(&file, &options)?;
    let (signals, signalled) = std::sync::mpsc::channel();
    let pending = Pending::default();
    let watcher = watch(&inputs, signals.clone(), &pending);
    let site = Arc::new(LiveSite {
        current: RwLock::new(Arc::new(Files::new())),
        status_at: Mutex::new(built_at),
        campaign: RwLock::new(file),
        signals: Mutex::new(signals),
        push,
        cards: Mutex::new(Vec::new()),
        mirror,
    });
    let mut files = files;
    site.keep_earlier_cards(&mut files);
    site.swap(files);
    let (rebuild, rebuild_signals) = std::sync::mpsc::channel();
    {
        let site = Arc::downgrade(&site);
        std::thread::Builder::new()
            .name("jauge-status".into())
            .spawn(move || {
                let mut watching = Watching {
                    campaign,
                    inputs,
                    watcher,
                    pending,
                    stamped: Vec::new(),
                    looked: Instant::now(),
                    counted: None,
                };
                watching.stamped = stamp(watching.inputs.all());
                status_thread(&site, &mut watching, &signalled, &rebuild, instant)
            })
            .map_err(|e| CliError::io(Path::new("jauge-status thread"), e))?;
    }
    {
        let site = Arc::downgrade(&site);
        std::thread::Builder::new()
            .name("jauge-artefacts".into())
            .spawn(move || {
                let mut took = Duration::ZERO;
                loop {
                    // Waits for a reason to rebuild, or for `every` to pass.
                    match rebuild_signals.recv_timeout(every) {
                        Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                    // Spaced, so that the signals of a burst are taken together and the
                    // artefacts take at most a fifth of a core while gifts pour in.
                    std::thread::sleep(FULL_REBUILD_SPACING.max(took * 4));
                    while rebuild_signals.try_recv().is_ok() {}
                    let Some(site) = site.upgrade() else { return };
                    let started = Instant::now();
                    match build(&site.campaign(), &options) {
                        Ok((files, at)) => site.replace_site(files, at),
                        Err(e) => eprintln!("jauge serve: kept the last good site: {e}"),
                    }
                    took = started.elapsed();
                }
            })
            .map_err(|e| CliError::io(Path::new("jauge-artefacts thread"), e))?;
    }
    Ok(site)
}

/// Watches the folders of `inputs`, sending what changed; `None` (and a line on stderr) when the
/// system cannot, in which case the status thread looks at modification times instead.
fn watch(
    inputs: &Inputs,
    signals: Sender<Signal>,
    pending: &Pending,
) -> Option<notify::RecommendedWatcher> {
    use notify::event::{EventKind, ModifyKind};
    use notify::Watcher;
    let (settings, ledger, pending) = (
        inputs.settings.clone(),
        inputs.ledger.clone(),
        pending.clone(),
    );
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        // What a read does to a file is no change: opening it, and (SQLite, run as root) giving
        // the store's WAL its owner again at every connection.
        if event.kind.is_access()
            || matches!(event.kind, EventKind::Modify(ModifyKind::Metadata(_)))
        {
            return;
        }
        // A store's WAL removed is no change either: SQLite deletes it when the last connection
        // closes, after every count (what it held is in the store's file by then). Watched, it
        // started the next count, for ever.
        let removed = event.kind.is_remove();
        // The folders hold other files (the store's shared memory, a rejects file, an
        // editor's swap file): only the inputs wake the status thread.
        let ours = event
            .paths
            .into_iter()
            .filter(|p| settings.contains(p) || (!removed && ledger.contains(p)));
        if pending.note(ours) {
            let _ = signals.send(Signal::Files);
        }
    })
    .map_err(|e| eprintln!("jauge serve: cannot watch files ({e}); looking at them twice a second"))
    .ok()?;
    for folder in inputs.folders() {
        if let Err(e) = watcher.watch(&folder, notify::RecursiveMode::NonRecursive) {
            eprintln!(
                "jauge serve: cannot watch {} ({e}); looking at its files twice a second",
                folder.display()
            );
            return None;
        }
    }
    Some(watcher)
}

/// What the status thread knows of the files it follows.
struct Watching {
    campaign: PathBuf,
    inputs: Inputs,
    /// `None` when the system cannot watch: then `stamped` and `looked` are used.
    watcher: Option<notify::RecommendedWatcher>,
    /// What the watcher reported.
    pending: Pending,
    stamped: Vec<Option<SystemTime>>,
    looked: Instant,
    /// The store's change count when the status served was computed.
    counted: Option<u64>,
}

impl Watching {
    /// Which of the inputs changed, from the watcher's report or from modification times:
    /// (settings, ledger).
    fn changes(&mut self, reported: &[PathBuf]) -> (bool, bool) {
        if self.watcher.is_some() {
            let hit = |paths: &[PathBuf]| reported.iter().any(|r| paths.contains(r));
            return (hit(&self.inputs.settings), hit(&self.inputs.ledger));
        }
        if self.looked.elapsed() < LOOK_EVERY {
            return (false, false);
        }
        self.looked = Instant::now();
        let now = stamp(self.inputs.all());
        let split = self.inputs.settings.len();
        let changed =
            |range: std::ops::Range<usize>| now.get(range.clone()) != self.stamped.get(range);
        let found = (changed(0..split), changed(split..now.len()));
        self.stamped = now;
        found
    }

    /// Whether the store's gifts changed since the status served was computed, when the system
    /// says its files changed: its change count, which only a commit of gifts moves, decides.
    /// The files change without one too (a count's own checkpoint, SQLite copying the WAL into
    /// the store when a last connection closes): each such change cost a whole count.
    fn store_changed(&mut self) -> bool {
        match self.store_count() {
            Some(now) => self.counted != Some(now),
            // Not readable now (being made, locked): counted again, as before.
            None => true,
        }
    }

    /// The store's change count, if the ledger is a store and it can be read.
    fn store_count(&self) -> Option<u64> {
        let path = self.inputs.store.as_ref()?;
        jauge_store::Store::open(path)
            .and_then(|s| s.changes())
            .ok()
    }

    /// Loads the campaign again after an edit: the new one, or `None` (said on stderr) when it
    /// does not load.
    fn reload(&mut self, signals: &Sender<Signal>) -> Option<CampaignFile> {
        match CampaignFile::load(&self.campaign) {
            Ok(file) => {
                eprintln!("jauge serve: {} loaded again", self.campaign.display());
                self.inputs = Inputs::of(&self.campaign, &file);
                // The store may be another one now.
                self.counted = None;
                if self.watcher.is_some() {
                    self.watcher = watch(&self.inputs, signals.clone(), &self.pending);
                }
                self.stamped = stamp(self.inputs.all());
                Some(file)
            }
            Err(e) => {
                eprintln!("jauge serve: kept the last good campaign: {e}");
                None
            }
        }
    }
}

/// Recomputes the status as soon as a gift is committed or an input changes, then asks the
/// artefacts thread to follow.
fn status_thread(
    site: &std::sync::Weak<LiveSite>,
    watching: &mut Watching,
    signals: &Receiver<Signal>,
    rebuild: &Sender<()>,
    instant: impl Fn() -> DateTime<Utc>,
) {
    let mut computed = Instant::now() - STATUS_SPACING;
    let mut took = Duration::ZERO;
    // The first status is computed at once: from a store, it saves the checkpoint that the
    // statuses of the coming gifts resume (the site's first build counted every gift without
    // one). After a stop of more than an hour, or on a store that never had one, that first
    // count reads every gift; the first gift would otherwise wait for it.
    let mut first = true;
    loop {
        let wait = if watching.watcher.is_some() {
            Duration::from_secs(3600)
        } else {
            LOOK_EVERY.saturating_sub(watching.looked.elapsed())
        };
        let mut gift = false;
        let mut reported = Vec::new();
        let mut take = |signal: Signal| match signal {
            Signal::Gift => gift = true,
            Signal::Files => reported.extend(watching.pending.take()),
        };
        match signals.recv_timeout(if first { Duration::ZERO } else { wait }) {
            Ok(signal) => take(signal),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // In a burst, one status per spacing takes every gift that came meanwhile: a lone gift
        // is counted at once, a thousand a second do not keep a core recounting. The spacing
        // is twice what the last count took (so counting takes at most half a core), within
        // STATUS_SPACING.
        let spacing = (took * 2).clamp(Duration::from_millis(10), STATUS_SPACING);
        if let Some(wait) = spacing.checked_sub(computed.elapsed()) {
            std::thread::sleep(wait);
        }
        while let Ok(signal) = signals.try_recv() {
            take(signal);
        }
        let (settings, ledger) = watching.changes(&reported);
        let Some(site) = site.upgrade() else { return };
        if settings {
            let sender = site.signals.lock().ok().map(|s| s.clone());
            if let Some(file) = sender.and_then(|sender| watching.reload(&sender)) {
                *site.campaign.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(file);
            }
        }
        let ledger = ledger && watching.store_changed();
        if !(std::mem::take(&mut first) || gift || settings || ledger) {
            continue;
        }
        // Read before the count: a commit during it is counted again.
        watching.counted = watching.store_count();
        computed = Instant::now();
        let at = instant();
        match crate::count::status_of(&site.campaign(), at, |_| {}) {
            Ok(status) => site.replace_status((status.to_json_pretty() + "\n").into_bytes(), at),
            Err(e) => eprintln!("jauge serve: kept the last good status: {e}"),
        }
        took = computed.elapsed();
        if rebuild.send(()).is_err() {
            return;
        }
    }
}
