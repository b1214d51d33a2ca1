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
