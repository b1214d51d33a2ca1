//! The status document: the fixture every other crate reads is the one this computes.

use jauge::{Locale, StatusDocument};

use crate::support::{fixture_campaign, fixture_ledger, fixture_now};

const FIXTURE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/status-document.json"
);

/// The fixture is a snapshot: it must be exactly what the core computes today. Run with
/// `JAUGE_BLESS=1` to rewrite it after an intended change, and review the diff.
#[test]
fn the_fixture_is_what_the_core_computes() {
    let status = fixture_campaign()
        .status(&fixture_ledger(), fixture_now())
        .unwrap();
    let computed = status.to_json_pretty() + "\n";
    if std::env::var_os("JAUGE_BLESS").is_some() {
        std::fs::write(FIXTURE_PATH, &computed).unwrap();
    }
    let stored = std::fs::read_to_string(FIXTURE_PATH).unwrap();
    assert_eq!(
        stored, computed,
        "the status document changed: review, then JAUGE_BLESS=1"
    );
    assert_eq!(StatusDocument::from_json(&stored).unwrap(), status);
}

#[test]
fn headline_figures_of_the_fixture() {
    let status = fixture_campaign()
        .status(&fixture_ledger(), fixture_now())
        .unwrap();
    assert_eq!(status.raised().to_string(), "128602.42 EUR");
    assert_eq!(status.remaining().to_string(), "71397.58 EUR");
    assert_eq!(status.percent().to_string(), "64.30");
    assert_eq!(status.percent_display(), 64);
    // The sponsor paying its match in (ACME Coop) is not one of the donors.
    assert_eq!(status.donors(), 5);
    assert_eq!(status.donations(), 8);
    assert_eq!(
        status.next_milestone().unwrap().label.fallback(),
        "Budget balanced"
    );
    assert_eq!(
        status.current_milestone().unwrap().label.fallback(),
        "Halfway"
    );
    insta::assert_snapshot!(status.appeal(Locale::En), @"If we are to balance our budget for 2024, we have 5 days left to raise €71,398: we can't do it without your help!");
    insta::assert_snapshot!(status.appeal(Locale::Fr), @"Pour boucler notre budget 2024, il nous reste 5 jours pour collecter 71 398 € : nous ne pouvons pas y arriver sans votre aide !");
}

#[test]
fn every_figure_survives_a_round_trip() {
    let status = fixture_campaign()
        .status(&fixture_ledger(), fixture_now())
        .unwrap();
    let compact = serde_json::to_string(&status).unwrap();
    let back = StatusDocument::from_json(&compact).unwrap();
    assert_eq!(back, status);
    assert_eq!(serde_json::to_string(&back).unwrap(), compact);
    // No amount travels as a JSON number.
    let value: serde_json::Value = serde_json::from_str(&compact).unwrap();
    let mut numbers = Vec::new();
    collect_number_paths(&value, String::new(), &mut numbers);
    // Counts, seconds, stage thresholds (whole percents) and the schema version: never an amount.
    assert_eq!(
        numbers,
        [
            "breakdown.active_subscriptions",
            "breakdown.by_channel[0].count",
            "breakdown.by_channel[1].count",
            "breakdown.by_channel[2].count",
            "breakdown.by_channel[3].count",
            "breakdown.excluded.after_as_of.count",
            "breakdown.excluded.after_deadline.count",
            "breakdown.excluded.before_start.count",
            "breakdown.excluded.failed.count",
            "breakdown.pending.count",
            "breakdown.subscriptions",
            "campaign.stages[0]",
            "campaign.stages[1]",
            "campaign.stages[2]",
            "campaign.stages[3]",
            "campaign.stages[4]",
            "donations",
            "donors",
            "percent_display",
            "schema",
            "stage.threshold",
            "time.elapsed_seconds",
            "time.left.count",
            "time.left.seconds",
        ]
    );
}

fn collect_number_paths(value: &serde_json::Value, path: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Number(_) => out.push(path),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_number_paths(item, format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                collect_number_paths(item, child, out);
            }
        }
        _ => {}
    }
}
