//! `jauge budget`, from TOML.

use crate::support::{jauge, stderr, stdout};

#[test]
fn budget_from_toml() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("budget.toml");
    std::fs::write(
        &path,
        r#"
name = "2024"
expenses = [{ label = "Salaries", amount = "1250000 EUR" }, { label = "Servers", amount = "120000 EUR" }]
income = [
  { label = "Recurring donations", amount = "900000 EUR" },
  { label = "Foundation grant", amount = "100000 EUR", probability = "0.5" },
]
"#,
    )
    .unwrap();
    let output = jauge()
        .args(["budget", "--budget"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output), @"
    Budget 2024
                                        amount
      expenses                   €1,370,000.00
      secured income               €900,000.00
      expected income              €100,000.00
      expected income, weighted     €50,000.00
      gap                          €420,000.00

    To balance the budget, the campaign must raise €420,000.
    ");
}

const ROWS: [[&str; 5]; 5] = [
    ["type", "label", "amount", "currency", "probability"],
    ["expense", "Salaries", "1250000", "EUR", ""],
    ["dépense", "Servers", "120000.50", "EUR", ""],
    ["income", "Recurring donations", "900000", "EUR", ""],
    ["recette", "Foundation grant", "100000", "EUR", "50 %"],
];

/// A real .xlsx, numbers as number cells, the way a spreadsheet saves them.
fn write_xlsx(path: &std::path::Path, rows: &[[&str; 5]]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(number) if r > 0 => sheet.write_number(r as u32, c as u16, number).map(drop),
                _ => sheet.write_string(r as u32, c as u16, *cell).map(drop),
            }
            .unwrap();
        }
    }
    workbook.save(path).unwrap();
}

/// A real OpenDocument spreadsheet: a zip with the mimetype first and the cells in content.xml.
fn write_ods(path: &std::path::Path, rows: &[[&str; 5]]) {
    use std::io::Write;
    let cell = |r: usize, text: &str| match text.parse::<f64>() {
        Ok(n) if r > 0 => format!(
            r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{text}</text:p></table:table-cell>"#
        ),
        _ => format!(
            r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
        ),
    };
    let body: String = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            format!(
                "<table:table-row>{}</table:table-row>",
                row.iter().map(|t| cell(r, t)).collect::<String>()
            )
        })
        .collect();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Budget">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap();
}

fn budget_json(path: &std::path::Path) -> serde_json::Value {
    let output = jauge()
        .args(["budget", "--format", "json", "--budget"])
        .arg(path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

#[test]
fn budget_from_xlsx_and_ods() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["budget.xlsx", "budget.ods"] {
        let path = dir.path().join(name);
        if name.ends_with("xlsx") {
            write_xlsx(&path, &ROWS)
        } else {
            write_ods(&path, &ROWS)
        }
        let value = budget_json(&path);
        assert_eq!(value["gap"]["expenses"]["amount"], "1370000.50", "{name}");
        assert_eq!(
            value["gap"]["expected_weighted"]["amount"], "50000.00",
            "{name}"
        );
        assert_eq!(value["gap"]["gap"]["amount"], "420000.50", "{name}");
        assert_eq!(value["goal"]["amount"], "420001.00", "{name}");
    }
}

#[test]
fn a_bad_cell_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = ROWS;
    rows[3][2] = "33.333";
    let path = dir.path().join("budget.xlsx");
    write_xlsx(&path, &rows);
    let output = jauge()
        .args(["budget", "--budget"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = stderr(&output).replace(&format!("{}/", dir.path().display()), "");
    assert_eq!(
        message.trim_end(),
        "jauge: budget.xlsx: sheet Sheet1, cell C4: 33.333 has 3 decimal places but EUR has 2: round it in the sheet"
    );
}
