//! The store under several writers at once, writers killed mid-import, and round trips between
//! the CSV ledger and the store.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use jauge::StatusDocument;

use crate::support::{jauge, ledger_text, read, stderr};

const HEADER: &str = "id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by";

/// A jauge CSV of `rows` one-off gifts of `amount` EUR with ids `{prefix}-{i}`.
fn gifts_file(dir: &Path, prefix: &str, rows: usize, amount: u64) -> PathBuf {
    let path = dir.join(format!("{prefix}.csv"));
    let mut text = String::with_capacity(rows * 80);
    text.push_str(HEADER);
    text.push('\n');
    for i in 0..rows {
        text.push_str(&format!(
            "{prefix}-{i},2023-12-01T{:02}:{:02}:{:02}Z,{amount}.00,EUR,confirmed,one_off,,online,{prefix}-d{},,,\n",
            i / 3600 % 24,
            i / 60 % 60,
            i % 60,
            i % 500
        ));
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn campaign_file(dir: &Path) -> PathBuf {
    let path = dir.join("campaign.toml");
    std::fs::write(
        &path,
        "name = \"Load\"\ngoal = \"1000000 EUR\"\ntime_zone = \"Europe/Paris\"\n\
         start = \"2023-11-01\"\ndeadline = \"2023-12-31\"\nledger = \"donations.db\"\n",
    )
    .unwrap();
    path
}

/// `jauge import` of a jauge CSV, started and left running.
fn import(store: &Path, file: &Path) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("jauge"))
        .args(["import", "--from", "jauge", "--into"])
        .arg(store)
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The next of a seeded sequence of moments (the same on every run) from none to `spread` times
/// `duration`.
fn kill_point(seed: &mut u64, duration: Duration, spread: f64) -> Duration {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    duration.mul_f64((*seed >> 11) as f64 / (1u64 << 53) as f64 * spread)
}

/// Kills `child` (SIGKILL) after `delay` unless it ended before; whether it was killed.
fn kill_after(child: &mut Child, delay: Duration) -> bool {
    std::thread::sleep(delay);
    let running = child.try_wait().unwrap().is_none();
    if running {
        child.kill().unwrap();
    }
    running
}

/// SQLite's integrity check of the store open on `connection`: "ok" when whole.
fn integrity(connection: &rusqlite::Connection) -> String {
    connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

/// Eight imports of distinct gifts into one store at once, while a reader computes the status in
/// a loop. Import `n`'s gifts are worth 2^n EUR each, so a snapshot's total, divided by the gifts
/// per import, spells out exactly which imports it saw: a reader that saw part of an import, or
/// a lost or doubled gift, cannot add up.
#[test]
fn concurrent_writers_lose_nothing_and_readers_see_whole_imports() {
    const WRITERS: usize = 8;
    const GIFTS: usize = 2_000;
    let dir = tempfile::tempdir().unwrap();
    let campaign = campaign_file(dir.path());
    let store = dir.path().join("donations.db");
    let files: Vec<PathBuf> = (0..WRITERS)
        .map(|n| gifts_file(dir.path(), &format!("w{n}"), GIFTS, 1 << n))
        .collect();
    let writers: Vec<Child> = files.iter().map(|file| import(&store, file)).collect();
    let now = "2023-12-30T00:00:00Z".parse().unwrap();
    let mut snapshots = 0;
    let mut seen_partial_progress = false;
    let mut running = writers;
    let mut outputs = Vec::new();
    let started = Instant::now();
    loop {
        if store.exists() {
            match jauge_cli::count::status(&campaign, now, |_| {}) {
                Ok(status) => {
                    check_whole_imports(&status, GIFTS, WRITERS);
                    snapshots += 1;
                    let gifts = status.donations();
                    seen_partial_progress |= gifts > 0 && gifts < (WRITERS * GIFTS) as u64;
                }
                // The store is created by the first writer: its schema may not be there yet.
                Err(e) => assert!(
                    e.to_string().contains("no such table")
                        || started.elapsed() < Duration::from_secs(5),
                    "{e}"
                ),
            }
        }
        let mut still = Vec::new();
        for mut child in running {
            match child.try_wait().unwrap() {
                Some(_) => outputs.push(child.wait_with_output().unwrap()),
                None => still.push(child),
            }
        }
        running = still;
        if running.is_empty() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(240), "imports hang");
    }
    for output in &outputs {
        assert!(output.status.success(), "{}", stderr(output));
        assert!(
            stderr(output).contains(&format!("{GIFTS} added")),
            "{}",
            stderr(output)
        );
    }
    let status = jauge_cli::count::status(&campaign, now, |_| {}).unwrap();
    assert_eq!(status.donations(), (WRITERS * GIFTS) as u64);
    assert_eq!(
        status.raised().to_string(),
        format!("{}.00 EUR", GIFTS * ((1 << WRITERS) - 1))
    );
    assert!(snapshots > 0, "the reader never read");
    eprintln!("{snapshots} consistent snapshots, some mid-way: {seen_partial_progress}");
}

fn check_whole_imports(status: &StatusDocument, gifts: usize, writers: usize) {
    let count = status.donations() as usize;
    assert_eq!(
        count % gifts,
        0,
        "a snapshot saw part of an import: {count} gifts"
    );
    let raised = status.raised().amount();
    let mask = raised / jauge::Decimal::from(gifts as u64);
    assert!(mask.fract().is_zero(), "{raised} is not whole imports");
    let mask: u64 = mask.trunc().try_into().unwrap();
    assert!(mask < 1 << writers, "{raised}: more than every import");
    assert_eq!(
        mask.count_ones() as usize * gifts,
        count,
        "total {raised} and {count} gifts disagree"
    );
}

/// A writer killed with SIGKILL at random moments of large imports: after each kill the store
/// opens, passes SQLite's integrity check, and holds every import that reported success and,
/// of the killed one, all of its gifts or none.
#[test]
fn a_writer_killed_at_any_point_leaves_the_old_state_or_the_new() {
    const ROWS: usize = 10_000;
    const KILLS: u64 = 24;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("donations.db");
    // Calibrate: how long does one import take on this machine, now?
    let started = Instant::now();
    let first = import(&store, &gifts_file(dir.path(), "calibration", ROWS, 1))
        .wait_with_output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let duration = started.elapsed();
    let mut expected = ROWS as u64;
    // A fixed seed: the same kill points on every run.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let (mut committed_before_kill, mut rolled_back, mut finished) = (0, 0, 0);
    for round in 0..KILLS {
        // Anywhere from before the store is opened to just after the commit.
        let delay = kill_point(&mut seed, duration, 1.2);
        let file = gifts_file(dir.path(), &format!("r{round}"), ROWS, 1);
        let mut child = import(&store, &file);
        let killed = kill_after(&mut child, delay);
        let output = child.wait_with_output().unwrap();
        let reported = !killed && output.status.success();
        let connection = rusqlite::Connection::open(&store).unwrap();
        assert_eq!(integrity(&connection), "ok", "round {round}");
        let of_this_round: i64 = connection
            .query_row(
                "SELECT count(*) FROM gifts WHERE id LIKE ?1",
                [format!("r{round}-%")],
                |row| row.get(0),
            )
            .unwrap();
        let journaled: i64 = connection
            .query_row(
                "SELECT count(*) FROM journal WHERE gift_id LIKE ?1",
                [format!("r{round}-%")],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(
            of_this_round, journaled,
            "round {round}: gifts and journal disagree"
        );
        if reported {
            assert_eq!(
                of_this_round as usize, ROWS,
                "round {round}: reported success"
            );
            finished += 1;
        } else {
            assert!(
                of_this_round == 0 || of_this_round as usize == ROWS,
                "round {round}: killed after {delay:?}, {of_this_round} of {ROWS} gifts kept"
            );
            if of_this_round == 0 {
                rolled_back += 1;
            } else {
                committed_before_kill += 1;
            }
        }
        expected += of_this_round as u64;
        let total: i64 = connection
            .query_row("SELECT count(*) FROM gifts", [], |row| row.get(0))
            .unwrap();
        assert_eq!(total as u64, expected, "round {round}");
    }
    assert!(
        rolled_back > 0,
        "no kill landed inside an import ({finished} finished, {committed_before_kill} committed then killed): the test proved nothing"
    );
    eprintln!(
        "{KILLS} rounds: {rolled_back} killed mid-import and rolled back, {committed_before_kill} killed after committing, {finished} finished"
    );
}

/// A first import into a new store writes in rollback-journal mode (once, straight into the
/// file): killed at random moments, the store it leaves opens, passes SQLite's integrity check,
/// holds all of the import or nothing, and is back in WAL mode once jauge opens it.
#[test]
fn a_first_import_killed_at_any_point_leaves_an_empty_store_or_a_whole_one() {
    const ROWS: usize = 20_000;
    const KILLS: u64 = 12;
    let dir = tempfile::tempdir().unwrap();
    let file = gifts_file(dir.path(), "first", ROWS, 1);
    let started = Instant::now();
    let calibration = dir.path().join("calibration.db");
    let first = import(&calibration, &file).wait_with_output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let duration = started.elapsed();
    // Finished: back in WAL mode by itself, every gift there.
    let connection = rusqlite::Connection::open(&calibration).unwrap();
    let (mode, gifts): (String, i64) = connection
        .query_row(
            "SELECT (SELECT journal_mode FROM pragma_journal_mode()), (SELECT count(*) FROM gifts)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!((mode.as_str(), gifts as usize), ("wal", ROWS));
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let (mut before_opening, mut rolled_back, mut whole) = (0, 0, 0);
    for round in 0..KILLS {
        let delay = kill_point(&mut seed, duration, 1.1);
        let store = dir.path().join(format!("round-{round}.db"));
        let mut child = import(&store, &file);
        kill_after(&mut child, delay);
        child.wait().unwrap();
        if !store.exists() {
            before_opening += 1;
            continue;
        }
        // jauge opens it as any reader would: a stopped import's journal is rolled back, and
        // the store is put back in WAL mode.
        let exported = std::process::Command::new(assert_cmd::cargo::cargo_bin("jauge"))
            .args(["export", "--ledger"])
            .arg(&store)
            .output()
            .unwrap();
        assert!(
            exported.status.success(),
            "round {round}: {}",
            stderr(&exported)
        );
        let connection = rusqlite::Connection::open(&store).unwrap();
        assert_eq!(integrity(&connection), "ok", "round {round}");
        let mode: String = connection
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal", "round {round}");
        let (gifts, journaled): (i64, i64) = connection
            .query_row(
                "SELECT (SELECT count(*) FROM gifts), (SELECT count(*) FROM journal)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!(gifts, journaled, "round {round}");
        assert!(
            gifts == 0 || gifts as usize == ROWS,
            "round {round}: killed after {delay:?}, {gifts} of {ROWS} gifts kept"
        );
        if gifts == 0 {
            rolled_back += 1;
        } else {
            whole += 1;
        }
    }
    assert!(
        rolled_back > 0,
        "no kill landed inside the import ({before_opening} before it opened the store, {whole} after its commit): the test proved nothing"
    );
    eprintln!("{KILLS} rounds: {before_opening} killed before the store existed, {rolled_back} mid-import and rolled back, {whole} after the commit");
}

/// CSV → store → CSV is the identity for the example campaign's ledger.
#[test]
fn the_example_ledger_round_trips_through_a_store() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/framasoft-2023");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("again.db");
    let output = import(&store, &example.join("donations.csv"))
        .wait_with_output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(ledger_text(&store), read(&example.join("donations.csv")));
}

/// The same for a generated ledger with every field in use: refunds, fees, recurring gifts,
/// quoted sponsors with commas and line breaks, fractional seconds.
#[test]
fn csv_to_store_to_csv_is_the_identity() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "{HEADER}").unwrap();
    let rows = 50_000;
    for i in 0..rows {
        let status = match i % 41 {
            0 => "refunded",
            1 => "pending",
            2 => "failed",
            _ => "confirmed",
        };
        let refunded = if status == "refunded" { "1.50" } else { "" };
        let (kind, subscription) = match i % 10 {
            0 => ("monthly", format!("sub-{}", i % 997)),
            1 => ("yearly", format!("year-{}", i % 313)),
            _ => ("one_off", String::new()),
        };
        let instant = if i % 7 == 0 {
            format!("2023-12-{:02}T10:{:02}:00.125Z", 1 + i % 28, i % 60)
        } else {
            format!("2023-12-{:02}T10:{:02}:{:02}Z", 1 + i % 28, i % 60, i % 59)
        };
        let sponsor = match i % 13 {
            0 => "\"ACME, Coop\"",
            1 => "\"Line\nbreak\"",
            _ => "",
        };
        writeln!(
            file,
            "g-{i},{instant},{}.{:02},EUR,{status},{kind},{subscription},{},d-{},{},{refunded},{sponsor}",
            5 + i % 300,
            i % 100,
            ["online", "offline", "bank_transfer", "other"][i % 4],
            i % 7919,
            if i % 3 == 0 { "0.25" } else { "" },
        )
        .unwrap();
    }
    drop(file);
    let store = dir.path().join("ledger.db");
    let output = import(&store, &path).wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let exported = ledger_text(&store);
    assert!(exported == read(&path), "the round trip changed the ledger");
    // And back into a second store: the same gifts in the same order.
    let back = dir.path().join("exported.csv");
    std::fs::write(&back, &exported).unwrap();
    let again = dir.path().join("again.db");
    let output = import(&again, &back).wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(ledger_text(&again) == exported);
}

#[test]
fn history_tells_why_a_total_moved() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("d.db");
    let first = dir.path().join("first.csv");
    std::fs::write(
        &first,
        format!("{HEADER}\ng-1,2023-12-01T10:00:00Z,50.00,EUR,confirmed,one_off,,online,,,,\n"),
    )
    .unwrap();
    let later = dir.path().join("later.csv");
    std::fs::write(
        &later,
        format!("{HEADER}\ng-1,2023-12-01T10:00:00Z,50.00,EUR,refunded,one_off,,online,,,50.00,\n"),
    )
    .unwrap();
    for file in [&first, &later] {
        let output = import(&store, file).wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let output = jauge()
        .args(["history", "g-1", "--ledger"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = crate::support::stdout(&output).replace(&format!("{}/", dir.path().display()), "");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(
        lines[0].ends_with("UTC  created   from first.csv:2"),
        "{text}"
    );
    assert_eq!(
        lines[1],
        "    id g-1, received_at 2023-12-01T10:00:00Z, amount 50.00, currency EUR, status confirmed, kind one_off, channel online"
    );
    assert!(
        lines[2].ends_with("UTC  updated   from later.csv:2"),
        "{text}"
    );
    assert_eq!(lines[3], "    status: confirmed → refunded");
    assert_eq!(lines[4], "    refunded: (none) → 50.00");
    let unknown = jauge()
        .args(["history", "g-2", "--ledger"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("no gift with id \"g-2\""),
        "{}",
        stderr(&unknown)
    );
    let since = jauge()
        .args(["history", "--since", "2000-01-01", "--ledger"])
        .arg(&store)
        .output()
        .unwrap();
    assert_eq!(
        crate::support::stdout(&since).matches("  g-1  ").count(),
        2,
        "{}",
        crate::support::stdout(&since)
    );
}

#[test]
fn csv_ledgers_are_read_but_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let csv = gifts_file(dir.path(), "old", 3, 10);
    let output = jauge()
        .args(["import", "--from", "jauge", "--into"])
        .arg(&csv)
        .arg(gifts_file(dir.path(), "new", 1, 5))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("a CSV ledger, which jauge no longer writes"),
        "{}",
        stderr(&output)
    );
    let campaign = dir.path().join("campaign.toml");
    std::fs::write(
        &campaign,
        "name = \"Old\"\ngoal = \"100 EUR\"\ntime_zone = \"Europe/Paris\"\n\
         start = \"2023-11-01\"\ndeadline = \"2023-12-31\"\nledgers = [\"old.csv\"]\n",
    )
    .unwrap();
    let output = jauge()
        .args([
            "status",
            "--format",
            "json",
            "--at",
            "2023-12-30T00:00:00Z",
            "--campaign",
        ])
        .arg(&campaign)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stderr(&output).matches("read-only").count(),
        1,
        "said once: {}",
        stderr(&output)
    );
    let status = StatusDocument::from_json(&crate::support::stdout(&output)).unwrap();
    assert_eq!(status.raised().to_string(), "30.00 EUR");
}

#[test]
fn a_store_from_a_newer_jauge_or_another_program_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE invoices (n)")
        .unwrap();
    let output = jauge()
        .args(["export", "--ledger"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output)
            .contains("other.db: not a jauge store: it is another application's SQLite database"),
        "{}",
        stderr(&output)
    );
    let missing = jauge()
        .args(["export", "--ledger"])
        .arg(dir.path().join("missing.db"))
        .output()
        .unwrap();
    assert!(
        stderr(&missing)
            .contains("missing.db: no such store (`jauge import --from FORMAT FILE --into"),
        "{}",
        stderr(&missing)
    );
    assert!(!dir.path().join("missing.db").exists());
}

#[test]
fn a_writer_waits_for_another_then_gives_up_writing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("d.db");
    let file = gifts_file(dir.path(), "late", 10, 5);
    let mut held = jauge_store::Store::create(&store).unwrap();
    let writer = held.writer(chrono::Utc::now()).unwrap();
    let started = Instant::now();
    let output = jauge()
        .args(["import", "--from", "jauge", "--wait", "1", "--into"])
        .arg(&store)
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains(
            "d.db: another writer has held the store for more than 1 s; nothing was written, try again"
        ),
        "{}",
        stderr(&output)
    );
    assert!(started.elapsed() >= Duration::from_secs(1));
    // Once the other writer is done, the same import goes through.
    drop(writer);
    let output = import(&store, &file).wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(ledger_text(&store).lines().count(), 11);
}

#[test]
fn a_closed_pipe_ends_an_export_quietly() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("d.db");
    let output = import(&store, &gifts_file(dir.path(), "many", 50_000, 5))
        .wait_with_output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("jauge"))
        .args(["export", "--ledger"])
        .arg(&store)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first.trim_end(), HEADER);
    // The reading end is closed here, as `| head -1` closes it.
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

/// The id a person copies from a platform's dashboard (`ch_3OMe…`) finds its gift
/// (`stripe:ch_3OMe…`), saying which; an id two platforms share is named with both.
#[test]
fn history_takes_the_platforms_own_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("d.db");
    let file = dir.path().join("gifts.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}\nstripe:ch_3OMe,2023-12-01T10:00:00Z,50.00,EUR,confirmed,one_off,,online,,,,\n\
             paypal:42,2023-12-01T11:00:00Z,20.00,EUR,confirmed,one_off,,online,,,,\n\
             helloasso:payment:42,2023-12-01T12:00:00Z,10.00,EUR,confirmed,one_off,,online,,,,\n\
             x%_*,2023-12-01T13:00:00Z,5.00,EUR,confirmed,one_off,,online,,,,\n"
        ),
    )
    .unwrap();
    let output = import(&store, &file).wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let history = |id: &str| {
        jauge()
            .args(["history", id, "--ledger"])
            .arg(&store)
            .output()
            .unwrap()
    };
    let found = history("ch_3OMe");
    assert!(found.status.success(), "{}", stderr(&found));
    assert!(stderr(&found).contains("ch_3OMe is the gift stripe:ch_3OMe"));
    assert!(crate::support::stdout(&found).contains("id stripe:ch_3OMe, received_at"));
    let both = history("42");
    assert!(!both.status.success());
    assert!(
        stderr(&both).contains(
            "several gifts are \"42\" on a platform: name one of paypal:42, helloasso:payment:42"
        ),
        "{}",
        stderr(&both)
    );
    assert!(history("payment:42").status.success());
    // Compared as text: pattern characters match only themselves.
    assert!(!history("%").status.success());
    assert!(!history("_*").status.success());
}
