//! `cargo xtask demo`: the example campaign as a live gauge at a local address.
//!
//! The example campaign ran in 2023. To show it live, the server moves it in time by whole days,
//! so that today is 26 December 2023 (five days before the deadline) at the same time of day,
//! and every gift keeps its place relative to it. Gifts dated after that instant then arrive as
//! real time passes, and the page's countdown ticks towards a real deadline. `status.json` is
//! computed afresh on every request (an ETag makes unchanged answers a 304).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use jauge::{Campaign, Donation, Moment};
use jauge_cli::campaign_file::CampaignFile;
use jauge_server::http::StatusCode;
use jauge_server::{text, Files, Request, Response};

const DEMO_CSS: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:48rem;padding:0 1rem;background:#f5f5f4;color:#1c1917}\
.columns{display:flex;gap:1rem;flex-wrap:wrap}.columns>*{flex:1 1 18rem}h2{font-size:1rem;margin-top:2rem}\
body.sheet{max-width:none;margin:1rem}.row{display:grid;grid-template-columns:1.4fr 1.4fr 1fr 1fr;gap:0.75rem;align-items:start}";

/// A gauge polling every second, for the checks of its polling (no push stream here: the demo's
/// `status.json` names none).
const POLLING_PAGE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>jauge: polling</title>
<script type="module" src="jauge.js"></script></head><body><main><h1>A gauge polling every second</h1>
<div data-jauge data-src="status.json" data-refresh="1" data-size="bar"></div></main></body></html>"#;

/// A page whose gauge's source fails, for the failure checks.
const BROKEN_PAGE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>jauge: failing source</title>
<script type="module" src="jauge.js"></script></head><body><main><h1>A gauge whose source fails</h1>
<div data-jauge data-src="broken-status.json" data-refresh="0"></div></main></body></html>"#;

/// `original` moved by `shift`, with an extra amount counted outside the ledger if given.
fn rebuild(
    original: &Campaign,
    shift: Duration,
    extra: Option<(jauge::Money, &str)>,
) -> Result<Campaign, String> {
    // Everything the campaign file says but its dates: names and labels in every language, the
    // donation page, the images.
    let mut builder = Campaign::builder(original.names().clone(), original.goal(), original.zone())
        .start(Moment::Instant((original.start() + shift).fixed_offset()))
        .deadline(Moment::Instant(
            (original.deadline() + shift).fixed_offset(),
        ))
        .rules(original.rules())
        .appeals(original.appeals().clone())
        .stages(original.stages().clone());
    for milestone in original.milestones() {
        builder = builder.milestone(milestone.amount(), milestone.labels().clone());
    }
    for baseline in original.baselines() {
        builder = builder.baseline(baseline.amount(), baseline.note());
    }
    for illustration in original.illustrations() {
        builder = builder.illustration(illustration.clone());
    }
    if let Some(donate) = original.donate() {
        builder = builder.donate(donate.url.clone(), donate.label.clone());
    }
    if let Some((amount, note)) = extra {
        builder = builder.baseline(amount, note);
    }
    builder.build().map_err(|e| e.to_string())
}

/// The example campaign moved so that it runs now.
pub struct LiveCampaign {
    campaign: Campaign,
    donations: Vec<Donation>,
    /// How far the campaign was moved in time.
    shift: Duration,
}

impl LiveCampaign {
    /// Loads the campaign and moves it so that `anchor` (a moment of the campaign) is `now`.
    pub fn load(
        campaign_path: &Path,
        anchor: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<LiveCampaign, String> {
        let file = CampaignFile::load(campaign_path).map_err(|e| e.to_string())?;
        // Whole days, so that dates keep their time of day (the deadline stays at midnight).
        let shift = Duration::days((now - anchor).num_days());
        let campaign = rebuild(&file.campaign, shift, None)?;
        let (gifts, _) =
            jauge_cli::count::count(&file.ledger, Vec::new, |_| {}).map_err(|e| e.to_string())?;
        let donations: Vec<Donation> = gifts
            .into_iter()
            .map(|gift| {
                let at = gift.received_at() + shift;
                gift.with_received_at(at)
            })
            .collect();
        Ok(LiveCampaign {
            campaign,
            donations,
            shift,
        })
    }

    /// The first whole hour, from the start, at which the campaign has raised `percent` % of
    /// its goal, if it ever does before the deadline.
    ///
    /// What a campaign has raised never falls as time passes (a refund counts against its gift
    /// whenever it came), so the hour is found by bisection: a dozen statuses, where an hourly
    /// scan computed one for each of the campaign's 1,100 hours and made the stages page time
    /// out on a loaded machine in the dev profile.
    pub fn first_reaching(&self, percent: u64) -> Option<DateTime<Utc>> {
        let start = self.campaign.start() + Duration::hours(1);
        let hours = (self.campaign.deadline() - start).num_hours();
        let reached = |hour: i64| self.percent_at(start + Duration::hours(hour)) >= percent;
        if hours <= 0 || !reached(hours - 1) {
            return None;
        }
        let (mut low, mut high) = (0, hours - 1);
        while low < high {
            let middle = low + (high - low) / 2;
            if reached(middle) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        Some(start + Duration::hours(low))
    }

    /// The share of the goal raised at `at`, in whole percent.
    pub fn percent_at(&self, at: DateTime<Utc>) -> u64 {
        self.campaign
            .status(&self.donations, at)
            .map_or(0, |status| status.percent_display())
    }

    /// A page of every stage of the campaign, at the instants it reached them, in both sizes
    /// that show the illustration and both themes: the contact sheet.
    pub fn stages_page(&self) -> Result<String, String> {
        let start = self.campaign.start();
        let deadline = self.campaign.deadline();
        let mut moments = vec![
            ("not started".to_owned(), start - Duration::days(2)),
            ("started".to_owned(), start + Duration::hours(20)),
        ];
        for percent in [25, 50, 75, 100] {
            if let Some(at) = self.first_reaching(percent) {
                moments.push((format!("{percent} %"), at));
            }
        }
        moments.push(("final hours".to_owned(), deadline - Duration::hours(30)));
        moments.push(("ended".to_owned(), deadline + Duration::days(1)));
        // The example ends short of its goal; what if a €30,000 gift had come in?
        let what_if = LiveCampaign {
            campaign: rebuild(
                &self.campaign,
                Duration::zero(),
                Some((
                    jauge::Money::parse("30000 EUR").map_err(|e| e.to_string())?,
                    "what if: a €30,000 gift",
                )),
            )?,
            donations: self.donations.clone(),
            shift: self.shift,
        };
        let mut documents = Vec::new();
        for (label, at) in moments {
            documents.push((label, at, self.status_json(at)?));
        }
        for (label, at) in [
            (
                "what if +€30,000: final hours",
                deadline - Duration::hours(30),
            ),
            ("what if +€30,000: ended", deadline + Duration::days(1)),
        ] {
            documents.push((label.to_owned(), at, what_if.status_json(at)?));
        }
        let mut rows = String::new();
        for (label, at, json) in documents {
            let json = json.replace("</", "<\\/");
            rows.push_str(&format!(
                "<h2>{label} — {}</h2><div class=\"row\">",
                at.format("%Y-%m-%d %H:%M UTC")
            ));
            for (size, theme, lang) in [
                ("full", "light", "en"),
                ("full", "dark", "fr"),
                ("compact", "light", "de"),
                ("compact", "dark", "es"),
            ] {
                rows.push_str(&format!(
                    "<div data-jauge data-size=\"{size}\" data-theme=\"{theme}\" data-lang=\"{lang}\" data-clock=\"frozen\" data-refresh=\"0\"><script type=\"application/json\">{json}</script></div>"
                ));
            }
            rows.push_str("</div>");
        }
        Ok(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>jauge: every stage</title>\
             <link rel=\"stylesheet\" href=\"demo.css\"><script type=\"module\" src=\"jauge.js\"></script></head>\
             <body class=\"sheet\"><main><h1>Every stage of the example campaign</h1>{rows}</main></body></html>"
        ))
    }

    /// The live instant for `?at=`: a moment of the original campaign, written
    /// `2023-12-30T12:00` (in the campaign's zone) or `2023-12-30T12:00:00Z`.
    pub fn moment(&self, query: &str) -> Option<DateTime<Utc>> {
        let at = query.split('&').find_map(|pair| pair.strip_prefix("at="))?;
        let text = at
            .replace("%3A", ":")
            .replace("%3a", ":")
            .replace("%2B", "+")
            .replace("%2b", "+");
        let instant = match text.parse::<Moment>().ok()? {
            Moment::Date(_) => return None,
            moment => moment.resolve_start(self.campaign.zone()).ok()?,
        };
        Some(instant + self.shift)
    }

    /// The status document at `now`, to the minute: within a minute the document, and so its
    /// ETag, does not change, and pollers get 304s.
    pub fn status_json(&self, now: DateTime<Utc>) -> Result<String, String> {
        use chrono::DurationRound;
        let minute = now.duration_trunc(Duration::minutes(1)).unwrap_or(now);
        let status = self
            .campaign
            .status(&self.donations, minute)
            .map_err(|e| e.to_string())?;
        Ok(status.to_json_pretty() + "\n")
    }
}

/// The answer to one request of the demo page.
fn handle(request: &Request, dist: &Path, live: &LiveCampaign) -> Response {
    let query = request.query.as_deref().unwrap_or("");
    let moment = live.moment(query);
    if moment.is_none() && query.split('&').any(|pair| pair.starts_with("at=")) {
        return text(
            StatusCode::BAD_REQUEST,
            "?at= expects a moment of the campaign: 2023-12-30T12:00 (campaign time) or 2023-12-30T11:00:00Z",
        );
    }
    let path = request.path.as_str();
    let (name, body) = match path {
        "/status.json" => match live.status_json(moment.unwrap_or_else(Utc::now)) {
            Ok(json) => ("status.json", json.into_bytes()),
            Err(e) => return text(StatusCode::INTERNAL_SERVER_ERROR, e),
        },
        // Browsers ask for an icon; an empty answer keeps their console clean.
        "/favicon.ico" => return text(StatusCode::NO_CONTENT, ""),
        "/stages.html" => match live.stages_page() {
            Ok(page) => ("stages.html", page.into_bytes()),
            Err(e) => return text(StatusCode::INTERNAL_SERVER_ERROR, e),
        },
        "/broken.html" => ("broken.html", BROKEN_PAGE.as_bytes().to_vec()),
        "/polling.html" => ("polling.html", POLLING_PAGE.as_bytes().to_vec()),
        "/broken-status.json" => {
            return text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the ledger is being rebuilt",
            )
        }
        "/demo.css" => ("demo.css", DEMO_CSS.as_bytes().to_vec()),
        // The scene's drawing is beside the status document, as `jauge build` puts it.
        "/" | "/index.html" | "/jauge.js" | "/jauge_bg.wasm" | "/jauge.css" | "/scene.svg" => {
            let name = if path == "/" {
                "index.html"
            } else {
                &path[1..]
            };
            match std::fs::read(dist.join(name)) {
                // `/?at=2023-12-30T12:00`: every gauge of the page shows that moment, frozen.
                Ok(bytes) if name == "index.html" && moment.is_some() => {
                    let page = String::from_utf8_lossy(&bytes).replace(
                        "data-src=\"status.json\"",
                        &format!("data-src=\"status.json?{query}\" data-clock=\"frozen\""),
                    );
                    (name, page.into_bytes())
                }
                Ok(bytes) => (name, bytes),
                Err(_) => return text(StatusCode::NOT_FOUND, "not built: run cargo xtask dist"),
            }
        }
        _ => return text(StatusCode::NOT_FOUND, "not found"),
    };
    // One file, served as every file is: ETag, 304, HEAD, the guide's policy on HTML.
    let mut files = Files::uncompressed();
    files.insert(name, body, "no-cache");
    let mut request_for_it = Request {
        method: request.method.clone(),
        path: format!("/{name}"),
        query: None,
        headers: request.headers.clone(),
        body: Default::default(),
        peer: request.peer,
    };
    request_for_it.headers.remove("content-length");
    files.respond(&request_for_it)
}

/// Serves `dist` and the live status on `addr` until stopped.
pub fn serve(addr: &str, dist: PathBuf, live: LiveCampaign) -> Result<(), String> {
    let listener = TcpListener::bind(addr).map_err(|e| format!("{addr}: {e}"))?;
    eprintln!("the example campaign, live: http://{addr}/  (Ctrl-C to stop)");
    serve_on(listener, dist, live).map_err(|e| format!("{addr}: {e}"))
}

/// Serves on an already bound listener until the process ends (or SIGINT/SIGTERM).
///
/// # Errors
///
/// The server's runtime could not start.
pub fn serve_on(listener: TcpListener, dist: PathBuf, live: LiveCampaign) -> std::io::Result<()> {
    let live = Arc::new(live);
    let router = jauge_server::axum::Router::new()
        .fallback_service(jauge_server::plain(move |request: Request| {
            handle(&request, &dist, &live)
        }))
        .layer(jauge_server::cors(&jauge_server::Origins::Any));
    jauge_server::Server::new(listener, jauge_server::Limits::default(), router).run()
}

/// The moment of the example campaign the demo starts at.
pub fn anchor() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2023-12-26T08:00:00+01:00")
        .map(|t| t.to_utc())
        .unwrap_or_default()
}
