//! `jauge status` and `jauge appeal`.

use jauge::StatusDocument;

use crate::support::{campaign, import_into, jauge, scratch, stderr, stdout};

/// `jauge status --format json` of `campaign` at the example's instant.
fn status_json(campaign: &std::path::Path) -> std::process::Output {
    jauge()
        .args([
            "status",
            "--format",
            "json",
            "--at",
            "2023-12-26T08:00:00+01:00",
            "--campaign",
        ])
        .arg(campaign)
        .output()
        .unwrap()
}

#[test]
fn json_is_exactly_the_shared_status_document() {
    let output = status_json(&campaign());
    assert!(output.status.success(), "{}", stderr(&output));
    let document = StatusDocument::from_json(&stdout(&output)).unwrap();
    assert_eq!(document.raised().to_string(), "390.00 EUR");
    assert_eq!(document.to_json_pretty() + "\n", stdout(&output));
}

#[test]
fn text_status() {
    let output = jauge()
        .args([
            "status",
            "--at",
            "2023-12-26T08:00:00+01:00",
            "--lang",
            "fr",
            "--campaign",
        ])
        .arg(campaign())
        .output()
        .unwrap();
    insta::assert_snapshot!(stdout(&output), @r#"
    Test campaign — au 2023-12-26 08:00 Europe/Paris
      collecté              390,00 € sur 1 000,00 € (39 %)
      reste à collecter     610,00 €
      temps restant         5 jours (jusqu’au 2024-01-01 00:00)
      donateurs             4 (4 dons)
      prochaine étape       Halfway à 500,00 €
      rythme                40,00 € par jour sur les 7 derniers jours
      nécessaire            107,65 € par jour jusqu’à l’échéance
      projection            616,67 € à l’échéance (en deçà de l’objectif), au rythme des 7 derniers jours
      compté                Dons confirmés, frais inclus, remboursements déduits, dons réguliers comptés à leur réception.
      non compté            1 en attente (80,00 €), 0 échoués, 0 avant le début, 0 après l’échéance, 0 après cet instant
    "#);
}

#[test]
fn at_reproduces_the_countdown_examples() {
    let told = |morning: &str| {
        let output = jauge()
            .args([
                "appeal",
                "--at",
                &format!("{morning}T09:00:00+01:00"),
                "--campaign",
            ])
            .arg(campaign())
            .output()
            .unwrap();
        stdout(&output)
    };
    let phrases: Vec<String> = [
        "2023-11-21",
        "2023-11-28",
        "2023-12-05",
        "2023-12-12",
        "2023-12-19",
        "2023-12-26",
        "2023-12-28",
    ]
    .iter()
    .map(|day| told(day))
    .collect();
    insta::assert_snapshot!(phrases.concat(), @"
    We have six weeks left to raise €900: we can't do it without your help!
    We have five weeks left to raise €900: we can't do it without your help!
    We have four weeks left to raise €890: we can't do it without your help!
    We have three weeks left to raise €890: we can't do it without your help!
    We have 12 days left to raise €890: we can't do it without your help!
    We have 5 days left to raise €610: we can't do it without your help!
    We have 3 days left to raise €610: we can't do it without your help!
    ");
}

#[test]
fn a_donation_in_another_currency_is_kept_as_not_counted() {
    let dir = scratch(&["campaign.toml", "ledger.csv"]);
    let ledger = dir.path().join("ledger.csv");
    let text = std::fs::read_to_string(&ledger).unwrap().replace(
        "t-3,2023-12-20T10:00:00Z,250.00,EUR",
        "t-3,2023-12-20T10:00:00Z,250.00,USD",
    );
    std::fs::write(&ledger, text).unwrap();
    import_into(&dir.path().join("donations.db"), &ledger);
    let output = jauge()
        .args(["status", "--at", "2023-12-26T08:00:00+01:00", "--campaign"])
        .arg(dir.path().join("campaign.toml"))
        .output()
        .unwrap();
    // Kept in the store and shown as not counted, with its reason: the other gifts still count.
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("cannot count    $250.00 (1 gift): another currency, and the campaign declares no rates ([rates]); e.g. t-3"),
        "{text}"
    );
    let json = status_json(&dir.path().join("campaign.toml"));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        json["breakdown"]["excluded"]["not_counted"][0]["amount"],
        serde_json::json!({ "amount": "250.00", "currency": "USD" })
    );
}

#[test]
fn help_on_every_command() {
    for command in [
        "import",
        "status",
        "appeal",
        "report",
        "budget",
        "completions",
    ] {
        jauge().args([command, "--help"]).assert().success();
    }
    let output = jauge().args(["completions", "bash"]).output().unwrap();
    assert!(stdout(&output).contains("_jauge()"));
}

/// A campaign file key that names a folder, or a budget that is not there, is named with the
/// campaign file and the key, not left to fail later under the folder's name.
#[test]
fn a_key_naming_a_folder_names_the_campaign_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let campaign = dir.path().join("c.toml");
    let base = "name = \"X\"\ngoal = \"100 EUR\"\ntime_zone = \"Europe/Paris\"\nstart = \"2023-11-14\"\ndeadline = \"2023-12-31\"\n";
    for (line, expected) in [
        ("ledgers = [\".\"]", "c.toml: ledgers: \".\" is a folder"),
        ("ledger = \".\"", "c.toml: ledger: \".\" is a folder"),
        (
            "budget_file = \".\"",
            "c.toml: budget_file: \".\" is a folder",
        ),
        ("budget_file = \"nope.toml\"", "c.toml: budget_file: "),
    ] {
        std::fs::write(&campaign, format!("{base}{line}\n")).unwrap();
        let output = crate::support::jauge()
            .args(["status", "--campaign"])
            .arg(&campaign)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{line}");
        let said = crate::support::stderr(&output);
        assert!(said.contains(expected), "{line}: {said}");
    }
}

/// `--at` a day is the end of that day in the campaign's zone, as `--to` and a deadline read
/// it; a wall-clock time is in the campaign's zone too.
#[test]
fn at_a_day_is_the_end_of_that_day_in_the_campaigns_zone() {
    let json = |at: &str| {
        let output = jauge()
            .args(["status", "--format", "json", "--at", at, "--campaign"])
            .arg(campaign())
            .output()
            .unwrap();
        assert!(output.status.success(), "{at}: {}", stderr(&output));
        stdout(&output)
    };
    assert_eq!(json("2023-12-13"), json("2023-12-14T00:00:00+01:00"));
    assert_eq!(json("2023-12-13T09:30"), json("2023-12-13T08:30:00Z"));
    let output = jauge()
        .args(["status", "--at", "13/12/2023", "--campaign"])
        .arg(campaign())
        .output()
        .unwrap();
    // The same words as --from and --to, and the form to write instead.
    assert!(
        stderr(&output)
            .contains("days are written year-month-day, such as 2023-12-18 (the end of that day)"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains(": write 2023-12-13"),
        "{}",
        stderr(&output)
    );
}

/// The guide's getting started shows what the two commands print, exactly.
#[test]
fn the_getting_started_page_is_what_the_commands_print() {
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/src/getting-started.md"
    ))
    .unwrap();
    let start = readme
        .find("Framasoft 2023 — as of 2023-12-26 08:00")
        .unwrap();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let run = |command: &str| {
        let output = jauge()
            .args([command, "--at", "2023-12-26T08:00:00+01:00", "--campaign"])
            .arg(crate::support::example())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    assert_eq!(shown, format!("{}\n{}", run("status"), run("appeal")));
}

/// `jauge status --lang` speaks the language of its numbers: no English label is left in the
/// other five.
#[test]
fn status_text_is_in_one_language() {
    let english = [
        "raised",
        "still to raise",
        "time left",
        "donors",
        "pace",
        "needed",
        "not counted",
        "a day",
        "until",
        "as of",
        "gifts",
        "pending",
    ];
    for lang in ["fr", "de", "es", "it", "nl"] {
        let output = jauge()
            .args([
                "status",
                "--lang",
                lang,
                "--at",
                "2023-12-13T12:00:00+01:00",
                "--campaign",
            ])
            .arg(campaign())
            .output()
            .unwrap();
        assert!(output.status.success(), "{lang}: {}", stderr(&output));
        let text = stdout(&output);
        for word in english {
            let words: Vec<&str> = text
                .split(|c: char| !c.is_alphabetic() && c != ' ')
                .collect();
            assert!(
                !words
                    .iter()
                    .any(|w| w.trim() == word || w.contains(&format!(" {word} "))),
                "{lang}: {word:?} in\n{text}"
            );
        }
    }
}

/// `jauge report --lang` likewise, in text and Markdown: headings, row and column labels and
/// channel names are in the report's language (never `bank_transfer`).
#[test]
fn report_text_is_in_one_language() {
    let english = [
        "report from",
        "Totals",
        "gifts in the range",
        "By channel",
        "Week by week",
        "Day by day",
        "cumulative",
        "% of goal",
        "monthly recurring amount",
        "matched by sponsors",
        "bank_transfer",
        "online",
    ];
    for lang in ["fr", "de", "es", "it", "nl"] {
        for format in ["text", "md"] {
            let output = jauge()
                .args(["report", "--lang", lang, "--format", format])
                .args(["--to", "2023-12-13", "--campaign"])
                .arg(campaign())
                .output()
                .unwrap();
            assert!(output.status.success(), "{lang}: {}", stderr(&output));
            let text = stdout(&output);
            for word in english {
                // "online" is the same word in German, Italian and Dutch.
                if word == "online" && ["de", "it", "nl"].contains(&lang) {
                    continue;
                }
                assert!(!text.contains(word), "{lang} {format}: {word:?} in\n{text}");
            }
        }
    }
}
