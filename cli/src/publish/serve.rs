//! `jauge serve`: the built site over HTTP, for small associations without a pipeline and for
//! trying things out. The site lives in memory and is rebuilt when the campaign, a ledger or the
//! budget changes (and every minute, so the static artefacts' countdown stays true); a rebuild
//! that fails keeps the last good site and says why on stderr.
//!
//! HTTP/1.1 with keep-alive, `GET` and `HEAD`, an ETag per file and `304 Not Modified` for
//! `If-None-Match`: a page polling `status.json` costs a few hundred bytes while nothing
//! changes. One thread per connection: enough for hundreds of pollers on loopback or behind a
//! proxy; a large campaign serves the folder from a CDN instead (`jauge build`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use super::site::{cache_control, render_site, Site, SiteOptions};
use crate::error::CliError;

/// A file ready to send.
struct Entry {
    body: Vec<u8>,
    etag: String,
    content_type: &'static str,
    cache_control: &'static str,
}

/// The files being served.
#[derive(Default)]
pub struct Served {
    files: BTreeMap<String, Entry>,
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

impl Served {
    /// The files of `site`, each with its ETag.
    pub fn of(site: Site) -> Served {
        let files = site
            .files
            .into_iter()
            .map(|(name, body)| {
                let hash = xxhash_rust::xxh3::xxh3_128(&body);
                let entry = Entry {
                    etag: format!("\"{hash:032x}\""),
                    content_type: content_type(&name),
                    cache_control: cache_control(&name),
                    body,
                };
                (name, entry)
            })
            .collect();
        Served { files }
    }
}

/// What the server shares between connections and the rebuilder.
pub type Shared = Arc<RwLock<Arc<Served>>>;

/// The last-modified times of the files a site is built from.
fn inputs_stamp(campaign: &Path) -> Vec<(PathBuf, Option<SystemTime>)> {
    let mut paths = vec![campaign.to_path_buf()];
    if let Ok(file) = crate::campaign_file::CampaignFile::load(campaign) {
        paths.extend(file.ledger.files());
        paths.extend(file.budget_path.iter().cloned());
    }
    paths
        .into_iter()
        .map(|p| {
            let modified = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
            (p, modified)
        })
        .collect()
}

/// Builds the site now, then rebuilds it in the background whenever an input changes or
/// `every` passes. Its figures are as of `at` if given (a frozen instant, for tests and
/// demonstrations), else as of each build. Returns what to serve.
///
/// # Errors
///
/// The first build failed.
pub fn live_site(
    campaign: PathBuf,
    options: SiteOptions,
    every: Duration,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Shared, CliError> {
    let build = move |campaign: &Path, options: &SiteOptions| -> Result<Served, CliError> {
        let mut options = options.clone();
        options.at = at.unwrap_or_else(super::site::this_minute);
        Ok(Served::of(render_site(campaign, &options)?))
    };
    // Stamped before the build: a change made while it runs is seen by the next look.
    let mut stamp = inputs_stamp(&campaign);
    let shared: Shared = Arc::new(RwLock::new(Arc::new(build(&campaign, &options)?)));
    let handle = shared.clone();
    std::thread::spawn(move || {
        let mut built = std::time::Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let now_stamp = inputs_stamp(&campaign);
            if now_stamp == stamp && built.elapsed() < every {
                continue;
            }
            stamp = now_stamp;
            built = std::time::Instant::now();
            // Stamped before the build, as above.
            match build(&campaign, &options) {
                Ok(served) => {
                    if let Ok(mut current) = handle.write() {
                        *current = Arc::new(served);
                    }
                }
                Err(e) => eprintln!("jauge serve: kept the last good site: {e}"),
            }
        }
    });
    Ok(shared)
}

/// A request line and the headers that matter here.
struct Request {
    method: String,
    path: String,
    if_none_match: Option<String>,
    close: bool,
}

/// The longest request head read: a request line and headers beyond this are not a widget's.
const HEAD_LIMIT: u64 = 16 * 1024;

/// One line of the request head, within what is left of `budget`; `None` at the end of the
/// stream, on an error, or past the limit.
fn head_line(reader: &mut BufReader<TcpStream>, budget: &mut u64) -> Option<String> {
    let mut line = String::new();
    let read = reader.by_ref().take(*budget).read_line(&mut line).ok()?;
    *budget = budget.checked_sub(read as u64)?;
    (read > 0 && line.ends_with('\n')).then_some(line)
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut budget = HEAD_LIMIT;
    let line = head_line(reader, &mut budget)?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let version = parts.next().unwrap_or("HTTP/1.0").to_owned();
    let mut request = Request {
        method,
        path: target.split(['?', '#']).next().unwrap_or("/").to_owned(),
        if_none_match: None,
        close: version == "HTTP/1.0",
    };
    loop {
        let header = head_line(reader, &mut budget)?;
        let header = header.trim_end();
        if header.is_empty() {
            return Some(request);
        }
        let (name, value) = header.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("if-none-match") {
            request.if_none_match = Some(value.to_owned());
        } else if name.eq_ignore_ascii_case("connection") {
            request.close = value.eq_ignore_ascii_case("close");
        }
    }
}

fn respond(stream: &mut TcpStream, request: &Request, served: &Served) -> std::io::Result<()> {
    let name = match request.path.trim_start_matches('/') {
        "" => "index.html",
        other => other,
    };
    let date = httpdate(SystemTime::now());
    let connection = if request.close { "close" } else { "keep-alive" };
    if request.method != "GET" && request.method != "HEAD" {
        let head = format!("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nDate: {date}\r\nContent-Length: 0\r\nConnection: {connection}\r\n\r\n");
        return stream.write_all(head.as_bytes());
    }
    let Some(entry) = served.files.get(name) else {
        let body = b"not found\n";
        let head = format!("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nDate: {date}\r\nContent-Length: {}\r\nConnection: {connection}\r\n\r\n", body.len());
        stream.write_all(head.as_bytes())?;
        return stream.write_all(body);
    };
    let matches = request.if_none_match.as_deref().is_some_and(|tags| {
        tags.split(',')
            .any(|t| t.trim() == entry.etag || t.trim() == "*")
    });
    let common = format!(
        "ETag: {}\r\nCache-Control: {}\r\nDate: {date}\r\nX-Content-Type-Options: nosniff\r\nConnection: {connection}\r\n",
        entry.etag, entry.cache_control
    );
    if matches {
        let head = format!("HTTP/1.1 304 Not Modified\r\n{common}\r\n");
        return stream.write_all(head.as_bytes());
    }
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n{common}\r\n",
        entry.content_type,
        entry.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if request.method == "GET" {
        stream.write_all(&entry.body)?;
    }
    Ok(())
}

fn connection(stream: TcpStream, shared: Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let served = match shared.read() {
            Ok(current) => current.clone(),
            Err(_) => return,
        };
        if respond(&mut writer, &request, &served).is_err() || request.close {
            return;
        }
    }
}

/// Serves `shared` on `listener` until the process ends.
pub fn serve_on(listener: TcpListener, shared: Shared) {
    for stream in listener.incoming().flatten() {
        let shared = shared.clone();
        std::thread::spawn(move || connection(stream, shared));
    }
}

/// An HTTP date (RFC 9110 IMF-fixdate).
fn httpdate(time: SystemTime) -> String {
    let instant: chrono::DateTime<chrono::Utc> = time.into();
    instant.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
