//! Errors that name where the bad input is: the file, the line, the column.

use std::fmt;
use std::path::Path;

/// A place in an input file: `donations.csv:1042: column "amount"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user named it.
    pub file: String,
    /// The 1-based line, if known.
    pub line: Option<u64>,
    /// The column or field name, if known.
    pub column: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(path: &Path) -> Location {
        Location {
            file: path.display().to_string(),
            line: None,
            column: None,
        }
    }

    /// A line of a file.
    pub fn line(path: &Path, line: u64) -> Location {
        Location {
            line: Some(line),
            ..Location::file(path)
        }
    }

    /// A column of a line.
    pub fn column(&self, column: &str) -> Location {
        Location {
            column: Some(column.to_owned()),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        match &self.column {
            // A spreadsheet cell names itself ("sheet Budget, cell C4").
            Some(cell) if cell.starts_with("sheet ") => write!(f, ": {cell}")?,
            Some(column) => write!(f, ": column {column:?}")?,
            None => {}
        }
        Ok(())
    }
}

/// One rejected row or value, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct InputError {
    /// Where.
    pub location: Location,
    /// What was wrong and what was expected.
    pub message: String,
}

impl InputError {
    /// An error at `location`.
    pub fn new(location: Location, message: impl Into<String>) -> InputError {
        InputError {
            location,
            message: message.into(),
        }
    }
}
