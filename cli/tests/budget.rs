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
    let budget = |lang: &str| {
        let output = jauge()
            .args(["budget", "--lang", lang, "--budget"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    insta::assert_snapshot!(budget("en"), @"
    Budget 2024
                                         amount
      expenses                    €1,370,000.00
      secured income                €900,000.00
      expected income               €100,000.00
      expected income (weighted)     €50,000.00
      gap                           €420,000.00

    To balance the budget, the campaign must raise €420,000.
    ");
    // In another language, the labels as well as the numbers.
    insta::assert_snapshot!(budget("fr"), @"
    Budget 2024
                                           montant
      charges                       1 370 000,00 €
      produits acquis                 900 000,00 €
      produits attendus               100 000,00 €
      produits attendus (pondérés)     50 000,00 €
      écart                           420 000,00 €

    Pour équilibrer le budget, la campagne doit collecter 420 000 €.
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

/// What `jauge budget` says when it refuses `path`.
fn budget_refused(path: &std::path::Path) -> String {
    let output = jauge()
        .args(["budget", "--budget"])
        .arg(path)
        .output()
        .unwrap();
    assert!(!output.status.success(), "{}", stdout(&output));
    stderr(&output)
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
    let message = budget_refused(&path).replace(&format!("{}/", dir.path().display()), "");
    assert_eq!(
        message.trim_end(),
        "jauge: budget.xlsx: sheet Sheet1, cell C4: 33.333 has 3 decimal places but EUR has 2: round it in the sheet"
    );
}

/// Any number of columns; numbers as number cells.
fn write_rows(path: &std::path::Path, rows: &[&[&str]]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r as u32, c as u16, number).map(drop),
                Err(_) => sheet.write_string(r as u32, c as u16, *cell).map(drop),
            }
            .unwrap();
        }
    }
    workbook.save(path).unwrap();
}

/// As a treasurer lays it out: a title and a blank row above the header, no type column but
/// Charges and Produits headings, no currency column (the campaign's, here --currency EUR), and
/// a total under each part. By hand: expenses 12,000 + 3,500.50 = 15,500.50; income 8,000
/// secured + 2,000 at 50 % expected; the gap is 15,500.50 − 8,000 − 1,000 = 6,500.50.
#[test]
fn a_budget_as_treasurers_lay_it_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("budget-2024.xlsx");
    write_rows(
        &path,
        &[
            &["Budget prévisionnel 2024"],
            &[],
            &["Poste", "Montant", "Probabilité"],
            &["Charges"],
            &["Salaires", "12000"],
            &["Serveurs", "3500.50"],
            &["Total charges", "15500.50"],
            &["Produits"],
            &["Dons récurrents", "8000"],
            &["Subvention", "2000", "50 %"],
            &["Total produits", "10000"],
        ],
    );
    let output = jauge()
        .args([
            "budget",
            "--format",
            "json",
            "--currency",
            "EUR",
            "--budget",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["gap"]["expenses"]["amount"], "15500.50");
    assert_eq!(value["gap"]["gap"]["amount"], "6500.50");
    // Without a currency, it says where to give one.
    let said = budget_refused(&path);
    assert!(said.contains("no currency column"), "{said}");
}

#[test]
fn a_total_that_disagrees_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("budget.xlsx");
    write_rows(
        &path,
        &[
            &["type", "label", "amount", "currency"],
            &["Dépenses", "Salaires", "100", "EUR"],
            &["Dépenses", "Serveurs", "50", "EUR"],
            &["", "Total dépenses", "160", "EUR"],
        ],
    );
    let said = budget_refused(&path);
    assert!(
        said.contains(
            "cell C4: the total says 160.00 EUR, the expense lines above it add up to 150.00 EUR"
        ),
        "{said}"
    );
}

/// A sheet whose used range reaches the last cell is read by its cells (instantly), and a sheet
/// of more cells than any budget is refused with a message, not read into memory.
#[test]
fn a_sheet_is_bounded_by_its_cells() {
    let dir = tempfile::tempdir().unwrap();
    let far = dir.path().join("far.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in ROWS.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    workbook.save(&far).unwrap();
    let started = std::time::Instant::now();
    let value = budget_json(&far);
    assert_eq!(value["gap"]["expenses"]["amount"], "1370000.50");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));

    let huge = dir.path().join("huge.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for r in 0..50_001u32 {
        sheet.write_number(r, 0, 1.0).unwrap();
        sheet.write_number(r, 1, 2.0).unwrap();
    }
    workbook.save(&huge).unwrap();
    let said = budget_refused(&huge);
    assert!(said.contains("holds more than 100000 cells"), "{said}");
}

#[test]
fn a_budget_toml_error_names_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("budget.toml");
    std::fs::write(
        &path,
        "name = \"2024\"\nexpenses = [{ label = \"Servers\", amount = 5000 EUR }]\n",
    )
    .unwrap();
    let said = budget_refused(&path);
    assert!(said.contains("budget.toml:2: column "), "{said}");
}

/// A spreadsheet whose parts inflate past any budget's size (a zip bomb) is refused before a
/// spreadsheet reader opens it.
#[test]
fn a_zip_bomb_is_refused() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", deflated)
        .unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..80 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    let said = budget_refused(&path);
    assert!(said.contains("expand past"), "{said}");
}
