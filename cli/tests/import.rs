//! `jauge import`: every source, idempotence, overlaps, conflicts and every class of bad input.

use crate::support::{holds_nothing, jauge, ledger_text, read, scratch, stderr};

/// Imports `files` from `source` into a fresh store and returns its gifts as a CSV ledger.
fn import_fresh(source: &str, files: &[&str], extra: &[&str]) -> String {
    let dir = scratch(files);
    let ledger = dir.path().join("ledger.db");
    let mut command = jauge();
    command
        .args(["import", "--from", source, "--into"])
        .arg(&ledger);
    for file in files {
        command.arg(dir.path().join(file));
    }
    command.args(extra).assert().success();
    ledger_text(&ledger)
}

/// Writes `text` as the export `name` in a scratch folder and imports it from `source` into a
/// store there: the folder (kept alive) and what the command did.
fn import_text(source: &str, name: &str, text: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join(name);
    std::fs::write(&export, text).unwrap();
    let output = jauge()
        .args(["import", "--from", source, "--into"])
        .arg(dir.path().join("l.db"))
        .arg(&export)
        .output()
        .unwrap();
    (dir, output)
}

#[test]
fn framasoft_json() {
    let ledger = import_fresh(
        "framasoft",
        &["framasoft.json"],
        &["--currency", "EUR", "--time-zone", "Europe/Paris"],
    );
    insta::assert_snapshot!(ledger, @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    framasoft:20231029T023000:0.10:once:1,2023-10-29T00:30:00Z,0.10,EUR,confirmed,one_off,,online,,,,
    framasoft:20231212T080700:30.00:once:1,2023-12-12T07:07:00Z,30.00,EUR,confirmed,one_off,,online,,,,
    framasoft:20231212T080700:30.00:once:2,2023-12-12T07:07:00Z,30.00,EUR,confirmed,one_off,,online,,,,
    framasoft:20231212T090000:10.50:monthly:1,2023-12-12T08:00:00Z,10.50,EUR,confirmed,monthly,framasoft:20231212T090000:10.50:monthly:1,online,,,,
    ");
}

#[test]
fn framasoft_needs_a_zone_and_a_currency() {
    let dir = scratch(&["framasoft.json"]);
    let output = jauge()
        .args(["import", "--from", "framasoft", "--into"])
        .arg(dir.path().join("l.db"))
        .arg(dir.path().join("framasoft.json"))
        .args(["--currency", "EUR"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("Framasoft dates are local times: give --time-zone or --campaign")
    );
    assert!(
        holds_nothing(&dir.path().join("l.db")),
        "nothing may be written on failure"
    );
}

#[test]
fn helloasso_csv_with_bom_crlf_and_french_amounts() {
    insta::assert_snapshot!(import_fresh("helloasso", &["helloasso.csv"], &[]), @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    helloasso:C-1001,2023-12-12T07:07:00Z,1234.50,EUR,confirmed,one_off,,online,h:7a64adf28737ea90719cbdf0,,,
    helloasso:C-1002,2023-12-13T09:00:00Z,15.00,EUR,confirmed,monthly,helloasso:C-1002,online,h:686b5e4cf4f963adf8f51468,,,
    helloasso:C-1003,2023-12-14T10:30:00Z,50.00,EUR,refunded,one_off,,online,h:b39a07821bb2ed23b1d535a6,,20.00,
    helloasso:C-1004,2023-12-15T11:00:00Z,100.00,EUR,pending,one_off,,offline,,,,
    helloasso:C-1005,2023-12-16T11:00:00Z,25.00,EUR,failed,one_off,,online,h:7baae49012a217d21160df86,,,
    ");
}

#[test]
fn stripe_payments() {
    insta::assert_snapshot!(import_fresh("stripe", &["stripe_payments.csv"], &[]), @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    stripe:ch_3OMe1,2023-12-12T08:07:00Z,30.00,EUR,confirmed,one_off,,online,h:7a64adf28737ea90719cbdf0,0.67,,
    stripe:ch_3OMe2,2023-12-12T09:00:00Z,10.00,EUR,confirmed,monthly,stripe:sub_9,online,h:686b5e4cf4f963adf8f51468,0.39,,
    stripe:ch_3OMe3,2023-12-13T10:00:00Z,1000.00,EUR,refunded,one_off,,online,h:b39a07821bb2ed23b1d535a6,14.25,400.00,
    stripe:ch_3OMe4,2023-12-13T11:00:00Z,20.00,EUR,refunded,one_off,,online,h:7baae49012a217d21160df86,0.53,20.00,
    stripe:ch_3OMe5,2023-12-13T12:00:00Z,50.00,EUR,failed,one_off,,online,h:cf5e975e71823a18970eb99d,0.00,,
    ");
}

#[test]
fn stripe_balance() {
    insta::assert_snapshot!(import_fresh("stripe-balance", &["stripe_balance.csv"], &[]), @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    stripe:ch_3OMe1,2023-12-12T08:07:00Z,30.00,EUR,confirmed,one_off,,online,h:7a64adf28737ea90719cbdf0,0.67,,
    stripe:ch_3OMe3,2023-12-13T10:00:00Z,1000.00,EUR,refunded,one_off,,online,h:b39a07821bb2ed23b1d535a6,14.25,400.00,
    ");
}

#[test]
fn paypal_with_refund_listed_first() {
    insta::assert_snapshot!(import_fresh("paypal", &["paypal.csv"], &[]), @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    paypal:8AB00001,2023-12-19T09:15:00Z,25.00,EUR,refunded,one_off,,online,h:7a64adf28737ea90719cbdf0,0.95,10.00,
    paypal:8AB00002,2023-12-19T10:00:00Z,1250.00,EUR,confirmed,monthly,paypal:I-PROFILE7,online,h:686b5e4cf4f963adf8f51468,17.75,,
    ");
}

#[test]
fn importing_twice_adds_nothing_twice() {
    let dir = scratch(&["stripe_payments.csv", "stripe_balance.csv"]);
    let ledger = dir.path().join("ledger.db");
    let run = |source: &str, file: &str| {
        jauge()
            .args(["import", "--from", source, "--into"])
            .arg(&ledger)
            .arg(dir.path().join(file))
            .output()
            .unwrap()
    };
    let first = run("stripe", "stripe_payments.csv");
    assert!(first.status.success(), "{}", stderr(&first));
    let after_first = ledger_text(&ledger);
    let again = run("stripe", "stripe_payments.csv");
    assert!(
        stderr(&again).contains("0 added, 0 updated, 5 already present"),
        "{}",
        stderr(&again)
    );
    assert_eq!(ledger_text(&ledger), after_first);
    // The balance report overlaps the payments export (same charges, same refund).
    let overlap = run("stripe-balance", "stripe_balance.csv");
    assert!(
        stderr(&overlap).contains("0 added, 0 updated, 2 already present, 1 refunds applied"),
        "{}",
        stderr(&overlap)
    );
    assert!(
        stderr(&overlap).contains("stripe payout: 1 row skipped, not gifts"),
        "{}",
        stderr(&overlap)
    );
    assert_eq!(ledger_text(&ledger), after_first);
}

#[test]
fn a_later_export_updates_status_but_a_changed_amount_is_a_conflict() {
    let dir = scratch(&["stripe_payments.csv"]);
    let ledger = dir.path().join("ledger.db");
    let export = dir.path().join("stripe_payments.csv");
    jauge()
        .args(["import", "--from", "stripe", "--into"])
        .arg(&ledger)
        .arg(&export)
        .assert()
        .success();
    let refunded_later = read(&export).replace(
        "30.00,0.00,eur,true,30.00,0.00,0.67",
        "30.00,30.00,eur,true,30.00,30.00,0.67",
    );
    std::fs::write(dir.path().join("later.csv"), refunded_later).unwrap();
    let output = jauge()
        .args(["import", "--from", "stripe", "--into"])
        .arg(&ledger)
        .arg(dir.path().join("later.csv"))
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("0 added, 1 updated, 4 already present"),
        "{}",
        stderr(&output)
    );
    assert!(
        ledger_text(&ledger).contains("stripe:ch_3OMe1,2023-12-12T08:07:00Z,30.00,EUR,refunded")
    );

    let before = ledger_text(&ledger);
    let changed = read(&export).replace("2023-12-12 08:07:00,30.00", "2023-12-12 08:07:00,35.00");
    std::fs::write(dir.path().join("changed.csv"), changed).unwrap();
    let output = jauge()
        .args(["import", "--from", "stripe", "--into"])
        .arg(&ledger)
        .arg(dir.path().join("changed.csv"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = stderr(&output).replace(&dir.path().display().to_string(), "DIR");
    assert!(
        message.contains("DIR/changed.csv:2: donation stripe:ch_3OMe1 conflicts with DIR/stripe_payments.csv:2: amount 30.00 EUR there, 35.00 EUR here"),
        "{message}"
    );
    assert_eq!(
        ledger_text(&ledger),
        before,
        "a failed import must not touch the store"
    );
}

const HEADER: &str = "id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by\n";

/// Imports one jauge CSV and returns the error message, with the folder replaced by `DIR`.
fn import_error(content: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("donations.csv");
    std::fs::write(&input, content).unwrap();
    let ledger = dir.path().join("ledger.db");
    let output = jauge()
        .args(["import", "--from", "jauge", "--into"])
        .arg(&ledger)
        .arg(&input)
        .output()
        .unwrap();
    assert!(!output.status.success(), "should fail");
    assert!(holds_nothing(&ledger), "nothing may be written on failure");
    stderr(&output)
        .replace(&format!("{}/", dir.path().display()), "")
        .trim_end()
        .to_owned()
}

fn row(fields: &str) -> Vec<u8> {
    format!("{HEADER}{fields}\n").into_bytes()
}

#[test]
fn every_class_of_bad_input_is_named() {
    let good = "a,2023-12-12T08:07:00Z,5.00,EUR,confirmed,one_off,,online,,,,";
    insta::assert_snapshot!(import_error(&row(&good.replace("5.00", "\"12,3,4\""))), @r#"
    jauge: 1 row rejected, nothing written (use --skip-invalid to import the rest and keep the rejects):
      donations.csv:2: column "amount": "12,3,4" is not an amount: expected digits, with an optional '.' and decimals (no group separators)
    "#);
    insta::assert_snapshot!(import_error(&row(&good.replace("2023-12-12T08:07:00Z", "2023-13-12T08:07:00Z"))), @r#"
    jauge: 1 row rejected, nothing written (use --skip-invalid to import the rest and keep the rejects):
      donations.csv:2: column "received_at": "2023-13-12T08:07:00Z" is not an RFC 3339 instant such as 2023-12-12T08:07:00Z
    "#);
    insta::assert_snapshot!(import_error(&row(&good.replace("EUR", "EUT"))), @r#"
    jauge: 1 row rejected, nothing written (use --skip-invalid to import the rest and keep the rejects):
      donations.csv:2: column "currency": "EUT" is not an active ISO 4217 currency code
    "#);
    insta::assert_snapshot!(import_error(&format!("{HEADER}{good}\n{}\n", good.replace("5.00", "6.00")).into_bytes()), @"
    jauge: 1 row rejected, nothing written (use --skip-invalid to import the rest and keep the rejects):
      donations.csv:3: donation a conflicts with donations.csv:2: amount 5.00 EUR there, 6.00 EUR here
    ");
    insta::assert_snapshot!(import_error(&format!("{HEADER}{good}\nb,2023-12-12T08:07:00Z,5").into_bytes()), @"
    jauge: 1 row rejected, nothing written (use --skip-invalid to import the rest and keep the rejects):
      donations.csv:3: expected 12 fields, found 3: is the file truncated, or a field with a comma not quoted?
    ");
    insta::assert_snapshot!(import_error(&row(good).iter().map(|&b| if b == b',' { b';' } else { b }).collect::<Vec<_>>()), @"jauge: donations.csv:1: expected the columns id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by (it looks separated by ';': jauge ledgers use commas)");
    insta::assert_snapshot!(import_error(b""), @"jauge: donations.csv: empty file: expected the header id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by");
}

#[test]
fn bom_and_crlf_are_fine() {
    let good = "a,2023-12-12T08:07:00Z,5.00,EUR,confirmed,one_off,,online,,,,";
    let mut content = vec![0xEF, 0xBB, 0xBF];
    content.extend(
        format!("{HEADER}{good}\n")
            .replace('\n', "\r\n")
            .into_bytes(),
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.csv"), content).unwrap();
    let ledger = dir.path().join("ledger.db");
    jauge()
        .args(["import", "--from", "jauge", "--into"])
        .arg(&ledger)
        .arg(dir.path().join("in.csv"))
        .assert()
        .success();
    assert_eq!(ledger_text(&ledger), format!("{HEADER}{good}\n"));
}

#[test]
fn skip_invalid_writes_every_rejected_row_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.csv");
    let good = "a,2023-12-12T08:07:00Z,5.00,EUR,confirmed,one_off,,online,,,,";
    let bad_amount = "b,2023-12-12T08:07:00Z,\"12,3,4\",EUR,confirmed,one_off,,online,,,,";
    let bad_status = "c,2023-12-12T08:07:00Z,5.00,EUR,paid,one_off,,online,,,,";
    std::fs::write(
        &input,
        format!("{HEADER}{bad_amount}\n{good}\n{bad_status}\n"),
    )
    .unwrap();
    let ledger = dir.path().join("ledger.db");
    let output = jauge()
        .args(["import", "--from", "jauge", "--skip-invalid", "--into"])
        .arg(&ledger)
        .arg(&input)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("1 added"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("2 rows rejected, written verbatim to"),
        "{}",
        stderr(&output)
    );
    assert_eq!(ledger_text(&ledger), format!("{HEADER}{good}\n"));
    assert_eq!(
        read(&dir.path().join("rejected-export.csv")),
        format!("{HEADER}{bad_amount}\n{bad_status}\n")
    );
    let reasons = read(&dir.path().join("rejected-export.csv.txt"))
        .replace(&format!("{}/", dir.path().display()), "");
    insta::assert_snapshot!(reasons, @r#"
    export.csv:2: column "amount": "12,3,4" is not an amount: expected digits, with an optional '.' and decimals (no group separators)
    export.csv:4: column "status": "paid": expected confirmed, pending, failed or refunded
    "#);
    // The rejects file is itself importable once corrected.
    let corrected = read(&dir.path().join("rejected-export.csv"))
        .replace("\"12,3,4\"", "12.34")
        .replace("paid", "confirmed");
    std::fs::write(dir.path().join("fixed.csv"), corrected).unwrap();
    jauge()
        .args(["import", "--from", "jauge", "--into"])
        .arg(&ledger)
        .arg(dir.path().join("fixed.csv"))
        .assert()
        .success();
    assert_eq!(ledger_text(&ledger).lines().count(), 4);
}

#[test]
fn ambiguous_paypal_amounts_ask_for_the_separator() {
    let dir = scratch(&["paypal.csv"]);
    let text = read(&dir.path().join("paypal.csv")).replace("\"1.250,00\"", "\"1.250\"");
    std::fs::write(dir.path().join("paypal.csv"), text).unwrap();
    let output = jauge()
        .args(["import", "--from", "paypal", "--into"])
        .arg(dir.path().join("l.db"))
        .arg(dir.path().join("paypal.csv"))
        .output()
        .unwrap();
    assert!(
        stderr(&output).contains("could be read with the separator as decimals or as thousands"),
        "{}",
        stderr(&output)
    );
    jauge()
        .args([
            "import",
            "--from",
            "paypal",
            "--decimal-separator",
            "comma",
            "--into",
        ])
        .arg(dir.path().join("l.db"))
        .arg(dir.path().join("paypal.csv"))
        .assert()
        .success();
    assert!(ledger_text(&dir.path().join("l.db"))
        .contains("paypal:8AB00002,2023-12-19T10:00:00Z,1250.00,EUR"));
}

/// The back office's payments export as it is written: BOM, CRLF, `;`, `1 200,00`, a date
/// without a time, an offline payment, a membership and a ticket with and without a donation
/// part. By hand: Alice's 1,200.00 donation counts whole; Bob's membership counts its 5.00
/// donation only, Carol's (no donation) is not a gift; Dan's cheque entered offline counts
/// 50.00 (channel offline, at midnight Paris time); Eve's 30.00 is refunded whole; Fay's concert
/// ticket counts its 5.00 donation. Raised: 1,200 + 5 + 50 + 5 = 1,260.00 EUR.
#[test]
fn helloasso_payments_export_as_the_back_office_writes_it() {
    let dir = scratch(&["helloasso_paiements.csv", "campaign.toml"]);
    let campaign = dir.path().join("campaign.toml");
    let import = || {
        jauge()
            .args(["import", "--from", "helloasso", "--campaign"])
            .arg(&campaign)
            .arg(dir.path().join("helloasso_paiements.csv"))
            .output()
            .unwrap()
    };
    let first = import();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("helloasso Adhésion without a donation: 1 row skipped, not gifts"),
        "{}",
        stderr(&first)
    );
    insta::assert_snapshot!(ledger_text(&dir.path().join("donations.db")), @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    helloasso:90001,2023-12-12T07:07:00Z,1200.00,EUR,confirmed,one_off,,online,h:7a64adf28737ea90719cbdf0,,,
    helloasso:90002,2023-12-13T09:00:00Z,5.00,EUR,confirmed,one_off,,online,h:686b5e4cf4f963adf8f51468,,,
    helloasso:90004,2023-12-13T23:00:00Z,50.00,EUR,confirmed,one_off,,offline,,,,
    helloasso:90005,2023-12-15T08:30:00Z,30.00,EUR,refunded,one_off,,online,h:39f2b0c720afb91f8d1058ea,,30.00,
    helloasso:90006,2023-12-16T11:00:00Z,5.00,EUR,confirmed,one_off,,online,h:61376c15857d5dacc354fead,,,
    ");
    // Twice: nothing added twice.
    let second = import();
    assert!(stderr(&second).contains("0 added"), "{}", stderr(&second));
    let status = jauge()
        .args([
            "status",
            "--format",
            "json",
            "--at",
            "2023-12-20T00:00:00Z",
            "--campaign",
        ])
        .arg(&campaign)
        .output()
        .unwrap();
    let status = jauge::StatusDocument::from_json(&crate::support::stdout(&status)).unwrap();
    assert_eq!(status.raised().to_string(), "1260.00 EUR");
}

/// `--form` keeps one form: only "Dons 2023" (Alice 1,200.00, Dan 50.00, Eve's refunded 30.00).
#[test]
fn helloasso_one_form_only() {
    let ledger = import_fresh(
        "helloasso",
        &["helloasso_paiements.csv"],
        &["--form", "dons 2023"],
    );
    let ids: Vec<&str> = ledger
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["helloasso:90001", "helloasso:90004", "helloasso:90005"]
    );
}

/// A form's orders export: the order is the transaction. By hand: Alice's free donation 40.00,
/// Bob's 100.00 donation less a 10.00 promo code = 90.00, Carol's concert place counts its 3.00
/// donation only, Dan's place without one is not a gift, Eve's cancelled order failed. Raised:
/// 40 + 90 + 3 = 133.00 EUR.
#[test]
fn helloasso_orders_export_of_a_form() {
    let ledger = import_fresh("helloasso", &["helloasso_commandes.csv"], &[]);
    insta::assert_snapshot!(ledger, @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    helloasso:order:7001,2023-12-01T08:00:00Z,40.00,EUR,confirmed,one_off,,online,h:7a64adf28737ea90719cbdf0,,,
    helloasso:order:7002,2023-12-02T09:00:00Z,90.00,EUR,confirmed,one_off,,online,h:686b5e4cf4f963adf8f51468,,,
    helloasso:order:7003,2023-12-03T10:00:00Z,3.00,EUR,confirmed,one_off,,online,h:b39a07821bb2ed23b1d535a6,,,
    helloasso:order:7005,2023-12-04T11:00:00Z,20.00,EUR,failed,one_off,,online,h:39f2b0c720afb91f8d1058ea,,,
    ");
}

/// In a CRLF file the first data row is line 2, and a rejected row is written back verbatim:
/// byte-order mark, header and CRLF line endings as in the export.
#[test]
fn crlf_exports_have_right_line_numbers_and_verbatim_rejects() {
    let dir = scratch(&["helloasso_paiements.csv"]);
    let export = dir.path().join("helloasso_paiements.csv");
    let text = read(&export).replace("5003;90003;10,00", "5003;90003;dix");
    std::fs::write(&export, &text).unwrap();
    let output = jauge()
        .args(["import", "--from", "helloasso", "--into"])
        .arg(dir.path().join("l.db"))
        .arg(&export)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("helloasso_paiements.csv:4: column \"Montant total\": \"dix\""),
        "{}",
        stderr(&output)
    );
    let output = jauge()
        .args(["import", "--skip-invalid", "--from", "helloasso", "--into"])
        .arg(dir.path().join("l.db"))
        .arg(&export)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let rejected = std::fs::read(dir.path().join("rejected-helloasso_paiements.csv")).unwrap();
    let lines: Vec<&str> = text.split_inclusive("\r\n").collect();
    assert_eq!(
        String::from_utf8(rejected).unwrap(),
        format!("{}{}", lines[0], lines[3])
    );
}

/// Two columns under one header that disagree: refused, naming both, rather than the first
/// taken silently.
#[test]
fn a_duplicated_header_that_disagrees_is_refused() {
    let (_dir, output) = import_text(
        "stripe",
        "stripe.csv",
        "id,Created date (UTC),Amount,Currency,Status,Amount\nch_1,2023-12-12 07:07:00,30.00,eur,Paid,31.00\nch_2,2023-12-12 07:08:00,10.00,eur,Paid,10.00\n",
    );
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(
        said.contains(
            "stripe.csv:2: column \"Amount\": columns 3 and 6 are both \"Amount\" and disagree"
        ),
        "{said}"
    );
    assert!(!said.contains("stripe.csv:3"), "{said}");
}

/// A Stripe dashboard in French: English headers, amounts written `"45,00"`, read with no flag.
/// By hand: ch_fr1 45.00 (fee 0.93), ch_fr2 1,200.00 refunded 200.00, ch_fr3 failed. Raised:
/// 45 + 1,200 − 200 = 1,045.00 EUR.
#[test]
fn stripe_dashboard_in_french() {
    let ledger = import_fresh("stripe", &["stripe_payments_fr.csv"], &[]);
    insta::assert_snapshot!(ledger, @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    stripe:ch_fr1,2023-12-12T07:07:00Z,45.00,EUR,confirmed,one_off,,online,h:e16bfe08be114c7b3737aa01,0.93,,
    stripe:ch_fr2,2023-12-13T08:00:00Z,1200.00,EUR,refunded,one_off,,online,h:c12c6545772a8d88ecb17515,17.05,200.00,
    stripe:ch_fr3,2023-12-14T09:00:00Z,10.00,EUR,failed,one_off,,online,h:1545f7091554f5ea12dcd487,0.40,,
    ");
}

/// Dashboard → Balance → Export (`balance_history.csv`), its refund listed before its charge,
/// with a payout, a Stripe fee and a lost dispute (an adjustment) mixed in. By hand: ch_b1
/// 30.00 (fee 0.70) taken back whole by the dispute; ch_b2 100.00 (fee 1.65) refunded 40.00;
/// the payout and the fee are not gifts. Raised: 60.00 EUR. Imported twice: nothing added twice.
#[test]
fn stripe_balance_history_export() {
    let dir = scratch(&["stripe_balance_history.csv"]);
    let store = dir.path().join("l.db");
    let import = || {
        jauge()
            .args(["import", "--from", "stripe-balance", "--into"])
            .arg(&store)
            .arg(dir.path().join("stripe_balance_history.csv"))
            .output()
            .unwrap()
    };
    let first = import();
    assert!(first.status.success(), "{}", stderr(&first));
    let said = stderr(&first);
    assert!(
        said.contains("stripe payout: 1 row skipped")
            && said.contains("stripe stripe_fee: 1 row skipped"),
        "{said}"
    );
    insta::assert_snapshot!(ledger_text(&store), @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    stripe:ch_b1,2023-12-12T07:07:00Z,30.00,EUR,refunded,one_off,,online,,0.70,30.00,
    stripe:ch_b2,2023-12-13T10:00:00Z,100.00,EUR,refunded,one_off,,online,,1.65,40.00,
    ");
    let second = import();
    assert!(
        stderr(&second).contains("0 added, 0 updated"),
        "{}",
        stderr(&second)
    );
}

/// A refund in the balance export that does not say its charge is taken off the total as a
/// reversal (the money did leave), said on stderr; one that names neither itself nor its charge
/// is refused, by place.
#[test]
fn a_balance_refund_without_its_charge_is_taken_off_as_a_reversal() {
    let (_dir, output) = import_text(
        "stripe-balance",
        "balance_history.csv",
        "id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Description\ntxn_1,refund,re_9,-5.00,0.00,-5.00,eur,2023-12-14 11:00,Remboursement\n",
    );
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("1 refund without the charge it refunds"),
        "{said}"
    );
    let (_dir, output) = import_text(
        "stripe-balance",
        "balance_history.csv",
        "id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Description\ntxn_1,refund,,-5.00,0.00,-5.00,eur,2023-12-14 11:00,Remboursement\n",
    );
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(
        said.contains("balance_history.csv:2: column \"Source\"")
            && said.contains("a refund names itself or its charge here"),
        "{said}"
    );
}

/// The itemised balance report's `subscription_id` makes a monthly gift.
#[test]
fn the_itemised_report_knows_subscriptions() {
    let (dir, output) = import_text(
        "stripe-balance",
        "itemised.csv",
        "balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,charge_id,subscription_id\ntxn_1,2023-12-12 08:07:00,eur,10.00,0.39,9.61,charge,ch_9,ch_9,sub_7\n",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let ledger = ledger_text(&dir.path().join("l.db"));
    assert!(
        ledger
            .contains("stripe:ch_9,2023-12-12T08:07:00Z,10.00,EUR,confirmed,monthly,stripe:sub_7"),
        "{ledger}"
    );
}

/// A French PayPal account's weekly activity: no day above 12, day first as French headers say,
/// the refund listed before its payment. By hand: Alice's 25.00 (fee 0.95) refunded 10.00,
/// Bob's 1,250.00 subscription payment (fee 17.75) monthly on profile I-PROFILE9, the transfer
/// out not a gift. Raised: 15 + 1,250 = 1,265.00 EUR; 5 December 10:15 CET is 09:15 UTC.
#[test]
fn paypal_in_french_without_flags() {
    let ledger = import_fresh("paypal", &["paypal_fr.csv"], &[]);
    insta::assert_snapshot!(ledger, @"
    id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by
    paypal:9FR00001,2023-12-05T09:15:00Z,25.00,EUR,refunded,one_off,,online,h:7a64adf28737ea90719cbdf0,0.95,10.00,
    paypal:9FR00002,2023-12-06T10:00:00Z,1250.00,EUR,confirmed,monthly,paypal:I-PROFILE9,online,h:686b5e4cf4f963adf8f51468,17.75,,
    ");
}

/// A statement (Relevés) is not the activity download: said so, with the download to make.
#[test]
fn a_paypal_statement_is_named_as_such() {
    let (_dir, output) = import_text(
        "paypal",
        "releve.csv",
        "\u{feff}\"Date\",\"Heure\",\"Fuseau horaire\",\"Description\",\"Devise\",\"Avant commission\",\"Commission\",\"Net\",\"Solde\",\"Numéro de transaction\"\r\n\"05/12/2023\",\"10:15:00\",\"CET\",\"Paiement de don\",\"EUR\",\"25,00\",\"-0,95\",\"24,05\",\"100,00\",\"9FR00001\"\r\n",
    );
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(
        said.contains("releve.csv:1: a PayPal statement (Relevés)")
            && said.contains("Activité → Télécharger"),
        "{said}"
    );
}

/// A payment at another interval than its subscription's other payments would make every later
/// status fail: it is refused at import, naming the line of the payment it conflicts with; so is
/// a re-import that changes a gift's interval.
#[test]
fn a_subscription_paid_at_two_intervals_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let header = jauge_cli::ledger::COLUMNS.join(",");
    let first = dir.path().join("first.csv");
    std::fs::write(
        &first,
        format!("{header}\ns-1,2023-12-01T10:00:00Z,10.00,EUR,confirmed,monthly,sub_1,online,,,,\ns-2,2024-01-01T10:00:00Z,120.00,EUR,confirmed,yearly,sub_1,online,,,,\n"),
    )
    .unwrap();
    let store = dir.path().join("l.db");
    let output = jauge()
        .args(["import", "--from", "jauge", "--into"])
        .arg(&store)
        .arg(&first)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(
        said.contains("first.csv:3: donation s-2 conflicts with")
            && said.contains(
                "first.csv:2: subscription sub_1 is paid monthly there (s-1), yearly here"
            ),
        "{said}"
    );
    assert!(holds_nothing(&store));
    // Once the monthly payment is in, a re-import of it as yearly is a conflict too.
    let monthly = dir.path().join("monthly.csv");
    std::fs::write(
        &monthly,
        format!(
            "{header}\ns-1,2023-12-01T10:00:00Z,10.00,EUR,confirmed,monthly,sub_1,online,,,,\n"
        ),
    )
    .unwrap();
    jauge()
        .args(["import", "--from", "jauge", "--into"])
        .arg(&store)
        .arg(&monthly)
        .assert()
        .success();
    let yearly = dir.path().join("yearly.csv");
    std::fs::write(
        &yearly,
        format!("{header}\ns-1,2023-12-01T10:00:00Z,10.00,EUR,confirmed,yearly,sub_1,online,,,,\n"),
    )
    .unwrap();
    let output = jauge()
        .args(["import", "--from", "jauge", "--into"])
        .arg(&store)
        .arg(&yearly)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(
        said.contains("yearly.csv:2: donation s-1 conflicts with")
            && said.contains("monthly.csv:2"),
        "{said}"
    );
}

/// An export imported with another platform's --from names the --from its header is of, and
/// writes nothing.
#[test]
fn an_export_of_another_platform_names_the_right_from() {
    let cases = [
        ("paypal.csv", "stripe", "--from paypal"),
        ("stripe_payments.csv", "paypal", "--from stripe"),
        ("stripe_balance.csv", "stripe", "--from stripe-balance"),
        ("ledger.csv", "helloasso", "--from jauge"),
    ];
    for (file, wrong, right) in cases {
        let dir = scratch(&[file]);
        let store = dir.path().join("l.db");
        let output = jauge()
            .args([
                "import",
                "--currency",
                "EUR",
                "--time-zone",
                "Europe/Paris",
                "--from",
                wrong,
                "--into",
            ])
            .arg(&store)
            .arg(dir.path().join(file))
            .output()
            .unwrap();
        assert!(!output.status.success(), "{file}");
        assert!(
            stderr(&output).contains(&format!(
                "its header is that of another export: import it with {right}"
            )),
            "{file} as {wrong}: {}",
            stderr(&output)
        );
        assert!(holds_nothing(&store), "{file}");
    }
}
