//! `jauge build`: everything a campaign publishes, as one static folder that any web server or
//! CDN can serve: the status document, the live widget (under content-hashed names), the static
//! snippet, badges, the social card, the charts, and a page that shows how to embed each.
//!
//! Everything is computed in memory first, so bad input fails before a file is written. The
//! folder is then replaced whole (a new folder renamed into place), and files whose bytes did
//! not change are carried over as hard links, keeping their dates: re-running with nothing new
//! touches nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use jauge::Locale;
use jauge_widget::snippet::{snippet, SnippetOptions};
use jauge_widget::{gauge_view, Size, Theme};
use sha2::{Digest, Sha256};

use super::badge::{badge, BadgeShape};
use super::chart::{chart, chart_png, ChartKind};
use super::embed::{embed_page, EMBED_CSS};
use crate::error::CliError;

/// What to build.
#[derive(Clone, Debug)]
pub struct SiteOptions {
    /// The instant the figures are as of.
    pub at: DateTime<Utc>,
    /// The language of every text.
    pub locale: Locale,
    /// The folder holding the widget bundle (`cargo xtask dist` writes `dist/`); `None` for
    /// [`WidgetSource::unnamed`].
    pub widget: Option<PathBuf>,
    /// The public URL of the folder (`https://example.org/campaign/`), for the snippet and the
    /// embedding instructions; without it they use relative URLs.
    pub base_url: Option<String>,
    /// Whether `at` was chosen (`--at`) rather than the current minute: the embed page's live
    /// previews then show that instant too, frozen, instead of counting down from the
    /// visitor's clock beside artefacts that do not.
    pub frozen: bool,
}

/// A built site: file names and their bytes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Site {
    /// Every file, by name.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// The widget bundle's files, as `cargo xtask dist` writes them.
const BUNDLE: [&str; 3] = ["jauge.js", "jauge_bg.wasm", "jauge.css"];

include!(concat!(env!("OUT_DIR"), "/embedded_widget.rs"));

/// Where a site's widget bundle comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WidgetSource {
    /// A folder holding `jauge.js`, `jauge_bg.wasm` and `jauge.css`.
    Folder(PathBuf),
    /// The bundle built into this binary (`cargo xtask install`).
    Embedded,
}

impl WidgetSource {
    /// The bundle when none is named: the folder `JAUGE_WIDGET_DIR` names, else the one built
    /// into this binary, else this workspace's `dist/` (a binary run from its checkout).
    pub fn unnamed() -> WidgetSource {
        match std::env::var_os("JAUGE_WIDGET_DIR") {
            Some(dir) => WidgetSource::Folder(dir.into()),
            None if EMBEDDED_WIDGET.is_some() => WidgetSource::Embedded,
            None => WidgetSource::Folder(Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist")),
        }
    }

    /// `--widget DIR` when given, else [`WidgetSource::unnamed`].
    pub fn named(dir: Option<&Path>) -> WidgetSource {
        dir.map_or_else(WidgetSource::unnamed, |dir| {
            WidgetSource::Folder(dir.to_owned())
        })
    }
}

fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..5].iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `name` is the social card under a versioned name (`card-<hash>.png`).
pub fn is_versioned_card(name: &str) -> bool {
    name.starts_with("card-") && name.ends_with(".png")
}

/// How long an earlier versioned card stays published after a build names another: a page
/// cached before (60 s on a CDN) or a crawler that read it (Mastodon's instances come within
/// seconds) and comes back for its image must still find the card the page names. The card
/// states the minute of its figures, so `jauge serve` makes a new one every minute: ten
/// minutes is ten cards, about 2 MB of its memory.
pub const EARLIER_CARDS_KEPT: std::time::Duration = std::time::Duration::from_secs(600);

/// How `status.json` may be cached.
pub const STATUS_CACHE_CONTROL: &str = "public, max-age=0, s-maxage=5, stale-while-revalidate=30";

/// How long a file may be cached: hashed names never change, the status document always may.
pub fn cache_control(name: &str) -> &'static str {
    if name == "status.json" {
        // Browsers revalidate every time; a CDN may answer from its copy for 5 s and serve it
        // stale for 30 s more while it fetches the next one, so a million readers cost the
        // origin one request every 5 s (the figures are at most 5 s behind on a CDN).
        STATUS_CACHE_CONTROL
    } else if name.starts_with("jauge-")
        || name.starts_with("jauge_bg-")
        || name.starts_with("card-")
    {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=60"
    }
}

/// The widget bundle under content-hashed names, and a small stable `jauge.js` that loads it: pages
/// keep one URL while every release is cached for good.
fn bundle(source: &WidgetSource) -> Result<Vec<(String, Vec<u8>)>, CliError> {
    let mut read = BTreeMap::new();
    // Errors name a file: the folder's, or the binary's own for the embedded bundle.
    let dir = match source {
        WidgetSource::Folder(dir) => dir.clone(),
        WidgetSource::Embedded => PathBuf::from("(built into jauge)"),
    };
    for name in BUNDLE {
        let path = dir.join(name);
        let bytes = match (source, EMBEDDED_WIDGET) {
            (WidgetSource::Embedded, Some(files)) => files
                .iter()
                .find(|(file, _)| *file == name)
                .map(|(_, bytes)| bytes.to_vec())
                .ok_or_else(|| CliError::Widget {
                    path: path.clone(),
                    problem: "missing from the bundle built into this binary".into(),
                })?,
            _ => std::fs::read(&path).map_err(|e| CliError::Widget {
                problem: format!(
                    "{e}: the widget bundle is built by `cargo xtask dist` (or name its folder with --widget DIR; `cargo xtask install` builds it into jauge)"
                ),
                path: path.clone(),
            })?,
        };
        read.insert(name, bytes);
    }
    let wasm_name = format!("jauge_bg-{}.wasm", short_hash(&read["jauge_bg.wasm"]));
    let css_name = format!("jauge-{}.css", short_hash(&read["jauge.css"]));
    let mut hashed_js =
        String::from_utf8(read["jauge.js"].clone()).map_err(|_| CliError::Widget {
            path: dir.join("jauge.js"),
            problem: "not UTF-8".into(),
        })?;
    // The module names its two siblings once each, in either quote (a minifier picks one).
    for (from, to) in [("jauge_bg.wasm", &wasm_name), ("jauge.css", &css_name)] {
        let quoted = |quote: char| format!("{quote}{from}{quote}");
        let found: Vec<char> = ['\'', '"']
            .into_iter()
            .filter(|&quote| hashed_js.contains(&quoted(quote)))
            .collect();
        let once = found.len() == 1 && hashed_js.matches(&quoted(found[0])).count() == 1;
        if !once {
            return Err(CliError::Widget {
                path: dir.join("jauge.js"),
                problem: format!(
                    "expected \"{from}\" once in the widget's module: rebuild it with `cargo xtask dist`"
                ),
            });
        }
        let quote = found[0];
        hashed_js = hashed_js.replace(&quoted(quote), &format!("{quote}{to}{quote}"));
    }
    let js_name = format!("jauge-{}.js", short_hash(hashed_js.as_bytes()));
    let loader = format!(
        "// Loads the widget under its content-hashed name (cached for good); this file stays small.\nexport * from \"./{js_name}\";\n"
    );
    Ok(vec![
        (wasm_name, read["jauge_bg.wasm"].clone()),
        (css_name, read["jauge.css"].clone()),
        (js_name, hashed_js.into_bytes()),
        ("jauge.js".to_owned(), loader.into_bytes()),
    ])
}

/// A base URL is pasted into HTML and Markdown: only an absolute http(s) URL or a path, with no
/// space, quote or angle bracket, is taken.
fn check_base_url(base: &str) -> Result<(), CliError> {
    let web = base.starts_with("https://") || base.starts_with("http://") || base.starts_with('/');
    let clean = !base.contains(|c: char| c.is_whitespace() || "\"'<>`".contains(c));
    if web && clean {
        Ok(())
    } else {
        Err(CliError::Option {
            option: "--base-url",
            value: base.to_owned(),
            expected: "expected the folder's public address, such as https://example.org/campaign/ or /campaign/",
        })
    }
}

/// Builds every file of the site for the campaign in `campaign_path`.
///
/// # Errors
///
/// The campaign file, a ledger or the widget bundle is invalid or missing, or the base URL is
/// not one.
pub fn render_site(campaign_path: &Path, options: &SiteOptions) -> Result<Site, CliError> {
    render_site_of(
        &crate::campaign_file::CampaignFile::load(campaign_path)?,
        options,
    )
}

/// Builds every file of the site for a campaign file already loaded (`jauge serve` loads it
/// once).
///
/// # Errors
///
/// A ledger is invalid, or a file cannot be drawn.
pub fn render_site_of(
    file: &crate::campaign_file::CampaignFile,
    options: &SiteOptions,
) -> Result<Site, CliError> {
    if let Some(base) = &options.base_url {
        check_base_url(base)?;
    }
    let (report, _) =
        crate::count::report_of(file, Some(options.at), options.at, None, None, |_| {})?;
    let status = report.status.clone();
    let locale = options.locale;
    let now = status.as_of();
    let view = gauge_view(&status, locale, now);
    let url = |name: &str| match &options.base_url {
        Some(base) => format!("{}/{name}", base.trim_end_matches('/')),
        None => name.to_owned(),
    };
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert(
        "status.json".into(),
        (status.to_json_pretty() + "\n").into_bytes(),
    );
    for (name, bytes) in bundle(&WidgetSource::named(options.widget.as_deref()))? {
        files.insert(name, bytes);
    }
    // The scene's drawing, beside the status document where the live gauge looks for it.
    files.insert(
        jauge_widget::art::SCENE_FILE.into(),
        jauge_widget::art::SCENE_SVG.as_bytes().to_vec(),
    );
    let snippet_html = snippet(
        &status,
        &SnippetOptions {
            locale,
            size: Size::Full,
            theme: Theme::Light,
            src: Some(url("status.json")),
            now: Some(now),
        },
    )?;
    files.insert("snippet.html".into(), snippet_html.clone().into_bytes());
    let mail_html = super::mail::mail_snippet(&view, locale, &url("scene.png"));
    files.insert("snippet-mail.html".into(), mail_html.clone().into_bytes());
    files.insert("scene.png".into(), super::mail::scene_png(&status, locale)?);
    files.insert(
        "badge.svg".into(),
        badge(&view, locale, BadgeShape::Compact).into_bytes(),
    );
    files.insert(
        "badge-bar.svg".into(),
        badge(&view, locale, BadgeShape::Bar).into_bytes(),
    );
    let card = super::card::card_png(&status, locale, jauge_widget::Theme::Light)?;
    // Under a name of its own too, for link previews: it changes when the figures do.
    let card_name = format!("card-{}.png", short_hash(&card));
    files.insert(card_name.clone(), card.clone());
    files.insert("card.png".into(), card);
    for kind in ChartKind::of(&report) {
        files.insert(
            kind.file_name().into(),
            chart(&report, kind, locale).into_bytes(),
        );
        files.insert(
            kind.file_name().replace(".svg", ".png"),
            chart_png(&report, kind, locale)?,
        );
    }
    files.insert("embed.css".into(), EMBED_CSS.as_bytes().to_vec());
    // The public page in each of the campaign's languages (the site's own at the root), and
    // the webmaster's page with the code to paste.
    let languages = super::page::languages(&status, locale);
    let links = super::page::Links {
        url: &url,
        languages: &languages,
        card: &card_name,
    };
    for language in &languages {
        let (view, snippet_html) = if *language == locale {
            (view.clone(), snippet_html.clone())
        } else {
            let snippet_html = snippet(
                &status,
                &SnippetOptions {
                    locale: *language,
                    size: Size::Full,
                    theme: Theme::Light,
                    src: Some(url("status.json")),
                    now: Some(now),
                },
            )?;
            (gauge_view(&status, *language, now), snippet_html)
        };
        files.insert(
            super::page::file_of(*language, locale),
            super::page::public_page(&status, &view, &snippet_html, &links, *language).into_bytes(),
        );
    }
    // Each chart's image says what that chart shows (not the gauge's sentence three times).
    let chart_alts = [
        ChartKind::Cumulative,
        ChartKind::Daily,
        ChartKind::Recurring,
    ]
    .map(|kind| {
        let title = super::chart::title(&report, kind, locale);
        match kind {
            ChartKind::Cumulative => format!("{title}. {}", view.value_text),
            _ => title,
        }
    });
    let page = embed_page(
        &status,
        &view,
        &snippet_html,
        &mail_html,
        &links,
        options.frozen,
        &chart_alts,
    );
    files.insert("embed.html".into(), page.into_bytes());
    // What a pasted link becomes in a blog: the framed gauge and, with an absolute base URL,
    // the oEmbed answer that names it (`jauge serve` also answers `/oembed` itself).
    files.insert(
        super::oembed::SCRIPT.into(),
        super::oembed::PROTOCOL.as_bytes().to_vec(),
    );
    files.insert(
        super::oembed::FRAME.into(),
        super::oembed::frame_page(&status, &snippet_html, &url, locale).into_bytes(),
    );
    if let Some(answer) = super::oembed::answer(&status, &view, &url, locale, &card_name) {
        files.insert(
            super::oembed::JSON.into(),
            (answer.to_string() + "\n").into_bytes(),
        );
    }
    let mut headers = String::from("# Cache and cross-origin rules for hosts that read a _headers file (Netlify, Cloudflare Pages); `jauge serve` applies the same.\n");
    for name in files.keys() {
        headers.push_str(&format!(
            "/{name}\n  Cache-Control: {}\n",
            cache_control(name)
        ));
        // Public, read-only files a gauge on another site reads: any origin may.
        if !name.ends_with(".html") {
            headers.push_str(
                "  Access-Control-Allow-Origin: *\n  Access-Control-Expose-Headers: ETag, Date\n",
            );
        }
    }
    files.insert("_headers".into(), headers.into_bytes());
    Ok(Site { files })
}

/// Whether link previews of the site can find its card: only with an absolute base URL.
pub fn previews_need_base_url(options: &SiteOptions) -> bool {
    !options
        .base_url
        .as_deref()
        .is_some_and(|base| base.starts_with("https://") || base.starts_with("http://"))
}

/// Adds a `.gz` (gzip -9) and a `.br` (brotli -q 11) copy beside every file worth compressing,
/// each only when smaller: servers that send precompressed files (nginx's `gzip_static` and
/// `brotli_static`, Caddy's `precompressed`) then serve the bundle at a third of its size
/// without compressing it on every request.
pub fn add_compressed_copies(site: &mut Site) {
    let mut copies = Vec::new();
    for (name, body) in &site.files {
        if !jauge_server::compress::compressible(name) {
            continue;
        }
        let compressed =
            jauge_server::compress::compress(body, jauge_server::compress::Effort::Best);
        if let Some(gzip) = compressed.gzip {
            copies.push((format!("{name}.gz"), gzip.to_vec()));
        }
        if let Some(brotli) = compressed.brotli {
            copies.push((format!("{name}.br"), brotli.to_vec()));
        }
    }
    site.files.extend(copies);
}

/// What writing a site did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files written anew.
    pub written: usize,
    /// Files whose bytes were already there (kept, with their dates).
    pub unchanged: usize,
    /// Files of the old folder that the new one no longer has.
    pub removed: usize,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CliError + '_ {
    move |e| CliError::io(path, e)
}

/// The file that marks a folder as written by `jauge build`: only such a folder (or an empty
/// one) is ever replaced, so a mistyped `--out ~/Documents` cannot remove anything.
pub const MARKER: &str = ".jauge-build";

/// Writes `site` to `out`, replacing the folder whole, or touching nothing if every file is
/// already there byte for byte.
///
/// # Errors
///
/// A file could not be written, or `out` holds files that `jauge build` did not write; `out` is
/// then as it was.
pub fn write_site(site: &Site, out: &Path) -> Result<WriteSummary, CliError> {
    let mut entries = Vec::new();
    match std::fs::read_dir(out) {
        Ok(list) => {
            for entry in list {
                entries.push(entry.map_err(io(out))?);
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(CliError::io(out, e)),
    }
    let ours = out.join(MARKER).is_file();
    if !entries.is_empty() && !ours {
        return Err(CliError::NotOurFolder {
            path: out.to_owned(),
            marker: MARKER,
        });
    }
    let existing: BTreeMap<String, PathBuf> = entries
        .iter()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()) && e.file_name() != MARKER)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    let folders = entries
        .iter()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .count();
    // Each old file is read once, to compare with its new bytes.
    let unchanged_names: std::collections::BTreeSet<&str> = site
        .files
        .iter()
        .filter(|(name, bytes)| {
            existing
                .get(*name)
                .and_then(|path| std::fs::read(path).ok())
                .is_some_and(|old| &old == *bytes)
        })
        .map(|(name, _)| name.as_str())
        .collect();
    let unchanged = unchanged_names.len();
    // Earlier versioned cards younger than EARLIER_CARDS_KEPT stay.
    let earlier_cards: Vec<(&String, &PathBuf)> = existing
        .iter()
        .filter(|(name, _)| is_versioned_card(name) && !site.files.contains_key(*name))
        .filter(|(_, path)| {
            std::fs::metadata(path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|at| at.elapsed().ok())
                .is_some_and(|age| age < EARLIER_CARDS_KEPT)
        })
        .collect();
    let removed = existing
        .keys()
        .filter(|name| !site.files.contains_key(*name))
        .count()
        - earlier_cards.len()
        + folders;
    if unchanged == site.files.len() && removed == 0 {
        return Ok(WriteSummary {
            written: 0,
            unchanged,
            removed,
        });
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let base = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{base}.new-"))
        .tempdir_in(parent)
        .map_err(io(parent))?;
    for (name, bytes) in &site.files {
        let target = staging.path().join(name);
        let kept = unchanged_names.contains(name.as_str())
            && existing
                .get(name)
                .is_some_and(|old| std::fs::hard_link(old, &target).is_ok());
        if !kept {
            std::fs::write(&target, bytes).map_err(io(&target))?;
        }
    }
    for (name, old) in &earlier_cards {
        let target = staging.path().join(name);
        // A link keeps its age; a copy, where links are refused, would restart it.
        if std::fs::hard_link(old, &target).is_err() {
            std::fs::copy(old, &target).map_err(io(&target))?;
        }
    }
    let marker = staging.path().join(MARKER);
    std::fs::write(
        &marker,
        "Written by `jauge build`, which replaces this folder whole on the next build.\n",
    )
    .map_err(io(&marker))?;
    let staged = staging.keep();
    // A temporary folder is private; the site is for a web server to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o755))
            .map_err(io(&staged))?;
    }
    if existing.is_empty() && !out.exists() {
        std::fs::rename(&staged, out).map_err(io(out))?;
    } else {
        let old = parent.join(format!(".{base}.old-{}", std::process::id()));
        std::fs::rename(out, &old).map_err(io(out))?;
        if let Err(e) = std::fs::rename(&staged, out) {
            let _ = std::fs::rename(&old, out);
            return Err(CliError::io(out, e));
        }
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(WriteSummary {
        written: site.files.len() - unchanged,
        unchanged,
        removed,
    })
}

/// Writes `bytes` to `path` whole or not at all (a temporary file beside it, renamed).
///
/// # Errors
///
/// The file could not be written.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(parent).map_err(io(parent))?;
    std::io::Write::write_all(&mut file, bytes).map_err(io(path))?;
    // A temporary file is private; what is published is for every reader (and a web server).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io(path))?;
    }
    file.persist(path)
        .map_err(|e| CliError::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_files_are_cached_for_good_and_the_status_never() {
        assert_eq!(
            cache_control("status.json"),
            "public, max-age=0, s-maxage=5, stale-while-revalidate=30"
        );
        assert_eq!(
            cache_control("jauge_bg-0123456789.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("jauge.js"), "public, max-age=60");
    }
}
