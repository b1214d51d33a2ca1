//! Gifts entered by hand: `jauge add` records a cheque, cash or a transfer through the store's
//! rules and journal (who, when, why), `jauge void` cancels one with a reason, never deleting it;
//! both show in `history`, and the figures follow at once, on the real clock.

use std::path::Path;

use chrono::Utc;

use crate::live::running_now;
use crate::support::{jauge, stderr, stdout};

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    jauge()
        .args(args)
        .arg("--campaign")
        .arg(dir.join("campaign.toml"))
        .env("USER", "treasurer")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> (String, String) {
    let output = run(dir, args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    (stdout(&output), stderr(&output))
}

fn refused(dir: &Path, args: &[&str]) -> String {
    let output = run(dir, args);
    assert!(
        !output.status.success(),
        "{args:?} was taken: {}",
        stderr(&output)
    );
    stderr(&output)
}

/// The campaign's figures now, on the real clock.
fn now(dir: &Path) -> serde_json::Value {
    let (json, _) = ok(dir, &["status", "--format", "json"]);
    serde_json::from_str(&json).unwrap()
}

#[test]
fn a_cheque_is_added_confirmed_and_voided_with_its_history() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    // No store yet: the first gift makes it. A day is the day's start in the campaign's zone.
    let two_days_ago = (Utc::now() - chrono::Duration::days(2))
        .date_naive()
        .to_string();
    // The cheque CHQ-4512 of two days ago, for `amount` euros.
    let cheque = |amount: &'static str| -> Vec<&str> {
        vec![
            "add",
            amount,
            "EUR",
            "--at",
            &two_days_ago,
            "--id",
            "CHQ-4512",
        ]
    };
    let (id, said) = ok(
        dir,
        &[
            "add",
            "150",
            "EUR",
            "--channel",
            "cheque",
            "--at",
            &two_days_ago,
            "--id",
            "CHQ-4512",
            "--pending",
            "--donor",
            "jeanne@example.org",
            "--note",
            "at the autumn fair",
        ],
    );
    assert_eq!(id.trim(), "manual:CHQ-4512");
    assert!(
        said.contains("pending (not counted until confirmed)"),
        "{said}"
    );
    assert!(said.contains("00:00 (Europe/Paris)"), "{said}");
    let status = now(dir);
    assert_eq!(status["raised"]["amount"], "0.00", "pending: not counted");
    // The same reference without --pending: confirmed, through the store's rules.
    let (_, said) = ok(dir, &cheque("150"));
    assert!(said.contains("confirmed"), "{said}");
    assert_eq!(now(dir)["raised"]["amount"], "150.00");
    // Again: nothing twice.
    let (_, said) = ok(dir, &cheque("150"));
    assert!(said.contains("nothing added"), "{said}");
    // The same reference with another amount: refused, the one held named.
    let said = refused(dir, &cheque("160"));
    assert!(
        said.contains("amount 150.00 EUR there, 160.00 EUR here"),
        "{said}"
    );
    // Cash at a stand, now, with no reference: a gift of its own each time.
    let (first, _) = ok(dir, &["add", "20", "EUR", "--channel", "cash"]);
    let (second, _) = ok(dir, &["add", "20", "EUR", "--channel", "cash"]);
    assert_ne!(first, second);
    assert!(first.trim().starts_with("manual:"), "{first}");
    let status = now(dir);
    assert_eq!(status["raised"]["amount"], "190.00");
    assert_eq!(status["donations"], 3);

    // The bounced cheque: voided with a reason, no longer counted, kept.
    let (_, said) = ok(
        dir,
        &[
            "void",
            "CHQ-4512",
            "--reason",
            "bounced: insufficient funds",
        ],
    );
    assert!(said.contains("voided manual:CHQ-4512"), "{said}");
    assert_eq!(now(dir)["raised"]["amount"], "40.00");
    let (_, said) = ok(dir, &["void", "manual:CHQ-4512", "--reason", "again"]);
    assert!(said.contains("voided already"), "{said}");
    // It stays cancelled: the rules would take a confirmed report of it as progress.
    let said = refused(dir, &cheque("150"));
    assert!(
        said.contains("cancelled with jauge void (bounced: insufficient funds)"),
        "{said}"
    );
    assert_eq!(now(dir)["raised"]["amount"], "40.00");

    // Nor may an import bring it back: a ledger that lists it confirmed is refused, by name.
    let (exported, _) = ok(dir, &["export"]);
    let header = exported.lines().next().unwrap();
    let row = exported
        .lines()
        .find(|l| l.starts_with("manual:CHQ-4512,"))
        .unwrap()
        .replace(",failed,", ",confirmed,");
    let ledger = dir.join("again.csv");
    std::fs::write(&ledger, format!("{header}\n{row}\n")).unwrap();
    let output = jauge()
        .args(["import", "--from", "jauge", "--campaign"])
        .arg(dir.join("campaign.toml"))
        .arg(&ledger)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cancelled (bounced: insufficient funds) and stays so"),
        "{}",
        stderr(&output)
    );
    assert_eq!(now(dir)["raised"]["amount"], "40.00");

    // The journal: who, when, why, for every step; the gift still there.
    let (history, _) = ok(dir, &["history", "manual:CHQ-4512"]);
    let lines: Vec<&str> = history.lines().collect();
    assert!(
        lines[0].contains("created") && lines[0].contains("jauge add, by treasurer"),
        "{history}"
    );
    assert!(history.contains("status pending"), "{history}");
    assert!(history.contains("at the autumn fair"), "{history}");
    assert!(history.contains("status: pending → confirmed"), "{history}");
    assert!(
        history.contains("from jauge void, by treasurer"),
        "{history}"
    );
    assert!(history.contains("status: confirmed → failed"), "{history}");
    assert!(
        !history.contains("voided: voided:"),
        "the reason journaled once: {history}"
    );
    assert!(
        history.contains("voided: bounced: insufficient funds"),
        "{history}"
    );
    let (exported, _) = ok(dir, &["export"]);
    assert!(
        exported.contains("manual:CHQ-4512,"),
        "never deleted: {exported}"
    );
    // The donor kept as a key, never as given.
    assert!(!exported.contains("jeanne@example.org"), "{exported}");
}

#[test]
fn what_cannot_be_a_gift_entered_by_hand_is_refused_by_name() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    running_now(dir);
    for (args, expected) in [
        (vec!["add", "-5", "EUR"], "a gift is above zero"),
        (vec!["add", "0", "EUR"], "a gift is above zero"),
        (vec!["add", "abc", "EUR"], "is not an amount"),
        (
            vec!["add", "1.234", "EUR"],
            "no more decimals than its currency has",
        ),
        (vec!["add", "10", "EURO"], "is not a currency"),
        (
            vec!["add", "10", "EUR", "--at", "31/12/2026"],
            "(from its start)",
        ),
        (
            vec!["add", "10", "EUR", "--id", " "],
            "a reference of printable characters",
        ),
        (
            vec!["void", "stripe:ch_1", "--reason", "x"],
            "came from a platform",
        ),
        (
            vec!["void", "CHQ-1", "--reason", " "],
            "why the gift is cancelled",
        ),
    ] {
        let said = refused(dir, &args);
        assert!(said.contains(expected), "{args:?}: {said}");
    }
    // Nothing was written by any of them: the store does not exist.
    assert!(!dir.join("donations.db").exists());
    ok(dir, &["add", "10", "EUR"]);
    let said = refused(dir, &["void", "CHQ-1", "--reason", "never entered"]);
    assert!(said.contains("no gift with id \"manual:CHQ-1\""), "{said}");
}
