//! Build orchestration for the jauge workspace: `cargo xtask <command>`.
//!
//! - `cargo xtask test`: everything CI checks, in the order a failure is cheapest to find
//!   (formatting, lints, docs, then every test). This is the README's test command.
//! - `cargo xtask demo [--addr 127.0.0.1:8080] [--at RFC3339]`: builds the widget and serves the
//!   example campaign as a live gauge (see `serve.rs`).
//! - `cargo xtask dist`: the widget bundle in `dist/`, with its sizes.
//! - `cargo xtask load [--clients 200] [--seconds 10]`: a bounded load test of `jauge serve` on
//!   loopback (see `load.rs`).
//! - `cargo xtask gen-ledger --rows N [--seed S] [--late W] [--campaign FILE] --out FILE`: a realistic
//!   ledger for benchmarks and the example.
//! - `cargo xtask store-bench [--gifts N] --store FILE`: gifts committed one per transaction (see
//!   `store_bench.rs`).
//! - `cargo xtask hook-bench [--seconds S] [--store FILE] [--rates 10,100,1000,max]`: webhooks
//!   at fixed rates (see `hook_bench.rs`).
//!
//! `cargo xtask help` (or `--help` after any command) lists them with their options.

mod client;
mod dist;
mod gen_ledger;
mod hook_bench;
mod live;
mod load;
mod serve;
mod store_bench;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

const EXAMPLE_CAMPAIGN: &str = "examples/framasoft-2023/campaign.toml";

/// The example campaign, with its store made from its CSV ledger when it has none (or an older
/// one): the store is not committed, since every command that reads it may also write to it
/// (checkpoints, the last report), while the CSV ledger is the example's text.
fn example_campaign(root: &std::path::Path) -> Result<PathBuf, String> {
    let campaign = root.join(EXAMPLE_CAMPAIGN);
    let folder = campaign.parent().unwrap_or(root);
    let (csv, store) = (folder.join("donations.csv"), folder.join("donations.db"));
    let modified = |path: &std::path::Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if modified(&store).is_none() || modified(&store) < modified(&csv) {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = store.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
        let summary = jauge_cli::import::Import {
            source: jauge_cli::import::Source::Jauge,
            files: std::slice::from_ref(&csv),
            into: &store,
            context: jauge_cli::import::Context {
                currency: None,
                zone: None,
                decimal: jauge_cli::amount::DecimalSeparator::Auto,
                date_order: None,
                interval: jauge::Interval::Monthly,
                form: None,
            },
            skip_invalid: false,
            rejects_dir: None,
            recorded_at: chrono::Utc::now(),
            wait: jauge_store::DEFAULT_BUSY_TIMEOUT,
        }
        .run(|_| {})
        .map_err(|e| e.to_string())?;
        eprintln!(
            "{}: made from {} ({} gifts)",
            store.display(),
            csv.display(),
            summary.added
        );
    }
    Ok(campaign)
}

/// The example campaign's file as text fit to be copied elsewhere: the earlier campaigns it
/// names (`earlier = ["../framasoft-2022/campaign.toml", …]`, relative to its folder) made
/// absolute, so that the copy still finds them. Edited as TOML (comments and layout kept).
fn example_campaign_text(example: &std::path::Path) -> Result<String, String> {
    Ok(example_campaign_document(example)?.to_string())
}

/// The example campaign's file as an editable TOML document, its earlier campaigns absolute.
fn example_campaign_document(example: &std::path::Path) -> Result<toml_edit::DocumentMut, String> {
    let text =
        std::fs::read_to_string(example).map_err(|e| format!("{}: {e}", example.display()))?;
    let mut document: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| format!("{}: {e}", example.display()))?;
    let folder = example.parent().unwrap_or(std::path::Path::new("."));
    if let Some(earlier) = document
        .get_mut("earlier")
        .and_then(toml_edit::Item::as_array_mut)
    {
        for path in earlier.iter_mut() {
            if let Some(relative) = path.as_str() {
                let absolute = folder.join(relative).display().to_string();
                *path = absolute.into();
            }
        }
    }
    Ok(document)
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs one step, naming it first so a failure in a long log is easy to place.
fn step(title: &str, mut command: Command) -> Result<(), String> {
    eprintln!("==> {title}");
    let status = command
        .status()
        .map_err(|e| format!("{title}: could not start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{title}: failed ({status})"))
    }
}

/// Runs `cargo test …`, echoing its output, and returns the passed and failed counts summed
/// over every test binary, so the log can end on one total instead of the last binary's line.
fn counted_tests(title: &str, mut command: Command) -> Result<(u64, u64), String> {
    eprintln!("==> {title}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{title}: could not start: {e}"))?;
    let (mut passed, mut failed) = (0, 0);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some(summary) = line.strip_prefix("test result: ") {
                passed += count_before(summary, " passed");
                failed += count_before(summary, " failed");
            }
        }
    }
    let status = child.wait().map_err(|e| format!("{title}: {e}"))?;
    if status.success() {
        Ok((passed, failed))
    } else {
        Err(format!(
            "{title}: failed ({status}); {passed} passed, {failed} failed"
        ))
    }
}

/// The number just before `label` in a summary such as cargo's `ok. 35 passed; 0 failed; …`
/// or the browser checks' `9 passed, 0 failed`.
fn count_before(summary: &str, label: &str) -> u64 {
    summary
        .split([';', ','])
        .find_map(|part| {
            part.trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ")
                .strip_suffix(label)
        })
        .and_then(|number| number.trim().parse().ok())
        .unwrap_or(0)
}

fn with_args(mut command: Command, args: &[&str]) -> Command {
    command.args(args);
    command
}

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The widget as the browser builds it.
const WIDGET_IN_BROWSER: [&str; 6] = [
    "-p",
    "jauge-widget",
    "--features",
    "csr",
    "--target",
    "wasm32-unknown-unknown",
];

/// What the tests run besides cargo, from Debian's packages: Chromium and its driver (browser
/// tests), librsvg's `rsvg-convert` and the DejaVu fonts (badges must render alike in both),
/// and a Java runtime (the Nu HTML Checker). As root on Debian (CI, these machines) missing
/// ones are installed; elsewhere the message says what to install.
fn ensure_system_tools() -> Result<(), String> {
    let needed = [
        (CHROMEDRIVER, "chromium chromium-driver"),
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/rsvg-convert", "librsvg2-bin"),
        (
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "fonts-dejavu-core",
        ),
        ("/usr/bin/java", "default-jre-headless"),
    ];
    let missing: Vec<&str> = needed
        .iter()
        .filter(|(path, _)| !std::path::Path::new(path).exists())
        .flat_map(|(_, packages)| packages.split(' '))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if !root || !std::path::Path::new("/usr/bin/apt-get").exists() {
        return Err(format!(
            "the tests need Debian packages that are missing: apt-get install {}",
            missing.join(" ")
        ));
    }
    eprintln!("==> installing {}", missing.join(" "));
    dist::run(Command::new("apt-get").arg("update"))?;
    dist::run(
        Command::new("apt-get")
            .args(["install", "-y"])
            .args(&missing),
    )
}

/// The official `stripe` package from PyPI, which the webhook tests check jauge's signatures
/// against; pinned so that every machine checks against the same code.
const PYTHON_STRIPE: &str = "12.5.1";

fn ensure_python_packages() -> Result<(), String> {
    let check = format!("import stripe, sys; sys.exit(stripe.VERSION != {PYTHON_STRIPE:?})");
    let present = Command::new("python3")
        .args(["-c", &check])
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    eprintln!("==> installing the stripe package {PYTHON_STRIPE} from PyPI");
    dist::run(Command::new("python3").args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("stripe=={PYTHON_STRIPE}"),
    ]))
}

fn test() -> Result<(), String> {
    dist::ensure_toolchain()?;
    step(
        "format",
        with_args(cargo(), &["fmt", "--all", "--", "--check"]),
    )?;
    let clippy = |title: &str, args: &[&str]| {
        let mut command = with_args(cargo(), &["clippy"]);
        command.args(args).args(["--", "-D", "warnings"]);
        step(title, command)
    };
    clippy("lint", &["--workspace", "--all-targets"])?;
    clippy(
        "lint the widget as the browser builds it",
        &[&WIDGET_IN_BROWSER[..], &["--all-targets"]].concat(),
    )?;
    clippy(
        "lint the core without time zones (as the browser builds it)",
        &["-p", "jauge", "--no-default-features"],
    )?;
    let mut doc = with_args(cargo(), &["doc", "--workspace", "--no-deps"]);
    doc.env("RUSTDOCFLAGS", "-D warnings");
    step("docs", doc)?;
    let without_tz = counted_tests(
        "tests of the core without time zones",
        with_args(
            cargo(),
            &["test", "-p", "jauge", "--no-default-features", "--lib"],
        ),
    )?;
    ensure_system_tools()?;
    ensure_python_packages()?;
    let all = counted_tests("tests", with_args(cargo(), &["test", "--workspace"]))?;
    let mut browser = with_args(
        cargo(),
        &[&["test"][..], &WIDGET_IN_BROWSER, &["--test", "browser"]].concat(),
    );
    browser.env("CHROMEDRIVER", CHROMEDRIVER);
    let in_browser = counted_tests("tests in headless Chromium", browser)?;
    eprintln!("==> audits, reduced motion, forced colours, screenshots and paint time in Chromium");
    let checks = browser_checks()?;
    eprintln!("==> a jauge that carries its widget builds a complete site anywhere");
    let embedded = embedded_widget_check()?;
    println!(
        "tests: {} passed, {} failed",
        without_tz.0 + all.0 + in_browser.0 + checks.0 + embedded,
        without_tz.1 + all.1 + in_browser.1 + checks.1
    );
    Ok(())
}

/// `cargo xtask install`: the widget bundle built, then a release `jauge` that carries it
/// (`JAUGE_EMBED_WIDGET`, read by `cli/build.rs`), installed by `cargo install` in `--root`
/// (default: cargo's, `~/.cargo`).
fn install(into: Option<PathBuf>) -> Result<(), String> {
    let root = root();
    eprintln!("==> building the widget");
    print!("{}", dist::build(&root, &dist::dist_dir(&root))?.report);
    let mut command = with_args(cargo(), &["install", "--locked", "--force", "--path"]);
    command
        .arg(root.join("cli"))
        .env("JAUGE_EMBED_WIDGET", dist::dist_dir(&root));
    if let Some(dir) = into {
        command.arg("--root").arg(dir);
    }
    dist::run(&mut command)
}

/// A `jauge` built with the bundle inside, copied away from the checkout and run with no
/// `--widget` and no `JAUGE_WIDGET_DIR`, writes a site whose widget is the bundle's, byte for
/// byte (the same build as `cargo xtask install`, in the debug profile to reuse this run's
/// compilation). Returns the checks passed.
fn embedded_widget_check() -> Result<u64, String> {
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

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn dist() -> Result<(), String> {
    let bundle = dist::build(&root(), &dist::dist_dir(&root()))?;
    print!("{}", bundle.report);
    Ok(())
}

fn demo(addr: &str, at: Option<chrono::DateTime<chrono::Utc>>) -> Result<(), String> {
    let anchor = at.unwrap_or_else(serve::anchor);
    let root = root();
    eprintln!("==> building the widget");
    print!("{}", dist::build(&root, &dist::dist_dir(&root))?.report);
    let live = serve::LiveCampaign::load(&example_campaign(&root)?, anchor, chrono::Utc::now())?;
    serve::serve(addr, dist::dist_dir(&root), live)
}

/// Audits, measures and photographs the widget in Chromium (see `xtask/browser/check.mjs`);
/// returns the checks passed and failed.
fn browser_checks() -> Result<(u64, u64), String> {
    let root = root();
    ensure_system_tools()?;
    let tools = root.join("xtask/browser");
    let installed = ["playwright-core", "axe-core", "vnu-jar/build/dist/vnu.jar"]
        .iter()
        .all(|p| tools.join("node_modules").join(p).exists());
    if !installed {
        // No install scripts: vnu-jar's would download a Java runtime (Debian's serves here).
        dist::run(
            Command::new("npm")
                .args([
                    "ci",
                    "--no-audit",
                    "--no-fund",
                    "--ignore-scripts",
                    "--prefix",
                ])
                .arg(&tools),
        )?;
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

/// A child process ended when this is dropped (a server started for checks).
pub struct Background(std::process::Child);

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free port on 127.0.0.1.
fn free_loopback_address() -> Result<String, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.to_string())
        .map_err(|e| e.to_string())
}

/// Starts `command`, which is to listen on `addr`, and waits until it does.
fn start_server(mut command: Command, addr: &str) -> Result<Background, String> {
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{command:?}: {e}"))?;
    let server = Background(child);
    let ready = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::net::TcpStream::connect(addr).is_err() {
        if std::time::Instant::now() > ready {
            return Err(format!("{command:?} did not start listening on {addr}"));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Ok(server)
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
/// README says a newcomer may serve it (`python3 -m http.server`), and every HTML page it and
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
    ];
    eprintln!("==> the Nu HTML Checker on the snippet, embed.html and the HTML report");
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

/// Build orchestration for the jauge workspace.
#[derive(clap::Parser)]
#[command(name = "xtask", bin_name = "cargo xtask")]
enum Task {
    /// Everything CI checks, in the order a failure is cheapest to find: the README's test
    /// command.
    Test,
    /// Builds the widget and serves the example campaign as a live gauge.
    Demo {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// The instant the example is replayed from (RFC 3339); by default, its last week.
        #[arg(long, value_parser = rfc3339)]
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// The widget bundle in `dist/`, with its sizes.
    Dist,
    /// A release `jauge` that carries the widget, installed by `cargo install`.
    Install {
        /// Where `cargo install` puts it (by default, cargo's own).
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Audits, measures and photographs the widget in Chromium.
    Browser,
    /// A realistic generated ledger for benchmarks and the example.
    GenLedger {
        /// How many gifts.
        #[arg(long, default_value_t = 100_000)]
        rows: u64,
        /// The random seed: the same seed, the same ledger.
        #[arg(long, default_value_t = 2023)]
        seed: u64,
        /// How much later the year-end rush weighs than the first day.
        #[arg(long, default_value_t = gen_ledger::LATE)]
        late: i64,
        /// The campaign whose dates and currency the gifts follow.
        #[arg(long, default_value = EXAMPLE_CAMPAIGN)]
        campaign: PathBuf,
        /// The ledger to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Gifts committed to a store one per transaction, as a webhook receiver commits them.
    StoreBench {
        /// How many gifts.
        #[arg(long, default_value_t = 2000)]
        gifts: u64,
        /// The store to write (made if absent).
        #[arg(long)]
        store: PathBuf,
    },
    /// A bounded load test of `jauge serve` on loopback.
    Load {
        /// Connections polling at once.
        #[arg(long, default_value_t = 200)]
        clients: usize,
        /// Seconds per scenario (at most 120).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=120))]
        seconds: u64,
    },
    /// Signed webhooks posted to the release `jauge serve`: latency and freshness per rate.
    HookBench {
        /// Seconds per rate (at most 120).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=120))]
        seconds: u64,
        /// A copy of this store is served (by default, the example campaign's).
        #[arg(long)]
        store: Option<PathBuf>,
        /// Events per second, `max` for as fast as taken.
        #[arg(long, value_delimiter = ',', value_parser = rate, default_value = "10,100,1000,max")]
        rates: Vec<Rate>,
    },
}

/// An instant written as RFC 3339.
fn rfc3339(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|at| at.to_utc())
        .map_err(|e| e.to_string())
}

/// A rate of events per second, or none (as fast as taken).
#[derive(Clone, Copy, Debug)]
struct Rate(Option<u32>);

fn rate(text: &str) -> Result<Rate, String> {
    match text.trim() {
        "max" => Ok(Rate(None)),
        n => n
            .parse()
            .map(|n| Rate(Some(n)))
            .map_err(|_| format!("{n:?} is neither a number of events per second nor max")),
    }
}

fn main() -> ExitCode {
    let task = <Task as clap::Parser>::parse();
    let result = match task {
        Task::Test => test(),
        Task::Demo { addr, at } => demo(&addr, at),
        Task::Dist => dist(),
        Task::Install { root } => install(root),
        Task::Browser => browser_checks().map(drop),
        Task::GenLedger {
            rows,
            seed,
            late,
            campaign,
            out,
        } => gen_ledger::run(rows, seed, late, &campaign, &out),
        Task::StoreBench { gifts, store } => store_bench::run(gifts, &store),
        Task::Load { clients, seconds } => load::run(&root(), clients, seconds),
        Task::HookBench {
            seconds,
            store,
            rates,
        } => hook_bench::run(
            &root(),
            seconds,
            store,
            &rates.iter().map(|r| r.0).collect::<Vec<_>>(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count_before;

    /// The stages page's moments, found by bisection, are the first hours that reach each
    /// share: reached then, not an hour before.
    #[test]
    fn each_stage_starts_at_the_first_hour_that_reaches_it() {
        let root = super::root();
        let live = super::serve::LiveCampaign::load(
            &super::example_campaign(&root).unwrap(),
            super::serve::anchor(),
            super::serve::anchor(),
        )
        .unwrap();
        for percent in [25, 50, 75] {
            let at = live.first_reaching(percent).unwrap();
            let share = |at| live.percent_at(at);
            assert!(share(at) >= percent, "{percent} %: {} at {at}", share(at));
            let before = at - chrono::Duration::hours(1);
            assert!(
                share(before) < percent,
                "{percent} %: {} at {before}",
                share(before)
            );
        }
        assert_eq!(
            live.first_reaching(100),
            None,
            "the example ends short of its goal"
        );
    }

    #[test]
    fn reads_cargo_test_summaries() {
        let ok =
            "ok. 35 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 3.87s";
        assert_eq!(
            (count_before(ok, " passed"), count_before(ok, " failed")),
            (35, 0)
        );
        let failed = "FAILED. 31 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(
            (
                count_before(failed, " passed"),
                count_before(failed, " failed")
            ),
            (31, 3)
        );
    }
}
