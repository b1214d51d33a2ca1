//! The checks only a browser, a validator or a built binary can make: the widget audited,
//! measured and photographed in Chromium, the built site validated, a hostile campaign shown as
//! text, and an installed jauge carrying its widget.

use std::process::{Command, Stdio};

use super::{
    cargo, count_before, dist, ensure_system_tools, example_campaign, example_campaign_document,
    example_campaign_text, free_loopback_address, live, root, serve, start_server, with_args,
    Background,
};

/// A `jauge` built with the bundle inside, copied away from the checkout and run with no
/// `--widget` and no `JAUGE_WIDGET_DIR`, writes a site whose widget is the bundle's, byte for
/// byte (the same build as `cargo xtask install`, in the debug profile to reuse this run's
/// compilation). Returns the checks passed.
pub fn embedded_widget_check() -> Result<u64, String> {
    let root = root();
    let dist_dir = dist::dist_dir(&root);
    let mut build = with_args(
        cargo(),
        &["build", "-q", "-p", "jauge-cli", "--bin", "jauge"],
    );
    build.env("JAUGE_EMBED_WIDGET", &dist_dir);
    dist::run(&mut build)?;
    let work = std::env::temp_dir().join(format!("jauge-embedded-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let binary = work.join("jauge");
    std::fs::copy(root.join("target/debug/jauge"), &binary).map_err(|e| e.to_string())?;
    let example = example_campaign(&root)?;
    let folder = example.parent().ok_or("the example has no folder")?;
    std::fs::copy(folder.join("donations.db"), work.join("donations.db"))
        .map_err(|e| format!("donations.db: {e}"))?;
    std::fs::write(work.join("campaign.toml"), example_campaign_text(&example)?)
        .map_err(|e| e.to_string())?;
    let output = Command::new(&binary)
        .args(["build", "--campaign", "campaign.toml", "--out", "site"])
        .current_dir(&work)
        .env_remove("JAUGE_WIDGET_DIR")
        .output()
        .map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let embedded = output.status.success() && stderr.contains("(widget built into jauge)");
    let wasm = std::fs::read(dist_dir.join("jauge_bg.wasm")).map_err(|e| e.to_string())?;
    let same = std::fs::read_dir(work.join("site"))
        .map_err(|e| e.to_string())?
        .flatten()
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with("jauge_bg-") && name.ends_with(".wasm")
        })
        .any(|entry| std::fs::read(entry.path()).is_ok_and(|bytes| bytes == wasm));
    let _ = std::fs::remove_dir_all(&work);
    println!(
        "{}   an installed jauge (bundle built in) builds a site with the widget, away from the checkout",
        if embedded && same { "ok" } else { "FAIL" }
    );
    if embedded && same {
        Ok(1)
    } else {
        Err(format!(
            "a jauge carrying its widget did not build a complete site: {stderr}"
        ))
    }
}

/// Audits, measures and photographs the widget in Chromium (see `xtask/browser/check.mjs`);
/// returns the checks passed and failed.
pub fn browser_checks() -> Result<(u64, u64), String> {
    let root = root();
    ensure_system_tools()?;
    let tools = root.join("xtask/browser");
    let installed = ["playwright-core", "axe-core", "vnu-jar/build/dist/vnu.jar"]
        .iter()
        .all(|p| tools.join("node_modules").join(p).exists());
    if !installed {
        // vnu-jar's install script would download a Java runtime (Debian's serves here).
        dist::npm_ci(&tools)?;
    }
    eprintln!("==> building the widget");
    let bundle = dist::build(&root, &dist::dist_dir(&root))?;
    eprint!("{}", bundle.report);
    let within_ceiling =
        bundle.gzip_total <= dist::SIZE_CEILING && bundle.brotli_total <= dist::BROTLI_CEILING;
    println!(
        "{}   bundle: {} B gzip, ceiling {} B; {} B brotli, ceiling {} B (xtask/src/dist.rs); budget {} B gzip, {} B brotli",
        if within_ceiling { "ok" } else { "FAIL" },
        bundle.gzip_total,
        dist::SIZE_CEILING,
        bundle.brotli_total,
        dist::BROTLI_CEILING,
        dist::BUDGET_GZIP,
        dist::BUDGET_BROTLI,
    );
    let live = serve::LiveCampaign::load(
        &example_campaign(&root)?,
        serve::anchor(),
        chrono::Utc::now(),
    )?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}/",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let dist_dir = dist::dist_dir(&root);
    std::thread::spawn(move || serve::serve_on(listener, dist_dir, live));
    let (_site_server, site_url, validated) = site_checks(&root, &tools)?;
    let live = live::start(&root, &dist::dist_dir(&root))?;
    let hostile_url = hostile_site(&root)?;
    let out = root.join("dist/screenshots");
    eprintln!("==> browser checks on {url}, {site_url} and {hostile_url}");
    let output = Command::new("node")
        .arg(tools.join("check.mjs"))
        .arg(&url)
        .arg(&out)
        .arg(&site_url)
        .arg(&hostile_url)
        .arg(HOSTILE_NAME)
        .env("LIVE_PAGE", &live.page)
        .env("LIVE_GAUGE", &live.gauge)
        .env("LIVE_SECRET", live::SECRET)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    print!("{text}");
    let summary = text
        .lines()
        .find_map(|l| l.strip_prefix("browser checks: "))
        .unwrap_or_default()
        .to_owned();
    let passed = count_before(&summary, " passed") + validated + u64::from(within_ceiling);
    let failed = count_before(&summary, " failed") + u64::from(!within_ceiling);
    if !within_ceiling {
        return Err(format!(
            "the bundle grew to {} B gzip and {} B brotli, over its ceilings of {} B and {} B",
            bundle.gzip_total,
            bundle.brotli_total,
            dist::SIZE_CEILING,
            dist::BROTLI_CEILING
        ));
    }
    if output.status.success() {
        eprintln!("screenshots in {}", out.display());
        Ok((passed, failed))
    } else {
        Err(format!("browser checks failed: {summary}"))
    }
}

/// The campaign name (and milestone label, and appeal) of the hostile site: markup, a script and
/// an event handler that must reach the browser as text.
const HOSTILE_NAME: &str =
    "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)>";

/// The example campaign renamed with [`HOSTILE_NAME`] (also its first milestone's label and its
/// appeal), built and served in this process by jauge's server: the browser checks load its
/// pages with a dialog listener, and look for the name shown as text.
fn hostile_site(root: &std::path::Path) -> Result<String, String> {
    let example = example_campaign(root)?;
    let folder = root.join("dist/hostile");
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let source = example.parent().unwrap_or(root);
    for suffix in ["", "-wal"] {
        let from = source.join(format!("donations.db{suffix}"));
        if from.exists() {
            std::fs::copy(&from, folder.join(format!("donations.db{suffix}")))
                .map_err(|e| format!("{}: {e}", from.display()))?;
        }
    }
    let mut document = example_campaign_document(&example)?;
    let appeal = format!("{{remaining}}: {HOSTILE_NAME}");
    document["name"] = toml_edit::value(HOSTILE_NAME);
    let milestone = document
        .get_mut("milestones")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
        .and_then(|milestones| milestones.get_mut(0))
        .ok_or("the example campaign has no milestone for the hostile site to rename")?;
    milestone["label"] = toml_edit::value(HOSTILE_NAME);
    let running = document
        .get_mut("appeals")
        .and_then(|appeals| appeals.get_mut("running"))
        .and_then(toml_edit::Item::as_table_like_mut)
        .ok_or("the example campaign has no running appeal for the hostile site to replace")?;
    running.insert("en", toml_edit::value(appeal));
    let text = document.to_string();
    let campaign = folder.join("campaign.toml");
    std::fs::write(&campaign, text).map_err(|e| e.to_string())?;
    let options = jauge_cli::publish::site::SiteOptions {
        at: serve::anchor(),
        locale: jauge::Locale::En,
        widget: Some(dist::dist_dir(root)),
        base_url: None,
        frozen: true,
    };
    let site =
        jauge_cli::publish::site::render_site(&campaign, &options).map_err(|e| e.to_string())?;
    let files = std::sync::Arc::new(jauge_cli::publish::serve::files_of(site));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}/",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let files = std::sync::Arc::new(files);
    let router = jauge_server::axum::Router::new().fallback_service(jauge_server::plain(
        move |request: jauge_server::Request| files.respond(&request),
    ));
    let server = jauge_server::Server::new(listener, jauge_server::Limits::default(), router);
    std::thread::spawn(move || server.run());
    Ok(url)
}

/// The example campaign's site, as `jauge build` writes it (to `dist/site`), served as the
/// guide says a newcomer may serve it (`python3 -m http.server`), and every HTML page it and
/// the report make checked by the Nu HTML Checker. Returns the server, the site's URL and the
/// number of pages that validated.
fn site_checks(
    root: &std::path::Path,
    tools: &std::path::Path,
) -> Result<(Background, String, u64), String> {
    use jauge_cli::publish::site;
    let campaign = example_campaign(root)?;
    let options = site::SiteOptions {
        at: chrono::Utc::now(),
        locale: jauge::Locale::En,
        widget: Some(dist::dist_dir(root)),
        base_url: None,
        frozen: false,
    };
    let out = root.join("dist/site");
    // dist/ is this task's own output: a site left there by an older build goes.
    if out.exists() && !out.join(site::MARKER).exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let built = site::render_site(&campaign, &options).map_err(|e| e.to_string())?;
    site::write_site(&built, &out).map_err(|e| e.to_string())?;
    let addr = free_loopback_address()?;
    let port = addr.rsplit(':').next().unwrap_or_default().to_owned();
    let mut python = Command::new("python3");
    python
        .args(["-m", "http.server", "--bind", "127.0.0.1", "--directory"])
        .arg(&out)
        .arg(&port);
    let server = start_server(python, &addr)?;
    let url = format!("http://{addr}/");
    // The snippet is a fragment: it is checked inside the smallest valid page.
    let snippet = String::from_utf8_lossy(&built.files["snippet.html"]).into_owned();
    let pages = out.join("../validate");
    std::fs::create_dir_all(&pages).map_err(|e| e.to_string())?;
    std::fs::write(
        pages.join("snippet-in-a-page.html"),
        format!("<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>snippet</title></head>\n<body>\n{snippet}</body>\n</html>\n"),
    )
    .map_err(|e| e.to_string())?;
    let (report, gap) =
        jauge_cli::count::report(&campaign, Some(options.at), options.at, None, None, |_| {})
            .map_err(|e| e.to_string())?;
    let budget = jauge_cli::render::budget_summary(&report, gap).map_err(|e| e.to_string())?;
    let html =
        jauge_cli::publish::report_with_charts(&report, budget.as_ref(), jauge::Locale::En, true);
    std::fs::write(pages.join("report.html"), &html).map_err(|e| e.to_string())?;
    // Served beside the site too, for the browser checks' widths.
    std::fs::write(out.join("report.html"), html).map_err(|e| e.to_string())?;
    let files = [
        pages.join("snippet-in-a-page.html"),
        pages.join("report.html"),
        out.join("embed.html"),
        out.join("index.html"),
        out.join("frame.html"),
    ];
    eprintln!(
        "==> the Nu HTML Checker on the snippet, the public page, embed.html, the oEmbed frame \
         and the HTML report"
    );
    let jar = tools.join("node_modules/vnu-jar/build/dist/vnu.jar");
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg("--errors-only")
        .args(&files)
        .output()
        .map_err(|e| format!("java: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the Nu HTML Checker found errors:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    for file in &files {
        println!("ok   valid HTML (Nu HTML Checker): {}", file.display());
    }
    Ok((server, url, files.len() as u64))
}
