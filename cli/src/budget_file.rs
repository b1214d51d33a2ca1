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
//! `type` is `expense` or `income` (`dépense`/`dépenses`, `charges`, `recette`/`recettes`,
//! `produits` are accepted too), or is left out with `Charges` and `Produits` headings above the
//! lines they cover; `probability` (a fraction like `0.5`, or a percentage) makes an income line
//! expected rather than secured; without a currency column the campaign's currency is used.
//! Headers are matched without regard to case or accents, and may sit below a title; other
//! columns are ignored. A total row (a label starting with "Total") is checked against the lines
//! above it and never counted.
//!
//! A sheet is read cell by cell, at most 100,000 of them, from a file of at most 16 MiB whose
//! parts expand to at most 64 MiB: a sheet that declares (or uses) its last cell costs its
//! cells, not its range.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use jauge::{Budget, Certainty, Currency, Decimal, Money};

use crate::amount::{parse_amount, DecimalSeparator};
use crate::error::{CliError, InputError, Location};

/// Cells read from a sheet at most: a budget has tens of lines; a sheet declaring (or holding)
/// a million cells is not one, and is refused before it is held in memory.
const MAX_CELLS: usize = 100_000;
/// The largest spreadsheet file read, and the most its zip entries may expand to.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
const MAX_EXPANDED_BYTES: u64 = 64 * 1024 * 1024;
/// Rows looked at for the header (a treasurer's sheet often has a title above it).
const HEADER_SEARCH_ROWS: usize = 20;

/// Reads a budget from a TOML file or a spreadsheet. A sheet without a currency column is in
/// `currency` (the campaign's), when given.
///
/// # Errors
///
/// The file cannot be read, or a cell or key is not what is expected; the message names the
/// file, sheet and cell (or line and column).
pub fn load(path: &Path, currency: Option<Currency>) -> Result<Budget, CliError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_lowercase();
    match extension.as_str() {
        "ods" | "xlsx" | "xlsm" | "xls" => load_sheet(path, currency),
        _ => {
            let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?;
            toml::from_str(&text).map_err(|e| {
                let (line, column) = e.span().map_or((None, None), |span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() as u64 + 1;
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    (Some(line), Some(column))
                });
                let message = match column {
                    Some(column) => format!("column {column}: {}", e.message()),
                    None => e.message().to_owned(),
                };
                InputError::new(
                    Location {
                        line,
                        ..Location::file(path)
                    },
                    message,
                )
                .into()
            })
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

/// Lower case, accents and plural `s` dropped: `Dépenses` reads `depense`.
fn word(text: &str) -> String {
    let folded = jauge_platforms::table::normalise(text);
    folded
        .strip_suffix('s')
        .map(str::to_owned)
        .unwrap_or(folded)
}

/// Expense or income, from a type cell or a section heading, in the words budgets use.
fn side_of(text: &str) -> Option<Side> {
    match word(text).as_str() {
        "expense" | "depense" | "charge" | "cost" => Some(Side::Expense),
        "income" | "recette" | "produit" | "revenu" | "ressource" => Some(Side::Income),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Side {
    Expense,
    Income,
}

/// The non-empty cells of a sheet, by row then column (0-based, absolute), read without ever
/// allocating the sheet's declared range.
type Cells = std::collections::BTreeMap<usize, std::collections::BTreeMap<usize, Data>>;

fn too_many_cells(path: &Path, sheet: &str) -> CliError {
    InputError::new(
        Location::file(path),
        format!("sheet {sheet:?} holds more than {MAX_CELLS} cells: a budget has a line per expense and income; copy it to a sheet of its own"),
    )
    .into()
}

/// Refuses a file too large to be a budget, or a zip whose entries expand past the bound.
fn check_size(path: &Path) -> Result<(), CliError> {
    let size = std::fs::metadata(path)
        .map_err(|e| CliError::io(path, e))?
        .len();
    let refuse = |what: String| -> CliError { InputError::new(Location::file(path), what).into() };
    if size > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "{size} bytes: a budget spreadsheet is at most {MAX_FILE_BYTES}"
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| CliError::io(path, e))?;
    // .xls is not a zip; .xlsx and .ods are. Each part is inflated here, counting what comes
    // out and stopping past the bound: a part's declared size can lie, its bytes cannot.
    if let Ok(mut archive) = zip::ZipArchive::new(file) {
        let mut expanded = 0u64;
        for index in 0..archive.len() {
            let entry = archive
                .by_index(index)
                .map_err(|e| refuse(format!("not a readable spreadsheet: {e}")))?;
            let allowance = MAX_EXPANDED_BYTES - expanded;
            let read = std::io::copy(
                &mut std::io::Read::take(entry, allowance + 1),
                &mut std::io::sink(),
            )
            .map_err(|e| refuse(format!("not a readable spreadsheet: {e}")))?;
            expanded += read;
            if read > allowance {
                return Err(refuse(format!(
                    "its parts expand past {MAX_EXPANDED_BYTES} bytes: not a budget spreadsheet (a zip bomb?)"
                )));
            }
        }
    }
    Ok(())
}

fn read_cells(path: &Path) -> Result<(String, Cells), CliError> {
    check_size(path)?;
    let spreadsheet = |source| CliError::Spreadsheet {
        path: path.to_owned(),
        source,
    };
    let mut workbook = open_workbook_auto(path).map_err(spreadsheet)?;
    let sheet_name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| InputError::new(Location::file(path), "the workbook has no sheet"))?;
    let mut cells = Cells::new();
    let mut count = 0usize;
    let mut keep =
        |row: usize, column: usize, value: Data, count: &mut usize| -> Result<(), CliError> {
            if matches!(value, Data::Empty) || text_of(&value).is_empty() {
                return Ok(());
            }
            *count += 1;
            if *count > MAX_CELLS {
                return Err(too_many_cells(path, &sheet_name));
            }
            cells.entry(row).or_default().insert(column, value);
            Ok(())
        };
    match &mut workbook {
        // Streamed cell by cell: a sheet whose used range reaches XFD1048576 costs its cells,
        // not the 17 billion of its range.
        calamine::Sheets::Xlsx(xlsx) => {
            let mut reader = xlsx
                .worksheet_cells_reader(&sheet_name)
                .map_err(|e| spreadsheet(calamine::Error::Xlsx(e)))?;
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| spreadsheet(calamine::Error::Xlsx(e)))?
            {
                let (row, column) = cell.get_position();
                let value = Data::from(cell.get_value().clone());
                keep(row as usize, column as usize, value, &mut count)?;
            }
        }
        other => {
            let range = other.worksheet_range(&sheet_name).map_err(spreadsheet)?;
            let (height, width) = range.get_size();
            if height.saturating_mul(width) > MAX_CELLS * 10 {
                return Err(too_many_cells(path, &sheet_name));
            }
            for (row, column, value) in range.used_cells() {
                let (top, left) = range.start().unwrap_or((0, 0));
                keep(
                    top as usize + row,
                    left as usize + column,
                    value.clone(),
                    &mut count,
                )?;
            }
        }
    }
    Ok((sheet_name, cells))
}

fn load_sheet(path: &Path, default_currency: Option<Currency>) -> Result<Budget, CliError> {
    let (sheet_name, cells) = read_cells(path)?;
    let at = |row: usize, column: usize| Location {
        file: path.display().to_string(),
        line: None,
        column: Some(format!(
            "sheet {sheet_name}, cell {}",
            cell_name(row, column)
        )),
    };
    // The header: the first row (of the first few) naming a label and an amount; a title may
    // sit above it.
    let header = cells.iter().take(HEADER_SEARCH_ROWS).find(|(_, row)| {
        let names: Vec<String> = row.values().map(|c| word(&text_of(c))).collect();
        let has = |wanted: &[&str]| names.iter().any(|n| wanted.contains(&n.as_str()));
        has(LABELS) && has(AMOUNTS)
    });
    let Some((&header_row, header)) = header else {
        return Err(InputError::new(
            Location::file(path),
            format!(
                "sheet {sheet_name:?} has no header row in its first {HEADER_SEARCH_ROWS} rows: expected a row naming at least label (or libellé, poste) and amount (or montant); type, currency and probability may follow"
            ),
        )
        .into());
    };
    let find = |names: &[&str]| {
        header
            .iter()
            .find(|(_, cell)| names.contains(&word(&text_of(cell)).as_str()))
            .map(|(column, _)| *column)
    };
    let label_column = find(LABELS).unwrap_or_default();
    let amount_column = find(AMOUNTS).unwrap_or_default();
    let type_column = find(&["type", "nature", "sens"]);
    let currency_column = find(&["currency", "devise"]);
    let probability_column = find(&["probability", "probabilite"]);
    if currency_column.is_none() && default_currency.is_none() {
        return Err(InputError::new(
            at(header_row, amount_column),
            "no currency column: add one, or read the budget with its campaign (or --currency)",
        )
        .into());
    }
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("budget")
        .to_owned();
    let mut budget = Budget::builder(name);
    let mut section = None;
    let mut sums: std::collections::HashMap<Side, Money> = std::collections::HashMap::new();
    for (&row, cells) in cells.range(header_row + 1..) {
        let get = |column: Option<usize>| {
            column
                .and_then(|c| cells.get(&c))
                .map(text_of)
                .unwrap_or_default()
        };
        let bad = |column: usize, message: String| InputError::new(at(row, column), message);
        let label = get(Some(label_column));
        let amount_text = get(Some(amount_column));
        let type_text = get(type_column);
        // A heading row: "Charges" or "Produits" alone sets the side of the lines below it.
        if amount_text.is_empty() {
            let heading = if type_text.is_empty() {
                &label
            } else {
                &type_text
            };
            match side_of(heading) {
                Some(side) => {
                    section = Some(side);
                    continue;
                }
                None if label.is_empty() && type_text.is_empty() => continue,
                None => {}
            }
        }
        let currency = match currency_column
            .map(|c| get(Some(c)))
            .filter(|c| !c.is_empty())
        {
            Some(code) => Currency::try_new(&code)
                .map_err(|e| bad(currency_column.unwrap_or(amount_column), e.to_string()))?,
            None => default_currency.ok_or_else(|| {
                bad(
                    currency_column.unwrap_or(amount_column),
                    "no currency: write one in this row's currency cell".into(),
                )
            })?,
        };
        // A number cell is unambiguous (its text is Rust's, with a point); only text cells can
        // be written the locale's way.
        let separator = match cells.get(&amount_column) {
            Some(Data::Float(_) | Data::Int(_)) => DecimalSeparator::Point,
            _ => DecimalSeparator::Auto,
        };
        let amount = parse_amount(&amount_text, separator).map_err(|e| bad(amount_column, e))?;
        let amount = Money::try_new(amount, currency)
            .map_err(|e| bad(amount_column, format!("{e}: round it in the sheet")))?;
        let is_total = word(&label).starts_with("total") || word(&type_text).starts_with("total");
        let side = side_of(&type_text).or(if type_text.is_empty() { section } else { None });
        if is_total {
            // A total row is checked against the lines above it, never counted.
            let side = side.or_else(|| label.split_whitespace().skip(1).find_map(side_of));
            if let Some(side) = side {
                let sum = sums.get(&side).copied().unwrap_or(Money::zero(currency));
                if sum.checked_cmp(&amount).map_or(true, |o| o.is_ne()) {
                    return Err(bad(
                        amount_column,
                        format!(
                            "the total says {amount}, the {} lines above it add up to {sum}",
                            if side == Side::Expense {
                                "expense"
                            } else {
                                "income"
                            }
                        ),
                    )
                    .into());
                }
            }
            continue;
        }
        let Some(side) = side else {
            return Err(bad(
                type_column.unwrap_or(label_column),
                format!(
                    "{:?}: expected expense or income (dépense, recette, charges, produits), or a Charges or Produits heading above the line",
                    if type_text.is_empty() { &label } else { &type_text }
                ),
            )
            .into());
        };
        let probability = match probability_column
            .map(|c| get(Some(c)))
            .filter(|p| !p.is_empty())
        {
            None => None,
            Some(text) => Some(
                parse_probability(&text).map_err(|e| bad(probability_column.unwrap_or(0), e))?,
            ),
        };
        let total = sums.entry(side).or_insert(Money::zero(currency));
        *total = total
            .checked_add(amount)
            .map_err(|e| bad(amount_column, e.to_string()))?;
        budget = match side {
            Side::Expense => budget.expense(label, amount),
            Side::Income => budget.income(
                label,
                amount,
                probability.map_or(Certainty::Secured, Certainty::Expected),
            ),
        };
    }
    budget
        .build()
        .map_err(|e| InputError::new(Location::file(path), e.to_string()).into())
}

/// Header words for the label and the amount (see [`word`]).
const LABELS: &[&str] = &["label", "libelle", "poste", "intitule", "designation"];
const AMOUNTS: &[&str] = &["amount", "montant", "budget", "prevu", "previsionnel"];

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
