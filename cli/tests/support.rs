//! Running the binary on copies of the fixtures.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The fixture campaign with its store, made once per test run from the fixture ledger by `jauge
/// import` (as a user moves a CSV ledger into a store), shared by the tests that only read it.
pub fn campaign() -> PathBuf {
    static CAMPAIGN: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    CAMPAIGN
        .get_or_init(campaign_scratch)
        .path()
        .join("campaign.toml")
}

/// A scratch folder with the fixture campaign, its ledger and its store (`donations.db`).
pub fn campaign_scratch() -> tempfile::TempDir {
    let dir = scratch(&["campaign.toml", "ledger.csv"]);
    import_into(
        &dir.path().join("donations.db"),
        &dir.path().join("ledger.csv"),
    );
    dir
}

/// Imports a jauge CSV ledger into a store.
pub fn import_into(store: &Path, csv: &Path) {
    let output = jauge()
        .args(["import", "--from", "jauge", "--into"])
        .arg(store)
        .arg(csv)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

/// The example campaign, with its store made from its CSV ledger (once per test run, in a
/// scratch folder: the store is not committed), beside the earlier campaigns it names.
pub fn example() -> PathBuf {
    static EXAMPLE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    example_in(EXAMPLE.get_or_init(|| tempfile::tempdir().unwrap()).path())
}

/// The example campaigns copied into `dir`, this year's store made from its CSV ledger once
/// (a test that writes to it has a copy of its own): this year's campaign file.
pub fn example_in(dir: &Path) -> PathBuf {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let this_year = dir.join("framasoft-2023");
    if !this_year.join("donations.db").exists() {
        for year in ["framasoft-2021", "framasoft-2022", "framasoft-2023"] {
            std::fs::create_dir_all(dir.join(year)).unwrap();
            for file in ["campaign.toml", "donations.csv"] {
                std::fs::copy(examples.join(year).join(file), dir.join(year).join(file)).unwrap();
            }
        }
        import_into(
            &this_year.join("donations.db"),
            &this_year.join("donations.csv"),
        );
    }
    this_year.join("campaign.toml")
}

pub fn jauge() -> Command {
    let mut command = Command::cargo_bin("jauge").unwrap();
    command.env("NO_COLOR", "1");
    command
}

/// A scratch folder holding copies of the named fixtures.
pub fn scratch(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        std::fs::copy(fixture(file), dir.path().join(file)).unwrap();
    }
    dir
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The store's gifts as jauge's CSV ledger, through `jauge export`.
pub fn ledger_text(store: &Path) -> String {
    let output = jauge()
        .args(["export", "--ledger"])
        .arg(store)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// Whether the store holds no gift (or was never created): what a failed import leaves.
pub fn holds_nothing(store: &Path) -> bool {
    !store.exists() || ledger_text(store).lines().count() == 1
}

/// A stand-in for the widget bundle (`cargo xtask dist` writes the real one): what a site
/// build needs of it, in a folder of `dir`.
pub fn widget_bundle(dir: &Path) -> PathBuf {
    let bundle = dir.join("bundle");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(
        bundle.join("jauge.js"),
        "module_or_path = new URL('jauge_bg.wasm', import.meta.url);\nconst jaugeCss = new URL(\"jauge.css\", import.meta.url).href;\n",
    )
    .unwrap();
    std::fs::write(bundle.join("jauge_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(bundle.join("jauge.css"), ".jauge{}\n").unwrap();
    bundle
}

/// Replaces the first line of `file` that starts with `start` by `line` (a campaign file's key,
/// say), and returns the line it replaced.
pub fn replace_line(file: &Path, start: &str, line: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let old = text
        .lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting with {start:?} in {}", file.display()))
        .to_owned();
    std::fs::write(file, text.replacen(&old, line, 1)).unwrap();
    old
}

/// What `jauge status` says the campaign in `dir` has raised (its amount), on the real clock.
pub fn raised(dir: &Path) -> String {
    let output = jauge()
        .args(["status", "--format", "json", "--campaign"])
        .arg(dir.join("campaign.toml"))
        .output()
        .unwrap();
    assert!(output.status.success(), "jauge status: {}", stderr(&output));
    let status: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    status["raised"]["amount"].as_str().unwrap().to_owned()
}

/// The store's gifts in `dir` as ledger lines, sorted (the order they were written in aside):
/// what two stores that should end the same are compared by.
pub fn gifts(dir: &Path) -> String {
    let text = ledger_text(&dir.join("donations.db"));
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort();
    lines.join("\n")
}

/// Asserts that `jauge status` says when `platform` was last caught up.
pub fn says_caught_up(dir: &Path, platform: &str) {
    let status = jauge()
        .args(["status", "--campaign"])
        .arg(dir.join("campaign.toml"))
        .output()
        .unwrap();
    assert!(
        stdout(&status).contains(&format!("caught up {platform}: asked ")),
        "{}",
        stdout(&status)
    );
}

/// `jauge hook --from platform` with `body` saved as a delivery, and `env`.
pub fn hook_saved(
    dir: &Path,
    platform: &str,
    body: &str,
    env: &[(&str, String)],
) -> std::process::Output {
    let file = dir.join("delivery.txt");
    std::fs::write(&file, body).unwrap();
    jauge()
        .args(["hook", "--from", platform, "--campaign"])
        .arg(dir.join("campaign.toml"))
        .arg(&file)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap()
}

/// Imports `contents`, saved in `dir` as `name`, with `jauge import --from from` and `args`
/// into the campaign's store: what it said (it must succeed).
pub fn import_saved(dir: &Path, from: &str, name: &str, contents: &str, args: &[&str]) -> String {
    let file = dir.join(name);
    std::fs::write(&file, contents).unwrap();
    let import = jauge()
        .args(["import", "--from", from])
        .args(args)
        .arg("--campaign")
        .arg(dir.join("campaign.toml"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", stderr(&import));
    format!("{}{}", stdout(&import), stderr(&import))
}

/// Imports an export (`header`, then `rows`, saved in `dir` as `name`) of what the store in
/// `dir` already holds, with `jauge import --from from`: asserts it adds and changes nothing
/// (the store's gifts as before), and returns what the import said.
pub fn export_adds_nothing(
    dir: &Path,
    from: &str,
    name: &str,
    header: &str,
    rows: &[String],
) -> String {
    let before = gifts(dir);
    let said = import_saved(
        dir,
        from,
        name,
        &format!("{header}\n{}\n", rows.join("\n")),
        &[],
    );
    assert!(said.contains("0 added, 0 updated"), "{said}");
    assert_eq!(gifts(dir), before);
    said
}

/// The orders a platform's deliveries are replayed in, each step named (life, step) for lives
/// of `lengths` steps: every step in its order; all of them reversed; and `early` (reversals
/// delivered before what they reverse) followed by every step again.
pub fn three_orders(lengths: &[usize], early: &[(usize, usize)]) -> [Vec<(usize, usize)>; 3] {
    let steps: Vec<(usize, usize)> = lengths
        .iter()
        .enumerate()
        .flat_map(|(l, &n)| (0..n).map(move |s| (l, s)))
        .collect();
    let reversed = steps.iter().rev().copied().collect();
    let early = [early.to_vec(), steps.clone()].concat();
    [steps, reversed, early]
}
