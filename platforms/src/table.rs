//! Provider exports as tables: delimiter detected, byte-order mark skipped, headers matched
//! without regard to case or accents, every row kept verbatim for the rejects file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::{InputError, Location};

/// One data row.
pub struct Row {
    /// Its 1-based line.
    pub line: u64,
    /// The row as written in the file.
    pub raw: String,
    fields: Vec<String>,
}

/// A whole export.
pub struct Table {
    /// The file.
    pub path: PathBuf,
    /// Everything before the first data row as written: byte-order mark, header line and its
    /// line ending, so that rejected rows are written back in the export's own form.
    pub head: String,
    /// The headers, normalised (see [`normalise`]).
    headers: Vec<String>,
    /// The headers as written, for messages.
    written_headers: Vec<String>,
    /// The data rows.
    pub rows: Vec<Row>,
}

/// Lower case without accents, single spaces: `Date du paiement` and `date du  Paiement` match.
pub fn normalise(header: &str) -> String {
    let folded: String = header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Table {
    /// Reads a delimited export already in memory, `path` naming it in messages; the delimiter
    /// is whichever of `,`, `;` and tab the header uses most.
    ///
    /// # Errors
    ///
    /// The export is empty, is not UTF-8, or a row has the wrong number of fields.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Table, InputError> {
        let all = std::str::from_utf8(bytes).map_err(|e| {
            InputError::new(
                Location::file(path),
                format!(
                    "not UTF-8 text (byte {}): save it as UTF-8",
                    e.valid_up_to()
                ),
            )
        })?;
        let bom = if all.starts_with('\u{feff}') {
            "\u{feff}"
        } else {
            ""
        };
        let text = &all[bom.len()..];
        let header_line = text.lines().next().unwrap_or_default();
        if header_line.trim().is_empty() {
            return Err(InputError::new(
                Location::file(path),
                "empty file: expected a header row",
            ));
        }
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| header_line.bytes().filter(|b| b == d).count())
            .unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let written_headers: Vec<String> = reader
            .headers()
            .map_err(|e| InputError::new(Location::line(path, 1), e.to_string()))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let headers = written_headers.iter().map(|h| normalise(h)).collect();
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        // Lines are counted here, on the text itself: the CSV reader's count is one short in
        // files with CRLF line endings, as every HelloAsso and PayPal export has.
        let mut counted = (0usize, 1u64);
        let mut line_at = |offset: usize| {
            let (from, line) = counted;
            let offset = offset.min(text.len()).max(from);
            let more = memchr::memchr_iter(b'\n', &text.as_bytes()[from..offset]).count();
            counted = (offset, line + more as u64);
            counted.1
        };
        let mut head_end = None;
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let position = record
                        .position()
                        .cloned()
                        .unwrap_or_else(csv::Position::new);
                    // The reader ends a line at `\r` and starts the next record at the `\n` of a
                    // CRLF pair: the row itself starts after it.
                    let mut start = (position.byte() as usize).min(text.len());
                    while text
                        .as_bytes()
                        .get(start)
                        .is_some_and(|b| *b == b'\n' || *b == b'\r')
                    {
                        start += 1;
                    }
                    let end = reader.position().byte() as usize;
                    head_end.get_or_insert(start);
                    let raw = text[start.min(text.len())..end.min(text.len())]
                        .trim_end_matches(['\r', '\n'])
                        .to_owned();
                    rows.push(Row {
                        line: line_at(start),
                        raw,
                        fields: record.iter().map(|f| f.trim().to_owned()).collect(),
                    });
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| {
                        let mut at = (p.byte() as usize).min(text.len());
                        while text
                            .as_bytes()
                            .get(at)
                            .is_some_and(|b| *b == b'\n' || *b == b'\r')
                        {
                            at += 1;
                        }
                        line_at(at)
                    });
                    let message = match e.kind() {
                        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
                            "expected {expected_len} fields, found {len}: is the file truncated, or a field not quoted?"
                        ),
                        _ => e.to_string(),
                    };
                    return Err(InputError::new(Location::line(path, line), message));
                }
            }
        }
        let head_end = head_end.unwrap_or(text.len()).min(text.len());
        let mut head = format!("{bom}{}", &text[..head_end]);
        if !head.ends_with('\n') {
            head.push_str(if header_line.ends_with('\r') {
                "\r\n"
            } else {
                "\n"
            });
        }
        Ok(Table {
            path: path.to_owned(),
            head,
            headers,
            written_headers,
            rows,
        })
    }

    /// The position of the first header among `names` (already normalised).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|name| self.headers.iter().position(|h| h == name))
    }

    /// Like [`Table::column`], or an error listing what was looked for.
    ///
    /// # Errors
    ///
    /// None of the names is a header.
    pub fn require(&self, names: &[&str]) -> Result<usize, InputError> {
        self.column(names).ok_or_else(|| {
            let wanted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
            InputError::new(
                Location::line(&self.path, 1),
                format!("missing column: expected one of {}", wanted.join(", ")),
            )
        })
    }

    /// A field of a row ("" when the column is absent or the row short).
    pub fn get<'r>(&self, row: &'r Row, column: Option<usize>) -> &'r str {
        column
            .and_then(|c| row.fields.get(c))
            .map_or("", String::as_str)
    }

    /// The header a column was found under, as written, for messages.
    pub fn header(&self, column: usize) -> &str {
        self.written_headers.get(column).map_or("", String::as_str)
    }

    /// Whether the row's columns that share a header (once normalised) disagree: the file
    /// does not say which one holds the value, so the row is refused rather than the first one
    /// taken.
    fn disagreeing_duplicates(&self, row: &Row) -> Option<InputError> {
        for (first, name) in self.headers.iter().enumerate() {
            for (second, other) in self.headers.iter().enumerate().skip(first + 1) {
                if name != other || name.is_empty() {
                    continue;
                }
                let (a, b) = (self.get(row, Some(first)), self.get(row, Some(second)));
                if a != b {
                    return Some(InputError::new(
                        self.at(row, second),
                        format!(
                            "columns {} and {} are both {:?} and disagree ({a:?}, {b:?}): remove one of them",
                            first + 1,
                            second + 1,
                            self.header(first)
                        ),
                    ));
                }
            }
        }
        None
    }

    /// The location of a row's field.
    pub fn at(&self, row: &Row, column: usize) -> Location {
        Location::line(&self.path, row.line).column(self.header(column))
    }
}

/// A wall-clock time in `zone`. The hour that happens twice when clocks go back is read as its
/// first occurrence (exports rarely say which); a time that clocks skip is an error.
///
/// # Errors
///
/// The local time does not exist in the zone.
pub fn local_to_utc(local: NaiveDateTime, zone: Tz) -> Result<DateTime<Utc>, String> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) | LocalResult::Ambiguous(instant, _) => Ok(instant.to_utc()),
        LocalResult::None => Err(format!(
            "{local} does not exist in {zone} (skipped by a daylight-saving change)"
        )),
    }
}

/// Reads a date and time in one of `formats`.
///
/// # Errors
///
/// None of the formats matches; the message names them.
pub fn parse_naive(text: &str, formats: &[&str]) -> Result<NaiveDateTime, String> {
    for format in formats {
        if let Ok(parsed) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(parsed);
        }
        if let Ok(date) = chrono::NaiveDate::parse_from_str(text, format) {
            return Ok(date.and_time(chrono::NaiveTime::MIN));
        }
    }
    let examples: Vec<String> = formats
        .iter()
        .map(|f| {
            chrono::NaiveDate::from_ymd_opt(2023, 12, 24)
                .unwrap_or_default()
                .and_hms_opt(8, 7, 0)
                .unwrap_or_default()
                .format(f)
                .to_string()
        })
        .collect();
    Err(format!(
        "{text:?} is not a date and time such as {}",
        examples.join(" or ")
    ))
}

impl Table {
    /// Parses every row with `parse` into a batch that keeps each row verbatim.
    pub fn into_batch(
        self,
        mut parse: impl FnMut(&Table, &Row) -> Result<crate::export::Entry, InputError>,
    ) -> crate::export::Batch {
        let items = self
            .rows
            .iter()
            .map(|row| crate::export::Item {
                location: Location::line(&self.path, row.line),
                raw: row.raw.clone(),
                entry: match self.disagreeing_duplicates(row) {
                    Some(error) => Err(error),
                    None => parse(&self, row),
                },
            })
            .collect();
        crate::export::Batch {
            layout: crate::export::Layout::Csv(self.head),
            items,
        }
    }
}

/// A money field of a row.
///
/// # Errors
///
/// The text is not an amount in the currency.
pub fn money_field(
    table: &Table,
    row: &Row,
    column: usize,
    currency: jauge::Currency,
    separator: crate::amount::DecimalSeparator,
) -> Result<jauge::Money, InputError> {
    let text = table.get(row, Some(column));
    let value = crate::amount::parse_amount_in(text, separator, currency.minor_units())
        .map_err(|e| InputError::new(table.at(row, column), e))?;
    jauge::Money::try_new(value, currency)
        .map_err(|e| InputError::new(table.at(row, column), e.to_string()))
}

/// The fee in an optional column, as a positive amount (providers write it with either sign).
///
/// # Errors
///
/// The text is not an amount in the currency.
pub fn fee_field(
    table: &Table,
    row: &Row,
    column: Option<usize>,
    currency: jauge::Currency,
    separator: crate::amount::DecimalSeparator,
) -> Result<Option<jauge::Money>, InputError> {
    let Some(column) = column.filter(|c| !table.get(row, Some(*c)).is_empty()) else {
        return Ok(None);
    };
    let fee = money_field(table, row, column, currency, separator)?;
    jauge::Money::try_new(fee.amount().abs(), currency)
        .map(Some)
        .map_err(|e| InputError::new(table.at(row, column), e.to_string()))
}

/// A pseudonymous donor key from an optional column holding an e-mail address or a customer id.
pub fn donor_field(table: &Table, row: &Row, column: Option<usize>) -> Option<String> {
    let identity = table.get(row, column);
    (!identity.is_empty()).then(|| crate::donor_key(identity))
}
