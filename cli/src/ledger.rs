//! jauge's CSV ledger: the exchange format for people and spreadsheets (`jauge export`
//! writes it, `jauge import --from jauge` reads it), one row per gift in the columns of
//! [`jauge_store::row`], which the store keeps too.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use jauge::Donation;
use jauge_store::row::RowParser;

use crate::error::{CliError, InputError, Location};

pub use jauge_platforms::donor_key;
pub use jauge_store::row::{record, COLUMNS};

/// Skips a UTF-8 byte-order mark at the start of a stream, as spreadsheets write one.
pub fn skip_bom(mut reader: impl Read) -> io::Result<impl Read> {
    let mut start = [0u8; 3];
    let mut filled = 0;
    while filled < 3 {
        match reader.read(&mut start[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    let keep = if start[..filled] == [0xEF, 0xBB, 0xBF] {
        3..3
    } else {
        0..filled
    };
    Ok(io::Cursor::new(start[keep].to_vec()).chain(reader))
}

/// Reads a jauge ledger one donation at a time, in constant memory.
pub struct LedgerReader<R: Read> {
    path: PathBuf,
    /// Added to the reader's line numbers, for a part of a file read with its header in front.
    line_offset: u64,
    reader: csv::Reader<R>,
    columns: [usize; 12],
    record: csv::StringRecord,
    parser: RowParser,
}

impl LedgerReader<Box<dyn Read>> {
    /// Opens a ledger file and checks its header.
    ///
    /// # Errors
    ///
    /// The file cannot be read, is empty, or its header is not jauge's.
    pub fn open(path: &Path) -> Result<LedgerReader<Box<dyn Read>>, CliError> {
        let file = File::open(path).map_err(|e| CliError::io(path, e))?;
        let reader =
            skip_bom(BufReader::with_capacity(1 << 16, file)).map_err(|e| CliError::io(path, e))?;
        LedgerReader::new(path, Box::new(reader))
    }
}

impl<R: Read> LedgerReader<R> {
    /// Reads a ledger from `reader`; `path` names it in messages.
    ///
    /// # Errors
    ///
    /// The stream is empty or its header is not jauge's.
    pub fn new(path: &Path, reader: R) -> Result<LedgerReader<R>, CliError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .buffer_capacity(1 << 18)
            .from_reader(reader);
        let at_header = Location::line(path, 1);
        let header = reader
            .headers()
            .map_err(|e| InputError::new(at_header.clone(), csv_message(&e)))?
            .clone();
        if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(InputError::new(
                Location::file(path),
                format!("empty file: expected the header {}", COLUMNS.join(",")),
            )
            .into());
        }
        if header.len() == 1 {
            let found = &header[0];
            let hint = [';', '\t', '|']
                .into_iter()
                .find(|d| found.contains(*d))
                .map(|d| format!(" (it looks separated by {d:?}: jauge ledgers use commas)"))
                .unwrap_or_default();
            return Err(InputError::new(
                at_header,
                format!("expected the columns {}{hint}", COLUMNS.join(",")),
            )
            .into());
        }
        let mut columns = [usize::MAX; 12];
        for (position, name) in header.iter().enumerate() {
            let name = name.trim();
            match COLUMNS.iter().position(|c| *c == name) {
                Some(i) if columns[i] == usize::MAX => columns[i] = position,
                Some(_) => {
                    return Err(InputError::new(
                        at_header,
                        format!("column {name:?} appears twice"),
                    )
                    .into())
                }
                None => {
                    return Err(InputError::new(
                        at_header,
                        format!("unknown column {name:?}: expected {}", COLUMNS.join(",")),
                    )
                    .into())
                }
            }
        }
        if let Some(missing) = columns.iter().position(|c| *c == usize::MAX) {
            return Err(InputError::new(
                at_header,
                format!("missing column {:?}", COLUMNS[missing]),
            )
            .into());
        }
        Ok(LedgerReader {
            path: path.to_owned(),
            line_offset: 0,
            reader,
            columns,
            record: csv::StringRecord::new(),
            parser: RowParser::default(),
        })
    }

    /// Reads a part of a file that starts `lines_before` lines into it, its header line put in
    /// front: line numbers in messages are those of the whole file.
    #[must_use]
    pub fn starting_after(mut self, lines_before: u64) -> LedgerReader<R> {
        self.line_offset = lines_before.saturating_sub(1);
        self
    }

    /// The next donation with its line, or the error that names what is wrong with the row.
    pub fn next_donation(&mut self) -> Option<Result<(u64, Donation), InputError>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line()) + self.line_offset;
                Some(self.parse_record(line).map(|d| (line, d)))
            }
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line()) + self.line_offset;
                // A malformed row cannot be skipped reliably: stop after reporting it.
                let message = csv_message(&error);
                self.record.clear();
                while self
                    .reader
                    .read_record(&mut self.record)
                    .is_ok_and(|more| more)
                {}
                Some(Err(InputError::new(
                    Location::line(&self.path, line),
                    message,
                )))
            }
        }
    }

    fn parse_record(&mut self, line: u64) -> Result<Donation, InputError> {
        let (record, columns) = (&self.record, &self.columns);
        self.parser
            .parse(|column| record.get(columns[column]).unwrap_or(""))
            .map_err(|e| {
                // Locations are built only for errors: formatting a path on every row costs a
                // fifth of the time of a million-row status.
                let at = Location::line(&self.path, line);
                let at = match e.column {
                    Some(column) => at.column(column),
                    None => at,
                };
                InputError::new(at, e.message)
            })
    }
}

/// A csv error in words, without the position (the caller names it).
fn csv_message(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
            "expected {expected_len} fields, found {len}: is the file truncated, or a field with a comma not quoted?"
        ),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text: save the file as UTF-8".to_owned(),
        csv::ErrorKind::Io(e) => e.to_string(),
        _ => error.to_string(),
    }
}

/// Writes a whole ledger to `out`.
///
/// # Errors
///
/// The writer fails.
pub fn write<'d>(
    out: impl Write,
    donations: impl IntoIterator<Item = &'d Donation>,
) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    for donation in donations {
        writer.write_record(record(donation))?;
    }
    writer.flush()
}

/// Writes `path` whole or not at all: to a temporary file beside it, then renamed over it.
///
/// # Errors
///
/// Any I/O error, with `path` named; the old file is then untouched.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| CliError::io(path, e))?;
    {
        let mut buffered = io::BufWriter::new(temp.as_file_mut());
        fill(&mut buffered).map_err(|e| CliError::io(path, e))?;
        buffered.flush().map_err(|e| CliError::io(path, e))?;
    }
    // A temporary file is private (0600); the result keeps the mode of the file it replaces, or
    // gets the usual mode of a new file.
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => default_permissions(temp.as_file()).map_err(|e| CliError::io(path, e))?,
    };
    temp.as_file()
        .set_permissions(permissions)
        .map_err(|e| CliError::io(path, e))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| CliError::io(path, e))?;
    temp.persist(path)
        .map_err(|e| CliError::io(path, e.error))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions(file: &File) -> io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = file.metadata()?.permissions();
    permissions.set_mode(0o644);
    Ok(permissions)
}

#[cfg(not(unix))]
fn default_permissions(file: &File) -> io::Result<std::fs::Permissions> {
    Ok(file.metadata()?.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Result<Donation, String>>, String> {
        let mut reader =
            LedgerReader::new(Path::new("d.csv"), text.as_bytes()).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        while let Some(row) = reader.next_donation() {
            out.push(row.map(|(_, d)| d).map_err(|e| e.to_string()));
        }
        Ok(out)
    }

    const HEADER: &str = "id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by\n";

    #[test]
    fn round_trips_every_field() {
        let text = format!(
            "{HEADER}a,2023-12-12T08:07:00Z,30.00,EUR,refunded,monthly,sub-1,bank_transfer,h:1,0.70,10.00,ACME\n\
             b,2023-12-12T09:00:00Z,5.00,EUR,pending,one_off,,offline,,,,\n"
        );
        let donations: Vec<Donation> = read(&text)
            .unwrap()
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let mut out = Vec::new();
        write(&mut out, &donations).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }

    #[test]
    fn errors_name_line_and_column() {
        let rows = read(&format!(
            "{HEADER}a,2023-12-12T08:07:00Z,\"12,3,4\",EUR,confirmed,one_off,,,,,,\n\
             b,12/12/2023,5,EUR,confirmed,one_off,,,,,,\n\
             c,2023-12-12T08:07:00Z,5,EUT,confirmed,one_off,,,,,,\n\
             d,2023-12-12T08:07:00Z,5,EUR,refunded,one_off,,,,,,\n\
             e,2023-12-12T08:07:00Z,5,EUR,confirmed,weekly,,,,,,\n"
        ))
        .unwrap();
        let errors: Vec<String> = rows.into_iter().map(Result::unwrap_err).collect();
        assert_eq!(
            errors,
            [
                "d.csv:2: column \"amount\": \"12,3,4\" is not an amount: expected digits, with an optional '.' and decimals (no group separators)",
                "d.csv:3: column \"received_at\": \"12/12/2023\" is not an RFC 3339 instant such as 2023-12-12T08:07:00Z",
                "d.csv:4: column \"currency\": \"EUT\" is not an active ISO 4217 currency code",
                "d.csv:5: column \"refunded\": a refunded gift needs the refunded amount",
                "d.csv:6: column \"kind\": \"weekly\": expected one_off, monthly or yearly",
            ]
        );
    }

    #[test]
    fn headers_bom_crlf_truncation() {
        assert_eq!(
            read("").unwrap_err(),
            "d.csv: empty file: expected the header id,received_at,amount,currency,status,kind,subscription_id,channel,donor,fee,refunded,matched_by"
        );
        assert!(read(&HEADER.replace(',', ";"))
            .unwrap_err()
            .contains("it looks separated by ';'"));
        assert!(read(&HEADER.replace("donor", "donner"))
            .unwrap_err()
            .contains("unknown column \"donner\""));
        let crlf = format!("{HEADER}a,2023-12-12T08:07:00Z,5,EUR,confirmed,one_off,,,,,,\r\n")
            .replace('\n', "\r\n");
        assert_eq!(read(&crlf).unwrap().len(), 1);
        let truncated = format!("{HEADER}a,2023-12-12T08:07:00Z,5,EUR,conf");
        assert_eq!(
            read(&truncated).unwrap()[0].clone().unwrap_err(),
            "d.csv:2: expected 12 fields, found 5: is the file truncated, or a field with a comma not quoted?"
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(
            format!("{HEADER}a,2023-12-12T08:07:00Z,5,EUR,confirmed,one_off,,,,,,\n").as_bytes(),
        );
        let mut reader =
            LedgerReader::new(Path::new("b.csv"), skip_bom(&bom[..]).unwrap()).unwrap();
        assert!(reader.next_donation().unwrap().is_ok());
    }

    #[test]
    fn donor_keys_are_stable_and_pseudonymous() {
        assert_eq!(
            donor_key(" Alice@Example.org "),
            donor_key("alice@example.org")
        );
        assert!(!donor_key("alice@example.org").contains("alice"));
        assert_eq!(donor_key("alice@example.org").len(), 26);
    }
}
