//! Gifts in other currencies, converted at the ECB's reference rates (its historical and its
//! daily file, fixtures written in the ECB's layout) or at a fixed table.

use std::path::{Path, PathBuf};

use crate::support::{fixture, jauge, stderr, stdout};

const HEADER: &str =
    "id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by";

/// A campaign in euros over December 2023 with `gifts` (lines of its CSV ledger) and `rates`
/// (the `[rates]` table's body).
fn campaign(dir: &Path, gifts: &[&str], rates: &str) -> PathBuf {
    for file in ["eurofxref-hist.csv", "eurofxref.csv"] {
        std::fs::copy(fixture(file), dir.join(file)).unwrap();
    }
    std::fs::write(
        dir.join("ledger.csv"),
        format!("{HEADER}\n{}\n", gifts.join("\n")),
    )
    .unwrap();
    let path = dir.join("campaign.toml");
    std::fs::write(
        &path,
        format!(
            "name = \"Winter\"\ngoal = \"1000 EUR\"\ntime_zone = \"Europe/Paris\"\nstart = \"2023-12-01\"\n\
             deadline = \"2023-12-31\"\nledgers = [\"ledger.csv\"]\n{rates}"
        ),
    )
    .unwrap();
    path
}

fn run(campaign: &Path, args: &[&str]) -> std::process::Output {
    jauge()
        .args(args)
        .args(["--at", "2024-01-05", "--campaign"])
        .arg(campaign)
        .output()
        .unwrap()
}

const GIFTS: [&str; 4] = [
    "e-1,2023-12-22T10:00:00Z,100.00,EUR,confirmed,one_off,,online,a,,,",
    // Before 16:00 in Frankfurt on the 27th: the 22nd's rate (1.1023; none from 23 to 26).
    "u-1,2023-12-27T10:00:00Z,100.00,USD,confirmed,one_off,,online,b,2.00,,",
    // After it on the 28th: the 28th's (1.1114).
    "u-2,2023-12-28T16:00:00Z,50.00,USD,confirmed,one_off,,online,c,,,",
    // At noon on the 29th: the 28th's (0.87065 GBP per euro).
    "g-1,2023-12-29T12:00:00Z,20.00,GBP,confirmed,one_off,,online,d,,,",
];

#[test]
fn gifts_in_other_currencies_count_at_the_ecb_rate_of_their_day() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign(
        dir.path(),
        &GIFTS,
        "[rates]\necb = \"eurofxref-hist.csv\"\n",
    );
    let output = run(&path, &["status", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let status: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    // 100 + 100/1.1023 (90.72) + 50/1.1114 (44.99) + 20/0.87065 (22.97), each rounded once.
    assert_eq!(status["raised"]["amount"], "258.68");
    // The fee converted at the same rate: 2/1.1023 = 1.81.
    assert_eq!(status["breakdown"]["fees"]["amount"], "1.81");
    let output = run(&path, &["report", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let currencies = report["currencies"].as_array().unwrap();
    assert_eq!(currencies.len(), 2);
    assert_eq!(currencies[0]["original"]["currency"], "GBP");
    assert_eq!(currencies[1]["original"]["amount"], "150.00");
    assert_eq!(currencies[1]["converted"]["amount"], "135.71");
    assert_eq!(currencies[1]["first_day"], "2023-12-22");
    assert_eq!(currencies[1]["last_day"], "2023-12-28");
    let text = stdout(&run(&path, &["report"]));
    assert!(text.contains("Other currencies"), "{text}");
    assert!(
        text.contains(
            "  USD           2   $150.00    €135.71  0.8998–0.9072 EUR  2023-12-22 – 2023-12-28"
        ),
        "{text}"
    );
    let french = stdout(&run(&path, &["report", "--format", "md", "--lang", "fr"]));
    assert!(french.contains("## Autres devises"), "{french}");
    // The workbook has the sheet, amounts as numbers.
    use calamine::{Data, Reader};
    let xlsx = dir.path().join("report.xlsx");
    let output = run(
        &path,
        &[
            "report",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = workbook.worksheet_range("Other currencies").unwrap();
    assert_eq!(sheet.get((2, 0)), Some(&Data::String("USD".into())));
    assert_eq!(sheet.get((2, 3)), Some(&Data::Float(135.71)));
}

#[test]
fn the_ecb_daily_file_and_a_fixed_table_convert_too() {
    let dir = tempfile::tempdir().unwrap();
    let gift = ["u-1,2023-12-21T10:00:00Z,100.00,USD,confirmed,one_off,,online,b,,,"];
    // The daily file's one day, 20 December: 100 / 1.0944.
    let path = campaign(dir.path(), &gift, "[rates]\necb = \"eurofxref.csv\"\n");
    let status: serde_json::Value =
        serde_json::from_str(&stdout(&run(&path, &["status", "--format", "json"]))).unwrap();
    assert_eq!(status["raised"]["amount"], "91.37");
    let path = campaign(
        dir.path(),
        &gift,
        "[rates]\nfixed = { USD = \"0.9 EUR\" }\n",
    );
    let status: serde_json::Value =
        serde_json::from_str(&stdout(&run(&path, &["status", "--format", "json"]))).unwrap();
    assert_eq!(status["raised"]["amount"], "90.00");
}

#[test]
fn a_gift_without_a_rate_and_a_bad_rates_file_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let early = ["u-0,2023-12-15T10:00:00Z,10.00,USD,confirmed,one_off,,online,b,,,"];
    let path = campaign(
        dir.path(),
        &early,
        "[rates]\necb = \"eurofxref-hist.csv\"\n",
    );
    // Kept, not counted, with its reason: the status still builds.
    let output = stdout(&run(&path, &["status"]));
    assert!(
        output.contains(
            "$10.00 (1 gift): another currency, and the rates have none for its day; e.g. u-0"
        ),
        "{output}"
    );
    // Without rates, the reason names the way out.
    let path = campaign(dir.path(), &GIFTS, "");
    let output = stdout(&run(&path, &["status"]));
    assert!(
        output.contains("the campaign declares no rates ([rates])"),
        "{output}"
    );
    // A rates file out of the ECB's layout: the file, the line and the column.
    std::fs::write(
        dir.path().join("bad.csv"),
        "Date,USD\n2023-12-01,1.1\n2023-12-02,one\n",
    )
    .unwrap();
    let path = campaign(dir.path(), &GIFTS, "[rates]\necb = \"bad.csv\"\n");
    let error = stderr(&run(&path, &["status"]));
    assert!(
        error.contains("bad.csv:3: column \"2\": \"one\" is not a rate"),
        "{error}"
    );
    // Both sources, or a rate in another currency: refused, naming the key.
    let path = campaign(
        dir.path(),
        &GIFTS,
        "[rates]\necb = \"eurofxref.csv\"\nfixed = { USD = \"0.9 EUR\" }\n",
    );
    assert!(stderr(&run(&path, &["status"])).contains("give either ecb"));
    let path = campaign(
        dir.path(),
        &GIFTS,
        "[rates]\nfixed = { USD = \"0.9 GBP\" }\n",
    );
    assert!(stderr(&run(&path, &["status"])).contains("rates.fixed: the rate of USD is in GBP"));
}

/// Gifts in a store convert the same, and the store's saved tallies are not reused once the
/// rates change: the figures follow the rates file.
#[test]
fn a_store_follows_its_rates_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = campaign(
        dir.path(),
        &GIFTS,
        "[rates]\necb = \"eurofxref-hist.csv\"\n",
    );
    let toml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("ledgers = [\"ledger.csv\"]", "ledger = \"donations.db\"");
    std::fs::write(&path, toml).unwrap();
    let output = jauge()
        .args(["import", "--from", "jauge"])
        .arg(dir.path().join("ledger.csv"))
        .arg("--campaign")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let raised = || {
        let output = run(&path, &["status", "--format", "json"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let status: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        status["raised"]["amount"].as_str().unwrap().to_owned()
    };
    assert_eq!(raised(), "258.68");
    assert_eq!(raised(), "258.68", "again, from the saved tally");
    // The 22nd's dollar rate revised: 100 / 1.25 = 80.00 instead of 90.72.
    let rates = std::fs::read_to_string(dir.path().join("eurofxref-hist.csv"))
        .unwrap()
        .replace("2023-12-22,1.1023,", "2023-12-22,1.25,");
    std::fs::write(dir.path().join("eurofxref-hist.csv"), rates).unwrap();
    assert_eq!(raised(), "247.96");
}
