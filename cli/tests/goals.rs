//! A campaign counting donors, with a sponsor's matching pledge: every surface follows the goal
//! and shows the match apart from what donors gave, on the real clock.

use std::path::Path;

use chrono::Utc;

use crate::support::{jauge, stderr, stdout};

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = jauge()
        .args(args)
        .arg("--campaign")
        .arg(dir.join("campaign.toml"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
}

/// A campaign running now toward three donors, with a sponsor who doubles gifts up to €100.
fn toward_donors(dir: &Path) {
    let today = Utc::now().date_naive();
    std::fs::write(
        dir.join("campaign.toml"),
        format!(
            "name = \"Three friends\"\ngoal = \"3 donors\"\ncurrency = \"EUR\"\n\
             time_zone = \"Europe/Paris\"\nstart = \"{}\"\ndeadline = \"{}\"\n\
             milestones = [{{ amount = \"2 donors\", label = \"Two\" }}]\n\n\
             [[matching]]\nsponsor = \"Fondation Exemple\"\nratio = \"1\"\nup_to = \"100 EUR\"\n",
            today - chrono::Days::new(10),
            today + chrono::Days::new(20),
        ),
    )
    .unwrap();
}

#[test]
fn on_the_real_clock_a_gauge_counts_donors_and_shows_the_match_apart() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    toward_donors(dir);
    ok(dir, &["add", "50", "EUR", "--donor", "alice"]);
    ok(dir, &["add", "30", "EUR", "--donor", "bob"]);
    // Alice again: a gift, not a donor.
    ok(dir, &["add", "5", "EUR", "--donor", "alice"]);
    let status: serde_json::Value =
        serde_json::from_str(&ok(dir, &["status", "--format", "json"])).unwrap();
    assert_eq!(status["campaign"]["goal"], serde_json::json!({"donors": 3}));
    assert_eq!(status["progress"], serde_json::json!({"donors": 2}));
    assert_eq!(status["remaining"], serde_json::json!({"donors": 1}));
    assert_eq!(status["raised"]["amount"], "85.00");
    assert_eq!(status["matching"][0]["amount"]["amount"], "85.00");
    assert_eq!(status["milestones"][0]["reached"], true);

    let text = ok(dir, &["status"]);
    assert!(text.contains("raised          €85.00"), "{text}");
    assert!(
        text.contains(
            "matching        Fondation Exemple: €85.00 (€1.00 for each €1 given, up to €100.00)"
        ),
        "{text}"
    );
    assert!(
        text.contains("toward the goal 2 donors of 3 donors (66%)"),
        "{text}"
    );
    assert!(text.contains("to go           1 donor"), "{text}");

    let snippet = ok(dir, &["snippet"]);
    assert!(snippet.contains(">2 donors</strong> of <span"), "{snippet}");
    assert!(snippet.contains(">3 donors</span>"), "{snippet}");
    assert!(
        snippet.contains("Fondation Exemple matches gifts: €85"),
        "{snippet}"
    );
    assert!(snippet.contains("left and 1 donor to go"), "{snippet}");
    let badge = ok(dir, &["badge"]);
    assert!(
        badge.contains("Three friends: 2 donors of 3 donors"),
        "{badge}"
    );
    assert!(badge.contains("€85 raised ·"), "{badge}");
    let badge = ok(dir, &["badge", "--shape", "bar"]);
    assert!(badge.contains("2 donors / 3 donors"), "{badge}");
    let report = ok(dir, &["report", "--format", "md"]);
    assert!(
        report.contains("| matching: Fondation Exemple | €85.00 |"),
        "{report}"
    );
    assert!(
        report.contains("| toward the goal | 2 donors |"),
        "{report}"
    );
    let card = dir.join("card.png");
    ok(dir, &["card", "--out", card.to_str().unwrap()]);
    assert!(std::fs::metadata(&card).unwrap().len() > 1000);

    // A third donor: the goal is reached, the pledge capped.
    ok(dir, &["add", "40", "EUR", "--donor", "carol"]);
    let status: serde_json::Value =
        serde_json::from_str(&ok(dir, &["status", "--format", "json"])).unwrap();
    assert_eq!(status["reached"], true);
    assert_eq!(status["percent_display"], 100);
    assert_eq!(status["matching"][0]["amount"]["amount"], "100.00");
    // The sponsor pays part of its pledge in: that is the pledge's payment, not a gift to
    // match again.
    ok(
        dir,
        &[
            "add",
            "60",
            "EUR",
            "--channel",
            "transfer",
            "--matched-by",
            "Fondation Exemple",
        ],
    );
    let status: serde_json::Value =
        serde_json::from_str(&ok(dir, &["status", "--format", "json"])).unwrap();
    assert_eq!(status["raised"]["amount"], "185.00");
    assert_eq!(status["breakdown"]["matched"]["amount"], "60.00");
    assert_eq!(status["matching"][0]["amount"]["amount"], "100.00");
    let snippet = ok(dir, &["snippet", "--lang", "fr"]);
    assert!(
        snippet.contains(">3 donateurs</strong> sur <span"),
        "{snippet}"
    );
}

#[test]
fn a_goal_in_donors_without_its_currency_is_refused_by_name() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    toward_donors(dir);
    let campaign = std::fs::read_to_string(dir.join("campaign.toml")).unwrap();
    // What `jauge status` says of the campaign file with `from` written `to`.
    let refused = |from: &str, to: &str| {
        std::fs::write(dir.join("campaign.toml"), campaign.replace(from, to)).unwrap();
        let output = jauge()
            .args(["status", "--campaign"])
            .arg(dir.join("campaign.toml"))
            .output()
            .unwrap();
        assert!(!output.status.success(), "{from} as {to} was taken");
        stderr(&output)
    };
    let said = refused("currency = \"EUR\"\n", "");
    assert!(
        said.contains("a goal of 3 donors needs the currency gifts are counted in"),
        "{said}"
    );
    let said = refused("\"2 donors\"", "\"2 EUR\"");
    assert!(
        said.contains("the goal counts donors, as milestones must"),
        "{said}"
    );
}
