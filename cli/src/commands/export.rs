//! `jauge export`: the store's gifts as a CSV ledger, byte for byte what `import --from jauge`
//! reads back into the same store.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use super::{to_stdout, StoreArgs};
use crate::error::CliError;
use crate::ledger;

#[derive(clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// The format: jauge's CSV ledger.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Write to this file (whole or not at all) instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
}

pub(super) fn run(args: Args) -> Result<(), CliError> {
    let path = args.store.path()?;
    let Format::Csv = args.format;
    // One snapshot: an import committing meanwhile is in the file whole or not at all.
    let views = jauge_store::Store::snapshots(&path, 1)?;
    let write = |out: &mut dyn Write| -> Result<(), CliError> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(ledger::COLUMNS)?;
        for view in &views {
            view.for_each(|_, gift| {
                writer.write_record(ledger::record(&gift))?;
                Ok::<(), CliError>(())
            })?;
        }
        writer.flush().map_err(csv::Error::from)?;
        Ok(())
    };
    let written = match &args.out {
        Some(file) => ledger::write_atomically(file, |out| {
            write(out).map_err(|e| std::io::Error::other(e.to_string()))
        }),
        None => to_stdout(write),
    };
    // The CSV ledger has no row for money given back without its gift: say what stays behind.
    let reversals = match views.first() {
        Some(view) => view.unmatched_reversals()?,
        None => Vec::new(),
    };
    if !reversals.is_empty() {
        eprintln!(
            "jauge: {} not in the CSV ledger, which has no row for them: they stay in {} and \
             are taken off its figures ({})",
            crate::render::counted(
                jauge::Locale::En,
                reversals.len() as u64,
                "refund without its gift is",
                "refunds without their gift are"
            ),
            path.display(),
            reversals
                .iter()
                .map(|r| format!("{} {}", r.id, r.amount))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    written
}
