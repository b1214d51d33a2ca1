//! Errors that name where the bad input is.

use std::path::{Path, PathBuf};

pub use jauge_platforms::{InputError, Location};

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Bad input at a known place.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Several rows were rejected; nothing was written.
    #[error("{} rejected, nothing written (use --skip-invalid to import the rest and keep the rejects):\n{}", rows(.0.len()), list(.0))]
    Rejected(Vec<InputError>),
    /// A drawing could not be rasterised (a bug in jauge: its drawings are its own).
    #[error(transparent)]
    Drawing(#[from] crate::publish::card::CardError),
    /// The static snippet could not be written (a bug in jauge: the HTML and CSS are its own).
    #[error(transparent)]
    Snippet(#[from] jauge_widget::snippet::SnippetError),
    /// The store refused (it names its file).
    #[error(transparent)]
    Store(#[from] jauge_store::StoreError),
    /// The core could not count the gifts (an overflow, gifts of one subscription at two
    /// intervals).
    #[error(transparent)]
    Status(#[from] jauge::StatusError),
    /// A date could not be placed in the campaign's zone.
    #[error(transparent)]
    Time(#[from] jauge::TimeError),
    /// Money that cannot be combined (a budget in two currencies, an overflow).
    #[error("budget: {0}")]
    Budget(#[from] jauge::MoneyError),
    /// A gift entered by hand that the core refuses (an amount with more decimals than its
    /// currency has, an empty id).
    #[error("the gift: {0}")]
    Gift(#[from] jauge::DonationError),
    /// `jauge add` of a gift cancelled by `jauge void`.
    #[error("{id} was cancelled with jauge void ({reason}): it stays cancelled; enter the gift again under another --id")]
    Voided {
        /// The gift.
        id: String,
        /// The journal's reason.
        reason: String,
    },
    /// `jauge add` of a reference held with another amount or instant.
    #[error("{id} is held already from {there}, and differs: {difference}; give another --id, or jauge void the one held")]
    ManualConflict {
        /// The gift.
        id: String,
        /// Where the gift held came from.
        there: String,
        /// How they differ.
        difference: String,
    },
    /// `jauge void` of a gift a platform reported.
    #[error("{id} came from a platform: a refund or a failed payment there takes it back; jauge void cancels gifts entered by hand (manual:…)")]
    NotManual {
        /// The gift.
        id: String,
    },
    /// A spreadsheet the spreadsheet reader could not open.
    #[error("{}: {source}", path.display())]
    Spreadsheet {
        /// The file.
        path: PathBuf,
        /// Why.
        source: calamine::Error,
    },
    /// The widget bundle is missing or not one `cargo xtask dist` wrote.
    #[error("{}: {problem}", path.display())]
    Widget {
        /// The file of the bundle at fault.
        path: PathBuf,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// An option's value is not one the command takes.
    #[error("{option} {value:?}: {expected}")]
    Option {
        /// The option.
        option: &'static str,
        /// The value given.
        value: String,
        /// What is expected.
        expected: &'static str,
    },
    /// The report's workbook could not be made (what the xlsx writer said).
    #[error("the workbook could not be written: {0}")]
    Workbook(String),
    /// `jauge build` would overwrite a folder it did not write.
    #[error("{}: the folder is not empty and was not written by `jauge build` (no {marker} in it): name a new or empty folder", path.display())]
    NotOurFolder {
        /// The folder.
        path: PathBuf,
        /// The file that marks jauge's folders.
        marker: &'static str,
    },
    /// A CSV ledger given where a store is written.
    #[error("{}: a CSV ledger, which jauge no longer writes: import it into a store (`jauge import --from jauge {} --into donations.db`) and name the store with `ledger = \"donations.db\"` in the campaign file", path.display(), path.display())]
    CsvLedger {
        /// The file.
        path: PathBuf,
    },
    /// A gift id that the store does not hold.
    #[error("{}: no gift with id {id:?}", store.display())]
    UnknownGift {
        /// The store.
        store: PathBuf,
        /// The id asked for.
        id: String,
    },
    /// A platform's id that several gifts' ids end with (a prefix names the platform).
    #[error("{}: several gifts are {id:?} on a platform: name one of {}", store.display(), candidates.join(", "))]
    AmbiguousGift {
        /// The store.
        store: PathBuf,
        /// The id asked for.
        id: String,
        /// The gifts whose id ends with it.
        candidates: Vec<String>,
    },
    /// A platform's event refunds a gift the store does not hold yet: it is kept for the
    /// platform's retry, after the gift itself has come.
    #[error("event {event} refunds {gift}, which the store does not hold yet: nothing was written; apply the event again once the gift is in")]
    GiftNotYetKnown {
        /// The event.
        event: String,
        /// The gift.
        gift: String,
    },
    /// A catch-up with a platform failed (nothing is marked caught up; the next one asks again).
    #[error("catching up with {platform}: {reason}")]
    CatchUp {
        /// The platform.
        platform: &'static str,
        /// Why.
        reason: String,
    },
    /// A platform's event could not be read.
    #[error("{}: {source}", path.display())]
    Event {
        /// The file it came from.
        path: PathBuf,
        /// What is wrong with it.
        source: jauge_platforms::EventError,
    },
    /// CSV could not be written.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// A secret is missing, malformed, or kept where others can read it. The message never
    /// holds the secret itself.
    #[error("{place}: {problem}")]
    Secret {
        /// The variable or file (and line) it comes from.
        place: String,
        /// What is wrong.
        problem: String,
    },
    /// A file could not be written to the bucket the site is published to.
    #[error("could not publish to {url}: {reason}")]
    Publish {
        /// The bucket, as `s3://bucket/folder`.
        url: String,
        /// The file and why (the object store's answer; never a credential).
        reason: String,
    },
    /// The server could not listen.
    #[error("{addr}: {source}")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".to_owned()
    } else {
        format!("{n} rows")
    }
}

fn list(errors: &[InputError]) -> String {
    const SHOWN: usize = 20;
    let mut text: Vec<String> = errors
        .iter()
        .take(SHOWN)
        .map(|e| format!("  {e}"))
        .collect();
    if errors.len() > SHOWN {
        text.push(format!("  … and {} more", errors.len() - SHOWN));
    }
    text.join("\n")
}

impl CliError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> CliError {
        CliError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_like_compiler_messages() {
        let at = Location::line(Path::new("donations.csv"), 1042).column("amount");
        let error = InputError::new(at, "\"12,3,4\" is not an amount");
        assert_eq!(
            error.to_string(),
            "donations.csv:1042: column \"amount\": \"12,3,4\" is not an amount"
        );
        assert_eq!(Location::file(Path::new("a.csv")).to_string(), "a.csv");
    }
}
