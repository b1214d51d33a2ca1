//! Budget files: TOML, or a spreadsheet (`.ods`, `.xlsx`, `.xls`), since that is where finance
//! staff keep budgets.
//!
//! A spreadsheet's first sheet holds a header row and one line per budget line:
//!
//! | type | label | amount | currency | probability |
//! |---|---|---|---|---|
//! | expense | Salaries | 1250000 | EUR | |
//! | income | Recurring donations | 900000 | EUR | |
//! | income | Foundation grant | 100000 | EUR | 50 % |
//!
//! `type` is `expense` or `income` (`dépense` and `recette` are accepted too); `probability`
//! (a fraction like `0.5`, or a percentage) makes an income line expected rather than secured.
//! Headers are matched without regard to case; other columns are ignored.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use jauge::{Budget, Certainty, Currency, Decimal, Money};

use crate::amount::{parse_amount, DecimalSeparator};
use crate::error::{CliError, InputError, Location};

/// Reads a budget from a TOML file or a spreadsheet.
///
/// # Errors
///
/// The file cannot be read, or a cell or key is not what is expected; the message names the
/// file, sheet and cell.
pub fn load(path: &Path) -> Result<Budget, CliError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_lowercase();
    match extension.as_str() {
        "ods" | "xlsx" | "xlsm" | "xls" => load_sheet(path),
        _ => {
            let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
            toml::from_str(&text)
                .map_err(|e| InputError::new(Location::file(path), e.message().to_owned()).into())
        }
    }
}

fn cell_name(row: usize, column: usize) -> String {
    let mut letters = String::new();
    let mut n = column + 1;
    while n > 0 {
        letters.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn text_of(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.trim().to_owned(),
        // The shortest text that reads back as the same double is what the person typed.
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn load_sheet(path: &Path) -> Result<Budget, CliError> {
    let mut workbook = open_workbook_auto(path).map_err(|source| CliError::Spreadsheet {
        path: path.to_owned(),
        source,
    })?;
    let sheet_name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| InputError::new(Location::file(path), "the workbook has no sheet"))?;
    let range = workbook
        .worksheet_range(&sheet_name)
        .map_err(|source| CliError::Spreadsheet {
            path: path.to_owned(),
            source,
        })?;
    let (top, left) = range
        .start()
        .map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let at = |row: usize, column: usize| Location {
        file: path.display().to_string(),
        line: None,
        column: Some(format!(
            "sheet {sheet_name}, cell {}",
            cell_name(top + row, left + column)
        )),
    };
    let mut rows = range.rows().enumerate();
    let (_, header) = rows.next().ok_or_else(|| {
        InputError::new(
            Location::file(path),
            format!("sheet {sheet_name:?} is empty"),
        )
    })?;
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|cell| names.iter().any(|n| text_of(cell).to_lowercase() == *n))
    };
    let required = |names: &[&str]| {
        find(names).ok_or_else(|| {
            InputError::new(
                at(0, 0),
                format!("missing a {:?} column: expected the headers type, label, amount, currency, probability", names[0]),
            )
        })
    };
    let type_column = required(&["type"])?;
    let label_column = required(&["label", "libellé", "libelle"])?;
    let amount_column = required(&["amount", "montant"])?;
    let currency_column = required(&["currency", "devise"])?;
    let probability_column = find(&["probability", "probabilité", "probabilite"]);
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("budget")
        .to_owned();
    let mut budget = Budget::builder(name);
    for (row, cells) in rows {
        let get = |column: usize| cells.get(column).map(text_of).unwrap_or_default();
        if cells.iter().all(|c| text_of(c).is_empty()) {
            continue;
        }
        let bad = |column: usize, message: String| InputError::new(at(row, column), message);
        let currency = Currency::try_new(&get(currency_column))
            .map_err(|e| bad(currency_column, e.to_string()))?;
        let amount_text = get(amount_column);
        // A number cell is unambiguous (its text is Rust's, with a point); only text cells can
        // be written the locale's way.
        let separator = match cells.get(amount_column) {
            Some(Data::Float(_) | Data::Int(_)) => DecimalSeparator::Point,
            _ => DecimalSeparator::Auto,
        };
        let amount = parse_amount(&amount_text, separator).map_err(|e| bad(amount_column, e))?;
        let amount = Money::try_new(amount, currency)
            .map_err(|e| bad(amount_column, format!("{e}: round it in the sheet")))?;
        let label = get(label_column);
        let probability = match probability_column.map(get).filter(|p| !p.is_empty()) {
            None => None,
            Some(text) => Some(
                parse_probability(&text).map_err(|e| bad(probability_column.unwrap_or(0), e))?,
            ),
        };
        budget = match get(type_column).to_lowercase().as_str() {
            "expense" | "dépense" | "depense" => budget.expense(label, amount),
            "income" | "recette" => budget.income(
                label,
                amount,
                probability.map_or(Certainty::Secured, Certainty::Expected),
            ),
            other => {
                return Err(bad(
                    type_column,
                    format!("{other:?}: expected expense or income"),
                )
                .into())
            }
        };
    }
    budget
        .build()
        .map_err(|e| InputError::new(Location::file(path), e.to_string()).into())
}

fn parse_probability(text: &str) -> Result<Decimal, String> {
    let (number, percent) = match text.trim().strip_suffix('%') {
        Some(number) => (number.trim(), true),
        None => (text.trim(), false),
    };
    let value = parse_amount(number, DecimalSeparator::Auto)?;
    Ok(if percent {
        value / Decimal::ONE_HUNDRED
    } else {
        value
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 27), "AB10");
    }

    #[test]
    fn probabilities() {
        assert_eq!(parse_probability("50 %").unwrap().to_string(), "0.50");
        assert_eq!(parse_probability("0,8").unwrap().to_string(), "0.8");
    }
}
