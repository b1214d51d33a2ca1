//! The browser's view of a live gauge on another site: a campaign running now, with no store
//! yet, served by the real `jauge serve` on the real clock with Stripe's endpoint, and a page on
//! another origin (`localhost` against `127.0.0.1`) that embeds its gauge by the guide's code.
//! The browser checks open that page, post a signed gift to the endpoint and time how long the
//! open page takes to show it.

use std::path::Path;
use std::process::{Command, Stdio};

use super::{free_loopback_address, start_server, Background};

/// The Stripe endpoint's secret of the check's server (not a real one).
pub const SECRET: &str = "whsec_browser_check_only";

/// What the browser checks are given: the host page's URL, the gauge server's URL (for the
/// webhook), and the servers, stopped when dropped.
pub struct LiveCheck {
    pub page: String,
    pub gauge: String,
    _servers: (Background, std::thread::JoinHandle<std::io::Result<()>>),
}

/// Starts both servers.
///
/// # Errors
///
/// The binary could not be built, or a server did not start.
pub fn start(root: &Path, dist: &Path) -> Result<LiveCheck, String> {
    super::dist::run(Command::new(env!("CARGO")).current_dir(root).args([
        "build",
        "-q",
        "-p",
        "jauge-cli",
        "--bin",
        "jauge",
    ]))?;
    let folder = root.join("dist/live");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let today = chrono::Utc::now().date_naive();
    std::fs::write(
        folder.join("campaign.toml"),
        format!(
            "name = \"Live check\"\ngoal = \"1000 EUR\"\ntime_zone = \"Europe/Paris\"\n\
             start = \"{}\"\ndeadline = \"{}\"\n",
            today - chrono::Days::new(3),
            today + chrono::Days::new(20),
        ),
    )
    .map_err(|e| e.to_string())?;
    let addr = free_loopback_address()?;
    let mut jauge = Command::new(root.join("target/debug/jauge"));
    jauge
        .args(["serve", "--addr", &addr, "--campaign"])
        .arg(folder.join("campaign.toml"))
        .arg("--widget")
        .arg(dist)
        .env("JAUGE_STRIPE_WEBHOOK_SECRET", SECRET)
        .stdin(Stdio::null());
    let server = start_server(jauge, &addr)?;
    let port = addr.rsplit(':').next().unwrap_or_default();
    let gauge = format!("http://127.0.0.1:{port}/");
    // The host: another origin, with no policy of its own against the gauge's host.
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>A blog post</title>\
         <link rel=\"icon\" href=\"data:,\">\
         <script type=\"module\" src=\"{gauge}jauge.js\"></script></head><body><main>\
         <h1>A blog post on another site</h1>\
         <div data-jauge data-src=\"{gauge}status.json\"></div>\
         <div data-jauge data-size=\"compact\" data-src=\"{gauge}status.json\"></div></main></body></html>"
    );
    let mut files = jauge_server::Files::uncompressed();
    files.insert_with_policy("index.html", page, "no-cache", None);
    let files = std::sync::Arc::new(files);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let host_port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let router = jauge_server::axum::Router::new().fallback_service(jauge_server::plain(
        move |request: jauge_server::Request| files.respond(&request),
    ));
    let host = jauge_server::Server::new(listener, jauge_server::Limits::default(), router);
    let host = std::thread::spawn(move || host.run());
    Ok(LiveCheck {
        page: format!("http://localhost:{host_port}/"),
        gauge,
        _servers: (server, host),
    })
}
