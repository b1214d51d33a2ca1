//! `jauge report`.

use crate::support::{campaign, jauge, stderr, stdout};

/// `jauge report` of the test campaign at its instant, in `format`, with `extra` arguments.
fn run_report(format: &str, extra: &[&std::ffi::OsStr]) -> std::process::Output {
    jauge()
        .args([
            "report",
            "--format",
            format,
            "--at",
            "2023-12-26T08:00:00+01:00",
            "--campaign",
        ])
        .arg(campaign())
        .args(extra)
        .output()
        .unwrap()
}

fn report(format: &str, extra: &[&str]) -> String {
    let extra: Vec<&std::ffi::OsStr> = extra.iter().map(std::ffi::OsStr::new).collect();
    let output = run_report(format, &extra);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn text_report() {
    insta::assert_snapshot!(report("text", &["--from", "2023-12-18", "--to", "2023-12-24"]), @r#"
    Test campaign — report from 2023-12-18 to 2023-12-24
    Status
    Test campaign — as of 2023-12-26 08:00 Europe/Paris
      raised          €390.00 of €1,000.00 (39%)
      still to raise  €610.00
      time left       5 days (until 2024-01-01 00:00)
      donors          4 (4 gifts)
      next milestone  Halfway at €500.00
      pace            €40.00 a day over the last 7 days
      needed          €107.65 a day until the deadline
      projection      €616.67 at the deadline (short of the goal), at the last 7 days' pace
      counted         Confirmed gifts, gross of fees, refunds subtracted, recurring gifts as received.
      not counted     1 pending (€80.00), 0 failed, 0 before the start, 0 after the deadline, 0 after this instant

    Totals
                                           amount
      gifts in the range        €280.00 (2 gifts)
      baseline                              €0.00
      gross                               €410.00
      fees                                  €2.99
      refunds                              €20.00
      pending                    €80.00 (1 gifts)
      one-off                             €380.00
      recurring received                   €10.00
      recurring counted                    €10.00
      active monthly donors                     1
      monthly recurring amount             €10.00
      matched by sponsors                   €0.00
      raised                              €390.00

    Confirmed gifts, gross of fees, refunds subtracted, recurring gifts as received.

    By channel
      channel        gifts   amount
      online             3  €140.00
      offline            0    €0.00
      bank transfer      1  €250.00
      other              0    €0.00

    By source
      source  gifts    gross  refunds   fees      net
      ledger      4  €410.00   €20.00  €2.99  €387.01
      total       4  €410.00   €20.00  €2.99  €387.01

    Gift sizes
                     gifts   amount
      under €20          1   €10.00
      €20 to €50         0    €0.00
      €50 to €100        1   €50.00
      €100 to €500       2  €350.00
      €500 and over      0    €0.00

    average gift: €102.50
    median gift: €75.00

    Budget
                                                 amount
      expenses                                €5,000.00
      secured income                          €1,500.00
      expected income (weighted)              €1,000.00
      gap before the campaign                 €2,500.00
      still open after the campaign's figure  €2,110.00

    Week by week (from Monday)
      week        gifts   amount  cumulative  % of goal
      2023-12-18      2  €280.00     €390.00      39.00

    Day by day
      day         gifts   amount  cumulative  % of goal
      2023-12-18      0    €0.00     €110.00      11.00
      2023-12-19      0    €0.00     €110.00      11.00
      2023-12-20      1  €250.00     €360.00      36.00
      2023-12-21      1   €30.00     €390.00      39.00
      2023-12-22      0    €0.00     €390.00      39.00
      2023-12-23      0    €0.00     €390.00      39.00
      2023-12-24      0    €0.00     €390.00      39.00
    "#);
}

#[test]
fn csv_series() {
    let csv = report("csv", &["--from", "2023-12-19", "--to", "2023-12-22"]);
    insta::assert_snapshot!(csv, @"
    period,start,gifts,amount,cumulative,percent_of_goal,currency
    day,2023-12-19,0,0.00,110.00,11.00,EUR
    day,2023-12-20,1,250.00,360.00,36.00,EUR
    day,2023-12-21,1,30.00,390.00,39.00,EUR
    day,2023-12-22,0,0.00,390.00,39.00,EUR
    week,2023-12-18,2,280.00,390.00,39.00,EUR
    ");
}

/// In French, `;` between columns and decimal commas: what a spreadsheet set to French reads as
/// numbers. Read back with the csv crate, every amount parses once its comma is a point.
#[test]
fn csv_in_french_opens_as_numbers() {
    let csv = report(
        "csv",
        &["--from", "2023-12-20", "--to", "2023-12-20", "--lang", "fr"],
    );
    assert!(
        csv.starts_with("period;start;gifts;amount;cumulative;percent_of_goal;currency\nday;2023-12-20;1;250,00;360,00;36,00;EUR\n"),
        "{csv}"
    );
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.as_bytes());
    for row in reader.records() {
        let row = row.unwrap();
        for column in [3, 4, 5] {
            let value = row[column].replace(',', ".");
            assert!(value.parse::<jauge::Decimal>().is_ok(), "{row:?}");
        }
    }
}

#[test]
fn markdown_has_tables() {
    let md = report("md", &[]);
    assert!(md.starts_with("# Test campaign — report from 2023-11-14 to 2023-12-26"));
    assert!(md.contains("| day | gifts | amount | cumulative | % of goal |"));
    assert!(md.contains("## Budget"));
}

#[test]
fn json_report_carries_the_status_and_the_budget() {
    let value: serde_json::Value = serde_json::from_str(&report("json", &[])).unwrap();
    assert_eq!(value["status"]["raised"]["amount"], "390.00");
    // 5,000 − 1,500 − 50 % × 2,000 = 2,500 gap; 2,500 − 390 raised is still open.
    assert_eq!(value["budget"]["gap"]["gap"]["amount"], "2500.00");
    assert_eq!(value["budget"]["still_open"]["amount"], "2110.00");
    assert_eq!(value["days"].as_array().unwrap().len(), 43);
}

#[test]
fn to_without_at_reports_as_of_the_end_of_that_day() {
    let output = jauge()
        .args([
            "report",
            "--format",
            "json",
            "--to",
            "2023-12-24",
            "--campaign",
        ])
        .arg(campaign())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    // The end of 24 December in Paris: midnight, 23:00 UTC.
    assert_eq!(value["status"]["as_of"], "2023-12-24T23:00:00Z");
    assert_eq!(value["to"], "2023-12-24");
    // The pending cheque of 22 December is counted as pending; gifts after the 24th are not there.
    assert_eq!(value["status"]["raised"]["amount"], "390.00");
}

/// Hostile campaign names through the Markdown and HTML reports: nothing in them becomes markup,
/// a link or a script; each shows as the text it is.
#[test]
fn hostile_names_stay_text_in_markdown_and_html() {
    use pulldown_cmark::{Event, Parser, Tag};
    let corpus = [
        "<script>alert(1)</script>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "[click](javascript:alert(1))",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
        "```\n<img src=x onerror=alert(1)>",
        "&lt;script&gt; &amp; &#60;b&#62;",
        "*bold* _x_ # not a heading | cell | `code`",
        "line\nbreak\r\n<b>bold</b>",
        "\\<script>alert(1)\\</script>",
    ];
    for name in corpus {
        let work = crate::support::campaign_scratch();
        let campaign = work.path().join("campaign.toml");
        let text = std::fs::read_to_string(&campaign).unwrap().replace(
            "name = \"Test campaign\"",
            &format!("name = {}", serde_json::to_string(name).unwrap()),
        );
        std::fs::write(&campaign, text).unwrap();
        let render = |format: &str| {
            let output = jauge()
                .args([
                    "report",
                    "--at",
                    "2023-12-26T08:00:00+01:00",
                    "--format",
                    format,
                    "--campaign",
                ])
                .arg(&campaign)
                .output()
                .unwrap();
            assert!(output.status.success(), "{name:?}: {}", stderr(&output));
            stdout(&output)
        };
        let markdown = render("md");
        let mut heading = String::new();
        let mut in_heading = false;
        for event in Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES) {
            match &event {
                Event::Html(html) | Event::InlineHtml(html) => {
                    panic!("{name:?}: raw HTML in the Markdown: {html:?}")
                }
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    assert!(
                        dest_url.starts_with("data:image/svg+xml;base64,"),
                        "{name:?}: a link to {dest_url:?}"
                    )
                }
                Event::Start(Tag::Heading { .. }) if heading.is_empty() => in_heading = true,
                Event::End(pulldown_cmark::TagEnd::Heading(_)) => in_heading = false,
                Event::Text(text) | Event::Code(text) if in_heading => heading.push_str(text),
                _ => {}
            }
        }
        let shown = name.replace("\r\n", " ").replace('\n', " ");
        assert_eq!(
            heading,
            format!("{shown} — report from 2023-11-14 to 2023-12-26"),
            "the name shows as itself"
        );
        let html = render("html").to_lowercase();
        for forbidden in [
            "<script",
            "<iframe",
            "<img",
            "<b>",
            "href=\"javascript",
            "src=\"javascript",
        ] {
            assert!(
                !html.contains(forbidden),
                "{name:?}: {forbidden} in the HTML"
            );
        }
    }
}

/// The workbook: one sheet per table with real date and number cells, every amount the report's
/// to the cent, read back with calamine as a spreadsheet reads it.
#[test]
fn the_workbook_has_real_number_and_date_cells() {
    use calamine::{Data, Reader};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xlsx");
    let output = jauge()
        .args(["report", "--format", "xlsx", "--lang", "fr", "--out"])
        .arg(&path)
        .args(["--at", "2023-12-26T08:00:00+01:00", "--campaign"])
        .arg(campaign())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&report("json", &[])).unwrap();
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "État",
            "Jour par jour",
            "Semaine par semaine",
            "Par source",
            "Montants des dons"
        ]
    );
    let days = workbook.worksheet_range("Jour par jour").unwrap();
    let expected = json["days"].as_array().unwrap();
    assert_eq!(days.height(), expected.len() + 1);
    for (row, day) in days.rows().skip(1).zip(expected) {
        match &row[0] {
            // Excel's day 0 is 30 December 1899 (its 1900 leap-year bug included).
            Data::DateTime(date) => assert_eq!(
                (chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
                    + chrono::Duration::days(date.as_f64() as i64))
                .to_string(),
                day["start"].as_str().unwrap()
            ),
            other => panic!("a date cell, not {other:?}"),
        }
        for (column, field) in [(2, "amount"), (3, "cumulative")] {
            let Data::Float(value) = row[column] else {
                panic!("a number cell, not {:?}", row[column]);
            };
            let exact: jauge::Decimal = day[field]["amount"].as_str().unwrap().parse().unwrap();
            assert_eq!(
                format!("{value:.2}"),
                format!("{exact:.2}"),
                "{field} {day}"
            );
        }
    }
    let summary = workbook.worksheet_range("État").unwrap();
    assert_eq!(summary.get((1, 0)), Some(&Data::String("collecté".into())));
    let raised: jauge::Decimal = json["status"]["raised"]["amount"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        summary.get((1, 1)),
        Some(&Data::Float(raised.to_string().parse().unwrap()))
    );
    // On a terminal a workbook is refused; without --out it goes to a pipe.
    let piped = jauge()
        .args(["report", "--format", "xlsx", "--campaign"])
        .arg(campaign())
        .output()
        .unwrap();
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(piped.stdout.starts_with(b"PK"), "a zip");
}

/// The example campaign names two earlier years: every format of the report shows where each
/// stood on the same day and date, returning and new donors, the backtest, and a projection that
/// says it follows their shape.
#[test]
fn the_example_stands_against_earlier_years_in_every_format() {
    use calamine::{Data, Reader};
    let example = crate::support::example();
    let run = |args: &[&str]| {
        let output = jauge()
            .args(["report", "--at", "2023-12-26T08:00:00+01:00", "--campaign"])
            .arg(&example)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        output.stdout
    };
    let text = String::from_utf8(run(&["--format", "text"])).unwrap();
    for expected in [
        "Against earlier campaigns",
        "Framasoft 2021  same day (day 43 of 46)",
        "Donors now: 1,371 returning from an earlier campaign, 160 new",
        "Projections tested on complete campaigns",
        "from the shape of earlier campaigns (€194,160.12 to €198,940.47)",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let markdown = String::from_utf8(run(&["--format", "md", "--lang", "fr"])).unwrap();
    assert!(
        markdown.contains("## Face aux campagnes précédentes"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Framasoft 2022 | même jour (jour 43 sur 47) |"),
        "{markdown}"
    );
    assert!(markdown.contains("### Projections éprouvées sur les campagnes terminées"));
    assert_eq!(markdown.matches("](data:image/svg+xml;base64,").count(), 5);
    let html = String::from_utf8(run(&["--format", "html"])).unwrap();
    assert!(html.contains("<td>same date</td>"), "{html}");
    assert!(html.contains("chart-compare-share-title"));
    let json: serde_json::Value = serde_json::from_slice(&run(&["--format", "json"])).unwrap();
    let comparison = &json["comparison"];
    assert_eq!(comparison["earlier"][1]["name"], "Framasoft 2022");
    assert_eq!(
        comparison["earlier"][1]["end"]["raised"]["amount"],
        "185205.33"
    );
    assert_eq!(comparison["returning_donors"], 1371);
    assert_eq!(json["status"]["pace"]["method"], "earlier_campaigns");
    // A report over some days still compares the whole campaign, day 1 being its first day.
    let ranged: serde_json::Value =
        serde_json::from_slice(&run(&["--format", "json", "--from", "2023-12-18"])).unwrap();
    assert_eq!(ranged["comparison"]["days"], json["comparison"]["days"]);
    assert_eq!(ranged["comparison"]["days"][1][0], 1);
    let csv = String::from_utf8(run(&["--format", "csv"])).unwrap();
    assert!(
        csv.starts_with("period,start,gifts,amount,cumulative,percent_of_goal,currency,campaign\n")
    );
    assert!(
        csv.contains("\nsame_day,2021-12-28,2418,125819.24,125819.24,74.01,EUR,Framasoft 2021\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\nend,2022-12-31,3644,185205.33,185205.33,97.47,EUR,Framasoft 2022\n"),
        "{csv}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xlsx");
    run(&["--format", "xlsx", "--out", path.to_str().unwrap()]);
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = workbook.worksheet_range("Earlier campaigns").unwrap();
    assert_eq!(
        sheet.get((2, 0)),
        Some(&Data::String("Framasoft 2021".into()))
    );
    assert_eq!(sheet.get((2, 3)), Some(&Data::Float(125_819.24)));
    assert!(matches!(sheet.get((2, 2)), Some(Data::DateTime(_))));
    let backtest = workbook.worksheet_range("Projections tested").unwrap();
    assert_eq!(backtest.get((1, 0)), Some(&Data::String("29+".into())));
    let summary = workbook.worksheet_range("Status").unwrap();
    let projection_row = summary
        .rows()
        .find(|row| row[0] == Data::String("projection".into()))
        .unwrap();
    assert_eq!(
        projection_row[2],
        Data::String("from the shape of earlier campaigns (€194,160.12 to €198,940.47)".into())
    );
}

/// `--out` writes every format to the file, whole, and nothing to standard output; the file
/// holds what standard output would have.
#[test]
fn out_writes_every_format_to_its_file() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["text", "csv", "md", "html", "json", "xlsx"] {
        let file = dir.path().join(format!("report.{format}"));
        let output = run_report(format, &["--out".as_ref(), file.as_os_str()]);
        assert!(output.status.success(), "{format}: {}", stderr(&output));
        assert!(output.stdout.is_empty(), "{format}: something on stdout");
        let written = std::fs::read(&file).unwrap();
        assert!(!written.is_empty(), "{format}: empty file");
        if format != "xlsx" {
            assert_eq!(
                String::from_utf8(written).unwrap(),
                report(format, &[]),
                "{format}"
            );
        }
    }
}

#[test]
fn a_first_day_after_the_last_is_refused() {
    let output = jauge()
        .args([
            "report",
            "--from",
            "2023-12-24",
            "--to",
            "2023-12-18",
            "--campaign",
        ])
        .arg(campaign())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--from \"2023-12-24 (after --to 2023-12-18)\": a first day on or before the last: swap --from and --to"),
        "{}",
        stderr(&output)
    );
}

/// In every language, the workbook's sheets keep their header row in sight (a frozen pane) and
/// have names that fit whole words into Excel's 31 characters.
#[test]
fn every_sheet_freezes_its_header_and_is_named_in_whole_words() {
    use calamine::Reader;
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "fr", "de", "es", "it", "nl"] {
        let path = dir.path().join(format!("report-{lang}.xlsx"));
        let output = run_report(
            "xlsx",
            &[
                "--lang".as_ref(),
                lang.as_ref(),
                "--out".as_ref(),
                path.as_os_str(),
            ],
        );
        assert!(output.status.success(), "{lang}: {}", stderr(&output));
        let workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let names = workbook.sheet_names();
        assert_eq!(names.len(), 5, "{lang}: {names:?}");
        // What the same report calls each table, in the same language.
        let markdown = report("md", &["--lang", lang]);
        for name in &names {
            assert!(name.chars().count() <= 31, "{lang}: {name}");
            let whole_words = markdown.lines().any(|line| {
                line.trim_start_matches('#')
                    .trim()
                    .strip_prefix(name.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ',']))
            });
            assert!(
                whole_words,
                "{lang}: {name:?} is not a heading cut between words"
            );
        }
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        for index in 1..=names.len() {
            let mut xml = String::new();
            archive
                .by_name(&format!("xl/worksheets/sheet{index}.xml"))
                .unwrap()
                .read_to_string(&mut xml)
                .unwrap();
            assert!(xml.contains("state=\"frozen\""), "{lang}: sheet {index}");
        }
    }
    // The example campaign compares with earlier ones: two more sheets, whose headings are too
    // long for a sheet, get names of their own.
    for (lang, expected) in [
        ("en", ["Earlier campaigns", "Projections tested"]),
        ("de", ["Frühere Kampagnen", "Geprüfte Prognosen"]),
        ("fr", ["Campagnes précédentes", "Projections éprouvées"]),
        ("es", ["Campañas anteriores", "Proyecciones probadas"]),
        ("it", ["Campagne precedenti", "Proiezioni verificate"]),
        ("nl", ["Eerdere campagnes", "Geteste prognoses"]),
    ] {
        let path = dir.path().join(format!("example-{lang}.xlsx"));
        let output = jauge()
            .args(["report", "--format", "xlsx", "--lang", lang, "--at"])
            .arg("2023-12-26T08:00:00+01:00")
            .arg("--campaign")
            .arg(crate::support::example())
            .arg("--out")
            .arg(&path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{lang}: {}", stderr(&output));
        let workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        assert_eq!(workbook.sheet_names()[1..3], expected, "{lang}");
        assert!(workbook
            .sheet_names()
            .iter()
            .all(|n| n.chars().count() <= 31));
    }
}

/// The guide's page on the reconciled report shows what `jauge report` prints for the example:
/// its command is run, and every line of its output block is in the output, in order.
#[test]
fn the_guides_reconciled_report_is_what_jauge_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let page = std::fs::read_to_string(root.join("docs/src/finance/report.md")).unwrap();
    let block = |fence: &str| {
        let start = page.find(fence).unwrap() + fence.len();
        page[start..][..page[start..].find("```").unwrap()].to_owned()
    };
    let command = block("```sh\n");
    let args: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(args[0], "jauge", "{command}");
    // Run where the example's paths hold, on a copy with its store made (it is not committed).
    let work = tempfile::tempdir().unwrap();
    crate::support::example_in(&work.path().join("examples"));
    let output = jauge()
        .args(&args[1..])
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    let shown = block("```text\n");
    assert!(shown.lines().count() > 30, "{shown}");
    assert!(
        printed.contains(shown.trim_end()),
        "the guide's report is not what jauge prints:\n{shown}\n---\n{printed}"
    );
}
