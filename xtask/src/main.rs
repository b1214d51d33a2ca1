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

mod checks;
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
/// a Java runtime (the Nu HTML Checker) and Hugo (the shortcode's test). As root on Debian (CI, these machines) missing
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
        // The Hugo shortcode under integrations/ is tested by Hugo itself.
        ("/usr/bin/hugo", "hugo"),
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

/// What the tests take from PyPI, pinned so that every machine checks against the same code:
/// the official `stripe`, `gocardless_pro`, `mollie-api-python`, `paypalrestsdk` and
/// `helloasso-python` packages, which the webhook tests check jauge's signatures and readings
/// against, moto's S3 server, which the bucket tests publish to, and `metadata_parser`, the link-preview
/// parser that reads the public page's head.
const PYTHON_PACKAGES: [(&str, &str, &str); 7] = [
    ("stripe", "stripe", "12.5.1"),
    ("gocardless_pro", "gocardless_pro", "3.22.0"),
    ("mollie_api_python", "mollie-api-python", "4.0.0"),
    ("paypalrestsdk", "paypalrestsdk", "1.13.3"),
    ("helloasso-python", "helloasso-python", "1.0.8"),
    ("moto", "moto[server]", "5.2.6"),
    ("metadata_parser", "metadata_parser", "2.0.0"),
];

fn ensure_python_packages() -> Result<(), String> {
    for (module, package, version) in PYTHON_PACKAGES {
        let check = format!(
            "import importlib.metadata as m, sys; sys.exit(m.version({module:?}) != {version:?})"
        );
        let present = Command::new("python3")
            .args(["-c", &check])
            .status()
            .is_ok_and(|s| s.success());
        if present {
            continue;
        }
        eprintln!("==> installing {package} {version} from PyPI");
        dist::run(Command::new("python3").args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("{package}=={version}"),
        ]))?;
    }
    Ok(())
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
    guide()?;
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
    let checks = checks::browser_checks()?;
    eprintln!("==> a jauge that carries its widget builds a complete site anywhere");
    let embedded = checks::embedded_widget_check()?;
    println!(
        "tests: {} passed, {} failed",
        without_tz.0 + all.0 + in_browser.0 + checks.0 + embedded,
        without_tz.1 + all.1 + in_browser.1 + checks.1
    );
    Ok(())
}

/// The mdBook that builds the user guide, the version CI installs.
const MDBOOK: &str = "0.5.4";

/// Builds the user guide (`docs/`) into `target/guide/`, installing mdBook if it is missing. Its
/// links and command lines are checked by `cli/tests/guide.rs`; mdBook itself refuses a summary
/// that names a missing page.
fn guide() -> Result<(), String> {
    // Without its default features: no local server nor file watcher, which a build needs not.
    dist::install_missing("mdbook", "mdbook", MDBOOK, &["--no-default-features"])?;
    let mut build = Command::new("mdbook");
    build.args(["build", "docs"]).current_dir(root());
    step("the user guide", build)
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
        /// A profiler the server runs under, its words split at spaces (`heaptrack -o
        /// /tmp/serve`, `perf record -g -o /tmp/serve.perf`).
        #[arg(long)]
        under: Option<String>,
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
        Task::Browser => checks::browser_checks().map(drop),
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
            under,
        } => hook_bench::run(
            &root(),
            seconds,
            store,
            &rates.iter().map(|r| r.0).collect::<Vec<_>>(),
            under.as_deref(),
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

    /// The crates' layering: each depends only on the crates below it (core at the bottom;
    /// platforms, store, server and the drawing on the core; the widget on the drawing; the
    /// command on all of them; xtask on anything). A dependency that runs back up — the platforms on the store, the server on
    /// the command — fails here, with its name.
    #[test]
    fn no_crate_depends_on_one_above_it() {
        let allowed: &[(&str, &[&str])] = &[
            ("jauge", &[]),
            ("jauge-store", &["jauge"]),
            ("jauge-platforms", &["jauge"]),
            ("jauge-server", &["jauge"]),
            ("jauge-draw", &["jauge"]),
            ("jauge-widget", &["jauge", "jauge-draw"]),
            (
                "jauge-cli",
                &[
                    "jauge",
                    "jauge-store",
                    "jauge-platforms",
                    "jauge-server",
                    "jauge-draw",
                    "jauge-widget",
                ],
            ),
        ];
        let output = super::cargo()
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .current_dir(super::root())
            .output()
            .unwrap();
        assert!(output.status.success());
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let packages = metadata["packages"].as_array().unwrap();
        let ours: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
        let mut wrong = Vec::new();
        for package in packages {
            let name = package["name"].as_str().unwrap();
            if name == "xtask" {
                continue;
            }
            let Some((_, may)) = allowed.iter().find(|(n, _)| *n == name) else {
                wrong.push(format!(
                    "{name}: a crate this test does not place in the layers"
                ));
                continue;
            };
            for dependency in package["dependencies"].as_array().unwrap() {
                let on = dependency["name"].as_str().unwrap();
                let dev = dependency["kind"].as_str() == Some("dev");
                if ours.contains(&on) && on != name && !dev && !may.contains(&on) {
                    wrong.push(format!("{name} depends on {on}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert!(ours.len() >= 8, "{ours:?}");
    }

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
